"""KBC / CBC exports: the account CSV (Dutch and English headers, 10- and 18-column variants)
and the credit-card CSV (Dutch and English).

Facts (the ofxstatement-be-kbc plugin, https://github.com/angryzor/ofxstatement-be-kbc, and public
test data of other parsers, checked November 2026): ``;`` separated, ``dd/mm/yyyy``, decimal comma, space-padded
fields, some files with CR-only line endings.  ``Valuta`` is the value date and ``Munt`` the
currency.  Rows carry a running ``Saldo`` (balance after the row), which gives the balance proof.
KBC has no per-row reference, so ids are content hashes (account, dates, amount, texts, and the
rank among identical rows), identical across overlapping statements.  The structured
communication column shows ``***190/5063/21290***``; it is normalised to ``+++...+++``.

Credit-card CSV: ``bedrag`` is the amount in the original currency ``munt`` (unsigned),
``koers`` the rate and ``bedrag in EUR`` the signed amount charged.  The settlement date
(``Datum verrekening``) is the booking date and the transaction date the value date, the way
Belgian account statements date card payments.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from ..base import register
from ..columnar.cells import Coded, combine
from .csv_importer import CsvImporter
from .spec import (
    Account,
    Amount,
    Balance,
    Communication,
    Context,
    Counterparty,
    CounterpartyAccount,
    Credit,
    CsvSpec,
    Currency,
    Date,
    Debit,
    Description,
    Number,
    RowValues,
    Text,
    ValueDate,
)
from .text import mask_card_number, structured_communication


class KbcAccountImporter(CsvImporter):
    def adjust(self, values: RowValues, group, ctx: Context) -> RowValues:
        structured = values.extra.get("structured")
        free = values.texts.get("communication")
        if structured:
            norm, bad = structured_communication(str(structured))
            if bad is None:
                values.texts["communication"] = f"{norm} {free}" if free and free != norm else norm
            else:
                values.texts["communication"] = " ".join(x for x in (str(structured), free) if x)
        return values

    def adjust_coded(self, texts: dict, extra: dict) -> dict:
        """:meth:`adjust` for a whole file read into columns: the communication of each distinct
        (structured, free) pair worked out once."""
        structured = extra.get("structured")
        if structured is None or not pc.any(pc.is_valid(structured)).as_py():
            return texts
        pairs, codes = combine([Coded.of(structured), texts["communication"]])
        values = []
        for structured_text, free in pairs:
            if not structured_text:
                values.append(free)
                continue
            norm, bad = structured_communication(str(structured_text))
            if bad is None:
                values.append(f"{norm} {free}" if free and free != norm else norm)
            else:
                values.append(" ".join(x for x in (structured_text, free) if x))
        return {**texts, "communication": Coded(pa.array(values + [None], pa.string()), codes)}


KBC_ACCOUNT = register(KbcAccountImporter(CsvSpec(
    name="bank.kbc_csv",
    label="KBC / CBC account CSV",
    family="kbc",
    signatures=(
        ("Rekeningnummer", "Munt", "Afschriftnummer", "Datum", "Omschrijving", "Valuta", "Bedrag", "Saldo"),
        ("Account number", "Currency", "Statement number", "Date", "Description", "Value date", "Amount",
         "Balance"),
    ),
    columns=(
        Account("Rekeningnummer", "Account number"),
        Currency("Munt", "Currency"),
        Date("Datum", "Date", fmt="%d/%m/%Y"),
        Description("Omschrijving", "Description"),
        ValueDate("Valuta", "Value date", fmt="%d/%m/%Y"),
        Amount("Bedrag", "Amount"),
        Balance("Saldo", "Balance"),
        Credit("credit"),
        Debit("debet", "debit"),
        CounterpartyAccount("rekeningnummer tegenpartij", "Rekening tegenpartij", "counterparty's account number"),
        Text("counterparty_bic", "BIC tegenpartij", "BIC code tegenpartij", "Counterparty BIC"),
        Counterparty("Naam tegenpartij", "Counterparty name"),
        Text("counterparty_address", "Adres tegenpartij", "Counterparty address"),
        Text("structured", "gestructureerde mededeling", "standard-format reference"),
        Communication("Vrije mededeling", "Free-format reference"),
    ),
)))


class KbcCardImporter(CsvImporter):
    def adjust(self, values: RowValues, group, ctx: Context) -> RowValues:
        values.card = str(values.extra.get("card") or "") or None
        if values.card:
            values.texts["account"] = mask_card_number(values.card)
        currency = str(values.extra.get("original_currency") or "").upper()
        original = values.extra.get("original_amount")
        rate = values.extra.get("rate")
        if currency and currency != "EUR" and original is not None:
            values.original_currency = currency
            values.original_amount = abs(original) if values.amount >= 0 else -abs(original)
            values.fx_rate = rate.normalize() if rate is not None else None
        place = " ".join(str(values.extra.get(k)) for k in ("location", "country") if values.extra.get(k))
        merchant = values.texts.get("counterparty")
        values.texts["description"] = " ".join(x for x in (merchant, place) if x) or None
        return values


KBC_CARD = register(KbcCardImporter(CsvSpec(
    name="bank.kbc_creditcard_csv",
    label="KBC / CBC credit-card CSV",
    family="kbc-card",
    signatures=(
        ("kredietkaart", "datum verrichting", "Datum verrekening", "bedrag", "munt", "koers", "bedrag in EUR",
         "Handelaar"),
        ("credit card", "date transaction", "Settlement date", "amount", "currency", "price", "amount in EUR",
         "Merchant"),
    ),
    columns=(
        Text("card", "kredietkaart", "credit card"),
        Date("Datum verrekening", "Settlement date", fmt="%d/%m/%Y"),
        ValueDate("datum verrichting", "date transaction", fmt="%d/%m/%Y"),
        Number("original_amount", "bedrag", "amount"),
        Text("original_currency", "munt", "currency"),
        Number("rate", "koers", "price"),
        Amount("bedrag in EUR", "amount in EUR"),
        Number("fee", "Kosten op verrichting", "Transaction cost"),
        Counterparty("Handelaar", "Merchant"),
        Text("location", "locatie", "location"),
        Text("country", "land", "country"),
        Communication("toelichting", "explanation"),
    ),
    payment_method="credit_card",
)))
