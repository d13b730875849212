"""Helpers for the fault and bad-input tests: extra servers, timed keep-alive clients, raw sockets,
the test cluster's stop/start, process memory figures.

Every figure a fault test measures is appended to test-artifacts/fault-figures.txt (and printed, which
`pytest -s` shows), so a run leaves the numbers behind for the release note.
"""

import http.client
import json
import os
import resource
import secrets
import socket
import subprocess
import time
from pathlib import Path

import pytest

from conftest import ARTIFACTS, BINARY, ROOT, run_cli, start_server

FIGURES = ARTIFACTS / "fault-figures.txt"


def record(test, **figures):
    """Prints a test's figures and appends them to the figures file."""
    ARTIFACTS.mkdir(exist_ok=True)
    line = f"{test}: " + ", ".join(f"{key}={value}" for key, value in figures.items())
    print(line)
    with open(FIGURES, "a") as out:
        out.write(time.strftime("%Y-%m-%dT%H:%M:%S ") + line + "\n")


# ---- servers ---------------------------------------------------------------------------------------

def start_extra_server(server_env, name, **settings):
    """Starts another `patchbay serve` on the test database with extra environment settings
    (PATCHBAY_HEADER_TIMEOUT="3", ...); returns (process, base URL, port, log path)."""
    env = dict(server_env)
    env.update({key: str(value) for key, value in settings.items()})
    log = ARTIFACTS / f"server-{name}.log"
    ARTIFACTS.mkdir(exist_ok=True)
    process, base = start_server(env, log)
    return process, base, int(base.rsplit(":", 1)[1]), log


def stop_server(process):
    """Graceful stop; returns the exit code (0 expected)."""
    if process.poll() is None:
        process.terminate()
    try:
        return process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return None


def unhandled_errors(log: Path):
    """Lines of a server log that report an error no handler expected (each one was a 500)."""
    return [line for line in log.read_text(errors="replace").splitlines() if "unhandled error" in line]


def new_user(env, tenant=None, role="viewer"):
    """A fresh account (so these tests leave the demo accounts alone), optionally a member of `tenant`;
    returns its login {"email", "password"}."""
    login = {"email": f"faults-{secrets.token_hex(4)}@example.test", "password": secrets.token_hex(12)}
    subprocess.run(
        [str(BINARY), "user", "create", login["email"], "--name", "Faults user", "--password-stdin"],
        env=env, cwd=ROOT, input=login["password"] + "\n", capture_output=True, text=True, check=True)
    if tenant:
        run_cli(env, "user", "grant", login["email"], "--tenant", tenant, "--role", role)
    return login


def new_tenant_token(env, role="admin"):
    """A fresh workspace (so a test's writes stay its own) and a bearer token for it."""
    slug = "faults-" + secrets.token_hex(4)
    run_cli(env, "tenant", "create", slug, "--name", "Faults " + slug)
    token = run_cli(env, "token", "create", "--tenant", slug, "--role", role, "--name", "faults").strip()
    return slug, token


# ---- clients ---------------------------------------------------------------------------------------

class TimedClient:
    """One keep-alive HTTP/1.1 connection that times each exchange and reconnects after a failure."""

    def __init__(self, port, timeout=10.0):
        self.port = port
        self.timeout = timeout
        self.connection = None

    def request(self, method, path, headers=None, body=None):
        """Returns (status, headers dict with lower-case names, body bytes, seconds); status is None
        (with the exception text as body) when the connection failed."""
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        start = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers or {})
            response = self.connection.getresponse()
            data = response.read()
            elapsed = time.perf_counter() - start
            fields = {name.lower(): value for name, value in response.getheaders()}
            if response.will_close:
                self.close()
            return response.status, fields, data, elapsed
        except (OSError, http.client.HTTPException) as error:
            elapsed = time.perf_counter() - start
            self.close()
            return None, {}, repr(error).encode(), elapsed

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def percentile(values, fraction):
    """The nearest-rank percentile of `values` (fraction 0.5 for p50, 0.99 for p99)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(0, min(len(ordered) - 1, int(round(fraction * len(ordered) + 0.5)) - 1))
    return ordered[rank]


def ms(seconds):
    return f"{seconds * 1000:.1f}ms"


def error_shape(body):
    """The `error` object of a JSON error body, after checking it has the one shape."""
    document = json.loads(body)
    assert set(document) == {"error"}, document
    error = document["error"]
    assert {"code", "message", "request_id"} <= set(error), error
    assert set(error) <= {"code", "message", "request_id", "fields"}, error
    assert all(isinstance(error[key], str) and error[key] for key in ("code", "message", "request_id")), error
    return error


# ---- raw sockets -----------------------------------------------------------------------------------

def read_response(sock, deadline, leftover=None):
    """Reads one response from a raw socket: (status, headers, body); (None, {}, b"") when the peer
    closed (or reset) before a complete head. Bytes past the response go to the `leftover` list."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = _recv(sock, deadline)
        if not chunk:
            return None, {}, data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = _recv(sock, deadline)
        if not chunk:
            break
        body += chunk
    if leftover is not None and len(body) > length:
        leftover.append(body[length:])
    return status, headers, body[:length]


def _recv(sock, deadline):
    sock.settimeout(max(0.01, deadline - time.time()))
    try:
        return sock.recv(65536)
    except (ConnectionResetError, socket.timeout):
        return b""


def closed_by_peer(sock, deadline):
    """True when the peer closes the connection (EOF or reset) before `deadline` without sending
    anything more (a second response would mean it read a second request)."""
    sock.settimeout(max(0.01, deadline - time.time()))
    try:
        return sock.recv(65536) == b""
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def exchange(port, raw, timeout=5.0):
    """Sends raw bytes on a fresh connection and reads one response; also says whether the server
    then closed the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        try:
            sock.sendall(raw)
        except (BrokenPipeError, ConnectionResetError):
            pass
        deadline = time.time() + timeout
        leftover = []
        status, headers, body = read_response(sock, deadline, leftover)
        return status, headers, body, not leftover and closed_by_peer(sock, deadline)


# ---- the process and the cluster -------------------------------------------------------------------

def memory_kib(pid):
    """VmRSS and VmHWM (peak RSS) of a process, in KiB."""
    figures = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            figures[name] = int(value.split()[0])
    return figures


def raise_open_files(wanted):
    """Raises this process's soft RLIMIT_NOFILE towards `wanted` (children inherit it); returns the
    new soft limit, which the hard limit may keep below `wanted`."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


class Cluster:
    """The throwaway PostgreSQL cluster scripts/test.sh started, stopped and started by scripts/pg.sh."""

    def __init__(self):
        self.directory = os.environ.get("PATCHBAY_TEST_PG_DIR")
        self.port = os.environ.get("PATCHBAY_TEST_PG_PORT")
        if not self.directory or not self.port:
            pytest.skip("PATCHBAY_TEST_PG_DIR / PATCHBAY_TEST_PG_PORT are not set: run with scripts/test.sh")

    def stop(self):
        subprocess.run([str(ROOT / "scripts/pg.sh"), "stop", self.directory], check=True, capture_output=True)

    def start(self):
        subprocess.run(
            [str(ROOT / "scripts/pg.sh"), "start", self.directory, self.port], check=True, capture_output=True)
