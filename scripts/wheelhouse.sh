#!/usr/bin/env bash
# Fills DIR with every wheel the bot needs (the locked runtime dependencies, checked against their
# hashes, and the build backend), so that a server without internet installs it with
#     pip install --no-index --find-links DIR -r requirements.lock && pip install --no-index --find-links DIR .
# Usage: scripts/wheelhouse.sh DIR [pip download options, e.g. --python-version 3.12 --platform manylinux2014_x86_64]
# The wheels are for the Python that runs pip (PYTHON, default python3) unless options say otherwise:
# run it with the server's Python version, or pass --python-version X.Y.
set -euo pipefail
if [ $# -lt 1 ] || [ "${1#-}" != "$1" ]; then
  echo "usage: scripts/wheelhouse.sh DIR [pip download options]" >&2
  exit 2
fi
dir=$1
shift
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
LOCK=${PGI_LOCK:-requirements.lock}
[ -f "$LOCK" ] || { echo "no lock file $LOCK" >&2; exit 2; }
mkdir -p "$dir"
extra=()
if [ $# -gt 0 ]; then extra=(--only-binary=:all: "$@"); fi
# the runtime dependencies, exactly as locked (a changed or tampered file fails its hash)
"$PY" -m pip download --quiet --disable-pip-version-check --require-hashes --no-deps -r "$LOCK" -d "$dir" "${extra[@]}"
# what `pip install .` needs to build the project itself (pyproject.toml's build-system)
build=$("$PY" - <<'PYEOF'
import re, pathlib
text = pathlib.Path("pyproject.toml").read_text()
block = re.search(r"\[build-system\](.*?)(?:\n\[|\Z)", text, re.S).group(1)
print(" ".join(re.findall(r'"([^"]+)"', re.search(r"requires\s*=\s*\[(.*?)\]", block, re.S).group(1))))
PYEOF
)
# shellcheck disable=SC2086 - one argument per requirement
"$PY" -m pip download --quiet --disable-pip-version-check --no-deps -d "$dir" $build "${extra[@]}"
count=$(find "$dir" -maxdepth 1 -name '*.whl' | wc -l)
echo "wheelhouse $dir: $count wheels (from $LOCK and the build backend: $build)"
