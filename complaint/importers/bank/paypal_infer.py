"""PayPal columns found from their values, for a header in a language no synonym table knows.

Three amount columns where, on every row, the first plus the second is the third are gross, fee
and net (PayPal's fee is signed: ``-25,99 + 0,00 = -25,99``, ``10,00 + -0,59 = 9,41``); a column of
17-character upper-case alphanumeric ids on every row is the transaction id, a second such column
filled on some rows only is the reference transaction id; a column of dates, one of three-letter
currency codes.  The amount column right after net is the running balance when it holds amounts
(the statement layout).  The first two text columns whose values vary are taken as the name and
the kind of movement.  Nothing else is guessed: status words stay unknown.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from ..values import ValueParseError, parse_amount, parse_date

_ID = re.compile(r"^[0-9A-Z]{17}$")
_CCY = re.compile(r"^[A-Z]{3}$")
_TIME = re.compile(r"^\d{1,2}:\d{2}")
_DATEISH = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{2,4}(?:\D|$)")
MIN_ROWS = 2


def _share(cells: list[str], test) -> float:
    filled = [c for c in cells if c]
    if not filled:
        return 0.0
    return sum(1 for c in filled if test(c)) / len(filled)


def _amount(cell: str) -> Decimal | None:
    if _DATEISH.match(cell):  # "03.08.2025" is a date, not 3082025
        return None
    try:
        return parse_amount(cell)
    except ValueParseError:
        return None


def _is_date(cell: str) -> bool:
    if not (_DATEISH.match(cell) or re.search(r"[^\W\d_]", cell)):
        return False
    try:
        return parse_date(cell) is not None
    except ValueParseError:
        return False


def infer_columns(rows: Sequence[Sequence[str]], width: int) -> dict[str, int] | None:
    """Role -> column position from the values of ``rows`` (data rows, at most a few dozen), or
    None when the rows do not show PayPal's gross + fee = net and transaction ids."""
    rows = [[(r[i].strip() if i < len(r) else "") for i in range(width)] for r in rows if any(c.strip() for c in r)]
    if len(rows) < MIN_ROWS:
        return None
    cols = [[r[i] for r in rows] for i in range(width)]
    numeric = [i for i, c in enumerate(cols) if sum(1 for x in c if x) >= len(rows) * 0.9
               and _share(c, lambda x: _amount(x) is not None) == 1.0]
    triple = _gross_fee_net(cols, numeric)
    ids = [i for i, c in enumerate(cols) if _share(c, _ID.match) == 1.0 and any(c)]
    full_ids = [i for i in ids if all(cols[i])]
    dates = [i for i, c in enumerate(cols) if all(c) and _share(c, _is_date) == 1.0]
    currencies = [i for i, c in enumerate(cols) if all(c) and _share(c, _CCY.match) == 1.0]
    if triple is None or not full_ids or not dates or not currencies:
        return None
    gross, fee, net = triple
    out = {"date": dates[0], "currency": currencies[0], "gross": gross, "fee": fee, "net": net, "txid": full_ids[0]}
    refs = [i for i in ids if i != full_ids[0]]
    if refs:
        out["ref"] = refs[0]
    if net + 1 in numeric and net + 1 not in out.values():
        out["balance"] = net + 1
    # the counterparty's name and the movement's kind: the first two text columns whose values vary
    # (times, zones, ids, codes and amounts excluded), in PayPal's order (name before type)
    texts = [i for i, c in enumerate(cols) if i not in out.values() and i not in numeric and len(set(c)) > 1
             and _share(c, lambda x: bool(re.search(r"[^\W\d_]", x)) and not _TIME.match(x)) == 1.0]
    for role, i in zip(("name", "type"), texts, strict=False):
        out[role] = i
    return out


def _gross_fee_net(cols: list[list[str]], numeric: list[int]) -> tuple[int, int, int] | None:
    for a in numeric:
        for b in numeric:
            for c in numeric:
                if len({a, b, c}) < 3 or not a < c:
                    continue
                if all(_adds_up(cols[a][k], cols[b][k], cols[c][k]) for k in range(len(cols[a]))) and any(
                        cols[a][k] for k in range(len(cols[a]))):
                    return a, b, c
    return None


def _adds_up(gross: str, fee: str, net: str) -> bool:
    g, f, n = _amount(gross), _amount(fee) or Decimal(0), _amount(net)
    if g is None or n is None:
        return not gross and not net
    return g + f == n and (f != 0 or g == n)
