"""The browser order exporter that writes one row per item (CSV) and a JSON backup of the same orders.

CSV header (columns may come in any order; names compare case-insensitively)::

    Order Id, Order date, Order Status, Order detail url, Store Name, Store url, Currency,
    Tracking number, Tracking link, Item title, Item price, Item quantity, Item attributes,
    Item image url, Item product link, Total order net price, Total Shipping,
    Total price adjustments, Total discount, Total EU Tax, Total VAT, Total price, Buyer Full Name,
    Buyer address, Buyer Phone Number, Buyer country, Buyer region, Buyer ZIP, Buyer city,
    Payment method

The JSON backup is a list of orders: ``orderId``, ``orderDate``, ``orderDateTimestampFormat``
(epoch milliseconds), ``status``, ``currency``, ``items[{title, priceAmount, quantity, attributes,
productLink}]``, ``priceData{total, shipping, discount, euTax, vat, netAmount, priceAdjustment}``,
``seller{storeName, storeUrl}``, ``trackingData{trackingNumber, shippingCompany, steps[]}``,
``paymentMethod``.

The text is the AliExpress page in the account's language: dates in words (``3. Aug 2025``,
``3 de ago. de 2025``, read by :mod:`complaint.importers.textdates`), statuses in words
(:mod:`.status`), currencies as signs (``€``, ``US $``, ``zł``).  ``Item price`` is the unit
price.  ``Total price`` is the order total; the exporter leaves it empty for orders it did not
open, and then the total is computed from the items (price x quantity, plus shipping where given)
with a warning on that order.  The buyer's name, address and phone are not kept: nothing in a
dispute file needs them.

Line key (same in the CSV and the JSON, so the two files of one order merge item by item): the
product id of the item link plus the attributes, else the title.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from ...errors import ParseError
from ...i18n import N_, _
from ...records import ImportResult, Issue, OrderLine, issue
from ..base import header_matches, register
from ..textio import Source, decode, read_table
from ..values import ValueParseError, currency_in, parse_amount, parse_date
from . import common as _orders
from .status import classify

HEADER = ["Order Id", "Order date", "Order Status", "Store Name", "Currency", "Item title", "Item price",
          "Item quantity", "Item product link", "Total Shipping", "Total price"]
JSON_KEYS = ("orderId", "orderDate", "items", "priceData")
_PRODUCT_ID = re.compile(r"/item/(?:[^/]*/)?(\d{6,})\.html|[?&](?:productId|itemId)=(\d{6,})")
_BRUSSELS = ZoneInfo("Europe/Brussels")


def line_key(title: str, attributes: str | None, link: str | None) -> str:
    """The item's key inside its order: ``<product id>:<attributes>`` or, without a link, the title."""
    pid = product_id(link)
    if pid:
        return f"{pid}:{(attributes or '').strip()}"
    return " ".join(title.split())


def product_id(link: str | None) -> str | None:
    m = _PRODUCT_ID.search(link or "")
    return (m[1] or m[2]) if m else None


def currency_of(text: str) -> str | None:
    """ISO currency of a cell that holds a code (``EUR``) or a sign (``€``, ``US $``, ``zł``)."""
    t = (text or "").strip()
    if re.fullmatch(r"[A-Za-z]{3}", t):
        return t.upper()
    return currency_in(t)


