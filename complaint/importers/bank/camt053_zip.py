"""camt.053 statements delivered in a ZIP, the way banks send them: one XML per statement or day.

Each member is read (bounded: see :func:`read_members`) and imported by the camt.053 importer;
the movements of all members form one result.  A movement found in two members (overlapping
statements: the same bank reference, or the same content and rank) is kept once and the later
copy is listed as skipped, naming the member it repeats.  Members that are not camt.053 (a PDF
copy, a readme) are named in a warning.  Provenance keeps the member: ``statements.zip/2026-03.xml``.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import date

from ...archive import Archive, ArchiveLimits
from ...errors import ParseError
from ...i18n import N_, _
from ...records import BankTxn, ImportResult, Issue, StatementInfo, issue
from ...settings import SETTINGS
from .. import base
from ..textio import Source
from .camt053 import NAME as CAMT_NAME
from .camt053 import Camt053Importer
from .statement import combine_checks

NAME = "bank.camt053_zip"
_CAMT = Camt053Importer()


def read_members(source: Source, *, suffixes: tuple[str, ...] = (".xml",),
                 max_bytes: int | None = None) -> list[tuple[str, bytes]]:
    """(name, bytes) of the ZIP's members whose names end with ``suffixes``, in name order.

    Read through the project's bounded archive reader (:mod:`complaint.archive`): the real inflated
    bytes count against the limits, whatever the members' headers claim, so a small ZIP cannot
    expand into memory without bound; at most ``SETTINGS.max_files`` members.
    """
    cap = SETTINGS.max_file_bytes if max_bytes is None else max_bytes
    limits = ArchiveLimits.from_settings(member_bytes=cap, total_bytes=cap)
    with Archive(source.data, source.name, limits) as archive:
        infos = [i for i in archive.infos if i.filename.lower().endswith(suffixes)]
        return [(info.filename, archive.read(info)) for info in sorted(infos, key=lambda i: i.filename)]


class Camt053ZipImporter:
    name = NAME
    kind = "bank"
    label = "ISO 20022 camt.053 (ZIP of statements)"

    def identify(self, source: Source) -> float:
        if not source.data.startswith(b"PK\x03\x04"):
            return 0.0
        try:
            zf = zipfile.ZipFile(io.BytesIO(source.data))
            names = [i for i in zf.infolist() if i.filename.lower().endswith(".xml")]
            if not names:
                return 0.0
            with zf.open(sorted(names, key=lambda i: i.filename)[0]) as member:
                head = member.read(4096)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
            return 0.0
        return 0.95 if b"camt.053.001." in head else 0.0

    def extract(self, source: Source) -> ImportResult:
        members = read_members(source)
        if not members:
            raise ParseError(_("the ZIP holds no XML statement"), file=source.name)
        records: list[BankTxn] = []
        seen: dict[str, str] = {}
        rejected: list[Issue] = []
        warnings: list[Issue] = []
        skipped: list[Issue] = []
        infos: list[StatementInfo] = []
        checks = []
        rows = 0
        reported: set[tuple[str, int | None]] = set()
        for name, data in members:
            member = Source(f"{source.name}/{name}", data)
            if not _CAMT.identify(member):
                warnings.append(issue(source.name, None, N_("member {member} is not a camt.053 statement; "
                                                            "left out"), severity="warning", member=name))
                continue
            result = _CAMT.extract(member)
            rows += result.rows_total
            rejected.extend(result.rejected)
            warnings.extend(result.warnings)
            skipped.extend(result.skipped)
            if result.statement is not None:
                infos.append(result.statement)
            checks.append(result.balance_check)
            for txn in result.records:
                if txn.id in seen:
                    entry = (member.name, txn.provenance.line_no if txn.provenance else None)
                    if entry not in reported:  # one skipped row per entry (a batch entry gives several movements)
                        reported.add(entry)
                        skipped.append(issue(member.name, entry[1],
                                             N_("the same movement is already in {member}; kept once"),
                                             severity="skipped", member=seen[txn.id]))
                    continue
                seen[txn.id] = name
                records.append(replace(txn, provenance=replace(txn.provenance, importer=NAME))
                               if txn.provenance and txn.provenance.importer == CAMT_NAME else txn)
        if not infos and not records and rows == 0:
            raise ParseError(_("the ZIP holds no camt.053 statement"), file=source.name)
        statement = _span(infos)
        records.sort(key=lambda t: (t.booking_date, t.id))
        return ImportResult(
            file=source.name, importer=NAME, kind="bank", sha256=source.sha256, records=tuple(records),
            rejected=tuple(rejected), warnings=tuple(warnings), rows_total=rows, rows_imported=rows - len(rejected) - len(skipped),
            skipped=tuple(skipped), statement=statement, balance_check=combine_checks(checks))


def _span(infos: list[StatementInfo]) -> StatementInfo | None:
    """The statements of the ZIP as one: first opening, last closing (by date), one account or none."""
    if not infos:
        return None
    ordered = sorted(infos, key=lambda i: (i.opening_date or i.closing_date or date.max, i.closing_date or date.max))
    first, last = ordered[0], ordered[-1]
    same = all(i.account == first.account for i in ordered)
    return StatementInfo(first.account if same else None, first.currency, first.opening_balance, first.opening_date,
                         last.closing_balance, last.closing_date)


base.register(Camt053ZipImporter())
