"""Installed connectors in a real browser: add from the catalog (an inline error, then fixed), the
card appearing without a reload, activate/deactivate, editing with a saved secret left as it is,
delete with confirmation, tabs switching by partial requests, toasts, and the no-JavaScript path.

Every test makes connectors with names of its own, so the tests share the demo workspace safely.
"""

import re
import secrets

from playwright.sync_api import expect

from helpers import document_survived, mark_document, screenshot, sign_in

INSTALLED = "/features/connectors/installed"
OPENAI_KEY = "sk-" + "e2e" * 10


def unique(name):
    return f"{name} {secrets.token_hex(3)}"


def card(page, name):
    return page.locator("#installed-grid .card", has=page.locator(".card-title", has_text=name))


def open_add_modal(page, key="openai"):
    page.click(f"#catalog-{key} a:has-text('Add')")
    dialog = page.locator("dialog[open]")
    expect(dialog).to_be_visible()
    return dialog


def add_openai(page, server, login, name):
    """Adds an OpenAI connector through the catalog's modal; returns with the Installed tab shown."""
    sign_in(page, server, login, "/features/connectors/catalog?q=openai")
    dialog = open_add_modal(page)
    dialog.locator("#f-name").fill(name)
    dialog.locator("#f-config-default_model").fill("gpt-4o")
    dialog.locator("#f-auth-api_key").fill(OPENAI_KEY)
    dialog.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(INSTALLED + "$"))
    expect(card(page, name)).to_be_visible()


def test_add_with_an_inline_error_then_fixed_without_a_reload(page, server, demo_login, artifacts):
    name = unique("Support bot")
    sign_in(page, server, demo_login, "/features/connectors/catalog?q=openai")
    mark_document(page)
    dialog = open_add_modal(page)
    dialog.locator("#f-name").fill(name)
    dialog.locator("#f-config-default_model").fill("gpt-4o")
    dialog.locator("#f-auth-api_key").fill("not-a-key")
    # The live check marks the field as soon as it changes.
    dialog.locator("#f-auth-api_key").press("Tab")
    dialog.locator("button[type=submit]").click()
    api_key = dialog.locator("#f-auth-api_key-field")
    expect(api_key).to_have_class(re.compile("has-error"))
    expect(api_key.locator(".field-errors")).to_contain_text("must match")
    expect(dialog.locator("#f-name")).to_have_value(name)
    expect(dialog.locator("#f-auth-api_key")).to_have_value("")
    screenshot(page, artifacts, "installed-add-error")

    dialog.locator("#f-auth-api_key").fill(OPENAI_KEY)
    dialog.locator("button[type=submit]").click()
    expect(page.locator("dialog[open]")).to_have_count(0)
    expect(page).to_have_url(re.compile(INSTALLED + "$"))
    added = card(page, name)
    expect(added).to_be_visible()
    expect(added.locator(".badge")).to_have_text("Inactive")
    expect(page.locator(".tabs [data-tab=installed]")).to_have_attribute("aria-current", "page")
    assert document_survived(page), "the card appears without a reload"
    toast = page.locator("#toasts .toast-success", has_text=f"{name} was added")
    expect(toast).to_be_visible()
    page.wait_for_timeout(400)  # let it slide in for the screenshot
    screenshot(page, artifacts, "installed-added")
    expect(toast).to_have_count(0, timeout=15000)  # and fades away by itself
    # The browser reports the 422 answer itself; nothing else may fail.
    assert [e for e in page.console_errors if "status of 422" not in e] == []


def test_the_live_check_flags_a_taken_name(page, server, demo_login):
    name = unique("Taken")
    add_openai(page, server, demo_login, name)
    page.goto(server + "/features/connectors/catalog?q=openai")
    dialog = open_add_modal(page)
    dialog.locator("#f-name").fill(name.upper())
    dialog.locator("#f-name").press("Tab")
    expect(dialog.locator("#f-name-field .field-errors")).to_contain_text("already used")


def test_activate_and_deactivate_swap_the_badge(page, server, demo_login, artifacts):
    name = unique("Badge swap")
    add_openai(page, server, demo_login, name)
    mark_document(page)
    item = card(page, name)
    item.locator("button:has-text('Activate')").click()
    expect(card(page, name).locator(".badge")).to_have_text("Active")
    expect(card(page, name).locator("button:has-text('Deactivate')")).to_be_visible()
    page.wait_for_timeout(500)  # the swapped card and the toast fade in
    screenshot(page, artifacts, "installed-active")
    card(page, name).locator("button:has-text('Deactivate')").click()
    expect(card(page, name).locator(".badge")).to_have_text("Inactive")
    assert document_survived(page)


