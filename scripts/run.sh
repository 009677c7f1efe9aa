#!/usr/bin/env bash
# Installs the project in .venv (only when pyproject.toml or requirements.lock changed) and runs the
# bot: on Zalo and/or Telegram when their tokens are set, otherwise as a local chat in this terminal.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/venv.sh
ensure_venv ""
exec "${PGI_VENV:-.venv}/bin/python" -m bot "$@"
