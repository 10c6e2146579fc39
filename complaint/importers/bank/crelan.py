"""Crelan CSV, declared from its documented column *roles*; the header text is a guess.

What is known (Firefly III's import configuration be/crelan/default.json,
https://github.com/firefly-iii/import-configurations, checked November 2026): ``;``, one header
row, ``d/m/Y`` dates, nine columns in this order: transaction date, amount, two ignored columns
(currency and type, by position), counterparty name, counterparty account, communication,
description, own account.  The exact header names are **unverified**.  So this importer claims a
file only when its header is exactly the one declared below (confidence 0.7, the lowest of the
bank importers), and :meth:`extract` on any other header raises ``NotMyFormat``: the user goes to
the column-mapping step instead of getting a silently wrong import.  Adjust the names here once a
real export confirms them.

Crelan's French site writes another layout (issue 18): ``Date;Montant;Solde apres operation;
Devise;Contrepartie;Compte contrepartie;Type d'operation;Communication;Compte donneur d'ordre``,
with the balance after each movement.  Both layouts are also declared by their column *roles*
(:mod:`complaint.importers.bank.roles`), so another wording of the same columns is recognised
when the file shows a Crelan account (BIC ``NICABEBB``).
"""

from __future__ import annotations

from ..base import register
from .csv_importer import CsvImporter
from .spec import (
    Account,
    Amount,
    Balance,
    Communication,
    Counterparty,
    CounterpartyAccount,
    CsvSpec,
    Currency,
    Date,
    Description,
    Text,
)

HEADER_NL = ("Datum", "Bedrag", "Valuta", "Type verrichting", "Naam tegenpartij", "Rekening tegenpartij",
             "Mededeling", "Omschrijving", "Rekeningnummer")
HEADER_FR = ("Date", "Montant", "Devise", "Type d'opération", "Nom de la contrepartie", "Compte de la contrepartie",
             "Communication", "Description", "Numéro de compte")
HEADER_FR_BALANCE = ("Date", "Montant", "Solde apres operation", "Devise", "Contrepartie", "Compte contrepartie",
                     "Type d'operation", "Communication", "Compte donneur d'ordre")
ROLES_NINE = ("booking_date", "amount", "currency", "kind", "counterparty", "counterparty_account", "communication",
              "description", "account")
ROLES_BALANCE = ("booking_date", "amount", "balance", "currency", "counterparty", "counterparty_account", "kind",
                 "communication", "account")

CRELAN = register(CsvImporter(CsvSpec(
    name="bank.crelan_csv",
    label="Crelan CSV (unverified header)",
    family="crelan",
    signatures=(HEADER_NL, HEADER_FR, HEADER_FR_BALANCE),
    columns=(
        Date("Datum", "Date", fmt=("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")),
        Amount("Bedrag", "Montant"),
        Balance("Saldo na verrichting", "Solde apres operation", "Solde après opération"),
        Currency("Valuta", "Devise"),
        Text("kind", "Type verrichting", "Type d'opération", "Type d'operation"),
        Counterparty("Naam tegenpartij", "Nom de la contrepartie", "Contrepartie"),
        CounterpartyAccount("Rekening tegenpartij", "Compte de la contrepartie", "Compte contrepartie"),
        Communication("Mededeling", "Communication"),
        Description("Omschrijving", "Description"),
        Account("Rekeningnummer", "Numéro de compte", "Compte donneur d'ordre"),
    ),
    confidence=0.7,
    role_orders=(ROLES_NINE, ROLES_BALANCE),
    bics=("NICABEBB",),
)))
