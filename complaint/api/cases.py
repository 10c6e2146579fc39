"""Case stores and cases: open a store (local file, in memory, or the team's PostgreSQL seen by one
owner), create, list, rename, delete, export and import cases, and read a case's data.

A :class:`CaseHandle` is a case kept in a store: every write through it is one transaction.  A
:class:`~complaint.case.CaseData` is a case in memory (read from files, nothing stored): the same
functions work on it and change only the object.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from ..case import CaseData
from ..errors import CaseNotFound, ComplaintError
from ..i18n import _
from ..records import Case
from ..store.db import Store

PathOrFile = str | os.PathLike | bytes | io.IOBase | Any
StoreLike = Any  # a Store, or one owner's view of the team's store (OwnedStore)


@dataclass
class CaseHandle:
    """A stored case: its store and its record.  ``data()`` reads everything (a CaseData).

    >>> import complaint
    >>> case = complaint.open_case("Sofa 2026")
    >>> (case.name, case.data().orders)
    ('Sofa 2026', [])
    """

    store: StoreLike
    case: Case

    @property
    def id(self) -> int:
        return self.case.id

    @property
    def name(self) -> str:
        return self.case.name

    @property
    def as_of(self) -> date | None:
        """The case's fixed "today" (None: the real today)."""
        return self.case.as_of

    def data(self) -> CaseData:
        return self.store.load_case(self.case.id)

    def __repr__(self) -> str:
        return f"<case {self.case.name!r} (id {self.case.id}) in {self.store.path}>"


CaseLike = CaseHandle | CaseData


def as_store(db: str | os.PathLike | StoreLike | None) -> StoreLike:
    """``db`` as a store: a path opens (or creates) that SQLite file, None a new in-memory store,
    a store (or an owner's view of one) is itself."""
    if db is None:
        return Store.open(":memory:")
    if isinstance(db, str | os.PathLike):
        return Store.open(db)
    if hasattr(db, "load_case"):  # a Store or an owner's view of one
        return db
    raise TypeError(_("expected a case store or the path of one, not {kind}", kind=type(db).__name__))


def case_data(case: CaseLike) -> CaseData:
    """The CaseData of a handle (read from the store) or the CaseData itself.

    >>> import complaint
    >>> complaint.case_data(complaint.CaseData(name="In memory")).name
    'In memory'
    """
    if isinstance(case, CaseHandle):
        rows = getattr(case.store, "block_rows", None)
        if rows is not None:  # a large case: the compiled kernels load while it is read
            from ..reconciliation.engine import prewarm_for

            prewarm_for(0, rows(case.id))
        return case.data()
    if isinstance(case, CaseData):
        return case
    raise TypeError(_("expected a case handle (open_case) or a CaseData, not {kind}", kind=type(case).__name__))


def handle(case: CaseLike) -> CaseHandle:
    """``case`` as a stored case; a CaseData has no store to keep a file or a picture in."""
    if isinstance(case, CaseHandle):
        return case
    raise ComplaintError(_("this needs a stored case (open_case), not a case in memory"))


# -- stores -----------------------------------------------------------------------------------------

def open_store(db: str | os.PathLike | None = None) -> Store:
    """The case store at ``db`` (an SQLite file, created if new), or a fresh in-memory one
    (hosted mode: nothing is written to disk).

    >>> import complaint
    >>> complaint.open_store().path
    ':memory:'
    """
    return as_store(db)


def open_server_store(url: str) -> Store:
    """The team's shared case store on PostgreSQL 15+ (``postgresql://user:password@host/db``),
    created or migrated on first use.  Open it once per process and give each user their own
    view with :func:`owned_store`.  The password never appears in ``store.path`` or a message.

    >>> import complaint
    >>> complaint.open_server_store("mysql://u:secret@host/db")
    Traceback (most recent call last):
    ...
    complaint.errors.StoreError: the database URL must start with postgresql:// (got mysql://u:***@host/db)
    """
    from ..store.postgres import open_server_store as open_pg

    return open_pg(url)


def owned_store(store: Store, owner: str):
    """One owner's view of the team's store: only their cases exist (another owner's case gives the
    same error as a missing one).  Needs a store whose case names are unique per owner (PostgreSQL).

    >>> import complaint
    >>> complaint.owned_store(complaint.open_store(), "alice@example.org")
    Traceback (most recent call last):
    ...
    ValueError: an OwnedStore needs a store whose case names are unique per owner (PostgreSQL)
    """
    from ..store.owned import OwnedStore

    return OwnedStore(store, owner)


