#!/usr/bin/env bash
# `make run`: database, migrations, catalog, demo login, then the server in the foreground.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/db-env.sh
bin=.build/release/patchbay
"$bin" migrate
"$bin" seed
exec "$bin" serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8080}"
