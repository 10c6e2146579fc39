"""The Overview's overdue card opens the Dossier on its own order, in a real browser, and a reload
keeps the order (it is in the address: ``?order=``).  The Dossier is photographed in English,
French and Dutch (test-artifacts/screenshots/dossier-<lang>.png)."""

from __future__ import annotations

import re

import pytest

from complaint.i18n import gettext

from .conftest import shot, wait_idle

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

OVERDUE, PENDING = "8116516504403817", "3065169024372184"  # the sample's overdue and pending refunds


def _picked(pg) -> str:
    return pg.locator(".st-key-dossier_order input[role='combobox']").input_value()


def _card(pg, order_id: str):
    return pg.get_by_test_id("stVerticalBlock").filter(has_text=order_id).filter(
        has=pg.get_by_role("link")).last


def test_the_overdue_card_opens_its_order_and_a_reload_keeps_it(browser, demo_server):
    context = browser.new_context(locale="en-GB", viewport={"width": 1400, "height": 1100})
    try:
        pg = context.new_page()
        pg.set_default_timeout(90_000)
        pg.goto(demo_server)
        wait_idle(pg)
        card = _card(pg, OVERDUE)
        assert "overdue" in card.inner_text()
        card.get_by_role("link", name="Dossier of this order").click()
        wait_idle(pg)
        assert pg.locator("h1").first.inner_text() == "Dossier"
        assert re.search(rf"[?&]order={OVERDUE}\b", pg.url), pg.url
        assert _picked(pg).startswith(OVERDUE)
        assert "14,90 €" in pg.get_by_test_id("stMetric").filter(has_text="Outstanding").inner_text()
        assert pg.get_by_test_id("stException").count() == 0

        pg.reload()
        wait_idle(pg)
        pg.wait_for_timeout(800)
        wait_idle(pg)
        assert re.search(rf"[?&]order={OVERDUE}\b", pg.url), pg.url
        assert _picked(pg).startswith(OVERDUE)

        # another order picked in the Dossier goes into the address too
        pg.goto(f"{demo_server}/dossier?order={PENDING}")
        wait_idle(pg)
        pg.wait_for_timeout(800)
        wait_idle(pg)
        assert _picked(pg).startswith(PENDING)
        assert "59,90 €" in pg.get_by_test_id("stMetric").filter(has_text="Outstanding").inner_text()
    finally:
        context.close()


@pytest.mark.parametrize("locale,lang", [("en-GB", "en"), ("fr-BE", "fr"), ("nl-BE", "nl")])
def test_the_dossier_page_in_each_language(browser, demo_server, locale, lang):
    context = browser.new_context(locale=locale, viewport={"width": 1400, "height": 1400})
    try:
        pg = context.new_page()
        pg.set_default_timeout(90_000)
        pg.goto(f"{demo_server}/dossier?order={OVERDUE}")
        wait_idle(pg)
        pg.wait_for_timeout(800)
        wait_idle(pg)
        assert pg.locator("h1").first.inner_text() == gettext("Dossier", lang)
        assert pg.get_by_test_id("stException").count() == 0
        pg.get_by_role("tab", name=gettext("Letters", lang)).click()
        wait_idle(pg)
        code = pg.get_by_test_id("stCode")
        assert code.count() == 1  # the letter is shown once
        text = code.first.inner_text()
        assert OVERDUE in text and "Lotte Janssens" in text
        assert ("14,90 €" if lang != "nl" else "€ 14,90") in text
        assert pg.get_by_test_id("stCodeCopyButton").count() >= 1 or code.first.locator("button").count() >= 1
        pg.wait_for_timeout(400)
        shot(pg, f"dossier-{lang}")
    finally:
        context.close()