def test_edit_keeps_the_secret_when_left_blank(page, server, demo_login, artifacts):
    name = unique("Keeps secret")
    add_openai(page, server, demo_login, name)
    detail = page.request.get(server + "/api/v1/installed?q=" + name.split()[-1]).json()["items"][0]
    fingerprint = detail["auth"]["api_key"]["fingerprint"]
    card(page, name).locator("a:has-text('Configure')").click()
    dialog = page.locator("dialog[open]")
    expect(dialog.locator("#f-auth-api_key")).to_have_attribute("placeholder", re.compile("leave blank to keep"))
    expect(dialog.locator("#f-auth-api_key-field .field-saved")).to_contain_text(fingerprint)
    dialog.locator("#f-auth-api_key-field").scroll_into_view_if_needed()
    screenshot(page, artifacts, "installed-edit")
    dialog.locator("#f-config-default_model").fill("gpt-4.1-mini")
    dialog.locator("button[type=submit]").click()
    expect(page.locator("dialog[open]")).to_have_count(0)
    expect(page.locator("#toasts")).to_contain_text(f"{name} was saved")
    after = page.request.get(server + f"/api/v1/connectors/{detail['id']}").json()
    assert after["config"]["default_model"] == "gpt-4.1-mini"
    assert after["auth"]["api_key"]["set"] is True
    assert after["auth"]["api_key"]["fingerprint"] == fingerprint, "the secret was kept"


def test_delete_asks_first_then_removes_the_card(page, server, demo_login, artifacts):
    name = unique("Short lived")
    add_openai(page, server, demo_login, name)
    mark_document(page)
    messages = []

    def dismiss(dialog):
        messages.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    card(page, name).locator("button:has-text('Delete')").click()
    page.wait_for_timeout(300)
    assert messages and name in messages[0]
    expect(card(page, name)).to_be_visible()

    page.once("dialog", lambda dialog: dialog.accept())
    card(page, name).locator("button:has-text('Delete')").click()
    expect(card(page, name)).to_have_count(0)
    expect(page.locator("#toasts")).to_contain_text(f"{name} was deleted")
    assert document_survived(page)
    screenshot(page, artifacts, "installed-deleted")


def test_tabs_switch_by_partial_requests(page, server, demo_login, artifacts):
    add_openai(page, server, demo_login, unique("Tabs"))
    page.goto(server + "/features/connectors/catalog")
    mark_document(page)
    with page.expect_request(lambda r: r.url.endswith(INSTALLED) and r.headers.get("hx-target") == "tab-panel"):
        page.click(".tabs [data-tab=installed]")
    expect(page).to_have_url(re.compile(INSTALLED + "$"))
    expect(page.locator("#installed-grid .card").first).to_be_visible()
    page.click(".tabs [data-tab=catalog]")
    expect(page.locator("#catalog-grid .card").first).to_be_visible()
    expect(page).to_have_url(re.compile("/features/connectors/catalog$"))
    assert document_survived(page), "the tabs swap the panel, not the page"
    page.go_back()
    expect(page.locator("#installed-grid")).to_be_visible()
    screenshot(page, artifacts, "installed-desktop")


def test_installed_at_phone_width(phone_page, server, demo_login, artifacts):
    add_openai(phone_page, server, demo_login, unique("Phone"))
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "no sideways scrolling on a phone"
    screenshot(phone_page, artifacts, "installed-phone")


def test_adding_works_without_javascript(nojs_page, server, demo_login, artifacts):
    page = nojs_page
    name = unique("No script")
    sign_in(page, server, demo_login, "/features/connectors/catalog?q=postgres")
    page.click("#catalog-postgresql a:has-text('Add')")
    expect(page).to_have_url(re.compile("/features/connectors/new/postgresql$"))
    page.fill("#f-name", name)
    page.fill("#f-config-host", "db internal")  # a space: only the server's pattern check sees it
    page.fill("#f-config-database", "orders")
    page.fill("#f-config-user", "app")
    page.fill("#f-auth-password", "pg-secret-1")
    page.click("button:has-text('Add connector')")
    expect(page.locator("#f-config-host-field .field-errors")).to_contain_text("must match the pattern")
    expect(page.locator("#f-name")).to_have_value(name)
    screenshot(page, artifacts, "installed-nojs-error")
    page.fill("#f-config-host", "db.internal")
    page.fill("#f-auth-password", "pg-secret-1")
    page.click("button:has-text('Add connector')")
    expect(page).to_have_url(re.compile(INSTALLED + "$"))
    expect(card(page, name)).to_be_visible()
    expect(page.locator("#toasts")).to_contain_text(f"{name} was added")

    card(page, name).locator("button:has-text('Activate')").click()
    expect(card(page, name).locator(".badge")).to_have_text("Active")
    card(page, name).locator("button:has-text('Delete')").click()
    expect(page.locator("h1")).to_contain_text(f"Delete “{name}”?")
    page.click("button:has-text('Delete connector')")
    expect(page).to_have_url(re.compile(INSTALLED + "$"))
    expect(card(page, name)).to_have_count(0)


def test_the_secret_never_reaches_the_log(page, server, demo_login, server_log):
    add_openai(page, server, demo_login, unique("Log check"))
    assert OPENAI_KEY not in server_log.read_text()
