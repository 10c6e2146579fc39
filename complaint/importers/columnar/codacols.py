"""CODA (fixed-width records of 128 characters), a column at a time.

Every field of every record is a slice of the same positions, so a file is one arrow string array
of its lines and each field one ``utf8_slice_codeunits`` of it.  Movements (records 21) take their
continuations (22, 23, 31-33: the lines after them, until the next movement) through list
offsets; blocks (record 0 to record 9) their account, currency and balances.  The values are those
of :mod:`complaint.importers.bank.coda` (``coda_amount``, ``parse_coda_date``, ``TxnIds``, the
communication rules), applied once per distinct value where they are Python.

This path reads well-formed files only: a record of another length or type, a continuation out of
place, a date or amount that does not read, a structured communication with wrong check digits, a
statement without its header or trailer, or a trailer whose count or totals disagree gives None,
and :class:`~complaint.importers.bank.coda.CodaImporter` reads the file record by record (with the
rejected rows and remarks those cases deserve).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ...i18n import N_
from ...limits import too_many_rows
from ...records import BalanceCheck, ImportResult, StatementInfo, issue
from ...settings import SETTINGS
from ..bank.balance import check_balance
from ..bank.statement import cents, clean, combine_checks, format_ogm, ogm_is_valid
from ..base import ref_txn_id, stable_txn_id
from ..textio import Source, normalise_newlines
from ..values import ValueParseError, parse_coda_date
from . import cells
from .bankcsv import by_text
from .tables import BankColumns, LazyRecords

KNOWN = ("0", "1", "21", "22", "23", "31", "32", "33", "4", "8", "9")
CONTINUATIONS = ("22", "23", "31", "32", "33")


def _cut(lines: pa.Array, start: int, end: int) -> pa.Array:
    """Positions ``start``..``end`` (1-based, inclusive) of each line."""
    return pc.utf8_slice_codeunits(lines, start - 1, end)


def _at(arr: pa.Array, rows: np.ndarray) -> list:
    return arr.take(pa.array(rows)).to_pylist()


class _Decline(Exception):
    """The file needs the record path (see the module)."""


def extract_coda(source: Source, name: str, family_method: Callable[[str], str | None]) -> ImportResult | None:
    """``CodaImporter.extract`` of a well-formed file through columns, else None."""
    try:
        return _extract(source, name, family_method)
    except (_Decline, ValueParseError):
        return None


def _extract(source: Source, name: str, family_method) -> ImportResult:
    data = source.data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise _Decline from None  # read as Latin-1 with a remark: the record path
    raw = normalise_newlines(text).split("\n")
    all_lines = pa.array(raw, pa.string())
    filled = np.flatnonzero(np.asarray(pc.not_equal(pc.utf8_trim_whitespace(all_lines), "").to_numpy(
        zero_copy_only=False), dtype=bool))
    if not len(filled):
        raise _Decline
    lines = all_lines.take(pa.array(filled))
    line_no = filled + 1
    if not pc.all(pc.equal(pc.utf8_length(lines), 128)).as_py():
        raise _Decline
    k1, k2 = _cut(lines, 1, 1), _cut(lines, 1, 2)
    kind = np.asarray(pc.if_else(pc.is_in(k1, value_set=pa.array(["2", "3"])), k2, k1).to_pylist(), dtype=object)
    if not np.isin(kind, KNOWN).all():
        raise _Decline
    _check_structure(kind)
    mov_rows = np.flatnonzero(kind == "21")
    if len(mov_rows) > SETTINGS.max_rows:
        raise too_many_rows()
    mov_of_line = np.cumsum(kind == "21") - 1  # the movement each line follows
    block_of_line = np.cumsum(kind == "0") - 1
    cont = np.flatnonzero(np.isin(kind, CONTINUATIONS))
    _check_continuations(lines, kind, cont, mov_rows, mov_of_line)
    mov = {
        "line": line_no[mov_rows], "block": block_of_line[mov_rows],
        "seq": _at(_cut(lines, 3, 6), mov_rows), "detail": _at(_cut(lines, 7, 10), mov_rows),
        "ref": [r.strip() for r in _at(_cut(lines, 11, 31), mov_rows)],
        "amount": _amounts(_at(_cut(lines, 32, 32), mov_rows), _at(_cut(lines, 33, 47), mov_rows)),
        "value": _dates(_at(_cut(lines, 48, 53), mov_rows)), "booking": _dates(_at(_cut(lines, 116, 121), mov_rows)),
        "family": _at(_cut(lines, 55, 56), mov_rows), "comm_type": _at(_cut(lines, 62, 62), mov_rows),
        "comm": _at(_cut(lines, 63, 115), mov_rows)}
    more, info, cp_account, counterparty = _continuations(lines, kind, cont, mov_of_line, len(mov_rows))
    blocks = _blocks(lines, kind, block_of_line, mov, line_no)
    return _result(source, name, family_method, mov, more, info, cp_account, counterparty, blocks)


def _check_structure(kind: np.ndarray) -> None:
    """0 first, 9 last, each 0 after a 9 and each 9 before a 0: statements with header and trailer."""
    if kind[0] != "0" or kind[-1] != "9":
        raise _Decline
    zero, nine = np.flatnonzero(kind == "0"), np.flatnonzero(kind == "9")
    if len(zero) != len(nine) or not (kind[zero[1:] - 1] == "9").all() or not (zero < nine).all():
        raise _Decline


def _check_continuations(lines, kind, cont, mov_rows, mov_of_line) -> None:
    """A continuation follows its movement (or another continuation of it) and carries its numbers."""
    if not len(cont):
        return
    if (mov_of_line[cont] < 0).any() or not np.isin(kind[cont - 1], ("21", *CONTINUATIONS)).all():
        raise _Decline
    numbers = _cut(lines, 3, 10)
    if _at(numbers, cont) != _at(numbers, mov_rows[mov_of_line[cont]]):
        raise _Decline


def _amounts(signs: list[str], digits: list[str]) -> list[Decimal]:
    """``coda_amount`` per movement (once per distinct value)."""
    seen: dict[tuple[str, str], Decimal] = {}
    out = []
    for s, d in zip(signs, digits, strict=True):
        value = seen.get((s, d))
        if value is None:
            if s not in ("0", "1") or not d.isdigit():
                raise _Decline
            value = cents(Decimal(int(d)).scaleb(-3))
            value = seen[(s, d)] = -value if s == "1" else value
        out.append(value)
    return out


def _dates(texts: list[str]) -> list:
    seen: dict[str, object] = {}
    return [seen[t] if t in seen else seen.setdefault(t, parse_coda_date(t)) for t in texts]


def _continuations(lines, kind, cont, mov_of_line, n_mov):
    """Per movement: the communication's continuation text (22, 23), the information texts (31-33,
    non-blank, with their order), and the counterparty of its last 23 record."""
    def joined(rows: np.ndarray, texts: list[str], sep: str) -> list[str]:
        out = [""] * n_mov
        parts: dict[int, list[str]] = {}
        for m, t in zip(mov_of_line[rows].tolist(), texts, strict=True):
            parts.setdefault(m, []).append(t)
        for m, ts in parts.items():
            out[m] = sep.join(ts)
        return out

    k = kind[cont]
    r22, r23 = cont[k == "22"], cont[k == "23"]
    more_rows = cont[np.isin(k, ("22", "23"))]
    more_text = pc.if_else(pa.array(kind[more_rows] == "22"), _cut(lines, 11, 63).take(pa.array(more_rows)),
                           _cut(lines, 83, 125).take(pa.array(more_rows))).to_pylist() if len(more_rows) else []
    more = joined(more_rows, more_text, "")
    info_rows = cont[np.isin(k, ("31", "32", "33"))]
    info_text = []
    if len(info_rows):
        t31 = _at(_cut(lines, 41, 113), info_rows)
        struct = _at(_cut(lines, 40, 40), info_rows)
        t3x = _at(_cut(lines, 11, 100), info_rows)
        for kk, a, st, b in zip(kind[info_rows].tolist(), t31, struct, t3x, strict=True):
            info_text.append((a[3:] if st == "1" else a) if kk == "31" else b)
    keep = np.array([bool(t.strip()) for t in info_text], dtype=bool) if info_text else np.zeros(0, dtype=bool)
    info = joined(info_rows[keep], [t for t, kp in zip(info_text, keep.tolist(), strict=True) if kp], " ")
    cp_account, counterparty = [None] * n_mov, [None] * n_mov
    if len(r22) + len(r23):
        acc_short, acc_long = _at(_cut(lines, 11, 22), r23), _at(_cut(lines, 11, 44), r23)
        marker, names = _at(_cut(lines, 23, 23), r23), _at(_cut(lines, 48, 82), r23)
        for m, short, long_, mk, nm in zip(mov_of_line[r23].tolist(), acc_short, acc_long, marker, names, strict=True):
            cp_account[m] = clean(short if mk == " " else long_)
            counterparty[m] = clean(nm)
    return more, info, cp_account, counterparty


def _blocks(lines, kind, block_of_line, mov, line_no) -> list[dict]:
    """Per statement: account, currency, balances; its trailer checked against its records."""
    n = int(block_of_line.max()) + 1
    out = [{"account": None, "currency": None, "opening": None, "opening_date": None, "closing": None,
            "closing_date": None, "line": int(line_no[np.flatnonzero(kind == "0")[b]])} for b in range(n)]
    for r in np.flatnonzero(kind == "1").tolist():
        line, b = lines[r].as_py(), int(block_of_line[r])
        structure = line[1:2]
        if structure == "0":
            account, currency = line[5:17].strip(), line[18:21].strip()
        else:
            width = 21 if structure == "2" else 39
            account, currency = line[5:width].strip(), line[39:42].strip()
        out[b].update(account=account, currency=currency or "EUR",
                      opening=_amounts([line[42:43]], [line[43:58]])[0], opening_date=parse_coda_date(line[58:64]))
    for r in np.flatnonzero(kind == "8").tolist():
        line, b = lines[r].as_py(), int(block_of_line[r])
        out[b].update(closing=_amounts([line[41:42]], [line[42:57]])[0], closing_date=parse_coda_date(line[57:63]))
    counted = np.bincount(block_of_line[~np.isin(kind, ("0", "9"))], minlength=n)
    grouped = np.array([d == "0000" for d in mov["detail"]], dtype=bool)
    for r in np.flatnonzero(kind == "9").tolist():
        line, b = lines[r].as_py(), int(block_of_line[r])
        count, debit, credit = line[16:22], line[22:37], line[37:52]
        if count.isdigit() and int(count) != int(counted[b]):
            raise _Decline
        amounts = [a for a, blk, g in zip(mov["amount"], mov["block"].tolist(), grouped.tolist(), strict=True)
                   if blk == b and g]
        spent = sum((-a for a in amounts if a < 0), Decimal(0))
        got = sum((a for a in amounts if a >= 0), Decimal(0))
        if _amounts(["0"], [debit])[0] != spent or _amounts(["0"], [credit])[0] != got:
            raise _Decline
    return out


def _result(source: Source, name: str, family_method, mov: dict, more, info, cp_account, counterparty,
            blocks: list[dict]) -> ImportResult:
    n = len(mov["seq"])
    keep = [i for i in range(n) if mov["detail"][i] == "0000"]
    skipped = [issue(source.name, int(mov["line"][i]), N_("detail {detail} of grouped movement {seq}: its amount "
                                                          "is part of the grouped total"),
                     severity="skipped", detail=mov["detail"][i], seq=mov["seq"][i])
               for i in range(n) if mov["detail"][i] != "0000"]
    comms = []
    for i in keep:
        comm, extra = mov["comm"][i], more[i]
        if mov["comm_type"][i] == "1":
            code, digits = comm[:3], comm[3:15]
            if code in ("101", "102"):
                if not ogm_is_valid(digits):
                    raise _Decline  # a remark the record path writes
                comms.append(format_ogm(digits))
                continue
            comms.append(clean(comm[3:] + extra))
        else:
            comms.append(clean(comm + extra))
    booking = [mov["booking"][i] or mov["value"][i] for i in keep]
    if any(b is None for b in booking):
        raise _Decline  # neither date: a rejected row
    blk = [blocks[int(mov["block"][i])] for i in keep]
    account = [b["account"] for b in blk]
    amount = [mov["amount"][i] for i in keep]
    cps = [counterparty[i] for i in keep]
    ids = _ids(account, [mov["ref"][i] for i in keep], booking, amount, cps, comms)
    m = len(keep)
    desc = pa.array([clean(info[i]) for i in keep], pa.string())
    comm_arr, cp_arr = pa.array(comms, pa.string()), pa.array(cps, pa.string())
    amount_text = pa.array([str(a) for a in amount], pa.string())
    _method, merchant, rule = by_text(cells.Coded.of(cp_arr), cells.Coded.of(desc), cells.Coded.of(comm_arr),
                                      amount_text, guess=False)
    table = pa.table({
        "id": pa.array(ids, pa.string()), "booking_date": pa.array(booking, pa.date32()), "amount": amount_text,
        "currency": pa.array([b["currency"] or "EUR" for b in blk], pa.string()),
        "value_date": pa.array([mov["value"][i] for i in keep], pa.date32()),
        "account": pa.array(account, pa.string()), "counterparty": cp_arr,
        "counterparty_account": pa.array([cp_account[i] for i in keep], pa.string()), "description": desc,
        "communication": comm_arr, "bank_reference": pa.array([mov["ref"][i] or None for i in keep], pa.string()),
        "merchant": merchant, "merchant_rule": rule,
        "payment_method": pa.array([family_method(mov["family"][i]) for i in keep], pa.string()),
        "source_name": pa.array([source.name] * m, pa.string()),
        "source_sha256": pa.array([source.sha256] * m, pa.string()), "importer": pa.array([name] * m, pa.string()),
        "line_no": pa.array([int(mov["line"][i]) for i in keep], pa.int64()),
        "locator": pa.array([f"movement {mov['seq'][i]}" for i in keep], pa.string())})
    columns = BankColumns(table)
    statement, check = _statement(blocks, [int(mov["block"][i]) for i in keep], amount)
    return ImportResult(file=source.name, importer=name, kind="bank", sha256=source.sha256,
                        records=LazyRecords(columns), rejected=(), warnings=(), rows_total=m + len(skipped),
                        rows_imported=m, skipped=tuple(skipped), statement=statement, balance_check=check)


def _ids(account, refs, booking, amount, counterparty, communication) -> list[str]:
    """``TxnIds("coda").make`` for each movement, in order."""
    seen: dict[str, int] = {}
    content: dict[tuple, int] = {}
    out = []
    for acc, ref, day, amt, cp, comm in zip(account, refs, booking, amount, counterparty, communication, strict=True):
        if ref:
            k = seen.get(ref, 0)
            seen[ref] = k + 1
            out.append(ref_txn_id("coda", acc, ref if k == 0 else f"{ref}#{k}"))
            continue
        key = ("coda", acc, day, amt, cp, comm)
        k = content.get(key, 0)
        content[key] = k + 1
        out.append(stable_txn_id(*key, occurrence=k))
    return out


def _statement(blocks: list[dict], block_of_txn: list[int], amount: list[Decimal]):
    """What ``CodaImporter`` makes of the blocks' balances: one statement, one verdict."""
    infos, checks = [], []
    for b, blk in enumerate(blocks):
        if blk["opening"] is None and blk["closing"] is None:
            continue
        info = StatementInfo(blk["account"], blk["currency"], blk["opening"], blk["opening_date"], blk["closing"],
                             blk["closing_date"])
        infos.append(info)
        moved = [_Amount(a) for a, x in zip(amount, block_of_txn, strict=True) if x == b]
        checks.append(check_balance(info, moved))
    if not infos:
        return None, BalanceCheck("not-available")
    first, last = infos[0], infos[-1]
    same = all(i.account == first.account for i in infos)
    statement = StatementInfo(first.account if same else None, first.currency, first.opening_balance,
                              first.opening_date, last.closing_balance, last.closing_date)
    return statement, combine_checks(checks)


class _Amount:
    """What ``check_balance`` reads of a transaction: its amount, and no duplicate."""

    __slots__ = ("amount",)
    duplicate_of = None

    def __init__(self, amount: Decimal):
        self.amount = amount
