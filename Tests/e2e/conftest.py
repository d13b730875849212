"""Browser and end-to-end fixtures: a real `patchbay serve` over a fresh database on the test cluster.

`make test` exports PATCHBAY_TEST_DATABASE_URL (the throwaway cluster) before running pytest.
Fixtures:
  server      base URL of a running server (migrated, seeded, demo tenant created); session scope
  server_log  path of the server's log file (stdout + stderr), for checks that secrets never show up
  browser     a Playwright Chromium (Debian's /usr/bin/chromium), session scope
  page        a fresh page per test, 1280x800; `phone_page` is 390x844
  artifacts   folder for screenshots (test-artifacts/, git-ignored)
"""

import os
import secrets
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
BINARY = Path(os.environ.get("PATCHBAY_BIN", ROOT / ".build" / "debug" / "patchbay"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
DEMO_PASSWORD = "demo-password-" + secrets.token_hex(4)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url(name: str) -> str:
    admin = os.environ.get("PATCHBAY_TEST_DATABASE_URL")
    if not admin:
        pytest.skip("PATCHBAY_TEST_DATABASE_URL is not set: run the tests with `make test`")
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
    parts = urllib.parse.urlsplit(admin)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def _run(env, *args):
    result = subprocess.run([str(BINARY), *args], env=env, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"patchbay {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


@pytest.fixture(scope="session")
def server_env(tmp_path_factory):
    name = "patchbay_e2e_" + secrets.token_hex(6)
    key_dir = tmp_path_factory.mktemp("keys")
    env = dict(os.environ)
    env.update(
        DATABASE_URL=_database_url(name),
        PATCHBAY_MASTER_KEY_FILE=str(key_dir / "master.key"),
        PATCHBAY_DEMO_PASSWORD=DEMO_PASSWORD,
        PATCHBAY_LOG_LEVEL="debug",
        PATCHBAY_OUTBOUND_ALLOW="127.0.0.1,::1",
    )
    _run(env, "migrate")
    _run(env, "seed")
    _run(env, "demo")
    return env


@pytest.fixture(scope="session")
def server_log(tmp_path_factory):
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / "server.log"


def start_server(env, log_path):
    """Starts `patchbay serve` on a free port and waits for /readyz; returns (process, base URL)."""
    port = _free_port()
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [str(BINARY), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=1) as response:
                if response.status == 200:
                    return process, base
        except Exception:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not become ready; see " + str(log_path))


def run_cli(env, *args):
    """Runs the patchbay command line with the test server's environment; returns its stdout."""
    return _run(env, *args)


@pytest.fixture(scope="session")
def server(server_env, server_log):
    process, base = start_server(server_env, server_log)
    yield base
    process.terminate()
    assert process.wait(timeout=15) == 0, "graceful shutdown should exit 0"


@pytest.fixture(scope="session")
def demo_login():
    return {"email": "demo@patchbay.local", "password": DEMO_PASSWORD}


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"chromium not found at {CHROMIUM}: `make test` installs it")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


def _page(browser, width, height, java_script_enabled=True):
    context = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=java_script_enabled)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.console_errors = errors
    return context, page


@pytest.fixture
def page(browser):
    context, page = _page(browser, 1280, 800)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context, page = _page(browser, 390, 844)
    yield page
    context.close()


@pytest.fixture
def nojs_page(browser):
    context, page = _page(browser, 1280, 800, java_script_enabled=False)
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
