"""A refund screenshot becomes an expected refund, in a real browser: upload it on the Evidence page,
its text is read in the background, the suggested promise is accepted, and the Reconcile page
expects the credit (issue 21)."""

from __future__ import annotations

from datetime import date

import pytest

from bench.ocr_screens import refund_png
from complaint import api

from .conftest import shot, wait_idle

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ORDER = "3168931822093655"  # a completed order of the sample case, paid, with no refund


@pytest.mark.skipif(api.ocr_status() is not None, reason="Tesseract is not installed (scripts/setup.sh --system)")
def test_a_refund_screenshot_becomes_an_expected_refund(browser, demo_server, tmp_path):
    png = tmp_path / "Screenshot_20261112-101500.png"
    png.write_bytes(refund_png(ORDER, "45.80", date(2026, 11, 10)))
    context = browser.new_context(locale="en-GB", viewport={"width": 1400, "height": 1100})
    try:
        pg = context.new_page()
        pg.set_default_timeout(90_000)
        pg.goto(f"{demo_server}/evidence")
        wait_idle(pg)
        pg.get_by_test_id("stFileUploaderDropzoneInput").set_input_files([str(png)])
        pg.get_by_text("101500.png").first.wait_for()  # uploaded before the form is sent
        wait_idle(pg)
        pg.wait_for_timeout(500)
        wait_idle(pg)
        pg.get_by_role("button", name="Add to the case").click()
        wait_idle(pg)
        title = "refund promise of 45,80 € for order 3168931822093655 on 10 Nov 2026"
        suggestion = pg.locator("[class*='st-key-sug_']").filter(has_text=title)
        suggestion.wait_for(timeout=120_000)  # the screenshots are read in the background
        assert suggestion.get_by_test_id("stImage").count() == 1  # the crop where it was read
        shot(pg, "evidence-suggestion")
        suggestion.get_by_role("button", name="Accept").click()
        wait_idle(pg)
        pg.get_by_text(title).wait_for(state="detached")  # accepted: not proposed again
        assert pg.get_by_test_id("stException").count() == 0

        pg.goto(f"{demo_server}/reconcile")
        wait_idle(pg)
        card = pg.get_by_test_id("stVerticalBlock").filter(has_text=f"order {ORDER}").filter(
            has_text="45,80 € expected since").last
        card.wait_for()
        assert "10 Nov 2026" in card.inner_text()
        shot(pg, "reconcile-screenshot-promise")
    finally:
        context.close()
