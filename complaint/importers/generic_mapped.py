"""The generic CSV/XLSX importer: any table, read through a column :class:`~complaint.importers.mapping.Mapping`.

Shared by orders and bank statements: :func:`extract_mapped` produces Orders or BankTxns.
The two registered importers (``orders.generic_mapped`` and ``bank.generic_mapped``) are
``automatic = False``: ``detect()`` never picks them; the user (or a bank importer for an
unknown Crelan/Keytrade-like layout) chooses them, with a mapping proposed from the header names
when none is given.

Options (strings, stored in the profile): ``date_format`` (strptime, else common layouts),
``dayfirst`` ("true"/"false", default true: Belgian dd/mm), ``decimal`` ("," or ".", default
inferred per cell), ``encoding``, ``delimiter``, ``sheet`` (XLSX), ``currency`` (used when no
currency column is mapped).

Orders: one row per item or per order.  When ``unit_price`` is mapped, the order total is the
sum of unit price x quantity (+ ``shipping`` when mapped); otherwise a mapped ``total`` is taken
as the order's total (the first row of the order gives it).  Bank: ``amount`` (signed) or
``debit``/``credit`` columns (a debit is money out whatever its sign in the file); ids from the
bank reference when mapped, else from the content and its rank among identical rows.
"""

from __future__ import annotations

from collections.abc import Mapping as MappingABC
from dataclasses import replace
from decimal import Decimal

from ..errors import ParseError
from ..i18n import N_, _
from ..records import BankTxn, ImportResult, Issue, OrderLine, Provenance, issue
from .bank import text as _banktext
from .base import ref_txn_id, register, stable_txn_id
from .mapping import Mapping, propose_mapping
from .orders import common as _orders
from .orders.status import classify
from .textio import Source, Table, read_table
from .values import ValueParseError, currency_in, parse_amount, parse_date
from .xlsx import looks_like_xlsx, read_sheet


def read_any_table(source: Source, options: MappingABC[str, str] | None = None) -> Table:
    """A CSV/TSV (encoding and delimiter detected unless given) or an XLSX sheet."""
    opts = dict(options or {})
    if looks_like_xlsx(source):
        return read_sheet(source, opts.get("sheet") or None)
    return read_table(source, encoding=opts.get("encoding") or None, delimiter=_delim(opts.get("delimiter")))


def _delim(value: str | None) -> str | None:
    if not value:
        return None
    return {"tab": "\t", "\\t": "\t", "semicolon": ";", "comma": ","}.get(value.lower(), value)


class _Cells:
    def __init__(self, table: Table, mapping: Mapping, source: Source):
        idx = {h.strip().lower(): i for i, h in enumerate(table.header)}
        missing_cols = [c for c in mapping.columns.values() if c and c.strip().lower() not in idx]
        if missing_cols:
            raise ParseError(_("the mapping names columns that are not in the file: {columns}",
                               columns=", ".join(missing_cols)), file=source.name, line=table.header_line)
        if mapping.missing():
            raise ParseError(_("the mapping has no column for: {fields}", fields=", ".join(mapping.missing())),
                             file=source.name)
        self.pos = {f: idx[c.strip().lower()] for f, c in mapping.columns.items() if c}

    def get(self, cells: list[str], target: str) -> str:
        i = self.pos.get(target)
        return cells[i].strip() if i is not None and i < len(cells) else ""


def extract_mapped(source: Source, mapping: Mapping, options: MappingABC[str, str] | None = None) -> ImportResult:
    """Read ``source`` through ``mapping``; ``options`` override the mapping's own options."""
    opts = {**mapping.options, **dict(options or {})}
    table = read_any_table(source, opts)
    cells = _Cells(table, mapping, source)
    if mapping.kind == "orders":
        return _orders_from(source, table, cells, opts)
    return _bank_from(source, table, cells, opts)


def _date(text: str, opts: dict) -> object:
    day = parse_date(text, opts.get("date_format") or None,
                     dayfirst=str(opts.get("dayfirst", "true")).lower() != "false")
    if day is None:
        raise ValueParseError(_("the date is empty"))
    return day


def _amount(text: str, opts: dict) -> Decimal | None:
    return parse_amount(text, opts.get("decimal") or None)


def _orders_from(source: Source, table: Table, c: _Cells, opts: dict) -> ImportResult:
    name, importer = source.name, ImporterOrders.name
    asm = _orders.OrderAssembler(source, importer)
    rejected: list[Issue] = []
    imported = 0
    for row in table.rows:
        get = lambda f, cells=row.cells: c.get(cells, f)  # noqa: E731
        field = "order_id"
        try:
            order_id = _orders.clean_order_id(get("order_id"))
            field = "order_date"
            day = _date(get("order_date"), opts)
            field = "quantity"
            qty = _orders.quantity(get("quantity"), default=1)
            field = "unit_price"
            price = _amount(get("unit_price"), opts)
            field = "total"
            total = _amount(get("total"), opts)
            field = "shipping"
            shipping = _amount(get("shipping"), opts)
            field = "paid_amount"
            paid = _amount(get("paid_amount"), opts)
        except ValueParseError as exc:
            rejected.append(issue(name, row.line_no, N_("{error}"), field=field, value=get(field), error=exc))
            continue
        currency = (get("currency").upper() or opts.get("currency", "").upper()
                    or currency_in(get("unit_price")) or currency_in(get("total")) or None)
        title = get("title")
        line = OrderLine(order_id=order_id, title=title, quantity=qty, unit_price=price, currency=currency,
                         line_id=get("line_id") or None,
                         provenance=_orders.provenance(source, importer, row.line_no))
        if not line.key:
            line = replace(line, line_id=f"row{row.line_no}")
        fields = {"store": get("store") or None, "shipping": shipping, "paid_amount": paid,
                  "tracking_number": get("tracking_number") or None}
        if "unit_price" not in c.pos:
            fields["total"] = total
        asm.add(order_id, day, classify(get("status")), currency, line, line_no=row.line_no, **fields)
        imported += 1
    return _orders.result(source, importer, asm.orders(), rows_total=len(table.rows), rows_imported=imported,
                          rejected=rejected, warnings=asm.warnings)


