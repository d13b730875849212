#!/usr/bin/env bash
# `make bench`: release build, a throwaway database, then wrk against 127.0.0.1 and the micro-benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${BENCH_DURATION:-10s}
connections=${BENCH_CONNECTIONS:-64}
port=${BENCH_PORT:-18080}
pg_dir=$PWD/.data/bench-pg
pg_port=${BENCH_PG_PORT:-54322}

swift build -c release --product patchbay >/dev/null
swift build -c release --product PatchbayBench >/dev/null
bin=.build/release/patchbay

rm -rf "$pg_dir"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  scripts/pg.sh stop "$pg_dir" || true
  rm -rf "$pg_dir"
}
trap cleanup EXIT
DATABASE_URL=$(scripts/pg.sh start "$pg_dir" "$pg_port")
export DATABASE_URL PATCHBAY_LOG_LEVEL=${PATCHBAY_LOG_LEVEL:-warning}
export PATCHBAY_MASTER_KEY_FILE=$pg_dir/../bench-master.key

"$bin" migrate >/dev/null
echo "== Catalog seeding (release, whole command) =="
ms() { date +%s%3N; }
t0=$(ms); "$bin" seed >/dev/null; t1=$(ms); "$bin" seed >/dev/null; t2=$(ms)
echo "seed into an empty database: $((t1 - t0)) ms; no-op re-seed: $((t2 - t1)) ms"
"$bin" serve --host 127.0.0.1 --port "$port" >/tmp/patchbay-bench.log 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

# One wrk run: prints "name  req/s  p50  p99".
# The figures are for steady state: a short run at the same concurrency first, because a fresh
# server opens its database connections and prepares their statements on first use (the first
# burst of 64 connections on a cold server shows a p99 of a few hundred milliseconds).
warm_up() {
  local url=$1 conns=$2
  shift 2
  wrk -t1 -c"$conns" -d"${BENCH_WARMUP:-2s}" "$@" "$url" >/dev/null 2>&1 || true
}

run() {
  local name=$1 url=$2 conns=${3:-$connections}
  local out
  curl -s -o /dev/null "$url"
  warm_up "$url" "$conns"
  local threads=2
  [ "$conns" -lt 2 ] && threads=1
  out=$(wrk -t"$threads" -c"$conns" -d"$duration" --latency "$url")
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  if grep -q "Non-2xx" <<<"$out"; then echo "warning: $name had non-2xx answers" >&2; fi
  printf "%-28s %10s req/s   p50 %-8s p99 %-8s (%s connections)\n" "$name" "$rps" "$p50" "$p99" "$conns"
}

echo "== HTTP (wrk, $duration, 127.0.0.1) =="
head -c 4096 /dev/urandom | base64 -w0 | head -c 4096 >Public/bench-4k.txt
trap 'rm -f Public/bench-4k.txt; cleanup' EXIT
run "GET /healthz" "http://127.0.0.1:$port/healthz"
run "GET /healthz (1 conn)" "http://127.0.0.1:$port/healthz" 1
run "GET 4 KiB static file" "http://127.0.0.1:$port/static/bench-4k.txt"
if [ -f scripts/bench-app.sh ]; then source scripts/bench-app.sh; fi
echo "server peak RSS: $(awk '/VmHWM/ {print $2, $3}' /proc/$server_pid/status)"

echo "== Micro-benchmarks (release) =="
.build/release/PatchbayBench
