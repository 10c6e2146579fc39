"""The declared bank CSV machinery (:class:`~complaint.importers.bank.csv_importer.CsvImporter`),
a column at a time.

The same steps as ``CsvImporter._extract``, in the same order, with the same functions: columns
parsed in declaration order (the first failing column of a row rejects it, with the same field,
value and reason), debit/credit combined, the bank's ``adjust`` hook, then the normalisation of
``finish`` (currency, account, card masking, structured communication, IBAN, payment method,
stable ids, merchant rules) and the balance proof.

A bank's ``adjust`` hook works on one :class:`~complaint.importers.bank.spec.RowValues`; here it
runs on the rows its importer's ``adjust_rows`` selects (all rows unless the importer says which
rows it can change), and what it changes is written back into the columns.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ...errors import NotMyFormat
from ...i18n import N_, _
from ...records import BalanceCheck, ImportResult, Issue, StatementInfo, issue
from ..bank import merchants
from ..bank import text as _banktext
from ..bank.balance import check_running_balances
from ..bank.spec import TEXT_TARGETS, Context, RowError, RowValues
from ..textio import Source
from . import cells
from .readcsv import RawTable, from_table, read_columns
from .tables import BankColumns, LazyRecords

_CARD_PREFILTER = r"\p{Nd}{4}[ -]?[\p{Nd}Xx*]{4}[ -]?[\p{Nd}Xx*]{4}[ -]?\p{Nd}{4}"
_OGM_PREFILTER = r"^[^\pL]*$|\+\+\+|\*\*\*"
_FIND_OGM_PREFILTER = r"\+\+\+|\*\*\*"
_METHOD_WORDS = ("domicil", "debit", "lastschrift", "sepa", "kaart", "carte", "credit", "visa", "mastercard",
                 "express", "amex", "bancontact", "maestro", "pay", "banksys", "terminal", "overschrijving",
                 "virement", "transfer", "overboeking", "betaalopdracht", "paiement")
_MERCHANT_WORDS = ("ali", "paypal")  # every default merchant rule needs one of them


def supports(imp) -> bool:
    """True when the importer uses only the hooks the columnar path runs (``groups``, which makes
    one transaction of several lines, keeps the record path)."""
    from ..bank.csv_importer import CsvImporter

    cls = type(imp)
    return all(getattr(cls, name) is getattr(CsvImporter, name)
               for name in ("groups", "parse_row", "finish", "balance", "_communication", "_counterparty_account",
                            "cell", "_date", "_amount", "extract"))


def raw_columns(imp, source: Source) -> RawTable | None:
    """The file's cells as columns the way ``imp.read`` would find them, or None."""
    from ..bank.csv_importer import CsvImporter

    if type(imp).read is not CsvImporter.read:
        return from_table(imp.read(source))  # a sheet (Argenta XLSX): read by the record machinery
    for enc in imp.spec.encodings:
        try:
            source.data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        return read_columns(source, delimiter=imp.spec.delimiter, encoding=enc,
                            header_predicate=lambda cells_: imp.header_score(cells_) > 0)
    return None


@dataclass
class _Rows:
    """The parsed columns of every data row (``CsvImporter.parse_row`` for all rows at once)."""

    n: int
    line: np.ndarray
    dates: dict[str, pa.Array] = field(default_factory=dict)  # booking_date, value_date
    amounts: dict[str, pa.Array] = field(default_factory=dict)  # amount, balance: decimal text (as parsed)
    texts: dict[str, pa.Array] = field(default_factory=dict)
    extra: dict[str, object] = field(default_factory=dict)  # target -> array (text) or list (Decimal)
    more: dict[str, list] = field(default_factory=dict)  # original_amount, original_currency, fx_rate, card, payment_method
    error: dict[int, Issue] = field(default_factory=dict)
    dropped: set = field(default_factory=set)  # rows a hook skipped

    def fail(self, rows, make) -> None:
        for r in rows:
            if r not in self.error:
                self.error[r] = make(r)


