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
from ..textio import Row, Source
from ..values import two_decimals
from . import cells
from .readcsv import RawTable, from_table, read_columns
from .tables import BankColumns, IdRecipe, LazyRecords

_CARD_PREFILTER = r"\p{Nd}{4}[ -]?[\p{Nd}Xx*]{4}[ -]?[\p{Nd}Xx*]{4}[ -]?\p{Nd}{4}"
_OGM_PREFILTER = r"^[^\pL]*$|\+\+\+|\*\*\*"
_FIND_OGM_PREFILTER = r"\+\+\+|\*\*\*"
_MERCHANT_WORDS = ("ali", "paypal")  # every default merchant rule needs one of them


def raw_columns(imp, source: Source, *, own_reader: bool = False) -> RawTable | None:
    """The file's cells as columns the way ``imp.read`` would find them, or None.  ``own_reader``:
    the importer reads its files itself (an XLSX sheet), through the record machinery."""
    if own_reader:
        return from_table(imp.read(source))
    predicate = lambda cells_: imp.header_score(cells_) > 0  # noqa: E731
    if source.data.isascii() and imp.spec.encodings:  # any candidate encoding reads it: the first is used
        return read_columns(source, delimiter=imp.spec.delimiter, decoded=(None, imp.spec.encodings[0]),
                            header_predicate=predicate)
    for enc in imp.spec.encodings:
        try:
            text = source.data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        return read_columns(source, delimiter=imp.spec.delimiter, decoded=(text, enc), header_predicate=predicate)
    return None


@dataclass
class _Rows:
    """The parsed columns of every data row (``CsvImporter.parse_row`` for all rows at once)."""

    n: int
    line: np.ndarray
    dates: dict[str, pa.Array] = field(default_factory=dict)  # booking_date, value_date
    amounts: dict[str, pa.Array] = field(default_factory=dict)  # amount, balance: decimal text (as parsed)
    texts: dict[str, cells.Coded] = field(default_factory=dict)
    extra: dict[str, object] = field(default_factory=dict)  # target -> array (text) or list (Decimal)
    more: dict[str, dict[int, object]] = field(default_factory=dict)  # set by a hook: row -> value (original_amount...)
    error: dict[int, Issue] = field(default_factory=dict)
    dropped: set = field(default_factory=set)  # rows a hook skipped
    cents: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)  # amount/balance: (cents, exact)

    def fail(self, rows, make) -> None:
        for r in rows:
            if r not in self.error:
                self.error[r] = make(r)


