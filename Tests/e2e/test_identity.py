"""Signing in and out, switching tenant, and what a viewer may do, in a real browser.

Uses the fixtures of conftest.py:
  server      base URL of `patchbay serve` over a migrated, seeded database where `patchbay demo` ran
              with PATCHBAY_DEMO_PASSWORD set, so it made:
                demo@patchbay.local    owner of "Demo Workspace" (demo) and "Demo Labs" (demo-labs)
                viewer@patchbay.local  viewer of "Demo Workspace"
              both with that password
  demo_login  {"email", "password"} of the owner (the viewer shares the password)
  page        a fresh Chromium page per test; `nojs_page` has JavaScript disabled
  artifacts   folder for screenshots
"""

import re

from playwright.sync_api import expect

VIEWER = "viewer@patchbay.local"


def log_in(page, server, email, password, path="/settings/profile"):
    page.goto(server + path)
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.fill("#login-email", email)
    page.fill("#login-password", password)
    page.click("form[action='/login'] button[type=submit]")
    expect(page).to_have_url(server + path)


def me(page, server):
    response = page.request.get(server + "/api/v1/me")
    assert response.status == 200
    return response.json()


def test_log_in_switch_tenant_and_log_out(page, server, demo_login, artifacts):
    log_in(page, server, demo_login["email"], demo_login["password"])
    expect(page.locator(".user-menu-name")).to_have_text("Demo Owner")
    assert me(page, server)["tenant"]["slug"] == "demo"

    switcher = page.locator("#tenant-select")
    expect(switcher.locator("option")).to_have_text(["Demo Workspace", "Demo Labs"])
    switcher.select_option(label="Demo Labs")  # app.js submits the form on change
    expect(page.locator("#tenant-select option:checked")).to_have_text("Demo Labs")
    expect(page.locator("#toasts")).to_contain_text("You are now working in Demo Labs.")
    assert me(page, server)["tenant"]["slug"] == "demo-labs"
    page.screenshot(path=str(artifacts / "identity-switched.png"))

    page.goto(server + "/settings/members")
    expect(page.locator(".page-lead")).to_contain_text("Demo Labs")

    page.locator(".user-menu summary").click()
    page.locator("form[action='/logout'] button").click()
    expect(page).to_have_url(server + "/login?notice=logged_out")
    expect(page.locator(".alert-info")).to_contain_text("You have been logged out.")
    assert page.request.get(server + "/api/v1/me").status == 401
    page.goto(server + "/settings/members")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fsettings%2Fmembers"))
    assert page.console_errors == []


def test_a_viewer_sees_no_admin_buttons_and_is_refused_when_posting_directly(page, server, demo_login, artifacts):
    log_in(page, server, VIEWER, demo_login["password"], path="/settings/members")
    expect(page.locator("table")).to_contain_text("demo@patchbay.local")
    for hidden in ["Add member", "Create invite link", "Change role", "Remove"]:
        expect(page.get_by_role("button", name=hidden)).to_have_count(0)
    tabs = page.locator(".settings-tabs")
    expect(tabs.get_by_role("link", name="API tokens")).to_have_count(0)
    expect(tabs.get_by_role("link", name="Audit log")).to_have_count(0)
    page.screenshot(path=str(artifacts / "identity-viewer-members.png"))

    # The admin form posted straight to the server, with the viewer's valid CSRF token.
    token = page.locator("meta[name=csrf-token]").get_attribute("content")
    response = page.request.post(
        server + "/settings/tokens",
        form={"name": "sneaky", "role": "viewer", "csrf_token": token},
        headers={"Origin": server},
        max_redirects=0,
    )
    assert response.status == 403
    assert "admin role or higher" in response.text()

    page.goto(server + "/settings/tokens")
    expect(page.locator(".error-status")).to_have_text("403")
    # The 403 itself is reported as a failed load; anything else (a CSP violation...) is a defect.
    assert [e for e in page.console_errors if "status of 403" not in e] == []


def test_an_owner_creates_a_token_with_htmx_and_it_is_shown_once(page, server, demo_login):
    log_in(page, server, demo_login["email"], demo_login["password"], path="/settings/tokens")
    page.fill("#token-name", "Browser test bot")
    page.select_option("#token-role", "viewer")
    page.click("#create-token-form button[type=submit]")
    secret_box = page.locator("[data-testid=new-token-secret]")
    expect(secret_box).to_have_text(re.compile(r"^pb_[A-Za-z0-9_-]{43}$"))
    expect(page).to_have_url(server + "/settings/tokens")  # swapped in place, no navigation
    expect(page.locator("#toasts")).to_contain_text("created")
    secret = secret_box.inner_text()

    api = page.request.get(server + "/api/v1/me", headers={"Authorization": "Bearer " + secret})
    assert api.json()["tenant"]["role"] == "viewer"
    page.reload()
    expect(page.locator("[data-testid=new-token-secret]")).to_have_count(0)
    expect(page.locator("table")).to_contain_text("Browser test bot")
    assert secret not in page.content()
    assert page.console_errors == []


def test_without_javascript_an_owner_creates_an_invite_link(nojs_page, server, demo_login):
    page = nojs_page
    log_in(page, server, demo_login["email"], demo_login["password"], path="/settings/members")
    page.select_option("#invite-role", "developer")
    page.click("#invite-form button[type=submit]")
    link = page.locator("[data-testid=invite-link]")
    expect(link).to_have_text(re.compile(re.escape(server) + r"/invites/[A-Za-z0-9_-]{43}$"))
    expect(page.locator("#invites-title")).to_be_visible()
