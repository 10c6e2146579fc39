"""BNP Paribas Fortis / Fintro / Hello bank! exports (Easy Banking CSV) and the Visa card CSV.

Account CSV (the ofxstatement-be-bnp plugin, https://github.com/bfrisque/ofxstatement-be-bnp, and the
Fintro plugin's samples, https://github.com/supernelis/ofxstatement-be-fintro, checked November 2026):
three header generations, French and Dutch, one importer:
v1 ``Numéro de séquence;Date d'exécution;Date valeur;Montant;Devise du compte;Détails;Numéro de compte``,
v2 adds ``CONTREPARTIE DE LA TRANSACTION``, v3 splits counterparty, name, communication, status and
refusal reason.  Old files are Windows-1252 with decimal commas, recent ones UTF-8 with decimal
dots (``-1372.26``), and some mix in ``-2.720,12``: amounts are read per cell.  The sequence number
(``2022-01538``) is the bank reference; ``2017-`` (not yet booked) is no reference.  Rows with a
refused status (``Refusé`` / ``Geweigerd``) never moved money: they are *skipped* with the reason.

Visa CSV (Fintro/BNPPF): each transaction is two lines; the second carries the merchant in
``Details`` and ``Wisselkoers##1,0501528`` / ``Gerelateerde kost##+0,00``.  The rate is kept as
``fx_rate``; the file does not name the original currency, so ``original_amount`` stays empty
unless the rate is 1.
"""

from __future__ import annotations

import re
from decimal import Decimal

import numpy as np
import pyarrow.compute as pc

from ...i18n import N_
from ...records import issue
from ..base import register
from ..values import ValueParseError, parse_amount
from .csv_importer import CsvImporter
from .spec import (
    Account,
    Amount,
    BankRef,
    Communication,
    Context,
    Counterparty,
    CounterpartyAccount,
    CsvSpec,
    Currency,
    Date,
    Description,
    RowValues,
    Text,
    ValueDate,
)

REFUSED = re.compile(r"^(refus|geweigerd|rejected|abgelehnt)", re.I)


class BnppfAccountImporter(CsvImporter):
    def adjust(self, values: RowValues, group, ctx: Context):
        ref = values.texts.get("bank_reference")
        if ref and not re.search(r"-\s*\d+$", ref):
            values.texts["bank_reference"] = None  # "2017-": not booked yet, no reference
        status = str(values.extra.get("status") or "")
        if REFUSED.match(status):
            ctx.skipped.append(issue(ctx.source.name, values.line, N_("refused by the bank ({reason}): no money moved"),
                                     field="status", value=status, severity="skipped",
                                     reason=values.extra.get("refusal") or status))
            return None
        return values

    def adjust_rows(self, extra: dict, texts: dict, n: int):
        """Rows whose reference is not a booked one (``2017-``) or that have a status."""
        ref = texts.get("bank_reference")
        unbooked = pc.and_(pc.is_valid(ref), pc.invert(pc.fill_null(pc.match_substring_regex(ref, r"-\s*\d+$"),
                                                                    False))) if ref is not None else None
        status = extra.get("status")
        mask = np.zeros(n, dtype=bool)
        for part in (unbooked, None if status is None else pc.is_valid(status)):
            if part is not None:
                mask |= np.asarray(pc.fill_null(part, False).to_numpy(zero_copy_only=False), dtype=bool)
        return mask


BNPPF = register(BnppfAccountImporter(CsvSpec(
    name="bank.bnppf_csv",
    label="BNP Paribas Fortis / Fintro / Hello bank! CSV",
    family="bnppf",
    signatures=(
        ("N° de séquence", "Date d'exécution", "Date valeur", "Montant", "Devise du compte", "Détails"),
        ("Numéro de séquence", "Date d'exécution", "Date valeur", "Montant", "Devise du compte", "Détails"),
        ("Volgnummer", "Uitvoeringsdatum", "Valutadatum", "Bedrag", "Valuta rekening", "Details"),
    ),
    columns=(
        BankRef("Nº de séquence", "N° de séquence", "Numéro de séquence", "Volgnummer"),
        Date("Date d'exécution", "Uitvoeringsdatum"),
        ValueDate("Date valeur", "Valutadatum"),
        Amount("Montant", "Bedrag"),
        Currency("Devise du compte", "Valuta rekening"),
        Account("Numéro de compte", "Rekeningnummer"),
        Description("Type de transaction", "Type verrichting"),
        CounterpartyAccount("Contrepartie", "Tegenpartij"),
        Counterparty("Nom de la contrepartie", "Naam van de tegenpartij", "CONTREPARTIE DE LA TRANSACTION",
                     "TEGENPARTIJ VAN DE VERRICHTING"),
        Communication("Communication", "Mededeling"),
        Description("Détails", "Details"),
        Text("status", "Statut", "Status"),
        Text("refusal", "Motif du refus", "Reden van weigering"),
    ),
    decimal=None,
)))


class BnppfVisaImporter(CsvImporter):
    """Two physical lines per transaction: a dated line and a detail line with the rate."""

    def groups(self, rows, ctx: Context):
        out = []
        for row in rows:
            first = row.cells[0].strip() if row.cells else ""
            if first or not out:
                out.append([row])
            else:
                out[-1].append(row)
        return out

    def adjust(self, values: RowValues, group, ctx: Context) -> RowValues:
        details, fee = [], None
        for row in group[1:]:
            for cell in row.cells:
                text = cell.strip()
                key, sep, raw = text.partition("##")
                if sep and key.lower() in {"wisselkoers", "taux de change", "exchange rate"}:
                    values.fx_rate = _decimal(raw, key, values.line)
                elif sep and key.lower() in {"gerelateerde kost", "frais connexes", "related cost"}:
                    fee = _decimal(raw, key, values.line)
                elif text:
                    details.append(text)
        if values.texts.get("description"):
            details.insert(0, values.texts["description"])
        values.texts["description"] = " ".join(details) or None
        values.texts["counterparty"] = details[-1] if details else None
        if fee:
            values.extra["fee"] = fee
        if values.fx_rate == 1:
            values.fx_rate = None
        return values


def _decimal(raw: str, field: str, line: int) -> Decimal | None:
    from .spec import RowError

    try:
        return parse_amount(raw, ",")
    except ValueParseError:
        raise RowError(field, raw, N_("{text} is not a number"), text=raw) from None


BNPPF_VISA = register(BnppfVisaImporter(CsvSpec(
    name="bank.bnppf_visa_csv",
    label="BNP Paribas Fortis / Fintro Visa card CSV",
    family="bnppf-visa",
    signatures=(("Uitvoeringsdatum", "Valutadatum", "Bedrag", "Valuta rekening", "Details", "Wisselkoers"),),
    columns=(
        Date("Uitvoeringsdatum"),
        ValueDate("Valutadatum"),
        Amount("Bedrag"),
        Currency("Valuta rekening"),
        Description("Details"),
    ),
    payment_method="credit_card",
)))
