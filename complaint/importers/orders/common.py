"""Pieces shared by the order importers: order ids, header sniffing, grouping rows into orders.

Order total rule (one rule for every order importer): ``Order.total`` is the sum of
``unit_price x quantity`` over the order's lines, in the order currency, plus ``shipping`` when the
file gives shipping as a separate amount.  When any line has no price the total is None (it is
never guessed).  What the buyer actually paid after discounts, when the file says so, goes to
``Order.paid_amount``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal

from ...i18n import N_, _
from ...records import ImportResult, Issue, Order, OrderLine, Provenance, issue
from ..textio import Source, decode, sniff_delimiter
from ..values import ValueParseError
from .status import StatusInfo

_ID_RE = re.compile(r"^\d{6,24}$")
_SCI_RE = re.compile(r"^\d(?:[.,]\d+)?[eE]\+?\d+$")


def clean_order_id(raw: object) -> str:
    """An order id as text: ``'3069099405659913'``.

    Accepts what exports and spreadsheets do to ids: a leading tab or apostrophe (anti-Excel
    prefixes), ``Order ID:`` prefixes and ``Copy`` suffixes from page scrapers, ints and
    integral floats from XLSX cells.  Scientific notation (``3.06909940565991E+15``) has lost
    digits and is refused with a message saying so.
    """
    if raw is None:
        raise ValueParseError(_("the order id is empty"))
    if isinstance(raw, bool):
        raise ValueParseError(_("'{value}' is not an order id", value=raw))
    if isinstance(raw, int):
        text = str(raw)
    elif isinstance(raw, float):
        if not raw.is_integer() or abs(raw) >= 2**53:
            raise ValueParseError(_("'{value}' is a rounded number, not an order id: store ids as text", value=raw))
        text = str(int(raw))
    elif isinstance(raw, Decimal):
        if raw != raw.to_integral_value():
            raise ValueParseError(_("'{value}' is not an order id", value=raw))
        text = str(int(raw))
    else:
        text = str(raw)
    text = text.strip().lstrip("'\t=").strip().strip('"')
    text = re.sub(r"^(order\s*(id|no\.?|number)\s*[:#]?\s*)", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\s*copy$", "", text, flags=re.IGNORECASE).replace(" ", "")
    if text.endswith(".0") and _ID_RE.match(text[:-2]):
        text = text[:-2]
    if _SCI_RE.match(text):
        raise ValueParseError(
            _("'{value}' is an order id turned into scientific notation by a spreadsheet; its last digits are lost: export the file again without opening it in a spreadsheet", value=raw))
    if not _ID_RE.match(text):
        raise ValueParseError(f"{raw!r} is not an order id (expected digits)" if text else "the order id is empty")
    return text


def sniff_header(source: Source, delimiter: str | None = None, max_bytes: int = 65536) -> list[str]:
    """The first non-empty row of a delimited file, cheaply (only the first bytes are decoded)."""
    head = source.data[:max_bytes]
    if b"\x00" in head[:4096] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return []
    try:
        text, _enc = decode(head)
    except Exception:  # noqa: BLE001 - undecodable means "not a text table"
        return []
    lines = [ln for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if ln.strip()]
    if not lines:
        return []
    delim = delimiter or sniff_delimiter("\n".join(lines[:10]))
    try:
        first = next(csv.reader(io.StringIO(lines[0]), delimiter=delim))
    except (csv.Error, StopIteration):
        return []
    return [c.strip().strip('"').strip() for c in first]


def json_head(source: Source, max_bytes: int = 65536) -> bytes | None:
    """The first bytes of a JSON document (byte-order mark and leading blanks removed), or None
    when the file does not start like one: what the JSON exporters' ``identify`` look into."""
    head = source.data[:max_bytes].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head if head.startswith((b"[", b"{")) else None


def provenance(source: Source, importer: str, line_no: int | None, locator: str | None = None) -> Provenance:
    return Provenance(source.name, source.sha256, importer, line_no, locator)


@dataclass
class _Draft:
    order_id: str
    order_date: date
    status: StatusInfo
    currency: str | None
    line_no: int | None
    fields: dict
    lines: list[OrderLine] = field(default_factory=list)


