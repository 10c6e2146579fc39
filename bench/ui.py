"""Home page render time on a case of 10,000 orders vs the same page on an empty case, and the
Reconcile page on a large imported case (20,000 orders, 200,000 statement lines).

    .venv/bin/python bench/ui.py                 # measure and print the ratio (target: at most 3x)
    .venv/bin/python bench/ui.py --profile       # also profile the big case's cold render (pyinstrument)

The Reconcile page part imports the exports of ``bench/reconcile.py`` the way the Import page does
(a columnar block in the store) and times the page's first render in a session (the case read from
the store as columns and reconciled) and a rerun, with the most rows any table or picker of the page
sends to the browser (the page pages through its tables; its pickers list what a search finds).

The big case is built from records directly (no files): 10,000 AliExpress orders over two years
(8 % cancelled, so a refund is expected), one card debit per order, a refund credit for most of the
cancelled ones, and 10,000 unrelated statement lines (groceries, rent, transport).  Both cases are
rendered with Streamlit's AppTest through app.py (sidebar, router and page), in the same run:

- cold: the first session on the case (no snapshot of its home figures in the store: the case is
  loaded, reconciled and its deadlines computed, then the snapshot is kept);
- warm: a new session on the unchanged case (the store's snapshot is current: nothing is loaded
  or reconciled), what the user waits for on every later visit;
- rerun: a rerun of the same session (the per-session caches), what the user waits for on every click.

Best of three for each.  The breakdown times the core calls a cold render makes on the big case.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from complaint import api  # noqa: E402
from complaint.records import BankTxn, ImportResult, Order, OrderLine, OrderStatus, Provenance  # noqa: E402

N_ORDERS = 10_000
N_NOISE = 10_000
AS_OF = date(2026, 11, 20)
FIRST = date(2024, 11, 1)
TARGET = 3.0


def _prov(name: str, line: int) -> Provenance:
    return Provenance(source_name=name, source_sha256="0" * 64, importer="bench", line_no=line)


def build(store, seed: int = 11) -> int:
    """A case of N_ORDERS orders with their statement lines; returns its id."""
    rng = np.random.default_rng(seed)
    days = np.sort(rng.integers(0, (AS_OF - FIRST).days - 3, N_ORDERS))
    cents = rng.integers(199, 15_000, N_ORDERS)
    cancelled = rng.random(N_ORDERS) < 0.08
    refunded = cancelled & (rng.random(N_ORDERS) < 0.8)
    orders, txns = [], []
    for i in range(N_ORDERS):
        oid = str(3_000_000_000_000_000 + i * 7919)
        day = FIRST + timedelta(days=int(days[i]))
        amount = Decimal(int(cents[i])) / 100
        status = OrderStatus.CANCELLED if cancelled[i] else OrderStatus.COMPLETED
        line = OrderLine(order_id=oid, title=f"Item {i}", quantity=1, unit_price=amount, currency="EUR",
                         line_id="1", provenance=_prov("orders.csv", i + 2))
        orders.append(Order(order_id=oid, order_date=day, status=status, status_text=status.value, currency="EUR",
                            total=amount, store=f"Store {i % 300}", items=(line,), refund_expected=bool(cancelled[i]),
                            refund_reason="status:cancelled" if cancelled[i] else None,
                            provenance=_prov("orders.csv", i + 2)))
        paid_on = day + timedelta(days=int(rng.integers(0, 3)))
        txns.append(BankTxn(id=f"p{i}", booking_date=paid_on, amount=-amount, currency="EUR",
                            counterparty="AliExpress", description=f"ALIEXPRESS.COM LUXEMBOURG card 1234 {paid_on}",
                            merchant="aliexpress", merchant_rule="bench", payment_method="debit_card",
                            provenance=_prov("bank.csv", len(txns) + 2)))
        if refunded[i]:
            back = paid_on + timedelta(days=int(rng.integers(3, 15)))
            if back < AS_OF:
                txns.append(BankTxn(id=f"r{i}", booking_date=back, amount=amount, currency="EUR",
                                    counterparty="AliExpress", description="ALIEXPRESS.COM REFUND",
                                    merchant="aliexpress", merchant_rule="bench", payment_method="debit_card",
                                    provenance=_prov("bank.csv", len(txns) + 2)))
    for j in range(N_NOISE):
        day = FIRST + timedelta(days=int(rng.integers(0, (AS_OF - FIRST).days)))
        who = ("DELHAIZE", "COLRUYT", "NMBS/SNCB", "HUUR APPARTEMENT", "PROXIMUS")[j % 5]
        txns.append(BankTxn(id=f"n{j}", booking_date=day, amount=-Decimal(int(rng.integers(150, 90_000))) / 100,
                            currency="EUR", counterparty=who, description=f"{who} {day}",
                            provenance=_prov("bank.csv", len(txns) + 2)))
    case = api.create_case(store, "bench 10k", as_of=AS_OF)
    api.add_file(case, ImportResult(file="orders.csv", importer="bench", kind="orders", sha256="a" * 64,
                                    records=tuple(orders), rows_total=len(orders), rows_imported=len(orders)))
    api.add_file(case, ImportResult(file="bank.csv", importer="bench", kind="bank", sha256="b" * 64,
                                    records=tuple(txns), rows_total=len(txns), rows_imported=len(txns)))
    return case.id


def _app(store, case_id: int):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    for name in list(logging.root.manager.loggerDict):  # AppTest's "missing ScriptRunContext" noise
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)
    at.session_state["_store"] = store
    at.session_state["_case_id"] = case_id
    at.session_state["_lang"] = "en"
    return at


def _home(store, case_id: int) -> tuple[object, float]:
    """A new session's first render of the home page: (AppTest, seconds)."""
    at = _app(store, case_id)
    at.switch_page("app_pages/home.py")  # the router would land on the guide for an empty case
    t0 = time.perf_counter()
    at.run()
    took = time.perf_counter() - t0
    problems = [str(e.value) for e in at.exception]
    if problems:
        raise SystemExit(f"the home page failed: {problems[0][:500]}")
    if not at.metric:
        raise SystemExit("the home page showed no figures")
    return at, took