def extract_columns(imp, source: Source, raw: RawTable) -> ImportResult:
    """``imp.extract(source)``, through columns."""
    ctx = Context(source, raw.table(), imp.build_index(raw.header), cols=imp.find_columns(raw.header))
    missing = [c for c in imp.spec.columns if c.required and c.target not in ctx.index]
    if missing:
        raise NotMyFormat(_("{file}: column {column} is missing; use the column-mapping step",
                            file=source.name, column=missing[0].names[0]))
    imp.prepare(ctx)
    rows = _parse(imp, source, raw, ctx)
    _adjust(imp, source, raw, ctx, rows)
    ok = np.ones(rows.n, dtype=bool)
    ok[list(rows.error) + list(rows.dropped)] = False
    cols, finish_warnings = _finish(imp, source, ctx, rows, np.flatnonzero(ok))
    ctx.warnings.extend(finish_warnings)
    statement, check = _balance(imp, ctx, rows, np.flatnonzero(ok), cols)
    rejected = tuple(rows.error[i] for i in sorted(rows.error))
    return ImportResult(
        file=source.name, importer=imp.name, kind="bank", sha256=source.sha256, records=LazyRecords(cols),
        rejected=rejected, warnings=tuple(ctx.warnings), rows_total=rows.n, rows_imported=len(cols),
        skipped=tuple(ctx.skipped), statement=statement, balance_check=check)


# -- parse_row, a column at a time ------------------------------------------------------------------

def _row_error(source: Source, line: int, err: RowError) -> Issue:
    return issue(source.name, line, err.reason, field=err.field_name, value=err.value, **err.args_)


def _parse(imp, source: Source, raw: RawTable, ctx: Context) -> _Rows:
    n = raw.n_rows
    rows = _Rows(n, raw.line_no)
    lines = raw.line_no.tolist()
    debit = credit = None
    for col, name, i in ctx.cols:
        cell = cells.strip(raw.columns[i])
        empty = np.asarray(pc.equal(cell, "").to_numpy(zero_copy_only=False), dtype=bool)
        if col.kind == "date":
            if col.required and empty.any():
                rows.fail(np.flatnonzero(empty).tolist(), lambda r, name=name: _row_error(
                    source, lines[r], RowError(name, "", N_("the date is empty"))))
            rows.dates[col.target] = _distinct_values(
                cell, ~empty, lambda s, name=name, col=col: imp._date(name, s, col.fmts), pa.date32(), rows,
                source, lines)
        elif col.kind in ("amount", "debit", "credit", "decimal"):
            value = _amounts(imp, name, cell, empty, rows, source, lines)
            if col.kind == "debit":
                debit = value
            elif col.kind == "credit":
                credit = value
            elif col.kind == "decimal":
                rows.extra[col.target] = value
            else:
                rows.amounts[col.target] = value
        elif col.target in TEXT_TARGETS:
            text = cells.clean_text(cell)
            old = rows.texts.get(col.target)
            rows.texts[col.target] = text if old is None else _join_texts(old, text)
        else:
            rows.extra[col.target] = cells.clean_text(cell)
    amount = rows.amounts.get("amount")
    if debit is not None or credit is not None:
        amount = _debit_credit(amount, debit, credit, n)
    if amount is None:
        amount = pa.nulls(n, pa.string())
    if "amount" in ctx.index:
        gone = np.asarray(pc.is_null(amount).to_numpy(zero_copy_only=False), dtype=bool)
        name = ctx.index["amount"][0][0]
        rows.fail(np.flatnonzero(gone).tolist(), lambda r: _row_error(
            source, lines[r], RowError(name, "", N_("the amount is empty"))))
    rows.amounts["amount"] = amount
    for target in TEXT_TARGETS:
        rows.texts.setdefault(target, pa.nulls(n, pa.string()))
    rows.dates.setdefault("booking_date", pa.nulls(n, pa.date32()))
    rows.dates.setdefault("value_date", pa.nulls(n, pa.date32()))
    rows.amounts.setdefault("balance", pa.nulls(n, pa.string()))
    return rows


