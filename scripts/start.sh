#!/usr/bin/env bash
# `npm start`: installs what is missing (scripts/setup.sh, seconds when done), then runs
# PostgreSQL + FerretDB, Mailpit, the Temporal dev server, the worker and the API in the
# foreground until Ctrl-C. Data in .data/ (DATA_DIR). See docs/README-foundation.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
# exec: Ctrl-C goes straight to run-dev, which stops the apps and servers in order.
exec node --import tsx scripts/stack/run-dev.ts
