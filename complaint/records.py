"""Typed domain records: frozen, slotted dataclasses.

Rules kept everywhere:
- money is ``Decimal`` plus an ISO currency code (never float); DataFrames use integer minor units;
- datetimes are timezone-aware, with where the zone came from in ``tz_source``;
- every imported record carries its :class:`Provenance` (file name, SHA-256, line or entry);
- records are never mutated: use ``dataclasses.replace``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from .i18n import N_, _


class OrderStatus(StrEnum):
    AWAITING_PAYMENT = "awaiting_payment"
    AWAITING_SHIPMENT = "awaiting_shipment"
    SHIPPED = "shipped"
    COMPLETED = "completed"  # delivered / completed / buyer confirmed
    CANCELLED = "cancelled"  # cancelled / closed / expired
    IN_DISPUTE = "in_dispute"
    REFUND_IN_PROGRESS = "refund_in_progress"
    REFUNDED = "refunded"
    UNKNOWN = "unknown"


STATUS_LABELS: dict[OrderStatus, str] = {
    OrderStatus.AWAITING_PAYMENT: N_("awaiting payment"),
    OrderStatus.AWAITING_SHIPMENT: N_("awaiting shipment"),
    OrderStatus.SHIPPED: N_("shipped"),
    OrderStatus.COMPLETED: N_("delivered / completed"),
    OrderStatus.CANCELLED: N_("cancelled / closed"),
    OrderStatus.IN_DISPUTE: N_("in dispute"),
    OrderStatus.REFUND_IN_PROGRESS: N_("refund in progress"),
    OrderStatus.REFUNDED: N_("refunded"),
    OrderStatus.UNKNOWN: N_("unknown"),
}


class Problem(StrEnum):
    """What went wrong with an order (the dossier's problem types)."""

    DAMAGED = "damaged"
    MISSING_ITEM = "missing_item"
    WRONG_ITEM = "wrong_item"  # wrong item or wrong size
    NOT_AS_DESCRIBED = "not_as_described"
    SHORT_QUANTITY = "short_quantity"
    LATE = "late"
    NOT_DELIVERED = "not_delivered"
    REFUND_NOT_RECEIVED = "refund_not_received"


PROBLEM_LABELS: dict[Problem, str] = {
    Problem.DAMAGED: N_("arrived damaged"),
    Problem.MISSING_ITEM: N_("an item is missing"),
    Problem.WRONG_ITEM: N_("wrong item or wrong size"),
    Problem.NOT_AS_DESCRIBED: N_("not as described"),
    Problem.SHORT_QUANTITY: N_("fewer units than ordered"),
    Problem.LATE: N_("delivered late"),
    Problem.NOT_DELIVERED: N_("never delivered"),
    Problem.REFUND_NOT_RECEIVED: N_("refund promised but not received"),
}


class PaymentMethod(StrEnum):
    CREDIT_CARD = "credit_card"
    DEBIT_CARD = "debit_card"  # Bancontact / Maestro / V PAY / debit Mastercard
    PAYPAL = "paypal"
    BANK_TRANSFER = "bank_transfer"
    PLATFORM_BALANCE = "platform_balance"  # AliExpress balance / Alipay credit
    OTHER = "other"


PAYMENT_LABELS: dict[PaymentMethod, str] = {
    PaymentMethod.CREDIT_CARD: N_("credit card (Visa, Mastercard, Amex)"),
    PaymentMethod.DEBIT_CARD: N_("debit card (Bancontact, Maestro, V PAY, debit Mastercard)"),
    PaymentMethod.PAYPAL: N_("PayPal"),
    PaymentMethod.BANK_TRANSFER: N_("bank transfer"),
    PaymentMethod.PLATFORM_BALANCE: N_("AliExpress balance"),
    PaymentMethod.OTHER: N_("another way"),
}


PROMISE_BY: dict[str, str] = {"seller": N_("seller"), "platform": N_("platform"), "dispute": N_("dispute outcome")}


class Outcome(StrEnum):
    """How a dispute ended, as the buyer records it (AliExpress shows it under the dispute's
    details: the refund agreed, a return first, a replacement, or the claim refused)."""

    FULL_REFUND = "full_refund"
    PARTIAL_REFUND = "partial_refund"
    RETURN_AND_REFUND = "return_and_refund"  # the refund comes once the seller has the parcel back
    REPLACEMENT = "replacement"
    REJECTED = "rejected"  # decided against the buyer
    WITHDRAWN = "withdrawn"  # closed by the buyer


OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.FULL_REFUND: N_("full refund"),
    Outcome.PARTIAL_REFUND: N_("partial refund"),
    Outcome.RETURN_AND_REFUND: N_("refund after returning the item"),
    Outcome.REPLACEMENT: N_("replacement sent"),
    Outcome.REJECTED: N_("claim refused"),
    Outcome.WITHDRAWN: N_("dispute withdrawn"),
}
REFUND_OUTCOMES = frozenset({Outcome.FULL_REFUND, Outcome.PARTIAL_REFUND, Outcome.RETURN_AND_REFUND})


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a record came from: enough to find the exact row again."""

    source_name: str
    source_sha256: str
    importer: str
    line_no: int | None = None  # 1-based physical line, row or entry number
    locator: str | None = None  # e.g. "sheet 'Order Information' row 5", "EXIF DateTimeOriginal"

    def where(self) -> str:
        loc = self.source_name
        if self.line_no is not None:
            loc += " " + _("line {line}", line=self.line_no)
        if self.locator:
            loc += f" ({self.locator})"
        return loc


MANUAL = Provenance(source_name="manual entry", source_sha256="", importer="manual")


@dataclass(frozen=True, slots=True)
class Issue:
    """A row-level problem kept with the import result (never an exception).

    ``msg`` is an English template (marked with ``N_``) and ``args`` its fields, so the text is
    rendered in the reader's language when shown.  ``severity`` is ``"rejected"`` when the row
    was not imported, ``"warning"`` when it was imported with a remark.
    """

    file: str
    line: int | None
    msg: str
    args: tuple[tuple[str, str], ...] = ()
    field: str | None = None
    value: str | None = None
    severity: str = "rejected"

    @property
    def message(self) -> str:
        return _(self.msg, **dict(self.args))

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += " " + _("line {line}", line=self.line)
        if self.field:
            where += f", {self.field}"
        return f"{where}: {self.message}"


def issue(file: str, line: int | None, msg: str, *, field: str | None = None, value: object = None,
          severity: str = "rejected", **args: object) -> Issue:
    """Build an Issue; ``args`` (and ``value``, as ``{value}``) fill the fields of the template ``msg``."""
    if value is not None:
        args = {"value": value, **args}
    return Issue(file=file, line=line, msg=msg, args=tuple((k, str(v)) for k, v in args.items()),
                 field=field, value=None if value is None else str(value), severity=severity)


@dataclass(frozen=True, slots=True)
class Case:
    id: int
    name: str
    created_at: datetime
    as_of: date | None = None  # a fixed "today" for demo/sample cases


@dataclass(frozen=True, slots=True)
class OrderLine:
    order_id: str
    title: str
    quantity: int
    unit_price: Decimal | None  # in the order currency; None when the export left it empty
    currency: str | None
    line_id: str | None = None  # sub-order id, SKU id or product id: the dedupe key inside an order
    product_id: str | None = None
    sku: str | None = None
    attributes: str | None = None
    product_url: str | None = None
    provenance: Provenance | None = None

    @property
    def total(self) -> Decimal | None:
        return None if self.unit_price is None else self.unit_price * self.quantity

    @property
    def key(self) -> str:
        return self.line_id or self.sku or self.product_id or self.title


@dataclass(frozen=True, slots=True)
class Order:
    order_id: str  # 16-digit string, never a number
    order_date: date
    status: OrderStatus
    status_text: str  # the original wording or code
    currency: str | None
    total: Decimal | None  # items x quantity (+ shipping where known), in ``currency``
    store: str | None = None
    items: tuple[OrderLine, ...] = ()
    order_time: datetime | None = None  # tz-aware when the export has a time
    tz_source: str | None = None  # "export", "assumed Europe/Brussels", ...
    shipping: Decimal | None = None
    paid_amount: Decimal | None = None  # what was actually charged, when the file says (after discounts)
    store_url: str | None = None
    tracking_number: str | None = None
    tracking_status: str | None = None
    refund_expected: bool = False
    refund_reason: str | None = None  # a code such as "status:cancelled" or "end_reason:seller_send_goods_timeout"
    refund_amount: Decimal | None = None  # when the export says how much
    end_reason: str | None = None
    parent_order_id: str | None = None
    provenance: Provenance | None = None

    @property
    def amount_due(self) -> Decimal | None:
        return self.paid_amount if self.paid_amount is not None else self.total


@dataclass(frozen=True, slots=True)
class StatementInfo:
    account: str | None
    currency: str | None
    opening_balance: Decimal | None = None
    opening_date: date | None = None
    closing_balance: Decimal | None = None
    closing_date: date | None = None


@dataclass(frozen=True, slots=True)
class BalanceCheck:
    status: str  # "ok", "mismatch", "not-available"
    difference: Decimal | None = None
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class BankTxn:
    id: str  # stable: from the bank reference when present, else a content+position hash
    booking_date: date
    amount: Decimal  # signed: negative = money out
    currency: str
    value_date: date | None = None
    account: str | None = None
    counterparty: str | None = None
    counterparty_account: str | None = None  # IBAN when valid
    description: str | None = None
    communication: str | None = None  # structured +++ddd/dddd/ddddd+++ or free text
    bank_reference: str | None = None
    original_amount: Decimal | None = None  # in original_currency, signed like amount
    original_currency: str | None = None
    fx_rate: Decimal | None = None
    card_masked: str | None = None
    merchant: str | None = None  # "aliexpress", "alipay", "paypal-aliexpress" ... or None
    merchant_rule: str | None = None  # the rule that fired
    payment_method: str | None = None  # PaymentMethod value when known
    related_id: str | None = None  # e.g. PayPal Reference Txn ID
    duplicate_of: str | None = None
    provenance: Provenance | None = None


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What one importer made of one file; rows_total == rows_imported + len(rejected)."""

    file: str
    importer: str
    kind: str  # "orders" or "bank"
    sha256: str
    records: tuple = ()
    rejected: tuple[Issue, ...] = ()
    warnings: tuple[Issue, ...] = ()
    rows_total: int = 0
    rows_imported: int = 0
    skipped: tuple[Issue, ...] = ()  # rows deliberately not imported (memo rows, holds) with the reason
    statement: StatementInfo | None = None
    balance_check: BalanceCheck = BalanceCheck("not-available")
    confidence: float = 1.0

    @property
    def issues(self) -> tuple[Issue, ...]:
        return self.rejected + self.warnings


