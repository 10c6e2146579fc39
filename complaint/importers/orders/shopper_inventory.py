"""AliExpress "Shopper Inventory" exports: the CSV and its JSON twin (one row per order line).

Made by the "AliExpress Shopper Inventory" Chrome extension and by "My Purchases Collector",
which writes the same layout.  CSV header::

    Order Date,Order ID,Title,Qty,Price,Store,Product ID,SKU ID,Attributes,Price Info,Currency,
    Status,Product Url,Product Image Url,Store Url,Tags

``Price`` is the **unit** price as displayed (``US $120.95``, ``129,46zł``, ``€12,34``,
``US $1,382.11``); ``Price Info`` repeats it as ``US $120.95|120|95`` and is the fallback when
``Price`` is empty; ``Currency`` is an ISO code.  The line total is Price x Qty.

Dates: the CSV has only an ISO date that the extension computes in UTC, so it can be the day
before the date AliExpress shows (the JSON has both: ``orderDate`` "Feb 21, 2026" and
``orderDateIso`` "2026-02-20").  The JSON importer keeps the displayed date and warns when the two
differ by more than a day.  Line key: Product ID + SKU ID in both (so the CSV and the JSON of the
same order merge line by line).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ...errors import ParseError
from ...i18n import N_, _
from ...records import ImportResult, Issue, OrderLine, issue
from ..base import header_matches, register
from ..columnar.ordercsv import extract_shopper_csv
from ..columnar.readcsv import read_columns, wants_columns
from ..textio import Source, decode, read_table
from ..values import ValueParseError, currency_in, parse_amount, parse_date
from . import common as _orders
from .status import classify

HEADER = ["Order Date", "Order ID", "Title", "Qty", "Price", "Store", "Product ID", "SKU ID", "Attributes",
          "Price Info", "Currency", "Status", "Product Url", "Product Image Url", "Store Url", "Tags"]
JSON_KEYS = ("orderId", "orderLineId", "priceInfo", "storeName", "orderDateIso", "skuId")


@dataclass(frozen=True, slots=True)
class _Row:
    line_no: int
    locator: str | None
    order_id: object
    order_date: str
    date_iso: str
    title: str
    qty: object
    price: str
    price_info: str
    currency: str
    status: str
    store: str
    store_url: str
    product_id: str
    sku_id: str
    line_id: str
    attributes: str
    product_url: str


def unit_price(price: str, price_info: str) -> Decimal | None:
    """The unit price from ``Price``, else from ``Price Info`` (``display|int|fraction``)."""
    value = parse_amount(price) if price.strip() else None
    if value is None and price_info.strip():
        parts = price_info.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit() and parts[2].strip().isdigit():
            value = Decimal(f"{parts[1].strip()}.{parts[2].strip()}")
        else:
            value = parse_amount(parts[0])
    return value


def build(source: Source, importer: str, rows: list[_Row], rows_total: int,
          rejected: list[Issue]) -> ImportResult:
    asm = _orders.OrderAssembler(source, importer)
    imported = 0
    for r in rows:
        fname = source.name
        try:
            field = "Order ID"
            order_id = _orders.clean_order_id(r.order_id)
            field = "Order Date"
            day = _order_date(source, r, asm.warnings)
            field = "Qty"
            qty = _orders.quantity(r.qty, default=None)
            field = "Price"
            price = unit_price(r.price, r.price_info)
        except ValueParseError as exc:
            rejected.append(issue(fname, r.line_no, N_("{error}"), field=field,
                                  value=str(getattr(r, _ATTR[field]) or ""), column=field, error=exc))
            continue
        currency = r.currency.strip().upper() or currency_in(r.price) or currency_in(r.price_info)
        shown = currency_in(r.price)
        if shown and r.currency.strip() and shown != currency:
            asm.warnings.append(issue(fname, r.line_no, N_("the price {price} is not in the currency column's "
                                                           "{currency}; the currency column is used"),
                                      field="Currency", value=r.currency, severity="warning",
                                      price=r.price, currency=currency))
        if price is None:
            asm.warnings.append(issue(fname, r.line_no, N_("no price: the order total is left empty"),
                                      field="Price", severity="warning"))
        info = classify(r.status)
        line = OrderLine(
            order_id=order_id, title=r.title.strip(), quantity=qty, unit_price=price, currency=currency or None,
            line_id=_line_key(r), product_id=r.product_id.strip() or None,
            sku=r.sku_id.strip() or None, attributes=r.attributes.strip() or None,
            product_url=r.product_url.strip() or None,
            provenance=_orders.provenance(source, importer, r.line_no, r.locator))
        asm.add(order_id, day, info, currency or None, line, line_no=r.line_no,
                store=r.store.strip() or None, store_url=r.store_url.strip() or None)
        imported += 1
    return _orders.result(source, importer, asm.orders(), rows_total=rows_total, rows_imported=imported,
                          rejected=rejected, warnings=asm.warnings)


_ATTR = {"Order ID": "order_id", "Order Date": "order_date", "Qty": "qty", "Price": "price"}


def _line_key(r: _Row) -> str | None:
    if r.product_id.strip() or r.sku_id.strip():
        return f"{r.product_id.strip()}:{r.sku_id.strip()}"
    return None


def _order_date(source: Source, r: _Row, warnings: list[Issue]) -> date:
    shown = parse_date(r.order_date, dayfirst=True) if r.order_date.strip() else None
    iso = parse_date(r.date_iso) if r.date_iso.strip() else None
    if shown is None and iso is None:
        raise ValueParseError(_("the order date is empty"))
    if shown and iso and abs((shown - iso).days) > 1:
        warnings.append(issue(source.name, r.line_no, N_("the displayed date {shown} and the ISO date {iso} "
                                                         "differ by more than a day; the displayed date is used"),
                              field="orderDate", severity="warning", shown=shown, iso=iso))
    return shown or iso  # type: ignore[return-value]


class ShopperInventoryCsvImporter:
    name = "orders.shopper_inventory_csv"
    kind = "orders"
    label = N_("AliExpress Shopper Inventory (CSV)")

    def identify(self, source: Source) -> float:
        header = _orders.sniff_header(source)
        score = header_matches(header, HEADER)
        return score if score >= 0.75 else 0.0

    def extract(self, source: Source, *, encoding: str | None = None, delimiter: str | None = None,
                columnar: bool | None = None) -> ImportResult:
        """A large file (or ``columnar=True``) is read into columns
        (:mod:`complaint.importers.columnar.ordercsv`), with the same result."""
        raw = read_columns(source, encoding=encoding, delimiter=delimiter) if wants_columns(source, columnar) else None
        table = raw if raw is not None else read_table(source, encoding=encoding, delimiter=delimiter)
        idx = {h.strip().lower(): i for i, h in enumerate(table.header)}
        missing = [h for h in ("Order ID", "Order Date", "Price", "Qty") if h.lower() not in idx]
        if missing:
            raise ParseError(_("missing columns: {columns}", columns=", ".join(missing)), file=source.name,
                             line=table.header_line)
        if raw is not None:
            return extract_shopper_csv(source, self.name, raw, idx, unit_price)

        def cell(cells: list[str], name: str) -> str:
            i = idx.get(name.lower())
            return cells[i] if i is not None and i < len(cells) else ""

        rows = [_Row(row.line_no, None, cell(row.cells, "Order ID"), "", cell(row.cells, "Order Date"),
                     cell(row.cells, "Title"), cell(row.cells, "Qty"), cell(row.cells, "Price"),
                     cell(row.cells, "Price Info"), cell(row.cells, "Currency"), cell(row.cells, "Status"),
                     cell(row.cells, "Store"), cell(row.cells, "Store Url"), cell(row.cells, "Product ID"),
                     cell(row.cells, "SKU ID"), "", cell(row.cells, "Attributes"), cell(row.cells, "Product Url"))
                for row in table.rows]
        return build(source, self.name, rows, len(table.rows), [])


class ShopperInventoryJsonImporter:
    name = "orders.shopper_inventory_json"
    kind = "orders"
    label = N_("AliExpress Shopper Inventory (JSON)")

    def identify(self, source: Source) -> float:
        head = _orders.json_head(source)
        if head is None:
            return 0.0
        found = sum(1 for k in JSON_KEYS if f'"{k}"'.encode() in head)
        return 0.95 if found >= 4 else 0.0

    def extract(self, source: Source, *, encoding: str | None = None, **_ignored) -> ImportResult:
        text, _enc = decode(source.data, encoding)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ParseError(_("not valid JSON: {error}", error=exc.msg), file=source.name, line=exc.lineno) from exc
        if isinstance(data, dict):
            data = next((v for k, v in data.items() if k in ("orders", "items", "data") and isinstance(v, list)),
                        None)
        if not isinstance(data, list):
            raise ParseError(_("expected a JSON list of order lines"), file=source.name)
        rows: list[_Row] = []
        rejected: list[Issue] = []
        for n, entry in enumerate(data, start=1):
            if not isinstance(entry, dict):
                rejected.append(issue(source.name, n, N_("entry {n} is not an object"), n=n))
                continue

            def s(key: str, entry=entry) -> str:
                v = entry.get(key)
                return "" if v is None else str(v)

            rows.append(_Row(n, f"entry {n}", entry.get("orderId"), s("orderDate"), s("orderDateIso"), s("title"),
                             entry.get("quantity"), s("price"), s("priceInfo"), s("currency"), s("status"),
                             s("storeName"), s("storePageUrl"), s("productId"), s("skuId"), s("orderLineId"),
                             s("attributes"), s("productUrl")))
        return build(source, self.name, rows, len(data), rejected)


register(ShopperInventoryCsvImporter())
register(ShopperInventoryJsonImporter())
