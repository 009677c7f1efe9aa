#!/usr/bin/env bash
# Installs the project with its test tools in .venv (only when something changed), makes sure
# PostgreSQL runs, and runs the tests and the dev-question score. Works on a fresh machine with
# Python 3.11 to 3.13 (PYTHON and PGI_VENV choose another interpreter and environment).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/venv.sh
ensure_venv test
venv=${PGI_VENV:-.venv}
bash scripts/ensure_postgres.sh
bash scripts/ensure_chromium.sh
bash scripts/ensure_tesseract.sh
bash scripts/ensure_libreoffice.sh
"$venv/bin/python" -m pytest "$@"
if [ -f ../shared/eval/score.py ] && [ -z "${PGI_SKIP_SCORE:-}" ]; then
  PGI_DATA_DIR="$(mktemp -d)" "$venv/bin/python" ../shared/eval/score.py --python "$venv/bin/python"
fi
