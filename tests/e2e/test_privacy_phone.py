"""No request leaves the machine, and every page works on a phone, in a real browser.

- Every page, opened in English, French, Dutch and German (the browser's language picks it), makes
  requests to the app's own host only: every request and WebSocket the page opens is recorded.
- At a phone's size (390 × 844) every page renders without error and without side-scrolling; a
  screenshot of each is kept (test-artifacts/screenshots/phone-<lang>-<page>.png).
- The Analyst, Reconcile and Import pages show no raw key and no "None" (the tables' accessible
  cells are read), and the Timeline's chart writes its month names in French.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from complaint import api

from .conftest import shot, wait_idle

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PAGES = ["", "guide", "import", "reconcile", "evidence", "timeline", "dossier", "cases", "analyst"]
LOCALES = {"en": "en-GB", "fr": "fr-BE", "nl": "nl-BE", "de": "de-BE"}
RAW_KEY = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
FRENCH_MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")


def _open(pg, url: str) -> None:
    pg.goto(url)
    wait_idle(pg)
    pg.wait_for_timeout(500)
    wait_idle(pg)


def _no_failure(pg, where: str) -> None:
    assert pg.get_by_test_id("stException").count() == 0, where


@pytest.mark.parametrize("lang", list(LOCALES))
def test_no_request_leaves_the_machine(browser, demo_server, lang):
    own = urlparse(demo_server).netloc
    seen: list[str] = []
    context = browser.new_context(locale=LOCALES[lang], viewport={"width": 1300, "height": 900})
    context.on("request", lambda request: seen.append(request.url))
    try:
        pg = context.new_page()
        pg.set_default_timeout(90_000)
        pg.on("websocket", lambda ws: seen.append(ws.url))
        for path in PAGES:
            _open(pg, f"{demo_server}/{path}")
            _no_failure(pg, f"{lang}/{path}")
    finally:
        context.close()
    hosts = {urlparse(u).netloc for u in seen if urlparse(u).scheme in ("http", "https", "ws", "wss")}
    assert own in hosts and len(seen) > 20  # the recorder saw the app's own requests
    outside = sorted({u for u in seen if urlparse(u).scheme in ("http", "https", "ws", "wss")
                      and urlparse(u).netloc != own})
    assert outside == [], f"{lang}: requests to other hosts: {outside[:10]}"


def _raw_keys(pg, text: str) -> list[str]:
    """snake_case words of the text, except the names of Material icons (their ligature text)."""
    icons = set(pg.locator("[data-testid='stIconMaterial']").all_inner_texts())
    return [k for k in RAW_KEY.findall(text) if k not in icons]


def _grid_text(pg) -> str:
    """The text of every table: its header and cells, as the grid's accessible table holds them
    (drawn once the table is on screen)."""
    grids = pg.locator("[data-testid='stDataFrame']")
    for k in range(grids.count()):
        grids.nth(k).scroll_into_view_if_needed()
        pg.wait_for_timeout(400)
    return "\n".join(pg.locator("[data-testid='stDataFrame'] table").all_inner_texts())


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_every_page_on_a_phone(browser, demo_server, lang):
    context = browser.new_context(locale=LOCALES[lang], viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    try:
        pg = context.new_page()
        pg.set_default_timeout(90_000)
        for path in PAGES:
            _open(pg, f"{demo_server}/{path}")
            name = path or "home"
            _no_failure(pg, f"{lang}/{name}")
            wide = pg.evaluate("""() => {
                const main = document.querySelector("[data-testid='stMain']") || document.body;
                return [main.scrollWidth, main.clientWidth, document.documentElement.scrollWidth, window.innerWidth];
            }""")
            assert wide[0] <= wide[1] + 1 and wide[2] <= wide[3] + 1, f"{lang}/{name} scrolls sideways: {wide}"
            shot(pg, f"phone-{lang}-{name}")
        if lang == "fr":  # a photo picked from the phone's library goes into the case
            photo = api.sample_files()["evidence"][0]
            _open(pg, f"{demo_server}/evidence")
            pg.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(str(photo))
            pg.wait_for_timeout(800)
            pg.get_by_role("button", name="Ajouter à l'affaire").first.click()
            wait_idle(pg)
            pg.wait_for_timeout(800)
            wait_idle(pg)
            _no_failure(pg, "fr/evidence upload")
            assert "images ajoutées" in pg.locator("[data-testid='stMain']").inner_text()
            shot(pg, "phone-fr-evidence-uploaded")
    finally:
        context.close()


def test_tables_show_no_raw_key_and_no_none(browser, demo_server):
    bank = next(p for p in api.sample_files()["bank"] if p.name.startswith("kbc"))
    context = browser.new_context(locale="fr-BE", viewport={"width": 1400, "height": 1100})
    try:
        pg = context.new_page()
        pg.set_default_timeout(90_000)
        for path in ("analyst", "reconcile"):
            _open(pg, f"{demo_server}/{path}")
            text = pg.locator("[data-testid='stMain']").inner_text() + "\n" + _grid_text(pg)
            assert _grid_text(pg).strip(), path  # the grid's cells were read
            assert "None" not in text.split(), path
            assert _raw_keys(pg, text) == [], (path, _raw_keys(pg, text)[:5])
            assert re.search(r"\d,\d\d\s?€", text), path  # money as 14,90 €
        # a bank statement dropped on the Orders tab is read as a statement
        _open(pg, f"{demo_server}/import")
        pg.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(str(bank))
        wait_idle(pg)
        pg.wait_for_timeout(1500)
        wait_idle(pg)
        main = pg.locator("[data-testid='stMain']").inner_text()
        assert "extrait de compte" in main and "KBC" in main
        assert re.search(r"\d\.\d{3},\d\d\s?€", main) or re.search(r"\d,\d\d\s?€", main)
        text = main + "\n" + _grid_text(pg)
        assert "None" not in text.split()
        assert _raw_keys(pg, text) == [], _raw_keys(pg, text)[:5]
        shot(pg, "fr-import-wrong-tab")
    finally:
        context.close()


def test_the_timeline_chart_speaks_french(browser, demo_server):
    context = browser.new_context(locale="fr-BE", viewport={"width": 1400, "height": 1100})
    try:
        pg = context.new_page()
        pg.set_default_timeout(90_000)
        _open(pg, f"{demo_server}/timeline")
        pg.locator(".xtick text").first.wait_for()
        ticks = pg.locator(".xtick text").evaluate_all("els => els.map(e => e.textContent)")
        assert ticks and all(any(m in t.lower() for m in FRENCH_MONTHS) for t in ticks), ticks
        assert not any(re.search(r"\b(Jan|Feb|Apr|May|Jun|Jul|Aug|Sep|Oct|Dec)\b", t) for t in ticks), ticks
        picked = pg.locator(".st-key-tl_order input[role='combobox']").input_value()
        assert picked.startswith("Commandes avec un problème en cours"), picked
        shot(pg, "fr-timeline-chart")
    finally:
        context.close()
