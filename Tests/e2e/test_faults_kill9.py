"""A node killed with SIGKILL in the middle of installs, then started again: every connector it was
installing is either wholly there (its row, its sealed credentials, its audit event) or not there at
all. Checked with SQL on the database itself, then through the restarted server's API.
"""

import json
import secrets
import subprocess
import threading
import time

from faults_support import (
    TimedClient,
    new_tenant_token,
    record,
    start_extra_server,
    stop_server,
    unhandled_errors,
)

WRITERS = 16  # concurrent install loops, each on its own keep-alive connection
KILL_AFTER = 40  # installs answered 201 before the SIGKILL
SECRET_MARK = "sk-KILL9" + secrets.token_hex(12)


def install_body(name):
    return json.dumps({
        "catalog_key": "openai", "name": name, "tags": ["kill9"],
        "config": {"base_url": "https://api.openai.com/v1", "default_model": "gpt-4o-mini"},
        "auth": {"api_key": f"{SECRET_MARK}-{name.rsplit('-', 1)[1]}"},
    }).encode()


class Installs:
    """Install loops that record (name, status) for every attempt; status None when the connection
    died (the node was killed while the request was in flight or before it was sent)."""

    def __init__(self, port, token):
        self.port = port
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.outcomes = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._loop, args=(n,), daemon=True) for n in range(WRITERS)]

    def start(self):
        for thread in self.threads:
            thread.start()

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=20)

    def created(self):
        with self.lock:
            return sum(1 for _, status in self.outcomes if status == 201)

    def _loop(self, writer):
        client = TimedClient(self.port, timeout=10)
        number = 0
        while not self.stopping.is_set():
            number += 1
            name = f"kill9-{writer}-{number}"
            status, _, _, _ = client.request("POST", "/api/v1/connectors", self.headers, install_body(name))
            with self.lock:
                self.outcomes.append((name, status))
            if status is None:
                return  # the node is gone
        client.close()


def sql(env, query):
    """Rows of `query` (run with the system scope, past row-level security) as lists of strings."""
    script = "SET app.scope = 'system';\n" + query
    result = subprocess.run(
        ["psql", env["DATABASE_URL"], "-qAt", "-F", "|", "-v", "ON_ERROR_STOP=1"],
        input=script, capture_output=True, text=True, check=True)
    return [line.split("|") for line in result.stdout.splitlines() if line]


def stored_connectors(env, slug):
    """name → (has ciphertext, key version, api_key listed in auth_fields, secret absent from the
    ciphertext, installed audit events) for the workspace's connectors."""
    rows = sql(env, f"""
        SELECT c.name,
               coalesce(length(c.auth_ciphertext), 0) > 0,
               coalesce(c.auth_key_version, 0),
               c.auth_fields ? 'api_key',
               position(convert_to('{SECRET_MARK}', 'UTF8') IN coalesce(c.auth_ciphertext, ''::bytea)) = 0,
               (SELECT count(*) FROM audit_events e
                 WHERE e.target_type = 'connector' AND e.target_id = c.id::text
                   AND e.action = 'connector.installed')
        FROM connectors c JOIN tenants t ON t.id = c.tenant_id
        WHERE t.slug = '{slug}'""")
    return {name: (ciphertext == "t", int(version), listed == "t", hidden == "t", int(events))
            for name, ciphertext, version, listed, hidden, events in rows}


def orphan_events(env, slug):
    """Installed events of the workspace whose connector row does not exist."""
    return sql(env, f"""
        SELECT e.details->>'name' FROM audit_events e JOIN tenants t ON t.id = e.tenant_id
        WHERE t.slug = '{slug}' AND e.action = 'connector.installed'
          AND NOT EXISTS (SELECT 1 FROM connectors c WHERE c.id::text = e.target_id)""")


def test_kill_9_in_the_middle_of_installs_leaves_each_connector_whole_or_absent(server_env):
    slug, token = new_tenant_token(server_env, role="admin")
    process, _, port, _ = start_extra_server(server_env, "kill9")
    installs = Installs(port, token)
    try:
        installs.start()
        deadline = time.monotonic() + 60
        while installs.created() < KILL_AFTER and time.monotonic() < deadline:
            time.sleep(0.005)
        assert installs.created() >= KILL_AFTER, "installs should succeed before the kill"
        process.kill()  # SIGKILL: no shutdown, no flush, transactions cut wherever they are
        process.wait(timeout=10)
        killed_at = time.monotonic()
    finally:
        installs.stop()
        if process.poll() is None:
            process.kill()
    outcomes = installs.outcomes
    created = {name for name, status in outcomes if status == 201}
    cut = {name for name, status in outcomes if status is None}
    assert cut, "some installs were in flight when the node died"
    assert all(status in (201, None) for _, status in outcomes), {s for _, s in outcomes}

    stored = stored_connectors(server_env, slug)
    assert created <= set(stored), "every install answered 201 is stored"
    assert set(stored) <= created | cut, "nothing is stored that was never asked for"
    for name, (ciphertext, version, listed, hidden, events) in stored.items():
        assert ciphertext and version >= 1 and listed, f"{name}: credentials sealed and listed"
        assert hidden, f"{name}: the secret is not in clear in the ciphertext"
        assert events == 1, f"{name}: exactly one audit event ({events})"
    assert orphan_events(server_env, slug) == [], "no audit event without its connector"

    # The node comes back: it lists the same connectors and can open every sealed credential.
    process, _, port, log = start_extra_server(server_env, "kill9-restarted")
    try:
        back_in = time.monotonic() - killed_at
        client = TimedClient(port)
        bearer = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        status, _, body, _ = client.request("GET", "/api/v1/connectors?tag=kill9&limit=200", bearer)
        assert status == 200, body
        listed = {item["name"]: item["id"] for item in json.loads(body)["items"]}
        assert set(listed) == set(stored)
        for name, connector_id in listed.items():
            change = json.dumps({"tags": ["kill9", "checked"], "auth": {"api_key": {"unchanged": True}}}).encode()
            status, _, body, _ = client.request("PATCH", f"/api/v1/connectors/{connector_id}", bearer, change)
            assert status == 200, f"{name}: {status} {body[:200]!r}"
        cut_stored = len(set(stored) & cut)
        record(
            "kill_9_installs", writers=WRITERS, attempts=len(outcomes), answered_201=len(created),
            cut_by_the_kill=len(cut), cut_but_committed=cut_stored, cut_and_absent=len(cut) - cut_stored,
            stored=len(stored), half_applied=0, restarted_in=f"{back_in:.1f}s",
        )
        client.close()
        assert not unhandled_errors(log)
    finally:
        assert stop_server(process) == 0