def extract_columns(imp, source: Source, raw: RawTable, *, hook: bool = False) -> ImportResult:
    """``imp.extract(source)``, through columns; ``hook``: the importer has an ``adjust`` hook."""
    ctx = Context(source, raw.table(), imp.build_index(raw.header), cols=imp.find_columns(raw.header))
    missing = [c for c in imp.spec.columns if c.required and c.target not in ctx.index]
    if missing:
        raise NotMyFormat(_("{file}: column {column} is missing; use the column-mapping step",
                            file=source.name, column=missing[0].names[0]))
    imp.prepare(ctx)
    rows = _parse(imp, source, raw, ctx)
    _adjust(imp, source, raw, ctx, rows, hook)
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
        if empty.all():  # a column the export leaves empty (KBC's credit/debet...): no value anywhere
            _empty_column(col, name, rows, source, lines, n)
            continue
        if col.kind == "date":
            if col.required and empty.any():
                rows.fail(np.flatnonzero(empty).tolist(), lambda r, name=name: _row_error(
                    source, lines[r], RowError(name, "", N_("the date is empty"))))
            rows.dates[col.target] = _distinct_values(
                cell, ~empty, lambda s, name=name, col=col: imp.date_cell(name, s, col.fmts), pa.date32(), rows,
                source, lines)
        elif col.kind in ("amount", "debit", "credit", "decimal"):
            value, cents = _amounts(imp, name, cell, empty, rows, source, lines)
            if col.kind == "amount":
                rows.cents[col.target] = cents
            if col.kind == "debit":
                debit = value
            elif col.kind == "credit":
                credit = value
            elif col.kind == "decimal":
                rows.extra[col.target] = value
            else:
                rows.amounts[col.target] = value
        elif col.target in TEXT_TARGETS:
            coded = cells.Coded.of(cell)
            text = coded.with_values(cells.clean_text(coded.values))
            old = rows.texts.get(col.target)
            rows.texts[col.target] = text if old is None else _join_texts(old, text)
        else:
            rows.extra[col.target] = cells.clean_text(cell)
    amount = rows.amounts.get("amount")
    if debit is not None or credit is not None:
        amount = _debit_credit(amount, debit, credit, n)
        rows.cents.pop("amount", None)
    if amount is None:
        amount = pa.nulls(n, pa.string())
    if "amount" in ctx.index:
        gone = np.asarray(pc.is_null(amount).to_numpy(zero_copy_only=False), dtype=bool)
        name = ctx.index["amount"][0][0]
        rows.fail(np.flatnonzero(gone).tolist(), lambda r: _row_error(
            source, lines[r], RowError(name, "", N_("the amount is empty"))))
    rows.amounts["amount"] = amount
    for target in TEXT_TARGETS:
        rows.texts.setdefault(target, cells.Coded.nulls(n))
    rows.dates.setdefault("booking_date", pa.nulls(n, pa.date32()))
    rows.dates.setdefault("value_date", pa.nulls(n, pa.date32()))
    rows.amounts.setdefault("balance", pa.nulls(n, pa.string()))
    return rows


def _empty_column(col, name: str, rows: _Rows, source: Source, lines: list[int], n: int) -> None:
    if col.kind == "date":
        if col.required:
            rows.fail(range(n), lambda r: _row_error(source, lines[r], RowError(name, "", N_("the date is empty"))))
        rows.dates[col.target] = pa.nulls(n, pa.date32())
    elif col.kind in ("amount", "decimal") and col.target not in TEXT_TARGETS:
        (rows.extra if col.kind == "decimal" else rows.amounts)[col.target] = pa.nulls(n, pa.string())
    elif col.kind in ("debit", "credit"):
        pass  # an empty debit or credit column gives no amount
    elif col.target in TEXT_TARGETS:
        rows.texts.setdefault(col.target, cells.Coded.nulls(n))
    else:
        rows.extra[col.target] = pa.nulls(n, pa.string())


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
    """(The cell's value as ``imp._amount`` reads it, as decimal text (null when empty); its cents
    and where they are exact: the fast-path rows)."""
    fast, text = cells.fast_decimals(cell, imp.spec.decimal, stripped=True)
    units, two = cells.fast_units(text, fast)
    cents = (units, fast, two)
    slow = ~fast & ~empty
    out = pc.if_else(pa.array(fast), text, pa.scalar(None, pa.string())) if not fast.all() else text
    if slow.any():
        sub = np.flatnonzero(slow)
        parsed = _distinct_values(cell.take(pa.array(sub)), np.ones(len(sub), dtype=bool),
                                  lambda s: str(imp.amount_cell(name, s)), pa.string(), _Sub(rows, sub), source,
                                  [lines[r] for r in sub])
        out = cells.replace_rows(out, sub, parsed)
    return out, cents


class _Sub:
    """A _Rows seen through a selection of its rows (errors land on the right row)."""

    def __init__(self, rows: _Rows, sub: np.ndarray):
        self.rows, self.sub = rows, sub

    def fail(self, local, make) -> None:
        self.rows.fail([int(self.sub[r]) for r in local], lambda r, inv=dict(zip(self.sub.tolist(), range(len(
            self.sub)), strict=True)): make(inv[r]))


