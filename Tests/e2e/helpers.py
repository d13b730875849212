"""Small helpers shared by the browser tests."""

import json
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def sign_in(page, server, login, next_path="/features/connectors/catalog"):
    """Signs in through the real login form and waits for the landing page."""
    page.goto(f"{server}/login?next={next_path}")
    page.fill("input[name=email]", login["email"])
    page.fill("input[name=password]", login["password"])
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(lambda url: url.startswith(f"{server}{next_path.split('?')[0]}"))


def mark_document(page):
    """Puts a marker on the live document: it survives partial swaps and vanishes on a full load."""
    page.evaluate("window.__noReload = 'still here'")


def document_survived(page) -> bool:
    return page.evaluate("window.__noReload === 'still here'")


def screenshot(page, artifacts: Path, name: str):
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=False)


def wait_until(check, timeout=5.0, interval=0.05, message="condition"):
    """Polls `check()` from Python: the strict CSP forbids the eval behind page.wait_for_function."""
    import time

    deadline = time.time() + timeout
    while time.time() < deadline:
        if check():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {message}")


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler for the tests' local HTTP servers: no access log on stderr, JSON answers."""

    def send_json(self, body, status=200):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@contextmanager
def local_http_server(handler_class):
    """Serves `handler_class` on 127.0.0.1 (a free port) from a thread; yields the port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
