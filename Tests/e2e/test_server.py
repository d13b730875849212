"""The real binary end to end: health endpoints, static assets and graceful shutdown."""

import json
import urllib.request
import urllib.error


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_readyz_reports_ready(server):
    status, _, body = fetch(server + "/readyz")
    assert status == 200
    assert json.loads(body) == {"status": "ready", "database": "ok", "migrations": "current"}


def test_static_asset_has_a_type_and_an_etag(server):
    status, headers, body = fetch(server + "/static/icons/postgresql.svg")
    assert status == 200
    assert headers["Content-Type"].startswith("image/svg+xml")
    assert "ETag" in headers
    assert body.startswith(b"<svg")


def test_access_log_lines_carry_request_ids(server, server_log):
    fetch(server + "/healthz")
    lines = [line for line in server_log.read_text().splitlines() if "msg=request" in line]
    assert lines, "expected access log lines"
    assert all("request_id=" in line for line in lines)
