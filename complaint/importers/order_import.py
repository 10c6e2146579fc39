"""Importing order files: the one public function the CLI and the Import page both call.

:func:`import_orders` reads one file with the detected importer, a forced one (``importer=``) or
the generic column-mapped importer (``mapping=``), passing options (encoding, delimiter,
currency) to importers that take them.  :func:`order_rows` and :func:`rejected_rows` shape a
result for output; :func:`layout_candidates` lists what might read a file, for a page to offer a
choice when the file is ambiguous.
"""

from __future__ import annotations

import inspect
from typing import Any

from ..csvsafe import write_csv
from ..errors import AmbiguousFormat, ComplaintError, NotMyFormat, ParseError
from ..i18n import _
from ..records import ImportResult, Order
from ..serialize import to_jsonable
from .base import describe_error
from .mapping import Mapping
from .textio import Source, as_source

GENERIC = "orders.generic_mapped"


def _call_extract(imp, source: Source, **options: Any) -> ImportResult:
    """Call ``imp.extract`` with the options its signature accepts (None values dropped)."""
    opts = {k: v for k, v in options.items() if v is not None}
    params = inspect.signature(imp.extract).parameters
    if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        opts = {k: v for k, v in opts.items() if k in params}
    try:
        return imp.extract(source, **opts)
    except ComplaintError:
        raise
    except (ValueError, KeyError, IndexError, TypeError, UnicodeError) as exc:
        raise ParseError(_("cannot be read as {label}: {error}", label=_(imp.label), error=describe_error(exc)),
                         file=source.name) from exc


def layout_candidates(source: Source) -> list[tuple[str, str, float]]:
    """(importer name, label, confidence) of every order importer that claims the file, best first."""
    from .base import candidates

    return [(imp.name, _(imp.label), conf) for imp, conf in candidates(source, kind="orders")]


def import_orders(obj, *, importer: str | None = None, mapping: Mapping | None = None, name: str | None = None,
                  encoding: str | None = None, delimiter: str | None = None,
                  currency: str | None = None) -> ImportResult:
    """One order file -> ImportResult.

    Raises NotMyFormat when nothing recognises the file, AmbiguousFormat (naming the candidates
    and ``--importer``) when two layouts claim it, ParseError when the chosen one cannot read it.
    """
    from .base import detect, load_all

    source = as_source(obj, name)
    registry = load_all()
    options = {"encoding": encoding, "delimiter": delimiter, "currency": currency}
    if mapping is not None:
        if mapping.kind != "orders":
            raise ComplaintError(_("{file}: the mapping profile is for {kind} files, not orders",
                                   file=source.name, kind=mapping.kind))
        imp = registry[GENERIC]
        return _call_extract(imp, source, mapping=mapping, **options)
    if importer:
        imp = registry.get(importer)
        if imp is None or imp.kind != "orders":
            names = ", ".join(sorted(n for n, i in registry.items() if i.kind == "orders"))
            raise NotMyFormat(_("unknown order importer {name}; choose one of: {names}", name=importer,
                                names=names))
        return _call_extract(imp, source, **options)
    try:
        imp, confidence = detect(source, kind="orders")
    except AmbiguousFormat as exc:
        raise AmbiguousFormat(_("{file}: several order layouts match ({names}); choose one with --importer NAME",
                                file=source.name, names=", ".join(exc.candidates)), exc.candidates) from exc
    except NotMyFormat as exc:
        raise NotMyFormat(_("{file}: no order importer recognises this file; use --importer {generic} (with "
                            "--mapping PROFILE.json) to map its columns", file=source.name,
                            generic=GENERIC)) from exc
    result = _call_extract(imp, source, **options)
    from dataclasses import replace

    return replace(result, confidence=confidence)


def order_row(order: Order) -> dict[str, Any]:
    """The JSON shape of one order in ``import-orders`` output (the CLI contract)."""
    return {
        "order_id": order.order_id,
        "order_date": order.order_date.isoformat(),
        "order_time": order.order_time.isoformat() if order.order_time else None,
        "total": None if order.total is None else format(order.total, "f"),
        "currency": order.currency,
        "paid_amount": None if order.paid_amount is None else format(order.paid_amount, "f"),
        "status": order.status.value,
        "status_text": order.status_text,
        "refund_expected": order.refund_expected,
        "refund_reason": order.refund_reason,
        "end_reason": order.end_reason,
        "store": order.store,
        "tracking_number": order.tracking_number,
        "items": [{"line_id": i.key, "title": i.title, "quantity": i.quantity,
                   "unit_price": None if i.unit_price is None else format(i.unit_price, "f"),
                   "currency": i.currency, "product_id": i.product_id, "sku": i.sku, "attributes": i.attributes}
                  for i in order.items],
        "line": order.provenance.line_no if order.provenance else None,
    }


def _issue_row(iss) -> dict[str, Any]:
    return {"file": iss.file, "row": iss.line, "field": iss.field, "value": iss.value, "reason": iss.message}


def result_summary(result: ImportResult, *, records: bool = True) -> dict[str, Any]:
    """One file's result as the ``import-orders --format json`` object (``records=False``: no orders)."""
    return {
        "file": result.file,
        "format": result.importer,
        "confidence": result.confidence,
        "sha256": result.sha256,
        "rows_total": result.rows_total,
        "rows_imported": result.rows_imported,
        "orders": [order_row(o) for o in result.records] if records else [],
        "rejected_rows": [_issue_row(i) for i in result.rejected],
        "skipped_rows": [_issue_row(i) for i in result.skipped],
        "warnings": [_issue_row(i) for i in result.warnings],
    }


def rejected_rows(results: list[ImportResult]) -> list[dict[str, Any]]:
    return [_issue_row(i) for r in results for i in (*r.rejected, *r.skipped)]


def rejected_csv(results: list[ImportResult]) -> str:
    """Rejected and skipped rows as a CSV (spreadsheet-safe cells), for download."""
    cols = ["file", "row", "field", "value", "reason"]
    return write_csv([to_jsonable(r) for r in rejected_rows(results)], cols)