def _join_texts(old: cells.Coded, new: cells.Coded) -> cells.Coded:
    """Several columns of one text target: ``old new``, unless ``new`` is already inside ``old``."""
    combos, codes = cells.combine([old, new])

    def join(a, b):
        if b is None:
            return a
        if a is None:
            return b
        return a if b in a else f"{a} {b}"

    values = pa.array([join(a, b) for a, b in combos] + [None], pa.string())
    return cells.Coded(values, codes)


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


def _adjust(imp, source: Source, raw: RawTable, ctx: Context, rows: _Rows, hook: bool) -> None:
    for key in _MORE:
        rows.more[key] = {}
    if not hook:
        return
    coded = getattr(imp, "adjust_coded", None)
    if coded is not None:  # the bank's hook, written for columns
        rows.texts = coded(rows.texts, rows.extra)
        return
    chosen = imp.adjust_rows(rows.extra, {k: v.arrow() for k, v in rows.texts.items()}, rows.n)
    todo = [r for r in (range(rows.n) if chosen is None else np.flatnonzero(chosen).tolist()) if r not in rows.error]
    if not todo:
        return
    sel = pa.array(todo)
    dates = {k: v.take(sel).to_pylist() for k, v in rows.dates.items()}
    amounts = {k: v.take(sel).to_pylist() for k, v in rows.amounts.items()}
    texts = {k: v.take(todo).arrow().to_pylist() for k, v in rows.texts.items()}
    extra = {k: (v.take(sel).to_pylist()) for k, v in rows.extra.items()}
    decimals = {c.target for c, _n, _i in ctx.cols if c.kind == "decimal"}
    changed: dict[str, dict[int, object]] = {}
    cells_of = [c.take(sel).to_pylist() for c in raw.columns]  # the hook's rows, read in bulk
    for j, r in enumerate(todo):
        v = RowValues(line=int(rows.line[r]), booking_date=dates["booking_date"][j], value_date=dates["value_date"][j],
                      amount=_decimal(amounts["amount"][j]), balance=_decimal(amounts["balance"][j]),
                      texts={k: t[j] for k, t in texts.items() if t[j] is not None},
                      extra={k: (_decimal(x[j]) if k in decimals else x[j]) for k, x in extra.items()})
        before = (v.booking_date, v.value_date, v.amount, v.balance, dict(v.texts))
        try:
            out = imp.adjust(v, [Row(int(rows.line[r]), [col[j] for col in cells_of])], ctx)
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
        value = getattr(v, key)
        if value is not None:
            rows.more[key][r] = value


def _write_back(rows: _Rows, key: str, values: dict[int, object]) -> None:
    kind, name = key.split(":", 1)
    typ = pa.date32() if kind == "date" else pa.string()
    conv = (lambda x: None if x is None else str(x)) if kind == "amount" else (lambda x: x)
    target = sorted(values)
    new = pa.array([conv(values[r]) for r in target], typ)
    if kind == "text":
        old = rows.texts[name].arrow() if name in rows.texts else pa.nulls(rows.n, typ)
        rows.texts[name] = cells.Coded.of(cells.replace_rows(old, np.array(target, dtype=np.int64), new))
        return
    if kind == "amount":
        rows.cents.pop(name, None)
    store = rows.dates if kind == "date" else rows.amounts
    store[name] = cells.replace_rows(store.get(name, pa.nulls(rows.n, typ)), np.array(target, dtype=np.int64), new)


# -- finish, a column at a time ---------------------------------------------------------------------

