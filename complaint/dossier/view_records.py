"""The records of the case view (complaint.dossier.view): an order's payments, promises, credits,
missing refunds, dispute and contacts, as typed values (``Decimal`` + currency, ``date``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from ..i18n import N_
from ..records import Event, Evidence, Order, OrderStatus, PaymentMethod, Problem

# the order's state for pickers and cards, most urgent first
OVERDUE, PENDING, DISPUTED, OK = "overdue", "pending", "disputed", "ok"
STATES = (OVERDUE, PENDING, DISPUTED, OK)
STATE_LABELS = {OVERDUE: N_("refund overdue"), PENDING: N_("refund on its way"), DISPUTED: N_("problem open"),
                OK: N_("nothing open")}
# a promise in one of these reconciliation states asks nothing more of the bank
SETTLED = frozenset({"credited", "platform_balance", "unverified"})
ORDER_STATUS = "order_status"  # Promise.by of a refund the order export announces (no recorded promise)


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    @classmethod
    def zero(cls, currency: str = "EUR") -> Money:
        return cls(Decimal("0"), currency)

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValueError(f"cannot mix {self.currency} and {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __bool__(self) -> bool:
        return self.amount != 0


def total(items: Iterable[Money], currency: str = "EUR") -> Money | None:
    """The sum of amounts in one currency; None when they are in several (nothing to add up)."""
    items = list(items)
    if not items:
        return Money.zero(currency)
    if len({m.currency for m in items}) > 1:
        return None
    out = items[0]
    for m in items[1:]:
        out = out + m
    return out


@dataclass(frozen=True, slots=True)
class Payment:
    """A debit found on the statements for the order (a combined checkout pays several orders)."""

    txn_id: str
    booked_on: date
    amount: Money  # positive: what left the account
    account: str | None
    method: str | None  # PaymentMethod value when the bank file says
    statement: str | None  # the statement file
    line: int | None  # its line (row) in that file
    description: str | None = None
    counterparty: str | None = None
    orders: tuple[str, ...] = ()  # every order this debit paid
    decision: str | None = None  # "confirmed" or "linked" when the user decided the match


@dataclass(frozen=True, slots=True)
class Promise:
    """A refund someone committed to: a recorded promise, or the order export's refund status."""

    promise_id: str | None  # None for the order export's refund status (by == ORDER_STATUS)
    by: str  # "seller", "platform", "dispute" (the dispute outcome), ORDER_STATUS
    promised_on: date
    amount: Money
    destination: str  # "original_payment" or "platform_balance" (no bank credit expected)
    state: str  # credited, pending, overdue, platform_balance, unverified, or unknown (no reconciliation)
    note: str | None = None
    reference: str | None = None  # the refund reference the platform gave for the card issuer (ARN)


@dataclass(frozen=True, slots=True)
class Credit:
    """A credit that reached the account, and the promise (or refund status) it settles."""

    txn_id: str
    booked_on: date
    amount: Money
    settles: str | None  # the promise id, ORDER_STATUS, or None when the reconciliation does not say
    account: str | None
    statement: str | None
    line: int | None
    on_purchase_date: bool = False  # booked on the purchase day, as card issuers often book refunds
    counterparty: str | None = None


@dataclass(frozen=True, slots=True)
class Missing:
    """A refund promised (or due) that has not reached the account (the reconciliation's verdict)."""

    order_id: str
    promise_id: str | None
    promised: Money
    credited: Money
    outstanding: Money  # promised - credited
    since: date  # promised or granted on: the delay runs from here
    business_days_waited: int  # Belgian business days since ``since``, up to the reconciliation's date
    delay_business_days: int  # the stated delay for the payment method
    due: date
    state: str  # OVERDUE or PENDING
    searched_from: date | None  # the statement period that could hold the credit (first booking day)
    searched_to: date | None  # ... (last booking day)
    statements: tuple[str, ...] = ()  # the statement files searched
    reason: str = ""  # the reconciliation's explanation, in the language it was computed in
    record: object = field(default=None, compare=False, repr=False)  # the reconciliation's MissingCredit


@dataclass(frozen=True, slots=True)
class Dispute:
    opened_on: date | None = None
    outcome: str | None = None  # "refund" (granted by the dispute), "agreed", "closed"; None while open
    decided_on: date | None = None
    refund: Money | None = None  # what the dispute outcome granted
    closed_on: date | None = None  # the last day a closing event or the outcome is recorded


@dataclass(frozen=True, slots=True)
class Contact:
    """One exchange with the seller, the help centre or the bank, from the chronology."""

    on: date
    at: datetime | None
    party: str  # "seller", "platform", "help_centre", "bank"
    direction: str  # "out" (the buyer wrote), "in" (an answer), "both" (a chat, a call)
    kind: str
    title: str
    body: str | None
    event_id: str