class OrderAssembler:
    """Groups per-item rows into orders (rows of one order need not be adjacent).

    The first row of an order sets its date, status, currency and store; later rows that
    disagree produce a warning instead of silently winning.  Line keys are made unique inside an
    order by rank (``key#2``), so re-importing the same file gives the same keys.
    """

    def __init__(self, source: Source, importer: str):
        self.source = source
        self.importer = importer
        self.drafts: dict[str, _Draft] = {}
        self.warnings: list[Issue] = []

    def add(self, order_id: str, order_date: date, status: StatusInfo, currency: str | None,
            line: OrderLine | None, *, line_no: int | None, **fields) -> None:
        draft = self.drafts.get(order_id)
        if draft is None:
            draft = _Draft(order_id, order_date, status, currency, line_no, dict(fields))
            self.drafts[order_id] = draft
        else:
            if currency and draft.currency and currency != draft.currency:
                self.warnings.append(issue(
                    self.source.name, line_no, N_("order {order} has lines in {a} and in {b}; the order "
                                                  "total is left empty"),
                    field="currency", value=currency, severity="warning",
                    order=order_id, a=draft.currency, b=currency))
                draft.fields["_mixed_currency"] = True
            if status.status != draft.status.status:
                self.warnings.append(issue(
                    self.source.name, line_no, N_("order {order}: this line says '{b}' but an earlier line "
                                                  "says '{a}'; the first is kept"),
                    field="status", value=status.status_text, severity="warning",
                    order=order_id, a=draft.status.status_text, b=status.status_text))
            for k, v in fields.items():
                if draft.fields.get(k) is None and v is not None:
                    draft.fields[k] = v
        if line is not None:
            keys = {ln.key for ln in draft.lines}
            if line.key in keys:
                rank = 2
                while f"{line.key}#{rank}" in keys:
                    rank += 1
                line = replace(line, line_id=f"{line.key}#{rank}")
            draft.lines.append(line)

    def orders(self) -> list[Order]:
        out = []
        for d in self.drafts.values():
            f = dict(d.fields)
            mixed = f.pop("_mixed_currency", False)
            shipping = f.get("shipping")
            total = f.pop("total", None)
            if total is None and not mixed:
                total = order_total(d.lines, shipping)
            out.append(Order(
                order_id=d.order_id, order_date=d.order_date, status=d.status.status,
                status_text=d.status.status_text, currency=d.currency, total=total, items=tuple(d.lines),
                refund_expected=d.status.refund_expected, refund_reason=d.status.refund_reason,
                end_reason=d.status.end_reason,
                provenance=provenance(self.source, self.importer, d.line_no), **f))
        return out


def order_total(lines: list[OrderLine], shipping: Decimal | None = None) -> Decimal | None:
    """Sum of unit price x quantity (+ shipping when given); None if any line has no price."""
    if not lines:
        return None
    totals = [ln.total for ln in lines]
    if any(t is None for t in totals):
        return None
    total = sum(totals, Decimal("0"))
    return total + shipping if shipping is not None else total


def result(source: Source, importer: str, orders: list[Order], *, rows_total: int, rows_imported: int,
           rejected: list[Issue], warnings: list[Issue], skipped: list[Issue] | None = None) -> ImportResult:
    return ImportResult(
        file=source.name, importer=importer, kind="orders", sha256=source.sha256, records=tuple(orders),
        rejected=tuple(rejected), warnings=tuple(warnings), rows_total=rows_total, rows_imported=rows_imported,
        skipped=tuple(skipped or ()))


def to_datetime(value: object) -> datetime | None:
    """A naive datetime from an XLSX cell or ``2026-02-21 07:44:46`` text (zone added by the caller)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    text = str(value).strip()
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ValueParseError(_("'{value}' is not a date and time", value=text))


def quantity(raw: object, default: int | None = None) -> int:
    """A positive whole quantity (``2``, ``"2"``, ``"x2"``, ``2.0``)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if default is not None:
            return default
        raise ValueParseError(_("the quantity is empty"))
    text = str(raw).strip().lstrip("xX×").strip()
    try:
        value = Decimal(text)
    except Exception as exc:  # noqa: BLE001 - decimal raises several types
        raise ValueParseError(_("'{value}' is not a quantity", value=raw)) from exc
    if not value.is_finite() or value != value.to_integral_value() or value <= 0:
        raise ValueParseError(_("'{value}' is not a positive whole quantity", value=raw))
    return int(value)
