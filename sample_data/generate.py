"""Generate the bundled sample case (deterministic: fixed seed, fixed "today" = 2026-11-20).

    python sample_data/generate.py            # regenerate every file in place
    python sample_data/generate.py --out DIR  # write the same files under DIR (tests use this)

Running it twice gives byte-identical files.  The story (orders, payments, refunds, problems) is in
gen_story.py; bank/PayPal layouts in gen_banks.py; pictures in gen_media.py; chats and
tracking in gen_messages.py.
What is planted is listed in README.md and, machine-readably, in EXPECTED.json.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import re
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))

import gen_banks as banks  # noqa: E402
import gen_media as media  # noqa: E402
import gen_messages as messages  # noqa: E402
import gen_story as story  # noqa: E402
from gen_story import AS_OF, DISPUTE_OPENED, SEED, Order, Refund  # noqa: E402

from complaint.records import Event, Lane, OrderAnnotation, RefundPromise  # noqa: E402
from complaint.serialize import to_jsonable  # noqa: E402

BRUSSELS = ZoneInfo("Europe/Brussels")
SHOPPER_HEADER = ["Order Date", "Order ID", "Title", "Qty", "Price", "Store", "Product ID", "SKU ID", "Attributes",
                  "Price Info", "Currency", "Status", "Product Url", "Product Image Url", "Store Url", "Tags"]
BULK_HEADER = ["Order Number", "Order Date", "Subtotal", "Shipping and Tax", "Total Order Amount", "Store Name",
               "Order Status", "Tracking Number", "Tracking Status", "Tracking Status Last Updated", "Tracking Link",
               "Product Title", "Option", "Price", "Quantity", "Pieces Per Pack", "Total Quantity", "Landed Cost",
               "Product URL", "Image URL"]
BULK_FROM = date(2026, 7, 15)  # the bulk TSV covers the orders placed from this day


def display_price(amount: Decimal, currency: str) -> str:
    """The price as AliExpress shows it to a Belgian buyer: ``€12,34`` or ``US $1,382.11``."""
    if currency == "USD":
        return f"US ${amount:,.2f}"
    return "€" + f"{amount:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def price_info(amount: Decimal, currency: str) -> str:
    whole, cents = f"{amount:.2f}".split(".")
    return f"{display_price(amount, currency)}|{whole}|{cents}"


def shopper_inventory_csv(olist: list[Order]) -> bytes:
    """The "Shopper Inventory" CSV: one row per item, newest order first, every field quoted.

    The extension writes the ISO date of the order time in UTC, so an order placed just after
    midnight in Brussels carries the previous day (none is planted here).
    """
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n")
    w.writerow(SHOPPER_HEADER)
    for o in sorted(olist, key=lambda o: (o.placed, o.order_id), reverse=True):
        store_id = story.STORES[o.store][0]
        utc_day = o.placed.replace(tzinfo=BRUSSELS).astimezone(ZoneInfo("UTC")).date()
        for ln in o.lines:
            w.writerow([utc_day.isoformat(), o.order_id, ln.title, ln.qty, display_price(ln.unit, o.currency),
                        o.store, ln.product_id, ln.sku_id, ln.attrs, price_info(ln.unit, o.currency), o.currency,
                        o.status, f"https://www.aliexpress.com/item/{ln.product_id}.html",
                        f"https://ae-pic-a1.aliexpress-media.com/kf/{ln.image}.jpg",
                        f"https://www.aliexpress.com/store/{store_id}", o.tags])
    return buf.getvalue().encode("utf-8")


def _stripped(display: str) -> str:
    """What the bulk exporter's ``/[^\\d.-]/g`` leaves of a displayed price (``€12,34`` -> ``1234``)."""
    return re.sub(r"[^\d.-]", "", display)


def bulk_tsv(olist: list[Order], rng: random.Random) -> bytes:
    """The "Bulk Order Exporter" userscript text (header pasted first, every row ends with a tab)."""
    rows = ["\t".join(BULK_HEADER) + "\t"]
    for o in sorted(olist, key=lambda o: (o.placed, o.order_id), reverse=True):
        if o.placed.date() < BULK_FROM:
            continue
        total = display_price(o.total, o.currency)
        track = o.tracking or "undefined"
        link = f"https://global.cainiao.com/newDetail.htm?mailNoList={o.tracking}" if o.tracking else "undefined"
        updated = f"{o.tracking_updated.month}/{o.tracking_updated.day}/{o.tracking_updated.year}" \
            if o.tracking_updated else "undefined"
        for ln in o.lines:
            price = _stripped(display_price(ln.unit, o.currency))
            cells = [o.order_id, f"{o.placed.month}/{o.placed.day}/{o.placed.year}", _stripped(total), "0.00",
                     _stripped(total), o.store, o.status, track, o.tracking_status or "undefined", updated, link,
                     ln.title, ln.attrs.replace(";", " / "), price, str(ln.qty), "1", str(ln.qty), price,
                     f"https://www.aliexpress.com/item/{ln.product_id}.html",
                     f"https://ae-pic-a1.aliexpress-media.com/kf/{ln.image}.jpg"]
            rows.append("\t".join(cells) + "\t")
    return ("\n".join(rows) + "\n").encode("utf-8")


