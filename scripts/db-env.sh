# Sourced by the run scripts: exports DATABASE_URL, starting the project-local cluster when it is unset.
if [ -z "${DATABASE_URL:-}" ]; then
  DATABASE_URL=$(scripts/pg.sh start "$PWD/.data/pg" "${PG_PORT:-54320}")
  export DATABASE_URL
  echo "patchbay: using the project-local PostgreSQL in .data/pg (port ${PG_PORT:-54320})" >&2
fi
