"""The "Attached agents" panel of a connector's detail page in a real browser: attach an agent (with
a settings override), the inline errors of a taken alias and of a credential in the override, detach
after the confirmation — all without a reload — and the same forms without JavaScript.

Every test uses connectors and agent ids of its own, so the tests share the demo workspace safely.
"""

import json
import re
import secrets

from playwright.sync_api import expect

from helpers import document_survived, mark_document, screenshot, sign_in

DETAIL = "/features/connectors/installed/"


def unique(name):
    return f"{name}-{secrets.token_hex(3)}"


def install_postgres(page, server, name):
    """Installs a PostgreSQL connector through the API with the page's session; returns its id."""
    csrf = page.locator("meta[name=csrf-token]").get_attribute("content")
    response = page.request.post(
        server + "/api/v1/connectors",
        headers={"Content-Type": "application/json", "X-CSRF-Token": csrf, "Origin": server},
        data=json.dumps({
            "catalog_key": "postgresql", "name": name,
            "config": {"host": "db.internal", "port": 5432, "database": "app", "user": "app", "sslmode": "require"},
            "auth": {"password": "pg-" + secrets.token_hex(8)},
        }),
    )
    assert response.status == 201, response.text()
    return response.json()["id"]


def agents_connectors(page, server, agent):
    return page.request.get(f"{server}/api/v1/agents/{agent}/connectors").json()["items"]


def test_attach_and_detach_on_the_detail_page(page, server, demo_login, artifacts):
    sign_in(page, server, demo_login, "/features/connectors/installed")
    name = unique("Warehouse")
    connector = install_postgres(page, server, name)
    agent = unique("support-bot")
    page.goto(server + DETAIL + connector)
    panel = page.locator("#attachments")
    expect(panel.locator("h2")).to_have_text("Attached agents")
    expect(panel.locator("[data-testid=no-attachments]")).to_be_visible()
    mark_document(page)

    panel.locator("#attach-agent-id").fill(agent)
    panel.locator("#attach-alias").fill("reports")
    panel.locator("#attach-override").fill('{"database": "reports"}')
    panel.locator("button:has-text('Attach')").click()
    row = page.locator("#attachments [data-testid=attachment-row]")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(agent)
    expect(row).to_contain_text('{"database":"reports"}')
    expect(page.locator("#toasts")).to_contain_text(f"attached to agent {agent}")
    expect(page.locator("#attach-agent-id")).to_have_value("")
    assert document_survived(page), "the panel is swapped, not the page"
    items = agents_connectors(page, server, agent)
    assert [(i["alias"], i["config"]["database"], i["config"]["host"]) for i in items] == [
        ("reports", "reports", "db.internal")
    ]
    assert items[0]["auth"]["password"]["set"] is True and "value" not in items[0]["auth"]["password"]
    page.wait_for_timeout(400)  # let the toast slide in for the screenshot
    page.locator("#attachments").scroll_into_view_if_needed()
    screenshot(page, artifacts, "attachments-attached")

    # The same alias in another case: a conflict, shown in the form.
    page.locator("#attach-agent-id").fill(agent)
    page.locator("#attach-alias").fill("REPORTS")
    page.locator("#attachments button:has-text('Attach')").click()
    expect(page.locator("#attach-alias-error")).to_contain_text("is already used by this agent")
    expect(page.locator("#attach-alias")).to_have_attribute("aria-invalid", "true")
    # A credential in the override: refused field by field.
    page.locator("#attach-alias").fill("archive")
    page.locator("#attach-override").fill('{"password": "nope", "host": "elsewhere.example"}')
    page.locator("#attachments button:has-text('Attach')").click()
    errors = page.locator("#attach-override-error")
    expect(errors).to_contain_text("password: is a credential")
    expect(errors).to_contain_text("host: decides where or how the connector's credentials travel")
    expect(page.locator("#attach-alias")).to_have_value("archive")
    # What was typed stays for fixing, except the credential: it is never shown again.
    expect(page.locator("#attach-override")).to_have_value('{"host":"elsewhere.example"}')
    page.locator("#attachments").scroll_into_view_if_needed()
    screenshot(page, artifacts, "attachments-errors")
    expect(row).to_have_count(1)

    questions = []

    def accept(dialog):
        questions.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    row.locator("button:has-text('Detach')").click()
    expect(page.locator("#attachments [data-testid=no-attachments]")).to_be_visible()
    assert questions and agent in questions[0]
    expect(page.locator("#toasts")).to_contain_text(f"detached from agent {agent}")
    assert document_survived(page)
    assert agents_connectors(page, server, agent) == []
    page.wait_for_timeout(400)
    screenshot(page, artifacts, "attachments-detached")
    # The browser reports the refused posts itself; nothing else may fail.
    assert [e for e in page.console_errors if not re.search(r"status of (409|422)", e)] == []


def test_attach_and_detach_without_javascript(nojs_page, server, demo_login, artifacts):
    page = nojs_page
    sign_in(page, server, demo_login, "/features/connectors/installed")
    connector = install_postgres(page, server, unique("No script DB"))
    agent = unique("nightly-job")
    page.goto(server + DETAIL + connector)

    page.fill("#attach-agent-id", "not valid!")
    page.fill("#attach-alias", "ledger")
    page.click("#attachments button:has-text('Attach')")
    expect(page.locator("#attach-agent-id-error")).to_contain_text("letters, digits, dots")
    expect(page.locator("#attach-alias")).to_have_value("ledger")

    page.fill("#attach-agent-id", agent)
    page.click("#attachments button:has-text('Attach')")
    expect(page).to_have_url(re.compile(DETAIL + connector + "$"))
    row = page.locator("#attachments [data-testid=attachment-row]")
    expect(row).to_contain_text(agent)
    expect(page.locator("#toasts")).to_contain_text(f"attached to agent {agent}")
    page.locator("#attachments").scroll_into_view_if_needed()
    screenshot(page, artifacts, "attachments-nojs")

    row.locator("button:has-text('Detach')").click()
    expect(page).to_have_url(re.compile(DETAIL + connector + "$"))
    expect(page.locator("#attachments [data-testid=no-attachments]")).to_be_visible()
    expect(page.locator("#toasts")).to_contain_text(f"detached from agent {agent}")
