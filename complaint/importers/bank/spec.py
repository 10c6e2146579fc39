"""Declared CSV bank exports (beangulp style): the column descriptors and the spec.

A bank importer is *declared*: its header signature(s) and a list of column descriptors::

    KBC = CsvImporter(CsvSpec(
        name="bank.kbc_csv", label="KBC / CBC account CSV", family="kbc",
        signatures=(("Rekeningnummer", "Datum", "Omschrijving", "Bedrag", "Saldo"),),
        columns=(Account("Rekeningnummer"), Date("Datum", fmt="%d/%m/%Y"), Amount("Bedrag"),
                 Balance("Saldo"), Description("Omschrijving")),
    ))

This module holds what a declaration is made of (:class:`Col` and its constructors, :class:`CsvSpec`)
and what a bank's hooks receive (:class:`RowValues`, :class:`Context`, :class:`RowError`);
:class:`complaint.importers.bank.csv_importer.CsvImporter` is the machinery that reads any declared
export.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ...records import Issue, StatementInfo
from ..textio import Source, Table

# --------------------------------------------------------------------------- column descriptors


@dataclass(frozen=True, slots=True)
class Col:
    """One column: the record field it feeds, its header names (aliases), how to parse it."""

    target: str
    names: tuple[str, ...]
    kind: str = "text"  # text | date | amount | debit | credit | decimal
    fmts: tuple[str, ...] = ()
    required: bool = False


def _names(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(names)


def Date(*names: str, fmt: str | tuple[str, ...] = "%d/%m/%Y") -> Col:  # noqa: N802 - descriptor style
    """The booking date (required)."""
    return Col("booking_date", _names(names), "date", (fmt,) if isinstance(fmt, str) else fmt, True)


def ValueDate(*names: str, fmt: str | tuple[str, ...] = "%d/%m/%Y") -> Col:  # noqa: N802
    return Col("value_date", _names(names), "date", (fmt,) if isinstance(fmt, str) else fmt)


def Amount(*names: str) -> Col:  # noqa: N802
    """Signed amount in the account currency."""
    return Col("amount", _names(names), "amount")


def Debit(*names: str) -> Col:  # noqa: N802
    """Money out, whatever its printed sign; used when Amount is absent or empty."""
    return Col("debit", _names(names), "debit")


def Credit(*names: str) -> Col:  # noqa: N802
    return Col("credit", _names(names), "credit")


def Balance(*names: str) -> Col:  # noqa: N802
    """Running balance after the row."""
    return Col("balance", _names(names), "amount")


def Currency(*names: str) -> Col:  # noqa: N802
    return Col("currency", _names(names))


def Account(*names: str) -> Col:  # noqa: N802
    return Col("account", _names(names))


def Counterparty(*names: str) -> Col:  # noqa: N802
    return Col("counterparty", _names(names))


def CounterpartyAccount(*names: str) -> Col:  # noqa: N802
    return Col("counterparty_account", _names(names))


def Description(*names: str) -> Col:  # noqa: N802
    """Free text; several Description columns are joined with a space in declaration order."""
    return Col("description", _names(names))


def Communication(*names: str) -> Col:  # noqa: N802
    return Col("communication", _names(names))


def BankRef(*names: str) -> Col:  # noqa: N802
    """The bank's own reference of the row: the source of the stable id when present."""
    return Col("bank_reference", _names(names))


def Text(target: str, *names: str) -> Col:  # noqa: N802
    """Any other text column, kept in ``extra[target]`` for the importer's ``adjust`` hook."""
    return Col(target, _names(names))


def Number(target: str, *names: str) -> Col:  # noqa: N802
    """A decimal (rate, fee, original amount) kept in ``extra[target]``."""
    return Col(target, _names(names), "decimal")


TEXT_TARGETS = ("account", "counterparty", "counterparty_account", "description", "communication",
                "bank_reference", "currency")


def norm_header(cell: str) -> str:
    """Header cells compare case-, space- and quote-insensitively; ``Nº``/``N°`` are one sign."""
    cell = cell.replace("\ufeff", "").replace("\u00ba", "\u00b0").replace("\u1d52", "\u00b0")
    return " ".join(cell.strip().strip('"').split()).lower()


# --------------------------------------------------------------------------- the spec


@dataclass(frozen=True, slots=True)
class CsvSpec:
    name: str  # "bank.kbc_csv"
    label: str
    family: str  # prefix for reference-based ids ("kbc", "bnppf", ...)
    signatures: tuple[tuple[str, ...], ...]  # each: header names that must all be present
    columns: tuple[Col, ...]
    delimiter: str = ";"
    encodings: tuple[str, ...] = ("utf-8-sig", "cp1252", "latin-1")
    decimal: str | None = ","  # None = infer per cell (mixed exports)
    default_currency: str = "EUR"
    payment_method: str | None = None  # fixed method (credit-card statements)
    confidence: float = 0.9
    ref_is_unique: bool = True  # False: the reference only joins the content hash (unverified layouts)
    sniff_lines: int = 30
    # recognition by column roles (:mod:`complaint.importers.bank.roles`) when no signature matches:
    # the header's role sequences this bank writes, and its fingerprint (its BIC, also found
    # through the bank code of the Belgian IBANs in the file)
    role_orders: tuple[tuple[str, ...], ...] = ()
    bics: tuple[str, ...] = ()


@dataclass
class RowValues:
    """What one data row yields before normalisation; ``adjust`` hooks may change it."""

    line: int
    booking_date: date | None = None
    value_date: date | None = None
    amount: Decimal | None = None
    balance: Decimal | None = None
    texts: dict[str, str | None] = field(default_factory=dict)
    extra: dict[str, object] = field(default_factory=dict)
    original_amount: Decimal | None = None
    original_currency: str | None = None
    fx_rate: Decimal | None = None
    card: str | None = None
    payment_method: str | None = None


class RowError(ValueError):
    """A row that cannot be imported: field, value and reason (an N_ template)."""

    def __init__(self, field_name: str | None, cell: object, reason: str, /, **args: object):
        super().__init__(reason)
        self.field_name, self.value, self.reason, self.args_ = field_name, cell, reason, args


@dataclass
class Context:
    """Per-file state passed to hooks."""

    source: Source
    table: Table
    index: dict[str, list[tuple[str, int]]]  # target -> [(header name, column index)]
    cols: list[tuple[Col, str, int]] = field(default_factory=list)  # declared columns found: (col, name, index)
    warnings: list[Issue] = field(default_factory=list)
    skipped: list[Issue] = field(default_factory=list)
    statement: StatementInfo | None = None
    account: str | None = None