def assign_tracking(olist: list[Order], rng: random.Random) -> None:
    for o in olist:
        if o.key in messages.TRACKING_NUMBERS:
            o.tracking = messages.TRACKING_NUMBERS[o.key]
        elif o.status != "Awaiting shipment":
            o.tracking = f"LP00{rng.randrange(10**11, 10**12)}{rng.randrange(10, 99)}"[:16]
        if o.status == "Awaiting shipment":
            continue
        if o.key == "notdelivered":
            o.tracking_status, o.tracking_updated = "In transit", date(2026, 10, 14)
        elif o.status == "Awaiting delivery":
            o.tracking_status = "In transit"
            o.tracking_updated = min(AS_OF, date.fromordinal(o.placed.date().toordinal() + 5))
        else:
            o.tracking_status = "Delivered"
            o.tracking_updated = o.delivered or date.fromordinal(o.placed.date().toordinal() + 11)


# --- case.json -----------------------------------------------------------------------------------

def _local(day: date, hh: int, mm: int) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=BRUSSELS)


def manual_events(by_key: dict[str, Order], refunds: list[Refund]) -> list[Event]:
    ev: list[Event] = []

    def add(kind, lane, title, day, key, at=None, body=None):
        ev.append(Event(id=f"manual-{len(ev) + 1:02d}", kind=kind, lane=lane, title=title, on=day, at=at, body=body,
                        order_ids=(by_key[key].order_id,), time_source="user" if at else None, origin="manual"))

    for key, day in DISPUTE_OPENED.items():
        add("dispute_opened", Lane.DISPUTE.value, "Dispute opened", day, key)
    add("message_out", Lane.MESSAGES.value, "Sent the return parcel (bpost, RB784512693BE)", date(2026, 3, 20),
        "wrongsize", at=_local(date(2026, 3, 20), 16, 35))
    add("support_chat", Lane.DISPUTE.value, "Chat with AliExpress customer service about the missing EUR 14.90",
        date(2026, 8, 4), "shortqty", at=_local(date(2026, 8, 4), 20, 10),
        body="Agent said the refund was completed on 18/06 and gave a refund reference to show the bank. "
             "Asked to wait 7 more business days.")
    add("bank_contact", Lane.BANK.value, "Asked KBC to trace the refund (ARN from AliExpress)", date(2026, 9, 15),
        "shortqty", body="KBC: no incoming card refund for that amount since June; advised a written complaint.")
    add("delivery_guarantee_claim", Lane.DISPUTE.value, "Claimed the delivery guarantee (19 days late)",
        date(2026, 8, 21), "late")
    for r in refunds:
        add("refund_completed_platform", Lane.DISPUTE.value,
            f"AliExpress shows 'Refund completed' ({r.currency} {r.amount})", r.completed_on, r.order_key)
    return ev


def case_json(olist, by_key, refunds, files) -> dict:
    promises = [RefundPromise(id=f"promise-{i + 1:02d}", order_id=by_key[r.order_key].order_id, amount=r.amount,
                              currency=r.currency, promised_on=r.promised_on, by=r.by, destination=r.destination,
                              note=r.note, arn=r.extra.get("arn")) for i, r in enumerate(refunds)]
    annotations = []
    for o in olist:
        if not o.problem:
            continue
        annotations.append(OrderAnnotation(
            order_id=o.order_id, problem=o.problem,
            payment_method="paypal" if o.pay == "paypal" else "debit_card",
            seller_country=story.STORES[o.store][1], delivered_on=o.delivered,
            dispute_opened_on=DISPUTE_OPENED.get(o.key)))
    annotations.append(OrderAnnotation(order_id=by_key["earbuds"].order_id, payment_method="debit_card",
                                       seller_country="CN", note="Cancelled by the seller: out of stock."))
    return {
        "name": "Sample case: AliExpress orders 2025-2026 (Kessel-Lo)",
        "as_of": AS_OF.isoformat(),
        "buyer": {"name": "Lotte Janssens", "address": story.BUYER_ADDRESS, "country": "BE"},
        "accounts": {"kbc": story.KBC_IBAN, "bnppf": story.BNPPF_IBAN, "paypal": story.BUYER_EMAIL},
        "files": files,
        "promises": to_jsonable(promises),
        "annotations": to_jsonable(annotations),
        "events": to_jsonable(manual_events(by_key, refunds)),
    }