def _distinct_values(cell: pa.Array, present: np.ndarray, fn, out_type, rows: _Rows, source: Source,
                     lines: list[int]) -> pa.Array:
    """``fn`` of each non-empty cell (once per distinct text); a RowError rejects its rows."""
    n = len(cell)
    if not present.any():
        return pa.nulls(n, out_type)
    values, idx = cells.distinct(cell)
    results, errors = [], {}
    for k, v in enumerate(values):
        if v is None or v == "":
            results.append(None)
            continue
        try:
            results.append(fn(v))
        except RowError as err:
            results.append(None)
            errors[k] = err
    out = pa.array(results, out_type).take(pa.array(idx))
    out = pc.if_else(pa.array(present), out, pa.scalar(None, out_type))
    if errors:
        bad = np.flatnonzero(np.isin(idx, list(errors)) & present)
        rows.fail(bad.tolist(), lambda r: _row_error(source, lines[r], errors[int(idx[r])]))
    return out


def _amounts(imp, name: str, cell: pa.Array, empty: np.ndarray, rows: _Rows, source: Source,
             lines: list[int]) -> pa.Array:
    """The cell's value as ``imp._amount`` reads it, as decimal text (null when empty)."""
    fast, text = cells.fast_decimals(cell, imp.spec.decimal)
    slow = ~fast & ~empty
    out = pc.if_else(pa.array(fast), text, pa.scalar(None, pa.string()))
    if slow.any():
        sub = np.flatnonzero(slow)
        parsed = _distinct_values(cell.take(pa.array(sub)), np.ones(len(sub), dtype=bool),
                                  lambda s: str(imp._amount(name, s)), pa.string(), _Sub(rows, sub), source,
                                  [lines[r] for r in sub])
        out = cells.replace_rows(out, sub, parsed)
    return out


class _Sub:
    """A _Rows seen through a selection of its rows (errors land on the right row)."""

    def __init__(self, rows: _Rows, sub: np.ndarray):
        self.rows, self.sub = rows, sub

    def fail(self, local, make) -> None:
        self.rows.fail([int(self.sub[r]) for r in local], lambda r, inv=dict(zip(self.sub.tolist(), range(len(
            self.sub)), strict=True)): make(inv[r]))


def _join_texts(old: pa.Array, new: pa.Array) -> pa.Array:
    """Several columns of one text target: ``old new``, unless ``new`` is already inside ``old``."""
    both = np.flatnonzero(np.asarray(pc.and_(pc.is_valid(old), pc.is_valid(new)).to_numpy(zero_copy_only=False),
                                     dtype=bool))
    out = pc.if_else(pc.is_null(old), new, old)
    if len(both):
        o = old.take(pa.array(both)).to_pylist()
        t = new.take(pa.array(both)).to_pylist()
        joined = pa.array([a if b in a else f"{a} {b}" for a, b in zip(o, t, strict=True)], pa.string())
        out = cells.replace_rows(out, both, joined)
    return out


def _debit_credit(amount, debit, credit, n: int) -> pa.Array:
    """Rows without an amount but with a debit or credit: credit - debit (as parse_row does)."""
    amount = amount if amount is not None else pa.nulls(n, pa.string())
    d = debit if debit is not None else pa.nulls(n, pa.string())
    c = credit if credit is not None else pa.nulls(n, pa.string())
    need = pc.and_(pc.is_null(amount), pc.or_(pc.is_valid(d), pc.is_valid(c)))
    rows = np.flatnonzero(np.asarray(need.to_numpy(zero_copy_only=False), dtype=bool))
    if not len(rows):
        return amount
    dv, cv = d.take(pa.array(rows)).to_pylist(), c.take(pa.array(rows)).to_pylist()
    values = []
    for dt, ct in zip(dv, cv, strict=True):
        dd, cc = (None if dt is None else Decimal(dt)), (None if ct is None else Decimal(ct))
        values.append(str((abs(cc) if cc else Decimal(0)) - (abs(dd) if dd else Decimal(0))))
    return cells.replace_rows(amount, rows, pa.array(values, pa.string()))


# -- the bank's adjust hook -------------------------------------------------------------------------

_MORE = ("original_amount", "original_currency", "fx_rate", "card", "payment_method")


