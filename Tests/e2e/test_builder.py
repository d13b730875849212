"""The custom HTTP connector builder in a real browser: build a connector step by step, insert
variables with the picker, try the unsaved request against a local API (a python http.server thread on
127.0.0.1, which the e2e server's outbound allow-list admits), click values in the response to map
them, save and see the card; then configure it again with the secret kept, and the no-JavaScript path.

Screenshots go to test-artifacts/builder-*.png.
"""

import json
import re
import secrets

import pytest
from playwright.sync_api import expect

from helpers import QuietHandler, local_http_server, screenshot, sign_in, wait_until

INSTALLED = "/features/connectors/installed"


class PeopleAPI(QuietHandler):
    """GET /people/<id>: a person as JSON, one key with a space in it. Requests are recorded."""

    received = []

    def do_GET(self):
        PeopleAPI.received.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}})
        match = re.match(r"^/people/([^/?]+)", self.path)
        if not match:
            self.send_error(404)
            return
        self.send_json({
            "id": match.group(1),
            "identities": [{"firstName": "Ada", "first name": "Ada L.", "emails": ["ada@example.com"]}],
            "active": True,
        })


@pytest.fixture(scope="module")
def people_api():
    with local_http_server(PeopleAPI) as port:
        yield f"http://127.0.0.1:{port}"


def unique(name):
    return f"{name} {secrets.token_hex(3)}"


def open_builder(page, server, login):
    sign_in(page, server, login, "/features/connectors/catalog?q=custom")
    page.click("#catalog-custom-http a:has-text('Add')")
    dialog = page.locator("dialog[open]")
    expect(dialog.locator("form[data-builder]")).to_be_visible()
    return dialog


def current_step(dialog):
    return dialog.locator("[data-builder-step].is-current")


def test_build_try_map_and_save(page, server, demo_login, people_api, server_log, artifacts):
    name = unique("People lookup")
    token = "tok-e2e-" + secrets.token_hex(8)
    dialog = open_builder(page, server, demo_login)
    form = dialog.locator("form[data-builder]")

    # 1. Basic info; only this step shows.
    expect(current_step(dialog)).to_have_attribute("data-builder-step", "basics")
    expect(dialog.locator("[data-builder-step=request]")).to_be_hidden()
    dialog.locator("#f-name").fill(name)
    dialog.locator("#f-config-description").fill("Finds a person by id.")
    dialog.locator("#f-tags").fill("crm, e2e")
    screenshot(page, artifacts, "builder-basics")
    dialog.locator("[data-builder-next]").click()

    # 2. The request, with variables from the picker.
    expect(current_step(dialog)).to_have_attribute("data-builder-step", "request")
    url = dialog.locator("#f-config-url")
    url.fill(f"{people_api}/people/")
    dialog.locator("#f-config-url-field [data-builder-picker]").click()
    picker = dialog.locator(".builder-picker")
    expect(picker).to_be_visible()
    expect(picker.locator("[data-builder-variable='workspace.slug']")).to_be_visible()
    screenshot(page, artifacts, "builder-picker")
    picker.locator("[data-builder-variable='input.id']").click()
    expect(url).to_have_value(f"{people_api}/people/{{{{input.id}}}}")
    expect(picker).to_have_count(0)

    headers = dialog.locator("#f-config-headers-field")
    headers.locator("input[name='config.headers[][key]']").first.fill("X-Trace")
    headers.locator("input[name='config.headers[][value]']").first.fill("mail=")
    headers.locator("input[name='config.headers[][value]']").first.press("End")
    headers.locator("[data-builder-picker]").click()
    dialog.locator(".builder-picker [data-builder-variable='contact.email']").click()
    expect(headers.locator("input[name='config.headers[][value]']").first).to_have_value("mail={{contact.email}}")
    dialog.locator("[data-builder-next]").click()

    # 3. Authentication: a bearer token.
    expect(current_step(dialog)).to_have_attribute("data-builder-step", "auth")
    dialog.locator("label:has-text('Bearer token')").click()
    dialog.locator("#f-auth-token").fill(token)
    dialog.locator("[data-builder-next]").click()

    # 4. Advanced: enabled from the start.
    expect(current_step(dialog)).to_have_attribute("data-builder-step", "advanced")
    dialog.locator("#f-enabled").check()
    dialog.locator("[data-builder-next]").click()

    # 5. Try it on the sample values, then map two values by clicking them.
    expect(current_step(dialog)).to_have_attribute("data-builder-step", "mappings")
    expect(dialog.locator("[data-builder-next]")).to_be_hidden()
    dialog.locator("#builder-try-button").click()
    result = dialog.locator("[data-builder-result]")
    expect(result.locator("[data-builder-status]")).to_have_text("HTTP 200")
    expect(result.locator("[data-builder-duration]")).to_have_text(re.compile(r"^\d+ ms$"))
    sent = PeopleAPI.received[-1]
    assert sent["path"] == "/people/42"
    assert sent["headers"]["x-trace"] == "mail=ada@example.com"
    assert sent["headers"]["authorization"] == f"Bearer {token}"
    assert token not in result.inner_html()

    result.locator("[data-builder-path='$.identities[0].firstName']").click()
    result.locator("""[data-builder-path='$.identities[0]["first name"]']""").click()
    sources = form.locator("input[name='config.field_mappings[][source_path]']")
    targets = form.locator("input[name='config.field_mappings[][target_field]']")
    expect(sources.nth(0)).to_have_value("$.identities[0].firstName")
    expect(targets.nth(0)).to_have_value("firstName")
    expect(sources.nth(1)).to_have_value('$.identities[0]["first name"]')
    expect(targets.nth(1)).to_have_value("first_name")
    page.wait_for_timeout(300)
    screenshot(page, artifacts, "builder-try-it")

    # Steps can be revisited: the request still holds what was typed.
    dialog.locator("[data-builder-goto=request]").click()
    expect(url).to_have_value(f"{people_api}/people/{{{{input.id}}}}")
    dialog.locator("[data-builder-goto=mappings]").click()

    # Save: the modal closes and the card shows on the Installed tab, active.
    form.locator(".builder-actions button[type=submit]").click()
    expect(page.locator("dialog[open]")).to_have_count(0)
    expect(page).to_have_url(re.compile(INSTALLED + "$"))
    card = page.locator("#installed-grid .card", has=page.locator(".card-title", has_text=name))
    expect(card).to_be_visible()
    expect(card.locator(".badge")).to_have_text("Active")
    page.wait_for_timeout(400)
    screenshot(page, artifacts, "builder-saved-card")

    item = page.request.get(server + "/api/v1/installed?q=" + name.split()[-1]).json()["items"][0]
    config = item["config"]
    assert config["url"] == f"{people_api}/people/{{{{input.id}}}}"
    assert config["headers"] == [{"key": "X-Trace", "value": "mail={{contact.email}}"}]
    assert config["description"] == "Finds a person by id."
    assert config["field_mappings"] == [
        {"source_path": "$.identities[0].firstName", "target_field": "firstName"},
        {"source_path": '$.identities[0]["first name"]', "target_field": "first_name"},
    ]
    assert token not in json.dumps(item)
    wait_until(lambda: server_log.exists(), message="the server log")
    assert token not in server_log.read_text()
    assert page.console_errors == []

    # Configure opens the builder again: the secret is saved, never shown, and kept when left blank.
    card.locator("a:has-text('Configure')").click()
    dialog = page.locator("dialog[open]")
    expect(dialog.locator("form[data-builder]")).to_be_visible()
    dialog.locator("[data-builder-goto=auth]").click()
    expect(dialog.locator("#f-auth-token")).to_have_attribute("placeholder", re.compile("leave blank to keep"))
    expect(dialog.locator("#f-auth-token")).to_have_value("")
    assert token not in dialog.inner_html()
    dialog.locator("[data-builder-goto=mappings]").click()
    dialog.locator("#builder-try-button").click()
    expect(dialog.locator("[data-builder-status]")).to_have_text("HTTP 200")
    assert PeopleAPI.received[-1]["headers"]["authorization"] == f"Bearer {token}"
    expect(dialog.locator("[data-builder-result]")).to_contain_text('"firstName": "Ada"')
    expect(dialog.locator("#builder-try-button")).to_be_enabled()
    page.wait_for_timeout(200)
    screenshot(page, artifacts, "builder-configure")


