"""The column-mapping step: for a file no importer knows, propose which column holds which field
(from the header names, in French, Dutch, German and English), let the user correct it, read the
file through it (``read_file(..., mapping=m)``), and keep it as a named profile for next time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..i18n import _
from .cases import PathOrFile, as_store
from .imports import source_of


@dataclass(frozen=True)
class MappingProposal:
    """The proposed mapping of a file and the file's column headers."""

    mapping: object  # complaint.importers.mapping.Mapping: .columns, .confidence, .options, .missing()
    header: list[str]


def propose_mapping(obj: PathOrFile, kind: str, *, name: str | None = None,
                    options: dict[str, str] | None = None) -> MappingProposal:
    """Read the file's header (CSV, TSV or XLSX) and propose target field -> column.

    ``options`` may give encoding, delimiter or sheet.  Read the file with the (corrected)
    mapping through :func:`complaint.api.read_file`.

    >>> import complaint
    >>> data = b"Datum;Bedrag;Omschrijving\\n01/03/2026;-4,50;ALIEXPRESS.COM\\n"
    >>> proposal = complaint.propose_mapping(data, "bank", name="odd.csv")
    >>> sorted(proposal.mapping.columns.items())
    [('amount', 'Bedrag'), ('booking_date', 'Datum'), ('description', 'Omschrijving')]
    >>> report = complaint.read_file(data, name="odd.csv", mapping=proposal.mapping)
    >>> (report.format, report.rows_imported)
    ('bank.generic_mapped', 1)
    """
    from ..importers.generic_mapped import read_any_table
    from ..importers.mapping import propose_mapping as propose

    table = read_any_table(source_of(obj, name), options)
    return MappingProposal(propose(table.header, kind), [h for h in table.header if h])


def mapping_fields(kind: str) -> dict[str, str]:
    """The fields a mapping of ``kind`` (orders or bank) can fill: name -> label in the current language.

    >>> import complaint
    >>> list(complaint.mapping_fields("bank"))[:2]
    ['booking_date', 'value_date']
    """
    from ..importers.mapping import FIELD_LABELS, fields_for

    return {f: _(FIELD_LABELS.get(f, f)) for f in fields_for(kind)}


def field_label(name: str) -> str | None:
    """The label of an order or statement field in the current language (None if unknown).

    >>> import complaint
    >>> complaint.field_label("booking_date")
    'booking date'
    """
    from ..importers.mapping import FIELD_LABELS

    return _(FIELD_LABELS[name]) if name in FIELD_LABELS else None


def make_mapping(kind: str, columns: dict[str, str], options: dict[str, str] | None = None):
    """A mapping from the user's choices: target field -> column header, and reading options
    (date_format, decimal, encoding, delimiter, sheet, currency).  ``.missing()`` lists what is
    still required.

    >>> import complaint
    >>> complaint.make_mapping("orders", {"order_id": "Nr"}).missing()
    ['order_date']
    """
    from ..importers.mapping import Mapping, fields_for

    fields_for(kind)
    columns = {k: v for k, v in columns.items() if v}
    return Mapping(kind, columns, dict.fromkeys(columns, 1.0), {k: str(v) for k, v in (options or {}).items() if v})


def save_mapping(db, mapping, name: str) -> None:
    """Keep a mapping in the store under ``name`` (per user on the team's store).

    >>> import complaint
    >>> store = complaint.open_store()
    >>> complaint.save_mapping(store, complaint.make_mapping("bank", {"booking_date": "Datum"}), "my bank")
    >>> list(complaint.mapping_profiles(store, "bank"))
    ['my bank']
    """
    name = (name or "").strip()
    if not name:
        from ..errors import ComplaintError

        raise ComplaintError(_("a mapping needs a name"))
    as_store(db).save_profile(mapping.to_profile(name))


def mapping_profiles(db, kind: str | None = None) -> dict:
    """The mappings kept in the store (of ``kind``): name -> mapping.

    >>> import complaint
    >>> complaint.mapping_profiles(complaint.open_store())
    {}
    """
    from ..importers.mapping import Mapping

    return {p.name: Mapping.from_profile(p) for p in as_store(db).profiles(kind)}


def load_mapping(path: str | os.PathLike):
    """A mapping from a profile JSON file (``{"name", "kind", "columns": [[field, header], ...], "options"}``).

    >>> import complaint
    >>> complaint.load_mapping("no-such-profile.json")
    Traceback (most recent call last):
    ...
    complaint.errors.ComplaintError: no-such-profile.json: cannot read the mapping profile: No such file or directory
    """
    from ..importers.mapping import Mapping, load_profile

    return Mapping.from_profile(load_profile(path))
