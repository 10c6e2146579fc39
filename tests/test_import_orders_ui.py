"""The orders section of the Import page (AppTest): manual entry stores an order; bad input names the field."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = '''
import streamlit as st
from complaint import api
from ui import import_orders
if "h" not in st.session_state:
    st.session_state.h = api.create_case(api.open_store(), "t")
import_orders.render(st.session_state.h)
st.text("orders=" + ",".join(o.order_id for o in api.case_data(st.session_state.h).orders))
'''


def _app(tmp_path: Path) -> AppTest:
    script = tmp_path / "app_io.py"
    script.write_text(APP)
    return AppTest.from_file(str(script), default_timeout=30).run()


def test_manual_order_form(tmp_path):
    at = _app(tmp_path)
    assert not at.exception
    at.text_input(key="imp_o_m_id").input("3069099405659913")
    at.text_input(key="imp_o_m_total").input("12,34")
    at.button[0].click().run()
    assert not at.exception and at.success
    assert "orders=3069099405659913" in [t.value for t in at.text]


def test_manual_order_form_error_names_field(tmp_path):
    at = _app(tmp_path)
    at.text_input(key="imp_o_m_id").input("not-an-id")
    at.button[0].click().run()
    assert at.error and "order_id" in at.error[0].value.replace("\\", "")  # shown markdown-escaped
