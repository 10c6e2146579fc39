"""CODA (Febelfin "coded statement of account"): fixed-width records of 128 characters.

Record types read (positions 1-based, as read in the pycoda parser, https://github.com/acsone/pycoda
coda/parser.py, and php-coda-parser, https://github.com/wimverstuyf/php-coda-parser, checked
November 2026): 0 header, 1 old
balance, 21/22/23 movement parts, 31/32/33 information, 4 free message, 8 new balance, 9 trailer.
Amounts are 15 digits with 3 implied decimals and a sign digit (0 credit, 1 debit); dates DDMMYY.

Rows are movements (record 21 with its 22/23/3x continuations).  Details of a grouped movement
(detail number other than 0000) are listed in ``skipped``: their amount is already in the grouped
total.  A record that is not 128 characters long, of an unknown type, or a continuation without
its movement is a rejected row with its line number.  The trailer's record count and debit/credit
totals are verified; a difference becomes a warning naming both numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ...errors import ParseError
from ...i18n import N_, _
from ...limits import too_many_rows
from ...records import BankTxn, ImportResult, Issue, PaymentMethod, Provenance, StatementInfo, issue
from .. import base
from ..columnar.codacols import extract_coda
from ..columnar.readcsv import wants_columns
from ..textio import Source, normalise_newlines
from ..values import ValueParseError, parse_coda_date
from .statement import TxnIds, cents, check_balance, clean, combine_checks, finish, format_ogm, ogm_is_valid

NAME = "bank.coda"
RECORD_LEN = 128
_FAMILY_METHOD = {"01": PaymentMethod.BANK_TRANSFER, "02": PaymentMethod.BANK_TRANSFER,
                  "41": PaymentMethod.BANK_TRANSFER, "05": PaymentMethod.BANK_TRANSFER,
                  "04": PaymentMethod.DEBIT_CARD}


def cut(line: str, start: int, end: int) -> str:
    """Positions ``start``..``end``, 1-based and inclusive, as in the Febelfin tables."""
    return line[start - 1:end]


def coda_amount(sign: str, digits: str) -> Decimal:
    """15 digits with 3 implied decimals; sign ``0`` credit, ``1`` debit."""
    if sign not in ("0", "1") or not digits.isdigit():
        raise ValueParseError(_("{sign}'{digits}' is not a CODA amount", sign=sign, digits=digits))
    value = cents(Decimal(int(digits)).scaleb(-3))
    return -value if sign == "1" else value


SUPPORTED_VERSIONS = (b"1", b"2")


def check_version(source: Source) -> None:
    """Refuse a CODA file whose header (record 0, position 128: the version code, Febelfin CODA
    standard 2.6, https://www.febelfin.be/sites/default/files/2019-04/standard-coda-2.6-en.pdf, checked
    December 2026) names a version other than 1 or 2, rather than import it as an empty statement."""
    first = source.data.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].rstrip(b"\r")
    if first[:1] == b"0" and len(first) >= RECORD_LEN and first[127:128] not in SUPPORTED_VERSIONS:
        version = first[127:128].decode("latin-1").strip() or "(blank)"
        raise ParseError(_("CODA version {version} is not supported: only versions 1 and 2 are read",
                           version=version), file=source.name, line=1)


@dataclass
class _Movement:
    line: int
    seq: str
    detail: str
    bank_ref: str
    amount: Decimal
    value_date: date | None
    booking_date: date | None
    family: str
    comm_type: str
    comm: str
    comm_more: list[str] = field(default_factory=list)
    counterparty: str | None = None
    counterparty_account: str | None = None
    info: list[str] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)


@dataclass
class _Block:
    line: int
    account: str | None = None
    currency: str | None = None
    opening: Decimal | None = None
    opening_date: date | None = None
    closing: Decimal | None = None
    closing_date: date | None = None
    records: int = 0  # every record except 0 and 9, as the trailer counts them
    debit: Decimal = Decimal(0)
    credit: Decimal = Decimal(0)
    txns: list[BankTxn] = field(default_factory=list)
    closed: bool = False


class CodaImporter:
    name = NAME
    kind = "bank"
    label = "CODA (Febelfin)"

    def identify(self, source: Source) -> float:
        head = source.data[:400].lstrip(b"\xef\xbb\xbf")
        first = head.split(b"\n", 1)[0].rstrip(b"\r")
        if len(first) == RECORD_LEN and first[:5] == b"00000" and first[5:11].isdigit():
            return 0.95
        return 0.0

    def extract(self, source: Source, *, columnar: bool | None = None) -> ImportResult:
        """A large well-formed file (or any, with ``columnar=True``) is read a column at a time
        (:mod:`complaint.importers.columnar.codacols`), with the same result; otherwise, and for
        a file that needs remarks or rejected rows, record by record."""
        check_version(source)
        if wants_columns(source, columnar):
            result = extract_coda(source, NAME, _FAMILY_METHOD.get)
            if result is not None:
                return result
        return _Parser(source).run()


class _Parser:
    def __init__(self, source: Source):
        self.source = source
        self.file = source.name
        self.ids = TxnIds("coda")
        self.rejected: list[Issue] = []
        self.warnings: list[Issue] = []
        self.skipped: list[Issue] = []
        self.blocks: list[_Block] = []
        self.block: _Block | None = None
        self.mov: _Movement | None = None
        self.rows_imported = 0

    # -- helpers
    def reject(self, line: int, msg: str, **kw) -> None:
        self.rejected.append(issue(self.file, line, msg, **kw))

    def current_block(self, line: int) -> _Block:
        if self.block is None or self.block.closed:
            self.block = _Block(line)
            self.blocks.append(self.block)
            if line > 1:
                self.warnings.append(issue(self.file, line, N_("statement without a header record (0)"),
                                           severity="warning"))
        return self.block

    def run(self) -> ImportResult:
        data = self.source.data.removeprefix(b"\xef\xbb\xbf")
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
            self.warnings.append(issue(self.file, None, N_("not valid Windows-1252 text; read as Latin-1"),
                                       severity="warning"))
        lines = normalise_newlines(text).split("\n")
        if not any(ln.strip() for ln in lines):
            raise ParseError(_("the file is empty"), file=self.file)
        from ...settings import SETTINGS

        movements = sum(1 for ln in lines if ln.startswith("21"))  # one data row per movement record
        if movements > SETTINGS.max_rows:
            raise too_many_rows()
        for no, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            self.record(no, line)
        self.flush()
        for blk in self.blocks:
            if not blk.closed:
                self.warnings.append(issue(self.file, blk.line, N_("statement has no trailer record (9)"),
                                           severity="warning"))
        return self.result()

    def record(self, no: int, line: str) -> None:
        kind = line[:2] if line[:1] in ("2", "3") else line[:1]
        if kind not in ("0", "1", "21", "22", "23", "31", "32", "33", "4", "8", "9"):
            if kind[:1] in ("2", "3"):
                self.flush()
            self.reject(no, N_("unknown CODA record type {type}"), field="record type", value=line[:2],
                        type=repr(line[:2]))
            return
        if kind not in ("0", "9"):
            self.current_block(no).records += 1
        if len(line) != RECORD_LEN:
            if kind == "21":
                self.flush()
            self.reject(no, N_("record is {length} characters long; CODA records have 128"),
                        field="record length", value=len(line), length=len(line))
            return
        try:
            getattr(self, "rec_" + kind)(no, line)
        except ValueParseError as exc:
            if kind == "21":
                self.mov = None
            self.reject(no, N_("record {type}: {error}"), type=kind, error=str(exc))

    # -- record types
    def rec_0(self, no: int, line: str) -> None:
        self.flush()
        if self.block is not None and not self.block.closed:
            self.warnings.append(issue(self.file, self.block.line, N_("statement has no trailer record (9)"),
                                       severity="warning"))
            self.block.closed = True
        self.block = _Block(no)
        self.blocks.append(self.block)

    def rec_1(self, no: int, line: str) -> None:
        blk = self.current_block(no)
        structure = cut(line, 2, 2)
        if structure == "0":
            blk.account, blk.currency = cut(line, 6, 17).strip(), cut(line, 19, 21).strip()
        else:  # 1 foreign BBAN, 2 Belgian IBAN, 3 foreign IBAN
            width = 21 if structure == "2" else 39
            blk.account, blk.currency = cut(line, 6, width).strip(), cut(line, 40, 42).strip()
        blk.currency = blk.currency or "EUR"
        blk.opening = coda_amount(cut(line, 43, 43), cut(line, 44, 58))
        blk.opening_date = parse_coda_date(cut(line, 59, 64))

    def rec_21(self, no: int, line: str) -> None:
        self.flush()
        amount = coda_amount(cut(line, 32, 32), cut(line, 33, 47))
        value_date = parse_coda_date(cut(line, 48, 53))
        booking = parse_coda_date(cut(line, 116, 121)) or value_date
        self.mov = _Movement(
            line=no, seq=cut(line, 3, 6), detail=cut(line, 7, 10), bank_ref=cut(line, 11, 31).strip(),
            amount=amount, value_date=value_date, booking_date=booking, family=cut(line, 55, 56),
            comm_type=cut(line, 62, 62), comm=cut(line, 63, 115))
        if self.mov.detail == "0000":
            blk = self.current_block(no)
            if amount < 0:
                blk.debit -= amount
            else:
                blk.credit += amount

    def _continuation(self, no: int, line: str) -> _Movement | None:
        mov = self.mov
        if mov is None or cut(line, 3, 6) != mov.seq or cut(line, 7, 10) != mov.detail:
            self.reject(no, N_("record {type} does not follow its movement record 21"),
                        field="sequence", value=cut(line, 3, 10), type=line[:2])
            return None
        return mov

    def rec_22(self, no: int, line: str) -> None:
        mov = self._continuation(no, line)
        if mov:
            mov.comm_more.append(cut(line, 11, 63))

    def rec_23(self, no: int, line: str) -> None:
        mov = self._continuation(no, line)
        if not mov:
            return
        account = cut(line, 11, 22) if cut(line, 23, 23) == " " else cut(line, 11, 44)
        mov.counterparty_account = clean(account)
        mov.counterparty = clean(cut(line, 48, 82))
        mov.comm_more.append(cut(line, 83, 125))

    def _info(self, no: int, line: str, text: str) -> None:
        mov = self._continuation(no, line)
        if mov and text.strip():
            mov.info.append(text)

    def rec_31(self, no: int, line: str) -> None:
        text = cut(line, 41, 113)
        if cut(line, 40, 40) == "1":  # structured: a 3-digit type code precedes the text
            text = text[3:]
        self._info(no, line, text)

    def rec_32(self, no: int, line: str) -> None:
        self._info(no, line, cut(line, 11, 100))

    def rec_33(self, no: int, line: str) -> None:
        self._info(no, line, cut(line, 11, 100))

    def rec_4(self, no: int, line: str) -> None:
        self.flush()

    def rec_8(self, no: int, line: str) -> None:
        self.flush()
        blk = self.current_block(no)
        blk.closing = coda_amount(cut(line, 42, 42), cut(line, 43, 57))
        blk.closing_date = parse_coda_date(cut(line, 58, 63))

    def rec_9(self, no: int, line: str) -> None:
        self.flush()
        blk = self.current_block(no)
        blk.closed = True
        count, debit, credit = cut(line, 17, 22), cut(line, 23, 37), cut(line, 38, 52)
        if count.isdigit() and int(count) != blk.records:
            self.warnings.append(issue(self.file, no, N_("trailer says {expected} records, the statement has {found}"),
                                       field="record count", value=count, severity="warning",
                                       expected=int(count), found=blk.records))
        for label, raw, found in ((N_("debit"), debit, blk.debit), (N_("credit"), credit, blk.credit)):
            expected = coda_amount("0", raw)
            if expected != found:
                self.warnings.append(issue(
                    self.file, no, N_("trailer {side} total is {expected}, the movements add up to {found}"),
                    field=f"{label} total", value=raw, severity="warning", side=label, expected=expected,
                    found=found))

    # -- movements -> transactions
    def flush(self) -> None:
        mov, self.mov = self.mov, None
        if mov is None:
            return
        if mov.detail != "0000":
            self.skipped.append(issue(self.file, mov.line, N_("detail {detail} of grouped movement {seq}: its amount "
                                                              "is part of the grouped total"),
                                      severity="skipped", detail=mov.detail, seq=mov.seq))
            return
        if mov.booking_date is None:
            self.reject(mov.line, N_("movement has neither a booking date nor a value date"), field="entry date")
            return
        blk = self.current_block(mov.line)
        communication = self.communication(mov)
        txn = BankTxn(
            id=self.ids.make(blk.account, mov.bank_ref, mov.booking_date, mov.amount, mov.counterparty, communication),
            booking_date=mov.booking_date, value_date=mov.value_date, amount=mov.amount,
            currency=blk.currency or "EUR", account=blk.account, counterparty=mov.counterparty,
            counterparty_account=mov.counterparty_account, description=clean(" ".join(mov.info)),
            communication=communication, bank_reference=mov.bank_ref or None,
            payment_method=_FAMILY_METHOD.get(mov.family),
            provenance=Provenance(self.file, self.source.sha256, NAME, mov.line, f"movement {mov.seq}"),
        )
        blk.txns.append(txn)
        self.warnings.extend(mov.warnings)
        self.rows_imported += 1

    def communication(self, mov: _Movement) -> str | None:
        if mov.comm_type == "1":
            code, digits = mov.comm[:3], mov.comm[3:15]
            if code in ("101", "102"):
                if ogm_is_valid(digits):
                    return format_ogm(digits)
                mov.warnings.append(issue(self.file, mov.line, N_("structured communication {value} has wrong check "
                                                                  "digits; kept as free text"),
                                          field="communication", value=digits, severity="warning"))
                return digits.strip() or None
            return clean(mov.comm[3:] + "".join(mov.comm_more))
        return clean(mov.comm + "".join(mov.comm_more))

    def result(self) -> ImportResult:
        txns = [t for blk in self.blocks for t in blk.txns]
        infos = [StatementInfo(b.account, b.currency, b.opening, b.opening_date, b.closing, b.closing_date)
                 for b in self.blocks if b.opening is not None or b.closing is not None]
        checks = [check_balance(info, blk.txns) for info, blk in
                  zip(infos, [b for b in self.blocks if b.opening is not None or b.closing is not None], strict=True)]
        statement = None
        if infos:
            first, last = infos[0], infos[-1]
            same = all(i.account == first.account for i in infos)
            statement = StatementInfo(first.account if same else None, first.currency, first.opening_balance,
                                      first.opening_date, last.closing_balance, last.closing_date)
        rows_total = self.rows_imported + len(self.rejected) + len(self.skipped)
        return finish(self.source, NAME, txns, rows_total=rows_total, rows_imported=self.rows_imported,
                      rejected=self.rejected, warnings=self.warnings, skipped=self.skipped,
                      statement=statement, balance=combine_checks(checks))


base.register(CodaImporter())
