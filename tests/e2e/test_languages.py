"""Languages end to end: the browser's language is the default, the sidebar selector switches it,
and every page renders in English, French and Dutch (a screenshot of each under
test-artifacts/screenshots/<lang>-<page>.png).  Titles are compared with the catalogue, so the
test holds before the catalogues are filled (English fallback) and checks the translations after."""

from __future__ import annotations

import pytest

from complaint.i18n import LANGUAGES, gettext

from .conftest import shot, wait_idle

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

# url path -> (screenshot name, the page's st.title message id)
PAGES = {"": ("home", "Your case at a glance"), "guide": ("guide", "Guided help"),
         "import": ("import", "Import your files"), "reconcile": ("reconcile", None),
         "evidence": ("evidence", "Evidence photos and screenshots"), "timeline": ("timeline", None),
         "dossier": ("dossier", "Dossier"), "cases": ("cases", "Cases"), "analyst": ("analyst", "Analyst")}


def _select_language(pg, lang: str) -> None:
    pg.locator(".st-key-lang_select input[role='combobox']").click()
    pg.get_by_role("option", name=LANGUAGES[lang], exact=True).click()
    wait_idle(pg)


def _selected_language(pg) -> str:
    return pg.locator(".st-key-lang_select input[role='combobox']").input_value().strip()


def _open(pg, path: str) -> None:
    """Follow the sidebar link (same session, so the language choice stays)."""
    links = pg.locator("[data-testid='stSidebarNav'] a")
    paths = links.evaluate_all("els => els.map(e => e.pathname)")
    links.nth(paths.index("/" + path)).click()
    wait_idle(pg)


@pytest.mark.parametrize("locale,lang", [("fr-BE", "fr"), ("nl-BE", "nl"), ("en-GB", "en")])
def test_the_browser_language_is_the_default(browser, demo_server, locale, lang):
    context = browser.new_context(locale=locale, viewport={"width": 1400, "height": 1000})
    try:
        pg = context.new_page()
        pg.goto(demo_server)
        wait_idle(pg)
        assert _selected_language(pg) == LANGUAGES[lang]
        assert pg.locator("h1").first.inner_text() == gettext("Your case at a glance", lang)
    finally:
        context.close()


def test_the_selector_switches_every_page(browser, demo_server):
    context = browser.new_context(locale="en-GB", viewport={"width": 1400, "height": 1000})
    try:
        pg = context.new_page()
        pg.set_default_timeout(90_000)
        pg.goto(demo_server)
        wait_idle(pg)
        for lang in ("fr", "nl", "en"):
            _select_language(pg, lang)
            assert _selected_language(pg) == LANGUAGES[lang]
            for path, (name, title) in PAGES.items():
                _open(pg, path)
                assert pg.get_by_test_id("stException").count() == 0, (lang, name)
                if title:
                    assert pg.locator("h1").first.inner_text() == gettext(title, lang), (lang, name)
                if name == "home":
                    paid = pg.get_by_test_id("stMetricValue").first.inner_text()
                    # Belgian conventions from babel: "1 234,56 €" in French, "€ 1.234,56" in Dutch
                    assert paid.startswith("€") if lang == "nl" else paid.endswith("€"), (lang, paid)
                pg.wait_for_timeout(400)  # let late widgets (text inputs) paint before the screenshot
                shot(pg, f"{lang}-{name}")
    finally:
        context.close()
