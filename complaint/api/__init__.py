"""The Python API: what the app does, for notebooks and scripts (no Streamlit anywhere).

A case lives in a store (an SQLite file, or ``":memory:"``) and is opened by name; the functions
take the handle, a :class:`~complaint.case.CaseData` or plain files, accept paths or file-like
objects, and return typed records or pandas DataFrames (money as integer cents plus ``Decimal``).

>>> import complaint
>>> case = complaint.open_sample()                                  # the bundled sample case
>>> rec = complaint.reconcile(case)
>>> [(m.order_id, str(m.expected_amount), m.state) for m in rec.missing_credits]
[('8116516504403817', '14.90', 'overdue'), ('3065169024372184', '59.90', 'pending')]
>>> events = complaint.build_timeline(case, rec)
>>> list(events.columns[:4])
['id', 'on', 'at_utc', 'when']

A new case from files (paths, bytes or file objects):

>>> c = complaint.open_case("My disputes")                          # in memory unless db= is given
>>> orders = complaint.sample_files()["orders"][0]
>>> complaint.import_orders(c, orders).added > 0
True
>>> complaint.open_case("My disputes", db=c.store).name            # opening again finds it
'My disputes'
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from ..case import CaseData
from ..errors import CaseNotFound, ComplaintError
from ..i18n import _
from ..records import Case, ImportResult
from ..store.db import ImportSummary, Store

PathOrFile = str | os.PathLike | bytes | io.IOBase | Any


@dataclass
class CaseHandle:
    """A stored case: its store and its record.  ``data()`` reads everything (a CaseData)."""

    store: Store
    case: Case

    @property
    def id(self) -> int:
        return self.case.id

    @property
    def name(self) -> str:
        return self.case.name

    def data(self) -> CaseData:
        return self.store.load_case(self.case.id)

    def __repr__(self) -> str:
        return f"<case {self.case.name!r} (id {self.case.id}) in {self.store.path}>"


CaseLike = CaseHandle | CaseData


def _store(db: str | os.PathLike | Store | None) -> Store:
    if isinstance(db, Store):
        return db
    return Store.open(":memory:" if db is None else db)


def open_store(db: str | os.PathLike | None = None) -> Store:
    """The case store at ``db`` (an SQLite file, created if new), or a fresh in-memory one."""
    return _store(db)


def open_case(name: str, db: str | os.PathLike | Store | None = None, *, create: bool = True,
              as_of: date | None = None) -> CaseHandle:
    """Open case ``name`` of the store ``db`` (file path, Store, or None for memory); create it if new.

    ``create=False`` raises :class:`~complaint.errors.CaseNotFound` instead.  ``as_of`` fixes the
    case's "today" (as the sample does) when the case is created.
    """
    store = _store(db)
    try:
        return CaseHandle(store, store.get_case(name))
    except CaseNotFound:
        if not create:
            raise
    return CaseHandle(store, store.create_case(name, as_of=as_of))


def open_sample(db: str | os.PathLike | Store | None = None) -> CaseHandle:
    """The bundled sample case (imported into the store once)."""
    from .sample import load_sample

    store = _store(db)
    return CaseHandle(store, load_sample(store))


def sample_files() -> dict[str, list[Path]]:
    """Paths of the sample's raw files: ``{"orders": [...], "bank": [...], "evidence": [...]}``."""
    from .sample import sample_files as files

    return files()


def list_cases(db: str | os.PathLike | Store) -> pd.DataFrame:
    """One row per case of the store: id, name, created_at, as_of."""
    store = _store(db)
    rows = [{"id": c.id, "name": c.name, "created_at": c.created_at, "as_of": c.as_of} for c in store.list_cases()]
    return pd.DataFrame(rows, columns=["id", "name", "created_at", "as_of"])


def case_data(case: CaseLike) -> CaseData:
    """The CaseData of a handle (read from the store) or the CaseData itself."""
    if isinstance(case, CaseHandle):
        return case.data()
    if isinstance(case, CaseData):
        return case
    raise TypeError(_("expected a case handle (open_case) or a CaseData, not {kind}", kind=type(case).__name__))


