"""The "AliExpress Bulk Order Exporter" userscript: tab-separated text, one row per item.

The script copies rows to the clipboard and its header row with a separate button, so a pasted
file may have the header or not; both are read.  Columns (each row ends with a tab)::

    Order Number, Order Date, Subtotal, Shipping and Tax, Total Order Amount, Store Name,
    Order Status, Tracking Number, Tracking Status, Tracking Status Last Updated, Tracking Link,
    Product Title, Option, Price, Quantity, Pieces Per Pack, Total Quantity, Landed Cost,
    Product URL, Image URL

Known defects of the script, and what this importer does about them:

- amounts are stripped with ``/[^\\d.-]/g``, which drops a decimal comma: ``€12,34`` becomes
  ``1234`` and ``€1.234,56`` becomes ``1.23456``.  AliExpress always shows cents, and a stripped
  dot-decimal price keeps its ``.dd``; so an amount with no ``.dd`` ending can only be a comma
  decimal.  Such amounts are read as cents (``1234`` -> 12.34) and every corrected row gets a
  warning naming the raw value.  Orders whose items total and order total disagree by a factor
  of about 100 are also reported (a mixed file);
- the file names no currency: with a comma-decimal defect EUR is inferred, otherwise USD (the
  script only runs on www.aliexpress.com), with a warning; ``extract(currency=...)`` overrides;
- Subtotal and Total read the same element, so Shipping and Tax is always 0.00: it is ignored.
  ``Order.total`` is the sum of Price x Quantity; Total Order Amount becomes ``paid_amount``;
- Order Status is read from the page heading, not per order;
- missing values are written as ``undefined`` or ``NaN``: read as empty.
Dates are ``M/D/YYYY``.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ...i18n import N_, _
from ...records import ImportResult, Issue, OrderLine, issue
from ..base import header_matches, register
from ..textio import Row, Source, read_table
from ..values import ValueParseError, parse_date
from . import common as _orders
from .status import classify

HEADER = ["Order Number", "Order Date", "Subtotal", "Shipping and Tax", "Total Order Amount", "Store Name",
          "Order Status", "Tracking Number", "Tracking Status", "Tracking Status Last Updated", "Tracking Link",
          "Product Title", "Option", "Price", "Quantity", "Pieces Per Pack", "Total Quantity", "Landed Cost",
          "Product URL", "Image URL"]
_MISSING = {"", "undefined", "nan", "null", "infinity", "-infinity"}
_DOT_DECIMAL = re.compile(r"^-?\d+\.\d{1,2}$")
_STRIPPED = re.compile(r"^-?\d+(?:\.\d+)*$")
_DATE = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")
_ITEM_ID = re.compile(r"/item/(\d+)")


def read_amount(text: str) -> tuple[Decimal | None, bool]:
    """(amount, comma_defect): ``12.34`` -> (12.34, False); ``1234`` -> (12.34, True)."""
    s = (text or "").strip()
    if s.lower() in _MISSING:
        return None, False
    if _DOT_DECIMAL.match(s):
        return Decimal(s), False
    if _STRIPPED.match(s):
        negative = s.startswith("-")
        cents = int(s.lstrip("-").replace(".", ""))
        value = Decimal(cents).scaleb(-2)
        return (-value if negative else value), True
    raise ValueParseError(_("'{value}' is not an amount", value=text))


def _clean(text: str) -> str:
    s = (text or "").strip()
    return "" if s.lower() in _MISSING else s


class BulkTsvImporter:
    name = "orders.aliexpress_bulk_tsv"
    kind = "orders"
    label = N_("AliExpress Bulk Order Exporter (tab-separated)")

    def identify(self, source: Source) -> float:
        header = _orders.sniff_header(source, delimiter="\t")
        score = header_matches(header, HEADER)
        if score >= 0.75:
            return score
        if _headerless(header):
            return 0.7
        return 0.0

    def extract(self, source: Source, *, encoding: str | None = None, delimiter: str | None = None,
                currency: str | None = None) -> ImportResult:
        delim = delimiter or "\t"
        table = read_table(source, encoding=encoding, delimiter=delim)
        if header_matches(table.header, HEADER) >= 0.75:
            idx = {h.strip().lower(): i for i, h in enumerate(table.header)}
            rows = table.rows
        else:
            idx = {h.lower(): i for i, h in enumerate(HEADER)}
            rows = [Row(table.header_line, table.header), *table.rows]
        name = source.name
        asm = _orders.OrderAssembler(source, self.name)
        rejected: list[Issue] = []
        parsed = []
        defects = 0
        for row in rows:
            def cell(col: str, cells=row.cells) -> str:
                i = idx.get(col.lower())
                return _clean(cells[i]) if i is not None and i < len(cells) else ""

            field = "Order Number"
            try:
                order_id = _orders.clean_order_id(cell("Order Number"))
                field = "Order Date"
                if not _DATE.match(cell("Order Date")):
                    raise ValueParseError(_("'{value}' is not a M/D/YYYY date", value=cell('Order Date')))
                day = parse_date(cell("Order Date"), dayfirst=False)
                amounts: dict[str, tuple[Decimal | None, bool]] = {}
                for field in ("Price", "Total Order Amount"):
                    amounts[field] = read_amount(cell(field))
                field = "Quantity"
                qty = _orders.quantity(cell("Quantity"), default=1)
            except ValueParseError as exc:
                rejected.append(issue(name, row.line_no, N_("{error}"), field=field, value=cell(field),
                                      column=field, error=exc))
                continue
            fixed = [f for f, (_v, bad) in amounts.items() if bad]
            if fixed:
                defects += 1
                asm.warnings.append(issue(
                    name, row.line_no, N_("{fields}: '{raw}' has lost its decimal comma (the exporter drops it); "
                                          "read as {read}"),
                    field=fixed[0], value=cell(fixed[0]), severity="warning", fields=", ".join(fixed),
                    raw=cell(fixed[0]), read=amounts[fixed[0]][0]))
            parsed.append((row, cell, order_id, day, amounts, qty))
        cur = (currency or "").upper() or ("EUR" if defects else "USD")
        if not currency and parsed:
            asm.warnings.append(issue(name, None, N_("the file names no currency; {currency} is assumed from "
                                                     "how the amounts are written: choose another if wrong"),
                                      field="currency", severity="warning", currency=cur))
        for row, cell, order_id, day, amounts, qty in parsed:
            title = cell("Product Title")
            if not title:
                asm.warnings.append(issue(name, row.line_no, N_("the exporter did not write this product's title "
                                                                "and price; the order total is left empty"),
                                          field="Product Title", severity="warning"))
            m = _ITEM_ID.search(cell("Product URL"))
            key = f"{m.group(1) if m else title}:{cell('Option')}"
            line = OrderLine(order_id=order_id, title=title or "?", quantity=qty, unit_price=amounts["Price"][0],
                             currency=cur, line_id=key, product_id=m.group(1) if m else None,
                             attributes=cell("Option") or None, product_url=cell("Product URL") or None,
                             provenance=_orders.provenance(source, self.name, row.line_no))
            asm.add(order_id, day, classify(cell("Order Status")), cur, line, line_no=row.line_no,
                    store=cell("Store Name") or None, paid_amount=amounts["Total Order Amount"][0],
                    tracking_number=cell("Tracking Number") or None,
                    tracking_status=cell("Tracking Status") or None)
        orders = asm.orders()
        for order in orders:
            if order.total and order.paid_amount:
                ratio = order.paid_amount / order.total
                if ratio >= 50 or ratio <= Decimal("0.02"):
                    asm.warnings.append(issue(
                        name, order.provenance.line_no if order.provenance else None,
                        N_("order {order}: the order amount {paid} and the items total {items} differ by a "
                           "factor of about 100; one of them lost its decimal comma"),
                        field="Total Order Amount", severity="warning", order=order.order_id,
                        paid=order.paid_amount, items=order.total))
        return _orders.result(source, self.name, orders, rows_total=len(rows), rows_imported=len(parsed),
                              rejected=rejected, warnings=asm.warnings)


def _headerless(cells: list[str]) -> bool:
    if len(cells) not in (20, 21):
        return False
    try:
        _orders.clean_order_id(cells[0])
    except ValueParseError:
        return False
    return bool(_DATE.match(cells[1].strip()))


register(BulkTsvImporter())