def _adjust(imp, source: Source, raw: RawTable, ctx: Context, rows: _Rows) -> None:
    from ..bank.csv_importer import CsvImporter

    for key in _MORE:
        rows.more[key] = [None] * rows.n
    if type(imp).adjust is CsvImporter.adjust:
        return
    chosen = imp.adjust_rows(rows.extra, rows.texts, rows.n)
    todo = [r for r in (range(rows.n) if chosen is None else np.flatnonzero(chosen).tolist()) if r not in rows.error]
    if not todo:
        return
    sel = pa.array(todo)
    dates = {k: v.take(sel).to_pylist() for k, v in rows.dates.items()}
    amounts = {k: v.take(sel).to_pylist() for k, v in rows.amounts.items()}
    texts = {k: v.take(sel).to_pylist() for k, v in rows.texts.items()}
    extra = {k: (v.take(sel).to_pylist()) for k, v in rows.extra.items()}
    decimals = {c.target for c, _n, _i in ctx.cols if c.kind == "decimal"}
    changed: dict[str, dict[int, object]] = {}
    for j, r in enumerate(todo):
        v = RowValues(line=int(rows.line[r]), booking_date=dates["booking_date"][j], value_date=dates["value_date"][j],
                      amount=_decimal(amounts["amount"][j]), balance=_decimal(amounts["balance"][j]),
                      texts={k: t[j] for k, t in texts.items() if t[j] is not None},
                      extra={k: (_decimal(x[j]) if k in decimals else x[j]) for k, x in extra.items()})
        before = (v.booking_date, v.value_date, v.amount, v.balance, dict(v.texts))
        try:
            out = imp.adjust(v, [raw.row(r)], ctx)
        except RowError as err:
            rows.error[r] = _row_error(source, int(rows.line[r]), err)
            continue
        except (ValueError, ArithmeticError, IndexError, KeyError, TypeError) as exc:
            rows.error[r] = issue(source.name, int(rows.line[r]), N_("row cannot be read: {error}"), error=exc)
            continue
        if out is None:
            rows.dropped.add(r)
            continue
        _note_changes(out, before, r, changed, rows)
    for key, values in changed.items():
        _write_back(rows, key, values)


def _decimal(text):
    return None if text is None else Decimal(text)


def _note_changes(v: RowValues, before, r: int, changed: dict, rows: _Rows) -> None:
    booking, value, amount, balance, texts = before
    for key, old, new in (("date:booking_date", booking, v.booking_date), ("date:value_date", value, v.value_date),
                          ("amount:amount", amount, v.amount), ("amount:balance", balance, v.balance)):
        if new is not old and new != old:
            changed.setdefault(key, {})[r] = new
    for target in set(texts) | set(v.texts):
        if texts.get(target) != v.texts.get(target):
            changed.setdefault("text:" + target, {})[r] = v.texts.get(target)
    for key in _MORE:
        rows.more[key][r] = getattr(v, key)


def _write_back(rows: _Rows, key: str, values: dict[int, object]) -> None:
    kind, name = key.split(":", 1)
    store = {"date": rows.dates, "amount": rows.amounts, "text": rows.texts}[kind]
    typ = pa.date32() if kind == "date" else pa.string()
    conv = (lambda x: None if x is None else str(x)) if kind == "amount" else (lambda x: x)
    target = sorted(values)
    store[name] = cells.replace_rows(store.get(name, pa.nulls(rows.n, typ)), np.array(target, dtype=np.int64),
                                     pa.array([conv(values[r]) for r in target], typ))


# -- finish, a column at a time ---------------------------------------------------------------------

