#!/usr/bin/env bash
# Makes sure LibreOffice Writer (headless: `soffice --convert-to pdf`, which renders the report to
# UBND tỉnh in the tests), poppler's pdftoppm (the PDF's pages to images) and the Liberation fonts
# (Liberation Serif has Times New Roman's metrics, so lines break where they would in Word) are
# installed: installs Debian's packages where one is missing.
set -euo pipefail

missing=()
if ! command -v soffice >/dev/null 2>&1; then
  # the variant without the GUI where Debian has it (bookworm and later), else the ordinary one
  if apt-cache show libreoffice-writer-nogui >/dev/null 2>&1; then
    missing+=(libreoffice-writer-nogui)
  else
    missing+=(libreoffice-writer)
  fi
fi
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
# Liberation 2 (Debian's fonts-liberation2): version 1 (fonts-liberation) lacks Vietnamese letters
# such as "Ỉ" (U+1EC8), which LibreOffice then draws in another font
fc-list ':charset=1ec8' family 2>/dev/null | grep -q "Liberation Serif" || missing+=(fonts-liberation2)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

echo "Installing from Debian's packages: ${missing[*]}" >&2
as_root apt-get update -qq
DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
command -v soffice >/dev/null 2>&1 || { echo "LibreOffice did not install soffice" >&2; exit 1; }