def _finish(imp, source: Source, ctx: Context, rows: _Rows, ok: np.ndarray) -> tuple[BankColumns, list[Issue]]:
    """``CsvImporter.finish`` on the imported rows ``ok``: the text work once per distinct value
    (or combination of values), spread to the rows through their codes."""
    spec = imp.spec
    sel = pa.array(ok)
    m = len(ok)
    lines = rows.line[ok]
    t = {k: v.take(ok) for k, v in rows.texts.items()}
    more = {k: _sparse(v, ok, m) for k, v in rows.more.items()}
    warn: list[tuple[int, int, Issue]] = []
    # currency: the column's (upper case), else the default; a non-code is replaced, with a remark
    cur = t["currency"].map(str.upper)
    cur_values = cur.values.to_pylist()
    bad = [i for i, c in enumerate(cur_values) if c is not None
           and not (len(c) == 3 and c.isascii() and c.isalpha() and c.isupper())]
    currency_values = [spec.default_currency if (i in bad or c is None) else c for i, c in enumerate(cur_values)]
    currency = cells.Coded(pa.array(currency_values, pa.string()), cur.codes)
    if bad:
        for j in np.flatnonzero(np.isin(cur.codes, bad)).tolist():
            text = cur_values[int(cur.codes[j])]
            warn.append((j, 0, issue(source.name, int(lines[j]), N_("{text} is not a currency code; {default} assumed"),
                                     field="currency", value=text, severity="warning", text=text,
                                     default=spec.default_currency)))
    # account
    acc = t["account"]
    if ctx.account is not None:
        acc = cells.Coded(pc.fill_null(acc.values, ctx.account), acc.codes)
    account = acc.map(_banktext.compact_account)
    # card numbers masked in the description and the communication
    description, desc_card = t["description"].map_pair(_banktext.mask_cards, _CARD_PREFILTER)
    communication, comm_card = t["communication"].map_pair(_banktext.mask_cards, _CARD_PREFILTER)
    card = desc_card.arrow()
    if comm_card.present().any():
        card = pc.if_else(pc.is_valid(card), card, comm_card.arrow())
    own = more["card"]
    if own is not None and any(own):
        own_arr = pa.array([c if c else None for c in own], pa.string())
        card = pc.if_else(pc.is_valid(own_arr), cells.per_distinct(own_arr, _banktext.mask_card_number, pa.string()),
                          card)
    # structured communication (with a remark when its check digits are wrong), else one found in the description
    norm, bad_ogm = communication.map_pair(_banktext.structured_communication, _OGM_PREFILTER)
    bad_rows = np.flatnonzero(bad_ogm.present())
    if len(bad_rows):
        bad_text = bad_ogm.values.to_pylist()
        for j in bad_rows.tolist():
            text = bad_text[int(bad_ogm.codes[j])]
            warn.append((j, 1, issue(source.name, int(lines[j]), N_("structured communication {text} has a wrong "
                                                                   "check number"), field="communication", value=text,
                                     severity="warning", text=text)))
    found = description.map(_banktext.find_structured, pa.string(), _FIND_OGM_PREFILTER, otherwise="null")
    has_comm = communication.present()
    communication = _choose(has_comm, norm, found)
    # counterparty account: a valid IBAN compact, anything else kept as typed (a remark if IBAN-like)
    cp = t["counterparty_account"]
    cp_account, problem = cp.map_pair(_banktext.validate_iban)
    bad_iban = np.flatnonzero(problem.present())
    if len(bad_iban):
        raw_cp, why = cp.values.to_pylist(), problem.values.to_pylist()
        for j in bad_iban.tolist():
            text = raw_cp[int(cp.codes[j])]
            warn.append((j, 2, issue(source.name, int(lines[j]), N_("counterparty account {text} is not a valid IBAN "
                                                                   "({error}); kept as text"),
                                     field="counterparty_account", value=text, severity="warning", text=text,
                                     error=why[int(problem.codes[j])])))
    counterparty = t["counterparty"]
    # one pass over the distinct (counterparty, description, communication): payment method and merchant
    amount_key = cells.plain(rows.amounts["amount"]).take(sel)
    cents = rows.cents.get("amount")
    # two_decimals: a value already written with two decimals is itself
    amount = amount_key if cents is not None and cents[2][ok].all() else _cents_text(amount_key)
    method, merchant, rule = by_text(counterparty, description, communication, amount, method=spec.payment_method)
    if more["payment_method"] is not None:
        own_method = pa.array(more["payment_method"], pa.string())
        method = pc.if_else(pc.is_valid(own_method), own_method, method)
    original = _cents_text(_texts(more["original_amount"], m)) if more["original_amount"] is not None else \
        pa.nulls(m, pa.string())
    booking = cells.plain(rows.dates["booking_date"]).take(sel)
    value_date = cells.plain(rows.dates["value_date"]).take(sel)
    ref = t["bank_reference"]
    columns = {
        "id": pa.nulls(m, pa.string()), "booking_date": booking, "amount": amount, "currency": currency.arrow(),
        "value_date": value_date, "account": account.arrow(), "counterparty": counterparty.arrow(),
        "counterparty_account": cp_account.arrow(), "description": description.arrow(),
        "communication": communication.arrow(), "bank_reference": ref.arrow(), "original_amount": original,
        "original_currency": _texts(more["original_currency"], m), "fx_rate": _texts(more["fx_rate"], m),
        "card_masked": card, "merchant": merchant, "merchant_rule": rule, "payment_method": method,
        "source_name": _constant(source.name, m), "source_sha256": _constant(source.sha256, m),
        "importer": _constant(imp.name, m), "line_no": pa.array(lines, pa.int64())}
    if "amount" in rows.cents and rows.cents["amount"][1][ok].all():
        columns["_cents"] = rows.cents["amount"][0][ok]
    same = pc.equal(amount_key, amount)
    columns["_id_amount"] = pc.if_else(pc.fill_null(same, True), pa.scalar(None, pa.string()), amount_key)
    columns["_id_rank"] = pa.array(_id_ranks(spec, columns, account, booking, amount, currency, description,
                                             communication, counterparty, ref), pa.int32())
    columns.pop("_cents", None)
    warn.sort(key=lambda w: (w[0], w[1]))
    return BankColumns(pa.table(columns), IdRecipe(spec.family, spec.ref_is_unique)), [w[2] for w in warn]


