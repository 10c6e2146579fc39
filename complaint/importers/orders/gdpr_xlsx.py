"""The AliExpress GDPR "data backup" workbook (``aliexpress_user_data_backup_*.xlsx``).

The only machine-readable file AliExpress itself issues.  Sheet ``Order Information``, one row
per sub-order line: ``order_id`` is the line (sub-order) id, ``parent_orderid`` the order id
shown in the app; lines with the same parent become one Order with several items (a row with an
empty parent is its own order).  Columns used: ``gmt_create_order_time``, ``order_status`` (API
code such as ``FINISH``), ``end_reason``, ``item_name``, ``unit_price`` and ``payable_amt``
(integers in **cents**), ``gmt_pay_order_time``, ``gmt_trade_end_time``, ``is_success_pay``,
``frozen_status``; a quantity or currency column is used when present.

Layout as read by the my-purchases project's AliExpress provider
(https://github.com/my-purchases/web, src/providers/aliexpress/AliexpressProvider.ts, checked
November 2026).  Choices (no public source settles these, so they are visible in the records):

- currency: the sheet has none; ``extract(currency=...)`` sets it, otherwise it stays empty and a
  warning asks the user to choose;
- time zone: ``gmt_`` times are taken as UTC (``tz_source`` says so); the order date is the
  Brussels date of that instant;
- totals: ``Order.total`` = sum of unit_price x quantity; ``paid_amount`` = sum of payable_amt
  (what was charged after discounts);
- status: when the lines of one order disagree, the first line gives the status and a line that
  makes a refund due sets ``refund_expected`` (a cancelled sub-order inside a completed order still
  owes money back), with ``refund_amount`` = that line's payable amount, and a warning.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from decimal import Decimal
from zoneinfo import ZoneInfo

from ...errors import ParseError
from ...i18n import N_, _
from ...records import ImportResult, Issue, OrderLine, issue
from ...settings import SETTINGS
from ..base import register
from ..textio import Source
from ..values import ValueParseError
from ..xlsx import looks_like_xlsx, read_sheet
from . import common as _orders
from .status import classify

SHEET = "Order Information"
REQUIRED = ("order_id", "gmt_create_order_time")
QTY_COLUMNS = ("quantity", "product_count", "buy_amount", "item_quantity", "qty")
CURRENCY_COLUMNS = ("currency", "currency_code", "pay_currency", "order_currency", "settlement_currency")


def cents(text: str) -> Decimal | None:
    s = (text or "").strip()
    if not s:
        return None
    try:
        value = Decimal(s)
    except Exception as exc:  # noqa: BLE001 - decimal raises several types
        raise ValueParseError(_("'{value}' is not an amount in cents", value=text)) from exc
    if not value.is_finite() or value != value.to_integral_value():
        raise ValueParseError(_("'{value}' is not a whole number of cents", value=text))
    return value.scaleb(-2)


def _bool(text: str) -> bool | None:
    s = (text or "").strip().lower()
    if s in ("true", "1", "y", "yes"):
        return True
    if s in ("false", "0", "n", "no"):
        return False
    return None


class GdprXlsxImporter:
    name = "orders.aliexpress_gdpr_xlsx"
    kind = "orders"
    label = N_("AliExpress data backup (GDPR XLSX, sheet Order Information)")

    def identify(self, source: Source) -> float:
        if not looks_like_xlsx(source):
            return 0.0
        try:
            table = read_sheet(source, SHEET, header_only=True)
        except ParseError:
            return 0.0
        have = {h.lower() for h in table.header}
        if "order_id" in have and ("parent_orderid" in have or "order_status" in have):
            return 0.95
        return 0.0

    def extract(self, source: Source, *, currency: str | None = None, **_ignored) -> ImportResult:
        table = read_sheet(source, SHEET)
        idx = {h.strip().lower(): i for i, h in enumerate(table.header)}
        missing = [c for c in REQUIRED if c not in idx]
        if missing:
            raise ParseError(_("missing columns: {columns}", columns=", ".join(missing)), file=source.name,
                             line=table.header_line)
        qty_col = next((c for c in QTY_COLUMNS if c in idx), None)
        cur_col = next((c for c in CURRENCY_COLUMNS if c in idx), None)
        zone = ZoneInfo(str(SETTINGS.timezone))
        name = source.name
        rejected: list[Issue] = []
        warnings: list[Issue] = []
        parsed = []
        for row in table.rows:
            def cell(col: str, cells=row.cells) -> str:
                i = idx.get(col)
                return cells[i].strip() if i is not None and i < len(cells) else ""

            field = "order_id"
            try:
                line_id = _orders.clean_order_id(cell("order_id"))
                field = "parent_orderid"
                parent = _orders.clean_order_id(cell("parent_orderid")) if cell("parent_orderid") else line_id
                field = "gmt_create_order_time"
                created = _orders.to_datetime(cell("gmt_create_order_time"))
                if created is None:
                    raise ValueParseError(_("the order time is empty"))
                field = "unit_price"
                price = cents(cell("unit_price"))
                field = "payable_amt"
                payable = cents(cell("payable_amt"))
                field = qty_col or "quantity"
                qty = _orders.quantity(cell(qty_col) if qty_col else "", default=1)
            except ValueParseError as exc:
                rejected.append(issue(name, row.line_no, N_("{error}"), field=field, value=cell(field), error=exc))
                continue
            row_currency = (cell(cur_col).upper() if cur_col else "") or (currency or "").upper() or None
            info = classify(cell("order_status"), end_reason=cell("end_reason") or None,
                            paid=_bool(cell("is_success_pay")))
            parsed.append((row.line_no, line_id, parent, created.replace(tzinfo=UTC), price, payable, qty,
                           row_currency, info, cell("item_name")))
        if parsed and not cur_col and not currency:
            warnings.append(issue(name, None, N_("the data backup names no currency: choose the currency of "
                                                 "these amounts (the amounts stay empty of currency until then)"),
                                  field="currency", severity="warning"))
        by_parent: dict[str, list] = {}
        for p in parsed:
            by_parent.setdefault(p[2], []).append(p)
        asm = _orders.OrderAssembler(source, self.name)
        for parent, lines in by_parent.items():
            infos = [p[8] for p in lines]
            due = [p for p in lines if p[8].refund_expected]
            chosen = infos[0]
            refund_amount = None
            if due and not chosen.refund_expected:
                # a refunded/cancelled sub-order inside an otherwise completed order: partial refund
                chosen = replace(chosen, refund_expected=True, refund_reason=due[0][8].refund_reason)
                if all(p[5] is not None for p in due):
                    refund_amount = sum((p[5] for p in due), Decimal("0"))
            if len({(i.status, i.end_reason) for i in infos}) > 1:
                warnings.append(issue(name, lines[0][0], N_("order {order}: its lines have different statuses "
                                                            "({statuses}); '{chosen}' is used for the order"),
                                      field="order_status", severity="warning", order=parent,
                                      statuses=", ".join(sorted({f"{i.status_text}/{i.end_reason or '-'}"
                                                                 for i in infos})),
                                      chosen=f"{chosen.status_text}/{chosen.end_reason or '-'}"))
            payables = [p[5] for p in lines]
            paid = sum(payables, Decimal("0")) if all(v is not None for v in payables) else None
            first = min(lines, key=lambda p: p[3])
            for line_no, line_id, _parent, _created, price, _payable, qty, cur, _info, title in lines:
                line = OrderLine(order_id=parent, title=title, quantity=qty, unit_price=price, currency=cur,
                                 line_id=line_id, provenance=_orders.provenance(
                                     source, self.name, line_no, f"sheet '{SHEET}' row {line_no}"))
                asm.add(parent, first[3].astimezone(zone).date(), chosen, cur, line, line_no=line_no,
                        order_time=first[3], tz_source="assumed UTC (gmt_ column)", paid_amount=paid,
                        refund_amount=refund_amount)
        orders = asm.orders()
        return _orders.result(source, self.name, orders, rows_total=len(table.rows), rows_imported=len(parsed),
                              rejected=rejected, warnings=warnings + asm.warnings)


register(GdprXlsxImporter())
