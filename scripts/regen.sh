#!/usr/bin/env bash
# Regenerates every derived, committed file from the specs (specs/) and the generator
# (codegen/). Run it from anywhere after adding or changing a spec or the generator, read the
# diff, commit it. The freshness tests name this script when a committed file is stale.
#
#   scripts/regen.sh                 checks the specs, then rewrites:
#                                      docs/api/                 the reference pages
#                                      codegen/tests/snapshots/  the generated code of every service
#                                      codegen/tests/fixture_snapshot/  the fixture service's code
#                                      specs/_schema/            the JSON Schemas of the spec format
#                                      fuzz/corpus/spec_loader/  the spec_loader seeds (a copy of
#                                                                every spec file)
#   scripts/regen.sh --spec-errors   also re-blesses the spec-error UI outputs
#                                    (codegen/tests/spec_errors/*.stderr) and the examples the
#                                    diagnostics catalog of codegen/README.md quotes from them.
#                                    Those are what the spec-error tests check: only bless a
#                                    change of a diagnostic you meant, and read the diff.
#
# Not touched: tests/ui/*.stderr (compile-fail outputs follow rustc's wording; bless them with
# `TRYBUILD=overwrite cargo test --test compile_fail`) and the generated code in OUT_DIR
# (build.rs writes it on every build).
#
# Stops at the first failure with a non-zero status, printing the generator's diagnostics
# (every problem of every spec file, and a service without its Cargo feature).
set -euo pipefail
cd "$(dirname "$0")/.."

spec_errors=0
for arg in "$@"; do
  case "$arg" in
    --spec-errors) spec_errors=1 ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "scripts/regen.sh: unknown argument \`$arg\` (try --help)" >&2
      exit 2
      ;;
  esac
done

# One build of the generator's command line, with the schema feature, for every step. `$CARGO`
# (set by cargo for the processes it runs) when there is one.
cargo=${CARGO:-cargo}
codegen=("$cargo" run --quiet -p cloudbackup-codegen --features schema --)

echo "== check the specs"
"${codegen[@]}" check specs
echo "== docs/api"
"${codegen[@]}" docs specs docs/api
echo "== codegen/tests/snapshots"
"${codegen[@]}" snapshots specs codegen/tests/snapshots
echo "== codegen/tests/fixture_snapshot (the fixture service of every construct)"
EXPECTORATE=overwrite "$cargo" test -q -p cloudbackup-codegen --test fixture_snapshot
echo "== specs/_schema"
"${codegen[@]}" schema specs/_schema

echo "== fuzz/corpus/spec_loader"
corpus=fuzz/corpus/spec_loader
rm -rf "$corpus"
mkdir -p "$corpus"
shopt -s nullglob
copied=0
for f in specs/[!_]*/_provider.yaml specs/[!_]*/*/*.yaml; do
  rel=${f#specs/}
  cp "$f" "$corpus/${rel//\//_}"
  copied=$((copied + 1))
done
echo "copied $copied spec files to $corpus"

if [ "$spec_errors" -eq 1 ]; then
  echo "== codegen/tests/spec_errors/*.stderr and the catalog of codegen/README.md"
  EXPECTORATE=overwrite "$cargo" test --quiet -p cloudbackup-codegen --test spec_errors
fi

echo "== regenerated; review with: git status --short && git diff --stat"