@dataclass(frozen=True, slots=True)
class Evidence:
    sha256: str
    file_name: str
    size: int
    media_type: str | None = None
    captured_at: datetime | None = None  # tz-aware
    captured_text: str | None = None  # the raw value read
    time_source: str | None = None  # "exif", "exif-digitized", "gps", "filename", "user" (old cases: "mtime")
    tz_source: str | None = None  # "exif-offset", "gps-utc", "assumed Europe/Brussels", "user"
    camera_make: str | None = None
    camera_model: str | None = None
    software: str | None = None
    width: int | None = None
    height: int | None = None
    orientation: int | None = None
    gps_lat: float | None = None
    gps_lon: float | None = None
    filename_time: datetime | None = None
    warnings: tuple[str, ...] = ()
    error: str | None = None
    duplicate_of: str | None = None  # sha256 of the same or a near-identical picture
    perceptual_hash: str | None = None
    order_id: str | None = None
    problem: str | None = None  # Problem value
    note: str | None = None
    provenance: Provenance | None = None
    time_flag: str | None = None  # "clock-not-set", "clock-ahead": an implausible camera time, kept as read
    file_time: datetime | None = None  # the file's own date (saved, copied, uploaded): never a capture time


class Lane(StrEnum):
    ORDER = "order"
    BANK = "bank"
    EVIDENCE = "evidence"
    MESSAGES = "messages"
    TRACKING = "tracking"
    DISPUTE = "dispute"


