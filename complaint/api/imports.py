"""Reading files and importing them into a case: one function reads any order export or statement
(detected, named, or through a column mapping) into a :class:`FileReport`, the one report every
surface shows: rows read and imported, rejected and skipped rows (row, field, value, reason),
remarks, the balance proof, and the same one-line error for a file nobody or several importers
recognise.  Nothing is stored until :func:`add_file`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from ..csvsafe import write_csv
from ..errors import AmbiguousFormat, ComplaintError, NotMyFormat
from ..i18n import N_, _
from ..records import BankTxn, ImportResult, Issue, Order
from ..serialize import to_jsonable
from .cases import CaseHandle, CaseLike, PathOrFile, case_data

# The one wording of "nobody" and "several importers" recognise a file, on every surface.
AMBIGUOUS = N_("{file}: several formats match ({names}); choose one (--importer NAME)")
UNKNOWN = N_("{file}: no importer recognises this file; map its columns (--mapping PROFILE.json)")
NOT_KIND = {"bank": N_("{file}: this is not a bank statement ({importer})"),
            "orders": N_("{file}: this is not an order export ({importer})")}

TXN_COLUMNS = ("id", "booking_date", "value_date", "amount", "currency", "counterparty", "counterparty_account",
               "description", "communication", "bank_reference", "merchant", "merchant_rule", "payment_method",
               "original_amount", "original_currency", "fx_rate", "card_masked", "account", "line")
PROBLEM_COLUMNS = ("kind", "row", "field", "value", "reason")


def source_of(obj: PathOrFile, name: str | None = None):
    """A path, bytes, a file object or an upload (read from its start, even when read before, and
    at most the size limit: ``limits.read_limited``) as a Source."""
    from ..importers.textio import as_source

    return as_source(obj, name)


def txn_row(txn: BankTxn) -> dict:
    """One transaction as the ``import-bank`` JSON shape (a contract: keep the keys)."""
    plain = to_jsonable(txn)
    row = {k: plain.get(k) for k in TXN_COLUMNS if k != "line"}
    row["line"] = txn.provenance.line_no if txn.provenance else None
    return row


def order_row(order: Order) -> dict:
    """One order as the ``import-orders`` JSON shape (a contract: keep the keys)."""
    from ..importers.order_import import order_row as row

    return row(order)


def issue_row(item: Issue) -> dict:
    return {"row": item.line, "field": item.field, "value": item.value, "reason": item.message}


@dataclass(frozen=True)
class FileReport:
    """What reading one file gave: ``result`` (the ImportResult) and its report, the same on every
    surface.  ``to_json()`` is the ``--format json`` object of ``import-bank`` / ``import-orders``."""

    result: ImportResult

    @property
    def file(self) -> str:
        return self.result.file

    @property
    def kind(self) -> str:
        return self.result.kind

    @property
    def format(self) -> str:
        return self.result.importer

    @property
    def rows_total(self) -> int:
        return self.result.rows_total

    @property
    def rows_imported(self) -> int:
        return self.result.rows_imported

    @property
    def rejected(self) -> list[dict]:
        return [issue_row(i) for i in self.result.rejected]

    @property
    def skipped(self) -> list[dict]:
        return [issue_row(i) for i in self.result.skipped]

    @property
    def warnings(self) -> list[dict]:
        return [issue_row(i) for i in self.result.warnings]

    @property
    def balance_check(self) -> str:
        """``ok``, ``mismatch`` (a movement may be missing) or ``not-available``."""
        return self.result.balance_check.status

    def problems(self) -> list[dict]:
        """Rejected and skipped rows and remarks: kind (rejected/skipped/warning), row, field, value, reason."""
        return ([{"kind": "rejected", **r} for r in self.rejected] + [{"kind": "skipped", **r} for r in self.skipped]
                + [{"kind": "warning", **r} for r in self.warnings])

    def problems_csv(self) -> str:
        """:meth:`problems` as a CSV (spreadsheet-safe cells), for download."""
        return write_csv([[to_jsonable(p.get(c)) for c in PROBLEM_COLUMNS] for p in self.problems()],
                         list(PROBLEM_COLUMNS))

    def records(self) -> list[dict]:
        """The transactions or orders read, as their JSON rows."""
        return list(self.iter_records())

    def iter_records(self, chunk: int = 20_000) -> Iterator[dict]:
        """The JSON rows one at a time; records of a columnar import are built ``chunk`` at a time,
        so a million rows are never a million records at once."""
        row = txn_row if self.kind == "bank" else order_row
        columns = getattr(self.result.records, "columns", None)
        if columns is None:
            yield from (row(r) for r in self.result.records if self.kind != "bank" or isinstance(r, BankTxn))
            return
        for start in range(0, len(columns), chunk):
            yield from (row(r) for r in columns.records(range(start, min(start + chunk, len(columns)))))

    def json_items(self) -> Iterator[tuple[str, Any]]:
        """``to_json()`` as (key, value) pairs, its transactions or orders an iterator (streamed by
        the CLI)."""
        doc = self.to_json(records=False)
        key = "transactions" if self.kind == "bank" else "orders"
        for k, v in doc.items():
            yield k, (self.iter_records() if k == key else v)

    @property
    def summary(self) -> str:
        """The one line the CLI prints and the Import page shows."""
        r = self.result
        line = _("{file}: {format}, {n} of {rows} rows imported, {rejected} rejected, {skipped} skipped",
                 file=r.file, format=r.importer, n=r.rows_imported, rows=r.rows_total, rejected=len(r.rejected),
                 skipped=len(r.skipped))
        if self.kind == "bank":
            line += ", " + _("balance {check}", check=self.balance_check)
        return line

    def to_json(self, *, records: bool = True) -> dict[str, Any]:
        """The ``--format json`` object of one file (``records=False``: its orders or transactions
        left as an empty list, for a caller that writes them itself)."""
        r = self.result
        if self.kind == "orders":
            from ..importers.order_import import result_summary

            return result_summary(r, records=records)
        st, check = r.statement, r.balance_check
        return {
            "file": r.file, "format": r.importer, "sha256": r.sha256,
            "rows_total": r.rows_total, "rows_imported": r.rows_imported,
            "transactions": self.records() if records else [],
            "account": st.account if st else None,
            "opening_balance": to_jsonable(st.opening_balance) if st else None,
            "opening_date": to_jsonable(st.opening_date) if st else None,
            "closing_balance": to_jsonable(st.closing_balance) if st else None,
            "closing_date": to_jsonable(st.closing_date) if st else None,
            "balance_check": check.status,
            "balance_difference": to_jsonable(check.difference),
            "rejected_rows": self.rejected, "skipped_rows": self.skipped, "warnings": self.warnings,
        }


def read_file(obj: PathOrFile, kind: str | None = None, *, importer: str | None = None, mapping=None,
              name: str | None = None, encoding: str | None = None, delimiter: str | None = None,
              currency: str | None = None, progress=None) -> FileReport:
    """Read one order export or statement (path, bytes, file object or upload); nothing stored.
    ``progress(rows_read, lines, file)`` is called as rows come in (a large file reports as it goes).

    ``kind``: ``"orders"``, ``"bank"`` or None (either).  The format is detected unless
    ``importer`` names one or ``mapping`` (see :func:`propose_mapping`) maps the columns;
    ``encoding``, ``delimiter`` and ``currency`` go to the order importers that take them.  A file
    nobody recognises raises NotMyFormat, one that several formats claim AmbiguousFormat (with the
    candidates), each with one line naming the file.

    >>> import complaint
    >>> report = complaint.read_file(complaint.sample_files()["bank"][0], "bank")
    >>> (report.format, report.balance_check, report.rejected)
    ('bank.bnppf_csv', 'not-available', [])
    >>> complaint.read_file(b"nothing to see", "bank", name="junk.csv")
    Traceback (most recent call last):
    ...
    complaint.errors.NotMyFormat: junk.csv: no importer recognises this file; map its columns (--mapping PROFILE.json)
    """
    from ..importers.progress import reporting

    source = source_of(obj, name)
    with reporting(progress, source.name, source.data):
        return _read(source, kind, importer, mapping, encoding, delimiter, currency)


def _read(source, kind, importer, mapping, encoding, delimiter, currency) -> FileReport:
    from ..importers import order_import
    from ..importers.base import detect, import_file, load_all
    from ..importers.progress import report

    registry = load_all()
    confidence = None
    if mapping is not None:
        kind = kind or mapping.kind
    elif importer is None:
        try:
            imp, confidence = detect(source, kind)
        except AmbiguousFormat as exc:
            raise AmbiguousFormat(_(AMBIGUOUS, file=source.name, names=", ".join(exc.candidates)),
                                  exc.candidates) from exc
        except NotMyFormat as exc:
            raise NotMyFormat(_(UNKNOWN, file=source.name)) from exc
        importer = imp.name
    elif importer not in registry:
        names = ", ".join(sorted(n for n, i in registry.items() if kind is None or i.kind == kind))
        raise NotMyFormat(_("unknown importer {name}; choose one of: {names}", name=importer, names=names))
    elif kind and registry[importer].kind != kind:
        raise NotMyFormat(_(NOT_KIND[kind], file=source.name, importer=importer))
    kind = kind or registry[importer].kind
    if kind == "orders":
        result = order_import.import_orders(source, importer=None if mapping else importer, mapping=mapping,
                                            encoding=encoding, delimiter=delimiter, currency=currency)
    elif mapping is not None:
        from ..importers.generic_mapped import extract_mapped

        options = {k: v for k, v in {"encoding": encoding, "delimiter": delimiter, "currency": currency}.items() if v}
        result = extract_mapped(source, mapping, {**mapping.options, **options})
    else:
        result = import_file(source, importer=importer)
    if confidence is not None:
        result = replace(result, confidence=confidence)
    report(result.rows_total, done=True)
    return FileReport(result)


def add_file(case: CaseLike, report: FileReport | ImportResult):
    """Keep what :func:`read_file` read in the case; an ImportSummary (added, updated, unchanged,
    rejected, already_imported).  The same file twice, or overlapping files, add nothing twice.

    >>> import complaint
    >>> case = complaint.open_case("Mine")
    >>> report = complaint.read_file(complaint.sample_files()["orders"][1], "orders")
    >>> first, again = complaint.add_file(case, report), complaint.add_file(case, report)
    >>> (first.added > 0, again.already_imported)
    (True, True)
    """
    from ..store.db import ImportSummary

    result = report.result if isinstance(report, FileReport) else report
    if isinstance(case, CaseHandle):
        return case.store.add_import(case.id, result)
    data = case_data(case)
    if any(i.sha256 == result.sha256 for i in data.imports):
        return ImportSummary(file=result.file, importer=result.importer, already_imported=True)
    before = sum(data.counts())
    data.add_result(result)
    added = sum(data.counts()) - before
    return ImportSummary(file=result.file, importer=result.importer, added=added,
                         unchanged=result.rows_imported - added, rejected=len(result.rejected))


def _files(files: Iterable) -> list:
    out = []
    for f in files:
        out.extend(f) if isinstance(f, list | tuple) else out.append(f)
    if not out:
        raise ComplaintError(_("no file given"))
    return out


def import_orders(case: CaseLike, *files: PathOrFile, importer: str | None = None, mapping=None,
                  encoding: str | None = None, delimiter: str | None = None, currency: str | None = None):
    """Read order exports and keep them in the case; one ImportSummary per file (a list for several).

    >>> import complaint
    >>> case = complaint.open_case("Mine")
    >>> complaint.import_orders(case, complaint.sample_files()["orders"][1]).added > 0
    True
    """
    summaries = [add_file(case, read_file(f, "orders", importer=importer, mapping=mapping, encoding=encoding,
                                          delimiter=delimiter, currency=currency)) for f in _files(files)]
    return summaries[0] if len(summaries) == 1 else summaries


def import_statements(case: CaseLike, *files: PathOrFile, importer: str | None = None, mapping=None):
    """Read bank, card and PayPal statements and keep them in the case; one ImportSummary per file.

    >>> import complaint
    >>> case = complaint.open_case("Mine")
    >>> [s.added > 0 for s in complaint.import_statements(case, *complaint.sample_files()["bank"])]
    [True, True, True]
    """
    summaries = [add_file(case, read_file(f, "bank", importer=importer, mapping=mapping)) for f in _files(files)]
    return summaries[0] if len(summaries) == 1 else summaries


def import_file(obj: PathOrFile, kind: str | None = None, importer: str | None = None,
                name: str | None = None) -> ImportResult:
    """Read one file with the detected or named importer; the ImportResult (nothing stored).
    Same as ``read_file(...).result``.

    >>> import complaint
    >>> complaint.import_file(complaint.sample_files()["orders"][1], kind="orders").importer
    'orders.shopper_inventory_csv'
    """
    return read_file(obj, kind, importer=importer, name=name).result


def list_importers(kind: str | None = None) -> dict[str, str]:
    """Every importer (of ``kind``): name -> label, for choosing one when a file is ambiguous.

    >>> import complaint
    >>> complaint.list_importers("bank")["bank.kbc_csv"]
    'KBC / CBC account CSV'
    """
    from ..importers.base import load_all

    return {name: _(imp.label) for name, imp in sorted(load_all().items()) if kind is None or imp.kind == kind}


@dataclass(frozen=True)
class Layouts:
    """The formats that may read a file, best first: (importer name, label, confidence)."""

    found: list[tuple[str, str, float]]
    ambiguous: bool  # two of them are too close to choose


def file_layouts(obj: PathOrFile, kind: str = "orders", name: str | None = None) -> Layouts:
    """Which formats claim the file (a cheap look at its header), for a page to offer the choice.

    >>> import complaint
    >>> complaint.file_layouts(complaint.sample_files()["orders"][0]).found[0][0]
    'orders.aliexpress_bulk_tsv'
    """
    from ..importers.base import CLEAR_MARGIN, MIN_CONFIDENCE, candidates

    found = [(imp.name, _(imp.label), conf) for imp, conf in candidates(source_of(obj, name), kind)
             if conf >= MIN_CONFIDENCE]
    return Layouts(found, len(found) > 1 and found[0][2] - found[1][2] < CLEAR_MARGIN)


def rejected_csv(reports: Iterable[FileReport]) -> str:
    """The rejected and skipped rows of several files as one CSV: file, row, field, value, reason.

    >>> import complaint
    >>> report = complaint.read_file(complaint.sample_files()["orders"][1], "orders")
    >>> complaint.rejected_csv([report]).splitlines()[0]
    'file,row,field,value,reason'
    """
    rows = [{"file": r.file, **p} for r in reports for p in r.problems() if p["kind"] != "warning"]
    cols = ["file", "row", "field", "value", "reason"]
    return write_csv([[to_jsonable(row.get(c)) for c in cols] for row in rows], cols)

