#!/usr/bin/env bash
# `npm test`: installs what is missing (scripts/setup.sh, seconds when done), then runs jest.
# Jest's global setup starts the test servers on free ports under .test-data/<run>/ and its
# global teardown stops them. Extra arguments go to jest: `npm test -- test/foundation`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh

RUN_DIR="$ROOT/.test-data/$(date -u +%Y%m%dT%H%M%S)-$$"
export SIP_TEST_RUN_DIR="$RUN_DIR"

# When jest dies without its teardown (Ctrl-C, crash, OOM), the servers it started (detached, in
# their own process groups) would survive: stop them by the pids in the run's stack handle.
cleanup() {
  if [ -f "$RUN_DIR/running" ]; then
    node --import tsx scripts/stack/stop-interrupted-tests.ts || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

status=0
# Static checks first, on the whole run only (not when a file or pattern is named): strict types,
# and the lint rules that keep workflow code deterministic.
if [ "$#" -eq 0 ]; then
  echo "static checks: tsc --noEmit (strict), eslint"
  npx tsc --noEmit -p tsconfig.json || { echo "tests: 0 passed, 1 failed"; exit 1; }
  npx eslint --quiet . || { echo "tests: 0 passed, 1 failed"; exit 1; }
fi
npx jest "$@" || status=$?
if [ "$status" != 0 ] && [ ! -f "$RUN_DIR/summary" ]; then
  # Jest stopped before running the tests (global setup failed, bad arguments): CI still needs
  # its summary line, and it must not read as green.
  echo "test: jest exited with status $status before running the tests (see above)"
  echo "tests: 0 passed, 1 failed"
fi
exit "$status"
