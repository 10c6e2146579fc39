"""Pieces shared by the structured statement importers (CODA, camt.053, MT940, OFX, PayPal).

- Belgian structured communication (OGM/VCS ``+++ddd/dddd/ddddd+++``) with its mod-97 check;
- :class:`TxnIds`: stable ids, from the bank reference when there is one, else a content hash with
  the rank among identical movements of the file (so overlapping statements dedupe exactly);
- :func:`finish`: merchant recognition, balance proof and the ImportResult with row accounting.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

from ...records import BalanceCheck, BankTxn, ImportResult, Issue, StatementInfo
from ..base import ref_txn_id, stable_txn_id
from ..textio import Source
from .balance import check_balance
from .merchants import recognise

_OGM_RE = re.compile(r"^\s*\+{3}\s*(\d{3})\s*/\s*(\d{4})\s*/\s*(\d{5})\s*\+{3}\s*$|^\s*\*{3}(\d{3})/(\d{4})/(\d{5})\*{3}\s*$")


def ogm_is_valid(digits: str) -> bool:
    """12 digits whose last two are the mod-97 remainder of the first ten (0 is written 97)."""
    if len(digits) != 12 or not digits.isdigit():
        return False
    check = int(digits[:10]) % 97 or 97
    return check == int(digits[10:])


def format_ogm(digits: str) -> str:
    return f"+++{digits[:3]}/{digits[3:7]}/{digits[7:12]}+++"


def ogm_digits(text: str | None) -> str | None:
    """The 12 digits of a text written as ``+++ddd/dddd/ddddd+++`` (or ``***...***``), else None."""
    m = _OGM_RE.match(text or "")
    if not m:
        return None
    return "".join(g for g in m.groups() if g)


def clean(text: str | None) -> str | None:
    """Collapse runs of spaces; empty -> None."""
    if text is None:
        return None
    out = " ".join(text.split())
    return out or None


def join_text(*parts: str | None, sep: str = " ") -> str | None:
    return clean(sep.join(p for p in parts if p and p.strip()))


def cents(amount: Decimal) -> Decimal:
    """3-decimal bank amounts become 2-decimal when the last digit is 0 (``25.990`` -> ``25.99``)."""
    q = amount.quantize(Decimal("0.01"))
    return q if q == amount else amount


class TxnIds:
    """Ids for one file: ``ref_txn_id`` from a bank reference (made unique within the file),
    else ``stable_txn_id`` over the content with the occurrence rank of identical movements."""

    def __init__(self, family: str):
        self.family = family
        self._seen: Counter[str] = Counter()
        self._content: Counter[tuple] = Counter()

    def make(self, account: str | None, reference: str | None, *content: object) -> str:
        if reference and reference.strip():
            ref = reference.strip()
            n = self._seen[ref]
            self._seen[ref] += 1
            return ref_txn_id(self.family, account, ref if n == 0 else f"{ref}#{n}")
        key = (self.family, account, *content)
        n = self._content[key]
        self._content[key] += 1
        return stable_txn_id(*key, occurrence=n)


def finish(source: Source, importer: str, txns: list[BankTxn], *, rows_total: int, rows_imported: int,
           rejected: list[Issue], warnings: list[Issue], skipped: list[Issue],
           statement: StatementInfo | None = None, balance: BalanceCheck | None = None) -> ImportResult:
    """Recognise merchants, prove the balance (unless ``balance`` is given) and wrap the result."""
    records = tuple(recognise(t) for t in txns)
    check = balance if balance is not None else check_balance(statement, records)
    return ImportResult(
        file=source.name, importer=importer, kind="bank", sha256=source.sha256, records=records,
        rejected=tuple(rejected), warnings=tuple(warnings), rows_total=rows_total, rows_imported=rows_imported,
        skipped=tuple(skipped), statement=statement, balance_check=check,
    )


def combine_checks(checks: list[BalanceCheck]) -> BalanceCheck:
    """One verdict for a file holding several statements: ok only if every one is ok."""
    known = [c for c in checks if c.status != "not-available"]
    if not known:
        return BalanceCheck("not-available")
    if all(c.status == "ok" for c in known):
        return BalanceCheck("ok", Decimal("0.00"))
    diff = sum((c.difference or Decimal(0) for c in known if c.status == "mismatch"), Decimal(0))
    detail = next(c.detail for c in known if c.status == "mismatch")
    return BalanceCheck("mismatch", diff, detail)

