"""Parsing a column at a time, with the record path's own functions.

Two tools, both exact by construction:

- :func:`per_distinct` runs a Python function once per distinct value of a column (a statement
  repeats its texts, dates and currencies) and spreads the results to the rows through the
  dictionary codes;
- a *prefilter*: an RE2 pattern (pyarrow's regular expressions) that every value the Python
  function could change must match; the others are known to pass unchanged, without Python.
  RE2's case folding omits the Turkish dotted and dotless i that Python's ``re.IGNORECASE``
  matches, so :func:`ci_words` spells them out.

Numbers take a vectorised fast path for their common shapes only (``-1234,56``: digits, one
decimal mark, at most two decimals), where the value is the digits themselves; any other cell
goes through :func:`complaint.importers.values.parse_amount` (once per distinct text).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# Python's str.split()/strip() treat these as spaces too; a cell with one is cleaned in Python
_OTHER_SPACE = ("[\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f\\x85\\xa0\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}"
                "\\x{202f}\\x{205f}\\x{3000}]")


def plain(arr) -> pa.Array:
    """One contiguous array (a chunked one combined)."""
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def distinct(arr: pa.Array) -> tuple[list, np.ndarray]:
    """(the distinct values, then None; each row's position in that list)."""
    arr = plain(arr)
    if len(arr) == 0:
        return [None], np.zeros(0, dtype=np.int64)
    enc = pc.dictionary_encode(arr)
    values = enc.dictionary.to_pylist() + [None]
    idx = pc.fill_null(enc.indices, len(values) - 1).to_numpy(zero_copy_only=False).astype(np.int64)
    return values, idx


def per_distinct(arr: pa.Array, fn: Callable, out_type: pa.DataType | None = None, *, skip_null: bool = True):
    """``fn`` of each row's value, computed once per distinct value: an arrow array of ``out_type``
    (or, without it, an object numpy array).  A null row gives null unless ``skip_null`` is False."""
    values, idx = distinct(arr)
    results = [(None if (v is None and skip_null) else fn(v)) for v in values]
    if out_type is None:
        out = np.empty(len(results), dtype=object)
        out[:] = results
        return out[idx]
    return pa.array(results, out_type).take(pa.array(idx))


def ci_words(*words: str) -> str:
    """An RE2 pattern matching each word case-insensitively as Python's ``re.I`` would (its
    Unicode folding of i includes U+0130 and U+0131; k and s fold alike in both engines)."""
    def one(word: str) -> str:
        return "".join("[iIİı]" if ch in "iI" else ("\\" + ch if ch in ".+*?()[]{}|^$\\" else ch) for ch in word)
    return "(?i)(?:" + "|".join(one(w) for w in words) + ")"


def matches(arr: pa.Array, pattern: str) -> np.ndarray:
    """RE2 ``pattern`` found in each row (nulls False), as a numpy bool array."""
    arr = plain(arr)
    if len(arr) == 0:
        return np.zeros(0, dtype=bool)
    hit = pc.match_substring_regex(arr, pattern)
    return np.asarray(pc.fill_null(hit, False).to_numpy(zero_copy_only=False), dtype=bool)


def mapped_where(arr: pa.Array, candidates: np.ndarray, fn: Callable, out_type: pa.DataType,
                 keep: Callable[[pa.Array], pa.Array] | None = None) -> pa.Array:
    """``fn`` (per distinct value) on the ``candidates`` rows; the other rows keep ``keep(arr)``
    (default: their value), the prefilter having shown ``fn`` leaves them as they are."""
    arr = plain(arr)
    base = keep(arr) if keep is not None else arr
    if not candidates.any():
        return base.cast(out_type) if base.type != out_type else base
    rows = np.flatnonzero(candidates)
    done = per_distinct(arr.take(pa.array(rows)), fn, out_type)
    return replace_rows(base.cast(out_type) if base.type != out_type else base, rows, done)


def replace_rows(base: pa.Array, rows: np.ndarray, values: pa.Array) -> pa.Array:
    """``base`` with the ``rows`` (sorted positions) replaced by ``values``."""
    if len(rows) == 0:
        return base
    if len(rows) == len(base):
        return values
    mask = np.zeros(len(base), dtype=bool)
    mask[rows] = True
    return pc.replace_with_mask(base, pa.array(mask), values.cast(base.type))


def from_python(values: Sequence, out_type: pa.DataType) -> pa.Array:
    return pa.array(list(values), out_type)


# -- text ------------------------------------------------------------------------------------------

def clean_text(arr: pa.Array) -> pa.Array:
    """:func:`complaint.importers.bank.text.clean_text` of a column: inner runs of spaces
    collapsed, the ends trimmed, empty -> null (cells with other white space: in Python)."""
    from ..bank.text import clean_text as clean_one

    arr = plain(arr)
    odd = matches(arr, _OTHER_SPACE)
    fast = pc.utf8_trim(pc.replace_substring_regex(arr, " {2,}", " "), " ")
    if odd.any():
        rows = np.flatnonzero(odd)
        fast = replace_rows(fast, rows, per_distinct(arr.take(pa.array(rows)), clean_one, pa.string()))
    return pc.if_else(pc.equal(fast, ""), pa.scalar(None, pa.string()), fast)


def strip(arr: pa.Array) -> pa.Array:
    """``str.strip()`` of each cell."""
    return pc.utf8_trim_whitespace(plain(arr))


def join_texts(parts: Sequence[pa.Array], sep: str = " ") -> pa.Array:
    """``sep.join(x for x in parts if x)`` per row (null and "" parts left out); "" when none."""
    n = len(parts[0]) if parts else 0
    out = pa.array([""] * n, pa.string()) if n else pa.array([], pa.string())
    for p in parts:
        p = pc.fill_null(plain(p), "")
        both = pc.and_(pc.not_equal(out, ""), pc.not_equal(p, ""))
        joined = pc.binary_join_element_wise(out, p, sep)
        out = pc.if_else(both, joined, pc.if_else(pc.equal(out, ""), p, out))
    return out


def null_if_empty(arr: pa.Array) -> pa.Array:
    arr = plain(arr)
    return pc.if_else(pc.equal(arr, ""), pa.scalar(None, arr.type), arr)


# -- numbers ---------------------------------------------------------------------------------------

def fast_decimals(arr: pa.Array, decimal: str | None) -> tuple[np.ndarray, pa.Array]:
    """(rows read by the fast path, their :func:`parse_amount` value as decimal text).

    The fast shape: an optional sign, digits without a leading zero (or one 0), and an optional
    decimal mark followed by one or two digits: ``decimal`` (``","``/``"."``), or either when it
    is None (a lone mark before one or two digits is the decimal mark).  Its value is the digits;
    ``-0,00`` reads as 0.00 (parse_amount negates a zero into a zero)."""
    arr = strip(arr)
    marks = "[,.]" if decimal is None else ("," if decimal == "," else "\\.")
    ok = matches(arr, f"^[+-]?(?:0|[1-9][0-9]{{0,14}})(?:{marks}[0-9]{{1,2}})?$")
    text = pc.replace_substring_regex(pc.utf8_ltrim(arr, "+"), "[,]", ".")
    zero = matches(text, "^-?0(?:\\.0{1,2})?$")
    text = pc.if_else(pa.array(zero), pc.utf8_ltrim(text, "-"), text)
    return ok, text


def cents_text(decimal_text: pa.Array) -> pa.Array:
    """The bank importers' ``_cents``: a value with fewer than two decimals written with two
    (``12.5`` -> ``12.50``); more decimals than two are kept (only for fast-path texts)."""
    text = plain(decimal_text)
    pos = pc.find_substring(text, ".")
    length = pc.utf8_length(text)
    frac = pc.if_else(pc.less(pos, 0), 0, pc.subtract(pc.subtract(length, pos), 1))
    pad0 = pc.binary_join_element_wise(text, ".00", "")
    pad1 = pc.binary_join_element_wise(text, "0", "")
    out = pc.if_else(pc.equal(frac, 0), pad0, pc.if_else(pc.equal(frac, 1), pad1, text))
    return pc.if_else(pc.is_null(text), pa.scalar(None, pa.string()), out)


def decimal_units(text: pa.Array, scale: int) -> tuple[np.ndarray, np.ndarray]:
    """(int64 units at ``scale`` decimals, True where exact): for plain decimal texts
    (``-12.34``) with at most ``scale`` decimals and 15 integer digits; others are left to the caller."""
    text = plain(text)
    n = len(text)
    ok = matches(text, f"^-?[0-9]{{1,15}}(?:\\.[0-9]{{1,{scale}}})?$") if scale else \
        matches(text, "^-?[0-9]{1,15}$")
    units = np.zeros(n, dtype=np.int64)
    if not ok.any():
        return units, ok
    rows = np.flatnonzero(ok)
    sub = text.take(pa.array(rows))
    pos = pc.find_substring(sub, ".")
    frac = pc.if_else(pc.less(pos, 0), 0, pc.subtract(pc.subtract(pc.utf8_length(sub), pos), 1)).to_numpy()
    digits = pc.cast(pc.replace_substring(sub, ".", ""), pa.int64()).to_numpy()
    units[rows] = digits * (10 ** (scale - frac.astype(np.int64)))
    return units, ok
