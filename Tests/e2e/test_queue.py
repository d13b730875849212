"""The execution queue across processes: two `patchbay worker` processes drain 500 queued executions
of a custom HTTP connector with none run twice and none lost (the local echo server counts the hits
of each run), and when one worker is killed (SIGKILL) mid-run, the runs it held are retried once
elsewhere after their short lease runs out, so nothing is lost then either.

Runs on a database of its own: the session's `serve` runs a worker too, which would take part.
"""

import json
import os
import secrets
import signal
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http.server import ThreadingHTTPServer

import pytest

from conftest import ARTIFACTS, BINARY, ROOT, _database_url, run_cli, start_server
from helpers import QuietHandler

RUNS = 500
LEASE_SECONDS = 2


class CountingEcho:
    """An HTTP server on 127.0.0.1 answering `GET /hit?run=N` after a short wait, counting hits per run."""

    def __init__(self, delay=0.05):
        self.hits = Counter()
        lock = threading.Lock()
        owner = self

        class Handler(QuietHandler):
            def do_GET(self):
                run = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query).get("run", ["?"])[0]
                with lock:
                    owner.hits[run] += 1
                time.sleep(delay)
                self.send_json({"run": run})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def total(self):
        return sum(self.hits.values())

    def stop(self):
        self.server.shutdown()


@pytest.fixture(scope="module")
def queue_env(tmp_path_factory):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=_database_url("patchbay_queue_" + secrets.token_hex(6)),
        PATCHBAY_MASTER_KEY_FILE=str(tmp_path_factory.mktemp("queue-keys") / "master.key"),
        PATCHBAY_DEMO_PASSWORD="queue-" + secrets.token_hex(6),
        PATCHBAY_LOG_LEVEL="info",
        PATCHBAY_OUTBOUND_ALLOW="127.0.0.1",
        PATCHBAY_EXECUTION_LEASE_SECONDS=str(LEASE_SECONDS),
        PATCHBAY_EXECUTION_CONCURRENCY="8",
        # The API node only queues: the two worker processes run everything.
        PATCHBAY_EXECUTION_WORKER="0",
    )
    ARTIFACTS.mkdir(exist_ok=True)
    for command in (["migrate"], ["seed"], ["demo"]):
        run_cli(env, *command)
    return env


@pytest.fixture(scope="module")
def api(queue_env):
    process, base = start_server(queue_env, ARTIFACTS / "queue-api.log")
    token = run_cli(queue_env, "token", "create", "--tenant", "demo", "--role", "admin", "--name", "queue").strip()
    yield base, token
    process.terminate()
    assert process.wait(timeout=15) == 0


@pytest.fixture
def echo():
    server = CountingEcho()
    yield server
    server.stop()