def test_an_invalid_save_opens_the_step_with_the_problem(page, server, demo_login):
    dialog = open_builder(page, server, demo_login)
    dialog.locator("#f-name").fill(unique("Broken"))
    dialog.locator("[data-builder-goto=mappings]").click()
    dialog.locator("form[data-builder] .builder-actions button[type=submit]").click()
    # The URL is missing: the answer opens the Request step, marked, with the name kept.
    expect(current_step(dialog)).to_have_attribute("data-builder-step", "request")
    expect(dialog.locator("[data-builder-goto=request]")).to_have_class(re.compile("has-error"))
    expect(dialog.locator("#f-config-url-field")).to_have_class(re.compile("has-error"))
    dialog.locator("[data-builder-goto=basics]").click()
    expect(dialog.locator("#f-name")).to_have_value(re.compile("^Broken"))
    assert [e for e in page.console_errors if "status of 422" not in e] == []


def test_without_javascript_every_step_shows_and_saves(nojs_page, server, demo_login, artifacts):
    page = nojs_page
    name = unique("No script")
    sign_in(page, server, demo_login, "/features/connectors/new/custom-http")
    form = page.locator("form[data-builder]")
    for step in ["basics", "request", "auth", "advanced", "mappings"]:
        expect(form.locator(f"[data-builder-step={step}]")).to_be_visible()
    expect(page.locator("#builder-try-button")).to_be_hidden()
    expect(page.get_by_text("Try it needs JavaScript")).to_be_visible()
    page.fill("#f-name", name)
    page.fill("#f-config-url", "https://api.example.com/people/{{input.id}}")
    page.fill("#f-auth-token", "tok-no-js-" + secrets.token_hex(4))
    page.locator("input[name='config.field_mappings[][source_path]']").first.fill("$.id")
    page.locator("input[name='config.field_mappings[][target_field]']").first.fill("person_id")
    screenshot(page, artifacts, "builder-no-js")
    form.locator(".builder-actions button[type=submit]").click()
    page.wait_for_url(re.compile(INSTALLED + "$"))
    expect(page.locator(".card-title", has_text=name)).to_be_visible()


def test_the_builder_fits_a_phone(phone_page, server, demo_login, artifacts):
    page = phone_page
    dialog = open_builder(page, server, demo_login)
    dialog.locator("[data-builder-goto=request]").click()
    expect(current_step(dialog)).to_have_attribute("data-builder-step", "request")
    dialog.locator("#f-config-url-field [data-builder-picker]").click()
    expect(dialog.locator(".builder-picker")).to_be_visible()
    width = page.evaluate("document.querySelector('dialog[open] .modal-body').scrollWidth")
    assert width <= 390, "nothing overflows sideways"
    screenshot(page, artifacts, "builder-phone")
