#!/usr/bin/env bash
# Makes sure Debian's Tesseract OCR with its Vietnamese model, poppler's pdftoppm (scanned PDF pages
# to images) and the DejaVu fonts (the OCR tests draw their page images with them) are installed:
# installs Debian's packages where one is missing.
set -euo pipefail

missing=()
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
if command -v tesseract >/dev/null 2>&1; then
  tesseract --list-langs 2>/dev/null | grep -qx vie || missing+=(tesseract-ocr-vie)
else
  missing+=(tesseract-ocr-vie)
fi
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

echo "Installing from Debian's packages: ${missing[*]}" >&2
as_root apt-get update -qq
DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
tesseract --list-langs 2>/dev/null | grep -qx vie \
  || { echo "tesseract-ocr-vie did not install the Vietnamese model" >&2; exit 1; }
