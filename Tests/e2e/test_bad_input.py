"""A corpus of bad input for the JSON API and malformed HTTP for the server, against the real binary.

Every bad JSON body gets a 4xx in the one error shape `{"error": {"code", "message", "request_id"}}`
(413 included: the HTTP layer answers it in that shape on /api/ paths), the server keeps serving and
its log shows no unhandled error. The corpus goes to every endpoint that reads a JSON body: tokens,
members, the catalog, and installing, replacing, changing, activating and checking connectors.
Unknown fields in an otherwise valid body are ignored (documented in the README and the OpenAPI
document); the manifest of POST /api/v1/catalog is the exception, its JSON Schema refuses them.
"""

import json
import secrets

import pytest

from conftest import ROOT
from faults_support import (
    TimedClient,
    error_shape,
    exchange,
    new_tenant_token,
    new_user,
    record,
    start_extra_server,
    stop_server,
    unhandled_errors,
)

TEN_MB = 10 * 1024 * 1024


@pytest.fixture(scope="module")
def api(server_env):
    """A server of its own (its process and log are checked at the end), an owner token for a fresh
    workspace, and a member to PATCH."""
    slug, token = new_tenant_token(server_env, role="owner")
    member_email = new_user(server_env, tenant=slug)["email"]
    outsider_email = new_user(server_env)["email"]
    process, _, port, log = start_extra_server(server_env, "bad-input")
    try:
        client = TimedClient(port)
        status, _, body, _ = client.request("GET", "/api/v1/members", {"Authorization": f"Bearer {token}"})
        client.close()
        assert status == 200, body
        member = next(m for m in json.loads(body)["members"] if m["email"] == member_email)
        client = TimedClient(port)
        status, _, body, _ = client.request(
            "POST", "/api/v1/connectors", {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            json.dumps(valid_install()).encode())
        client.close()
        assert status == 201, body
        yield {
            "port": port, "token": token, "member": member["user_id"], "outsider": outsider_email,
            "connector": json.loads(body)["id"], "process": process, "log": log,
        }
        assert process.poll() is None, "the server must survive the whole corpus"
        assert not unhandled_errors(log), unhandled_errors(log)[:3]
    finally:
        assert stop_server(process) == 0


def valid_manifest():
    manifest = json.loads((ROOT / "Seeds/connectors/custom-http.json").read_text())
    manifest["key"] = "faults-private-" + secrets.token_hex(3)
    manifest["name"] = "Faults private " + manifest["key"][-6:]
    return manifest


def valid_install():
    return {
        "catalog_key": "openai", "name": "Bad input " + secrets.token_hex(4), "tags": ["faults"],
        "config": {"base_url": "https://api.openai.com/v1", "default_model": "gpt-4o-mini"},
        "auth": {"api_key": "sk-" + secrets.token_hex(12)},
    }


def endpoints(api):
    """(label, method, path, a valid body, its success status) for each JSON-accepting endpoint."""
    connector = f"/api/v1/connectors/{api['connector']}"
    openai = {"base_url": "https://api.openai.com/v1", "default_model": "gpt-4o-mini"}
    return [
        ("tokens", "POST", "/api/v1/tokens", {"name": "bad-input", "role": "viewer"}, 201),
        ("members", "POST", "/api/v1/members", {"email": api["outsider"], "role": "viewer"}, 201),
        ("member", "PATCH", f"/api/v1/members/{api['member']}", {"role": "developer"}, 200),
        ("catalog", "POST", "/api/v1/catalog", valid_manifest(), 201),
        ("install", "POST", "/api/v1/connectors", valid_install(), 201),
        ("replace", "PUT", connector, {"name": "Replaced " + secrets.token_hex(3), "config": openai}, 200),
        ("change", "PATCH", connector, {"tags": ["faults", "changed"]}, 200),
        ("status", "POST", connector + "/status", {"status": "active"}, 200),
        ("validate", "POST", "/api/v1/validate-config", {"catalog_key": "openai", "config": openai}, 200),
    ]


def send(api, method, path, body, content_type="application/json", headers=None):
    fields = {"Authorization": f"Bearer {api['token']}", **(headers or {})}
    if content_type:
        fields["Content-Type"] = content_type
    client = TimedClient(api["port"], timeout=30)
    try:
        status, response_headers, data, _ = client.request(method, path, fields, body)
    finally:
        client.close()
    return status, response_headers, data


def nested(depth, kind="array"):
    if kind == "array":
        return b"[" * depth + b"]" * depth
    return b'{"a":' * depth + b"1" + b"}" * depth


# Bodies that are wrong for every endpoint, with the status they get: 400 when the body is not JSON
# (or, for the identity endpoints, not a JSON object). The catalog checks a manifest that is valid JSON
# against its JSON Schema: a top-level array or string is a 422 there, with the field errors.
GENERIC = [
    ("truncated JSON", b'{"name": "x", "role": ', 400),
    ("unquoted key", b'{name: "x"}', 400),
    ("single quotes", b"{'name': 'x'}", 400),
    ("trailing comma", b'{"name": "x",}', 400),
    ("two values", b'{"name": "x"} {"name": "y"}', 400),
    ("bare word", b"nul", 400),
    ("NaN", b'{"role": NaN}', 400),
    ("comment", b'{"role": "viewer" /* c */}', 400),
    ("top-level array", b"[]", 400, 422),
    ("top-level string", b'"viewer"', 400, 422),
    ("top-level number", b"42", 400, 422),
    ("top-level null", b"null", 400, 422),
    ("number 1e400", b'{"role": 1e400}', 400),
    ("number -1e400", b'{"role": -1e400}', 400),
    ("arrays nested 100 deep", nested(100), 400),
    ("arrays nested 10,000 deep", nested(10_000), 400),
    ("objects nested 10,000 deep", nested(10_000, "object"), 400),
    ("100,000 unclosed arrays", b"[" * 100_000, 400),
    ("a member holding arrays nested 200 deep", b'{"name": ' + nested(200) + b', "role": "viewer"}', 400),
    ("invalid UTF-8", b'{"name": "\xff\xfe", "role": "viewer"}', 400),
    ("overlong UTF-8", b'{"name": "\xc0\xaf", "role": "viewer"}', 400),
    ("UTF-8 surrogate bytes", b'{"name": "\xed\xa0\x80", "role": "viewer"}', 400),
    ("UTF-16 body", '{"role": "viewer"}'.encode("utf-16"), 400),
    ("lone surrogate escape", b'{"name": "\\ud800", "role": "viewer"}', 400),
    ("raw NUL byte in a string", b'{"name": "a\x00b", "role": "viewer"}', 400),
    ("raw control byte in a string", b'{"name": "a\x01b", "role": "viewer"}', 400),
    ("empty body", b"", 400),
    ("whitespace only", b" \r\n\t ", 400),
]

# Bodies that are JSON objects with wrong values, per endpoint: 422 with field errors, or 400.
SPECIFIC = {
    "tokens": [
        ("name is a number", {"name": 5, "role": "viewer"}, 422),
        ("name is an array", {"name": ["x"], "role": "viewer"}, 422),
        ("role is a number", {"name": "x", "role": 7}, 422),
        ("unknown role", {"name": "x", "role": "superuser"}, 422),
        ("role missing", {"name": "x"}, 422),
        ("expiry is text", {"name": "x", "role": "viewer", "expires_in_days": "ten"}, 422),
        ("expiry is fractional", {"name": "x", "role": "viewer", "expires_in_days": 1.5}, 422),
        ("expiry 1e308", {"name": "x", "role": "viewer", "expires_in_days": 1e308}, 422),
        ("expiry 99999999999999999999999", b'{"name": "x", "role": "viewer", "expires_in_days": 99999999999999999999999}', 422),
        ("expiry 1e400", b'{"name": "x", "role": "viewer", "expires_in_days": 1e400}', 400),
        ("expiry negative", {"name": "x", "role": "viewer", "expires_in_days": -5}, 422),
        ("NUL in the name", {"name": "a\u0000b", "role": "viewer"}, 400),
        ("name of 100,000 characters", {"name": "x" * 100_000, "role": "viewer"}, 422),
    ],
    "members": [
        ("email is a number", {"email": 5, "role": "viewer"}, 422),
        ("email is an object", {"email": {"a": 1}, "role": "viewer"}, 422),
        ("role is null", {"email": "someone@example.test", "role": None}, 422),
        ("NUL in the email", {"email": "someone\u0000@example.test", "role": "viewer"}, 400),
        ("huge email", {"email": "a" * 100_000 + "@x.example", "role": "viewer"}, 422),
    ],
    "member": [
        ("role is a number", {"role": 1}, 422),
        ("role is a bool", {"role": True}, 422),
        ("role missing", {}, 422),
        ("NUL in the role", {"role": "viewer\u0000"}, 422),
    ],
    "install": [
        ("catalog_key is a number", {**valid_install(), "catalog_key": 5}, 422),
        ("unknown catalog_key", {**valid_install(), "catalog_key": "no-such-connector"}, 422),
        ("name is an object", {**valid_install(), "name": {"a": 1}}, 422),
        ("name of 100,000 characters", {**valid_install(), "name": "x" * 100_000}, 422),
        ("config is a string", {**valid_install(), "config": "host=db"}, 422),
        ("config value of the wrong type", {**valid_install(), "config": {"base_url": 5, "default_model": "m"}}, 422),
        ("config value 1e308", {**valid_install(), "config": {"base_url": "https://x.example", "default_model": 1e308}}, 422),
        ("auth is an array", {**valid_install(), "auth": ["sk-x"]}, 422),
        ("tags is a string", {**valid_install(), "tags": "prod"}, 422),
        ("tags hold numbers", {**valid_install(), "tags": [1, 2]}, 422),
        ("NUL in the name", {**valid_install(), "name": "a\u0000b"}, 422),
        ("config nested 40 deep", {**valid_install(), "config": {"x": json.loads(nested(40))}}, 400),
    ],
    "replace": [
        ("name missing", {"config": {}}, 422),
        ("config missing", {"name": "x"}, 422),
        ("row_version is text", {"name": "x", "config": {}, "row_version": "three"}, 422),
        ("row_version 1e308", {"name": "x", "config": {}, "row_version": 1e308}, 422),
        ("row_version 99999999999999999999999", b'{"name": "x", "config": {}, "row_version": 99999999999999999999999}', 422),
    ],
    "change": [
        ("tags is an object", {"tags": {"a": "b"}}, 422),
        ("config is a number", {"config": 7}, 422),
        ("name of 121 characters", {"name": "n" * 121}, 422),
        ("stale row_version", {"tags": ["x"], "row_version": 999}, 409),
    ],
    "status": [
        ("status is a number", {"status": 1}, 422),
        ("status error", {"status": "error"}, 422),
        ("status missing", {}, 422),
        ("row_version is an array", {"status": "active", "row_version": [1]}, 422),
    ],
    "validate": [
        ("catalog_key missing", {"config": {}}, 422),
        ("catalog_key is a bool", {"catalog_key": True}, 422),
        ("config is an array", {"catalog_key": "openai", "config": []}, 422),
    ],
    "catalog": [
        ("empty manifest", {}, 422),
        ("key is a number", {**valid_manifest(), "key": 5}, 422),
        ("version 1e308", {**valid_manifest(), "version": 1e308}, 422),
        ("NUL in the description", {**valid_manifest(), "description": "A description with a NUL \u0000 inside."}, 400),
        ("manifest nested 33 deep", {**valid_manifest(), "x": json.loads(nested(33))}, 400),
    ],
}


def check_error(status, headers, body, expected, label):
    assert status == expected, f"{label}: got {status} {body[:300]!r}"
    assert headers.get("content-type") == "application/json", f"{label}: {headers}"
    return error_shape(body)


def test_every_json_endpoint_refuses_the_generic_corpus(api):
    outcomes = {}
    for name, method, path, _, _ in endpoints(api):
        for label, body, expected, *for_catalog in GENERIC:
            if name == "catalog" and for_catalog:
                expected = for_catalog[0]
            status, headers, data = send(api, method, path, body)
            error = check_error(status, headers, data, expected, f"{name}: {label}")
            outcomes.setdefault(f"{status} {error['code']}", set()).add(label)
    assert send(api, "GET", "/healthz", None, content_type=None)[0] == 200
    record("bad_input_generic", cases=len(GENERIC) * len(endpoints(api)), outcomes={k: len(v) for k, v in outcomes.items()})


def test_each_endpoint_refuses_wrong_values_with_field_errors(api):
    for name, method, path, _, _ in endpoints(api):
        for label, value, expected in SPECIFIC[name]:
            body = value if isinstance(value, bytes) else json.dumps(value).encode()
            status, headers, data = send(api, method, path, body)
            error = check_error(status, headers, data, expected, f"{name}: {label}")
            if expected in (409, 422):
                assert error.get("fields"), f"{name}: {label}: {error}"
            if expected == 422:
                assert error["code"] == "validation_failed", f"{name}: {label}: {error}"
    assert send(api, "GET", "/healthz", None, content_type=None)[0] == 200


def test_wrong_content_types_are_refused(api):
    for name, method, path, valid, _ in endpoints(api):
        body = json.dumps(valid).encode()
        for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"):
            status, headers, data = send(api, method, path, body, content_type=content_type)
            error = check_error(status, headers, data, 415, f"{name}: {content_type}")
            assert error["code"] == "unsupported_media_type"


def test_valid_bodies_pass_and_unknown_fields_are_ignored(api):
    """The control: the same endpoints accept a good body (so every 4xx above is about the input),
    with `application/json; charset=utf-8` or no Content-Type at all; unknown fields are ignored."""
    for name, method, path, valid, success in endpoints(api):
        if name == "catalog":
            continue
        extra = {**valid, "unknown_field": {"nested": [1, 2, 3]}, "is_superuser": True}
        status, _, data = send(api, method, path, json.dumps(extra).encode(), "application/json; charset=utf-8")
        assert status == success, f"{name}: unknown fields are ignored: {data[:300]!r}"
        assert b"unknown_field" not in data
        if name == "members":
            # Added now; adding again is a conflict, not a bad input.
            assert send(api, method, path, json.dumps(valid).encode(), content_type=None)[0] == 409
    status, _, data = send(api, "POST", "/api/v1/catalog", json.dumps(valid_manifest()).encode(), content_type=None)
    assert status == 201, data[:300]
    manifest = {**valid_manifest(), "unknown_field": 1}
    status, headers, data = send(api, "POST", "/api/v1/catalog", json.dumps(manifest).encode())
    error = check_error(status, headers, data, 422, "catalog: unknown field")
    assert any("unknown_field" in key or any("unknown_field" in m for m in messages) for key, messages in error["fields"].items()), error


@pytest.mark.parametrize("framing", ["content-length", "chunked"])
def test_a_ten_megabyte_body_gets_413_in_the_error_shape(api, framing):
    for name, method, path, _, _ in endpoints(api):
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {api['token']}\r\nContent-Type: application/json\r\n"
        if framing == "content-length":
            raw = (head + f"Content-Length: {TEN_MB}\r\n\r\n").encode() + b" " * TEN_MB
        else:
            chunk = 1024 * 1024
            raw = (head + "Transfer-Encoding: chunked\r\n\r\n").encode()
            raw += (f"{chunk:x}\r\n".encode() + b" " * chunk + b"\r\n") * 10 + b"0\r\n\r\n"
        status, headers, body, closed = exchange(api["port"], raw, timeout=10)
        error = check_error(status, headers, body, 413, f"{name}: {framing}")
        assert error["code"] == "content_too_large" and "1048576" in error["message"], error
        assert closed, "the server closes the connection after a 413"
    status, headers, body, _ = exchange(api["port"], f"POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: {TEN_MB}\r\n\r\n".encode())
    assert status == 413 and headers["content-type"].startswith("text/plain"), "pages keep the short text answer"
    assert send(api, "GET", "/healthz", None, content_type=None)[0] == 200


# Malformed HTTP, including the request-smuggling shapes, each on a fresh raw connection. A second
# request rides along behind the first where a lenient parser would see one: it must never be answered.
# Where the server read the request line of an /api/ request before refusing it, the answer has the
# JSON error shape; a head too garbled to name its path gets the short text answer.
SMUGGLED = b"GET /api/v1/me HTTP/1.1\r\nHost: x\r\n\r\n"
MALFORMED = [
    ("Content-Length and Transfer-Encoding", b"POST /api/v1/tokens HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED, 400, "json"),
    ("Transfer-Encoding: chunked, identity", b"POST /api/v1/tokens HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n" + SMUGGLED, 400, "json"),
    ("two Transfer-Encoding lines", b"POST /api/v1/tokens HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, "json"),
    ("Transfer-Encoding: xchunked", b"POST /api/v1/tokens HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n", 400, "json"),
    ("space before the colon", b"POST /api/v1/tokens HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n", 400, "json"),
    ("obs-fold continuation line", b"POST /api/v1/tokens HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n", 400, "json"),
    ("two different Content-Lengths", b"POST /api/v1/tokens HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 40\r\n\r\n{}\n" + SMUGGLED, 400, "json"),
    ("Content-Length list", b"POST /api/v1/tokens HTTP/1.1\r\nHost: x\r\nContent-Length: 2, 2\r\n\r\n{}", 400, "json"),
    ("signed Content-Length", b"POST /api/v1/tokens HTTP/1.1\r\nHost: x\r\nContent-Length: +2\r\n\r\n{}", 400, "json"),
    ("chunked in HTTP/1.0", b"POST /api/v1/tokens HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, "json"),
    ("chunk size not hex", b"POST /api/v1/tokens HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", 400, "json"),
    ("chunk size overflowing", b"POST /api/v1/tokens HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n{}\r\n0\r\n\r\n", 400, "json"),
    ("chunk without its CRLF", b"POST /api/v1/tokens HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}XX0\r\n\r\n", 400, "json"),
    ("bare LF line ends", b"GET /api/v1/me HTTP/1.1\nHost: x\n\n", 400, "text"),
    ("bare CR in a field", b"GET /api/v1/me HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n", 400, "json"),
    ("NUL in a field value", b"GET /api/v1/me HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n", 400, "json"),
    ("two Host fields", b"GET /api/v1/me HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "json"),
    ("no Host in HTTP/1.1", b"GET /api/v1/me HTTP/1.1\r\n\r\n", 400, "json"),
    ("spaces in the request line", b"GET  /api/v1/me HTTP/1.1\r\nHost: x\r\n\r\n", 400, "text"),
    ("garbage request line", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 400, "text"),
    ("HTTP/2.0", b"GET /api/v1/me HTTP/2.0\r\nHost: x\r\n\r\n", 505, "text"),
    ("request line of 100 kB", b"GET /api/v1/" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414, "text"),
    ("header of 100 kB", b"GET /api/v1/me HTTP/1.1\r\nHost: x\r\nX-A: " + b"a" * 100_000 + b"\r\n\r\n", 431, "text"),
]


def test_malformed_http_is_refused_and_the_server_keeps_serving(api):
    for label, raw, expected, shape in MALFORMED:
        status, headers, body, closed = exchange(api["port"], raw)
        assert status == expected, f"{label}: got {status} {body[:200]!r}"
        assert closed, f"{label}: the connection must close after the refusal (no smuggled second request)"
        if shape == "json":
            check_error(status, headers, body, expected, label)
        else:
            assert headers["content-type"].startswith("text/plain"), f"{label}: {headers}"
    healthy = send(api, "GET", "/healthz", None, content_type=None)
    assert healthy[0] == 200 and healthy[2] == b"ok\n"
    status, _, _ = send(api, "GET", "/api/v1/me", None, content_type=None)
    assert status == 200
    assert api["process"].poll() is None
