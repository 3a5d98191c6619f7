#!/usr/bin/env bash
# Compile-time measurements for BENCHMARKS.md (issue 7, sections 3 and 4).
#
#   benches/scripts/compile-time.sh features         # one service feature vs all (default)
#   benches/scripts/compile-time.sh actions 100 1000 # the crate with N synthetic cbs actions
#
# Each measurement builds only the `cloudbackup` crate (build script + codegen run + rustc of
# the generated code) in the dev profile: dependencies are pre-built once into a shared
# target directory, then `cargo clean -p cloudbackup` before every timed `cargo build --lib`.
# Work happens in a copy of the worktree under $WORK (default target/compile-bench), so the
# checkout is never modified. Prints one TSV line per measurement: what, seconds.
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

timed_build() { # $1 = label, $2 = crate dir, rest = cargo args
    local label=$1 dir=$2
    shift 2
    (cd "$dir" && cargo build -q --lib "$@" >/dev/null 2>&1) # warm: dependencies built
    for _ in $(seq "$REPS"); do
        (cd "$dir" && cargo clean -q -p cloudbackup)
        local t0 t1
        t0=$(date +%s.%N)
        (cd "$dir" && cargo build -q --lib "$@")
        t1=$(date +%s.%N)
        printf '%s\t%.2f\n' "$label" "$(echo "$t1 - $t0" | bc)"
    done
}

case ${1:-features} in
features)
    src=$WORK/crate
    copy_tree "$src"
    timed_build "all services (default)" "$src"
    for f in tencent-sqlserver tencent-redis tencent-cbs alibaba-dbs huawei-koophone; do
        timed_build "$f only" "$src" --no-default-features --features "$f"
    done
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
*)
    echo "usage: $0 features | actions N..." >&2
    exit 2
    ;;
esac
