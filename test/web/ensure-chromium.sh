#!/usr/bin/env bash
# Installs Debian's chromium (and a CJK font, so that screenshots show the provinces' Chinese
# names) with apt when /usr/bin/chromium is missing. Never downloads a browser build of its own.
# Called by .ci/run before the tests; safe to run again (does nothing when chromium is there).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "ensure-chromium: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium) present"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: /usr/bin/chromium is missing and apt-get is not available" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q chromium
# The font is a nicety for readable screenshots; its absence fails nothing.
$SUDO apt-get install -y -q --no-install-recommends fonts-wqy-zenhei || echo "ensure-chromium: no CJK font installed (screenshots show boxes for Chinese names)"
echo "ensure-chromium: $(/usr/bin/chromium --version 2>/dev/null || echo installed)"
