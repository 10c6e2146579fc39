"""Hostile text in every user-controlled field is shown and exported only as text.

Payloads (HTML, markdown links, emphasis, spreadsheet formulas, DDE, a traversal file name) go into
order titles and stores, bank counterparties and descriptions, PayPal names, evidence file names and
notes, and pasted messages.  Then: (1) every page through AppTest shows them only as text (no
element with ``unsafe_allow_html`` or ``st.html`` carries user data; markdown bodies hold them only
escaped); (2) every export neutralises them (CSV cells, ZIP names, timeline HTML, PDF)."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import zipfile
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import dossier_case as dc
import pytest
from streamlit.testing.v1 import AppTest

from complaint.records import BankTxn, Event, OrderAnnotation
from complaint.store.db import Store
from complaint.timeline.paste import parse_conversation
from ui.safe import md_escape, md_escape_block

ROOT = Path(__file__).resolve().parents[2]
PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[click](javascript:alert(1))",
            "**bold**", '=HYPERLINK("http://evil","x")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "../../etc/passwd"]
FORMULA = ("=", "+", "-", "@", "\t", "\r")
FIELDS = ["order title", "order store", "bank counterparty", "bank description", "PayPal name",
          "evidence file name", "evidence note", "pasted message"]
# what must never reach a page's markdown unescaped (the HTML, the link and the emphasis)
MARKDOWN_DANGER = PAYLOADS[:4]


def poisoned_case():
    case = dc.build_case()
    base_order, base_ev = case.orders[0], case.evidence[0]
    orders, txns, evidence, events = list(case.orders), list(case.transactions), list(case.evidence), list(case.events)
    for i, p in enumerate(PAYLOADS):
        oid = f"81000000000001{i:02d}"
        items = tuple(replace(line, order_id=oid, title=p) for line in base_order.items)
        orders.append(replace(base_order, order_id=oid, store=p, items=items))
        case.annotations[oid] = OrderAnnotation(oid, problem="damaged", payment_method="debit_card",
                                                seller_country="CN", delivered_on=date(2026, 3, 10))
        txns.append(BankTxn(id=f"k{i}", booking_date=date(2026, 2, 21), amount=Decimal("-1.00"), currency="EUR",
                            counterparty=p, description=p, merchant="aliexpress"))
        txns.append(BankTxn(id=f"pp{i}", booking_date=date(2026, 2, 22), amount=Decimal("-2.00"), currency="EUR",
                            counterparty=p, description="PayPal", merchant="paypal", payment_method="paypal"))
        evidence.append(replace(base_ev, sha256=f"{i:x}" * 64, file_name=p, note=p, order_id=oid))
        pasted = parse_conversation(f"10/03/2026 10:0{i}\nSeller\n{p}\n", oid, today=dc.AS_OF)
        events.extend(pasted.events)
        events.append(Event(id=f"msg{i}", kind="message_in", lane="messages", title=p, on=date(2026, 3, 12),
                            body=p, order_ids=(oid,), origin="paste"))
    case.orders, case.transactions, case.evidence, case.events = orders, txns, evidence, events
    return case


def test_md_escape_makes_every_payload_literal():
    for p in PAYLOADS + [":red[x]", ":material/home:", "$x^2$", "~~s~~", "a|b", "# h", "1. x", "`code`"]:
        escaped = md_escape(p)
        assert re.sub(r"\\(.)", r"\1", escaped).replace("\u2060", "") == p  # word joiners break autolinks
        assert not re.search(r"(?<!\\)[<>\[\]()*_`:$~|#]", escaped), escaped
    assert md_escape("a\nb\r\nc\x00") == "a b c"
    assert md_escape_block("a\n**b**") == "a  \n\\*\\*b\\*\\*"
    assert md_escape(None) == ""


# -- (1) pages ---------------------------------------------------------------------------------
def _store_case(db: Path) -> int:
    case = poisoned_case()
    store = Store.open(db)
    c = store.create_case("<script>alert(1)</script> case", as_of=dc.AS_OF)
    for o in case.orders:
        store.add_order(c.id, o)
    for t in case.transactions:
        store.add_transaction(c.id, t)
    for e in case.evidence:
        store.add_evidence(c.id, e, dc.PHOTOS.get(e.sha256, dc.jpeg()))
    for e in case.events:
        store.add_event(c.id, e)
    for a in case.annotations.values():
        store.set_annotation(c.id, a)
    store.close()
    return c.id


def _walk(node):
    children = getattr(node, "children", None)
    for child in (children.values() if isinstance(children, dict) else children or []):
        yield child
        yield from _walk(child)


MARKDOWN_KINDS = {"markdown", "caption", "info", "warning", "error", "success", "title", "header", "subheader",
                  "toast", "exception", "latex"}


def _page_problems(at: AppTest) -> list[str]:
    problems = []
    for el in _walk(at._tree):
        kind = getattr(el, "type", None)
        proto = getattr(el, "proto", None)
        texts = [str(getattr(el, "value", "") or "")] if kind in MARKDOWN_KINDS else []
        for attr in ("label", "help", "placeholder"):
            value = getattr(proto, attr, None) if proto is not None else None
            if isinstance(value, str):
                texts.append(value)
        raw_html = kind == "html" or bool(getattr(proto, "allow_html", False))
        if raw_html:
            body = str(getattr(el, "value", "") or getattr(proto, "body", ""))
            if any(frag in body for frag in ("alert(1)", "evil", "calc", "SUM(1+1)", "etc/passwd", "**bold**")):
                problems.append(f"{kind} with unsafe HTML carries user data: {body[:120]!r}")
        for text in texts:
            for p in MARKDOWN_DANGER:
                if p in text:
                    problems.append(f"{kind} shows {p!r} unescaped: {text[:160]!r}")
    return problems


PAGES = sorted(f"app_pages/{p.name}" for p in (ROOT / "app_pages").glob("*.py"))


@pytest.mark.slow
def test_pages_show_hostile_text_only_as_text(tmp_path, monkeypatch):
    db = tmp_path / "cases.sqlite"
    monkeypatch.setenv("COMPLAINT_DB", str(db))
    case_id = _store_case(db)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["_case_id"] = case_id
    at.run()
    found = {}
    for page in PAGES:
        at.switch_page(page).run()
        crashes = [str(e.value)[:200] for e in at.exception]
        problems = _page_problems(at) + [f"exception: {c}" for c in crashes]
        if problems:
            found[page] = problems
    assert found == {}


# -- (2) exports -------------------------------------------------------------------------------
def _csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _assert_csv_neutral(text: str, where: str) -> None:
    cells = _csv_cells(text)
    for p in PAYLOADS:
        if p[0] in FORMULA:
            assert p not in cells, f"{where}: formula {p!r} written as a live cell"
    for cell in cells:
        if any(p in cell for p in PAYLOADS) and cell[:1] in FORMULA:
            pytest.fail(f"{where}: cell {cell!r} starts a formula")


def test_chronology_exports_are_neutral():
    from complaint.timeline.table import chronology_csv, chronology_markdown

    case = poisoned_case()
    text = chronology_csv(case.events, case.evidence)
    _assert_csv_neutral(text, "chronology CSV")
    assert any("'=HYPERLINK" in c for c in _csv_cells(text))
    md = chronology_markdown(case.events, case.evidence)
    for p in MARKDOWN_DANGER:
        assert p not in md, f"chronology markdown holds {p!r} unescaped"


def test_timeline_html_escapes_user_text_and_fetches_nothing():
    from complaint.timeline.chart import timeline_figure, timeline_html

    case = poisoned_case()
    html = timeline_html(timeline_figure(case.events, dc.build_recon(), as_of=dc.AS_OF))
    for p in PAYLOADS[:2]:
        assert p not in html, f"timeline HTML holds {p!r} raw"
    assert not _external_refs(html), _external_refs(html)


def _external_refs(text: str) -> list[str]:
    patterns = [r"<script[^>]+src\s*=\s*[\"']?(?:https?:)?//", r"<link[^>]+href\s*=\s*[\"']?(?:https?:)?//",
                r"@import\s+(?:url\()?[\"']?(?:https?:)?//", r"url\(\s*[\"']?(?:https?:)?//",
                r"<iframe[^>]+src\s*=\s*[\"']?(?:https?:)?//", r"<img[^>]+src\s*=\s*[\"']?(?:https?:)?//"]
    return [m.group(0) for pat in patterns for m in re.finditer(pat, text, re.IGNORECASE)]


@pytest.fixture(scope="module")
def dossier():
    from complaint.dossier.build import build_dossier

    case = poisoned_case()
    photos = {e.sha256: dc.PHOTOS.get(e.sha256, dc.jpeg()) for e in case.evidence}
    return build_dossier(case, lang="en", as_of=dc.AS_OF, reconciliation=dc.build_recon(), chart="none",
                         evidence_loader=lambda ev: photos.get(ev.sha256))


@pytest.mark.slow
def test_dossier_zip_names_and_csvs_are_safe(dossier):
    zf = zipfile.ZipFile(io.BytesIO(dossier.zip))
    for info in zf.infolist():
        name = info.filename
        assert not name.startswith(("/", "\\")) and ".." not in re.split(r"[/\\]", name), name
        assert not re.search(r"[<>:\"|?*\x00-\x1f]", name), name
        if name.lower().endswith(".csv"):
            _assert_csv_neutral(zf.read(info).decode("utf-8-sig"), name)
        if name.lower().endswith((".html", ".htm")):
            body = zf.read(info).decode("utf-8", "replace")
            assert "<script>alert(1)</script>" not in body and not _external_refs(body), name


@pytest.mark.slow
def test_dossier_pdf_is_plain_text_without_actions(dossier, tmp_path):
    pdf = dossier.pdf
    for marker in (b"/JavaScript", b"/JS ", b"/Launch", b"/SubmitForm", b"/ImportData", b"/RichMedia"):
        assert marker not in pdf, marker
    assert not re.search(rb"/URI\s*\((?:javascript|https?://evil)", pdf, re.IGNORECASE)
    path = tmp_path / "dossier.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True,
                          timeout=60).stdout.decode()
    assert "alert(1)" in text  # the hostile text is there, as plain letters
    assert not _external_refs(text)