def _never_shown(store, case_id: int) -> int:
    """A copy of the case (a case file round trip) whose home figures were never computed."""
    case = api.open_case(case_id, db=store, create=False)
    return api.import_case(store, api.export_case(case), name=f"{case.name} (cold)").id


def render_times(store, case_id: int, repeat: int = 3) -> dict[str, float]:
    """{"cold", "warm", "rerun"} seconds, best of ``repeat``, for the home page of one case."""
    times: dict[str, list[float]] = {"cold": [], "warm": [], "rerun": []}
    figures = None
    for _ in range(repeat):
        fresh = _never_shown(store, case_id)  # the first visit ever
        at, took = _home(store, fresh)
        times["cold"].append(took)
        shown = [m.value for m in at.metric]
        t0 = time.perf_counter()
        at.run()
        times["rerun"].append(time.perf_counter() - t0)
        if [m.value for m in at.metric] != shown or at.exception:
            raise SystemExit("the rerun did not show the home page's figures")
        at, took = _home(store, fresh)  # a later visit: the snapshot is current
        times["warm"].append(took)
        if [m.value for m in at.metric] != shown or (figures is not None and figures != shown):
            raise SystemExit("the snapshot shows other figures than the computation")
        figures = shown
        api.delete_case(api.open_case(fresh, db=store, create=False))
    return {k: min(v) for k, v in times.items()}