def _finish(imp, source: Source, ctx: Context, rows: _Rows, ok: np.ndarray) -> tuple[BankColumns, list[Issue]]:
    spec = imp.spec
    sel = pa.array(ok)
    m = len(ok)
    lines = rows.line[ok].tolist()
    t = {k: cells.plain(v).take(sel) for k, v in rows.texts.items()}
    more = {k: [v[i] for i in ok.tolist()] for k, v in rows.more.items()}
    warn: list[tuple[int, int, Issue]] = []
    # currency
    cur_raw = cells.per_distinct(pc.fill_null(t["currency"], spec.default_currency), str.upper, pa.string())
    valid = cells.per_distinct(cur_raw, lambda c: bool(len(c) == 3 and c.isascii() and c.isalpha() and c.isupper()),
                               pa.bool_())
    bad_cur = np.flatnonzero(~np.asarray(valid.to_numpy(zero_copy_only=False), dtype=bool))
    cur_list = cur_raw.to_pylist() if len(bad_cur) else None
    for j in bad_cur.tolist():
        warn.append((j, 0, issue(source.name, lines[j], N_("{text} is not a currency code; {default} assumed"),
                                 field="currency", value=cur_list[j], severity="warning", text=cur_list[j],
                                 default=spec.default_currency)))
    currency = pc.if_else(valid, cur_raw, spec.default_currency) if len(bad_cur) else cur_raw
    # account
    acc_in = t["account"] if ctx.account is None else pc.fill_null(t["account"], ctx.account)
    account = cells.per_distinct(acc_in, _banktext.compact_account, pa.string())
    # cards
    description, card = _mask(t["description"])
    communication, comm_card = _mask(t["communication"])
    own = more["card"]
    if any(c for c in own):
        own_masked = cells.per_distinct(pa.array(own, pa.string()), _banktext.mask_card_number, pa.string())
        card = pc.if_else(pc.is_valid(pa.array([c if c else None for c in own], pa.string())), own_masked, card)
    card = pc.if_else(pc.is_null(card), comm_card, card)
    # structured communication
    has_comm = pc.is_valid(communication)
    cand = cells.matches(communication, _OGM_PREFILTER) & np.asarray(has_comm.to_numpy(zero_copy_only=False), dtype=bool)
    pairs = _per_candidate(communication, cand, _banktext.structured_communication)
    norm = pa.array([p[0] for p in pairs.values()], pa.string()) if pairs else None
    comm = communication
    if pairs:
        comm = cells.replace_rows(communication, np.array(list(pairs), dtype=np.int64), norm)
        for j, (_norm, bad) in pairs.items():
            if bad:
                warn.append((j, 1, issue(source.name, lines[j], N_("structured communication {text} has a wrong "
                                                                   "check number"), field="communication", value=bad,
                                         severity="warning", text=bad)))
    found = cells.mapped_where(description, cells.matches(description, _FIND_OGM_PREFILTER)
                               & ~np.asarray(has_comm.to_numpy(zero_copy_only=False), dtype=bool),
                               _banktext.find_structured, pa.string(), keep=lambda a: pa.nulls(len(a), pa.string()))
    communication = pc.if_else(has_comm, comm, found)
    # counterparty account
    cp_raw = t["counterparty_account"]
    checked = cells.per_distinct(cp_raw, _banktext.validate_iban)
    cp_account = pa.array([c[0] if c is not None else None for c in checked], pa.string())
    problems = [j for j, c in enumerate(checked) if c is not None and c[1]]
    if problems:
        raw_cp = cp_raw.to_pylist()
        for j in problems:
            warn.append((j, 2, issue(source.name, lines[j], N_("counterparty account {text} is not a valid IBAN "
                                                               "({error}); kept as text"),
                                     field="counterparty_account", value=raw_cp[j], severity="warning",
                                     text=raw_cp[j], error=checked[j][1])))
    counterparty = t["counterparty"]
    full = cells.join_texts([counterparty, description, communication])
    # payment method
    if spec.payment_method:
        guessed = pa.array([spec.payment_method] * m, pa.string())
    else:
        guessed = cells.mapped_where(full, cells.matches(full, cells.ci_words(*_METHOD_WORDS)),
                                     _banktext.guess_payment_method, pa.string(),
                                     keep=lambda a: pa.nulls(len(a), pa.string()))
    own_method = pa.array(more["payment_method"], pa.string())
    method = pc.if_else(pc.is_valid(own_method), own_method, guessed)
    # amounts
    amount_key = cells.plain(rows.amounts["amount"]).take(sel)
    amount = _cents_text(amount_key)
    original = _cents_text(pa.array([None if x is None else str(x) for x in more["original_amount"]], pa.string()))
    # ids
    ref = t["bank_reference"]
    booking = cells.plain(rows.dates["booking_date"]).take(sel)
    value_date = cells.plain(rows.dates["value_date"]).take(sel)
    ids = _ids(spec, account, booking, value_date, (amount_key, amount), currency, description, communication,
               counterparty, ref)
    merchant, rule = _merchants(full, amount)
    table = pa.table({
        "id": ids, "booking_date": booking, "amount": amount, "currency": currency, "value_date": value_date,
        "account": account, "counterparty": counterparty, "counterparty_account": cp_account,
        "description": description, "communication": communication, "bank_reference": ref,
        "original_amount": original, "original_currency": pa.array(more["original_currency"], pa.string()),
        "fx_rate": pa.array([None if x is None else str(x) for x in more["fx_rate"]], pa.string()),
        "card_masked": card, "merchant": merchant, "merchant_rule": rule, "payment_method": method,
        "source_name": pa.array([source.name] * m, pa.string()).dictionary_encode(),
        "source_sha256": pa.array([source.sha256] * m, pa.string()).dictionary_encode(),
        "importer": pa.array([imp.name] * m, pa.string()).dictionary_encode(),
        "line_no": pa.array(rows.line[ok], pa.int64()),
    })
    warn.sort(key=lambda w: (w[0], w[1]))
    return BankColumns(table), [w[2] for w in warn]


