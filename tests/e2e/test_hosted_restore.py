"""Hosted mode, no surprise loss (issue 20): once the session holds data a banner offers the case
file; a reload of the same tab gets the session back from memory; a new tab starts empty; and the
server writes nothing to disk meanwhile."""

from __future__ import annotations

import pytest

from .conftest import shot, start_server, wait_idle

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _files(tmp_path) -> set[str]:
    return {str(p) for p in tmp_path.rglob("*") if p.is_file() and not p.name.startswith("streamlit-")}


def test_a_reload_restores_the_session_and_a_new_tab_starts_empty(browser, tmp_path):
    proc, url = start_server(tmp_path, {"COMPLAINT_HOSTED": "1", "COMPLAINT_RESTORE_SECONDS": "120"})
    before = _files(tmp_path)
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    page.on("dialog", lambda d: d.accept())  # the "leave this page?" prompt, if the browser shows it
    try:
        page.goto(f"{url}/cases")
        wait_idle(page)
        assert page.get_by_role("button", name="Download your case").count() == 0  # nothing to lose yet
        page.get_by_test_id("stMainBlockContainer").get_by_role("button", name="Open the sample case").click()
        wait_idle(page)
        page.get_by_role("button", name="Download your case").wait_for(timeout=60_000)
        shot(page, "hosted-banner")

        page.reload()
        wait_idle(page)
        page.wait_for_timeout(1500)  # the tab's script asks for its session back once
        wait_idle(page)
        page.get_by_role("button", name="Download your case").wait_for(timeout=60_000)
        assert "restore=" not in page.url
        assert page.get_by_text("Sample case").count() >= 1
        shot(page, "hosted-restored")

        other = context.new_page()  # another tab of the same browser: its own, empty session
        other.goto(f"{url}/cases")
        wait_idle(other)
        other.wait_for_timeout(1000)
        wait_idle(other)
        assert other.get_by_role("button", name="Download your case").count() == 0
        other.close()
    finally:
        context.close()
        proc.terminate()
        proc.wait(timeout=20)
    assert _files(tmp_path) == before  # nothing written to disk


def test_a_stolen_or_stale_token_restores_nothing(browser, tmp_path):
    proc, url = start_server(tmp_path, {"COMPLAINT_HOSTED": "1"})
    page = browser.new_page()
    try:
        page.goto(f"{url}/cases?restore=not-a-token")
        wait_idle(page)
        page.wait_for_timeout(800)
        wait_idle(page)
        assert page.get_by_role("button", name="Download your case").count() == 0
        assert "restore=" not in page.url
    finally:
        page.close()
        proc.terminate()
        proc.wait(timeout=20)