@dataclass(frozen=True, slots=True)
class Event:
    """One dated fact in the chronology: an instant (or a day) plus what it means."""

    id: str
    kind: str  # "order_placed", "paid", "shipped", "tracking", "delivered", "photo_taken", "message_in", ...
    lane: str  # Lane value
    title: str
    on: date  # the local (Brussels) day; always set
    at: datetime | None = None  # tz-aware instant when known; None = date only
    body: str | None = None
    order_ids: tuple[str, ...] = ()
    evidence_ids: tuple[str, ...] = ()
    txn_ids: tuple[str, ...] = ()
    time_source: str | None = None
    origin: str = "auto"  # "auto" (derived), "manual", "import" (status change on re-import)
    provenance: Provenance | None = None
    tz_source: str | None = None  # "export", "exif-offset", "assumed Europe/Brussels", ... (None: date only/unknown)


@dataclass(frozen=True, slots=True)
class RefundPromise:
    """A refund the user recorded: promised by seller or platform, or a dispute outcome."""

    id: str
    order_id: str
    amount: Decimal
    currency: str
    promised_on: date
    by: str = "platform"  # "seller", "platform", "dispute"
    destination: str = "original_payment"  # or "platform_balance": then no bank credit is expected
    note: str | None = None
    # the refund reference the platform gives for the card issuer (ARN, Acquirer Reference Number;
    # usually 23 digits): the bank traces the credit with it.  Promises stored before it existed load as None.
    arn: str | None = None