# --- EXPECTED.json -------------------------------------------------------------------------------

def expected_json(olist, by_key, refunds, kbc_info, bnppf_info, pp_facts, evidence) -> dict:
    def bank_ref(ref):
        for name, info in (("kbc", kbc_info), ("bnppf", bnppf_info)):
            if ref in info["refs"]:
                r = info["refs"][ref]
                return {"account": name, "line": r["line"], "booked": r["booked"].isoformat(),
                        "value_date": r["value"].isoformat(), "amount": str(r["amount"]),
                        **({"sequence": r["sequence"]} if "sequence" in r else {})}
        return None

    payments = []
    for _key, group in story.checkout_groups(olist).items():
        ref = "payment:" + ",".join(o.order_id for o in group)
        entry = {"order_ids": [o.order_id for o in group], "method": group[0].pay,
                 "amount_eur": str(sum((o.eur_charged for o in group), Decimal("0")))}
        if group[0].pay == "paypal":
            fact = next(f for f in pp_facts if f["key"] == f"pay:{group[0].order_id}" and "deposit" in f)
            entry["paypal_txn"] = fact["paypal_txn"]
            entry["bank"] = bank_ref(f"paypal-debit:pay:{group[0].order_id}")
        else:
            entry["bank"] = bank_ref(ref)
        payments.append(entry)
    missing, credited, balance = [], [], []
    for r in refunds:
        o = by_key[r.order_key]
        if r.destination == "platform_balance":
            balance.append({"order_id": o.order_id, "amount": str(r.amount), "currency": r.currency,
                            "promised_on": r.promised_on.isoformat(), "bank_credit_expected": False})
        elif r.credited_on is None:
            due = story.promise_due(r.promised_on)
            missing.append({"order_id": o.order_id, "expected_amount": str(r.amount), "currency": r.currency,
                            "expected_since": r.promised_on.isoformat(), "due_by": due.isoformat(),
                            "state": "overdue" if due < AS_OF else "pending",
                            "expected_on": o.pay, "problem": o.problem})
        else:
            entry = {"order_id": o.order_id, "promised": str(r.amount), "currency": r.currency,
                     "amount_eur": str(r.credited_eur), "where": r.where, "credited_on": r.credited_on.isoformat(),
                     "partial": r.amount < o.total, "booked_on_purchase_date": r.booked_on_purchase_date}
            if r.where == "paypal":
                fact = next(f for f in pp_facts if f["key"] == f"refund:{o.order_id}")
                entry.update(paypal_txn=fact["paypal_txn"], reference_txn=fact["reference_txn"])
            else:
                entry["bank"] = bank_ref(f"refund:{o.order_id}")
            if "fx_rate" in r.extra:
                entry["ecb_usd_per_eur"] = r.extra["fx_rate"]
            credited.append(entry)
    combo = [o for o in olist if o.checkout]
    by_problem: dict[str, list[str]] = {}
    for o in olist:
        if o.problem:
            by_problem.setdefault(o.problem, []).append(o.order_id)
    return {
        "as_of": AS_OF.isoformat(),
        "orders": {"count": len(olist), "lines": sum(len(o.lines) for o in olist),
                   "first_date": min(o.placed for o in olist).date().isoformat(),
                   "last_date": max(o.placed for o in olist).date().isoformat(),
                   "by_status": _count(o.status for o in olist),
                   "usd_priced": [{"order_id": o.order_id, "usd": str(o.total), "ecb_usd_per_eur": str(o.fx_rate),
                                   "card_margin": str(story.CARD_MARGIN), "eur_charged": str(o.eur_charged),
                                   "rate_date": o.placed.date().isoformat()}
                                  for o in olist if o.currency == "USD"],
                   "bulk_tsv_order_ids": [o.order_id for o in olist if o.placed.date() >= BULK_FROM]},
        "missing_credits": missing,
        "combined_checkout": {"order_ids": [o.order_id for o in combo], "placed_at": combo[0].placed.isoformat(),
                              "stores": [o.store for o in combo],
                              "debit_eur": str(sum((o.total for o in combo), Decimal("0"))),
                              "bank": bank_ref("payment:" + ",".join(o.order_id for o in combo))},
        "orders_by_problem": by_problem,
        "refunds_credited": credited,
        "refunds_to_platform_balance": balance,
        "payments": payments,
        "bank_files": {"kbc": {"rows": kbc_info["rows"], "opening_balance": str(KBC_OPENING),
                               "closing_balance": str(kbc_info["closing"])},
                       "bnppf": {"rows": bnppf_info["rows"]}},
        "paypal": [{k: (str(v) if isinstance(v, Decimal | date) else v) for k, v in f.items()} for f in pp_facts],
        "evidence": evidence,
        "distractors": [{"what": "ACTION LEUVEN card payment of EUR 24.99 on the same day as the first AliExpress "
                                 "order (EUR 24.99)", "booked": "2025-11-04"}],
    }


