"""Keytrade Bank CSV, declared from its documented column *roles*; the header text is a guess.

Known (the ofxstatement-be-keytrade plugin 0.0.1, https://pypi.org/project/ofxstatement-be-keytrade/,
checked November 2026): ``;``, one header line,
ISO-8859-1, ``dd.mm.yyyy`` dates, amounts ``1.234,56``; columns 0 statement/transaction number,
1 date, 2 value date, 3 counterparty account, 4 description, 5 amount (and currency).  The
commonly quoted header ``Extrait;Date;Date valeur;Compte;Description;Montant;Devise`` is
**unverified**, so this importer only claims a file with exactly that header (confidence 0.7) and
raises ``NotMyFormat`` on any other header when forced, sending the user to the column-mapping
step.  Because it is not known whether ``Extrait`` is unique per movement, it joins the content
hash instead of being the id on its own.
"""

from __future__ import annotations

from ..base import register
from .csv_importer import CsvImporter
from .spec import (
    Amount,
    BankRef,
    CounterpartyAccount,
    CsvSpec,
    Currency,
    Date,
    Description,
    ValueDate,
)

HEADER = ("Extrait", "Date", "Date valeur", "Compte", "Description", "Montant", "Devise")

KEYTRADE = register(CsvImporter(CsvSpec(
    name="bank.keytrade_csv",
    label="Keytrade Bank CSV (unverified header)",
    family="keytrade",
    signatures=(HEADER,),
    columns=(
        BankRef("Extrait"),
        Date("Date", fmt="%d.%m.%Y"),
        ValueDate("Date valeur", fmt="%d.%m.%Y"),
        CounterpartyAccount("Compte"),
        Description("Description"),
        Amount("Montant"),
        Currency("Devise"),
    ),
    encodings=("utf-8-sig", "latin-1"),
    confidence=0.7,
    ref_is_unique=False,
)))
