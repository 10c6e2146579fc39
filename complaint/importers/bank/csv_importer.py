"""The machinery of declared CSV bank importers: one :class:`CsvImporter` reads any export a
:class:`~complaint.importers.bank.spec.CsvSpec` declares.

It does the work once for every bank: decoding (encoding candidates, BOM, CR-only endings via
:func:`complaint.importers.textio.read_table`), finding the header after a preamble, per-row
parsing with physical line numbers, rejected rows as :class:`~complaint.records.Issue`, and the
normalisation every bank transaction gets (:mod:`complaint.importers.bank.text`): card numbers
masked, structured communications, IBAN validation, payment-method guess, merchant recognition,
stable ids, running-balance proof.  Nothing but :class:`~complaint.errors.ComplaintError` leaves
:meth:`CsvImporter.extract`.  A bank module overrides the small hooks only (``prepare``,
``groups``, ``adjust``, ``refine_identify``).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from ...errors import ComplaintError, NotMyFormat, ParseError
from ...i18n import N_, _
from ...records import BalanceCheck, BankTxn, ImportResult, Issue, Provenance, StatementInfo, issue
from ..base import describe_error, ref_txn_id, stable_txn_id
from ..columnar import bankcsv
from ..columnar.readcsv import wants_columns
from ..textio import Row, Source, Table, read_table
from ..values import ValueParseError, parse_amount, parse_date, two_decimals
from . import roles as _roles
from . import text as _banktext
from .balance import check_balance, check_running_balances
from .spec import TEXT_TARGETS, Col, Context, CsvSpec, RowError, RowValues, norm_header

# A header recognised by its columns' roles only (no exact signature): below the declared banks;
# a matching fingerprint (BIC, IBAN bank code) adds 0.1, a contradicting one rules the bank out.
ROLE_CONFIDENCE = 0.7
ROLE_CONFIDENCE_BANK = 0.8


class CsvImporter:
    """An importer made from a :class:`CsvSpec`; subclasses override the small hooks only."""

    kind = "bank"

    def __init__(self, spec: CsvSpec):
        self.spec = spec
        self.name = spec.name
        self.label = spec.label

    # ---- identification

    def signature_score(self, cells: list[str]) -> float:
        have = {norm_header(c) for c in cells}
        for sig in self.spec.signatures:
            if all(norm_header(n) in have for n in sig):
                return self.spec.confidence
        return 0.0

    def header_score(self, cells: list[str]) -> float:
        """The declared header's confidence, else ROLE_CONFIDENCE for a header of a declared role order."""
        score = self.signature_score(cells)
        if not score and self.spec.role_orders and _roles.role_order(cells) in self.spec.role_orders:
            return ROLE_CONFIDENCE
        return score

    def fingerprint(self, lines: list[list[str]]) -> bool | None:
        """Whether the file's own account belongs to this bank: the BIC of the Belgian IBANs in the
        own-account column (or, without one, in the lines above the header), never a counterparty's.
        None when the spec declares no BIC or the file shows no own account."""
        if not self.spec.bics:
            return None
        at = next((i for i, cells in enumerate(lines) if self.header_score(cells)), None)
        if at is None:
            return None
        roles = _roles.header_roles(lines[at])
        own = [i for i, r in enumerate(roles) if r == "account"]
        if own:
            cells = [line[i] for line in lines[at + 1:] for i in own if i < len(line) and line[i].strip()]
            if len({"".join(c.split()).upper() for c in cells}) > 1:
                return None  # a column of several accounts is the counterparties', not the own account
        else:
            cells = [c for line in lines[:at] for c in line]
        bics, seen = _roles.bics_in(cells)
        if bics & set(self.spec.bics):
            return True
        return False if (bics or seen) else None

    def sniff(self, source: Source) -> tuple[float, list[list[str]]]:
        """Confidence plus the first lines split into cells (cheap: first 16 KB only)."""
        head = source.data[:16384]
        text = _decode_head(head)
        lines = [ln for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")[: self.spec.sniff_lines]]
        split = [_split_simple(ln, self.spec.delimiter) for ln in lines]
        return max((self.header_score(cells) for cells in split), default=0.0), split

    def identify(self, source: Source) -> float:
        score, lines = self.sniff(source)
        if score and not any(self.signature_score(cells) for cells in lines):
            # recognised by its columns' roles only: the bank's fingerprint decides
            known = self.fingerprint(lines)
            score = 0.0 if known is False else (ROLE_CONFIDENCE_BANK if known else score)
        return self.refine_identify(score, lines) if score else 0.0

    def refine_identify(self, score: float, lines: list[list[str]]) -> float:
        return score

    # ---- reading

    def read(self, source: Source) -> Table:
        last: ComplaintError | None = None
        for enc in self.spec.encodings:
            try:
                source.data.decode(enc)
            except (UnicodeDecodeError, LookupError):
                continue
            try:
                return read_table(source, delimiter=self.spec.delimiter, encoding=enc,
                                  header_predicate=lambda cells: self.header_score(cells) > 0)
            except ParseError as exc:
                last = exc
                break
        if last is not None:
            if "no header" in str(last):
                raise NotMyFormat(_("{file}: the header is not the documented {label} header; "
                                    "use the column-mapping step", file=source.name, label=self.label)) from last
            raise last
        raise ParseError(_("cannot be decoded as any of {encodings}", encodings=", ".join(self.spec.encodings)),
                         file=source.name)

    def find_columns(self, header: list[str]) -> list[tuple[Col, str, int]]:
        """Each declared column found in the header: (descriptor, header name, position)."""
        pos: dict[str, int] = {}
        for i, h in enumerate(header):
            pos.setdefault(norm_header(h), i)
        found = []
        roles = _roles.header_roles(header) if self.spec.role_orders else []
        taken: set[int] = set()
        for col in self.spec.columns:
            for n in col.names:
                if norm_header(n) in pos:
                    found.append((col, n, pos[norm_header(n)]))
                    taken.add(pos[norm_header(n)])
                    break
            else:  # a new wording of a column: found by its role
                at = next((i for i, r in enumerate(roles) if r == col.target and i not in taken), None)
                if at is not None:
                    found.append((col, header[at].strip(), at))
                    taken.add(at)
        return found

    def build_index(self, header: list[str]) -> dict[str, list[tuple[str, int]]]:
        index: dict[str, list[tuple[str, int]]] = {}
        for col, name, i in self.find_columns(header):
            index.setdefault(col.target, []).append((name, i))
        return index

    def groups(self, rows: list[Row], ctx: Context) -> list[list[Row]]:
        """Data rows grouped into logical transactions (one row each unless overridden)."""
        return [[r] for r in rows]

    def prepare(self, ctx: Context) -> None:
        """Read whatever the preamble says (account, balances) into ``ctx``."""

    def adjust(self, values: RowValues, group: list[Row], ctx: Context) -> RowValues:
        """Bank-specific touches on one parsed row (original currency, card number...)."""
        return values

    def reads_columns(self) -> bool:
        """Whether the columnar path runs this importer's hooks exactly: it runs ``read``,
        ``prepare`` and ``adjust``; an importer overriding another step (``groups``, which makes one
        transaction of several lines) keeps the record path."""
        cls = type(self)
        return all(getattr(cls, name) is getattr(CsvImporter, name)
                   for name in ("groups", "parse_row", "finish", "balance", "_communication", "_counterparty_account",
                                "cell", "date_cell", "amount_cell", "extract"))

    adjust_coded = None  # a bank's adjust for columns: (texts: target -> Coded, extra) -> texts

    def adjust_rows(self, extra: dict, texts: dict, n: int):
        """On the columnar path: the rows ``adjust`` may change (a numpy bool mask over the ``n``
        rows, from the parsed ``extra`` and ``texts`` columns), None for every row.  A bank whose
        hook only touches some rows says which, so the others are not turned into RowValues."""
        return None

    # ---- extraction

    def extract(self, source: Source, *, columnar: bool | None = None) -> ImportResult:
        """The ImportResult of ``source``; a large file (or ``columnar=True``) is read into
        columns (:mod:`complaint.importers.columnar.bankcsv`), with the same result."""
        try:
            if wants_columns(source, columnar) and self.reads_columns():
                raw = bankcsv.raw_columns(self, source, own_reader=type(self).read is not CsvImporter.read)
                if raw is not None:
                    return bankcsv.extract_columns(self, source, raw, hook=type(self).adjust is not CsvImporter.adjust)
            return self._extract(source)
        except ComplaintError:
            raise
        except (ValueError, TypeError, IndexError, KeyError, ArithmeticError, UnicodeError) as exc:
            raise ParseError(_("cannot be read as {label}: {error}", label=self.label, error=describe_error(exc)),
                             file=source.name) from exc

    def _extract(self, source: Source) -> ImportResult:
        table = self.read(source)
        ctx = Context(source, table, self.build_index(table.header), cols=self.find_columns(table.header))
        missing = [c for c in self.spec.columns if c.required and c.target not in ctx.index]
        if missing:
            raise NotMyFormat(_("{file}: column {column} is missing; use the column-mapping step",
                                file=source.name, column=missing[0].names[0]))
        self.prepare(ctx)
        rejected: list[Issue] = []
        parsed: list[RowValues] = []
        groups = self.groups(table.rows, ctx)
        for group in groups:
            try:
                values = self.parse_row(group[0], ctx)
                values = self.adjust(values, group, ctx)
                if values is None:
                    continue  # the hook put it in ctx.skipped
                parsed.append(values)
            except RowError as err:
                rejected.append(issue(source.name, group[0].line_no, err.reason, field=err.field_name,
                                      value=err.value, **err.args_))
            except (ValueError, ArithmeticError, IndexError, KeyError, TypeError) as exc:
                rejected.append(issue(source.name, group[0].line_no, N_("row cannot be read: {error}"),
                                      error=exc))
        records = self.finish(parsed, ctx)
        statement, check = self.balance(parsed, records, ctx)
        return ImportResult(
            file=source.name, importer=self.name, kind="bank", sha256=source.sha256, records=tuple(records),
            rejected=tuple(rejected), warnings=tuple(ctx.warnings), rows_total=len(groups),
            rows_imported=len(records), skipped=tuple(ctx.skipped), statement=statement, balance_check=check,
        )

    def cell(self, row: Row, ctx: Context, target: str) -> list[tuple[str, str]]:
        out = []
        for name, i in ctx.index.get(target, []):
            raw = row.cells[i] if i < len(row.cells) else ""
            out.append((name, raw.strip()))
        return out

    def parse_row(self, row: Row, ctx: Context) -> RowValues:
        v = RowValues(line=row.line_no)
        debit = credit = None
        for col, name, i in ctx.cols:
            raw = (row.cells[i] if i < len(row.cells) else "").strip()
            if col.kind == "date":
                if not raw:
                    if col.required:
                        raise RowError(name, raw, N_("the date is empty"))
                    continue
                setattr(v, col.target, self.date_cell(name, raw, col.fmts))
            elif col.kind in ("amount", "debit", "credit", "decimal"):
                value = self.amount_cell(name, raw)
                if col.kind == "debit":
                    debit = value
                elif col.kind == "credit":
                    credit = value
                elif col.kind == "decimal":
                    v.extra[col.target] = value
                else:
                    setattr(v, col.target, value)
            elif col.target in TEXT_TARGETS:
                text = _banktext.clean_text(raw)
                if text:
                    old = v.texts.get(col.target)
                    v.texts[col.target] = f"{old} {text}" if old and text not in old else (old or text)
            else:
                v.extra[col.target] = _banktext.clean_text(raw)
        if v.amount is None and (debit is not None or credit is not None):
            v.amount = (abs(credit) if credit else Decimal(0)) - (abs(debit) if debit else Decimal(0))
        if v.amount is None and "amount" in ctx.index:
            name = ctx.index["amount"][0][0]
            raise RowError(name, "", N_("the amount is empty"))
        return v

    def date_cell(self, name: str, raw: str, fmts: tuple[str, ...]) -> date:
        """A date cell read with the first format that fits; RowError names the cell otherwise."""
        for fmt in fmts:
            try:
                return parse_date(raw, fmt)
            except ValueParseError:
                continue
        raise RowError(name, raw, N_("{text} is not a date ({expected})"), text=raw,
                       expected=" / ".join(f.replace("%d", "dd").replace("%m", "mm").replace("%Y", "yyyy")
                                           for f in fmts))

    def amount_cell(self, name: str, raw: str) -> Decimal | None:
        """An amount cell with the export's decimal mark (inferred for a cell written otherwise)."""
        try:
            return parse_amount(raw, self.spec.decimal) if self.spec.decimal else parse_amount(raw)
        except ValueParseError:
            # a file mixing styles (`-2.720,12` in a dot-decimal export): infer for this cell
            try:
                return parse_amount(raw)
            except ValueParseError:
                raise RowError(name, raw, N_("{text} is not an amount"), text=raw) from None

    # ---- normalisation and ids

    def finish(self, parsed: list[RowValues], ctx: Context) -> list[BankTxn]:
        source = ctx.source
        seen: dict[tuple, int] = {}
        out: list[BankTxn] = []
        for v in parsed:
            t = v.texts
            currency = (t.get("currency") or self.spec.default_currency).upper()
            if not re.fullmatch(r"[A-Z]{3}", currency):
                ctx.warnings.append(issue(source.name, v.line, N_("{text} is not a currency code; {default} assumed"),
                                          field="currency", value=currency, severity="warning", text=currency,
                                          default=self.spec.default_currency))
                currency = self.spec.default_currency
            account = _banktext.compact_account(t.get("account") or ctx.account)
            description, card = _banktext.mask_cards(t.get("description"))
            card = _banktext.mask_card_number(v.card) if v.card else card
            communication, comm_card = _banktext.mask_cards(t.get("communication"))
            card = card or comm_card
            communication, desc_ogm = self._communication(communication, description, v, ctx)
            cp_account = self._counterparty_account(t.get("counterparty_account"), v, ctx)
            full_text = " ".join(x for x in (t.get("counterparty"), description, communication) if x)
            method = v.payment_method or self.spec.payment_method or _banktext.guess_payment_method(full_text)
            ref = t.get("bank_reference")
            if ref and self.spec.ref_is_unique:
                # a reference seen twice in one file is not unique: keep both rows apart
                rank = seen.get(("ref", ref), 0)
                seen[("ref", ref)] = rank + 1
                txn_id = ref_txn_id(self.spec.family, account, ref if rank == 0 else f"{ref}#{rank}")
            else:
                key = (account, v.booking_date, v.value_date, v.amount, currency, description, communication,
                       t.get("counterparty"), ref)
                rank = seen.get(key, 0)
                seen[key] = rank + 1
                txn_id = stable_txn_id(self.spec.family, *key, occurrence=rank)
            amount, original = two_decimals(v.amount), two_decimals(v.original_amount)
            txn = BankTxn(
                id=txn_id, booking_date=v.booking_date, amount=amount, currency=currency,
                value_date=v.value_date, account=account, counterparty=t.get("counterparty"),
                counterparty_account=cp_account, description=description, communication=communication,
                bank_reference=ref, original_amount=original, original_currency=v.original_currency,
                fx_rate=v.fx_rate, card_masked=card, payment_method=method,
                provenance=Provenance(source.name, source.sha256, self.name, v.line),
            )
            out.append(_banktext.recognise(txn))
        return out

    def _communication(self, communication, description, v: RowValues, ctx: Context):
        if not communication:
            # one-text exports (BNPPF v1, Belfius) carry the +++...+++ inside the description
            return _banktext.find_structured(description), None
        norm, bad = _banktext.structured_communication(communication)
        if bad:
            ctx.warnings.append(issue(ctx.source.name, v.line, N_("structured communication {text} has a wrong check number"),
                                      field="communication", value=bad, severity="warning", text=bad))
        return norm, None

    def _counterparty_account(self, raw: str | None, v: RowValues, ctx: Context) -> str | None:
        value, problem = _banktext.validate_iban(raw)
        if problem:
            ctx.warnings.append(issue(ctx.source.name, v.line, N_("counterparty account {text} is not a valid IBAN ({error}); kept as text"),
                                      field="counterparty_account", value=raw, severity="warning", text=raw,
                                      error=problem))
        return value

    # ---- balances

    def balance(self, parsed: list[RowValues], records: list[BankTxn], ctx: Context) -> tuple[StatementInfo | None, BalanceCheck]:
        running = [(v.amount, v.balance, v.booking_date) for v in parsed if v.balance is not None]
        currency = records[0].currency if records else self.spec.default_currency
        account = records[0].account if records else ctx.account
        if running and len(running) == len(parsed) and len(running) >= 2:
            statement, check = running_balance_proof(running, account, currency)
            return statement, check
        statement = ctx.statement
        if statement is not None:
            return statement, check_balance(statement, records)
        return None, BalanceCheck("not-available")


def running_balance_proof(rows: list[tuple[Decimal, Decimal, date]], account: str | None,
                          currency: str) -> tuple[StatementInfo, BalanceCheck]:
    """Opening/closing balances and the proof from per-row running balances, in whichever order
    (oldest or newest first) the export lists them; the order the dates show is tried first."""
    forward = list(rows)
    backward = list(reversed(rows))
    newest_first = rows[0][2] > rows[-1][2]
    attempts = [backward, forward] if newest_first else [forward, backward]
    result = None
    for candidate in attempts:
        check = check_running_balances([(a, b) for a, b, _d in candidate])
        if result is None or check.status == "ok":
            first, last = candidate[0], candidate[-1]
            statement = StatementInfo(account, currency, opening_balance=first[1] - first[0], opening_date=first[2],
                                      closing_balance=last[1], closing_date=last[2])
            result = (statement, check)
        if check.status == "ok":
            break
    return result


def _decode_head(head: bytes) -> str:
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start > len(head) - 4:  # cut in the middle of a character
            return head[: exc.start].decode("utf-8", "replace")
        return head.decode("cp1252", "replace")


def _split_simple(line: str, delimiter: str) -> list[str]:
    return [c.strip().strip('"') for c in line.split(delimiter)]