# -- cases ------------------------------------------------------------------------------------------

def open_case(name: str | int, db: str | os.PathLike | StoreLike | None = None, *, create: bool = True,
              as_of: date | None = None) -> CaseHandle:
    """Open case ``name`` (or number) of the store ``db`` (file path, store, or None for memory);
    create it if new.  ``create=False`` raises :class:`~complaint.errors.CaseNotFound` instead.
    ``as_of`` fixes the case's "today" (as the sample does) when the case is created.

    >>> import complaint
    >>> store = complaint.open_store()
    >>> complaint.open_case("Sofa 2026", db=store).id == complaint.open_case("Sofa 2026", db=store).id
    True
    >>> complaint.open_case("Nope", db=store, create=False)
    Traceback (most recent call last):
    ...
    complaint.errors.CaseNotFound: no case named 'Nope' in :memory:
    """
    store = as_store(db)
    try:
        return CaseHandle(store, store.get_case(name))
    except CaseNotFound:
        if not create or not isinstance(name, str):
            raise
    return CaseHandle(store, store.create_case(name, as_of=as_of))


def create_case(db: str | os.PathLike | StoreLike, name: str, as_of: date | None = None) -> CaseHandle:
    """A new, empty case; a name already taken is an error (:func:`open_case` opens it instead).

    >>> import complaint
    >>> store = complaint.open_store()
    >>> complaint.create_case(store, "Sofa 2026").name
    'Sofa 2026'
    >>> complaint.create_case(store, "Sofa 2026")
    Traceback (most recent call last):
    ...
    complaint.errors.ComplaintError: a case named 'Sofa 2026' already exists
    """
    store = as_store(db)
    return CaseHandle(store, store.create_case(name, as_of=as_of))


def list_cases(db: str | os.PathLike | StoreLike, *, counts: bool = False) -> pd.DataFrame:
    """One row per case of the store: id, name, created_at, as_of (and with ``counts``: the
    number of orders, transactions and evidence files, which reads each case).

    >>> import complaint
    >>> store = complaint.open_store()
    >>> _ = complaint.create_case(store, "Sofa 2026")
    >>> complaint.list_cases(store, counts=True)[["name", "orders"]].to_dict("records")
    [{'name': 'Sofa 2026', 'orders': 0}]
    """
    store = as_store(db)
    rows = []
    for c in store.list_cases():
        row = {"id": c.id, "name": c.name, "created_at": c.created_at, "as_of": c.as_of}
        if counts:
            data = store.load_case(c.id)
            n_orders, n_txns = data.counts()
            row.update(orders=n_orders, transactions=n_txns, evidence=len(data.evidence))
        rows.append(row)
    columns = ["id", "name", "created_at", "as_of"] + (["orders", "transactions", "evidence"] if counts else [])
    return pd.DataFrame(rows, columns=columns)


def rename_case(case: CaseHandle, new_name: str) -> CaseHandle:
    """Give the case another name (unique in its store).

    >>> import complaint
    >>> complaint.rename_case(complaint.open_case("Sofa"), "Sofa (refund)").name
    'Sofa (refund)'
    """
    case = handle(case)
    return CaseHandle(case.store, case.store.rename_case(case.id, new_name))


def delete_case(case: CaseHandle) -> None:
    """Delete the case and everything in it (files, pictures, notes).

    >>> import complaint
    >>> case = complaint.open_case("Old")
    >>> complaint.delete_case(case)
    >>> list(complaint.list_cases(case.store)["name"])
    []
    """
    case = handle(case)
    case.store.delete_case(case.id)


def export_case(case: CaseHandle) -> bytes:
    """The whole case as one file (a ZIP: every record, exactly, and the original pictures).

    >>> import complaint
    >>> complaint.export_case(complaint.open_case("Sofa"))[:2]
    b'PK'
    """
    case = handle(case)
    return case.store.export_case(case.id)


