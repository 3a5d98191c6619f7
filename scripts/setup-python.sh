#!/usr/bin/env bash
# Installs the vendors' official Python SDKs used by tests/vendor_sdks.rs, and the vendor
# metadata the codegen's `import` and `drift` commands read (tccli's API 3.0 `api.json` files,
# the SDKs' models), into a venv under target/pyenv. Idempotent: a venv whose pinned requirements are already installed is kept
# (a stamp file records them), so a second run takes well under a second.
#
#   scripts/setup-python.sh          # create or refresh target/pyenv
#   PYTHON=python3.12 scripts/...    # choose the interpreter (default: python3)
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
VENV="target/pyenv"
REQ="scripts/python-requirements.txt"
STAMP="$VENV/.requirements.stamp"

if [[ -x "$VENV/bin/python" && -f "$STAMP" ]] && cmp -s "$REQ" "$STAMP"; then
    echo "setup-python: $VENV is up to date"
    exit 0
fi

if ! command -v "$PYTHON" >/dev/null 2>&1; then
    echo "setup-python: $PYTHON not found; install Python 3.8+ (with the venv module)" >&2
    exit 1
fi

rm -rf "$VENV"
mkdir -p target
"$PYTHON" -m venv "$VENV"
PIP=("$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input)
# tccli is read for its metadata files only: it goes in without its dependencies (the whole
# tencentcloud-sdk-python, which would overwrite the pinned per-service packages).
grep -v '^tccli==' "$REQ" >"$VENV/requirements-with-deps.txt"
"${PIP[@]}" -r "$VENV/requirements-with-deps.txt"
"${PIP[@]}" --no-deps "$(grep '^tccli==' "$REQ")"
"$VENV/bin/python" - <<'PY'
import tencentcloud.cbs.v20170312.cbs_client  # noqa: F401
import alibabacloud_dbs20190306.client  # noqa: F401
import alibabacloud_tea_openapi.models  # noqa: F401
import os, tccli
assert os.path.exists(os.path.join(os.path.dirname(tccli.__file__), "services/cbs/v20170312/api.json"))
PY
cp "$REQ" "$STAMP"
echo "setup-python: installed $(wc -l <"$REQ") pinned packages into $VENV"
