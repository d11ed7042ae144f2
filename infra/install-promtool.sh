#!/usr/bin/env bash
# Idempotently installs promtool (Debian's prometheus package) for the rule tests
# (test/unit/infra/prometheus-rules.test.ts runs `promtool test rules`). Does nothing when promtool is already
# on the PATH, so the test command can call it on every run; needs root (or sudo) only the first time.
#   bash infra/install-promtool.sh        prints the promtool path as the last line of stdout
set -euo pipefail

if ! command -v promtool >/dev/null; then
  sudo=()
  if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null || {
      echo "install-promtool: promtool is missing and this user cannot apt-get install (no root, no sudo)" >&2
      exit 1
    }
    sudo=(sudo)
  fi
  echo "install-promtool: installing Debian's prometheus package" >&2
  # A stale package index makes apt look for versions the mirror no longer has: refresh it first.
  "${sudo[@]}" apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends prometheus >&2
  command -v promtool >/dev/null || {
    echo "install-promtool: apt-get finished but promtool is still missing" >&2
    exit 1
  }
fi
promtool --version >&2
command -v promtool
