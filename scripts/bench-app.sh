# Sourced by scripts/bench.sh once the server is up: the application's own pages and API, signed in
# (pages with a session cookie, the API with a token: both need one since sign-in became required).

# Installed connectors: a tenant with 50 of them, read as a signed-in owner (page) and with an API
# token (JSON). With BENCH_SCALE=1 (the default) the same runs repeat after 1,000,000 connector rows
# of 10,000 other tenants are added, to show the figures do not depend on the table's size.
base="http://127.0.0.1:$port"
bench_password="bench-password-$RANDOM$RANDOM"
PATCHBAY_DEMO_PASSWORD=$bench_password "$bin" demo >/dev/null
token=$("$bin" token create --tenant demo --role admin --name bench 2>/dev/null)
for i in $(seq -w 1 50); do
  curl -fs -o /dev/null -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
    -d "{\"catalog_key\":\"postgresql\",\"name\":\"Warehouse $i\",\"tags\":[\"bench\",\"db-$((10#$i % 5))\"],
         \"config\":{\"host\":\"db$i.internal\",\"database\":\"app\",\"user\":\"app\",\"sslmode\":\"require\"},
         \"auth\":{\"password\":\"bench-secret-$i\"}}" "$base/api/v1/connectors"
done

# A browser session: the login form's pre-session cookie and token, then the session cookie.
jar=$(mktemp)
login_token=$(curl -fs -c "$jar" "$base/login" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -1)
curl -fs -o /dev/null -b "$jar" -c "$jar" -H "Origin: $base" \
  --data-urlencode "email=demo@patchbay.local" --data-urlencode "password=$bench_password" \
  --data-urlencode "csrf_token=$login_token" "$base/login"
session=$(awk '$6 == "pb_session" {print $7}' "$jar")
rm -f "$jar"

# One wrk run with a request header (a cookie or a bearer token), printed like `run`.
run_with() {
  local name=$1 header=$2 url=$3 conns=${4:-$connections}
  curl -fs -o /dev/null -H "$header" "$url" || echo "warning: $name answered with an error" >&2
  warm_up "$url" "$conns" -H "$header"
  local out rps p50 p99
  out=$(wrk -t2 -c"$conns" -d"$duration" --latency -H "$header" "$url")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  if grep -q "Non-2xx" <<<"$out"; then echo "warning: $name had non-2xx answers" >&2; fi
  printf "%-28s %10s req/s   p50 %-8s p99 %-8s (%s connections)\n" "$name" "$rps" "$p50" "$p99" "$conns"
}

run_with "GET /api/v1/catalog" "Authorization: Bearer $token" "$base/api/v1/catalog"
run_with "GET catalog page" "Cookie: pb_session=$session" "$base/features/connectors/catalog"

installed_runs() {
  run_with "Installed page (50 cards)$1" "Cookie: pb_session=$session" "$base/features/connectors/installed"
  run_with "GET /api/v1/installed$1" "Authorization: Bearer $token" "$base/api/v1/installed" 64
}
installed_runs ""

# The same with the list cache off: every request queries the database and renders the cards.
PATCHBAY_LIST_CACHE_SECONDS=0 "$bin" serve --host 127.0.0.1 --port $((port + 1)) >>/tmp/patchbay-bench.log 2>&1 &
uncached_pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$((port + 1))/healthz" >/dev/null && break; sleep 0.1; done
uncached_runs() {
  run_with "Installed page, no cache$1" "Cookie: pb_session=$session" "http://127.0.0.1:$((port + 1))/features/connectors/installed"
  run_with "/api/v1/installed, no cache$1" "Authorization: Bearer $token" "http://127.0.0.1:$((port + 1))/api/v1/installed" 64
}
uncached_runs ""

if [ "${BENCH_SCALE:-1}" = "1" ]; then
  t0=$(ms)
  psql "$DATABASE_URL" -q -v ON_ERROR_STOP=1 <<'SQL' >/dev/null
SET app.scope = 'system';
INSERT INTO tenants (slug, name) SELECT 'scale-' || n, 'Scale ' || n FROM generate_series(1, 10000) AS n;
INSERT INTO connectors (tenant_id, catalog_id, catalog_version_id, name, config, tags)
SELECT t.id, k.id, k.latest_version_id, 'Connector ' || n, '{"host": "db.internal", "port": 5432}', '{scale}'
FROM tenants t CROSS JOIN generate_series(1, 100) AS n
JOIN catalog_connectors k ON k.key = 'postgresql' AND k.owner_tenant_id IS NULL
WHERE t.slug LIKE 'scale-%';
ANALYZE connectors;
SQL
  echo "added 1,000,000 connectors of 10,000 tenants in $(( $(ms) - t0 )) ms"
  installed_runs " (1M rows)"
  uncached_runs " (1M rows)"
fi
kill "$uncached_pid" && wait "$uncached_pid" 2>/dev/null

# Executions: a custom HTTP connector whose request goes to a local echo (HTTPBench's POST /echo),
# run through POST /api/v1/connectors/{id}/execute, next to wrk straight at the echo. The difference
# of the medians is what Patchbay adds to one call: the token check, loading the connector and
# opening its credentials, templating, two recorded writes (executing, then completed) and redaction.
swift build -c release --product HTTPBench >/dev/null
echo_port=$((port + 2))
exec_port=$((port + 3))
.build/release/HTTPBench "$echo_port" Public 1 >/dev/null 2>&1 &
echo_pid=$!
PATCHBAY_OUTBOUND_ALLOW=127.0.0.1 "$bin" serve --host 127.0.0.1 --port "$exec_port" --no-worker \
  >>/tmp/patchbay-bench.log 2>&1 &