# -- importing --------------------------------------------------------------------------------------

def import_file(obj: PathOrFile, kind: str | None = None, importer: str | None = None,
                name: str | None = None) -> ImportResult:
    """Read one file (path, bytes or file object) with the detected or named importer; nothing stored.

    ``kind`` is ``"orders"`` or ``"bank"`` (None: any).  Rejected rows are in ``result.rejected``.
    """
    from ..importers.base import import_file as _import

    return _import(obj, kind=kind, importer=importer, name=name)


def _add(case: CaseLike, results: list[ImportResult]) -> ImportSummary | list[ImportSummary]:
    summaries = []
    for result in results:
        if isinstance(case, CaseHandle):
            summaries.append(case.store.add_import(case.id, result))
        else:
            before = {o.order_id for o in case.orders} | {t.id for t in case.transactions}
            case.add_result(result)
            after = {o.order_id for o in case.orders} | {t.id for t in case.transactions}
            summaries.append(ImportSummary(file=result.file, importer=result.importer, added=len(after - before),
                                           unchanged=result.rows_imported - len(after - before),
                                           rejected=len(result.rejected)))
    return summaries[0] if len(summaries) == 1 else summaries


def import_orders(case: CaseLike, *files: PathOrFile, importer: str | None = None) -> ImportSummary | list:
    """Import order exports into the case; one ImportSummary per file (added/updated/unchanged/rejected)."""
    from ..importers.order_import import import_orders as read

    return _add(case, [read(f, importer=importer) for f in _files(files)])


def import_statements(case: CaseLike, *files: PathOrFile, importer: str | None = None) -> ImportSummary | list:
    """Import bank, card and PayPal statements into the case; one ImportSummary per file."""
    return _add(case, [import_file(f, kind="bank", importer=importer) for f in _files(files)])


def import_evidence(case: CaseLike, *paths: PathOrFile, tz: str = "Europe/Brussels") -> pd.DataFrame:
    """Add photos/screenshots (files, folders, ZIPs, or file objects with a ``name``) to the case.

    Returns one row per file: file_name, sha256, captured_at, time_source, added (False if the
    same bytes were already there).
    """
    from ..evidence.ingest import ingest_paths, ingest_upload

    pairs = []
    for p in _files(paths):
        if isinstance(p, str | os.PathLike):
            pairs.extend((item.evidence, item.read_bytes) for item in ingest_paths([p], tz=tz))
        else:
            data = p.read() if hasattr(p, "read") else bytes(p)
            name = Path(getattr(p, "name", "upload.jpg")).name
            pairs.extend((ev, (lambda b=b: b)) for ev, b in ingest_upload(name, data, tz=tz))
    rows = []
    for ev, read in pairs:
        if isinstance(case, CaseHandle):
            added = case.store.add_evidence(case.id, ev, read())
        else:
            added = all(e.sha256 != ev.sha256 for e in case.evidence)
            if added:
                case.evidence.append(ev)
        rows.append({"file_name": ev.file_name, "sha256": ev.sha256, "captured_at": ev.captured_at,
                     "time_source": ev.time_source, "added": added})
    return pd.DataFrame(rows, columns=["file_name", "sha256", "captured_at", "time_source", "added"])


def _files(files: Iterable) -> list:
    out = []
    for f in files:
        if isinstance(f, list | tuple):
            out.extend(f)
        else:
            out.append(f)
    if not out:
        raise ComplaintError(_("no file given"))
    return out


# -- reading ----------------------------------------------------------------------------------------

def orders(case: CaseLike) -> pd.DataFrame:
    """The orders: order_id, order_date, store, status, currency, amount (Decimal), amount_cents, refund_expected."""
    from ..reconciliation.fx import minor_exponent

    rows = []
    for o in case_data(case).orders:
        due = o.amount_due
        rows.append({"order_id": o.order_id, "order_date": o.order_date, "store": o.store, "status": o.status.value,
                     "currency": o.currency, "amount": due,
                     "amount_cents": None if due is None else int(due.scaleb(minor_exponent(o.currency))),
                     "refund_expected": o.refund_expected})
    frame = pd.DataFrame(rows, columns=["order_id", "order_date", "store", "status", "currency", "amount",
                                        "amount_cents", "refund_expected"])
    return frame.astype({"amount_cents": "Int64"})


