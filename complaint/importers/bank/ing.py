"""ING Belgium CSV (Dutch and French headers) and the legacy Record Bank layout.

Current layout (Firefly III's import configuration be/ing/default.json,
https://github.com/firefly-iii/import-configurations, checked November 2026), 11 columns, ``;``, ``dd/mm/yyyy``, decimal comma:
NL ``Rekeningnummer;Naam van de rekening;Rekening tegenpartij;Omzetnummer;Boekingsdatum;
Valutadatum;Bedrag;Munteenheid;Omschrijving;Detail van de omzet;Bericht``; FR ``Numéro de compte;
Nom du compte;Compte contrepartie;Numéro de mouvement;Date comptable;Date valeur;Montant;Devise;
Libellés;Détails du mouvement;Message``.  The movement number is the bank reference.  Card text
reads ``Betaling Bancontact ... Kaartnummer 1582 40XX XXXX 1548 2``; the number is masked.
The file has no counterparty-name column: the name stays inside the description.

Legacy Record Bank files (``Nr v/d rekening :`` first line) share Argenta's legacy layout, see
:class:`complaint.importers.bank.argenta.LegacyLayoutImporter`.
"""

from __future__ import annotations

from ..base import register
from .argenta import LEGACY_COLUMNS, LEGACY_SIGNATURES, LegacyLayoutImporter
from .csv_importer import CsvImporter
from .spec import (
    Account,
    Amount,
    BankRef,
    Communication,
    CounterpartyAccount,
    CsvSpec,
    Currency,
    Date,
    Description,
    ValueDate,
)

ING = register(CsvImporter(CsvSpec(
    name="bank.ing_be_csv",
    label="ING Belgium CSV",
    family="ing-be",
    signatures=(
        ("Rekeningnummer", "Naam van de rekening", "Rekening tegenpartij", "Omzetnummer", "Boekingsdatum",
         "Valutadatum", "Bedrag", "Munteenheid", "Omschrijving"),
        ("Numéro de compte", "Nom du compte", "Compte contrepartie", "Numéro de mouvement", "Date comptable",
         "Date valeur", "Montant", "Devise", "Libellés"),
    ),
    columns=(
        Account("Rekeningnummer", "Numéro de compte"),
        CounterpartyAccount("Rekening tegenpartij", "Compte contrepartie"),
        BankRef("Omzetnummer", "Numéro de mouvement"),
        Date("Boekingsdatum", "Date comptable"),
        ValueDate("Valutadatum", "Date valeur"),
        Amount("Bedrag", "Montant"),
        Currency("Munteenheid", "Devise"),
        Description("Omschrijving", "Libellés"),
        Description("Detail van de omzet", "Détails du mouvement"),
        Communication("Bericht", "Message"),
    ),
)))

RECORD_LEGACY = register(LegacyLayoutImporter(CsvSpec(
    name="bank.record_legacy_csv", label="ING (Record Bank) CSV, legacy layout", family="ing-be",
    signatures=LEGACY_SIGNATURES, columns=LEGACY_COLUMNS,
), bic="BBRU"))