@dataclass(frozen=True, slots=True)
class OrderAnnotation:
    """What the user says about an order: the problem, how it was paid, where the seller is."""

    order_id: str
    problem: str | None = None  # Problem value
    payment_method: str | None = None  # PaymentMethod value
    seller_country: str | None = None  # ISO 3166 alpha-2, e.g. "CN"
    delivered_on: date | None = None
    dispute_opened_on: date | None = None
    note: str | None = None
    outcome: str | None = None  # Outcome value: how the dispute ended
    outcome_on: date | None = None


@dataclass(frozen=True, slots=True)
class BuyerProfile:
    """The buyer's own details, kept in the case for the letters (personal data: stays on this machine)."""

    name: str | None = None
    address: str | None = None  # postal address; lines separated by newlines
    email: str | None = None
    language: str | None = None  # preferred language of the letters: fr, nl, en or de


@dataclass(frozen=True, slots=True)
class Decision:
    """The user's word on a match: confirmed, rejected, or linked by hand."""

    match_key: str
    decision: str  # "confirmed", "rejected", "linked"
    kind: str  # "payment" or "refund"
    order_ids: tuple[str, ...]
    txn_ids: tuple[str, ...]
    decided_at: datetime
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Match:
    kind: str  # "payment" or "refund"
    order_ids: tuple[str, ...]
    txn_ids: tuple[str, ...]
    score: float
    reasons: tuple[str, ...] = ()
    amount_gap: Decimal | None = None
    day_gap: int | None = None
    fx_rate: Decimal | None = None
    decision: str | None = None  # the user's Decision.decision, if any

    @property
    def key(self) -> str:
        return match_key(self.kind, self.order_ids, self.txn_ids)


def match_key(kind: str, order_ids: tuple[str, ...] | list[str], txn_ids: tuple[str, ...] | list[str]) -> str:
    """Stable identity of a match, independent of order of ids: survives re-imports and re-runs."""
    raw = kind + "|" + ",".join(sorted(order_ids)) + "|" + ",".join(sorted(txn_ids))
    return hashlib.sha256(raw.encode()).hexdigest()[:20]


@dataclass(frozen=True, slots=True)
class MappingProfile:
    """A saved column mapping for the generic CSV/XLSX importer."""

    name: str
    kind: str  # "orders" or "bank"
    columns: tuple[tuple[str, str], ...]  # (target field, source header)
    options: tuple[tuple[str, str], ...] = field(default=())  # date format, decimal, encoding...
