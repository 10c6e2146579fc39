"""Every page of the app in a real browser on the sample case, with a screenshot each."""

from __future__ import annotations

import pytest

from .conftest import shot, wait_idle

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PAGES = [("", "home"), ("import", "import"), ("reconcile", "reconcile"), ("evidence", "evidence"),
         ("timeline", "timeline"), ("dossier", "dossier"), ("cases", "cases")]


@pytest.mark.parametrize("path,name", PAGES)
def test_page_renders_without_error(browser, demo_server, path, name):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(f"{demo_server}/{path}")
        wait_idle(page)
        assert page.get_by_test_id("stException").count() == 0
        assert page.get_by_test_id("stAlertContentError").count() == 0
        assert page.locator("h1").count() >= 1
        shot(page, f"en-{name}")
    finally:
        page.close()