def call(base, token, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, json.loads(response.read() or b"null")


def install(api, echo, name):
    base, token = api
    status, connector = call(base, token, "POST", "/api/v1/connectors", {
        "catalog_key": "custom-http", "name": name,
        "config": {"method": "GET", "url": f"http://127.0.0.1:{echo.port}/hit?run={{{{input.n}}}}",
                   "retries": 0, "timeout_ms": 10000},
        "auth": {"method": "none"},
    })
    assert status == 201
    assert call(base, token, "POST", f"/api/v1/connectors/{connector['id']}/status", {"status": "active"})[0] == 200
    return connector["id"]


def enqueue(api, connector_id, count):
    """Queues `count` runs (input n = 0..count-1); returns {execution id: n}."""
    base, token = api

    def one(n):
        status, body = call(base, token, "POST", f"/api/v1/connectors/{connector_id}/execute?async=true",
                            {"input": {"n": n}})
        assert status == 202 and body["status"] == "pending"
        return body["execution_id"], str(n)

    with ThreadPoolExecutor(max_workers=8) as pool:
        return dict(pool.map(one, range(count)))


def rows(env, connector_id):
    """(id, status, claims, lease_owner) of the connector's executions, read across tenants."""
    sql = ("SET app.scope = 'system'; SELECT id, status, claims, coalesce(lease_owner, '') "
           f"FROM connector_executions WHERE connector_id = '{connector_id}'")
    out = subprocess.run(["psql", env["DATABASE_URL"], "-qtAF", "|", "-c", sql], check=True,
                         capture_output=True, text=True).stdout
    return [tuple(line.split("|")) for line in out.splitlines() if line]


def finish_times(env, ids):
    """Seconds since 1970 at which the executions `ids` finished."""
    listed = ",".join(f"'{id}'" for id in ids)
    sql = ("SET app.scope = 'system'; SELECT extract(epoch FROM finished_at) "
           f"FROM connector_executions WHERE id IN ({listed})")
    out = subprocess.run(["psql", env["DATABASE_URL"], "-qtA", "-c", sql], check=True,
                         capture_output=True, text=True).stdout
    return [float(line) for line in out.splitlines() if line]


def start_worker(env, node):
    log = open(ARTIFACTS / f"queue-{node}.log", "w")
    return subprocess.Popen([str(BINARY), "worker", "--node-id", node], env=env, cwd=ROOT, stdout=log,
                            stderr=subprocess.STDOUT)


def wait_until(check, timeout, message):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {message}")


def finished(env, connector_id):
    return lambda: all(status in ("completed", "failed") for _, status, _, _ in rows(env, connector_id))


def test_two_workers_drain_the_queue_once_each(queue_env, api, echo):
    connector_id = install(api, echo, "Queue drain " + secrets.token_hex(3))
    workers = [start_worker(queue_env, "drain-a"), start_worker(queue_env, "drain-b")]
    try:
        queued = enqueue(api, connector_id, RUNS)
        assert len(queued) == RUNS
        wait_until(finished(queue_env, connector_id), 120, "every run to finish")
    finally:
        for worker in workers:
            worker.terminate()
        codes = [worker.wait(timeout=30) for worker in workers]
    assert codes == [0, 0], "SIGTERM stops a worker cleanly"

    result = rows(queue_env, connector_id)
    assert len(result) == RUNS
    assert {status for _, status, _, _ in result} == {"completed"}
    assert {claims for _, _, claims, _ in result} == {"1"}, "no run was claimed twice"
    owners = Counter(owner for _, _, _, owner in result)
    assert set(owners) == {"drain-a", "drain-b"} and min(owners.values()) > 0, f"both workers ran: {owners}"
    assert echo.hits == Counter(queued.values()), "every run reached the server exactly once"


def test_a_killed_worker_loses_nothing(queue_env, api, echo):
    connector_id = install(api, echo, "Queue kill " + secrets.token_hex(3))
    queued = enqueue(api, connector_id, RUNS)
    victim = start_worker(queue_env, "kill-victim")
    survivor = start_worker(queue_env, "kill-survivor")
    try:
        wait_until(lambda: echo.total() >= 100, 60, "a hundred runs to reach the server")
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=10)
        killed_at = time.time()
        wait_until(finished(queue_env, connector_id), 120, "every run to finish")
    finally:
        survivor.terminate()
        assert survivor.wait(timeout=30) == 0

    result = rows(queue_env, connector_id)
    assert len(result) == RUNS
    assert {status for _, status, _, _ in result} == {"completed"}, "nothing was lost"
    retried = {id for id, _, claims, _ in result if claims == "2"}
    assert retried, "the victim held runs when it was killed"
    assert all(owner == "kill-survivor" for id, _, _, owner in result if id in retried)
    assert {claims for _, _, claims, _ in result} <= {"1", "2"}
    # A run reached the server once, or twice if the victim had sent it before dying; never more.
    assert set(echo.hits) == set(queued.values())
    assert max(echo.hits.values()) <= 2
    twice = {n for n, count in echo.hits.items() if count == 2}
    assert twice <= {queued[id] for id in retried}, "only retried runs were sent twice"
    # The survivor took them over only once the victim's lease had run out.
    earliest = min(finish_times(queue_env, retried))
    assert earliest >= killed_at + LEASE_SECONDS * 0.5, (earliest - killed_at)
