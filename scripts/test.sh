#!/usr/bin/env bash
# Runs every test against a throwaway PostgreSQL cluster that it starts and stops itself.
# `scripts/test.sh --filter PATTERN` runs only the matching Swift tests (no browser tests).
set -euo pipefail
cd "$(dirname "$0")/.."

pg_dir=.data/test-pg
port=${TEST_PG_PORT:-54321}
rm -rf "$pg_dir"
trap 'scripts/pg.sh stop "$pg_dir" || true; rm -rf "$pg_dir"' EXIT
PG_FSYNC=off scripts/pg.sh start "$pg_dir" "$port" >/dev/null

export PATCHBAY_TEST_DATABASE_URL
PATCHBAY_TEST_DATABASE_URL=$(scripts/pg.sh url "$pg_dir" "$port")
export PATCHBAY_TEST_PG_DIR="$PWD/$pg_dir" PATCHBAY_TEST_PG_PORT="$port"

if [ "${1:-}" = "--filter" ]; then
  swift test --skip-build --disable-swift-testing --filter "$2"
  exit $?
fi
swift test --skip-build --disable-swift-testing
scripts/e2e.sh
