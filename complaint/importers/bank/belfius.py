"""Belfius CSV: a preamble of search criteria and the last balance, then the movements.

Facts (the ofxstatement-be-belfius plugin, https://github.com/renardeau/ofxstatement-be-belfius,
and public test data of other parsers, checked November 2026): about 12 preamble lines (``Boekingsdatum vanaf;...``,
``Laatste saldo;1.234,56 EUR``, ``Datum/uur van het laatste saldo;09/02/2020 21:30:53``), a line
with only ``;``, then the header ``Rekening;Boekingsdatum;Rekeninguittrekselnummer;
Transactienummer;Rekening tegenpartij;Naam tegenpartij bevat;Straat en nummer;Postcode en plaats;
Transactie;Valutadatum;Bedrag;Devies;BIC;Landcode;Mededelingen`` (older files: ``Afschriftnummer``
as the third column).  Newest first, ``dd/mm/yyyy``, ``1.234,56``.  The last balance becomes the
statement's closing balance; with no opening balance in the file the proof is "not available".
"""

from __future__ import annotations

from ...i18n import N_
from ...records import StatementInfo, issue
from ..base import register
from ..values import ValueParseError, parse_amount, parse_date
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
    Text,
    ValueDate,
    norm_header,
)


class BelfiusImporter(CsvImporter):
    def prepare(self, ctx: Context) -> None:
        closing = closing_date = None
        for row in ctx.table.preamble:
            key = norm_header(row.cells[0]) if row.cells else ""
            value = row.cells[1].strip() if len(row.cells) > 1 else ""
            try:
                if key == "laatste saldo" or key == "dernier solde":
                    closing = parse_amount(value, ",")
                elif key.startswith("datum/uur van het laatste saldo") or key.startswith("date/heure du dernier solde"):
                    closing_date = parse_date(value.split(" ")[0], "%d/%m/%Y") if value else None
            except ValueParseError:
                ctx.warnings.append(issue(ctx.source.name, row.line_no, N_("{text} cannot be read"),
                                          field=row.cells[0], value=value, severity="warning", text=value))
        if closing is not None:
            account = None
            if ctx.table.rows and "account" in ctx.index:
                i = ctx.index["account"][0][1]
                cells = ctx.table.rows[0].cells
                account = cells[i].replace(" ", "") if i < len(cells) else None
            ctx.statement = StatementInfo(account, "EUR", closing_balance=closing, closing_date=closing_date)


BELFIUS = register(BelfiusImporter(CsvSpec(
    name="bank.belfius_csv",
    label="Belfius CSV",
    family="belfius",
    signatures=(
        ("Rekening", "Boekingsdatum", "Transactienummer", "Rekening tegenpartij", "Naam tegenpartij bevat",
         "Transactie", "Valutadatum", "Bedrag", "Devies"),
    ),
    columns=(
        Account("Rekening"),
        Date("Boekingsdatum"),
        Text("statement_no", "Rekeninguittrekselnummer", "Afschriftnummer"),
        BankRef("Transactienummer"),
        CounterpartyAccount("Rekening tegenpartij"),
        Counterparty("Naam tegenpartij bevat"),
        Text("street", "Straat en nummer"),
        Text("city", "Postcode en plaats"),
        Description("Transactie"),
        ValueDate("Valutadatum"),
        Amount("Bedrag"),
        Currency("Devies"),
        Text("bic", "BIC"),
        Text("country", "Landcode"),
        Communication("Mededelingen"),
    ),
)))
