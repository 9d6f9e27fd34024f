#!/usr/bin/env bash
# What the tests need from Debian beyond PostgreSQL and Redis, installed by the project when
# missing (no test tool downloads its own binaries on these machines):
# - chromium: the browser the end-to-end tests drive (playwright-core);
# - faketime: libfaketime, which sets the fault suite's services' system clock back under an hour
#   so a deadline comes due during the run on the production path (tools/faults/sandbox.ts).
#   scripts/infra/test-packages.sh ensure    install what is missing
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

# package: how to tell it is there
declare -A PRESENT=(
  [chromium]='command -v chromium'
  [faketime]='ls /usr/lib/*/faketime/libfaketimeMT.so.1 /usr/lib/faketime/libfaketimeMT.so.1'
)

case "${1:-ensure}" in
  ensure)
    missing=()
    for package in "${!PRESENT[@]}"; do
      eval "${PRESENT[$package]}" >/dev/null 2>&1 || missing+=("$package")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
      started=$(now_s)
      echo "test packages: installing ${missing[*]} (apt-get)…"
      sudo_cmd=""
      [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
      $sudo_cmd apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
      echo "test packages: installed in $(elapsed "$started") s"
    fi
    echo "test packages: $(chromium --version 2>/dev/null | head -1); libfaketime $(dpkg-query -W -f='${Version}' faketime 2>/dev/null)"
    ;;
  *) echo "usage: $0 ensure" >&2; exit 2 ;;
esac
