"""The Reconcile page (AppTest): overdue refund first, add to dossier, reject a match, record a promise."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

from streamlit.testing.v1 import AppTest

from complaint.records import BankTxn, ImportResult, Order, OrderStatus, RefundPromise
from complaint.store import Store

PAGE = Path(__file__).resolve().parent.parent / "pages" / "reconcile.py"


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
    assert any("OVERDUE: order 1001" in t.value for t in at.text)
    assert [m.value for m in at.metric][-1] == "€ 12.00"
    next(b for b in at.button if b.label == "Add to dossier").click().run()
    assert not at.exception
    assert store.load_case(cid).annotations["1001"].problem == "refund_not_received"
    next(b for b in at.button if b.label.startswith("Reject")).click().run()
    assert not at.exception
    [d] = store.load_case(cid).decisions
    assert d.decision == "rejected" and d.order_ids == ("1001",)
    assert any(t.value.startswith("OVERDUE") for t in at.text)