def _mask(arr: pa.Array) -> tuple[pa.Array, pa.Array]:
    """(mask_cards text, the first masked card or null) of a text column."""
    arr = cells.plain(arr)
    cand = cells.matches(arr, _CARD_PREFILTER)
    if not cand.any():
        return arr, pa.nulls(len(arr), pa.string())
    pairs = _per_candidate(arr, cand, _banktext.mask_cards)
    idx = np.array(list(pairs), dtype=np.int64)
    text = cells.replace_rows(arr, idx, pa.array([p[0] for p in pairs.values()], pa.string()))
    card = cells.replace_rows(pa.nulls(len(arr), pa.string()), idx, pa.array([p[1] for p in pairs.values()],
                                                                             pa.string()))
    return text, card


def _per_candidate(arr: pa.Array, cand: np.ndarray, fn) -> dict[int, tuple]:
    """{row: fn(value)} for the candidate rows, ``fn`` once per distinct value."""
    rows = np.flatnonzero(cand)
    if not len(rows):
        return {}
    results = cells.per_distinct(arr.take(pa.array(rows)), fn)
    return dict(zip(rows.tolist(), results.tolist(), strict=True))


def _cents_text(key: pa.Array) -> pa.Array:
    """``_cents`` of each value: two decimals when that loses no digit (fast texts vectorised)."""
    from ..bank.csv_importer import _cents

    key = cells.plain(key)
    fast = cells.matches(key, r"^-?[0-9]+(?:\.[0-9]{1,2})?$")
    out = cells.cents_text(key)
    slow = ~fast & np.asarray(pc.is_valid(key).to_numpy(zero_copy_only=False), dtype=bool)
    if slow.any():
        rows = np.flatnonzero(slow)
        out = cells.replace_rows(out, rows, cells.per_distinct(key.take(pa.array(rows)),
                                                               lambda s: str(_cents(Decimal(s))), pa.string()))
    return out


def _ids(spec, account, booking, value_date, amounts, currency, description, communication, counterparty,
         ref) -> pa.Array:
    """``ref_txn_id`` from a unique bank reference (rank among equal references of the file), else
    ``stable_txn_id`` over the content with the rank among identical rows.  ``amounts``: (the
    value as parsed, which the id hashes; its two-decimal text, which ranks equal values alike)."""
    amount_key, amount_rank = amounts
    m = len(booking)
    sep = "\x1f"

    def txt(a):
        a = cells.plain(a)
        return pc.fill_null(a.cast(pa.string()) if a.type != pa.string() else a, "")

    use_ref = np.asarray(pc.and_(pc.is_valid(ref), pc.not_equal(pc.fill_null(ref, ""), "")).to_numpy(
        zero_copy_only=False), dtype=bool) if spec.ref_is_unique else np.zeros(m, dtype=bool)
    out: list[str | None] = [None] * m
    if use_ref.any():
        rows = np.flatnonzero(use_ref)
        r_txt = txt(ref).take(pa.array(rows))
        rank = _rank(r_txt)
        refs = r_txt.to_pylist()
        accs = txt(account).take(pa.array(rows)).to_pylist()
        fam = spec.family
        for i, a, rf, k in zip(rows.tolist(), accs, refs, rank.tolist(), strict=True):
            key = rf if k == 0 else f"{rf}#{k}"
            out[i] = "r" + hashlib.sha256(f"{fam}{sep}{a}{sep}{key}".encode()).hexdigest()[:24]
    if not use_ref.all():
        rows = np.flatnonzero(~use_ref)
        take = pa.array(rows)
        family = pa.array([spec.family] * len(rows), pa.string())
        head = [txt(x).take(take) for x in (account, booking, value_date)]
        tail = [txt(x).take(take) for x in (currency, description, communication, counterparty, ref)]
        key_amount = txt(amount_key).take(take)
        key = pc.binary_join_element_wise(family, *head, key_amount, *tail, sep)
        hashed = _content_ids(key, None)
        same_text = pc.all(pc.equal(key_amount, txt(amount_rank).take(take))).as_py() is not False
        if same_text and len(set(hashed)) == len(hashed):
            ranks = None  # no two rows alike: every rank is 0
        else:
            ranks = _rank(pc.binary_join_element_wise(family, *head, txt(amount_rank).take(take), *tail, sep))
            hashed = _content_ids(key, ranks)
        for i, h in zip(rows.tolist(), hashed, strict=True):
            out[i] = h
    return pa.array(out, pa.string())


