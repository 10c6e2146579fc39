"""The Reconcile page (AppTest): overdue refund first, add to dossier, reject a match, record a promise;
amounts and dates in the Belgian conventions of the chosen language; the match filters."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal as D
from pathlib import Path

from streamlit.testing.v1 import AppTest

from complaint.records import BankTxn, ImportResult, Order, OrderStatus, RefundPromise
from complaint.store.db import Store

PAGE = Path(__file__).resolve().parent.parent / "app_pages" / "reconcile.py"


def _page(tmp_path):
    store = Store.open(str(tmp_path / "c.sqlite"))
    cid = store.create_case("t", as_of=date(2025, 6, 30)).id
    orders = (Order("1001", date(2025, 3, 3), OrderStatus.COMPLETED, "completed", "EUR", D("12.00")),)
    txns = (BankTxn("pay", date(2025, 3, 4), D("-12.00"), "EUR", description="ALIEXPRESS.COM", merchant="aliexpress"),)
    store.add_import(cid, ImportResult("o.csv", "manual", "orders", "a", records=orders, rows_total=1, rows_imported=1))
    store.add_import(cid, ImportResult("b.csv", "manual", "bank", "b", records=txns, rows_total=1, rows_imported=1))
    store.add_promise(cid, RefundPromise("p1", "1001", D("12.00"), "EUR", date(2025, 3, 10)))
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.session_state["_store"] = store
    at.session_state["_case_id"] = cid
    return at.run(), store, cid


def test_overdue_first_and_actions(tmp_path):
    at, store, cid = _page(tmp_path)
    assert not at.exception
    header = next(m.value for m in at.markdown if "order 1001" in m.value)
    assert header.startswith(":red-badge[:material/error: Overdue]")
    assert "order 1001 · 12,00 € expected since 10 Mar 2025 · " in header.replace("\\", "")
    assert [m.value for m in at.metric][-1] == "12,00 €"
    next(b for b in at.button if b.label == "Add to dossier").click().run()
    assert not at.exception
    assert store.load_case(cid).annotations["1001"].problem == "refund_not_received"
    next(b for b in at.button if b.label.startswith("Reject")).click().run()
    assert not at.exception
    [d] = store.load_case(cid).decisions
    assert d.decision == "rejected" and d.order_ids == ("1001",)
    assert any("Overdue" in m.value and "order 1001" in m.value for m in at.markdown)


def _no_problem(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def _two_orders(tmp_path):
    """1001 paid and promised (overdue), 1002 paid, a stray refund credit to link by hand."""
    store = Store.open(str(tmp_path / "c.sqlite"))
    cid = store.create_case("t", as_of=date(2025, 6, 30)).id
    orders = (Order("1001", date(2025, 3, 3), OrderStatus.COMPLETED, "completed", "EUR", D("1234.50")),
              Order("1002", date(2025, 3, 5), OrderStatus.COMPLETED, "completed", "EUR", D("20.00")))
    txns = (BankTxn("pay1", date(2025, 3, 4), D("-1234.50"), "EUR", description="ALIEXPRESS.COM", merchant="aliexpress"),
            BankTxn("pay2", date(2025, 3, 6), D("-20.00"), "EUR", description="ALIEXPRESS.COM", merchant="aliexpress"),
            BankTxn("cr", date(2025, 4, 2), D("7.00"), "EUR", description="REFUND SHOP X"))
    store.add_import(cid, ImportResult("o.csv", "manual", "orders", "a", records=orders, rows_total=2, rows_imported=2))
    store.add_import(cid, ImportResult("b.csv", "manual", "bank", "b", records=txns, rows_total=3, rows_imported=3))
    store.add_promise(cid, RefundPromise("p1", "1001", D("1234.50"), "EUR", date(2025, 3, 10)))
    # the page in the session's language, as app.py runs it (state.language() applies the choice)
    at = AppTest.from_string(f"from ui import state\nstate.language()\nimport runpy\n"
                             f"runpy.run_path({str(PAGE)!r}, run_name='__main__')\n", default_timeout=60)
    at.session_state["_store"] = store
    at.session_state["_case_id"] = cid
    at.session_state["_lang"] = "en"
    return at, store, cid


def test_belgian_formats_in_french(tmp_path):
    at, _store, _cid = _two_orders(tmp_path)
    at.session_state["_lang"] = "fr"
    at.run()
    _no_problem(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Payé"].replace("\u202f", " ").replace("\xa0", " ") == "1 254,50 €", metrics
    header = next(m.value for m in at.markdown if "1001" in m.value).replace("\\", "")
    assert header.startswith(":red-badge[:material/error: En retard] **"), header
    assert "10 mars 2025" in header and "EUR" not in header and "2025-" not in header
    assert re.search(r"1[\u202f\xa0 ]234,50\xa0?\s?€", header.replace("\u202f", " ").replace("\xa0", " ")), header
    # every amount and date on the page is Belgian-French, never "€ 1,234.50" or ISO
    for value in [*(m.value for m in at.markdown), *(m.value for m in at.metric)]:
        assert not re.search(r"€ ?\d|\d,\d{3}\.\d\d|\d{4}-\d\d-\d\d", value), value
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["separators"][0] == ","
    assert spec["layout"]["yaxis"]["title"]["text"] != "Amount in euro"  # translated
    assert all(t.endswith("€") for t in spec["data"][0]["text"])


def test_pending_card_and_english_formats(tmp_path):
    at, store, cid = _two_orders(tmp_path)
    store.add_promise(cid, RefundPromise("p2", "1002", D("20.00"), "EUR", date(2025, 6, 27)))
    at.run()
    _no_problem(at)
    cards = [m.value.replace("\\", "") for m in at.markdown if "badge[" in m.value]
    assert cards[0].startswith(":red-badge[:material/error: Overdue]")
    pending = next(c for c in cards if "1002" in c)
    assert pending.startswith(":orange-badge[:material/schedule: Pending]")
    assert "20,00 € expected since 27 Jun 2025" in pending and "due " in pending
    assert {m.label: m.value for m in at.metric}["Paid"] == "1.254,50 €"


def test_match_filters(tmp_path):
    at, _store, _cid = _two_orders(tmp_path)
    at.run()
    _no_problem(at)
    table = at.dataframe[0].value
    assert len(table) == 2 and set(table["Kind"]) == {"payment"}
    assert at.multiselect(key="rec_kinds_en").options == ["payments", "refunds"]
    at.multiselect(key="rec_kinds_en").set_value(["refund"]).run()
    _no_problem(at)
    assert len(at.dataframe[0].value) == 0
    assert not [s for s in at.selectbox if s.key == "rec_pick_en"]  # nothing to review
    at.multiselect(key="rec_kinds_en").set_value(["payment", "refund"]).run()
    at.multiselect(key="rec_states_en").set_value(["confirmed"]).run()
    assert len(at.dataframe[0].value) == 0  # nothing confirmed yet
    at.multiselect(key="rec_states_en").set_value(["proposed"]).run()
    assert len(at.dataframe[0].value) == 2 and set(at.dataframe[0].value["Decision"]) == {"proposed"}
    at.selectbox(key="rec_pick_en").set_value(1).run()
    # the choice survives a change of language (the options are codes, the labels are translated)
    at.session_state["_lang"] = "nl"
    at.run()
    _no_problem(at)
    assert at.multiselect(key="rec_states_nl").value == ["proposed"]
    assert at.multiselect(key="rec_kinds_nl").value == ["payment", "refund"]
    assert at.multiselect(key="rec_kinds_nl").options != ["payments", "refunds"]  # Dutch labels
    assert at.selectbox(key="rec_pick_nl").value == 1
    assert len(at.dataframe[0].value) == 2


def test_confirm_link_and_promise(tmp_path):
    at, store, cid = _two_orders(tmp_path)
    at.run()
    pick = at.selectbox(key="rec_pick_en")
    assert pick.format_func(0).startswith("payment: ")
    target = pick.options[1].split(": ")[1].split(" ")[0]  # the order of the second match
    pick.set_value(1).run()
    next(b for b in at.button if b.label == "Confirm").click().run()
    _no_problem(at)
    [decision] = store.load_case(cid).decisions
    assert decision.decision == "confirmed" and decision.order_ids == (target,)
    table = at.dataframe[0].value
    assert "confirmed" in set(table["Decision"])

    # link the stray refund credit by hand to order 1002
    txn = next(m for m in at.multiselect if m.label == "Transaction(s)")
    assert "02 Apr 2025 · 7,00 € · REFUND SHOP X" in txn.options
    at.radio[0].set_value("refund")
    next(m for m in at.multiselect if m.label == "Order(s)").set_value(["1002"])
    txn.set_value(["cr"])
    next(b for b in at.button if b.label == "Link").click().run()
    _no_problem(at)
    linked = [d for d in store.load_case(cid).decisions if d.decision == "linked"]
    assert [(d.kind, d.order_ids, d.txn_ids) for d in linked] == [("refund", ("1002",), ("cr",))]

    # a promise with a decimal comma
    form = [w for w in at.text_input if w.label == "Amount"][0]
    form.set_value("5,25")
    by = next(s for s in at.selectbox if s.label == "Promised by")
    assert by.format_func("seller") == "the seller"
    next(s for s in at.selectbox if s.label == "Order").set_value("1002")
    next(b for b in at.button if b.label == "Save promise").click().run()
    _no_problem(at)
    promises = {p.order_id: p.amount for p in store.load_case(cid).promises}
    assert promises == {"1001": D("1234.50"), "1002": D("5.25")}
    bad = [w for w in at.text_input if w.label == "Amount"][0]
    bad.set_value("-3")
    next(b for b in at.button if b.label == "Save promise").click().run()
    assert any("needs a positive amount" in e.value for e in at.error)


def test_a_large_case_is_shown_a_page_at_a_time(tmp_path):
    """450 paid orders and a block of 1,200 statement lines: the matches come 200 to a page, the
    pickers list what a search finds, never every line."""
    from datetime import timedelta

    from complaint.importers.columnar.tables import BankColumns, LazyRecords

    store = Store.open(str(tmp_path / "c.sqlite"))
    cid = store.create_case("big", as_of=date(2025, 12, 31)).id
    first = date(2025, 1, 1)
    orders = tuple(Order(str(3_000_000_000_000_000 + i), first + timedelta(days=i // 2), OrderStatus.COMPLETED,
                         "completed", "EUR", D(f"{10 + i}.00")) for i in range(450))
    txns = [BankTxn(f"t{i}", first + timedelta(days=i // 2), D(f"-{10 + i}.00"), "EUR", description="ALIEXPRESS.COM",
                    merchant="aliexpress") for i in range(450)]
    txns += [BankTxn(f"n{i}", first + timedelta(days=i % 300), D("-3.00"), "EUR", description="BAKERY")
             for i in range(750)]
    store.add_import(cid, ImportResult("o.csv", "manual", "orders", "a", records=orders, rows_total=450,
                                       rows_imported=450))
    block = BankColumns.from_records(txns)
    store.add_import(cid, ImportResult("b.csv", "manual", "bank", "b", records=LazyRecords(block), rows_total=1200,
                                       rows_imported=1200))
    at = AppTest.from_file(str(PAGE), default_timeout=120)
    at.session_state["_store"] = store
    at.session_state["_case_id"] = cid
    at.run()
    _no_problem(at)
    matches = next(d for d in at.dataframe if len(d.value) and "Why" in " ".join(map(str, d.value.columns)))
    assert len(matches.value) == 200
    page = next(n for n in at.number_input if n.label == "Page")
    page.set_value(3).run()
    _no_problem(at)
    assert len(next(d for d in at.dataframe if "Why" in " ".join(map(str, d.value.columns))).value) == 50
    picker = next(m for m in at.multiselect if m.label == "Transaction(s)")
    assert len(picker.options) == 200  # the newest 200 of 1,200 lines, until a search narrows them
    next(t for t in at.text_input if t.label.startswith("Find transactions")).input("bakery").run()
    _no_problem(at)
    picker = next(m for m in at.multiselect if m.label == "Transaction(s)")
    assert picker.options and all("BAKERY" in o for o in picker.options)
