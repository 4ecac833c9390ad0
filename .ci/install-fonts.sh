#!/usr/bin/env bash
# DejaVu Sans for the Art. 15 PDF (api/services/person-export-pdf.ts embeds it: umlauts, Cyrillic, Arabic).
# Without it the PDF falls back to Helvetica and prints „?“ outside WinAnsi; the tests expect the font.
set -euo pipefail
if [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] && [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ]; then
  echo "fonts: DejaVu Sans present"; exit 0
fi
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=600 fonts-dejavu-core >/dev/null
echo "fonts: fonts-dejavu-core installed"
