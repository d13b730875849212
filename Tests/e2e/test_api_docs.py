"""The API reference at /api/docs in a real browser: readable without signing in, without JavaScript,
and without console errors (the strict CSP applies to it like every page)."""

from helpers import screenshot


def test_the_api_reference_opens_operations_without_javascript(server, nojs_page, artifacts):
    page = nojs_page
    page.goto(server + "/api/docs")
    assert page.locator("h1").inner_text() == "Patchbay API reference"
    operation = page.locator("#post_connectors")
    assert not operation.locator("text=Request body").is_visible()
    operation.locator("summary").click()
    assert operation.locator("text=Request body").is_visible()
    assert operation.locator(".api-role").inner_text() == "admin"
    operation.locator("a[href='#schema-ConnectorInput']").click()
    assert page.url.endswith("#schema-ConnectorInput")
    page.locator("#schema-ConnectorInput > summary").click()
    assert "catalog_key" in page.locator("#schema-ConnectorInput pre").inner_text()
    screenshot(page, artifacts, "api-docs")


def test_the_api_reference_has_no_console_errors(server, page):
    page.goto(server + "/api/docs")
    page.locator("#get_me > summary").click()
    assert page.locator("#get_me").get_attribute("open") is not None
    assert page.console_errors == []
