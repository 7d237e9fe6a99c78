#!/usr/bin/env bash
# Makes sure the browser tests (test/browser, pnpm bench:browser) have a Chromium to drive.
# Playwright's browser downloads do not work on these machines, so the tests use a system
# Chromium: $WEFT_CHROMIUM, or Debian's package at /usr/bin/chromium. When it is missing and this
# runs as root on a Debian-like system, installs the package with apt-get; otherwise says how.
set -euo pipefail

chromium="${WEFT_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$chromium" ]; then
  echo "chromium: $chromium ($("$chromium" --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi

if [ -n "${WEFT_CHROMIUM:-}" ]; then
  echo "WEFT_CHROMIUM is set to $WEFT_CHROMIUM, which is not an executable." >&2
  exit 1
fi

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "chromium is missing: installing Debian's package (apt-get install chromium)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends chromium
  exec "$chromium" --version
fi

cat >&2 <<'HELP'
chromium is missing, and this script installs it only as root on Debian or Ubuntu.
  Debian/Ubuntu:  sudo apt-get install -y chromium    (or: sudo scripts/ensure-chromium.sh)
  elsewhere:      install Chromium or Chrome, then export WEFT_CHROMIUM=/path/to/the/binary
HELP
exit 1
