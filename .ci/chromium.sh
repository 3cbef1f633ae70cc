#!/usr/bin/env bash
# Debian's Chromium and ChromeDriver for the browser test (tests/browser.rs),
# installed when absent (needs root, as on the CI machines). Idempotent.
#   bash .ci/chromium.sh     prints the paths of chromium and chromedriver
set -euo pipefail
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH"

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "chromium.sh: chromium and chromedriver are missing and installing them needs root" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  # A fresh machine may have no package lists yet.
  apt-get install -y -q chromium chromium-driver >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null && apt-get install -y -q chromium chromium-driver >/dev/null; }
fi
command -v chromium
command -v chromedriver
