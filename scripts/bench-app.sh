# Sourced by scripts/bench.sh once the server is up: the application's own pages and API.
run "GET /api/v1/catalog" "http://127.0.0.1:$port/api/v1/catalog"
run "GET catalog page" "http://127.0.0.1:$port/features/connectors/catalog"