def import_case(db: str | os.PathLike | StoreLike, file: PathOrFile, name: str | None = None) -> CaseHandle:
    """A case file made by :func:`export_case` (path, bytes or file object) as a new case of the
    store; a free name is chosen when the name is taken.  Files of every earlier version open.

    >>> import complaint
    >>> store = complaint.open_store()
    >>> blob = complaint.export_case(complaint.open_case("Sofa", db=store))
    >>> complaint.import_case(store, blob).name
    'Sofa (2)'
    """
    from ..limits import read_limited

    store = as_store(db)
    label, data = read_limited(file)  # refused after reading at most the file limit
    return CaseHandle(store, store.import_case(data, name=name, label=label))


def case_is_empty(case: CaseLike) -> bool:
    """No order and no statement line yet (answered by the store without reading the case).

    >>> import complaint
    >>> complaint.case_is_empty(complaint.open_case("New"))
    True
    """
    if isinstance(case, CaseHandle):
        has_records = getattr(case.store, "has_records", None)
        if has_records is not None:
            return not has_records(case.id)
    return not any(case_data(case).counts())


def case_from_files(orders: Iterable = (), bank: Iterable = (), evidence: Iterable = (), *,
                    as_of: date | None = None, name: str = "unsaved case", progress=None) -> CaseData:
    """A case read straight from files, nothing stored (one-off runs, notebooks).  ``evidence``
    items may be pictures, folders or ZIPs; ``progress(done, total, name)`` follows the rows read
    of each file and the pictures.

    >>> import complaint
    >>> files = complaint.sample_files()
    >>> case = complaint.case_from_files(orders=files["orders"], bank=files["bank"][:1])
    >>> len(case.orders) > 0 and len(case.transactions) > 0
    True
    """
    from ..reconciliation.engine import prewarm_for

    orders, bank = list(orders), list(bank)
    if _total_bytes(orders + bank) >= _LARGE_INPUT:  # large inputs: the compiled kernels load while they are read
        prewarm_for(10**9)
    case = CaseData(name=name, as_of=as_of)
    for path in orders:
        case.add_result(_read(path, "orders", progress))
        prewarm_for(*case.counts())
    for path in bank:
        case.add_result(_read(path, "bank", progress))
    evidence = list(evidence)
    if evidence:
        from ..evidence.ingest import ingest_paths

        case.evidence.extend(item.evidence for item in ingest_paths(evidence, progress=progress))
    return case


_LARGE_INPUT = 4 << 20  # bytes of input files from which a reconciliation is likely to take the compiled path


def _total_bytes(items) -> int:
    total = 0
    for item in items:
        if isinstance(item, str | os.PathLike):
            try:
                total += os.path.getsize(item)
            except OSError:
                pass
    return total


def _read(path, kind: str, progress):
    """One file's ImportResult, its rows read reported to ``progress``."""
    from ..importers.base import import_file
    from ..importers.progress import report, reporting
    from ..importers.textio import as_source

    source = as_source(path)
    with reporting(progress, source.name, source.data):
        result = import_file(source, kind=kind)
        report(result.rows_total, done=True)
    return result


# -- writes shared by the modules of the API --------------------------------------------------------

_KEYS = {"Event": "id", "RefundPromise": "id", "Decision": "match_key", "Order": "order_id"}


def write_records(case: CaseLike, put: Iterable = (), delete: Iterable = ()) -> None:
    """Keep ``put`` (events, promises, annotations, decisions, orders) and remove each ``(record
    type, key)`` of ``delete``: in one transaction for a stored case, in the lists of a CaseData."""
    put, delete = list(put), list(delete)
    if isinstance(case, CaseHandle):
        case.store.write(case.id, put=put, delete=delete)
        return
    data = case_data(case)
    from ..records import Decision, Event, Order, OrderAnnotation, RefundPromise

    lists = {Event: data.events, RefundPromise: data.promises, Decision: data.decisions, Order: data.orders}
    for kind, key in delete:
        if kind is OrderAnnotation:
            data.annotations.pop(key, None)
        else:
            attr = _KEYS[kind.__name__]
            lists[kind][:] = [r for r in lists[kind] if getattr(r, attr) != key]
    for record in put:
        if isinstance(record, OrderAnnotation):
            data.annotations[record.order_id] = record
            continue
        items, attr = lists[type(record)], _KEYS[type(record).__name__]
        key = getattr(record, attr)
        at = next((i for i, r in enumerate(items) if getattr(r, attr) == key), None)
        if at is None:
            items.append(record)
        else:
            items[at] = record
