#!/usr/bin/env bash
# The browser the end-to-end tests drive (playwright-core): Debian's Chromium, installed by the
# project when missing (no test tool downloads its own browser on these machines).
#   scripts/infra/browser.sh ensure    install /usr/bin/chromium if it is not there
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

case "${1:-ensure}" in
  ensure)
    if command -v chromium >/dev/null 2>&1; then
      echo "browser: $(chromium --version 2>/dev/null | head -1)"
      exit 0
    fi
    started=$(now_s)
    echo "browser: installing Debian's chromium (apt-get)…"
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
    echo "browser: $(chromium --version 2>/dev/null | head -1) installed in $(elapsed "$started") s"
    ;;
  *) echo "usage: $0 ensure" >&2; exit 2 ;;
esac
