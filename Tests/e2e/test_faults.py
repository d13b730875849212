"""Fault tests against the real binary, each bounded and on 127.0.0.1 only:

- PostgreSQL stopped for ~2 s and started again while requests keep coming,
- 500 clients that send their request head one byte per second,
- thousands of idle keep-alive connections, with and without a connection cap.

Each test starts its own `patchbay serve` (with the limits it needs) on the session's database and
records its figures in test-artifacts/fault-figures.txt.
"""

import http.cookiejar
import json
import selectors
import socket
import threading
import time
import urllib.parse
import urllib.request

from faults_support import (
    Cluster,
    TimedClient,
    closed_by_peer,
    error_shape,
    memory_kib,
    ms,
    new_tenant_token,
    new_user,
    percentile,
    raise_open_files,
    read_response,
    record,
    start_extra_server,
    stop_server,
    unhandled_errors,
)

ACQUIRE_TIMEOUT = 1.0  # seconds a request may wait for a pooled connection in the outage test
OUTAGE = 2.0  # seconds PostgreSQL stays down
RECOVERY_LIMIT = 2.0  # everything succeeds again this soon after PostgreSQL is back


def sign_in(base, login):
    """A session cookie for `login`, through the real login form (CSRF cookie and Origin included)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    # Setup, not a measured step: the first page after signing in loads the catalog, which takes
    # seconds on a debug build when the machine is busy.
    with opener.open(base + "/login", timeout=30) as response:
        page = response.read().decode()
    csrf = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    form = urllib.parse.urlencode({**login, "csrf_token": csrf}).encode()
    request = urllib.request.Request(base + "/login", data=form, headers={"Origin": base})
    with opener.open(request, timeout=30):
        pass
    cookies = {cookie.name: cookie.value for cookie in jar}
    assert "pb_session" in cookies, "signing in should set the session cookie"
    return "pb_session=" + cookies["pb_session"]


class Load:
    """Background request loops, one thread per kind of request, each on its own keep-alive
    connection; every exchange is recorded as (kind, start, end, status, headers, body)."""

    def __init__(self, port, kinds):
        self.port = port
        self.kinds = kinds
        self.records = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._loop, args=(kind,), daemon=True) for kind in kinds]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def _loop(self, kind):
        make_request, pause = self.kinds[kind]
        client = TimedClient(self.port, timeout=15)
        number = 0
        while not self.stopping.is_set():
            number += 1
            method, path, headers, body = make_request(number)
            start = time.monotonic()
            status, fields, data, _ = client.request(method, path, headers, body)
            with self.lock:
                self.records.append((kind, start, time.monotonic(), status, fields, data, body))
            time.sleep(pause)
        client.close()

    def snapshot(self):
        with self.lock:
            return list(self.records)


def all_api_pages(client, path, token, key):
    """Every item of a cursor-paginated API list."""
    items, cursor = [], None
    while True:
        query = f"{path}?limit=100" + (f"&before={cursor}" if cursor else "")
        status, _, body, _ = client.request("GET", query, {"Authorization": f"Bearer {token}"})
        assert status == 200, body
        document = json.loads(body)
        items += document[key]
        cursor = document.get("next_cursor")
        if not cursor:
            return items


def test_postgresql_restart_under_load(server, server_env):
    cluster = Cluster()
    slug, token = new_tenant_token(server_env, role="admin")
    login = new_user(server_env, tenant=slug)
    # Without the identity cache every signed-in request needs the database, which is the path this
    # test is about (with it, reads answered from memory keep working through an outage).
    process, base, port, log = start_extra_server(
        server_env, "pg-restart", PATCHBAY_DB_ACQUIRE_TIMEOUT_MS=int(ACQUIRE_TIMEOUT * 1000), PATCHBAY_DB_POOL_SIZE=4,
        PATCHBAY_IDENTITY_CACHE_SECONDS=0)
    try:
        run_outage(port, base, token, login, cluster)
        assert process.poll() is None, "the server process must survive the outage"
        assert not unhandled_errors(log), unhandled_errors(log)[:3]
        check_session_server_recovers(server, token)
    finally:
        assert stop_server(process) == 0


def run_outage(port, base, token, login, cluster):
    bearer = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    session = {"Cookie": sign_in(base, login), "Accept": "text/html"}
    kinds = {
        "me": (lambda n: ("GET", "/api/v1/me", bearer, None), 0.02),
        "catalog": (lambda n: ("GET", f"/api/v1/catalog?limit=5&offset={n % 20}", bearer, None), 0.02),
        "readyz": (lambda n: ("GET", "/readyz", {}, None), 0.02),
        "page": (lambda n: ("GET", "/features/connectors/catalog", session, None), 0.02),
        "write": (
            lambda n: (
                "POST", "/api/v1/tokens", {**bearer, "Content-Type": "application/json"},
                json.dumps({"name": f"fault-{n}", "role": "viewer"}).encode(),
            ),
            0.05,
        ),
    }
    try:
        with Load(port, kinds) as load:
            time.sleep(1.0)
            stop_began = time.monotonic()
            cluster.stop()
            stopped = time.monotonic()
            time.sleep(OUTAGE)
            start_began = time.monotonic()
            cluster.start()
            started = time.monotonic()
            # Keep the load on until every kind has answered successfully for a while.
            deadline = started + RECOVERY_LIMIT + 5
            while time.monotonic() < deadline:
                late = [r for r in load.snapshot() if r[1] > started + RECOVERY_LIMIT]
                if {r[0] for r in late if r[3] in (200, 201)} == set(kinds) and len(late) > 50:
                    break
                time.sleep(0.1)
        records = load.snapshot()
    finally:
        cluster.start()  # idempotent: the cluster must be up for every later test, whatever happened
    check_outage(records, kinds, stop_began, stopped, start_began, started)
    check_writes_whole(port, token, records)


def check_outage(records, kinds, stop_began, stopped, start_began, started):
    failures = [r for r in records if r[3] not in (200, 201)]
    assert failures, "stopping PostgreSQL should fail some requests"
    odd = [(r[0], r[3], r[5][:200]) for r in failures if r[3] != 503]
    assert not odd, f"during the outage requests must get 503, never a 500 or a broken connection: {odd[:5]}"
    for kind, _, _, status, fields, body, _ in failures:
        if kind == "readyz":
            assert json.loads(body) == {"status": "not_ready", "database": "unreachable", "migrations": "unknown"}
            continue
        assert fields.get("retry-after"), f"{kind}: a 503 should say when to retry"
        if kind == "page":
            assert fields["content-type"].startswith("text/html")
            assert b"Temporarily unavailable" in body and b"Request ID" in body
        else:
            assert fields["content-type"] == "application/json"
            error = error_shape(body)
            assert error["code"] == "unavailable" and "database" in error["message"], error
    first_failure = min(r[1] for r in failures)
    last_failure = max(r[2] for r in failures)
    assert first_failure >= stop_began - 0.05, "nothing may fail before PostgreSQL stops"
    during = [r for r in records if stopped < r[1] and r[2] < start_began]
    assert {r[0] for r in during if r[3] == 503} == set(kinds), "every kind of request was refused during the outage"
    slowest_failure = max(r[2] - r[1] for r in failures)
    assert slowest_failure <= ACQUIRE_TIMEOUT + 0.5, f"failed requests must answer within the pool's wait: {slowest_failure:.2f}s"
    recovery = max(0.0, last_failure - started)
    assert recovery <= RECOVERY_LIMIT, f"requests still failed {recovery:.2f}s after PostgreSQL came back"
    after = [r for r in records if r[1] > last_failure]
    assert {r[0] for r in after if r[3] in (200, 201)} == set(kinds)
    record(
        "postgresql_restart",
        requests=len(records), failed_503=len(failures), server_500s=0,
        postgres_down=f"{start_began - stop_began:.2f}s (pg stop took {stopped - stop_began:.2f}s, start {started - start_began:.2f}s)",
        error_window=f"{last_failure - first_failure:.2f}s",
        slowest_failed_request=ms(slowest_failure),
        recovery_after_start=f"{recovery:.2f}s", recovery_after_start_began=f"{max(0.0, last_failure - start_began):.2f}s",
    )


def check_writes_whole(port, token, records):
    """Every token the writer created is fully there (row and audit event) or fully absent."""
    client = TimedClient(port)
    tokens = {t["name"]: t["id"] for t in all_api_pages(client, "/api/v1/tokens", token, "tokens")}
    events = all_api_pages(client, "/api/v1/audit-events", token, "events")
    created_events = [e["target_id"] for e in events if e["action"] == "token.created"]
    assert sorted(created_events) == sorted(tokens.values()), "each token row has exactly one audit event"
    writes = [(json.loads(r[6])["name"], r[3]) for r in records if r[0] == "write"]
    answered = [name for name, status in writes if status == 201]
    assert set(answered) <= set(tokens), "a 201 means the token is stored"
    refused_but_stored = [name for name, status in writes if status != 201 and name in tokens]
    record("postgresql_restart_writes", created=len(answered), refused=len(writes) - len(answered),
           refused_but_committed=len(refused_but_stored), half_applied=0)
    client.close()


def check_session_server_recovers(server, token):
    """The session's shared server lived through the same outage: its pool reconnects by itself."""
    client = TimedClient(int(server.rsplit(":", 1)[1]))
    deadline = time.monotonic() + RECOVERY_LIMIT
    while True:
        statuses = [
            client.request("GET", "/readyz")[0],
            client.request("GET", "/api/v1/me", {"Authorization": f"Bearer {token}"})[0],
        ]
        assert 500 not in statuses
        if statuses == [200, 200] or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert statuses == [200, 200], f"the shared server should serve again after the restart: {statuses}"
    client.close()