def _choose(first: np.ndarray, a: cells.Coded, b: cells.Coded) -> cells.Coded:
    """Per row, ``a``'s value where ``first`` else ``b``'s."""
    if first.all():
        return a
    if not first.any():
        return b
    return cells.Coded.of(pc.if_else(pa.array(first), a.arrow(), b.arrow()))


def _constant(value: str, m: int) -> pa.Array:
    return pa.DictionaryArray.from_arrays(pa.array(np.zeros(m, dtype=np.int32)), pa.array([value], pa.string()))


def by_text(counterparty: cells.Coded, description: cells.Coded, communication: cells.Coded, amount: pa.Array, *,
            method: str | None = None, guess: bool = True) -> tuple[pa.Array, pa.Array, pa.Array]:
    """(payment method, merchant, merchant rule) per row, each distinct statement text read once:
    ``guess_payment_method`` (unless ``method`` is given, or ``guess`` is False: no method) and
    ``merchants.recognise`` on ``counterparty description communication``."""
    combos, codes = cells.combine([counterparty, description, communication])
    texts = [" ".join(x for x in c if x) for c in combos]
    rules = merchants.active_rules()
    compiled = [(r.merchant, r.name, r.compiled()) for r in rules]
    arr = pa.array(texts, pa.string())
    if method or not guess:
        methods = [method] * len(texts)
    else:  # guess_payment_method: each pattern tried, in order, only on the texts holding its words
        methods = [None] * len(texts)
        open_ = np.ones(len(texts), dtype=bool)
        for method, pattern, words in _banktext.method_patterns():
            for k in np.flatnonzero(cells.matches(arr, cells.ci_words(*words)) & open_).tolist():
                if pattern.search(texts[k]):
                    methods[k] = method
                    open_[k] = False
    maybe = cells.matches(arr, cells.ci_words(*_MERCHANT_WORDS)) if len(rules) == len(merchants.DEFAULT_RULES) \
        else np.ones(len(texts), dtype=bool)
    found: list = [None] * len(texts)
    wording = np.zeros(len(texts) + 1, dtype=bool)
    for k in np.flatnonzero(maybe).tolist():
        for name_merchant, name, pattern in compiled:
            if pattern.search(texts[k]):
                found[k] = (name_merchant, name)
                wording[k] = bool(merchants.REFUND_WORDING.search(texts[k]))
                break
    m = len(codes)
    method = pa.array(methods, pa.string()).take(pa.array(codes)) if m else pa.array([], pa.string())
    merchant_v = pa.array([f[0] if f else None for f in found], pa.string())
    rule_v = pa.array([f[1] if f else None for f in found], pa.string())
    merchant = merchant_v.take(pa.array(codes)) if m else pa.array([], pa.string())
    rule = rule_v.take(pa.array(codes)) if m else pa.array([], pa.string())
    said = wording[codes]
    if said.any():
        credit = np.asarray(pc.fill_null(pc.greater(pc.cast(cells.plain(amount), pa.float64()), 0), False)
                            .to_numpy(zero_copy_only=False), dtype=bool)
        flag = said & credit
        if flag.any():
            rule = pc.if_else(pa.array(flag), pc.binary_join_element_wise(rule, "+refund-wording", ""), rule)
    return method, merchant, rule


