"""The "AliExpress Order Exporter" Chrome extension: one row per order.

Header: ``Order ID, Order Date, Status, Product Title, Product Link, Currency, Price, Store Name,
Store Link``.  Dates are the page text (``Feb 10, 2026``).  The extension reads prices with the
regex ``([A-Z]{2})\\s*\\$\\s*([\\d.]+)``, which has three consequences handled here:

- ``Currency`` is the two-letter prefix (``US``), mapped to ISO (``USD``);
- euro and zloty prices (``€12,34``) do not match, so ``Price`` and ``Currency`` are empty: the
  order is imported with total None and a warning; nothing is guessed;
- a thousands separator stops the match (``US $1,382.11`` becomes ``1``): a price without a
  decimal point is therefore reported and left empty, since AliExpress always shows cents.

``Price`` is the first product's price x quantity (the extension falls back to the order total),
and only the first product is exported, so for orders with several products the total may cover
the first product only.  The one line is keyed ``first``.
"""

from __future__ import annotations

import re

from ...errors import ParseError
from ...i18n import N_, _
from ...records import ImportResult, Issue, OrderLine, issue
from ..base import header_matches, register
from ..textio import Source, read_table
from ..values import ValueParseError, parse_amount, parse_date
from . import common as _orders
from .status import classify

HEADER = ["Order ID", "Order Date", "Status", "Product Title", "Product Link", "Currency", "Price", "Store Name",
          "Store Link"]
PREFIX_CURRENCIES = {"US": "USD", "CA": "CAD", "AU": "AUD", "NZ": "NZD", "HK": "HKD", "SG": "SGD", "MX": "MXN"}
_PRICE_RE = re.compile(r"^\d+\.\d{1,2}$")


class OrderExporterImporter:
    name = "orders.aliexpress_order_exporter"
    kind = "orders"
    label = N_("AliExpress Order Exporter (CSV, one row per order)")

    def identify(self, source: Source) -> float:
        score = header_matches(_orders.sniff_header(source), HEADER)
        return score if score >= 0.75 else 0.0

    def extract(self, source: Source, *, encoding: str | None = None, delimiter: str | None = None) -> ImportResult:
        table = read_table(source, encoding=encoding, delimiter=delimiter)
        idx = {h.strip().lower(): i for i, h in enumerate(table.header)}
        missing = [h for h in ("Order ID", "Order Date", "Price") if h.lower() not in idx]
        if missing:
            raise ParseError(_("missing columns: {columns}", columns=", ".join(missing)), file=source.name,
                             line=table.header_line)
        asm = _orders.OrderAssembler(source, self.name)
        rejected: list[Issue] = []
        skipped: list[Issue] = []
        imported = 0
        seen: set[str] = set()
        for row in table.rows:
            def cell(name: str, cells=row.cells) -> str:
                i = idx.get(name.lower())
                return cells[i].strip() if i is not None and i < len(cells) else ""

            field = "Order ID"
            try:
                order_id = _orders.clean_order_id(cell("Order ID"))
                field = "Order Date"
                day = parse_date(cell("Order Date"), dayfirst=False)
                if day is None:
                    raise ValueParseError(_("the order date is empty"))
            except ValueParseError as exc:
                rejected.append(issue(source.name, row.line_no, N_("{error}"), field=field,
                                      value=cell(field), column=field, error=exc))
                continue
            if order_id in seen:
                skipped.append(issue(source.name, row.line_no, N_("order {order} appears twice in this file; "
                                                                  "the first row is kept"),
                                     field="Order ID", value=order_id, severity="skipped", order=order_id))
                continue
            seen.add(order_id)
            price_text, cur_text = cell("Price"), cell("Currency")
            currency = PREFIX_CURRENCIES.get(cur_text.upper(), cur_text.upper() if len(cur_text) == 3 else None)
            price = None
            if not price_text:
                asm.warnings.append(issue(source.name, row.line_no, N_(
                    "no price: the exporter leaves non-dollar prices (such as €12,34) empty; the order total "
                    "is left empty, enter it by hand or import another export"),
                    field="Price", severity="warning"))
            elif not _PRICE_RE.match(price_text):
                asm.warnings.append(issue(source.name, row.line_no, N_(
                    "price '{price}' has no cents: the exporter cuts prices at a thousands separator "
                    "(US $1,382.11 becomes 1); the order total is left empty"),
                    field="Price", value=price_text, severity="warning", price=price_text))
            else:
                price = parse_amount(price_text, decimal=".")
            if cur_text and currency is None:
                asm.warnings.append(issue(source.name, row.line_no, N_("unknown currency '{currency}'"),
                                          field="Currency", value=cur_text, severity="warning",
                                          currency=cur_text))
            line = OrderLine(order_id=order_id, title=cell("Product Title"), quantity=1, unit_price=price,
                             currency=currency, line_id="first", product_url=cell("Product Link") or None,
                             provenance=_orders.provenance(source, self.name, row.line_no))
            asm.add(order_id, day, classify(cell("Status")), currency, line, line_no=row.line_no,
                    store=cell("Store Name") or None, store_url=cell("Store Link") or None)
            imported += 1
        return _orders.result(source, self.name, asm.orders(), rows_total=len(table.rows), rows_imported=imported,
                              rejected=rejected, warnings=asm.warnings, skipped=skipped)


register(OrderExporterImporter())
