#!/usr/bin/env bash
# Compile-time measurements for BENCHMARKS.md (issue 7, sections 3 and 4).
#
#   benches/scripts/compile-time.sh features         # one service feature vs all (default)
#   benches/scripts/compile-time.sh compare REV      # the same, REV and the worktree side by side
#   benches/scripts/compile-time.sh actions 100 1000 # the crate with N synthetic cbs actions
#   benches/scripts/compile-time.sh incremental REV [SPEC...]
#                                                    # rebuild after touching / editing a spec,
#                                                    # REV and the worktree side by side
#   benches/scripts/compile-time.sh compare specs:DIR [FEATURES...]
#   benches/scripts/compile-time.sh incremental specs:DIR [SPEC...]
#                                                    # REV may be `specs:DIR`: the worktree's
#                                                    # code with DIR as its spec tree (DIR holds
#                                                    # the `specs/` files, e.g. from `git archive
#                                                    # REV specs`), so only the specs differ
#
# `compare` builds default features and each service alone, or the FEATURES given (each one
# build: `default`, or a comma list built with `--no-default-features`, e.g.
# `tencent-cbs,rustls`). `incremental` builds default features, or FEATURES (a comma list,
# environment) with `--no-default-features`.
#
# Each measurement builds only the `cloudbackup` crate (build script + codegen run + rustc of
# the generated code) in the dev profile: dependencies are pre-built once into a shared
# target directory, then `cargo clean -p cloudbackup` before every timed `cargo build --lib`.
# Work happens in a copy of the worktree under $WORK (default target/compile-bench), so the
# checkout is never modified. Prints one TSV line per measurement: what, wall seconds, CPU
# seconds (`compare`: what, wall seconds at REV, wall seconds of the worktree, then the CPU seconds
# (user + sys of cargo and rustc) of each; the two builds alternate, so load from other
# processes hits both alike, and CPU time moves less with the load than wall time).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${WORK:-$ROOT/target/compile-bench}
REPS=${REPS:-1}
export CARGO_TARGET_DIR=$WORK/target
mkdir -p "$WORK"

copy_tree() { # $1 = destination
    rm -rf "$1"
    mkdir -p "$1"
    (cd "$ROOT" && git ls-files -z | xargs -0 cp --parents -t "$1")
    cp "$ROOT/Cargo.lock" "$1/"
}

copy_rev() { # $1 = destination, $2 = git revision, or specs:DIR (the worktree, DIR's specs)
    case $2 in
    specs:*)
        local specs=${2#specs:}
        [ -d "$specs" ] || { echo "$0: no spec tree $specs" >&2; exit 2; }
        copy_tree "$1"
        rm -rf "$1/specs"
        cp -r "$specs" "$1/specs"
        ;;
    *)
        rm -rf "$1"
        mkdir -p "$1"
        (cd "$ROOT" && git archive "$2") | tar -x -C "$1"
        ;;
    esac
}

feature_args() { # $1 = `default` or a comma list of features; prints cargo arguments
    case $1 in
    default) ;;
    *) printf '%s\n' --no-default-features --features "$1" ;;
    esac
}

build_once() { # $1 = crate dir, rest = cargo args; prints wall seconds, tab, CPU seconds
    local dir=$1
    shift
    (cd "$dir" && cargo clean -q -p cloudbackup)
    (cd "$dir" && /usr/bin/time -f '%e\t%U %S' -o "$WORK/time.out" cargo build -q --lib "$@")
    awk -F'\t' '{ split($2, c, " "); printf "%.2f\t%.2f", $1, c[1] + c[2] }' "$WORK/time.out"
}

timed_build() { # $1 = label, $2 = crate dir, rest = cargo args
    local label=$1 dir=$2
    shift 2
    (cd "$dir" && cargo build -q --lib "$@" >/dev/null 2>&1) # warm: dependencies built
    for _ in $(seq "$REPS"); do
        printf '%s\t%s\n' "$label" "$(build_once "$dir" "$@")"
    done
}

compared_build() { # $1 = label, $2 = base crate dir, $3 = worktree crate dir, rest = cargo args
    local label=$1 base=$2 head=$3
    shift 3
    (cd "$base" && cargo build -q --lib "$@" >/dev/null 2>&1) # warm: dependencies built
    (cd "$head" && cargo build -q --lib "$@" >/dev/null 2>&1)
    local b h
    for _ in $(seq "$REPS"); do
        b=$(build_once "$base" "$@")
        h=$(build_once "$head" "$@")
        printf '%s\t%s\t%s\t%s\t%s\n' "$label" "${b%%$'\t'*}" "${h%%$'\t'*}" "${b##*$'\t'}" "${h##*$'\t'}"
    done
}

SERVICES="tencent-sqlserver tencent-sqlserver-v3 tencent-redis tencent-redis-v3 tencent-cbs alibaba-dbs huawei-koophone"

# `incremental` features: FEATURES (environment), a comma list, else the default features.
INCR_ARGS=()
if [ -n "${FEATURES:-}" ]; then
    INCR_ARGS=(--no-default-features --features "$FEATURES")
fi

