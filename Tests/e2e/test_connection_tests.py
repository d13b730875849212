"""Connection tests in a real browser: "Test" on an Installed card shows the result and its latency in
place; after the connector's port is changed to a closed one (tested first in the edit modal, then
saved), "Test" turns the card to error with the classified message. The target is the test
PostgreSQL cluster on 127.0.0.1 (the e2e server allows 127.0.0.1 outbound). Without JavaScript, the
detail page tests by redirect and schedules health checks.
"""

import os
import re
import secrets
import socket
import urllib.parse

import pytest
from playwright.sync_api import expect

from helpers import document_survived, mark_document, screenshot, sign_in

INSTALLED = "/features/connectors/installed"


@pytest.fixture(scope="module")
def cluster():
    """Host, port, user and database of the test PostgreSQL cluster."""
    url = os.environ.get("PATCHBAY_TEST_DATABASE_URL")
    if not url:
        pytest.skip("PATCHBAY_TEST_DATABASE_URL is not set: run the tests with `make test`")
    parts = urllib.parse.urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost"):
        pytest.skip("the test cluster is not on 127.0.0.1")
    return {
        "port": str(parts.port or 5432),
        "user": parts.username or "postgres",
        "database": parts.path.lstrip("/") or "postgres",
    }


def closed_port() -> int:
    """A port nothing listens on: bound, read back and closed."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def card(page, name):
    return page.locator("#installed-grid .card", has=page.locator(".card-title", has_text=name))


def add_postgres(page, server, login, name, cluster, modal=True):
    """Adds a PostgreSQL connector for the test cluster through the catalog's modal (or, without
    JavaScript, the form's page); returns with the Installed tab shown."""
    sign_in(page, server, login, "/features/connectors/catalog?q=postgres")
    page.click("#catalog-postgresql a:has-text('Add')")
    form = page.locator("dialog[open]" if modal else "#connector-form")
    expect(form).to_be_visible()
    form.locator("#f-name").fill(name)
    form.locator("#f-config-host").fill("127.0.0.1")
    form.locator("#f-config-port").fill(cluster["port"])
    form.locator("#f-config-database").fill(cluster["database"])
    form.locator("#f-config-user").fill(cluster["user"])
    form.locator("#f-auth-password").fill("e2e-" + secrets.token_hex(8))
    form.locator("button[type=submit]:has-text('Add connector')").click()
    expect(page).to_have_url(re.compile(INSTALLED + "$"))
    expect(card(page, name)).to_be_visible()


def test_a_card_test_shows_the_latency_then_the_classified_failure(page, server, demo_login, cluster, artifacts):
    name = f"Warehouse {secrets.token_hex(3)}"
    add_postgres(page, server, demo_login, name, cluster)
    mark_document(page)
    expect(card(page, name).locator(".test-result")).to_have_text(re.compile("Never tested"))

    card(page, name).locator("button:has-text('Test')").click()
    result = card(page, name).locator(".test-result")
    expect(result).to_have_class(re.compile("is-ok"))
    expect(result).to_have_text(re.compile(r"Passed · \d+ ms"))
    expect(page.locator("#toasts .toast-success", has_text=f"{name} passed its test in")).to_be_visible()
    assert document_survived(page), "the card is swapped in place"
    page.wait_for_timeout(400)  # the swapped card and the toast fade in
    screenshot(page, artifacts, "connection-test-passed")

    # Break the port: test the edited settings in the modal first (nothing saved), then save them.
    port = closed_port()
    card(page, name).locator("a:has-text('Configure')").click()
    dialog = page.locator("dialog[open]")
    expect(dialog).to_be_visible()
    dialog.locator("#f-config-port").fill(str(port))
    dialog.get_by_role("button", name="Test connection").click()
    outcome = dialog.locator("#connector-form-test .test-outcome")
    expect(outcome).to_have_attribute("data-outcome", "failure")
    expect(outcome).to_contain_text(f"Connection refused by 127.0.0.1 port {port}")
    expect(dialog).to_be_visible()
    expect(card(page, name).locator(".badge")).to_have_text("Inactive")
    outcome.scroll_into_view_if_needed()
    screenshot(page, artifacts, "connection-test-modal-failure")
    dialog.locator("button[type=submit]:has-text('Save changes')").click()
    expect(page.locator("dialog[open]")).to_have_count(0)

    card(page, name).locator("button:has-text('Test')").click()
    broken = card(page, name)
    expect(broken.locator(".badge")).to_have_text("Error")
    expect(broken.locator(".card-status-message")).to_have_text(
        f"Connection refused by 127.0.0.1 port {port}: nothing is listening there."
    )
    expect(broken.locator(".test-result")).to_have_class(re.compile("is-failed"))
    expect(page.locator("#toasts .toast-error", has_text=f"{name} failed its test")).to_be_visible()
    expect(page.locator("#installed-statuses")).to_contain_text(re.compile(r"Error\s*\d+"))
    assert document_survived(page)
    page.wait_for_timeout(400)
    screenshot(page, artifacts, "connection-test-failed")
    assert page.console_errors == [], "a failed test is still a 200: no error in the console"


def test_the_detail_page_tests_and_schedules_without_javascript(nojs_page, server, demo_login, cluster, artifacts):
    page = nojs_page
    name = f"Scheduled {secrets.token_hex(3)}"
    add_postgres(page, server, demo_login, name, cluster, modal=False)
    card(page, name).locator(".card-link").click()
    expect(page.locator("h1")).to_contain_text(name)
    page.click(".detail-actions button:has-text('Test')")
    expect(page.locator("#toasts")).to_contain_text(f"{name} passed its test in")
    expect(page.locator(".definition-row", has_text="Last test")).to_contain_text("Passed ·")
    page.select_option("#health-check-interval", "15")
    page.click(".health-check-form button:has-text('Save')")
    expect(page.locator("#toasts")).to_contain_text("will be checked every 15 minutes")
    expect(page.locator("#health-check")).to_contain_text("Every 15 minutes")
    screenshot(page, artifacts, "connection-test-detail")