def _content_ids(key: pa.Array, ranks: np.ndarray | None) -> list[str]:
    """``stable_txn_id`` of each content key with its rank (None: all 0)."""
    rank = pa.array(["0"] * len(key), pa.string()) if ranks is None else pa.array(ranks.astype(str), pa.string())
    raw = pc.binary_join_element_wise(key, rank, "\x1f").cast(pa.binary()).to_pylist()
    sha = hashlib.sha256
    return ["h" + sha(b).hexdigest()[:24] for b in raw]


def _rank(keys: pa.Array) -> np.ndarray:
    """Each row's rank among the earlier rows with the same key (0 for the first)."""
    _values, idx = cells.distinct(keys)
    if not len(idx):
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(idx, kind="stable")
    sorted_idx = idx[order]
    start = np.concatenate([[True], sorted_idx[1:] != sorted_idx[:-1]])
    first = np.maximum.accumulate(np.where(start, np.arange(len(idx)), 0))
    rank = np.empty(len(idx), dtype=np.int64)
    rank[order] = np.arange(len(idx)) - first
    return rank


def _merchants(full: pa.Array, amount: pa.Array) -> tuple[pa.Array, pa.Array]:
    """``merchants.recognise``: the first rule that fires on the text, ``+refund-wording`` on a
    credit whose text says refund."""
    m = len(full)
    rules = merchants._extra_rules() + merchants.DEFAULT_RULES
    compiled = [(r.merchant, r.name, r.compiled()) for r in rules]

    def first_rule(text: str):
        for merchant, name, pattern in compiled:
            if pattern.search(text):
                return merchant, name
        return None

    cand = cells.matches(full, cells.ci_words(*_MERCHANT_WORDS)) if len(rules) == len(merchants.DEFAULT_RULES) \
        else np.ones(m, dtype=bool)
    found = _per_candidate(full, cand, first_rule)
    hits = {j: v for j, v in found.items() if v is not None}
    if not hits:
        return pa.nulls(m, pa.string()), pa.nulls(m, pa.string())
    idx = np.array(list(hits), dtype=np.int64)
    credit = np.asarray(pc.fill_null(pc.greater(pc.cast(cells.plain(amount).take(pa.array(idx)), pa.float64()), 0),
                                     False).to_numpy(zero_copy_only=False), dtype=bool)
    texts = cells.plain(full).take(pa.array(idx[credit])).to_pylist()
    wording = dict(zip(idx[credit].tolist(), [bool(merchants.REFUND_WORDING.search(x)) for x in texts], strict=True))
    names = [f"{v[1]}+refund-wording" if wording.get(j) else v[1] for j, v in hits.items()]
    merchant = cells.replace_rows(pa.nulls(m, pa.string()), idx, pa.array([v[0] for v in hits.values()], pa.string()))
    rule = cells.replace_rows(pa.nulls(m, pa.string()), idx, pa.array(names, pa.string()))
    return merchant, rule


# -- the balance proof ------------------------------------------------------------------------------