incremental_once() { # $1 = crate dir, $2 = spec (relative), $3 = touch | doc | code
    # Prints wall, CPU, the build script's and rustc's share (from `--timings`), and what ran.
    # Each tree builds into its own target directory (`$1.target`): cargo derives a path
    # package's metadata hash from its path *relative to the workspace root*, so two copies of
    # the crate in one target directory share fingerprints and incremental caches, and each
    # build would find the other's artefacts stale (a full rebuild every time).
    local dir=$1 spec=$2 how=$3 marker=$1.lowered-${2//\//_}
    case $how in
    touch) touch "$dir/$spec" ;;
    # A new summary: one action's generated docs change, nothing else.
    doc) sed -i "s/^summary: \(.*\)\$/summary: \1 (edit $RANDOM)/" "$dir/$spec" ;;
    # A limit changes: the first `max: N` of the spec becomes N-1 (then N again), so the
    # generated validator changes.
    code)
        if ! grep -q 'max: [0-9]' "$dir/$spec"; then printf 'n/a\tn/a\tn/a\tn/a\tno max: in %s' "$spec"; return; fi
        if [ -e "$marker" ]; then
            perl -0pi -e 's/max: (\d+)/"max: ".($1+1)/e' "$dir/$spec" && rm "$marker"
        else
            perl -0pi -e 's/max: (\d+)/"max: ".($1-1)/e' "$dir/$spec" && touch "$marker"
        fi
        ;;
    esac
    rm -rf "$dir.target/cargo-timings"
    if ! (cd "$dir" && CARGO_TARGET_DIR="$dir.target" /usr/bin/time -f '%e\t%U %S' -o "$WORK/time.out" cargo build --lib -v --timings "${INCR_ARGS[@]}" >/dev/null 2>"$WORK/build.log"); then
        printf 'FAILED\tFAILED\tFAILED\tFAILED\tbuild failed after %s of %s (see %s)' "$how" "$spec" "$WORK/build.log"
        return
    fi
    # What ran: build scripts by name, rustc by crate.
    local units shares
    units=$(grep -o 'Running `[^`]*' "$WORK/build.log" | awk '
        /build-script-build/ { n["build.rs run"]++; next }
        { for (i = 1; i < NF; i++) if ($i == "--crate-name") { n["rustc " $(i + 1)]++ } }
        END { sep = ""; for (k in n) { printf "%s%s", sep, k; sep = ", " } }')
    shares=$(python3 - "$dir.target"/cargo-timings/cargo-timing.html <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
units = json.loads(re.search(r"UNIT_DATA = (\[.*?\]);\n", text, re.S).group(1))
run = sum(u["duration"] for u in units if u["name"] == "cloudbackup" and u["mode"] == "run-custom-build")
lib = sum(u["duration"] for u in units if u["name"] == "cloudbackup" and u["mode"] != "run-custom-build")
print(f"{run:.2f}\t{lib:.2f}")
PY
) || shares=$'n/a\tn/a'
    awk -F'\t' -v u="${units:-nothing}" -v s="$shares" '{ split($2, c, " "); printf "%.2f\t%.2f\t%s\t%s", $1, c[1] + c[2], s, u }' "$WORK/time.out"
}

case ${1:-features} in
features)
    src=$WORK/crate
    copy_tree "$src"
    timed_build "all services (default)" "$src"
    for f in $SERVICES; do
        timed_build "$f only" "$src" --no-default-features --features "$f"
    done
    ;;
compare)
    rev=${2:?usage: $0 compare REV}
    base=$WORK/crate-base
    src=$WORK/crate
    copy_rev "$base" "$rev"
    copy_tree "$src"
    printf 'what\twall %s\twall worktree\tcpu %s\tcpu worktree\n' "$rev" "$rev"
    if [ $# -gt 2 ]; then
        for f in "${@:3}"; do
            mapfile -t args < <(feature_args "$f")
            compared_build "$f" "$base" "$src" "${args[@]}"
        done
    else
        compared_build "all services (default)" "$base" "$src"
        for f in $SERVICES; do
            compared_build "$f only" "$base" "$src" --no-default-features --features "$f"
        done
    fi
    ;;
actions)
    shift
    src=$WORK/crate-actions
    copy_tree "$src"
    timed_build "cbs, 0 synthetic actions" "$src" --no-default-features --features tencent-cbs
    for n in "${@:-100 1000}"; do
        tree=$WORK/specs-$n
        (cd "$ROOT" && SYNTH_TREE=$tree SYNTH_ACTIONS=$n cargo bench -q --bench codegen >/dev/null)
        rm -rf "$src/specs" && cp -r "$tree" "$src/specs"
        timed_build "cbs, $n synthetic actions" "$src" --no-default-features --features tencent-cbs
    done
    rm -rf "$src/specs" && cp -r "$ROOT/specs" "$src/specs"
    ;;
incremental)
    rev=${2:?usage: $0 incremental REV [SPEC...]}
    shift 2
    specs=("${@:-specs/tencent/redis/ManualBackupInstance.yaml specs/tencent/cbs/CreateDiskBackup.yaml}")
    read -r -a specs <<<"${specs[*]}"
    base=$WORK/crate-base
    src=$WORK/crate
    copy_rev "$base" "$rev"
    copy_tree "$src"
    rm -f "$base".lowered-* "$src".lowered-*
    (cd "$base" && CARGO_TARGET_DIR="$base.target" cargo build -q --lib "${INCR_ARGS[@]}" >/dev/null 2>&1)
    (cd "$src" && CARGO_TARGET_DIR="$src.target" cargo build -q --lib "${INCR_ARGS[@]}" >/dev/null 2>&1)
    printf 'what\twall %s\tcpu %s\tbuild.rs %s\trustc %s\tran at %s\twall worktree\tcpu worktree\tbuild.rs worktree\trustc worktree\tran in the worktree\n' "$rev" "$rev" "$rev" "$rev" "$rev"
    for spec in "${specs[@]}"; do
        for how in touch doc code; do
            for _ in $(seq "$REPS"); do
                b=$(incremental_once "$base" "$spec" "$how")
                h=$(incremental_once "$src" "$spec" "$how")
                printf '%s %s\t%s\t%s\n' "$how" "$spec" "$b" "$h"
            done
        done
    done
    ;;
*)
    echo "usage: $0 features | compare REV [FEATURES...] | actions N... | incremental REV [SPEC...]" >&2
    exit 2
    ;;
esac
