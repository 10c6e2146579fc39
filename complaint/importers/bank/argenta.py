"""Argenta exports: the current CSV and XLSX (Dutch and French headers) and the legacy CSV.

Current layout (sources checked November 2026: the ofxstatement-be-argenta plugin,
https://github.com/Nick-DT/ofxstatement-be-argenta, and Firefly III's import configuration
be/argenta/default.json, https://github.com/firefly-iii/import-configurations): ``Rekening, Boekdatum, Valutadatum, Referentie,
Beschrijving, Bedrag, Munt, Verrichtingsdatum, Rekening tegenpartij, Naam tegenpartij,
Mededeling`` (FR ``Compte, Date comptable, Date valeur, Référence, Description, Montant, Devise,
Date de la transaction, Compte de la contrepartie, Nom de la contrepartie, Communication``),
``;``-separated with ``dd-mm-yyyy`` dates in CSV.  ``Referentie`` is the bank reference.
``Beschrijving`` names the kind of movement (``Betaling Bancontact``, ``Refund banksys``, ...).

Legacy layout, shared with ING's former Record Bank: a first line ``Nr v/d rekening :;<account>;
<product>``, then ``Valutadatum;Ref. v/d verrichting;Beschrijving;Bedrag v/d verrichting;Munt;
Datum v. verrichting;...``.  The same bytes can come from either bank, so
:class:`LegacyLayoutImporter` looks at the account's bank code (schwifty): an Argenta IBAN is
Argenta's, an ING IBAN is ING's; an unknown one is claimed by both and the user chooses.
The operation date is the booking date (the layout has no booking date), ``Valutadatum`` the value date.
"""

from __future__ import annotations

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from ...errors import ComplaintError, NotMyFormat, ParseError
from ...i18n import _
from ..base import register
from ..textio import Source, Table
from ..xlsx import looks_like_xlsx, read_sheet
from .csv_importer import CsvImporter
from .spec import Account as AccountCol
from .spec import (
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

CURRENT_COLUMNS = (
    AccountCol("Rekening", "Compte"),
    Date("Boekdatum", "Date comptable", fmt=("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S")),
    ValueDate("Valutadatum", "Date valeur", fmt=("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S")),
    BankRef("Referentie", "Référence"),
    Description("Beschrijving", "Description"),
    Amount("Bedrag", "Montant"),
    Currency("Munt", "Devise"),
    Text("operation_date", "Verrichtingsdatum", "Date de la transaction"),
    CounterpartyAccount("Rekening tegenpartij", "Compte de la contrepartie"),
    Counterparty("Naam tegenpartij", "Nom de la contrepartie"),
    Communication("Mededeling", "Communication"),
)
CURRENT_SIGNATURES = (
    ("Rekening", "Boekdatum", "Valutadatum", "Referentie", "Beschrijving", "Bedrag", "Munt", "Verrichtingsdatum"),
    ("Compte", "Date comptable", "Date valeur", "Référence", "Description", "Montant", "Devise",
     "Date de la transaction"),
)

ARGENTA_CSV = register(CsvImporter(CsvSpec(
    name="bank.argenta_csv", label="Argenta CSV", family="argenta",
    signatures=CURRENT_SIGNATURES, columns=CURRENT_COLUMNS,
)))


class ArgentaXlsxImporter(CsvImporter):
    """The same declaration, read from the first sheet with :func:`complaint.importers.xlsx.read_sheet`
    (dates arrive as ISO text, amounts as exact decimal text)."""

    def identify(self, source: Source) -> float:
        if not looks_like_xlsx(source):
            return 0.0
        try:
            table = read_sheet(source, max_rows=0, header_only=True,
                               header_predicate=lambda cells: self.header_score(cells) > 0)
        except ComplaintError:
            return 0.0
        return self.header_score(table.header)

    def read(self, source: Source) -> Table:
        if not looks_like_xlsx(source):
            raise NotMyFormat(_("{file}: not an .xlsx workbook", file=source.name))
        try:
            return read_sheet(source, header_predicate=lambda cells: self.header_score(cells) > 0)
        except ParseError as exc:
            if "no header" in str(exc):
                raise NotMyFormat(_("{file}: the header is not the documented {label} header; "
                                    "use the column-mapping step", file=source.name, label=self.label)) from exc
            raise


ARGENTA_XLSX = register(ArgentaXlsxImporter(CsvSpec(
    name="bank.argenta_xlsx", label="Argenta XLSX", family="argenta",
    signatures=CURRENT_SIGNATURES, columns=CURRENT_COLUMNS, decimal=None,
)))

# ---------------------------------------------------------------- legacy layout (Argenta, Record Bank)

LEGACY_COLUMNS = (
    ValueDate("Valutadatum", "Date valeur", fmt="%d-%m-%Y"),
    BankRef("Ref. v/d verrichting", "Référence de l'opération"),
    Description("Beschrijving", "Description"),
    Amount("Bedrag v/d verrichting", "Montant de l'opération"),
    Currency("Munt", "Devise"),
    Date("Datum v. verrichting", "Date d'opération", fmt="%d-%m-%Y"),
    CounterpartyAccount("Rekening tegenpartij", "Compte de contrepartie"),
    Counterparty("Naam v/d tegenpartij :", "Nom de la contrepartie :"),
    Communication("Mededeling 1 :", "Communication 1 :"),
    Communication("Mededeling 2 :", "Communication 2 :"),
)
LEGACY_SIGNATURES = (
    ("Valutadatum", "Ref. v/d verrichting", "Beschrijving", "Bedrag v/d verrichting", "Datum v. verrichting"),
    ("Référence de l'opération", "Date d'opération", "Montant de l'opération"),
)
LEGACY_OWNERS = {"ARSP", "BBRU"}  # Argenta, ING (which absorbed Record Bank)
ACCOUNT_LINE = ("nr v/d rekening :", "n° de compte :", "nr v/d rekening")


class LegacyLayoutImporter(CsvImporter):
    """The shared legacy layout; ``bic`` is the bank whose accounts make it certain."""

    def __init__(self, spec: CsvSpec, bic: str):
        super().__init__(spec)
        self.bic = bic

    def refine_identify(self, score: float, lines: list[list[str]]) -> float:
        account = _account_line(lines)
        if account is None:
            return 0.0
        try:
            bic = str(IBAN(account.replace(" ", "")).bic or "")
        except (SchwiftyException, ValueError):
            bic = ""
        if bic.startswith(self.bic):
            return 0.95
        if bic[:4] in LEGACY_OWNERS:
            return 0.3  # the other owner's account
        return 0.6  # another or unknown bank: both layouts claim it and the user chooses

    def prepare(self, ctx: Context) -> None:
        ctx.account = _account_line([r.cells for r in ctx.table.preamble])


def _account_line(lines: list[list[str]]) -> str | None:
    for cells in lines:
        if cells and norm_header(cells[0]) in ACCOUNT_LINE and len(cells) > 1:
            return cells[1].strip() or None
    return None


ARGENTA_LEGACY = register(LegacyLayoutImporter(CsvSpec(
    name="bank.argenta_legacy_csv", label="Argenta CSV (legacy layout)", family="argenta",
    signatures=LEGACY_SIGNATURES, columns=LEGACY_COLUMNS,
), bic="ARSP"))


