"""The guided help in a real browser, on a fresh empty store: the problem and the promised refund,
real uploads of the sample order exports, statements and photos, the overdue refund found, the
keyboard path through the step buttons, and the dossier ZIP downloaded and verified."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from complaint.dossier.bundle import verify_manifest

from .conftest import ROOT, shot, start_server, wait_idle

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SAMPLE = ROOT / "sample_data"
EXPECTED = json.loads((SAMPLE / "EXPECTED.json").read_text(encoding="utf-8"))
OVERDUE = next(m for m in EXPECTED["missing_credits"] if m["state"] == "overdue")
PROMISE = next(p for p in json.loads((SAMPLE / "case.json").read_text(encoding="utf-8"))["promises"]
               if p["order_id"] == OVERDUE["order_id"])


@pytest.fixture(scope="module")
def fresh_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("guided")
    proc, url = start_server(tmp)  # no COMPLAINT_DEMO: an empty store
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def page(browser, fresh_server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB", accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    pg.goto(fresh_server)
    wait_idle(pg)
    yield pg
    context.close()


def _no_failure(pg) -> None:
    assert pg.get_by_test_id("stException").count() == 0, pg.get_by_test_id("stException").first.inner_text()


def _header(pg) -> str:
    return pg.locator("[data-testid='stMain'] h2").first.inner_text()


def _click(pg, name: str) -> None:
    pg.get_by_role("button", name=name, exact=True).click()
    wait_idle(pg)


def _type(pg, label: str, text: str) -> None:
    box = pg.get_by_label(label, exact=True)
    box.fill(text)
    box.press("Enter")
    wait_idle(pg)


def _date(pg, label: str, digits: str) -> None:
    """A react-aria date field: type the digits into its segments (day, month, year), then leave it."""
    pg.get_by_role("group", name=label).get_by_role("spinbutton").first.click()
    pg.keyboard.type(digits)
    pg.keyboard.press("Tab")
    wait_idle(pg)


def _upload(pg, files: list[Path]) -> None:
    pg.get_by_test_id("stFileUploaderDropzoneInput").set_input_files([str(f) for f in files])
    wait_idle(pg)
    pg.wait_for_timeout(500)
    wait_idle(pg)


def test_guided_flow_finds_the_overdue_refund(page):
    pg = page
    assert pg.locator("h1").first.inner_text() == "Guided help"
    assert _header(pg) == "1. What went wrong?"
    shot(pg, "guide-1-problem-empty")
    pg.get_by_text("Fewer units than ordered", exact=True).click()
    wait_idle(pg)
    _type(pg, "Order number", OVERDUE["order_id"])
    pg.get_by_text("AliExpress or the seller promised me a refund", exact=True).click()
    wait_idle(pg)
    _type(pg, "Amount promised", PROMISE["amount"].replace(".", ","))
    y, m, d = PROMISE["promised_on"].split("-")
    _date(pg, "Promised on", f"{d}{m}{y}")
    pg.get_by_text("A dispute decision", exact=True).click()
    wait_idle(pg)
    shot(pg, "guide-1-problem-filled")
    _click(pg, "Save and continue")
    _no_failure(pg)
    assert pg.get_by_test_id("stAlertContentError").count() == 0, pg.get_by_test_id("stAlertContentError").first.inner_text()
    assert _header(pg) == "2. Your order"

    _upload(pg, sorted((SAMPLE / "orders").iterdir()))
    assert pg.get_by_test_id("stAlertContentSuccess").count() == 2
    _click(pg, "Add these orders to my case")
    pg.get_by_text(f"Order {OVERDUE['order_id']} is in your case", exact=False).wait_for()
    shot(pg, "guide-2-orders")
    _click(pg, "Next")
    assert _header(pg) == "3. Your bank or PayPal statement"

    _upload(pg, sorted((SAMPLE / "bank").iterdir()))
    assert pg.get_by_test_id("stAlertContentSuccess").count() == 3
    _click(pg, "Add these statements to my case")
    pg.get_by_text("statement lines in your case", exact=False).wait_for()
    shot(pg, "guide-3-bank")
    _click(pg, "Next")
    assert _header(pg) == "4. Photos and screenshots"

    photos = sorted((SAMPLE / "evidence").iterdir())
    _upload(pg, photos)
    _click(pg, f"Add {len(photos)} file(s) to my case")
    pg.get_by_text(f"pictures are linked to order {OVERDUE['order_id']}", exact=False).wait_for()
    shot(pg, "guide-4-photos")
    _click(pg, "Next")
    assert _header(pg) == "5. What we found"
    _no_failure(pg)
    overdue = pg.get_by_test_id("stAlertContentError").first.inner_text()
    assert "overdue" in overdue and "14,90" in overdue, overdue
    assert "16 Jul 2026" in overdue  # EXPECTED.json due_by, in the Belgian English medium format (complaint.fmt)
    assert pg.get_by_text("Paid:", exact=False).count() >= 1
    shot(pg, "guide-5-found")
    _click(pg, "Next")
    assert _header(pg) == "6. What to do now"
    _no_failure(pg)
    assert pg.get_by_text("Open the Dossier: letters", exact=False).count() == 1
    assert pg.locator("[data-testid='stMain'] strong", has_text="1. ").count() == 1  # the first step to take
    shot(pg, "guide-6-next")


def test_tab_reaches_the_step_buttons(page):
    pg = page
    pg.get_by_role("button", name="Back", exact=True).wait_for()
    pg.locator("h1").first.click()  # start from the page body, not a widget
    reached = set()
    for _ in range(80):
        pg.keyboard.press("Tab")
        text = pg.evaluate("() => (document.activeElement && document.activeElement.innerText || '').trim()")
        reached.add(text)
        if {"Back", "Open the Dossier"} <= {t.split("\n")[-1] for t in reached}:
            break
    names = {t.split("\n")[-1] for t in reached}
    assert {"Back", "Open the Dossier"} <= names, names
    pg.get_by_role("radio", name="5. What we found", exact=False).focus()
    pg.keyboard.press("ArrowLeft")  # the step indicator is a radio group: arrows move between steps
    wait_idle(pg)
    assert _header(pg) == "4. Photos and screenshots"
    pg.keyboard.press("Tab")
    for _ in range(60):
        if pg.evaluate("() => (document.activeElement.innerText || '').trim()").endswith("Next"):
            break
        pg.keyboard.press("Tab")
    pg.keyboard.press("Enter")  # Next, from the keyboard
    wait_idle(pg)
    assert _header(pg) == "5. What we found"


def test_dossier_zip_downloads_with_a_valid_manifest(page, tmp_path):
    pg = page
    pg.locator("[data-testid='stSidebarNav'] a[href$='/dossier']").click()
    wait_idle(pg)
    _no_failure(pg)
    pg.get_by_role("tab", name="Export").click()
    _click(pg, "Build PDF + ZIP")
    button = pg.get_by_role("button", name="Download ZIP", exact=True)
    button.wait_for(timeout=120_000)
    with pg.expect_download(timeout=120_000) as info:
        button.click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    data = path.read_bytes()
    assert data[:4] == b"PK\x03\x04"
    assert verify_manifest(data) == []
    shot(pg, "guide-dossier-export")