def transactions(case: CaseLike) -> pd.DataFrame:
    """The bank/PayPal rows: id, booking_date, amount (Decimal), amount_cents, currency, merchant, description."""
    from ..reconciliation.fx import minor_exponent

    rows = [{"id": t.id, "booking_date": t.booking_date, "amount": t.amount,
             "amount_cents": int(t.amount.scaleb(minor_exponent(t.currency))), "currency": t.currency,
             "merchant": t.merchant, "payment_method": t.payment_method, "description": t.description,
             "file": t.provenance.source_name if t.provenance else None}
            for t in case_data(case).transactions]
    return pd.DataFrame(rows, columns=["id", "booking_date", "amount", "amount_cents", "currency", "merchant",
                                       "payment_method", "description", "file"]).astype({"amount_cents": "int64"})


# -- reconciliation, chronology, dossier ------------------------------------------------------------

def reconcile(case: CaseLike, as_of: date | None = None, *, window_days: int = 10,
              amount_tolerance: Decimal | str = Decimal("0.03"), engine: str = "pandas"):
    """Match payments and refunds; a :class:`~complaint.reconciliation.reconcile.Reconciliation`.

    ``rec.missing_credits`` (typed records), ``rec.summary`` (EUR Decimals), ``rec.frames()``
    (DataFrames by table), ``rec.to_json()``.  ``engine``: pandas, duckdb or auto.
    """
    from ..reconciliation.reconcile import reconcile as _reconcile

    return _reconcile(case_data(case), as_of, window_days=window_days, amount_tolerance=Decimal(amount_tolerance),
                      engine=engine)


def build_timeline(case: CaseLike, reconciliation=None, as_of: date | None = None,
                   order_id: str | None = None) -> pd.DataFrame:
    """The chronology (every event, derived and manual) as a DataFrame, one row per event."""
    from ..timeline.events import build_chronology, chronology_frame, filter_events

    data = case_data(case)
    events = build_chronology(data, reconciliation, as_of=as_of or data.today())
    return chronology_frame(filter_events(events, order_id=order_id) if order_id else events)


def timeline_figure(case: CaseLike, reconciliation=None, as_of: date | None = None, order_id: str | None = None,
                    lang: str | None = None):
    """The dispute timeline chart (a plotly Figure): lanes, waiting spans, overdue in red, today."""
    from ..timeline.chart import timeline_figure as figure
    from ..timeline.events import build_chronology

    data = case_data(case)
    today = as_of or data.today()
    if reconciliation is None:
        reconciliation = reconcile(data, today)
    events = build_chronology(data, reconciliation, as_of=today)
    return figure(events, reconciliation, as_of=today, order_id=order_id, lang=lang)


def export_dossier(case: CaseLike, out_dir: str | os.PathLike, order_id: str | None = None, lang: str = "en",
                   as_of: date | None = None, variant: str = "full", chart: str = "auto"):
    """Write ``out_dir/dossier.pdf`` and ``out_dir/dossier.zip``; returns their paths (``.pdf``, ``.zip``).

    For a stored case the evidence originals come from the store.
    """
    from ..dossier.build import export_dossier as export

    data = case_data(case)
    loader = None
    if isinstance(case, CaseHandle):
        store, case_id = case.store, case.id

        def loader(ev):
            try:
                return store.evidence_bytes(case_id, ev.sha256)
            except ComplaintError:
                return None

    return export(data, out_dir, order_id=order_id, lang=lang, as_of=as_of, evidence_loader=loader,
                  variant=variant, chart=chart)


def overview_all(db: str | os.PathLike | Store, as_of: date | None = None) -> dict[str, pd.DataFrame]:
    """Overdue refunds across every case of a store (see :func:`complaint.analysis.analyst.overview_all`)."""
    from ..analysis.analyst import overview_all as overview

    return overview(_store(db), as_of=as_of)
