"""Two `patchbay serve` processes on one database, as behind a load balancer: a session made on one
node works on the other (and ends on both when it ends), and a catalog change made elsewhere, or
through one node's own API, reaches both within a second."""

import http.cookiejar
import json
import re
import secrets
import shutil
import subprocess
import time
import urllib.parse
import urllib.request

import pytest

from conftest import ARTIFACTS, BINARY, ROOT, run_cli, start_server
from faults_support import record
from helpers import sign_in


def get_json(base, path, token):
    request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def stop(process):
    process.terminate()
    assert process.wait(timeout=15) == 0


@pytest.fixture
def second_node(server_env):
    process, base = start_server(server_env, ARTIFACTS / "server-2.log")
    yield base
    stop(process)


def wait_for_version(bases, key, version, token, limit=1.0):
    """Polls every node until all serve `version` of `key`; returns what each served last and when."""
    started = time.time()
    seen = {}
    while time.time() < started + limit:
        seen = {base: get_json(base, f"/api/v1/catalog/{key}", token)["version"] for base in bases}
        if set(seen.values()) == {version}:
            break
        time.sleep(0.02)
    return seen, time.time() - started


def bumped(key, description):
    """The seed manifest of `key` with its patch version raised and a new description."""
    manifest = json.loads((ROOT / f"Seeds/connectors/{key}.json").read_text())
    major, minor, patch = manifest["version"].split(".")
    manifest["version"] = f"{major}.{minor}.{int(patch) + 1}"
    manifest["description"] = description
    return manifest


def test_a_catalog_sync_reaches_every_node_within_a_second(server, server_env, second_node, tmp_path):
    token = run_cli(server_env, "token", "create", "--tenant", "demo", "--role", "viewer", "--name", "two-nodes").strip()
    for base in (server, second_node):
        assert get_json(base, "/api/v1/catalog/discord", token)["version"] == "1.0.0"

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    manifest = bumped("discord", "Posts messages to Discord channels (two-node test).")
    (seeds / "discord.json").write_text(json.dumps(manifest, indent=2))
    run_cli(server_env, "seed", "--from", str(seeds))  # a third process makes the change

    seen, took = wait_for_version((server, second_node), "discord", manifest["version"], token)
    assert set(seen.values()) == {manifest["version"]}, f"both nodes should serve the new version within 1 s: {seen}"
    record("two_nodes_cli_seed", both_nodes_serve_it_after=f"{took:.2f}s")


def test_a_sync_through_one_nodes_api_reaches_the_other_within_a_second(server, server_env, second_node, tmp_path):
    """A superuser syncs the platform catalog through node A's API (node A's own Seeds/ folder, here a
    copy holding one bumped manifest); node B serves the new version within a second."""
    root = tmp_path / "root"
    (root / "Seeds/connectors").mkdir(parents=True)
    for shared in ("Migrations", "Templates", "Public", "docs"):
        shutil.copytree(ROOT / shared, root / shared)  # copies: the template loader skips symlinks
    manifest = bumped("trello", "Boards, lists and cards (synced through node A).")
    (root / "Seeds/connectors/trello.json").write_text(json.dumps(manifest, indent=2))
    node_a, base_a = start_server({**server_env, "PATCHBAY_ROOT": str(root)}, ARTIFACTS / "server-sync.log")
    try:
        login = {"email": f"root-{secrets.token_hex(4)}@example.test", "password": secrets.token_hex(12)}
        subprocess.run(
            [str(BINARY), "user", "create", login["email"], "--name", "Platform admin", "--superuser", "--password-stdin"],
            env=server_env, cwd=ROOT, input=login["password"] + "\n", capture_output=True, text=True, check=True)
        run_cli(server_env, "user", "grant", login["email"], "--tenant", "demo", "--role", "viewer")
        token = run_cli(server_env, "token", "create", "--tenant", "demo", "--role", "viewer", "--name", "sync").strip()
        before = get_json(second_node, "/api/v1/catalog/trello", token)["version"]
        assert before != manifest["version"]

        cookie, csrf = browser_session(base_a, login)
        request = urllib.request.Request(
            base_a + "/api/v1/admin/catalog/sync", data=b"", method="POST",
            headers={"Cookie": cookie, "X-CSRF-Token": csrf, "Origin": base_a})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert json.loads(response.read())["upgraded"] == ["trello"]
        seen, took = wait_for_version((base_a, second_node), "trello", manifest["version"], token)
        assert set(seen.values()) == {manifest["version"]}, f"node B should follow node A's sync within 1 s: {seen}"
        assert took < 1.0
        record("two_nodes_api_sync", other_node_serves_it_after=f"{took:.2f}s")
    finally:
        stop(node_a)


def browser_session(base, login):
    """Signs in through the login form with urllib; returns the session cookie and its CSRF token."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base + "/login", timeout=5) as response:
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', response.read().decode()).group(1)
    form = urllib.parse.urlencode({**login, "csrf_token": csrf}).encode()
    with opener.open(urllib.request.Request(base + "/login", data=form, headers={"Origin": base}), timeout=10) as page:
        token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.read().decode()).group(1)
    cookies = {cookie.name: cookie.value for cookie in jar}
    return "pb_session=" + cookies["pb_session"], token


def test_a_session_made_on_one_node_works_on_the_other(server, second_node, page, demo_login):
    """Log in through node A's form; the same browser is signed in on node B (cookies ignore the port,
    as they would behind one load-balanced host), can use the API there, and logging out on B ends
    the session on A too."""
    sign_in(page, server, demo_login)
    page.goto(second_node + "/features/connectors/catalog")
    assert page.url.startswith(second_node + "/features/connectors/catalog"), "node B must not ask to log in"
    assert page.locator(".user-menu-name").inner_text().strip() != ""
    me = page.request.get(second_node + "/api/v1/me")
    assert me.status == 200 and me.json()["user"]["email"] == demo_login["email"]

    page.locator(".user-menu-button").click()
    page.locator("form[action='/logout'] button").click()
    page.wait_for_url(lambda url: url.startswith(second_node + "/login"))
    page.goto(server + "/features/connectors/catalog")
    assert page.url.startswith(server + "/login"), "the session ended on node A as well"
