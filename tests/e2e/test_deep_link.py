"""A deep link as the very first request of a fresh server still goes through the router."""

from __future__ import annotations

import pytest

from .conftest import shot, start_server, wait_idle

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_first_request_to_a_deep_link_runs_the_router(browser, tmp_path):
    proc, url = start_server(tmp_path, {"COMPLAINT_DEMO": "1"})
    try:
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        page.goto(f"{url}/evidence")
        wait_idle(page)
        page.wait_for_timeout(1500)
        wait_idle(page)
        sidebar = page.get_by_test_id("stSidebar")
        assert sidebar.get_by_text("Language").count() == 1  # rendered by app.py, not by the page alone
        assert sidebar.get_by_text("Overview").count() >= 1  # the router's page titles, not file names
        assert page.get_by_test_id("stException").count() == 0
        shot(page, "deep-link-evidence")
        page.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
