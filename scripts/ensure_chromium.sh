#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium for the browser tests (Playwright drives that
# executable; no browser is downloaded): installs Debian's package where it is missing.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

echo "Chromium is not installed: installing it from Debian's packages" >&2
as_root apt-get update -qq
DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium >/dev/null
[ -x /usr/bin/chromium ] || { echo "Debian's chromium did not install /usr/bin/chromium" >&2; exit 1; }