# ---- slow clients ----------------------------------------------------------------------------------

HEADER_TIMEOUT = 3.0
SLOW_CLIENTS = 500


class SlowClients:
    """Connections that send a request head one byte per second from one selector thread. Records, per
    connection, when it connected and when the server answered (and with what) or closed it."""

    HEAD = b"GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer pb_slow\r\n\r\n"

    def __init__(self, port, count):
        self.port = port
        self.count = count
        self.outcomes = []  # (connected_at, ended_at, first response line or None, bytes sent)
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self.thread.start()
        assert self.ready.wait(30), "the slow clients could not connect"

    def join(self, timeout):
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "some slow connections were never closed by the server"

    def _run(self):
        selector = selectors.DefaultSelector()
        state = {}
        for _ in range(self.count):
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
            sock.setblocking(False)
            state[sock] = {"connected": time.monotonic(), "sent": 0, "received": b""}
            selector.register(sock, selectors.EVENT_READ)
        self.ready.set()
        next_byte = time.monotonic()
        deadline = time.monotonic() + HEADER_TIMEOUT + 10
        while state and time.monotonic() < deadline:
            if time.monotonic() >= next_byte:
                for sock, info in state.items():
                    if info["sent"] < len(self.HEAD):
                        try:
                            info["sent"] += sock.send(self.HEAD[info["sent"]:info["sent"] + 1])
                        except (BlockingIOError, BrokenPipeError, ConnectionResetError):
                            pass
                next_byte += 1.0
            for key, _ in selector.select(timeout=max(0.0, min(0.05, next_byte - time.monotonic()))):
                sock, info = key.fileobj, state[key.fileobj]
                try:
                    chunk = sock.recv(4096)
                except ConnectionResetError:
                    chunk = b""
                except BlockingIOError:
                    continue
                info["received"] += chunk
                if not chunk:
                    first_line = info["received"].split(b"\r\n", 1)[0].decode() or None
                    self.outcomes.append((info["connected"], time.monotonic(), first_line, info["sent"]))
                    selector.unregister(sock)
                    sock.close()
                    del state[sock]
        for sock in state:
            sock.close()
        selector.close()


