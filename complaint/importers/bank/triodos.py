"""Triodos Belgium CSV, declared by its columns and their roles.

Header (issue 18, and the column positions of the ofxstatement Triodos BE plugin,
https://github.com/ulterify/ofxstatement-nl-triodos, checked December 2026)::

    "Date","Account","Amount","CounterpartyAccount","BIC","CounterpartyName","Address",
    "TransactionType","Communication","Balance"

``,`` separated, every cell quoted, comma decimals (``"-12,34"``), ``dd-mm-yyyy`` dates, ISO-8859-1
in older downloads.  The BIC is Triodos's own (``TRIOBEBB``) for the own account; Belgian IBANs
of bank code 523 are Triodos accounts.  The balance is the running balance after the row.
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
    Date,
    Text,
)

HEADER = ("Date", "Account", "Amount", "CounterpartyAccount", "BIC", "CounterpartyName", "Address",
          "TransactionType", "Communication", "Balance")
ROLES = ("booking_date", "account", "amount", "counterparty_account", "bic", "counterparty", "address", "kind",
         "communication", "balance")

TRIODOS = register(CsvImporter(CsvSpec(
    name="bank.triodos_csv",
    label="Triodos Belgium CSV",
    family="triodos",
    signatures=(HEADER,),
    columns=(
        Date("Date", fmt=("%d-%m-%Y", "%d/%m/%Y")),
        Account("Account"),
        Amount("Amount"),
        CounterpartyAccount("CounterpartyAccount"),
        Text("bic", "BIC"),
        Counterparty("CounterpartyName"),
        Text("kind", "TransactionType"),
        Communication("Communication"),
        Balance("Balance"),
    ),
    delimiter=",",
    encodings=("utf-8-sig", "cp1252", "latin-1"),
    decimal=",",
    confidence=0.9,
    role_orders=(ROLES,),
    bics=("TRIOBEBB",),
)))
