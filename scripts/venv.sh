# Sourced by run.sh and test.sh: makes sure the virtual environment ($PGI_VENV, default .venv) exists,
# was made by the Python in use, and holds what pyproject.toml and requirements.lock say. It installs
# only when one of them (or the Python, or the extras) changed since the last install: a hash of them
# is kept in $PGI_VENV/.pgi-installed. With PGI_WHEELHOUSE=DIR (see scripts/wheelhouse.sh) nothing is
# fetched from the network.

pick_python() {
  local c
  for c in ${PYTHON:-} python3.11 python3.12 python3.13 python3; do
    if command -v "$c" >/dev/null 2>&1 &&
       "$c" -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] < (3, 14))' 2>/dev/null; then
      echo "$c"
      return 0
    fi
    if [ -n "${PYTHON:-}" ] && [ "$c" = "$PYTHON" ]; then
      echo "PYTHON=$PYTHON is not a Python 3.11 to 3.13" >&2
      return 1
    fi
  done
  echo "no Python 3.11 to 3.13 found: install one (Debian/Ubuntu: apt-get install python3 python3-venv) or set PYTHON" >&2
  return 1
}

# ensure_venv EXTRAS: EXTRAS is "" (the bot) or "test" (the bot and its test tools)
ensure_venv() {
  local extras=$1 py venv version stamp want opts=()
  py=$(pick_python) || return 1
  venv=${PGI_VENV:-.venv}
  version=$("$py" -c 'import sys; print(sys.version.split()[0])')
  if [ -e "$venv" ] && { [ ! -x "$venv/bin/python" ] ||
       [ "$("$venv/bin/python" -c 'import sys; print(sys.version.split()[0])' 2>/dev/null)" != "$version" ]; }; then
    echo "$venv was made by another Python: making it again with Python $version" >&2
    rm -rf "$venv"
  fi
  [ -x "$venv/bin/python" ] || "$py" -m venv "$venv"
  want=$(cat pyproject.toml requirements.lock | sha256sum | cut -d' ' -f1)
  want="$want python=$version wheelhouse=${PGI_WHEELHOUSE:-} extras="
  stamp=$venv/.pgi-installed
  # the same files and Python, and the extras asked for (or more: the test tools do not hurt the bot)
  local have=""
  [ -f "$stamp" ] && have=$(cat "$stamp")
  if [ "$have" = "$want$extras" ] || { [ -z "$extras" ] && [ "${have%%extras=*}extras=" = "$want" ]; }; then
    return 0
  fi
  want=$want$extras
  if [ -n "${PGI_WHEELHOUSE:-}" ]; then
    opts=(--no-index --find-links "$PGI_WHEELHOUSE")
  fi
  rm -f "$stamp"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "${opts[@]}" --require-hashes -r requirements.lock
  if [ -n "$extras" ]; then
    "$venv/bin/python" -m pip install -q --disable-pip-version-check "${opts[@]}" -e ".[$extras]"
  else
    "$venv/bin/python" -m pip install -q --disable-pip-version-check "${opts[@]}" -e .  # all in the lock: nothing more
  fi
  echo "$want" > "$stamp"
}
