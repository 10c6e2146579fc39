"""Column roles of bank CSV exports: one table of header synonyms per role, in FR, NL, EN and DE.

Belgian banks rename their export columns between versions and between the French and Dutch
sites (Crelan writes ``Solde apres operation`` or ``Solde après opération``; ``Compte donneur
d'ordre`` is the own account).  A declared bank (:class:`~complaint.importers.bank.spec.CsvSpec`)
therefore also says which *roles* its export has, in which order (``role_orders``), and its BIC
(``bics``): an IBAN in the file names its bank through the three digits after ``BExx`` that the
National Bank of Belgium assigns (https://www.nbb.be/en/payment-systems/payment-standards/
bank-identification-codes, checked December 2026, as packaged by schwifty).  A new wording of a known
column is then a synonym in :data:`ROLES`, not new code.

The role names are the targets of the spec's columns (``booking_date``, ``amount``, ...), plus
``kind`` (transaction type), ``bic`` and ``address`` (read, not kept).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

# role -> synonyms, folded (lower case, no accents, punctuation as spaces)
ROLES: dict[str, tuple[str, ...]] = {
    "booking_date": (
        "date", "booking date", "transaction date", "posting date", "execution date", "date de comptabilisation",
        "date comptable", "date d execution", "date operation", "date de l operation", "date de la transaction",
        "datum", "boekdatum", "boekingsdatum", "uitvoeringsdatum", "verrichtingsdatum", "datum verrichting",
        "buchungsdatum", "buchungstag", "ausfuhrungsdatum"),
    "value_date": ("value date", "date valeur", "date de valeur", "valutadatum", "rentedatum", "valuta datum",
                   "wertstellung", "valutadatum wertstellung"),
    "amount": ("amount", "amount eur", "transaction amount", "montant", "montant eur", "montant de l operation",
               "bedrag", "bedrag eur", "bedrag verrichting", "betrag", "betrag eur", "umsatz"),
    "debit": ("debit", "debet", "debit amount", "uitgaven", "depenses", "money out", "soll", "lastschrift"),
    "credit": ("credit", "credit amount", "inkomsten", "recettes", "money in", "haben", "gutschrift"),
    "balance": ("balance", "balance after", "running balance", "solde", "solde apres operation",
                "solde apres l operation", "nouveau solde", "saldo", "saldo na verrichting", "nieuw saldo",
                "saldo nach buchung", "kontostand"),
    "currency": ("currency", "devise", "monnaie", "munt", "valuta", "currency code", "wahrung"),
    "counterparty": (
        "counterparty", "counterparty name", "counterpartyname", "name", "payee", "beneficiary", "contrepartie",
        "nom de la contrepartie", "nom contrepartie", "beneficiaire", "naam tegenpartij", "tegenpartij",
        "naam", "naam van de tegenpartij", "begunstigde", "empfanger", "auftraggeber empfanger",
        "name zahlungsbeteiligter", "gegenpartei"),
    "counterparty_account": (
        "counterparty account", "counterpartyaccount", "counterparty iban", "compte contrepartie",
        "compte de la contrepartie", "compte de contrepartie", "iban contrepartie", "rekening tegenpartij",
        "rekeningnummer tegenpartij", "iban tegenpartij", "tegenrekening", "iban zahlungsbeteiligter",
        "konto gegenpartei", "iban gegenpartei"),
    "bic": ("bic", "bic contrepartie", "bic tegenpartij", "bic counterparty", "swift", "bic zahlungsbeteiligter"),
    "kind": ("type", "transaction type", "transactiontype", "type d operation", "type operation",
             "type de transaction", "type verrichting", "soort verrichting", "transactietype", "buchungstext",
             "umsatzart", "vorgang"),
    "communication": ("communication", "message", "remittance information", "mededeling", "vrije mededeling",
                      "gestructureerde mededeling", "verwendungszweck", "mitteilung"),
    "description": ("description", "details", "omschrijving", "beschrijving", "libelle", "detail",
                    "beschreibung"),
    "account": ("account", "account number", "own account", "iban", "compte", "numero de compte",
                "compte donneur d ordre", "mon compte", "rekening", "rekeningnummer", "rekening opdrachtgever",
                "mijn rekening", "konto", "kontonummer", "auftragskonto"),
    "address": ("address", "adresse", "adres", "anschrift"),
    "bank_reference": ("reference", "bank reference", "transaction id", "referentie", "reference de l operation",
                       "volgnummer", "referenz"),
}

_BY_NAME: dict[str, str] = {}
for _role, _names in ROLES.items():
    for _name in _names:
        if _BY_NAME.setdefault(_name, _role) != _role:
            raise ValueError(f"header {_name!r} has two roles")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", (text or "").replace("\ufeff", ""))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold().replace("ł", "l")
    return " ".join(re.sub(r"[^\w]+", " ", text).replace("_", " ").split())


def role_of(cell: str) -> str | None:
    """The role a header cell names: an exact synonym, else the role of the longest synonym whose
    words all appear in the cell (``Saldo na de verrichting`` -> balance), when no other role's
    synonym is as long (``Datum valuta`` names none)."""
    folded = fold(cell)
    if folded in _BY_NAME:
        return _BY_NAME[folded]
    words = set(folded.split())
    best: dict[int, set[str]] = {}
    for name, role in _BY_NAME.items():
        parts = name.split()
        if parts and all(p in words for p in parts):
            best.setdefault(len(parts), set()).add(role)
    if not best:
        return None
    roles = best[max(best)]
    return next(iter(roles)) if len(roles) == 1 else None


def header_roles(cells: Iterable[str]) -> list[str | None]:
    """The role of each header cell (None when the cell names no known role), in order."""
    return [role_of(c) for c in cells]


def role_order(cells: Iterable[str]) -> tuple[str, ...] | None:
    """The header as a sequence of roles, when every non-empty cell has one and no role repeats."""
    roles = [role_of(c) for c in cells if c.strip()]
    if not roles or any(r is None for r in roles) or len(set(roles)) != len(roles):
        return None
    return tuple(r for r in roles if r)


_IBAN_BE = re.compile(r"\bBE\s?\d{2}(?:\s?\d{4}){3}\b")


def bics_in(cells: Iterable[str]) -> tuple[set[str], bool]:
    """The BICs of the Belgian banks whose IBANs appear in ``cells`` (the bank code after ``BExx``
    looked up in schwifty's registry of the National Bank of Belgium's list), plus any cell that
    is a BIC itself; and whether any IBAN was seen at all."""
    out: set[str] = set()
    seen = False
    for cell in cells:
        text = cell.strip().upper()
        if re.fullmatch(r"[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?", text):
            out.add(text[:8])
        for m in _IBAN_BE.finditer(text):
            seen = True
            try:
                bic = IBAN(m[0], validate_bban=False).bic
            except SchwiftyException:
                continue
            if bic:
                out.add(str(bic)[:8])
    return out, seen
