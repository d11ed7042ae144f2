#!/usr/bin/env bash
# Idempotently creates the peer benchmark's own Python venv (NannyML, Evidently, scipy, pinned in
# requirements.txt beside this script) and prints its python path as the last line of stdout.
#   bash bench/peers/install.sh            (then: npx tsx bench/peers.ts)
# Env: DRIFTLINE_HOME (cache dir, default ~/.cache/driftline), DRIFTLINE_PYTHON (interpreter, default python3).
# Not part of `npm test`: the tests never need these packages.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=infra/lib/common.sh
source "$here/../../infra/lib/common.sh"

VENV="$DRIFTLINE_HOME/peers-venv"
REQUIREMENTS="$here/requirements.txt"
STAMP="$VENV/.driftline-requirements"

imports_ok() {
  NML_DISABLE_USAGE_LOGGING=1 DO_NOT_TRACK=1 "$VENV/bin/python" - <<'PY' 2>/dev/null
import evidently, nannyml, pandas, scipy
from evidently.presets import DataDriftPreset
from nannyml.drift.univariate import UnivariateDriftCalculator
PY
}

up_to_date() { [[ -x "$VENV/bin/python" && -f "$STAMP" ]] && cmp -s "$STAMP" "$REQUIREMENTS" && imports_ok; }

build_venv() {
  up_to_date && return 0
  local py="${DRIFTLINE_PYTHON:-python3}"
  if [[ ! -x "$VENV/bin/python" ]]; then
    info "creating Python venv $VENV with $py"
    "$py" -m venv "$VENV" || die "could not create a venv with $py (on Debian: apt-get install -y python3-venv)"
  fi
  info "installing $REQUIREMENTS into $VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$REQUIREMENTS" >&2 ||
    die "pip install -r $REQUIREMENTS failed"
  imports_ok || die "NannyML, Evidently or scipy still fail to import in $VENV"
  cp "$REQUIREMENTS" "$STAMP"
}

if ! up_to_date; then
  with_lock peers-venv build_venv
fi
printf '%s\n' "$VENV/bin/python"