exec_pid=$!
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$exec_port/healthz" >/dev/null && curl -fs "http://127.0.0.1:$echo_port/healthz" >/dev/null && break
  sleep 0.1
done
exec_base="http://127.0.0.1:$exec_port"
connector_json=$(ECHO_PORT=$echo_port python3 -c '
import json, os, secrets
print(json.dumps({
    "catalog_key": "custom-http", "name": "Bench echo",
    "config": {"method": "POST", "url": "http://127.0.0.1:%s/echo" % os.environ["ECHO_PORT"],
               "body_type": "json", "body": "{\"email\": \"{{contact.email}}\", \"n\": {{input.n}}}",
               "retries": 0, "field_mappings": [{"source_path": "$.email", "target_field": "email"}]},
    "auth": {"method": "bearer", "token": "bench-token-" + secrets.token_hex(8)}}))')
exec_id=$(curl -fs -H "Authorization: Bearer $token" -H "Content-Type: application/json" -d "$connector_json" \
  "$exec_base/api/v1/connectors" | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
curl -fs -o /dev/null -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
  -d '{"status": "active"}' "$exec_base/api/v1/connectors/$exec_id/status"
scripts=$(mktemp -d)
cat >"$scripts/execute.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"input": {"n": 1}, "contact": {"email": "ada@example.com"}}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
LUA
cat >"$scripts/echo.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"email": "ada@example.com", "n": 1}'
wrk.headers["Content-Type"] = "application/json"
LUA
execute_url="$exec_base/api/v1/connectors/$exec_id/execute"
curl -fs -X POST -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
  -d '{"input": {"n": 1}, "contact": {"email": "ada@example.com"}}' "$execute_url" | grep -q '"status":"completed"' ||
  echo "warning: the bench connector's run did not complete" >&2

# Microseconds from a wrk latency: 850.00us, 1.23ms, 1.02s.
micros() { awk -v t="$1" 'BEGIN { v = t + 0; if (t ~ /us$/) v = v; else if (t ~ /ms$/) v *= 1000; else if (t ~ /s$/) v *= 1000000; printf "%d", v }'; }

# One wrk run of the POST a Lua script describes, printed like `run`; sets last_rps and last_p50_us.
run_post() {
  local name=$1 script=$2 url=$3 conns=$4 threads=2 out p50 p99
  [ "$conns" -lt 2 ] && threads=1
  out=$(wrk -t"$threads" -c"$conns" -d"$duration" --latency -s "$script" "$url")
  last_rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  last_p50_us=$(micros "$p50")
  if grep -q "Non-2xx" <<<"$out"; then echo "warning: $name had non-2xx answers" >&2; fi
  printf "%-28s %10s req/s   p50 %-8s p99 %-8s (%s connections)\n" "$name" "$last_rps" "$p50" "$p99" "$conns"
}

run_post "POST /echo (direct)" "$scripts/echo.lua" "http://127.0.0.1:$echo_port/echo" 32
run_post "POST .../execute" "$scripts/execute.lua" "$execute_url" 32
echo "executions at 32 connections: $last_rps/s"

# One connection: what Patchbay adds to a single call. This VM's wake-up latency drifts by a factor
# of two within minutes, so direct and execute runs alternate in short pairs and the median of the
# pairs' differences is reported, next to a loopback PostgreSQL round trip measured alongside.
pairs=${BENCH_PAIRS:-5}
pair_duration=${BENCH_PAIR_DURATION:-3s}
differences=()
for pair in $(seq 1 "$pairs"); do
  duration=$pair_duration run_post "POST /echo (direct) #$pair" "$scripts/echo.lua" "http://127.0.0.1:$echo_port/echo" 1
  direct_p50=$last_p50_us
  duration=$pair_duration run_post "POST .../execute #$pair" "$scripts/execute.lua" "$execute_url" 1
  differences+=($((last_p50_us - direct_p50)))
done
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
echo "SELECT 1;" >"$scripts/select1.sql"
pg_round_trip=$("$(pg_config --bindir)/pgbench" -n -c1 -T3 -M prepared -f "$scripts/select1.sql" "$DATABASE_URL" 2>/dev/null |
  awk '/latency average/ { printf "%d", $4 * 1000 }')
printf "execute at 1 connection: p50 overhead %s ms over the direct call (median of %s pairs: %s us)\n" \
  "$(awk -v d="$(median "${differences[@]}")" 'BEGIN { printf "%.2f", d / 1000 }')" "$pairs" "${differences[*]}"
echo "loopback PostgreSQL round trip meanwhile (pgbench SELECT 1): ${pg_round_trip:-?} us"
recorded=$(psql "$DATABASE_URL" -qtA -c "SET app.scope = 'system'" \
  -c "SELECT count(*) FILTER (WHERE status = 'completed') || ' completed, ' || count(*) FILTER (WHERE status <> 'completed') || ' other' FROM connector_executions" | tail -1)
echo "executions recorded: $recorded"
kill "$exec_pid" "$echo_pid" && wait "$exec_pid" "$echo_pid" 2>/dev/null
rm -rf "$scripts"
