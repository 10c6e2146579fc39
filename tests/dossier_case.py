"""A realistic hand-built case for the guide, deadline, letter and dossier tests (no real data).

Four orders: a damaged lamp paid by credit card (Chinese seller), a promised refund that never
arrived (debit card), a wrong size paid with PayPal from a French seller, and a parcel never
delivered by a Belgian seller.  The reconciliation is built by hand with the same shape as
complaint.reconciliation.reconcile.Reconciliation (summary, missing_credits, matches).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from PIL import Image

from complaint.case import CaseData
from complaint.records import (
    MANUAL,
    BankTxn,
    Event,
    Evidence,
    Match,
    Order,
    OrderAnnotation,
    OrderLine,
    OrderStatus,
    RefundPromise,
)

LAMP, REFUND, SHOES, PARCEL = "8100000000000001", "8100000000000002", "8100000000000003", "8100000000000004"
AS_OF = date(2026, 4, 20)


@dataclass(frozen=True)
class MissingCredit:
    order_id: str
    expected_amount: Decimal
    currency: str
    expected_since: date
    business_days_waiting: int
    state: str
    due_date: date


@dataclass
class Recon:
    summary: dict = field(default_factory=dict)
    missing_credits: list = field(default_factory=list)
    matches: list = field(default_factory=list)


def jpeg(color=(200, 40, 40), size=(320, 240)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "JPEG")
    return buf.getvalue()


PHOTOS = {"a" * 64: jpeg((200, 40, 40)), "b" * 64: jpeg((40, 90, 200), (240, 320))}


def order(oid, day, total, title, store, status=OrderStatus.COMPLETED, **kw) -> Order:
    line = OrderLine(order_id=oid, title=title, quantity=1, unit_price=Decimal(total), currency="EUR")
    return Order(order_id=oid, order_date=day, status=status, status_text=str(status), currency="EUR",
                 total=Decimal(total), store=store, items=(line,), **kw)


def ev(kind, on, oid, title, lane="messages") -> Event:
    return Event(id=f"{kind}-{oid}-{on}", kind=kind, lane=lane, title=title, on=on, order_ids=(oid,),
                 origin="manual", provenance=MANUAL)


def build_case() -> CaseData:
    case = CaseData(name="Lampe cassée / Größe falsch", as_of=AS_OF)
    case.orders = [
        order(LAMP, date(2026, 2, 20), "45.99", "Lampe de chevet en céramique", "Lumière Shop"),
        order(REFUND, date(2026, 2, 1), "23.50", "USB-C kabel 2m", "Cable World", status=OrderStatus.CANCELLED,
              refund_expected=True, refund_amount=Decimal("23.50")),
        order(SHOES, date(2026, 3, 1), "61.00", "Chaussures de randonnée taille 42", "Boutique Éloïse"),
        order(PARCEL, date(2026, 1, 5), "15.00", "Thermomètre digital", "Brussels Gadgets",
              status=OrderStatus.SHIPPED),
    ]
    case.transactions = [
        BankTxn(id="t-lamp", booking_date=date(2026, 2, 21), amount=Decimal("-45.99"), currency="EUR",
                counterparty="AliExpress", merchant="aliexpress", payment_method="credit_card"),
        BankTxn(id="t-refund", booking_date=date(2026, 2, 2), amount=Decimal("-23.50"), currency="EUR",
                counterparty="AliExpress", merchant="aliexpress"),
    ]
    case.annotations = {
        LAMP: OrderAnnotation(LAMP, problem="damaged", payment_method="credit_card", seller_country="CN",
                              delivered_on=date(2026, 3, 10)),
        REFUND: OrderAnnotation(REFUND, problem="refund_not_received", payment_method="debit_card",
                                seller_country="CN"),
        SHOES: OrderAnnotation(SHOES, problem="wrong_item", payment_method="paypal", seller_country="FR",
                               delivered_on=date(2026, 3, 20), dispute_opened_on=date(2026, 3, 22)),
        PARCEL: OrderAnnotation(PARCEL, problem="not_delivered", payment_method="debit_card", seller_country="BE"),
    }
    case.promises = [RefundPromise(id="p1", order_id=REFUND, amount=Decimal("23.50"), currency="EUR",
                                   promised_on=date(2026, 3, 2), by="platform")]
    case.events = [
        ev("message_out", date(2026, 3, 11), LAMP, "Message au vendeur : lampe arrivée cassée"),
        ev("message_out", date(2026, 3, 21), SHOES, "Message to seller: wrong size"),
        ev("message_in", date(2026, 3, 21), SHOES, "Seller: please open a dispute"),
    ]
    case.evidence = [
        Evidence(sha256="a" * 64, file_name="lampe_cassée.jpg", size=len(PHOTOS["a" * 64]), media_type="image/jpeg",
                 captured_at=datetime(2026, 3, 10, 18, 5, tzinfo=UTC), time_source="exif", tz_source="exif-offset",
                 order_id=LAMP, problem="damaged"),
        Evidence(sha256="b" * 64, file_name="Größe_42_Etikett.jpg", size=len(PHOTOS["b" * 64]),
                 media_type="image/jpeg", captured_at=datetime(2026, 3, 20, 9, 0, tzinfo=UTC), time_source="exif",
                 tz_source="assumed Europe/Brussels", order_id=SHOES, problem="wrong_item"),
    ]
    return case


def build_recon() -> Recon:
    return Recon(
        summary={"paid": Decimal("69.49"), "refunds_expected": Decimal("23.50"), "refunds_received": Decimal("0"),
                 "missing": Decimal("23.50")},
        missing_credits=[MissingCredit(REFUND, Decimal("23.50"), "EUR", date(2026, 3, 2), 35, "overdue",
                                       date(2026, 3, 30))],
        matches=[Match(kind="payment", order_ids=(LAMP,), txn_ids=("t-lamp",), score=9.0),
                 Match(kind="payment", order_ids=(REFUND,), txn_ids=("t-refund",), score=9.0)],
    )


def events_of(case, recon):
    from complaint.timeline.events import build_chronology

    return build_chronology(case, recon, AS_OF)
