#!/usr/bin/env bash
# `npm run bench [-- --size whole] [--only clicks,...]`: installs what is missing (setup.sh), then
# runs bench/main.ts, which starts a private stack on free ports under .data/bench/<run>/, runs
# the benchmarks, prints the table, writes bench/results/<date>-<size>.json and always stops its
# stack. See docs/README-bench.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
exec node --import tsx bench/main.ts "$@"
