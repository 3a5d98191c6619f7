#!/usr/bin/env bash
# A short, bounded run of every cargo-fuzz target (fuzz/fuzz_targets/) from the committed seed
# corpus (fuzz/corpus/<target>/), for CI. Installs the pinned cargo-fuzz if missing.
#
#   scripts/fuzz-smoke.sh            # each target for FUZZ_SECONDS (default 20) seconds
#   FUZZ_SECONDS=600 scripts/fuzz-smoke.sh decode   # a longer run of one target
#
# Builds without a sanitizer (`-s none`: the crates are `forbid(unsafe_code)`, so libFuzzer's
# coverage guidance and the panics are what matter) and with debug assertions (`--dev`, so an
# integer overflow is a crash), which works on stable Rust. New corpus entries go to a
# temporary directory; a crash leaves its input in fuzz/artifacts/<target>/ and fails.
set -euo pipefail
cd "$(dirname "$0")/.."
CARGO_FUZZ_VERSION=0.13.1
SECONDS_EACH=${FUZZ_SECONDS:-20}

if ! cargo fuzz --version 2>/dev/null | grep -qF "$CARGO_FUZZ_VERSION"; then
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo fuzz list)
fi

cargo fuzz build --dev -s none
for t in "${targets[@]}"; do
  work=$(mktemp -d)
  echo "== fuzz $t (${SECONDS_EACH}s)"
  status=0
  cargo fuzz run --dev -s none "$t" "$work" "fuzz/corpus/$t" -- \
    -max_total_time="$SECONDS_EACH" -max_len=8192 -print_final_stats=1 >"$work.log" 2>&1 || status=$?
  grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|^Done|stat::number_of_executed_units|panicked|ERROR|SUMMARY' "$work.log" || true
  if [ "$status" -ne 0 ]; then tail -n 40 "$work.log" >&2; fi
  rm -rf "$work" "$work.log"
  if [ "$status" -ne 0 ]; then
    echo "fuzz target $t failed (exit $status); see fuzz/artifacts/$t/" >&2
    exit "$status"
  fi
done
