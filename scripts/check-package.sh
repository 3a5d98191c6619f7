#!/usr/bin/env bash
# What `cargo publish` would ship, and a dry run of publishing the workspace.
#
# 1. `cargo package --list` of both crates holds only what they need (sources, the specs
#    build.rs generates from, examples, README, licences): no tests, fixtures, benches, fuzz
#    targets or corpora, generated docs, CI files or build output.
# 2. `cargo publish --workspace --dry-run` packages both crates in dependency order and builds
#    `cloudbackup` from its package against the packaged `cloudbackup-codegen` (cargo ≥ 1.90
#    publishes a workspace whose members depend on each other through a local overlay of the
#    registry). The verification build is of the default features, in target/publish-dry-run.
set -euo pipefail
cd "$(dirname "$0")/.."
dirty=()
if [ -n "$(git status --porcelain 2>/dev/null)" ]; then dirty=(--allow-dirty); fi
list=$(cargo package --workspace --list "${dirty[@]}" 2>/dev/null)
bad=$(grep -E '^(tests|fuzz|benches|docs|scripts|target|\.ci|\.github)/|\.profraw$|/corpus/' <<<"$list" || true)
if [ -n "$bad" ]; then
  echo "check-package: these files would ship:" >&2
  echo "$bad" >&2
  exit 1
fi
for needed in build.rs specs/tencent/_provider.yaml src/lib.rs LICENSE-MIT LICENSE-APACHE README.md; do
  grep -qx "$needed" <<<"$list" || { echo "check-package: $needed would not ship" >&2; exit 1; }
done
echo "$(wc -l <<<"$list") files would ship"
# The dry run packages the workspace's crates into a registry overlay (<target>/package/tmp-registry)
# and builds `cloudbackup` against it. Cargo treats what comes from a registry as immutable:
#  - it unpacks <name>-<version> into $CARGO_HOME/registry/src/<overlay id>/ once and never again
#    (the overlay id is a hash of the overlay's path), and
#  - it never rebuilds a registry crate whose artefacts are already in the target directory.
# So a machine that keeps CARGO_HOME, or a target directory, from a run at an older commit would
# verify `cloudbackup` against the older `cloudbackup-codegen` of the same version (this failed CI
# once: build.rs used a module the stale copy did not have). Hence: a target directory of its own,
# emptied first, and the unpacked copies of the workspace's crates removed (the overlays' ids start
# with "-", crates.io's do not).
export CARGO_TARGET_DIR=target/publish-dry-run
rm -rf "$CARGO_TARGET_DIR"
cargo_home=${CARGO_HOME:-$HOME/.cargo}
cargo metadata --no-deps --format-version 1 --offline |
  python3 -c 'import json, sys; [print(p["name"] + "-" + p["version"]) for p in json.load(sys.stdin)["packages"]]' |
  while read -r crate; do
    for stale in "$cargo_home"/registry/src/-*/"$crate"; do
      if [ -d "$stale" ]; then echo "check-package: removing $stale (an earlier dry run's)"; rm -rf "$stale"; fi
    done
  done
cargo publish --workspace --dry-run "${dirty[@]}"
