#!/usr/bin/env bash
# Installs headless Chromium for the browser tests in uitest/ (make ui-test): Debian's
# `chromium` package. A no-op when a chromium binary is already on PATH. Needs root (or
# sudo) and a Debian/Ubuntu apt; elsewhere install Chromium or Chrome by hand, or point
# BATON_CHROME at a binary.
set -euo pipefail

for b in chromium chromium-browser google-chrome google-chrome-stable; do
  if command -v "$b" >/dev/null 2>&1; then
    exit 0
  fi
done

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: no apt-get here; install Chromium by hand or set BATON_CHROME" >&2
  exit 1
fi
sudo=""
if [[ "$(id -u)" != 0 ]]; then
  sudo="sudo"
fi
echo "installing chromium with apt-get" >&2
$sudo apt-get update
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends chromium fonts-dejavu-core