def measure(client, token, duration=None, count=None):
    """Latencies of a normal client alternating a liveness probe and an authenticated API call."""
    latencies, statuses = [], []
    end = time.monotonic() + duration if duration else None
    n = 0
    while (end and time.monotonic() < end) or (count and n < count):
        path, headers = ("/healthz", {}) if n % 2 == 0 else ("/api/v1/me", {"Authorization": f"Bearer {token}"})
        status, _, _, elapsed = client.request("GET", path, headers)
        statuses.append(status)
        latencies.append(elapsed)
        n += 1
        time.sleep(0.002)
    return latencies, statuses


def test_slow_clients_do_not_hold_up_a_normal_client(server_env):
    raise_open_files(SLOW_CLIENTS + 512)
    _, token = new_tenant_token(server_env, role="viewer")
    process, _, port, log = start_extra_server(server_env, "slow-clients", PATCHBAY_HEADER_TIMEOUT=HEADER_TIMEOUT)
    try:
        client = TimedClient(port)
        measure(client, token, count=50)  # warm-up: pool connections, caches
        baseline, statuses = measure(client, token, duration=1.5)
        assert set(statuses) == {200}

        slow = SlowClients(port, SLOW_CLIENTS)
        slow.start()
        during, statuses = measure(client, token, duration=HEADER_TIMEOUT - 0.5)
        assert set(statuses) == {200}, "the normal client must keep getting answers"
        slow.join(timeout=HEADER_TIMEOUT + 12)

        outcomes = slow.outcomes
        assert len(outcomes) == SLOW_CLIENTS, "every slow connection must end"
        lifetimes = [ended - connected for connected, ended, _, _ in outcomes]
        answered_408 = sum(1 for _, _, line, _ in outcomes if line and " 408 " in line + " ")
        others = [line for _, _, line, _ in outcomes if line and " 408 " not in line + " "]
        assert not others, f"slow clients get 408 or a plain close, nothing else: {others[:3]}"
        assert min(lifetimes) >= HEADER_TIMEOUT - 0.5, "no slow connection is cut before the header timeout"
        # The server closes them at the header timeout; the bound is loose because 500 client threads
        # on a busy 2-core machine may notice the close late (a functional check, not a timing one).
        ordered = sorted(lifetimes)
        assert ordered[len(ordered) // 2] <= HEADER_TIMEOUT + 1.5, f"most close at the header timeout: {ordered[len(ordered) // 2]:.2f}s"
        assert ordered[-1] <= HEADER_TIMEOUT + 10, f"every slow connection is closed: {ordered[-1]:.2f}s"
        assert max(sent for _, _, _, sent in outcomes) < len(SlowClients.HEAD), "no slow head was completed"

        base50, base99 = percentile(baseline, 0.5), percentile(baseline, 0.99)
        slow50, slow99 = percentile(during, 0.5), percentile(during, 0.99)
        # Held up by a slow client, the normal one would wait seconds; the slack only absorbs the noise
        # of a shared 2-core machine.
        assert slow50 <= max(3 * base50, base50 + 0.010), f"p50 {ms(slow50)} vs baseline {ms(base50)}"
        assert slow99 <= max(4 * base99, base99 + 0.100), f"p99 {ms(slow99)} vs baseline {ms(base99)}"
        record(
            "slow_clients",
            slow_connections=SLOW_CLIENTS, header_timeout=f"{HEADER_TIMEOUT}s", answered_408=answered_408,
            closed_without_answer=SLOW_CLIENTS - answered_408,
            closed_after=f"{min(lifetimes):.2f}-{max(lifetimes):.2f}s",
            normal_requests_baseline=len(baseline), normal_requests_during=len(during),
            baseline_p50=ms(base50), baseline_p99=ms(base99), during_p50=ms(slow50), during_p99=ms(slow99),
            during_max=ms(max(during)),
        )
        client.close()
        assert process.poll() is None
        assert not unhandled_errors(log)
    finally:
        assert stop_server(process) == 0


# ---- connection flood ------------------------------------------------------------------------------

FLOOD = 5000
FLOOD_CAP = 4000  # the second run's --max-connections: a fifth of the flood is refused
RSS_LIMIT_MIB = 128  # the whole process, 5,000 connections held (debug build)
KEEP_ALIVE_REQUEST = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


def open_idle_connections(port, count):
    """Opens `count` connections, each sending one request and reading its answer, then left idle.
    Returns (kept sockets that got a 200, answers other than 200 with whether the server then closed,
    connections the server dropped without an answer)."""
    kept, refused, dropped = [], [], 0
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        try:
            sock.sendall(KEEP_ALIVE_REQUEST)
        except (BrokenPipeError, ConnectionResetError):
            pass
        deadline = time.time() + 5
        status, headers, body = read_response(sock, deadline)
        if status == 200:
            kept.append(sock)
            continue
        if status is None:
            dropped += 1
        else:
            refused.append((status, headers.get("connection"), body, closed_by_peer(sock, deadline)))
        sock.close()
    return kept, refused, dropped


def still_open(sockets):
    """How many of `sockets` the server has not closed (nothing readable: no EOF, no reset)."""
    selector = selectors.DefaultSelector()
    for sock in sockets:
        selector.register(sock, selectors.EVENT_READ)
    readable = len(selector.select(timeout=0.2))
    selector.close()
    return len(sockets) - readable


def reuse(sockets):
    """Sends a second request on each socket; returns the statuses."""
    statuses = []
    for sock in sockets:
        sock.sendall(KEEP_ALIVE_REQUEST)
        statuses.append(read_response(sock, time.time() + 5)[0])
    return statuses


def test_connection_flood_is_held_or_refused_cleanly(server_env):
    limit = raise_open_files(FLOOD + 1024)
    flood = min(FLOOD, limit - 512)
    if flood < FLOOD:
        record("connection_flood_limited", rlimit_nofile=limit, connections=flood)
    cap = min(FLOOD_CAP, flood - flood // 5)
    _, token = new_tenant_token(server_env, role="viewer")

    # 1. No cap in reach: every connection is held, normal traffic still flows.
    process, _, port, log = start_extra_server(server_env, "flood")
    kept = []
    try:
        before = memory_kib(process.pid)
        started = time.monotonic()
        kept, refused, dropped = open_idle_connections(port, flood)
        opened_in = time.monotonic() - started
        assert (len(kept), refused, dropped) == (flood, [], 0)
        client = TimedClient(port)
        latencies, statuses = measure(client, token, count=200)
        assert set(statuses) == {200}, "normal traffic must be served while the flood is held"
        memory = memory_kib(process.pid)
        assert still_open(kept) == flood, "idle keep-alive connections are held, not dropped"
        assert set(reuse(kept[::50])) == {200}, "held connections still answer"
        assert memory["VmHWM"] < RSS_LIMIT_MIB * 1024, memory
        record(
            "connection_flood", connections=flood, opened_in=f"{opened_in:.1f}s",
            normal_p50=ms(percentile(latencies, 0.5)), normal_p99=ms(percentile(latencies, 0.99)),
            rss_before=f"{before['VmRSS'] / 1024:.1f}MiB", rss=f"{memory['VmRSS'] / 1024:.1f}MiB",
            peak_rss=f"{memory['VmHWM'] / 1024:.1f}MiB", rss_bound=f"{RSS_LIMIT_MIB}MiB",
            per_connection=f"{(memory['VmRSS'] - before['VmRSS']) / flood:.1f}KiB",
        )
        client.close()
        assert process.poll() is None and not unhandled_errors(log)
    finally:
        for sock in kept:
            sock.close()
        assert stop_server(process) == 0

    # 2. A cap below the flood: the extra connections get 503 and a close; kept ones keep working.
    process, _, port, log = start_extra_server(server_env, "flood-capped", PATCHBAY_MAX_CONNECTIONS=cap)
    kept = []
    try:
        client = TimedClient(port)
        assert measure(client, token, count=10)[1] == [200] * 10  # its keep-alive connection is one of the cap
        attempts = flood
        kept, refused, dropped = open_idle_connections(port, attempts)
        assert len(kept) == cap - 1, f"the cap counts every open connection: kept {len(kept)}"
        assert len(refused) + dropped == attempts - len(kept)
        assert all(status == 503 and connection == "close" and closed for status, connection, _, closed in refused), refused[:3]
        assert dropped <= len(refused) // 10, f"refused connections should see the 503, not a bare close ({dropped})"
        latencies, statuses = measure(client, token, count=200)
        assert set(statuses) == {200}, "connections inside the cap are served as usual"
        assert set(reuse(kept[::50])) == {200}
        for sock in kept[:100]:
            sock.close()
        time.sleep(0.3)
        again, refused_again, _ = open_idle_connections(port, 50)
        assert len(again) == 50 and not refused_again, "closing connections frees room under the cap"
        kept += again
        memory = memory_kib(process.pid)
        record(
            "connection_flood_capped", cap=cap, attempts=attempts, kept=len(kept) - 50,
            refused_503=len(refused), dropped_without_answer=dropped,
            normal_p50=ms(percentile(latencies, 0.5)), normal_p99=ms(percentile(latencies, 0.99)),
            rss=f"{memory['VmRSS'] / 1024:.1f}MiB", peak_rss=f"{memory['VmHWM'] / 1024:.1f}MiB",
        )
        client.close()
        assert process.poll() is None and not unhandled_errors(log)
    finally:
        for sock in kept:
            sock.close()
        assert stop_server(process) == 0
