#!/usr/bin/env bash
# Manages a project-local PostgreSQL cluster (loopback only, unix socket inside the data folder).
# Usage: scripts/pg.sh start DIR PORT   initialise when needed, start, create role+database, print URL
#        scripts/pg.sh stop DIR         stop (fast)
#        scripts/pg.sh url DIR PORT     print the DATABASE_URL
set -euo pipefail

cmd=${1:?usage: pg.sh start|stop|url DIR [PORT]}
dir=$(mkdir -p "${2:?data folder}" && cd "$2" && pwd)
port=${3:-54320}
bindir=$(pg_config --bindir)

# initdb and postgres refuse to run as root: run them as the postgres user then.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

url() { echo "postgresql://patchbay@127.0.0.1:${port}/patchbay?sslmode=disable"; }

case "$cmd" in
  start)
    if [ "$(id -u)" -eq 0 ]; then
      chown postgres:postgres "$dir"; chmod 700 "$dir"
      # The postgres user must be able to pass through the parent (e.g. .data/, which holds the
      # master key and may have been created 0700): execute-only, it still cannot list it.
      chmod o+x "$(dirname "$dir")"
    fi
    if [ ! -f "$dir/PG_VERSION" ]; then
      as_owner "$bindir/initdb" -D "$dir" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
      cat >>"$dir/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 200
shared_buffers = 128MB
fsync = ${PG_FSYNC:-on}
CONF
    fi
    if ! as_owner "$bindir/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
      as_owner "$bindir/pg_ctl" -D "$dir" -o "-p $port" -l "$dir/server.log" -w -t 60 start >/dev/null
    fi
    psql=("$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA)
    "${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname='patchbay'" | grep -q 1 ||
      "${psql[@]}" -c "CREATE ROLE patchbay LOGIN CREATEDB"
    "${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname='patchbay'" | grep -q 1 ||
      "${psql[@]}" -c "CREATE DATABASE patchbay OWNER patchbay"
    url
    ;;
  stop)
    if as_owner "$bindir/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
      as_owner "$bindir/pg_ctl" -D "$dir" -m fast -w stop >/dev/null
    fi
    ;;
  url) url ;;
  *) echo "unknown command: $cmd" >&2; exit 2 ;;
esac
