"""Texts the core builds for display show amounts and dates in the Belgian conventions of the
active language (issue 11): deadline labels, guide steps, chronology titles and flags, the chart's
hovers, and the Dossier, Timeline, Evidence and guided-help pages, here in French.  Machine
outputs (.ics, CSV/JSON records) keep ISO dates and plain decimals."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from dossier_case import AS_OF, LAMP, REFUND, MissingCredit, build_case, build_recon
from streamlit.testing.v1 import AppTest

from complaint import fmt
from complaint.api.sample import load_sample
from complaint.dossier.deadlines import deadlines, deadlines_ics
from complaint.dossier.guide import guide_for_order
from complaint.i18n import set_language
from complaint.records import BankTxn, Match
from complaint.store.db import Store
from complaint.timeline.chart import timeline_figure
from complaint.timeline.events import (
    build_chronology,
    chronology_frame,
    format_when,
)
from complaint.timeline.flags import find_contradictions
from complaint.timeline.table import chronology_csv, chronology_records

ROOT = Path(__file__).resolve().parent.parent
SHORT_ORDER = "8116516504403817"  # sample case: 14.90 EUR promised 2026-06-18, never credited (overdue)
FR_MONTHS = r"(janv\.|févr\.|mars|avr\.|mai|juin|juil\.|août|sept\.|oct\.|nov\.|déc\.)"
FR_DATE = re.compile(r"\b\d{1,2} " + FR_MONTHS + r" \d{4}\b")
ISO_DATE = re.compile(r"\b20\d\d-\d\d-\d\d\b")


@pytest.fixture
def french():
    set_language("fr")
    yield
    set_language("en")


@pytest.fixture
def case_recon():
    """The dossier case with the refund still missing at 14.90 EUR (expected since 2 March 2026)."""
    case, recon = build_case(), build_recon()
    case.promises = [replace(p, amount=Decimal("14.90")) for p in case.promises]
    recon.missing_credits = [MissingCredit(REFUND, Decimal("14.90"), "EUR", date(2026, 3, 2), 35, "overdue",
                                           date(2026, 3, 30))]
    return case, recon


def test_fmt_in_the_four_languages():
    assert fmt.money(Decimal("14.90"), "EUR", "fr") == "14,90 €"
    assert fmt.money(Decimal("-1234.5"), "EUR", "fr") == "-1 234,50 €"
    assert fmt.money(Decimal("14.90"), "EUR", "nl") == "€ 14,90"
    assert fmt.money(Decimal("14.90"), "EUR", "en") == "14,90 €"
    assert fmt.day(date(2026, 11, 6), "fr") == "6 nov. 2026"
    assert fmt.day(date(2026, 11, 6), "de") == "06.11.2026"
    assert fmt.number(Decimal("1234.5"), "nl") == "1.234,5"
    bxl = datetime(2026, 3, 2, 14, 5, 9, tzinfo=ZoneInfo("Europe/Brussels"))
    assert fmt.moment(bxl, "fr") == "2 mars 2026 14:05 +01:00"
    assert fmt.moment(bxl, "nl", seconds=True) == "2 mrt 2026 14:05:09 +01:00"
    assert fmt.moment(bxl.replace(tzinfo=None), "fr") == "2 mars 2026 14:05"
    assert fmt.moment(None) == fmt.day(None) == fmt.money(None) == "—"


def test_deadline_labels_in_french_and_the_ics_keeps_iso(case_recon, french):
    case, recon = case_recon
    items = deadlines(case, recon, AS_OF)
    [refund] = [d for d in items if d.kind == "refund_due"]
    assert "14,90 €" in refund.label and "2 mars 2026" in refund.label, refund.label
    assert refund.label.startswith("Le remboursement de 14,90 €")
    follow = [d for d in items if d.kind == "follow_up"]
    assert follow and all(FR_DATE.search(d.label) for d in follow)
    assert not [d.label for d in items if ISO_DATE.search(d.label) or "EUR" in d.label]
    ics = deadlines_ics(items)
    assert f"DTSTART;VALUE=DATE:{refund.date:%Y%m%d}" in ics  # the machine fields stay ISO basic


def test_guide_steps_and_deadlines_in_french(case_recon, french):
    case, recon = case_recon
    lamp = guide_for_order(case, LAMP, recon, AS_OF)  # dispute window closed on 25 March
    why = lamp.step("dispute").why
    assert "25 mars 2026" in why and not ISO_DATE.search(why), why
    seller = lamp.step("seller").why  # message sent on 11 March, no answer
    assert "11 mars 2026" in seller, seller
    refund = guide_for_order(case, REFUND, recon, AS_OF)
    labels = [d.label for d in refund.deadlines]
    assert any("14,90 €" in t and FR_DATE.search(t) for t in labels), labels
    texts = [s.why or "" for s in (*lamp.steps, *refund.steps)] + [s.next_action or "" for s in lamp.steps]
    assert not [t for t in texts if ISO_DATE.search(t)]


def test_chronology_titles_in_french_and_machine_outputs_in_iso(case_recon, french):
    case, recon = case_recon
    events = build_chronology(case, recon, AS_OF)
    overdue = next(e for e in events if e.kind == "refund_overdue")
    assert "14,90 €" in overdue.title and "30 mars 2026" in overdue.title, overdue.title
    assert "2 mars 2026" in overdue.body
    promised = next(e for e in events if e.kind == "refund_promised")
    assert "14,90 €" in promised.title and "EUR" not in promised.title
    lamp = next(e for e in events if e.kind == "order_placed" and e.order_ids == (LAMP,))
    assert "total 45,99 €" in lamp.body
    paid = next(e for e in events if e.kind == "paid" and e.order_ids == (LAMP,))
    assert "45,99 €" in paid.title and "-" not in paid.title.split("€")[0]
    photo = next(e for e in events if e.at is not None)
    assert FR_DATE.search(format_when(photo, human=True))
    assert ISO_DATE.match(format_when(photo))  # CSV, PDF: ISO
    assert FR_DATE.search(chronology_frame([photo], human=True)["when"][0])
    day_only = next(e for e in events if e.at is None)
    assert format_when(day_only, human=True) == fmt.day(day_only.on) + " (date seulement)"
    # the CSV export and the CLI records keep ISO dates
    assert ISO_DATE.search(chronology_csv(events).splitlines()[1])
    record = next(r for r in chronology_records(events) if r["id"] == overdue.id)
    assert record["when"] == "2026-03-30" and json.dumps(record, ensure_ascii=False)


def test_chronology_flags_in_french(case_recon, french):
    case, recon = case_recon
    case.transactions.append(BankTxn("t-back", date(2026, 2, 25), Decimal("14.90"), "EUR", merchant="aliexpress"))
    recon.matches.append(Match("refund", (REFUND,), ("t-back",), 0.9))
    case.transactions.append(BankTxn("t-twice", date(2026, 2, 24), Decimal("-45.99"), "EUR", merchant="aliexpress"))
    recon.matches.append(Match("payment", (LAMP,), ("t-twice",), 0.8))
    flags = {f.code: f.message for f in find_contradictions(build_chronology(case, recon, AS_OF), case, AS_OF)}
    refund = flags["refund_before_promise"]
    assert "25 févr. 2026" in refund and "2 mars 2026" in refund, refund
    assert "21 févr. 2026" in flags["paid_twice"] and "24 févr. 2026" in flags["paid_twice"]
    assert not [m for m in flags.values() if ISO_DATE.search(m)], flags


def test_timeline_hovers_in_french(case_recon, french):
    case, recon = case_recon
    fig = timeline_figure(build_chronology(case, recon, AS_OF), recon, as_of=AS_OF)
    hovers = [str(c) for t in fig.data if t.customdata is not None for c in t.customdata]
    refund = [h for h in hovers if "14,90 €" in h]
    assert refund and all(FR_DATE.search(h) for h in refund), refund
    markers = [row for t in fig.data if t.type == "scatter" and t.mode == "markers" and t.customdata is not None
               and len(t.customdata) and len(t.customdata[0]) == 4 for row in t.customdata]
    assert markers and all(FR_DATE.search(row[1]) for row in markers), [row[1] for row in markers]
    assert not [h for h in hovers if ISO_DATE.search(h)]


# -- the pages, in French ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sample_store() -> tuple[Store, int]:
    store = Store.open(":memory:")
    return store, load_sample(store).id


# AppTest.switch_page runs a page without app.py, so without its language choice: the page runs
# under a small host that does what app.py does (the language, then st.navigation).  The host sits
# next to links to app_pages/ and ui/, as page paths are resolved from the entry point.
HOST = """
import sys
sys.path.insert(0, {root!r})
import streamlit as st
from ui import state
state.language()
st.navigation([st.Page(p, default=(p == {page!r})) for p in {pages!r}]).run()
"""


@pytest.fixture
def french_page(tmp_path, monkeypatch):
    for folder in ("app_pages", "ui"):
        (tmp_path / folder).symlink_to(ROOT / folder, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    pages = sorted(f"app_pages/{p.name}" for p in (ROOT / "app_pages").glob("*.py"))

    def run(store: Store, case_id: int, page: str, **state) -> AppTest:
        host = tmp_path / f"host_{Path(page).stem}.py"
        host.write_text(HOST.format(root=str(ROOT), page=page, pages=pages), encoding="utf-8")
        at = AppTest.from_file(str(host), default_timeout=120)
        at.session_state["_store"] = store
        at.session_state["_case_id"] = case_id
        at.session_state["_lang"] = "fr"
        for key, value in state.items():
            at.session_state[key] = value
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return run


def _shown(at: AppTest, frames: bool = True) -> list[str]:
    out = []
    for kind in ("text", "caption", "markdown", "success", "warning", "error", "info"):
        out += [str(e.value) for e in getattr(at, kind)]
    for frame in at.dataframe if frames else ():
        out += [str(v) for v in frame.value.astype(str).to_numpy().ravel()]
    return out


def test_dossier_page_in_french(sample_store, french_page):
    at = french_page(*sample_store, "app_pages/dossier.py", dossier_order=SHORT_ORDER)
    [table] = [f.value for f in at.dataframe]  # the deadlines of the order
    dates = list(table.iloc[:, 0])
    assert dates and all(FR_DATE.fullmatch(d) for d in dates), dates
    labels = " | ".join(table.iloc[:, 1])
    assert "14,90 €" in labels and "18 juin 2026" in labels, labels
    shown = _shown(at)
    assert any(t.startswith("Prochaine date pour agir") and FR_DATE.search(t) for t in shown)
    assert not [t for t in shown if ISO_DATE.search(t)]


def test_timeline_page_in_french(sample_store, french_page):
    at = french_page(*sample_store, "app_pages/timeline.py", tl_order=SHORT_ORDER)
    [table] = [f.value for f in at.dataframe if "when" in f.value.columns]
    assert all(FR_DATE.search(w) for w in table["when"]), list(table["when"])
    titles = " | ".join(table["title"])
    assert "14,90 €" in titles and FR_DATE.search(titles), titles
    shown = _shown(at, frames=False) + [str(v) for c in ("when", "title", "kind_label") for v in table[c]]
    assert any(t.startswith("Au ") and "Généré le" in t for t in shown)
    assert not [t for t in shown if ISO_DATE.search(t)]  # (the editor of one's own events has date cells)


def test_evidence_page_in_french(sample_store, french_page):
    at = french_page(*sample_store, "app_pages/evidence.py")
    taken = [c.value.replace("\\", "") for c in at.caption if c.value.startswith("Prise le")]  # md-escaped
    assert taken and all(FR_DATE.search(t) for t in taken), taken
    column = [v for v in at.dataframe[0].value.iloc[:, 1] if v]  # "Taken", in the photo's own zone
    assert column and all(FR_DATE.match(v) for v in column), column


def test_guided_help_findings_in_french(sample_store, french_page):
    at = french_page(*sample_store, "app_pages/guide.py", guide_order=SHORT_ORDER, guide_problem="short_quantity",
                     guide_step=4)
    [overdue] = [e.value for e in at.error]
    assert "14,90 €" in overdue and "16 juil. 2026" in overdue and "18 juin 2026" in overdue, overdue