def _id_ranks(spec, columns: dict, account, booking, amount, currency, description, communication, counterparty,
              ref) -> np.ndarray:
    """Each row's rank among the earlier rows of the file with the same id material: the same
    unique bank reference, else the same content (two identical movements on one day)."""
    m = len(booking)
    rank = np.zeros(m, dtype=np.int64)
    if not m:
        return rank
    use_ref = ref.present() & np.asarray(pc.fill_null(pc.not_equal(ref.arrow(), ""), False).to_numpy(
        zero_copy_only=False), dtype=bool) if spec.ref_is_unique else np.zeros(m, dtype=bool)
    if use_ref.any():
        rank[use_ref] = _cumcount(ref.codes[use_ref])
    content = ~use_ref
    if content.any():
        # identical rows have the same day and amount: only rows sharing those are compared in full
        day = pc.cast(booking, pa.int32()).to_numpy(zero_copy_only=False).astype(np.int64)
        cents = columns.get("_cents")
        if cents is not None:
            key = day * (1 << 20) + (cents % (1 << 20))  # equal rows share it; others seldom do
        else:
            amt = cells.Coded.of(amount)
            key = day * (len(amt.values) + 1) + amt.codes
        rows = np.flatnonzero(content)
        import pandas as pd

        dup = pd.Series(key[rows]).duplicated(keep=False).to_numpy()
        cand = rows[dup]
        if len(cand):
            parts = [c.take(cand) for c in (account, currency, description, communication, counterparty, ref)]
            parts += [cells.Coded.of(value_of(x, cand)) for x in (booking, amount, columns["value_date"])]
            _combos, codes = cells.combine(parts)
            rank[cand] = _cumcount(codes)
    return rank


def value_of(arr: pa.Array, rows: np.ndarray) -> pa.Array:
    return cells.plain(arr).take(pa.array(rows))


def _cumcount(codes: np.ndarray) -> np.ndarray:
    """Each position's rank among the earlier positions with the same code."""
    if not len(codes):
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(codes, kind="stable")
    sorted_codes = codes[order]
    start = np.concatenate([[True], sorted_codes[1:] != sorted_codes[:-1]])
    first = np.maximum.accumulate(np.where(start, np.arange(len(codes)), 0))
    rank = np.empty(len(codes), dtype=np.int64)
    rank[order] = np.arange(len(codes)) - first
    return rank


def _sparse(values: dict[int, object], ok: np.ndarray, m: int) -> list | None:
    """The hook-set values of the ``ok`` rows (sorted row numbers) as a list, None when no row has one."""
    if not values or not len(ok):
        return None
    rows = np.fromiter(values, dtype=np.int64, count=len(values))
    at = np.searchsorted(ok, rows)
    hit = (at < len(ok)) & (ok[np.minimum(at, len(ok) - 1)] == rows)
    out: list = [None] * m
    for r, j in zip(rows[hit].tolist(), at[hit].tolist(), strict=True):
        out[j] = values[r]
    return out


