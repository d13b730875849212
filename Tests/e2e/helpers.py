"""Small helpers shared by the browser tests."""

from pathlib import Path


def sign_in(page, server, login, next_path="/features/connectors/catalog"):
    """Signs in through the real login form and waits for the landing page."""
    page.goto(f"{server}/login?next={next_path}")
    page.fill("input[name=email]", login["email"])
    page.fill("input[name=password]", login["password"])
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{server}{next_path}*")


def mark_document(page):
    """Puts a marker on the live document: it survives partial swaps and vanishes on a full load."""
    page.evaluate("window.__noReload = 'still here'")


def document_survived(page) -> bool:
    return page.evaluate("window.__noReload === 'still here'")


def screenshot(page, artifacts: Path, name: str):
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=False)