def breakdown(store, case_id: int) -> dict[str, float]:
    out = {}
    t0 = time.perf_counter()
    case = api.case_data(api.open_case(case_id, db=store, create=False))
    out["case_data"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    recon = api.reconcile(case, as_of=AS_OF)
    out["reconcile"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    api.case_summary(case, AS_OF, reconciliation=recon, deadlines=[])
    out["overview"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    api.deadlines(case, recon, AS_OF)
    out["deadlines"] = time.perf_counter() - t0
    return out


def profile(store, case_id: int) -> None:
    """pyinstrument when installed (pip install pyinstrument), else cProfile's top functions."""
    case_id = _never_shown(store, case_id)  # a cold render
    at = _app(store, case_id)
    at.switch_page("app_pages/home.py")
    try:
        from pyinstrument import Profiler
    except ImportError:
        import cProfile
        import pstats

        prof = cProfile.Profile()  # profiles this thread only: the page's core calls, not AppTest's thread
        prof.enable()
        breakdown(store, case_id)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
        return
    with Profiler(interval=0.005) as prof:  # pyinstrument samples every thread, AppTest's script thread too
        at.run()
    print(prof.output_text(unicode=True, color=False, show_all=False))


def reconcile_page(store, case_id: int, repeat: int = 3) -> dict:
    """The Reconcile page of one case: first render of a session (the case read from the store and
    reconciled), rerun (the session's caches), and the most rows one table sends to the browser."""
    first, again, rows = [], [], 0
    for _ in range(repeat):
        at = _app(store, case_id)
        at.switch_page("app_pages/reconcile.py")
        t0 = time.perf_counter()
        at.run()
        first.append(time.perf_counter() - t0)
        if at.exception:
            raise SystemExit(f"the Reconcile page failed: {at.exception[0].value}"[:500])
        t0 = time.perf_counter()
        at.run()
        again.append(time.perf_counter() - t0)
        rows = max([rows] + [len(d.value) for d in at.dataframe])
        rows = max([rows] + [len(m.options) for m in at.multiselect] + [len(b.options) for b in at.selectbox])
    return {"first": min(first), "rerun": min(again), "rows": rows}


def big_stored_case(store, n_orders: int = 20_000) -> tuple[int, int]:
    """The exports of bench/reconcile.py (20,000 orders, 200,000 KBC lines) imported into a case the way
    the Import page does (``api.read_file`` then ``api.add_file``: a columnar block); (case id, lines)."""
    import importlib.util
    import os

    spec = importlib.util.spec_from_file_location("bench_reconcile", Path(__file__).with_name("reconcile.py"))
    rec = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(rec)
    orders, bank = rec.generate(n_orders)
    os.environ.setdefault("COMPLAINT_MAX_FILE_BYTES", rec.BIG_FILES)
    case = api.create_case(store, f"bench {n_orders} orders", as_of=AS_OF)
    api.add_file(case, api.read_file(orders, "orders"))
    api.add_file(case, api.read_file(bank, "bank"))
    return case.id, rec.SIZES[n_orders]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", action="store_true", help="profile the big case's cold render")
    parser.add_argument("--skip-reconcile-page", action="store_true", help="only the home page")
    args = parser.parse_args()
    store = api.open_store()
    t0 = time.perf_counter()
    empty_id = api.create_case(store, "bench empty", as_of=AS_OF).id
    big_id = build(store)
    print(f"built {N_ORDERS:,} orders and their statement lines in {time.perf_counter() - t0:.1f} s")
    _home(store, empty_id)  # imports and Streamlit's first-run work, outside the measures
    empty = render_times(store, empty_id)
    big = render_times(store, big_id)
    print(f"{'':36}{'empty case':>12}{'10k orders':>12}{'ratio':>8}")
    labels = {"cold": "cold (first session, no snapshot)", "warm": "warm (new session, snapshot)",
              "rerun": "rerun (same session)"}
    for key, label in labels.items():
        ratio = big[key] / empty[key]
        verdict = "OK" if ratio <= TARGET else "MISSED"
        print(f"{label:36}{empty[key]:>11.3f}s{big[key]:>11.3f}s{ratio:>7.1f}x  target {TARGET:.0f}x: {verdict}")
    print("cold includes the first-ever load + reconciliation + deadlines of the 10k case (see below); "
          "the target applies to warm and rerun")
    print("core calls on the 10k case: " + ", ".join(f"{k} {v:.3f}s" for k, v in breakdown(store, big_id).items()))
    if args.profile:
        profile(store, big_id)
    if args.skip_reconcile_page:
        return
    t0 = time.perf_counter()
    large_id, lines = big_stored_case(store)
    print(f"\nReconcile page; the large case (20,000 orders, {lines:,} statement lines, imported as on the "
          f"Import page) read in {time.perf_counter() - t0:.1f} s")
    small, large = reconcile_page(store, big_id), reconcile_page(store, large_id)
    print(f"{'':36}{'10k orders':>12}{'20k + 200k':>12}{'ratio':>8}")
    for key, label in (("first", "first render of a session"), ("rerun", "rerun (same session)")):
        print(f"{label:36}{small[key]:>11.3f}s{large[key]:>11.3f}s{large[key] / small[key]:>7.1f}x")
    print(f"most rows a table or picker sends to the browser: {small['rows']:,} and {large['rows']:,} "
          f"(a page of matches; pickers list what a search finds)")


if __name__ == "__main__":
    main()
