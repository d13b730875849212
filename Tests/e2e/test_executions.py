"""The Run history panel in a real browser: the Run form's result appears in the panel without a
reload, Replay adds a run, a run expands to its redacted request and response, and without
JavaScript the form still works through a redirect. Also the server's own worker running queued runs.
"""

import json
import secrets
import urllib.request

import pytest
from playwright.sync_api import expect

from conftest import run_cli
from helpers import QuietHandler, document_survived, local_http_server, mark_document, screenshot, sign_in, wait_until

TOKEN_SECRET = "e2e-bearer-" + secrets.token_hex(8)


@pytest.fixture(scope="module")
def echo():
    """Answers every request with what it received (headers included) as JSON."""

    class Handler(QuietHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            self.send_json({
                "path": self.path, "headers": dict(self.headers.items()),
                "body": self.rfile.read(length).decode(),
            })

    with local_http_server(Handler) as port:
        yield port


def api(base, token, method, path, body=None):
    request = urllib.request.Request(base + path, method=method,
                                     data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Authorization", f"Bearer {token}")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, json.loads(response.read() or b"null")


def echo_connector(base, token, port, name):
    """An active custom HTTP connector POSTing the contact's email to the echo with a bearer token."""
    status, connector = api(base, token, "POST", "/api/v1/connectors", {
        "catalog_key": "custom-http", "name": name,
        "config": {"method": "POST", "url": f"http://127.0.0.1:{port}/people/{{{{input.id}}}}",
                   "body_type": "json", "body": '{"email": "{{contact.email}}"}', "retries": 0,
                   "field_mappings": [{"source_path": "$.path", "target_field": "path"}]},
        "auth": {"method": "bearer", "token": TOKEN_SECRET},
    })
    assert status == 201
    assert api(base, token, "POST", f"/api/v1/connectors/{connector['id']}/status", {"status": "active"})[0] == 200
    return connector["id"]


@pytest.fixture(scope="module")
def admin_token(server_env):
    return run_cli(server_env, "token", "create", "--tenant", "demo", "--role", "admin", "--name", "e2e-exec").strip()


def test_a_run_appears_in_the_panel_without_a_reload(page, server, demo_login, admin_token, echo, artifacts):
    connector_id = echo_connector(server, admin_token, echo, "Echo " + secrets.token_hex(3))
    detail = f"/features/connectors/installed/{connector_id}"
    sign_in(page, server, demo_login, detail)
    panel = page.locator("#executions")
    expect(panel).to_contain_text("No runs yet.")
    mark_document(page)

    page.fill("#run-input", '{"id": 42}')
    page.fill("#run-contact", '{"email": "ada@example.com"}')
    page.click("#executions button:has-text('Run')")
    run = panel.locator(".execution").first
    expect(run).to_contain_text("Completed")
    expect(run).to_contain_text("HTTP 200")
    assert document_survived(page), "the panel was swapped in place"
    expect(page.locator(".toast")).to_contain_text("The run completed")
    expect(run.locator("details")).to_have_attribute("open", "")
    expect(run).to_contain_text("/people/42")
    expect(run).to_contain_text("Bearer [redacted]")
    assert TOKEN_SECRET not in page.content()
    screenshot(page, artifacts, "execution-history")

    run.locator("button:has-text('Replay')").click()
    wait_until(lambda: panel.locator(".execution").count() == 2, message="the replay in the panel")
    expect(panel.locator(".execution").first).to_contain_text("replay")
    assert document_survived(page)

    page.fill("#run-input", "{oops")
    page.click("#executions button:has-text('Run')")
    expect(panel.locator("#run-input-error")).to_contain_text("is not valid JSON")
    expect(page.locator("#run-input")).to_have_value("{oops")
    assert panel.locator(".execution").count() == 2
    assert not [e for e in page.console_errors if "422" not in e], page.console_errors


def test_the_run_form_works_without_javascript(nojs_page, server, demo_login, admin_token, echo):
    connector_id = echo_connector(server, admin_token, echo, "Plain " + secrets.token_hex(3))
    detail = f"/features/connectors/installed/{connector_id}"
    sign_in(nojs_page, server, demo_login, detail)
    nojs_page.fill("#run-input", '{"id": 7}')
    nojs_page.fill("#run-contact", '{"email": "grace@example.com"}')
    nojs_page.click("#executions button:has-text('Run')")
    nojs_page.wait_for_url(lambda url: "execution=" in url)
    run = nojs_page.locator("#executions .execution").first
    expect(run).to_contain_text("Completed")
    expect(run.locator("details")).to_have_attribute("open", "")
    expect(run).to_contain_text("/people/7")


def test_serve_runs_queued_executions(server, admin_token, echo):
    """The session's `serve` runs a worker: queued runs complete without any other process."""
    connector_id = echo_connector(server, admin_token, echo, "Queued " + secrets.token_hex(3))
    ids = []
    for n in range(5):
        status, body = api(server, admin_token, "POST", f"/api/v1/connectors/{connector_id}/execute?async=true",
                           {"input": {"id": n}, "contact": {"email": f"person{n}@example.com"}})
        assert status == 202 and body["status"] == "pending"
        ids.append(body["execution_id"])

    def all_completed():
        return all(api(server, admin_token, "GET", f"/api/v1/executions/{id}")[1]["status"] == "completed"
                   for id in ids)

    wait_until(all_completed, timeout=30, message="the queued runs to complete")
