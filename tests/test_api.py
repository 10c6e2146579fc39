"""The public Python API (``import complaint``), the analyst tables and the Analyst page."""

from __future__ import annotations

import doctest
import importlib
import inspect
import io
import json
import pkgutil
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

import complaint
from complaint import api
from complaint.analysis import analyst

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
EXPECTED = json.loads((SAMPLE / "EXPECTED.json").read_text(encoding="utf-8"))
PLANTED = {(m["order_id"], m["state"]) for m in EXPECTED["missing_credits"]}


@pytest.fixture(scope="module")
def sample():
    return complaint.open_sample()


def test_public_names_are_exported_and_documented():
    assert set(complaint.API_NAMES) == set(api.__all__)  # the lazy root re-exports every name of the door
    for name in complaint.__all__:
        obj = getattr(complaint, name)
        if callable(obj):
            assert obj.__doc__ and len(obj.__doc__.strip()) > 20, name
    for name in api.__all__:  # every operation shows a runnable example
        obj = getattr(api, name)
        if inspect.isfunction(obj):
            assert ">>> " in (obj.__doc__ or "") or name in NO_EXAMPLE, f"{name}: no example in its docstring"
    for name in ("open_case", "import_file", "import_orders", "import_statements", "import_evidence", "reconcile",
                 "build_timeline", "timeline_figure", "export_dossier", "overview_all"):
        assert name in complaint.__all__
    with pytest.raises(AttributeError):
        complaint.no_such_function  # noqa: B018


