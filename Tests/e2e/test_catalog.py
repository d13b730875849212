"""The Catalog tab in a real browser: search, category chips, paging, detail view, no-JS fallback."""

from helpers import document_survived, mark_document, screenshot, sign_in, wait_until


def card_titles(page):
    return page.locator("#catalog-grid .card .card-title").all_inner_texts()


def test_search_narrows_the_grid_without_a_reload(page, server, demo_login, artifacts):
    sign_in(page, server, demo_login)
    before = len(card_titles(page))
    assert before >= 40
    mark_document(page)
    with page.expect_request(lambda r: "q=stripe" in r.url and r.headers.get("hx-request") == "true"):
        page.locator("#catalog-q").press_sequentially("stripe", delay=40)
    wait_until(lambda: page.locator("#catalog-grid .card").count() < 5, message="the grid to narrow")
    titles = card_titles(page)
    assert titles and all("stripe" in t.lower() for t in titles)
    assert document_survived(page), "the search must swap the grid, not reload the page"
    assert "q=stripe" in page.url, "the search is reflected in the address bar"
    assert not page.console_errors
    screenshot(page, artifacts, "catalog-search-desktop")


def test_category_chip_filters_and_pushes_the_url(page, server, demo_login):
    sign_in(page, server, demo_login)
    mark_document(page)
    page.click(".chips .chip:has-text('Database')")
    page.wait_for_url("**category=database**")
    wait_until(
        lambda: set(t.strip() for t in page.locator("#catalog-grid .card .meta-item:first-child").all_inner_texts()) == {"Database"},
        message="only database cards")
    assert len(card_titles(page)) >= 5
    assert document_survived(page)
    assert page.locator(".chips .chip[aria-current='true']").inner_text().startswith("Database")


def test_show_more_appends_the_next_page(page, server, demo_login):
    sign_in(page, server, demo_login)
    first = len(card_titles(page))
    mark_document(page)
    page.click("#catalog-more a")
    wait_until(lambda: page.locator("#catalog-grid .card").count() > first, message="more cards")
    assert document_survived(page)
    titles = card_titles(page)
    assert len(titles) == len(set(titles)), "no card twice"


def test_detail_view_opens_with_fields_and_versions(page, server, demo_login, artifacts):
    sign_in(page, server, demo_login, next_path="/features/connectors/catalog?q=postgresql")
    page.click("#catalog-postgresql .card-title a")
    page.wait_for_url("**/features/connectors/catalog/postgresql")
    assert page.locator("h1").inner_text().startswith("PostgreSQL")
    fields = page.locator("#fields-title ~ .table-wrap tbody tr").all_inner_texts()
    assert any("password" in row for row in fields)
    assert page.locator("#versions-title ~ .table-wrap tbody tr").count() >= 1
    screenshot(page, artifacts, "catalog-detail-desktop")


def test_catalog_at_desktop_and_phone_widths(page, phone_page, server, demo_login, artifacts):
    sign_in(page, server, demo_login)
    screenshot(page, artifacts, "catalog-desktop")
    sign_in(phone_page, server, demo_login)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "no sideways scrolling on a phone"
    screenshot(phone_page, artifacts, "catalog-phone")


def test_search_and_chips_work_without_javascript(nojs_page, server, demo_login):
    sign_in(nojs_page, server, demo_login)
    nojs_page.fill("#catalog-q", "postgres")
    nojs_page.click("#catalog-search button[type=submit]")
    nojs_page.wait_for_url("**q=postgres**")
    assert any("PostgreSQL" in t for t in card_titles(nojs_page))
    nojs_page.click(".chips .chip:has-text('Storage')")
    nojs_page.wait_for_url("**category=storage**")
