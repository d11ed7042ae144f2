#!/usr/bin/env bash
# Idempotently installs Debian's headless-capable Chromium for the HTML report test
# (test/integration/report-html.test.ts). Does nothing when the browser is already there, so the test
# command can call it on every run; needs root (or sudo) only the first time.
#   bash infra/install-chromium.sh        prints the browser path as the last line of stdout
# Env: DRIFTLINE_CHROMIUM (browser binary, default /usr/bin/chromium).
set -euo pipefail

CHROMIUM="${DRIFTLINE_CHROMIUM:-/usr/bin/chromium}"

if [[ ! -x "$CHROMIUM" ]]; then
  sudo=()
  if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null || {
      echo "install-chromium: $CHROMIUM is missing and this user cannot apt-get install (no root, no sudo)" >&2
      exit 1
    }
    sudo=(sudo)
  fi
  echo "install-chromium: installing Debian's chromium package" >&2
  # A stale package index makes apt look for versions the mirror no longer has: refresh it first.
  "${sudo[@]}" apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends chromium >&2
  [[ -x "$CHROMIUM" ]] || {
    echo "install-chromium: apt-get finished but $CHROMIUM is still missing" >&2
    exit 1
  }
fi
"$CHROMIUM" --version >&2
printf '%s\n' "$CHROMIUM"
