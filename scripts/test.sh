#!/usr/bin/env bash
# Installs the project with its test tools in .venv, makes sure PostgreSQL runs, and runs the tests
# and the dev-question score. Works on a fresh machine with Python 3.11.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
bash scripts/ensure_postgres.sh
bash scripts/ensure_chromium.sh
bash scripts/ensure_tesseract.sh
.venv/bin/python -m pytest "$@"
if [ -f ../shared/eval/score.py ]; then
  PGI_DATA_DIR="$(mktemp -d)" .venv/bin/python ../shared/eval/score.py --python .venv/bin/python
fi
