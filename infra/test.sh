#!/usr/bin/env bash
# The test command (`npm test`): type check, lint, unit tests, then integration and end-to-end tests against
# the real local stack (started by the vitest global setup through infra/stack.sh, installed here if missing).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

[ -d node_modules ] || npm install --no-audit --no-fund
bash infra/stack.sh install
bash infra/python-env.sh >/dev/null
bash infra/install-chromium.sh
bash infra/install-promtool.sh >/dev/null

echo "== type check" && npx tsc -p tsconfig.json
echo "== lint" && npx eslint . && npx prettier --check . >/dev/null
mkdir -p reports
status=0
echo "== tests" && npx vitest run --reporter=default --reporter=json --outputFile=reports/vitest.json "$@" || status=$?
node -e '
  const r = require("./reports/vitest.json");
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' || true
exit "$status"