@dataclass(frozen=True)
class OrderView:
    """Everything known about one order.  ``order`` is None for an id known only from annotations,
    promises or events (an order the user named before importing it)."""

    order_id: str
    order: Order | None
    problem: Problem | None  # annotated, else REFUND_NOT_RECEIVED when a refund is due or missing
    problem_annotated: bool
    payment_method: PaymentMethod | None
    seller_country: str | None
    payments: tuple[Payment, ...]
    unpaid: bool  # the reconciliation found no payment for it
    promises: tuple[Promise, ...]
    credits: tuple[Credit, ...]
    missing: tuple[Missing, ...]  # overdue first, then by date
    dispute: Dispute
    seller_messages: tuple[Contact, ...]
    help_centre: tuple[Contact, ...]
    bank_contacts: tuple[Contact, ...]
    delivered_on: date | None
    completed_on: date | None
    defect_found_on: date | None
    evidence: tuple[Evidence, ...]  # attached to the order, duplicates left out
    steps_done: dict[str, date]  # escalation step (facts.STEP_KINDS) -> first day done
    facts: tuple[Event, ...]  # the order's events in date order (the chronology's order)
    paid_on: date | None
    refund_agreed_on: date | None
    state: str  # OVERDUE, PENDING, DISPUTED or OK

    # --- the order ---------------------------------------------------------------------------
    @property
    def order_date(self) -> date | None:
        return self.order.order_date if self.order else None

    @property
    def store(self) -> str | None:
        return self.order.store if self.order else None

    @property
    def title(self) -> str | None:
        """The first item's title."""
        return self.order.items[0].title if self.order and self.order.items else None

    @property
    def currency(self) -> str | None:
        return self.order.currency if self.order else None

    @property
    def amount_paid(self) -> Decimal | None:
        return self.order.amount_due if self.order else None

    @property
    def total(self) -> Money | None:
        due = self.amount_paid
        return Money(due, self.currency or "EUR") if due is not None else None

    @property
    def status(self) -> OrderStatus | None:
        return self.order.status if self.order else None

    # --- what was said ----------------------------------------------------------------------
    @property
    def last_out(self) -> date | None:
        return max((c.on for c in self.seller_messages if c.direction == "out"), default=None)

    @property
    def last_in(self) -> date | None:
        return max((c.on for c in self.seller_messages if c.direction == "in"), default=None)

    @property
    def awaiting_answer(self) -> bool:
        return self.last_out is not None and (self.last_in is None or self.last_in < self.last_out)

    @property
    def seller_answered_on(self) -> date | None:
        """The day of the seller's last answer to a message of the buyer (None: never answered)."""
        first_out = min((c.on for c in self.seller_messages if c.direction == "out"), default=None)
        if first_out is None:
            return None
        return max((c.on for c in self.seller_messages if c.direction == "in" and c.on >= first_out), default=None)

    @property
    def dispute_opened_on(self) -> date | None:
        return self.dispute.opened_on

    @property
    def dispute_closed_on(self) -> date | None:
        return self.dispute.closed_on

    @property
    def events(self) -> tuple[Event, ...]:
        return self.facts

    # --- money --------------------------------------------------------------------------------
    def _sum(self, items: Iterable[Money]) -> Money | None:
        return total(items, self.currency or "EUR")

    @property
    def paid(self) -> Money | None:
        return self._sum(p.amount for p in self.payments)

    @property
    def promised(self) -> Money | None:
        """Promised back to the original payment method (not the platform balance)."""
        return self._sum(p.amount for p in self.promises if p.destination == "original_payment")

    @property
    def credited(self) -> Money | None:
        return self._sum(c.amount for c in self.credits)

    @property
    def outstanding(self) -> Money:
        """What is missing, in the promise's currency (in EUR when the missing refunds mix currencies)."""
        out = self._sum(m.outstanding for m in self.missing)
        if out is not None:
            return out
        return Money(sum((getattr(m.record, "expected_eur", Decimal(0)) for m in self.missing), Decimal(0)), "EUR")

    @property
    def days_waited(self) -> int | None:
        return max((m.business_days_waited for m in self.missing), default=None)

    @property
    def open_problem(self) -> bool:
        return self.state != OK

    def credits_for(self, promise_id: str | None) -> tuple[Credit, ...]:
        return tuple(c for c in self.credits if c.settles == promise_id)


@dataclass(frozen=True)
class CaseFigures:
    """The case at a glance (EUR): what the Overview shows."""

    orders: int
    transactions: int
    evidence: int
    rejected_rows: int
    paid_eur: Decimal
    refunds_expected_eur: Decimal
    refunds_credited_eur: Decimal
    refunds_pending_eur: Decimal
    refunds_overdue_eur: Decimal
    missing_count: int
    missing_eur: Decimal
    overdue_count: int
    overdue_eur: Decimal
