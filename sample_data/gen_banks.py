"""Bank and PayPal statements of the sample case, written the way KBC, BNP Paribas Fortis and
PayPal write their downloads (the column layouts the importers in complaint/importers/bank/ declare,
with the public sources their docstrings cite).

- KBC: 18 columns, ``;``, ``dd/mm/yyyy``, decimal comma, Windows-1252, CRLF, oldest first, a
  running ``Saldo`` after every row; card lines ``BETALING AANKOPEN ... MET KBC-BANKKAART``.
- BNP Paribas Fortis: the v3 French header, UTF-8, ``;``, dot decimals, newest first.
- PayPal: the English activity download (41 columns, UTF-8 with BOM, ``DD/MM/YYYY``).
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from gen_story import (
    BNPPF_CARD,
    BNPPF_IBAN,
    BUYER,
    BUYER_ADDRESS,
    BUYER_EMAIL,
    KBC_CARD,
    KBC_IBAN,
    Order,
    Refund,
    checkout_groups,
)

from complaint.calendar_be import add_business_days, is_business_day

PAYPAL_IBAN = "LU89 7510 0013 5104 200E"
PAYPAL_NAME = "PAYPAL (EUROPE) S.A.R.L. ET CIE., S.C.A."
PAYPAL_CREDITOR_ID = "LU96ZZZ0000000000000000058"
PAYPAL_MANDATE = "5JQ2224H7LM8S"
LANDLORD = ("BE94 7330 1958 2714", "KREDBEBB", "VERHAEGEN MARC", "Naamsestraat 44, 3000 Leuven")
KBC_SAVINGS = "BE51 7350 4821 6462"
EMPLOYER = ("BE17 0682 2904 5521", "GKCCBEBB", "VANDEPUTTE LOGISTICS NV", "Researchpark 12, 3001 Heverlee")


def be_iban(first10: str) -> str:
    check = int(first10) % 97 or 97
    bban = f"{first10}{check:02d}"
    chk = 98 - int(bban + "111400") % 97
    s = f"BE{chk:02d}{bban}"
    return " ".join(s[i:i + 4] for i in range(0, 16, 4))


def ogm(first10: int) -> str:
    """A Belgian structured communication with a valid check number, KBC style ``***...***``."""
    digits = f"{first10:010d}"
    check = int(digits) % 97 or 97
    d = digits + f"{check:02d}"
    return f"***{d[:3]}/{d[3:7]}/{d[7:]}***"


def nl_amount(v: Decimal) -> str:
    return f"{v:.2f}".replace(".", ",")


@dataclass
class Txn:
    booked: date
    value: date
    text: str
    amount: Decimal
    cp_account: str = ""
    cp_bic: str = ""
    cp_name: str = ""
    cp_address: str = ""
    structured: str = ""
    free: str = ""
    kind: str = ""  # BNPPF "Type de transaction"
    seq: int = 0  # BNPPF sequence (set when written)
    ref: str = ""  # an id the EXPECTED file can point to
    late_seq: bool = False  # dated back: a BNPPF refund booked on the purchase date
    really_booked: date | None = None  # when a dated-back movement actually came in


def card_booking(day: date) -> date:
    """Card payments are booked on the next business day, dated (value) the day of purchase."""
    return add_business_days(day, 1)


def kbc_card_text(o_day: date, hh_mm: str, merchant: str, refund: bool = False, fx: str = "") -> str:
    if refund:  # a card refund carries the day it was issued, no time
        text = f"TERUGBETALING AANKOPEN VIA INTERNET {o_day:%d-%m-%Y}, {merchant} MET KBC-BANKKAART {KBC_CARD}"
    else:
        text = f"BETALING AANKOPEN VIA INTERNET {o_day:%d-%m-%Y} OM {hh_mm} UUR, {merchant} MET KBC-BANKKAART {KBC_CARD}"
    return text + (f" {fx}" if fx else "")


def fx_text(usd: Decimal, eur: Decimal) -> str:
    return f"{nl_amount(usd)} USD WISSELKOERS {str((usd / eur).quantize(Decimal('0.0001'))).replace('.', ',')}"


# --- the movements -------------------------------------------------------------------------------

def aliexpress_movements(olist: list[Order], refunds: list[Refund], by_key: dict[str, Order],
                         rng: random.Random) -> tuple[list[Txn], list[Txn], list[dict]]:
    """(KBC txns, BNPPF txns, PayPal payments to fund) for the AliExpress orders and refunds."""
    kbc: list[Txn] = []
    bnppf: list[Txn] = []
    paypal: list[dict] = []
    for _key, group in checkout_groups(olist).items():
        first = group[0]
        amount = sum((o.eur_charged for o in group), Decimal("0"))
        day = first.placed.date()
        hh_mm = first.placed.strftime("%H.%M")
        ref = "payment:" + ",".join(o.order_id for o in group)
        if first.pay == "kbc":
            fx = fx_text(first.total, first.eur_charged) if first.currency == "USD" else ""
            kbc.append(Txn(card_booking(day), day, kbc_card_text(day, hh_mm, "ALIEXPRESS.COM LUXEMBOURG", fx=fx),
                           -amount, ref=ref))
        elif first.pay == "bnppf":
            bnppf.append(Txn(card_booking(day), day, bnppf_card_text(day, "ALIEXPRESS.COM LUXEMBOURG", rng),
                             -amount, kind="Paiement par carte", ref=ref))
        else:
            paypal.append({"order": first, "amount": amount})
    for r in refunds:
        o = by_key[r.order_key]
        if r.credited_on is None or r.where not in ("kbc", "bnppf"):
            continue
        ref = f"refund:{o.order_id}"
        if r.where == "kbc":
            fx = fx_text(r.amount, r.credited_eur) if r.currency == "USD" else ""
            kbc.append(Txn(r.credited_on, r.credited_on,
                           kbc_card_text(r.completed_on, "", "ALIEXPRESS.COM LUXEMBOURG", refund=True, fx=fx),
                           r.credited_eur, ref=ref))
        else:
            bnppf.append(Txn(r.credited_on, r.credited_on,
                             f"ANNULATION DU PAIEMENT DU {o.placed:%d/%m/%Y} ALIEXPRESS.COM LUXEMBOURG AVEC LA CARTE "
                             f"DE DEBIT NUMERO {BNPPF_CARD} REFERENCE BANQUE : {_bank_ref(r.credited_on, rng)} "
                             f"DATE VALEUR : {r.credited_on:%d/%m/%Y}",
                             r.credited_eur, kind="Remboursement paiement par carte", ref=ref,
                             late_seq=r.booked_on_purchase_date, really_booked=r.completed_on))
    return kbc, bnppf, paypal


def _bank_ref(day: date, rng: random.Random) -> str:
    return f"{day:%y%m%d}{rng.randrange(10**9, 10**10)}"


def bnppf_card_text(day: date, merchant: str, rng: random.Random, contactless: bool = False) -> str:
    how = "VISA DEBIT - SANS CONTACT" if contactless else "VISA DEBIT - COMMERCE ELECTRONIQUE"
    return (f"PAIEMENT AVEC LA CARTE DE DEBIT NUMERO {BNPPF_CARD} {merchant} {day:%d/%m/%Y} {how} "
            f"REFERENCE BANQUE : {_bank_ref(day, rng)} DATE VALEUR : {day:%d/%m/%Y}")


def _days(start: date, end: date):
    d = start
    while d <= end:
        yield d
        d += timedelta(days=1)


def household_kbc(start: date, end: date, rng: random.Random) -> list[Txn]:
    """Salary, rent, groceries, utilities, a transfer to the BNPPF account: ordinary life."""
    out: list[Txn] = []
    shops = [("COLRUYT KESSEL-LO", (35, 120)), ("DELHAIZE LEUVEN", (18, 75)), ("ALDI KESSEL-LO", (22, 68)),
             ("LIDL LEUVEN", (15, 55)), ("KRUIDVAT LEUVEN", (6, 32)), ("AVEVE KESSEL-LO", (8, 40))]
    engie = be_iban("0017720385")
    proximus = be_iban("0000010094")
    for d in _days(start, end):
        # rent on the first business day of the month
        if d == _first_bd_from(d.replace(day=1)):
            out.append(Txn(d, d, "EUROPESE OVERSCHRIJVING NAAR " + LANDLORD[0], Decimal("-875.00"), *LANDLORD,
                           free=f"HUUR {_month_nl(d)} {d.year} APPT 2B"))
        # salary on the 25th (or the business day before)
        if _salary_day(d) == d:
            out.append(Txn(d, d, "EUROPESE OVERSCHRIJVING VAN " + EMPLOYER[0], Decimal("2384.33"), *EMPLOYER,
                           free=f"LOON {d:%m/%Y} REF 4410-{rng.randrange(100000, 999999)}"))
        if d == _first_bd_from(d.replace(day=5)):
            out.append(Txn(d, d, "EUROPESE OVERSCHRIJVING NAAR " + BNPPF_IBAN, Decimal("-150.00"), BNPPF_IBAN,
                           "GEBABEBB", BUYER, BUYER_ADDRESS, free="SPAARPOT"))
        if d == _first_bd_from(d.replace(day=27)) and d.month == _first_bd_from(d.replace(day=27)).month:
            out.append(Txn(d, d, "EUROPESE OVERSCHRIJVING NAAR " + KBC_SAVINGS, Decimal("-650.00"), KBC_SAVINGS,
                           "KREDBEBB", BUYER, BUYER_ADDRESS, free="SPAREN"))
        if d == _first_bd_from(d.replace(day=12)):
            amount = Decimal("-118.00") if d.month in (11, 12, 1, 2, 3) else Decimal("-86.00")
            out.append(Txn(d, d, "EUROPESE DOMICILIERING SCHULDEISER : ENGIE ELECTRABEL REF. SCHULDEISER : "
                                 "BE39ZZZ0403107701 MANDAATREFERTE : 0008812347612", amount, engie, "GEBABEBB",
                           "ENGIE ELECTRABEL", "Simon Bolivarlaan 34, 1000 Brussel",
                           structured=ogm(5012000000 + d.month * 1000 + d.year % 100)))
        if d == _first_bd_from(d.replace(day=18)):
            out.append(Txn(d, d, "EUROPESE DOMICILIERING SCHULDEISER : PROXIMUS REF. SCHULDEISER : "
                                 "BE58ZZZ0202239951 MANDAATREFERTE : 3200145578", Decimal("-59.99"), proximus,
                           "BBRUBEBB", "PROXIMUS", "Koning Albert II-laan 27, 1030 Brussel",
                           structured=ogm(3207700000 + d.month * 100 + d.year % 100)))
        # groceries: two or three a week
        if d.weekday() in (1, 5) or (d.weekday() == 3 and rng.random() < 0.4):
            shop, (lo, hi) = shops[rng.randrange(len(shops))]
            amount = Decimal(rng.randrange(lo * 100, hi * 100)) / 100
            hh = rng.randrange(9, 20)
            out.append(Txn(card_booking(d), d, f"BETALING AANKOPEN {d:%d-%m-%Y} OM {hh:02d}.{rng.randrange(60):02d} "
                                               f"UUR, {shop} MET KBC-BANKKAART {KBC_CARD}", -amount))
    # a same-amount, same-day distractor for the first AliExpress order (EUR 24.99 at Action)
    d = date(2025, 11, 3)
    out.append(Txn(card_booking(d), d, f"BETALING AANKOPEN {d:%d-%m-%Y} OM 16.12 UUR, ACTION LEUVEN "
                                       f"MET KBC-BANKKAART {KBC_CARD}", Decimal("-24.99")))
    d = date(2026, 5, 16)
    out.append(Txn(card_booking(d), d, f"BETALING AANKOPEN VIA INTERNET {d:%d-%m-%Y} OM 20.02 UUR, BOL.COM "
                                       f"UTRECHT MET KBC-BANKKAART {KBC_CARD}", Decimal("-42.98")))
    return out


def _month_nl(d: date) -> str:
    return ["JANUARI", "FEBRUARI", "MAART", "APRIL", "MEI", "JUNI", "JULI", "AUGUSTUS", "SEPTEMBER",
            "OKTOBER", "NOVEMBER", "DECEMBER"][d.month - 1]


def _salary_day(d: date) -> date:
    day = d.replace(day=25)
    while not is_business_day(day):
        day -= timedelta(days=1)
    return day


def _first_bd_from(d: date) -> date:
    while not is_business_day(d):
        d += timedelta(days=1)
    return d


def household_bnppf(start: date, end: date, rng: random.Random) -> list[Txn]:
    out: list[Txn] = []
    for d in _days(start, end):
        if _first_bd_from(d.replace(day=5)) == d:
            out.append(Txn(d, d, f"VIREMENT EN EUROS DU COMPTE {KBC_IBAN} {BUYER} COMMUNICATION : SPAARPOT "
                                 f"DATE VALEUR : {d:%d/%m/%Y}", Decimal("150.00"), KBC_IBAN, "KREDBEBB", BUYER,
                           free="SPAARPOT", kind="Virement en euros"))
        if d.weekday() == 4 and rng.random() < 0.35:
            shop = rng.choice(["CARREFOUR MARKET HEVERLEE", "DELHAIZE LEUVEN", "PANOS LEUVEN STATION"])
            amount = Decimal(rng.randrange(450, 4200)) / 100
            out.append(Txn(card_booking(d), d, bnppf_card_text(d, shop + " BE", rng, contactless=True), -amount,
                           kind="Paiement par carte"))
    return out


# --- PayPal ------------------------------------------------------------------------------------

PAYPAL_HEADER = ["Date", "Time", "TimeZone", "Name", "Type", "Status", "Currency", "Gross", "Fee", "Net",
                 "From Email Address", "To Email Address", "Transaction ID", "Shipping Address", "Address Status",
                 "Item Title", "Item ID", "Shipping and Handling Amount", "Insurance Amount", "Sales Tax",
                 "Option 1 Name", "Option 1 Value", "Option 2 Name", "Option 2 Value", "Reference Txn ID",
                 "Invoice Number", "Custom Number", "Quantity", "Receipt ID", "Balance", "Address Line 1",
                 "Address Line 2/District/Neighborhood", "Town/City",
                 "State/Province/Region/County/Territory/Prefecture/Republic", "Zip/Postal Code", "Country",
                 "Contact Phone Number", "Subject", "Note", "Country Code", "Balance Impact"]


def paypal_id(rng: random.Random) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPRSTUVWXY"
    return "".join(rng.choice(alphabet) for _ in range(17))


def paypal_activity(paypal_orders: list[dict], refunds: list[Refund], by_key: dict[str, Order],
                    rng: random.Random) -> tuple[str, list[Txn], list[dict]]:
    """The activity CSV text, the KBC direct debits that fund it, and facts for EXPECTED."""
    events = []  # (datetime, name, type, status, gross, item, invoice, ref_key, impact, key)
    for p in paypal_orders:
        o: Order = p["order"]
        t = o.placed
        item = f"AliExpress order {o.order_id}"
        events.append((t, "AliExpress", "General Authorization", "Pending", -p["amount"], item, o.order_id,
                       None, "Memo", f"auth:{o.order_id}"))
        events.append((t.replace(second=7), "AliExpress", "Express Checkout Payment", "Completed", -p["amount"], item,
                       o.order_id, None, "Debit", f"pay:{o.order_id}"))
    for r in refunds:
        if r.where == "paypal":
            o = by_key[r.order_key]
            t = o.placed.replace(year=r.credited_on.year, month=r.credited_on.month, day=r.credited_on.day,
                                 hour=9, minute=41, second=18)
            events.append((t, "AliExpress", "Payment Refund", "Completed", r.credited_eur,
                           f"AliExpress order {o.order_id}", o.order_id, f"pay:{o.order_id}", "Credit",
                           f"refund:{o.order_id}"))
    # two ordinary PayPal purchases: a game shop and a second-hand camera lens on eBay
    from datetime import datetime
    events.append((datetime(2025, 12, 21, 14, 8, 51), "Valve Corporation", "Express Checkout Payment", "Completed",
                   Decimal("-19.99"), "Steam purchase", "", None, "Debit", "pay:steam"))
    events.append((datetime(2026, 6, 12, 20, 33, 2), "foto-vintage-gent", "PreApproved Payment Bill User Payment",
                   "Completed", Decimal("-38.50"), "Helios 44-2 58mm f/2 lens M42", "", None, "Debit", "pay:ebay"))
    events.sort(key=lambda e: e[0])
    ids = {e[9]: paypal_id(rng) for e in events}
    rows: list[list[str]] = []
    kbc: list[Txn] = []
    facts: list[dict] = []
    balance = Decimal("0.00")
    for t, name, typ, status, gross, item, invoice, ref_key, impact, key in events:
        tz = "CEST" if _summer(t.date()) else "CET"
        ref_id = ids[ref_key] if ref_key else ""
        deposit = Decimal("0")
        if impact == "Debit":
            deposit = max(Decimal("0"), -gross - balance)  # PayPal balance first, the bank for the rest
        if deposit:
            balance += deposit
            dep_id = paypal_id(rng)
            rows.append(_pp_row(t, tz, "", "Bank Deposit to PP Account ", "Completed", deposit, dep_id, "", "",
                                ids[key], balance, "Credit"))
            dd_day = add_business_days(t.date(), 2)
            kbc.append(Txn(dd_day, dd_day,
                           f"EUROPESE DOMICILIERING SCHULDEISER : {PAYPAL_NAME[:32]} REF. SCHULDEISER : "
                           f"{PAYPAL_CREDITOR_ID} MANDAATREFERTE : {PAYPAL_MANDATE}",
                           -deposit, PAYPAL_IBAN, "PPLXLUL2", PAYPAL_NAME, "22-24 Boulevard Royal, L-2449 Luxembourg",
                           free=f"{rng.randrange(10**12, 10**13)} PAYPAL", ref=f"paypal-debit:{key}"))
            facts.append({"paypal_txn": ids[key], "deposit_txn": dep_id, "deposit": deposit, "debit_on": dd_day,
                          "key": key})
        if impact != "Memo":
            balance += gross
        rows.append(_pp_row(t, tz, name, typ, status, gross, ids[key], item, invoice, ref_id, balance, impact))
        if key.startswith("refund:"):
            facts.append({"paypal_txn": ids[key], "reference_txn": ref_id, "amount": gross, "on": t.date(),
                          "key": key})
        if key.startswith("pay:") and invoice:
            facts.append({"paypal_txn": ids[key], "amount": gross, "on": t.date(), "key": key})
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    w.writerow(PAYPAL_HEADER)
    w.writerows(rows)
    return "\ufeff" + buf.getvalue(), kbc, facts


def _summer(d: date) -> bool:
    from datetime import datetime
    from zoneinfo import ZoneInfo
    return bool(datetime(d.year, d.month, d.day, 12, tzinfo=ZoneInfo("Europe/Brussels")).dst())


def _pp_row(t, tz, name, typ, status, gross, txn_id, item, invoice, ref_id, balance, impact) -> list[str]:
    row = dict.fromkeys(PAYPAL_HEADER, "")
    row.update({"Date": f"{t:%d/%m/%Y}", "Time": f"{t:%H:%M:%S}", "TimeZone": tz, "Name": name, "Type": typ,
                "Status": status, "Currency": "EUR", "Gross": f"{gross:,.2f}", "Fee": "0.00",
                "Net": f"{gross:,.2f}", "From Email Address": BUYER_EMAIL if gross < 0 else "",
                "To Email Address": "" if gross < 0 else BUYER_EMAIL, "Transaction ID": txn_id,
                "Item Title": item, "Reference Txn ID": ref_id, "Invoice Number": invoice,
                "Quantity": "1" if item else "", "Balance": f"{balance:,.2f}", "Balance Impact": impact,
                "Country Code": "BE" if name else ""})
    if name and gross < 0:
        row.update({"Shipping Address": "Lotte Janssens, Diestsesteenweg 112, Kessel-Lo, 3010, Belgium",
                    "Address Status": "Confirmed"})
    return [row[h] for h in PAYPAL_HEADER]


# --- writers -----------------------------------------------------------------------------------

KBC_HEADER = ["Rekeningnummer", "Rubrieknaam", "Naam", "Munt", "Afschriftnummer", "Datum", "Omschrijving", "Valuta",
              "Bedrag", "Saldo", "credit", "debet", "rekeningnummer tegenpartij", "BIC tegenpartij",
              "Naam tegenpartij", "Adres tegenpartij", "gestructureerde mededeling", "Vrije mededeling"]


def write_kbc(txns: list[Txn], opening: Decimal) -> tuple[bytes, dict]:
    txns = sorted(txns, key=lambda t: (t.booked, t.value, t.amount < 0, t.text))
    balance = opening
    lines = [";".join(KBC_HEADER)]
    seen: dict[str, dict] = {}
    for n, t in enumerate(txns, start=2):
        balance += t.amount
        statement = f"  0{t.booked.year}{t.booked.month:03d}"
        cells = [KBC_IBAN, " ", BUYER, "EUR", statement, f"{t.booked:%d/%m/%Y}", t.text, f"{t.value:%d/%m/%Y}",
                 nl_amount(t.amount), nl_amount(balance), nl_amount(t.amount) if t.amount > 0 else "",
                 nl_amount(t.amount) if t.amount < 0 else "", t.cp_account, t.cp_bic, t.cp_name, t.cp_address,
                 t.structured, t.free]
        if any(";" in c for c in cells):
            raise ValueError(f"';' in a KBC cell: {cells}")
        lines.append(";".join(cells))
        if t.ref:
            seen[t.ref] = {"line": n, "booked": t.booked, "value": t.value, "amount": t.amount}
    text = "\r\n".join(lines) + "\r\n"
    return text.encode("cp1252"), {"refs": seen, "closing": balance, "rows": len(txns)}


BNPPF_HEADER = ["Nº de séquence", "Date d'exécution", "Date valeur", "Montant", "Devise du compte", "Numéro de compte",
                "Type de transaction", "Contrepartie", "Nom de la contrepartie", "Communication", "Détails", "Statut",
                "Motif du refus"]


def write_bnppf(txns: list[Txn]) -> tuple[bytes, dict]:
    # sequence numbers follow the day a movement was really booked; a refund the bank dated back to
    # the purchase day (late_seq) was booked when it came in, so its number is out of line with its date
    numbered = sorted(txns, key=lambda t: (t.really_booked or t.booked, t.value, t.text))
    for i, t in enumerate(numbered, start=1):
        t.seq = i
    rows_sorted = sorted(numbered, key=lambda t: (t.booked, t.seq), reverse=True)
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    w.writerow(BNPPF_HEADER)
    seen = {}
    for n, t in enumerate(rows_sorted, start=2):
        w.writerow([f"{t.booked.year}-{t.seq:05d}", f"{t.booked:%d/%m/%Y}", f"{t.value:%d/%m/%Y}", f"{t.amount:.2f}",
                    "EUR", BNPPF_IBAN, t.kind, t.cp_account, t.cp_name, t.free, t.text, "Accepté", ""])
        if t.ref:
            seen[t.ref] = {"line": n, "booked": t.booked, "value": t.value, "amount": t.amount,
                           "sequence": f"{t.booked.year}-{t.seq:05d}"}
    return buf.getvalue().encode("utf-8"), {"refs": seen, "rows": len(rows_sorted)}