def _balance(imp, ctx: Context, rows: _Rows, ok: np.ndarray, cols: BankColumns):
    """``CsvImporter.balance``: the running balances when every row has one, else the statement's."""
    spec = imp.spec
    t = cols.table
    currency = t.column("currency")[0].as_py() if len(cols) else spec.default_currency
    account = t.column("account")[0].as_py() if len(cols) else ctx.account
    sel = pa.array(ok)
    balance = cells.plain(rows.amounts["balance"]).take(sel)
    if len(ok) >= 2 and balance.null_count == 0:
        amount = cells.plain(rows.amounts["amount"]).take(sel).to_pylist()
        days = cells.plain(rows.dates["booking_date"]).take(sel)
        return _running_proof(amount, balance.to_pylist(), days, account, currency)
    statement = ctx.statement
    if statement is not None:
        from ..bank.balance import check_balance

        if statement.opening_balance is None or statement.closing_balance is None:
            return statement, check_balance(statement, [])
        moved = _sum_decimal_texts(t.column("amount").combine_chunks())
        diff = statement.closing_balance - statement.opening_balance - moved
        if diff == 0:
            return statement, BalanceCheck("ok", Decimal("0.00"))
        return statement, BalanceCheck("mismatch", diff, N_("closing balance differs from opening balance plus "
                                                             "movements"))
    return None, BalanceCheck("not-available")


def _sum_decimal_texts(text: pa.Array) -> Decimal:
    """``sum(Decimal(x) for x in text, Decimal("0"))`` with the same exponent."""
    frac = _frac(text)
    scale = max(0, int(frac.max()) if len(frac) else 0)
    units, ok = cells.decimal_units(text, scale)
    if ok.all() and len(units) < (1 << 40):
        return Decimal(int(units.sum(dtype=np.int64))).scaleb(-scale) if scale else Decimal(int(units.sum()))
    return sum((Decimal(x) for x in text.to_pylist()), Decimal("0"))


def _frac(text: pa.Array) -> np.ndarray:
    text = cells.plain(text)
    if not len(text):
        return np.zeros(0, dtype=np.int64)
    pos = pc.find_substring(text, ".")
    frac = pc.if_else(pc.less(pos, 0), 0, pc.subtract(pc.subtract(pc.utf8_length(text), pos), 1))
    return np.asarray(pc.fill_null(frac, 0).to_numpy(zero_copy_only=False), dtype=np.int64)


def _running_proof(amount: list[str], balance: list[str], days: pa.Array, account, currency):
    """``running_balance_proof`` on the rows' (amount, balance, booking date)."""
    day_list = days.to_pylist()
    first_day, last_day = day_list[0], day_list[-1]
    newest_first = first_day > last_day
    a_units, b_units, scale = _units(amount, balance)
    result = None
    for backward in ((True, False) if newest_first else (False, True)):
        if a_units is not None:
            a, b = (a_units[::-1], b_units[::-1]) if backward else (a_units, b_units)
            diffs = b[1:] - (b[:-1] + a[1:])
            ok = not diffs.any()
            check = BalanceCheck("ok", Decimal("0.00")) if ok else BalanceCheck(
                "mismatch", _total(amount, balance, backward), N_("running balances do not follow the amounts"))
        else:
            pairs = [(Decimal(x), Decimal(y)) for x, y in zip(amount, balance, strict=True)]
            check = check_running_balances(pairs[::-1] if backward else pairs)
        if result is None or check.status == "ok":
            i0, i1 = (-1, 0) if backward else (0, -1)
            statement = StatementInfo(account, currency,
                                      opening_balance=Decimal(balance[i0]) - Decimal(amount[i0]),
                                      opening_date=day_list[i0], closing_balance=Decimal(balance[i1]),
                                      closing_date=day_list[i1])
            result = (statement, check)
        if check.status == "ok":
            break
    del scale
    return result


def _units(amount: list[str], balance: list[str]):
    a = pa.array(amount, pa.string())
    b = pa.array(balance, pa.string())
    scale = int(max(_frac(a).max(initial=0), _frac(b).max(initial=0)))
    if scale > 6:
        return None, None, scale
    au, aok = cells.decimal_units(a, scale)
    bu, bok = cells.decimal_units(b, scale)
    if not (aok.all() and bok.all()):
        return None, None, scale
    return au, bu, scale


def _total(amount: list[str], balance: list[str], backward: bool) -> Decimal:
    """The mismatch total exactly as ``check_running_balances`` sums it (Decimal)."""
    pairs = [(Decimal(x), Decimal(y)) for x, y in zip(amount, balance, strict=True)]
    return check_running_balances(pairs[::-1] if backward else pairs).difference
