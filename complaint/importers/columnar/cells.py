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
    fast = pc.utf8_trim(arr, " ")
    runs = np.asarray(pc.fill_null(pc.match_substring(fast, "  "), False).to_numpy(zero_copy_only=False), dtype=bool)
    if runs.any():
        rows = np.flatnonzero(runs)
        fast = replace_rows(fast, rows, pc.replace_substring_regex(fast.take(pa.array(rows)), " {2,}", " "))
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

def fast_decimals(arr: pa.Array, decimal: str | None, *, stripped: bool = False) -> tuple[np.ndarray, pa.Array]:
    """(rows read by the fast path, their :func:`parse_amount` value as decimal text).

    The fast shape: an optional sign, digits without a leading zero (or one 0), and an optional
    decimal mark followed by one or two digits: ``decimal`` (``","``/``"."``), or either when it
    is None (a lone mark before one or two digits is the decimal mark).  Its value is the digits;
    ``-0,00`` reads as 0.00 (parse_amount negates a zero into a zero)."""
    arr = plain(arr) if stripped else strip(arr)
    marks = "[,.]" if decimal is None else ("," if decimal == "," else "\\.")
    ok = matches(arr, f"^[+-]?(?:0|[1-9][0-9]{{0,14}})(?:{marks}[0-9]{{1,2}})?$")
    text = pc.replace_substring(arr, ",", ".") if decimal != "." else arr
    if matches(text, "^\\+").any():
        text = pc.utf8_ltrim(text, "+")
    minus_zero = np.asarray(pc.fill_null(pc.starts_with(text, "-0"), False).to_numpy(zero_copy_only=False),
                            dtype=bool)
    if minus_zero.any():
        zero = matches(text, "^-0(?:\\.0{1,2})?$")
        if zero.any():
            text = pc.if_else(pa.array(zero), pc.utf8_ltrim(text, "-"), text)
    return ok, text


