#!/usr/bin/env bash
# Debian's headless Chromium, its WebDriver and a Hangul font for the browser tests (modules/web),
# installed with apt-get when missing. Without fonts-nanum, Korean renders as tofu boxes in screenshots.
set -euo pipefail
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
fc-list 2>/dev/null | grep -qi nanum || missing+=(fonts-nanum)
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "Browser test tools present: $(chromium --version 2>/dev/null | head -1)"
  exit 0
fi
SUDO=""
[[ "$(id -u)" -eq 0 ]] || SUDO="sudo"
echo "Installing ${missing[*]} with apt-get"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
chromium --version