def _count(values) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return dict(sorted(out.items()))


KBC_OPENING = Decimal("2431.57")


def generate(out: Path) -> dict[str, bytes]:
    """Build every file of the case; returns {relative path: bytes} (also written under ``out``)."""
    rng = random.Random(SEED)
    olist, by_key, refunds, _rates = story.build(rng)
    assign_tracking(olist, rng)
    files: dict[str, bytes] = {}
    files["orders/aliexpress_orders.csv"] = shopper_inventory_csv(olist)
    files["orders/aliexpress_bulk_export.tsv"] = bulk_tsv(olist, rng)

    kbc_ali, bnppf_ali, paypal_orders = banks.aliexpress_movements(olist, refunds, by_key, rng)
    pp_text, pp_debits, pp_facts = banks.paypal_activity(paypal_orders, refunds, by_key, rng)
    kbc = banks.household_kbc(date(2025, 11, 1), date(2026, 11, 19), rng) + kbc_ali + pp_debits
    files["bank/kbc_2025-2026.csv"], kbc_info = banks.write_kbc(kbc, KBC_OPENING)
    bnppf = banks.household_bnppf(date(2026, 1, 1), date(2026, 11, 19), rng) + bnppf_ali
    files["bank/bnpparibasfortis_2026.csv"], bnppf_info = banks.write_bnppf(bnppf)
    files["bank/paypal_activity.csv"] = pp_text.encode("utf-8")

    evidence = []
    for p in media.PHOTOS:
        offset = 2 if p.taken.replace(tzinfo=BRUSSELS).dst() else 1
        files[f"evidence/{p.name}"] = media.photo_bytes(p, offset)
        evidence.append({"file": f"evidence/{p.name}", "order_id": by_key[p.order_key].order_id,
                         "problem": p.problem, "taken_local": p.taken.isoformat(),
                         "exif_offset": p.offset, "gps": list(p.gps) if p.gps else None,
                         "orientation": 6 if p.rotate6 else 1, "caption": p.caption})
    for s in media.SCREENSHOTS:
        files[f"evidence/{s.name}"] = media.screenshot_bytes(s)
        evidence.append({"file": f"evidence/{s.name}", "order_id": by_key[s.order_key].order_id,
                         "kind": s.kind, "caption": s.caption})

    ids = {o.key: o.order_id for o in olist}
    file_map: dict[str, dict] = {"orders": ["orders/aliexpress_orders.csv", "orders/aliexpress_bulk_export.tsv"],
                                 "bank": ["bank/kbc_2025-2026.csv", "bank/bnpparibasfortis_2026.csv",
                                          "bank/paypal_activity.csv"],
                                 "evidence": {e["file"]: e["order_id"] for e in evidence},
                                 "messages": {}, "tracking": {}}
    for key, (name, text) in messages.conversations(ids).items():
        files[f"messages/{name}"] = text.encode("utf-8")
        file_map["messages"][f"messages/{name}"] = ids[key]
    for key, (name, text) in messages.tracking_histories(ids).items():
        files[f"messages/{name}"] = text.encode("utf-8")
        file_map["tracking"][f"messages/{name}"] = ids[key]

    files["case.json"] = _json(case_json(olist, by_key, refunds, file_map))
    files["EXPECTED.json"] = _json(expected_json(olist, by_key, refunds, kbc_info, bnppf_info, pp_facts, evidence))
    for rel, data in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return files


def _json(obj) -> bytes:
    return (json.dumps(to_jsonable(obj), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: sample_data/ itself)")
    args = parser.parse_args(argv)
    files = generate(args.out)
    total = sum(len(b) for b in files.values())
    print(f"wrote {len(files)} files, {total} bytes, under {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
