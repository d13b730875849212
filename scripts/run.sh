#!/usr/bin/env bash
# `make run`: database, migrations, catalog, demo login, then the server in the foreground.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/db-env.sh
bin=.build/release/patchbay
host=${HOST:-127.0.0.1}
port=${PORT:-8080}
"$bin" migrate
"$bin" seed
# The demo logins: a password is printed only when the account is created (or reset with
# PATCHBAY_DEMO_PASSWORD); keep it from this first run.
demo=$("$bin" demo)
cat <<BANNER

  ┌─ Patchbay ──────────────────────────────────────────────────────────
  │ Open http://$host:$port/login
$(sed 's/^/  │ /' <<<"$demo")
  └─────────────────────────────────────────────────────────────────────

BANNER
exec "$bin" serve --host "$host" --port "$port"
