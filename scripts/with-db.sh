#!/usr/bin/env bash
# Runs a command with DATABASE_URL set (the project-local cluster when none is given).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/db-env.sh
exec "$@"