def _bank_from(source: Source, table: Table, c: _Cells, opts: dict) -> ImportResult:
    name, importer = source.name, ImporterBank.name
    rejected: list[Issue] = []
    warnings: list[Issue] = []
    out: list[BankTxn] = []
    seen: dict[tuple, int] = {}
    for row in table.rows:
        get = lambda f, cells=row.cells: c.get(cells, f)  # noqa: E731
        field = "booking_date"
        try:
            booking = _date(get("booking_date"), opts)
            field = "value_date"
            value_date = _date(get("value_date"), opts) if get("value_date") else None
            field = "amount"
            amount = _amount(get("amount"), opts)
            if amount is None:
                field = "debit"
                debit = _amount(get("debit"), opts)
                field = "credit"
                credit = _amount(get("credit"), opts)
                if debit is None and credit is None:
                    raise ValueParseError(_("no amount"))
                amount = (credit or Decimal(0)) - abs(debit or Decimal(0))
        except ValueParseError as exc:
            rejected.append(issue(name, row.line_no, N_("{error}"), field=field, value=get(field), error=exc))
            continue
        currency = (get("currency") or opts.get("currency") or "").strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            rejected.append(issue(name, row.line_no, N_("no currency: map a currency column or set the currency "
                                                        "option"), field="currency", value=currency))
            continue
        account = _banktext.compact_account(get("account") or None)
        description, card = _banktext.mask_cards(get("description") or None)
        communication, card2 = _banktext.mask_cards(get("communication") or None)
        if communication:
            norm, _bad = _banktext.structured_communication(communication)
            communication = norm or communication
        else:
            communication = _banktext.find_structured(description)
        cp_account, problem = _banktext.validate_iban(get("counterparty_account") or None)
        if problem:
            warnings.append(issue(name, row.line_no, N_("counterparty account {value} is not a valid IBAN "
                                                        "({error}); kept as text"),
                                  field="counterparty_account", value=get("counterparty_account"),
                                  severity="warning", error=problem))
        counterparty = get("counterparty") or None
        ref = get("bank_reference") or None
        if ref:
            rank = seen.get(("ref", ref), 0)
            seen[("ref", ref)] = rank + 1
            txn_id = ref_txn_id("generic", account, ref if rank == 0 else f"{ref}#{rank}")
        else:
            key = (account, booking, value_date, amount, currency, description, communication, counterparty)
            rank = seen.get(key, 0)
            seen[key] = rank + 1
            txn_id = stable_txn_id("generic", *key, occurrence=rank)
        full = " ".join(x for x in (counterparty, description, communication) if x)
        txn = BankTxn(id=txn_id, booking_date=booking, amount=amount, currency=currency, value_date=value_date,
                      account=account, counterparty=counterparty, counterparty_account=cp_account,
                      description=description, communication=communication, bank_reference=ref,
                      card_masked=card or card2, payment_method=_banktext.guess_payment_method(full),
                      provenance=Provenance(name, source.sha256, importer, row.line_no))
        out.append(_banktext.recognise(txn))
    return ImportResult(file=name, importer=importer, kind="bank", sha256=source.sha256, records=tuple(out),
                        rejected=tuple(rejected), warnings=tuple(warnings), rows_total=len(table.rows),
                        rows_imported=len(out))


class _Generic:
    automatic = False
    kind = "orders"
    name = ""

    def identify(self, source: Source) -> float:
        return 0.0  # never detected: chosen by the user

    def propose(self, source: Source, options: MappingABC[str, str] | None = None) -> tuple[Mapping, Table]:
        table = read_any_table(source, options)
        return propose_mapping(table.header, self.kind), table

    def extract(self, source: Source, mapping: Mapping | None = None, **options: str) -> ImportResult:
        opts = {k: v for k, v in options.items() if v}
        if mapping is None:
            mapping, _table = self.propose(source, opts)
        if mapping.kind != self.kind:
            raise ParseError(_("this mapping is for {kind} files", kind=mapping.kind), file=source.name)
        return extract_mapped(source, mapping, opts)


class ImporterOrders(_Generic):
    name = "orders.generic_mapped"
    kind = "orders"
    label = N_("Any CSV/XLSX of orders, with a column mapping")


class ImporterBank(_Generic):
    name = "bank.generic_mapped"
    kind = "bank"
    label = N_("Any CSV/XLSX bank statement, with a column mapping")


register(ImporterOrders())
register(ImporterBank())
