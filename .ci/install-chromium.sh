#!/usr/bin/env bash
# Debian's Chromium for the browser tests (no browser download: playwright-core drives /usr/bin/chromium).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then echo "chromium: $(command -v chromium)"; exit 0; fi
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=600 chromium fonts-liberation >/dev/null
echo "chromium installed: $(command -v chromium)"