def _money(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueParseError(_("'{value}' is not a number", value=value))
    if isinstance(value, int | float):
        try:
            return Decimal(str(value))
        except InvalidOperation as exc:
            raise ValueParseError(_("'{value}' is not a number", value=value)) from exc
    return parse_amount(str(value))


class _Orders:
    """What both files share: the assembler, totals and the warning of a computed total."""

    def __init__(self, source: Source, importer: str, total_field: str):
        self.source, self.importer, self.total_field = source, importer, total_field
        self.asm = _orders.OrderAssembler(source, importer)
        self.given_total: dict[str, Decimal | None] = {}
        self.first_line: dict[str, int | None] = {}

    def add(self, *, order_id: str, day: date, status_text: str, currency: str | None, line: OrderLine | None,
            line_no: int | None, total: Decimal | None, shipping: Decimal | None, store: str | None,
            store_url: str | None, tracking: str | None, order_time: datetime | None = None) -> None:
        if order_id not in self.given_total or self.given_total[order_id] is None:
            self.given_total[order_id] = total
        self.first_line.setdefault(order_id, line_no)
        extra = {"order_time": order_time, "tz_source": "export" if order_time else None}
        self.asm.add(order_id, day, classify(status_text), currency, line, line_no=line_no, store=store,
                     store_url=store_url, shipping=shipping, tracking_number=tracking or None,
                     **{k: v for k, v in extra.items() if v is not None})

    def status_of(self, order_id: str) -> str:
        """The status text already read for an order ('' when none): continuation rows leave it empty."""
        draft = self.asm.drafts.get(order_id)
        return draft.status.status_text if draft else ""

    def orders(self) -> list:
        from dataclasses import replace

        out = []
        for order in self.asm.orders():
            given = self.given_total.get(order.order_id)
            if given is not None:
                order = replace(order, total=given)
            elif order.total is not None:
                self.asm.warnings.append(issue(
                    self.source.name, self.first_line.get(order.order_id), N_(
                        "order {order}: the file gives no total; {total} is computed from its items "
                        "(price x quantity, plus shipping)"),
                    field=self.total_field, severity="warning", order=order.order_id, total=str(order.total)))
            else:
                self.asm.warnings.append(issue(
                    self.source.name, self.first_line.get(order.order_id), N_(
                        "order {order}: the file gives no total and an item has no price; the total is left empty"),
                    field=self.total_field, severity="warning", order=order.order_id))
            out.append(order)
        return out


class OrdersExporterCsvImporter:
    name = "orders.aliexpress_orders_exporter_csv"
    kind = "orders"
    label = N_("AliExpress orders exporter (CSV, one row per item)")

    def identify(self, source: Source) -> float:
        score = header_matches(_orders.sniff_header(source), HEADER)
        return 0.9 if score >= 0.75 else 0.0

    def extract(self, source: Source) -> ImportResult:
        table = read_table(source)
        idx: dict[str, int] = {}
        for i, h in enumerate(table.header):
            idx.setdefault(" ".join(h.strip().lower().split()), i)
        missing = [h for h in ("Order Id", "Order date") if h.lower() not in idx]
        if missing:
            raise ParseError(_("missing columns: {columns}", columns=", ".join(missing)), file=source.name,
                             line=table.header_line)
        acc = _Orders(source, self.name, "Total price")
        rejected: list[Issue] = []
        imported = 0
        last: tuple[str, date, str | None] | None = None  # the previous row's order id, date and currency
        for row in table.rows:
            def cell(name: str, cells=row.cells) -> str:
                i = idx.get(name.lower())
                return cells[i].strip() if i is not None and i < len(cells) else ""

            field = "Order Id"
            try:
                if not cell(field) and last is not None and cell("Item title"):
                    order_id = last[0]  # an item row under its order's row: the order fields are on the first
                else:
                    order_id = _orders.clean_order_id(cell(field))
                field = "Order date"
                day = parse_date(cell(field))
                if day is None and last is not None and last[0] == order_id:
                    day = last[1]
                if day is None:
                    raise ValueParseError(_("the order date is empty"))
                field = "Currency"
                currency = currency_of(cell(field)) or currency_in(cell("Item price")) or currency_in(
                    cell("Total price")) or (last[2] if last is not None and last[0] == order_id else None)
                if cell(field) and currency is None:
                    raise ValueParseError(_("unknown currency '{currency}'", currency=cell(field)))
                field = "Item price"
                price = _money(cell(field))
                field = "Item quantity"
                qty = _orders.quantity(cell(field), default=1)
                field = "Total price"
                total = _money(cell(field))
                field = "Total Shipping"
                shipping = _money(cell(field))
            except ValueParseError as exc:
                rejected.append(issue(source.name, row.line_no, N_("{error}"), field=field, value=cell(field),
                                      column=field, error=exc))
                continue
            title = cell("Item title")
            line = None
            if title or price is not None:
                attrs = cell("Item attributes") or None
                link = cell("Item product link") or None
                line = OrderLine(order_id=order_id, title=title, quantity=qty, unit_price=price, currency=currency,
                                 line_id=line_key(title, attrs, link), attributes=attrs, product_url=link,
                                 product_id=product_id(link), provenance=_orders.provenance(source, self.name, row.line_no))
            last = (order_id, day, currency)
            acc.add(order_id=order_id, day=day, status_text=cell("Order Status") or acc.status_of(order_id),
                    currency=currency, line=line,
                    line_no=row.line_no, total=total, shipping=shipping, store=cell("Store Name") or None,
                    store_url=cell("Store url") or None, tracking=cell("Tracking number"))
            imported += 1
        orders = acc.orders()
        return _orders.result(source, self.name, orders, rows_total=len(table.rows), rows_imported=imported,
                              rejected=rejected, warnings=acc.asm.warnings)


class OrdersExporterJsonImporter:
    name = "orders.aliexpress_orders_exporter_json"
    kind = "orders"
    label = N_("AliExpress orders exporter (JSON backup)")

    def identify(self, source: Source) -> float:
        head = _orders.json_head(source)
        if head is None:
            return 0.0
        text = head.decode("utf-8", "replace")
        return 0.9 if all(f'"{k}"' in text for k in JSON_KEYS) and '"priceAmount"' in text else 0.0

    def extract(self, source: Source) -> ImportResult:
        text, _enc = decode(source.data)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ParseError(_("not valid JSON: {error}", error=exc.msg), file=source.name, line=exc.lineno) from exc
        if isinstance(data, dict):  # a backup wrapped in an object: {"orders": [...]}
            data = next((v for k, v in data.items() if k in ("orders", "data", "items") and isinstance(v, list)), data)
        if not isinstance(data, list):
            raise ParseError(_("expected a list of orders"), file=source.name)
        acc = _Orders(source, self.name, "priceData.total")
        rejected: list[Issue] = []
        imported = 0
        for n, raw in enumerate(data):
            where = f"[{n}]"
            if not isinstance(raw, dict):
                rejected.append(issue(source.name, None, N_("entry {where} is not an order"), field=None,
                                      value=None, where=where))
                continue
            field = "orderId"
            try:
                order_id = _orders.clean_order_id(raw.get(field))
                field = "orderDate"
                day, when = _json_day(raw)
                field = "currency"
                currency = currency_of(str(raw.get(field) or ""))
                prices = raw.get("priceData") if isinstance(raw.get("priceData"), dict) else {}
                field = "priceData.total"
                total = _money(prices.get("total"))
                field = "priceData.shipping"
                shipping = _money(prices.get("shipping"))
                items = raw.get("items") if isinstance(raw.get("items"), list) else []
                lines = []
                for k, item in enumerate(items):
                    if not isinstance(item, dict):
                        continue
                    field = f"items[{k}].priceAmount"
                    price = _money(item.get("priceAmount", item.get("price")))
                    field = f"items[{k}].quantity"
                    qty = _orders.quantity(item.get("quantity", item.get("qty")), default=1)
                    title = str(item.get("title") or "")
                    attrs = str(item.get("attributes") or "") or None
                    link = str(item.get("productLink") or "") or None
                    lines.append(OrderLine(order_id=order_id, title=title, quantity=qty, unit_price=price,
                                           currency=currency, line_id=line_key(title, attrs, link), attributes=attrs,
                                           product_url=link, product_id=product_id(link),
                                           provenance=_orders.provenance(source, self.name, None, f"{where}.items[{k}]")))
            except ValueParseError as exc:
                value = raw.get(field) if "." not in field and "[" not in field else None
                rejected.append(issue(source.name, None, N_("order {where}: {error}"), field=field, value=value,
                                      where=where, error=exc))
                continue
            seller = raw.get("seller") if isinstance(raw.get("seller"), dict) else {}
            tracking = raw.get("trackingData") if isinstance(raw.get("trackingData"), dict) else {}
            common = {"order_id": order_id, "day": day, "status_text": str(raw.get("status") or ""),
                      "currency": currency, "line_no": None, "total": total, "shipping": shipping,
                      "store": seller.get("storeName") or None, "store_url": seller.get("storeUrl") or None,
                      "tracking": str(tracking.get("trackingNumber") or ""), "order_time": when}
            for line in lines or [None]:
                acc.add(line=line, **common)
            imported += 1
        return _orders.result(source, self.name, acc.orders(), rows_total=len(data), rows_imported=imported,
                              rejected=rejected, warnings=acc.asm.warnings)


def _json_day(raw: dict) -> tuple[date, datetime | None]:
    """The order day as the page showed it (``orderDate``), and the instant of the epoch-ms field."""
    when = None
    stamp = raw.get("orderDateTimestampFormat")
    if isinstance(stamp, int | float) and not isinstance(stamp, bool) or (isinstance(stamp, str) and stamp.isdigit()):
        try:
            when = datetime.fromtimestamp(int(stamp) / 1000, UTC).astimezone(_BRUSSELS)
        except (OverflowError, OSError, ValueError) as exc:
            raise ValueParseError(_("'{value}' is not a date", value=stamp)) from exc
    text = str(raw.get("orderDate") or "").strip()
    day = parse_date(text) if text else None
    if day is None and when is not None:
        day = when.date()
    if day is None:
        raise ValueParseError(_("the order date is empty"))
    return day, when


register(OrdersExporterCsvImporter())
register(OrdersExporterJsonImporter())
