#!/usr/bin/env python3
"""Checks offline that the declared `rust-version` is honest.

For a default build and a `cli` build of the `cloudbackup` package, the compiled crates are
the packages reachable from it through normal and build dependencies in the lock file's
resolve (`cargo metadata --offline --locked`, filtered to the host platform, with the build's
features; dev-dependencies are never followed). The declared `rust-version` of the workspace
must be at least the highest `rust-version` among them; otherwise this fails naming each crate
that raises it. (The resolve unifies features across dev-dependencies too, so it may list a
crate a real build skips: that only makes the check stricter.)

Exit status: 0 honest, 1 too low, 2 could not run.
"""

import json
import subprocess
import sys

ROOT = "cloudbackup"
BUILDS = {"default": [], "cli": ["--features", "cli"]}


def version(v):
    """`1.89` or `1.89.0` as a comparable tuple (missing parts are 0)."""
    parts = [int(p) for p in v.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


def host():
    out = subprocess.run(["rustc", "-vV"], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        if line.startswith("host: "):
            return line[len("host: "):].strip()
    raise RuntimeError("rustc -vV printed no host")


def metadata(extra, platform):
    cmd = ["cargo", "metadata", "--format-version", "1", "--offline", "--locked",
           "--filter-platform", platform] + extra
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{out.stderr}")
    return json.loads(out.stdout)


def compiled(meta):
    """Package ids reachable from the root through normal and build dependencies."""
    packages = {p["id"]: p for p in meta["packages"]}
    nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
    root = next(i for i in meta["workspace_members"] if packages[i]["name"] == ROOT)
    seen, todo = set(), [root]
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        for dep in nodes[pid]["deps"]:
            if any(k["kind"] in (None, "build") for k in dep["dep_kinds"]):
                todo.append(dep["pkg"])
    return packages, seen


def main():
    try:
        platform = host()
        failures = []
        for build, flags in BUILDS.items():
            meta = metadata(flags, platform)
            packages, ids = compiled(meta)
            root = next(p for p in packages.values()
                        if p["name"] == ROOT and p["id"] in meta["workspace_members"])
            declared = root.get("rust_version")
            if not declared:
                failures.append(f"{build} build: `{ROOT}` declares no rust-version")
                continue
            needs = sorted(
                ((version(packages[i]["rust_version"]), packages[i]["name"],
                  packages[i]["version"], packages[i]["rust_version"])
                 for i in ids if packages[i].get("rust_version")),
                reverse=True,
            )
            highest = needs[0] if needs else None
            raising = [n for n in needs if n[0] > version(declared)]
            for _, name, ver, rv in raising:
                failures.append(
                    f"{build} build: {name} {ver} needs Rust {rv}, above the declared "
                    f"rust-version {declared}")
            if not raising and highest:
                print(f"{build} build: {len(ids)} crates; declared rust-version {declared} >= "
                      f"highest {highest[3]} ({highest[1]} {highest[2]})")
    except (RuntimeError, subprocess.CalledProcessError, StopIteration, KeyError) as e:
        print(f"check-msrv: cannot check: {e}", file=sys.stderr)
        return 2
    for f in failures:
        print(f"check-msrv: {f}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
