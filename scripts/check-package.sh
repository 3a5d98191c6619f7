#!/usr/bin/env bash
# What `cargo publish` would ship, and a dry run of publishing the workspace.
#
# 1. `cargo package --list` of both crates holds only what they need (sources, the specs
#    build.rs generates from, examples, README, licences): no tests, fixtures, benches, fuzz
#    targets or corpora, generated docs, CI files or build output.
# 2. `cargo publish --workspace --dry-run` packages both crates in dependency order and builds
#    `cloudbackup` from its package against the packaged `cloudbackup-codegen` (cargo ≥ 1.90
#    publishes a workspace whose members depend on each other through a local overlay of the
#    registry). The verification build is of the default features, in its own target
#    directory under target/package.
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
cargo publish --workspace --dry-run "${dirty[@]}"
