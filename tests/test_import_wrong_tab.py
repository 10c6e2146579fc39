"""The Import page reads a file dropped in the wrong tab as what it is, says where it belongs, shows
balances and amounts as money and empty cells as nothing, and its toasts agree with the page."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from complaint import api

SAMPLE = api.sample_files()
BANK = next(p for p in SAMPLE["bank"] if p.name.startswith("kbc"))
ORDERS = next(p for p in SAMPLE["orders"] if p.suffix == ".csv")

APP = '''
import streamlit as st
from complaint import api
from complaint.i18n import set_language
from ui import import_bank, import_orders
set_language(st.session_state.get("lang", "en"))
if "h" not in st.session_state:
    st.session_state.h = api.create_case(api.open_store(), "t")
orders_tab, bank_tab = st.tabs(["Orders", "Statements"])
with orders_tab:
    import_orders.render(st.session_state.h)
with bank_tab:
    import_bank.render(st.session_state.h)
data = api.case_data(st.session_state.h)
st.text(f"orders={len(data.orders)} transactions={len(data.transactions)}")
'''


@pytest.fixture
def app(tmp_path: Path) -> AppTest:
    script = tmp_path / "app_import.py"
    script.write_text(APP)
    return AppTest.from_file(str(script), default_timeout=60)


def _counts(at: AppTest) -> str:
    return next(t.value for t in at.text if t.value.startswith("orders="))


def _cells(at: AppTest) -> list[str]:
    return [str(v) for df in at.dataframe for col in df.value.columns for v in df.value[col]]


def test_a_statement_on_the_orders_tab_is_read_as_a_statement(app):
    app.run()
    app.get("file_uploader")[0].set_value((BANK.name, BANK.read_bytes(), "text/csv")).run()
    assert not app.exception
    infos = " ".join(i.value for i in app.info)
    assert "bank statement" in infos and "KBC" in infos and "statements tab" in infos  # what it is, where it belongs
    assert not any("Map the columns" in m.value for m in app.markdown)
    success = " ".join(s.value for s in app.success)
    assert "€" in success  # the balance proof in money (€2,431.57), not 2431.57
    cells = _cells(app)
    assert "None" not in cells and "nan" not in cells
    assert any("€" in c for c in cells)  # amounts as money
    [add] = [b for b in app.button if b.label == "Add to the case"]
    add.click().run()
    assert not app.exception
    assert "transactions=0" not in _counts(app)
    assert [t.value for t in app.toast][-1].startswith("Statement saved in the case")


def test_an_order_export_on_the_statements_tab_is_read_as_orders(app):
    app.run()
    app.get("file_uploader")[1].set_value((ORDERS.name, ORDERS.read_bytes(), "text/csv")).run()
    assert not app.exception
    assert any("order export" in i.value and "Orders tab" in i.value for i in app.info)
    assert "None" not in _cells(app)
    go = [b for b in app.button if b.label.startswith("Import 1 file")]
    go[0].click().run()
    assert not app.exception
    assert not _counts(app).startswith("orders=0")


def test_adding_a_statement_twice_never_toasts_saved(app):
    app.run()
    app.get("file_uploader")[1].set_value((BANK.name, BANK.read_bytes(), "text/csv")).run()
    add = lambda: next(b for b in app.button if b.label == "Add to the case")  # noqa: E731
    add().click().run()
    add().click().run()
    assert any("already imported" in i.value for i in app.info)
    assert [t.value for t in app.toast][-1].startswith("This file was already imported")