def fast_units(text: pa.Array, ok: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(cents (int64) of fast-path decimal texts, ``-12.5`` -> -1250; True where a text has exactly
    two decimals), 0 and False where not ``ok``."""
    text = plain(text)
    units = np.zeros(len(text), dtype=np.int64)
    two = np.zeros(len(text), dtype=bool)
    if not ok.any():
        return units, two
    rows = np.flatnonzero(ok) if not ok.all() else None
    sub = text if rows is None else text.take(pa.array(rows))
    pos = pc.find_substring(sub, ".")
    frac = pc.if_else(pc.less(pos, 0), 0, pc.subtract(pc.subtract(pc.utf8_length(sub), pos), 1)).to_numpy()
    digits = pc.cast(pc.replace_substring(sub, ".", ""), pa.int64()).to_numpy()
    got = digits * (10 ** (2 - frac.astype(np.int64)))
    if rows is None:
        return got, frac == 2
    units[rows] = got
    two[rows] = frac == 2
    return units, two


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


# -- coded columns: the distinct values once, and each row's code ----------------------------------

class Coded:
    """A column as its distinct values (an arrow array whose last entry is null) and each row's
    position in it.  Work on a column's meaning (cleaning, masking, rules) runs on ``values``;
    :meth:`arrow` spreads the results back to the rows."""

    __slots__ = ("values", "codes")

    def __init__(self, values: pa.Array, codes: np.ndarray):
        self.values = values
        self.codes = codes

    @classmethod
    def of(cls, arr) -> Coded:
        arr = plain(arr)
        if len(arr) == 0:
            return cls(pa.nulls(1, arr.type), np.zeros(0, dtype=np.int64))
        enc = pc.dictionary_encode(arr)
        values = pa.concat_arrays([enc.dictionary, pa.nulls(1, enc.dictionary.type)])
        codes = pc.fill_null(enc.indices, len(values) - 1).to_numpy(zero_copy_only=False).astype(np.int64)
        return cls(values, codes)

    @classmethod
    def nulls(cls, n: int, typ=pa.string()) -> Coded:
        return cls(pa.nulls(1, typ), np.zeros(n, dtype=np.int64))

    def __len__(self) -> int:
        return len(self.codes)

    def arrow(self) -> pa.Array:
        return self.values.take(pa.array(self.codes))

    def with_values(self, values: pa.Array) -> Coded:
        """The same rows, each value replaced by the one at its position in ``values``."""
        return Coded(values, self.codes)

    def map(self, fn, out_type: pa.DataType = pa.string(), candidates: str | None = None, *,
            otherwise: str = "keep") -> Coded:
        """``fn`` of each distinct non-null value.  ``candidates``: an RE2 prefilter; a value that
        does not match it is one ``fn`` would not change (``otherwise="keep"``) or maps to null
        (``otherwise="null"``)."""
        values = self.values
        if candidates is None:
            py = values.to_pylist()
            return Coded(pa.array([None if v is None else fn(v) for v in py], out_type), self.codes)
        hit = matches(values, candidates)
        if otherwise == "null":
            base = pa.nulls(len(values), out_type)
        else:
            base = values if values.type == out_type else values.cast(out_type)
        if not hit.any():
            return Coded(base, self.codes)
        rows = np.flatnonzero(hit)
        done = pa.array([fn(v) for v in values.take(pa.array(rows)).to_pylist()], out_type)
        return Coded(replace_rows(base, rows, done), self.codes)

    def map_pair(self, fn, candidates: str | None = None) -> tuple[Coded, Coded]:
        """``fn`` returning (text, other) per distinct value; a value the prefilter ``candidates``
        leaves out gives (itself, null)."""
        values = self.values
        if candidates is None:
            rows = np.flatnonzero(np.asarray(pc.is_valid(values).to_numpy(zero_copy_only=False), dtype=bool))
        else:
            rows = np.flatnonzero(matches(values, candidates))
        first, second = values, pa.nulls(len(values), pa.string())
        if len(rows):
            got = [fn(v) for v in values.take(pa.array(rows)).to_pylist()]
            first = replace_rows(first, rows, pa.array([g[0] for g in got], pa.string()))
            second = replace_rows(second, rows, pa.array([g[1] for g in got], pa.string()))
        return Coded(first, self.codes), Coded(second, self.codes)

    def flags(self, fn) -> np.ndarray:
        """``fn`` (a predicate) of each row's value, computed once per distinct value."""
        per_value = np.array([bool(fn(v)) if v is not None else False for v in self.values.to_pylist()],
                             dtype=bool)
        return per_value[self.codes]

    def present(self) -> np.ndarray:
        """True on the rows with a value (not null)."""
        return np.asarray(pc.is_valid(self.values).to_numpy(zero_copy_only=False), dtype=bool)[self.codes]

    def take(self, rows) -> Coded:
        return Coded(self.values, self.codes[np.asarray(rows, dtype=np.int64)])

    def by_value(self) -> np.ndarray:
        """Codes under which equal values (two texts cleaned to one, say) share one code."""
        if len(self.values) <= 1:
            return self.codes
        enc = pc.dictionary_encode(self.values)
        canon = pc.fill_null(enc.indices, len(enc.dictionary)).to_numpy(zero_copy_only=False).astype(np.int64)
        return canon[self.codes]


def combine(parts: Sequence[Coded]) -> tuple[list[tuple], np.ndarray]:
    """The distinct combinations of several coded columns (each a tuple of their values, in order of
    first appearance) and each row's combination."""
    import pandas as pd

    n = len(parts[0].codes)
    key = np.zeros(n, dtype=np.int64)
    width = 1
    for p in parts:
        size = len(p.values) + 1
        if width * size >= (1 << 62):  # too many combinations for one number: renumber first
            key = np.asarray(pd.factorize(key)[0], dtype=np.int64)
            width = int(key.max()) + 1 if n else 1
        key = key * size + p.by_value()  # equal values, one code: rows alike combine alike
        width *= size
    codes = np.asarray(pd.factorize(key)[0], dtype=np.int64)
    k = int(codes.max()) + 1 if n else 0
    first = np.zeros(k, dtype=np.int64)
    first[codes[::-1]] = np.arange(n - 1, -1, -1, dtype=np.int64)
    vals = [p.values.take(pa.array(p.codes[first])).to_pylist() if k else [] for p in parts]
    return list(zip(*vals, strict=True)), codes