def test_import_complaint_is_light_and_reconcile_stays_the_function():
    code = ("import sys, complaint; heavy = [m for m in ('pandas', 'streamlit', 'duckdb') if m in sys.modules]; "
            "import complaint.reconciliation.reconcile; from complaint.reconciliation.reconcile import Reconciliation; "
            "print(heavy, callable(complaint.reconcile), complaint.reconcile.__module__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[] True complaint.api.views"  # the api package: one module per area


# draws with a browser; loads numba (a minute to compile on a fresh install): described, tested elsewhere
NO_EXAMPLE = {"timeline_png", "load_compiled_kernels"}
API_MODULES = [api, *(importlib.import_module(f"complaint.api.{m.name}") for m in pkgutil.iter_modules(api.__path__))]


@pytest.mark.parametrize("module", [complaint, *API_MODULES], ids=lambda m: m.__name__)
def test_doctests_of_the_api(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 1 and result.failed == 0, module.__name__


def test_sample_end_to_end(sample, tmp_path):
    rec = complaint.reconcile(sample)
    assert {(m.order_id, m.state) for m in rec.missing_credits} == PLANTED
    assert complaint.reconcile(sample, engine="duckdb").to_json() == rec.to_json()
    frames = rec.frames()
    assert set(frames["missing_credits"]["order_id"]) == {o for o, _s in PLANTED}
    events = complaint.build_timeline(sample, rec)
    assert isinstance(events, pd.DataFrame) and len(events) > 50
    assert {"order", "bank"} <= set(events["lane"])
    overdue = next(o for o, s in PLANTED if s == "overdue")
    one = complaint.build_timeline(sample, rec, order_id=overdue)
    assert 0 < len(one) < len(events) and one["order_ids"].str.contains(overdue).all()
    fig = complaint.timeline_figure(sample, rec)
    assert len(fig.data) > 3
    paths = complaint.export_dossier(sample, tmp_path / "d", order_id=overdue, chart="none")
    assert paths.pdf.read_bytes()[:5] == b"%PDF-" and paths.zip.stat().st_size > 1000


def test_new_case_from_paths_and_file_objects(tmp_path):
    db = tmp_path / "cases.sqlite"
    case = complaint.open_case("Household", db=db)
    orders_path = SAMPLE / "orders" / "aliexpress_orders.csv"
    s = complaint.import_orders(case, orders_path)
    assert s.added > 0 and s.rejected == 0
    again = complaint.import_orders(case, io.BytesIO(orders_path.read_bytes()))  # a file object, same rows
    assert again.added == 0
    banks = sorted((SAMPLE / "bank").iterdir())
    summaries = complaint.import_statements(case, *banks)
    assert len(summaries) == len(banks) and all(x.added > 0 for x in summaries)
    photo = next((SAMPLE / "evidence").iterdir())
    with photo.open("rb") as fh:
        ev = complaint.import_evidence(case, fh, SAMPLE / "evidence")
    assert ev["added"].tolist()[0] and int(ev["added"].sum()) == len(ev) - 1
    assert len(ev) == 1 + len(list((SAMPLE / "evidence").iterdir()))
    assert ev["sha256"].nunique() == len(ev) - 1  # the first picture twice: stored once
    # reopened from the file: the same case, the same data
    reopened = complaint.open_case("Household", db=db, create=False)
    assert reopened.id == case.id
    orders = complaint.orders(reopened)
    assert len(orders) == len({o.order_id for o in complaint.import_file(orders_path, kind="orders").records}) > 0
    assert orders["amount_cents"].dtype == "Int64"
    txns = complaint.transactions(reopened)
    assert txns["amount_cents"].dtype == "int64" and (txns["amount"].map(type).astype(str) == "<class 'decimal.Decimal'>").all()
    assert list(complaint.list_cases(db)["name"]) == ["Household"]
    with pytest.raises(complaint.ComplaintError):
        complaint.open_case("Nope", db=db, create=False)


def test_in_memory_case_data_and_bad_input():
    data = complaint.CaseData(as_of=date.fromisoformat(EXPECTED["as_of"]))
    complaint.import_orders(data, SAMPLE / "orders" / "aliexpress_orders.csv")
    assert data.orders
    with pytest.raises(complaint.ComplaintError, match="junk.csv"):
        complaint.import_statements(data, _named(b"\x00\x01 nothing here", "junk.csv"))
    with pytest.raises(TypeError):
        complaint.reconcile("not a case")


def _named(data: bytes, name: str):
    fh = io.BytesIO(data)
    fh.name = name
    return fh


def test_analyst_tables(sample):
    data = complaint.case_data(sample)
    rec = complaint.reconcile(sample)
    flows = analyst.monthly_flows(data, rec)
    assert flows["month"].is_monotonic_increasing
    assert flows["paid_eur_cents"].sum() == int(rec.summary["paid_eur"] * 100)
    refunds = analyst.refund_table(data, rec)
    assert len(refunds) == len(rec.expected_refunds)
    credited = refunds[refunds["state"] == "credited"]
    assert credited["credited_on"].notna().all() and credited["delay_days"].notna().all()
    tables = complaint.overview_all(sample.store)
    detail = tables["detail"]
    assert {(o, s) for o, s in zip(detail["order_id"], detail["state"], strict=True)} == PLANTED
    assert detail["state"].iloc[0] == "overdue"  # overdue first
    by_store = tables["store"]
    assert by_store["overdue_eur_cents"].is_monotonic_decreasing
    assert by_store["overdue_eur_cents"].sum() == int(rec.summary["refunds_overdue_eur"] * 100)
    assert tables["month"]["pending_eur_cents"].sum() == int(rec.summary["refunds_pending_eur"] * 100)
    with pytest.raises(ValueError, match="group by"):
        analyst.group_missing(detail, "planet")


def test_overview_across_several_cases(tmp_path):
    store = complaint.open_store(tmp_path / "many.sqlite")
    complaint.open_sample(store)
    second = store.import_case(store.export_case(store.get_case("Sample case").id), name="Copy")
    assert second.id
    tables = complaint.overview_all(store)
    assert len(tables["detail"]) == 2 * len(PLANTED)
    top = tables["store"].iloc[0]
    assert top["cases"] == 2 and top["overdue"] == 2 and top["orders"] == 2
    empty = complaint.overview_all(complaint.open_store())
    assert all(f.empty for f in empty.values())


def test_readme_api_snippet_runs(tmp_path, monkeypatch):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = re.search(r"## Python API.*?```python\n(.*?)```", readme, re.S).group(1)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sample_data").symlink_to(SAMPLE)
    exec(compile(code, "README.md", "exec"), {})  # noqa: S102 - our own README
    assert (tmp_path / "dossier" / "dossier.pdf").exists() and (tmp_path / "cases.sqlite").exists()


def test_analyst_page(monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("COMPLAINT_DEMO", "1")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("app_pages/analyst.py").run()
    assert not at.exception and not at.error
    assert at.title[0].value == "Analyst"
    shown = pd.concat([d.value for d in at.dataframe])
    assert set(shown.get("Store / seller", pd.Series(dtype=object)).dropna()) >= {"DELI Tools Official Store"}
    assert "14,90\xa0€" in set(shown["Overdue amount"])  # money, not 14.90
    assert not [c for c in shown.columns if "_" in c]  # readable headers, never overdue_eur_cents
    at.radio(key="analyst_by").set_value("month").run()
    assert not at.exception and "June 2026" in set(at.dataframe[0].value["Month"])
