#!/usr/bin/env bash
# Installs the project in .venv and runs the bot: on Telegram when TELEGRAM_BOT_TOKEN is set,
# otherwise as a local chat in this terminal.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e .
exec .venv/bin/python -m bot "$@"