def _texts(values: list | None, m: int) -> pa.Array:
    if values is None:
        return pa.nulls(m, pa.string())
    return pa.array([None if x is None else str(x) for x in values], pa.string())


def _cents_text(key: pa.Array) -> pa.Array:
    """``two_decimals`` of each value: two decimals when that loses no digit (fast texts vectorised)."""

    key = cells.plain(key)
    fast = cells.matches(key, r"^-?[0-9]+(?:\.[0-9]{1,2})?$")
    out = cells.cents_text(key)
    slow = ~fast & np.asarray(pc.is_valid(key).to_numpy(zero_copy_only=False), dtype=bool)
    if slow.any():
        rows = np.flatnonzero(slow)
        out = cells.replace_rows(out, rows, cells.per_distinct(key.take(pa.array(rows)),
                                                               lambda s: str(two_decimals(Decimal(s))), pa.string()))
    return out


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
        amount = cells.plain(rows.amounts["amount"]).take(sel)
        days = cells.plain(rows.dates["booking_date"]).take(sel)
        units = None
        if "amount" in rows.cents and "balance" in rows.cents:
            (au, aok, _two), (bu, bok, _btwo) = rows.cents["amount"], rows.cents["balance"]
            if aok[ok].all() and bok[ok].all():
                units = (au[ok], bu[ok])
        return _running_proof(amount, balance, days, account, currency, units)
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


def _running_proof(amount: pa.Array, balance: pa.Array, days: pa.Array, account, currency, units=None):
    """``running_balance_proof`` on the rows' (amount as parsed, balance, booking date); ``units``:
    both columns in cents when the parse had them exactly."""
    n = len(amount)
    first_day, last_day = days[0].as_py(), days[n - 1].as_py()
    a_units, b_units = units if units is not None else _units(amount, balance)
    result = None
    for backward in ((True, False) if first_day > last_day else (False, True)):
        if a_units is not None:
            a, b = (a_units[::-1], b_units[::-1]) if backward else (a_units, b_units)
            if not (b[1:] - (b[:-1] + a[1:])).any():
                check = BalanceCheck("ok", Decimal("0.00"))
            else:
                check = _check_pairs(amount, balance, backward)
        else:
            check = _check_pairs(amount, balance, backward)
        if result is None or check.status == "ok":
            i0, i1 = (n - 1, 0) if backward else (0, n - 1)
            statement = StatementInfo(account, currency,
                                      opening_balance=Decimal(balance[i0].as_py()) - Decimal(amount[i0].as_py()),
                                      opening_date=days[i0].as_py(), closing_balance=Decimal(balance[i1].as_py()),
                                      closing_date=days[i1].as_py())
            result = (statement, check)
        if check.status == "ok":
            break
    return result


def _check_pairs(amount: pa.Array, balance: pa.Array, backward: bool) -> BalanceCheck:
    """``check_running_balances`` itself, on Decimals (a mismatch, or numbers the fast path cannot hold)."""
    pairs = [(Decimal(x), Decimal(y)) for x, y in zip(amount.to_pylist(), balance.to_pylist(), strict=True)]
    return check_running_balances(pairs[::-1] if backward else pairs)


def _units(amount: pa.Array, balance: pa.Array):
    """Both columns as int64 units at one scale, or (None, None) when a value does not fit."""
    scale = int(max(_frac(amount).max(initial=0), _frac(balance).max(initial=0)))
    if scale > 6:
        return None, None
    au, aok = cells.decimal_units(amount, scale)
    bu, bok = cells.decimal_units(balance, scale)
    if not (aok.all() and bok.all()):
        return None, None
    return au, bu
