"""OFX v1 (SGML) and v2 (XML) bank and card statements through ``ofxtools``' parser.

``ofxtools.Parser.OFXTree`` reads the header and builds the element tree with its own regex
tokenizer: it never fetches anything and never expands entities.  On top of that, a file that
declares a DTD or entities (``<!DOCTYPE``/``<!ENTITY``) is refused outright.

Fallback (documented): ofxtools' typed conversion (``OFXTree.convert()``) is strict and rejects
common real files (missing ``SONRS`` pieces, a ``,`` decimal mark, unknown elements).  So the
transactions are read from the parsed element tree with this module's own value parsing, and
the strict conversion is only run as a check: when it fails, the import goes on and one warning
says the file does not follow the OFX specification.

Files without the OFX header (Intuit downloads and QFX files that start directly with ``<OFX>``,
or with only an ``<?xml?>`` declaration) are given the standard SGML header before parsing;
ofxtools' SGML reading accepts closed, unclosed and empty elements alike.  An investment
statement (``INVSTMTRS``) with no bank or card statement is refused in one line naming what it holds.

OFX has a closing ``LEDGERBAL`` but no opening balance, so the balance proof is not available.
"""

from __future__ import annotations

import io
import re
import warnings as warnings_module
from datetime import date
from decimal import Decimal, InvalidOperation

from ...errors import ParseError
from ...i18n import N_, _
from ...limits import too_many_rows
from ...records import BankTxn, ImportResult, Issue, PaymentMethod, Provenance, StatementInfo, issue
from ...settings import SETTINGS
from .. import base
from ..textio import Source
from ..values import ValueParseError, parse_amount
from .statement import TxnIds, clean, finish

NAME = "bank.ofx"
_DTD_RE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*\?>\s*", re.IGNORECASE)
_SGML_HEADER = (b"OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\nSECURITY:NONE\r\nENCODING:%s\r\n"
                b"CHARSET:%s\r\nCOMPRESSION:NONE\r\nOLDFILEUID:NONE\r\nNEWFILEUID:NONE\r\n\r\n")
_TRNTYPE_METHOD = {"POS": PaymentMethod.DEBIT_CARD, "XFER": PaymentMethod.BANK_TRANSFER,
                   "DIRECTDEBIT": PaymentMethod.BANK_TRANSFER, "PAYMENT": PaymentMethod.BANK_TRANSFER}


def ofx_date(raw: str | None) -> date | None:
    """``YYYYMMDD[HHMMSS[.XXX]][[+-h:TZ]]`` -> the calendar date as the bank wrote it."""
    if not raw:
        return None
    m = re.match(r"^\s*(\d{4})(\d{2})(\d{2})", raw)
    if not m:
        raise ValueParseError(_("'{value}' is not an OFX date", value=raw))
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError as exc:
        raise ValueParseError(_("'{value}' is not a valid date", value=raw)) from exc


def _text(el, path: str) -> str | None:
    found = el.find(path) if el is not None else None
    return clean(found.text) if found is not None and found.text else None


class OfxImporter:
    name = NAME
    kind = "bank"
    label = "OFX"

    def identify(self, source: Source) -> float:
        head = source.data[:2048].lstrip(b"\xef\xbb\xbf \r\n\t").upper()
        if head.startswith(b"OFXHEADER:") or (head.startswith(b"<?XML") and b"<?OFX" in head):
            return 0.95
        if _XML_DECL.sub(b"", head).lstrip().startswith(b"<OFX>"):
            return 0.9  # no OFX header: an Intuit download or a QFX file
        return 0.0

    def extract(self, source: Source) -> ImportResult:
        from ofxtools.Parser import OFXTree

        if _DTD_RE.search(source.data):
            raise ParseError(_("the file declares a DTD or entities, which are refused (no entity expansion, "
                               "no external entities)"), file=source.name)
        tree = OFXTree()
        try:
            root = tree.parse(io.BytesIO(with_header(source.data)))
        except Exception as exc:  # noqa: BLE001 - a failure of the OFX parser means "unreadable file"
            raise ParseError(_("not a readable OFX file: {error}", error=base.describe_error(exc)[:200]),
                             file=source.name) from exc
        if root is None:
            raise ParseError(_("not a readable OFX file: no OFX element"), file=source.name)
        warnings: list[Issue] = []
        try:
            with warnings_module.catch_warnings():
                warnings_module.simplefilter("ignore")
                tree.convert()
        except Exception as exc:  # noqa: BLE001 - strict validation only; the lenient reading goes on
            warnings.append(issue(source.name, None, N_("the file does not follow the OFX specification strictly "
                                                        "({error}); read leniently"),
                                  severity="warning", error=base.describe_error(exc)[:200]))
        return self.read(source, root, warnings)

    def read(self, source: Source, root, warnings: list[Issue]) -> ImportResult:
        ids = TxnIds("ofx")
        rejected: list[Issue] = []
        txns: list[BankTxn] = []
        infos: list[StatementInfo] = []
        rows = 0
        statements = [el for el in root.iter() if el.tag in ("STMTRS", "CCSTMTRS")]
        invest = [el for el in root.iter() if el.tag == "INVSTMTRS"]
        if not statements and invest:
            trades = sum(len(el.findall("INVTRANLIST/*")) for el in invest) - sum(
                len(el.findall("INVTRANLIST/DTSTART")) + len(el.findall("INVTRANLIST/DTEND")) for el in invest)
            positions = sum(len(el.findall("INVPOSLIST/*")) for el in invest)
            raise ParseError(_("an investment statement (INVSTMTRS: {trades} investment transactions, {positions} "
                               "positions), not a bank or card statement: nothing to import",
                               trades=trades, positions=positions), file=source.name)
        if not statements:
            raise ParseError(_("no bank or card statement (STMTRS/CCSTMTRS) in the OFX file"), file=source.name)
        for s_no, stmt in enumerate(statements, start=1):
            currency = _text(stmt, "CURDEF")
            account = _text(stmt, "BANKACCTFROM/ACCTID") or _text(stmt, "CCACCTFROM/ACCTID")
            closing = closing_date = None
            try:
                closing = parse_amount(_text(stmt, "LEDGERBAL/BALAMT"))
                closing_date = ofx_date(_text(stmt, "LEDGERBAL/DTASOF"))
            except ValueParseError as exc:
                warnings.append(issue(source.name, None, N_("LEDGERBAL ignored: {error}"), field="LEDGERBAL",
                                      severity="warning", error=str(exc)))
            info = StatementInfo(account, currency, None, None, closing, closing_date)
            infos.append(info)
            for t_no, trn in enumerate(stmt.findall("BANKTRANLIST/STMTTRN"), start=1):
                rows += 1
                if rows > SETTINGS.max_rows:
                    raise too_many_rows()
                try:
                    txns.append(self.transaction(source, trn, info, ids, rows, f"STMTRS {s_no} STMTTRN {t_no}"))
                except ValueParseError as exc:
                    rejected.append(issue(source.name, rows, N_("STMTTRN {number}: {error}"), number=rows,
                                          error=str(exc)))
        first = infos[0]
        statement = StatementInfo(first.account, first.currency, None, None, infos[-1].closing_balance,
                                  infos[-1].closing_date)
        return finish(source, NAME, txns, rows_total=rows, rows_imported=len(txns), rejected=rejected,
                      warnings=warnings, skipped=[], statement=statement)

    def transaction(self, source: Source, trn, info: StatementInfo, ids: TxnIds, n: int, locator: str) -> BankTxn:
        amount = parse_amount(_text(trn, "TRNAMT"))
        if amount is None:
            raise ValueParseError(_("TRNAMT is missing"))
        posted = ofx_date(_text(trn, "DTPOSTED")) or ofx_date(_text(trn, "DTUSER"))
        if posted is None:
            raise ValueParseError(_("DTPOSTED is missing"))
        currency = _text(trn, "CURRENCY/CURSYM") or info.currency
        if not currency:
            raise ValueParseError(_("no currency (CURDEF)"))
        orig_ccy = _text(trn, "ORIGCURRENCY/CURSYM")
        rate = parse_amount(_text(trn, "ORIGCURRENCY/CURRATE")) if orig_ccy else None
        name = _text(trn, "NAME") or _text(trn, "PAYEE/NAME")
        memo = _text(trn, "MEMO")
        fitid = _text(trn, "FITID")
        trntype = (_text(trn, "TRNTYPE") or "").upper()
        return BankTxn(
            id=ids.make(info.account, fitid, posted, amount, name, memo),
            booking_date=posted, value_date=ofx_date(_text(trn, "DTAVAIL")), amount=amount, currency=currency,
            account=info.account, counterparty=name, counterparty_account=_text(trn, "BANKACCTTO/ACCTID"),
            description=memo, communication=None, bank_reference=fitid,
            original_amount=_original(amount, rate),
            original_currency=orig_ccy if rate else None, fx_rate=rate,
            payment_method=_TRNTYPE_METHOD.get(trntype),
            provenance=Provenance(source.name, source.sha256, NAME, n, locator),
        )


_TOKEN = re.compile(rb"<(/?)([A-Za-z0-9.]+)>([^<]*)")


def drop_empty_elements(body: bytes) -> bytes:
    """SGML OFX without its empty elements (``<MEMO>`` with no value, never closed), which the
    parser would otherwise take for an aggregate that swallows what follows.  An opening tag with
    no text is an empty element when the next tag closes something else, or when the tag is never
    closed anywhere in the file (aggregates always are)."""
    tokens = list(_TOKEN.finditer(body))
    closed = {m[2].upper() for m in tokens if m[1]}
    drop: list[tuple[int, int]] = []
    for i, m in enumerate(tokens):
        if m[1] or m[3].strip():
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        name = m[2].upper()
        if nxt is None or (nxt[1] and nxt[2].upper() != name) or (not nxt[1] and name not in closed):
            drop.append((m.start(), m.end()))
    # a transaction left open (``<STMTTRN>`` ... ``<STMTTRN>``) is closed before the next one starts
    # or before its list ends, so it does not swallow what follows
    close: list[int] = []
    open_trn = False
    for m in tokens:
        name = m[2].upper()
        if name == b"STMTTRN":
            if not m[1] and open_trn:
                close.append(m.start())
            open_trn = not m[1]
        elif m[1] and name == b"BANKTRANLIST" and open_trn:
            close.append(m.start())
            open_trn = False
    if not drop and not close:
        return body
    edits = sorted([(start, end, b"") for start, end in drop] + [(at, at, b"</STMTTRN>") for at in close])
    out, at = [], 0
    for start, end, text in edits:
        out.append(body[at:start] + text)
        at = end
    out.append(body[at:])
    return b"".join(out)


def with_header(data: bytes) -> bytes:
    """The file as ofxtools reads it: an SGML file without its empty elements; a file without an
    OFX header with the standard SGML header in front (and without an ``<?xml?>`` declaration
    that has no ``<?OFX?>`` one)."""
    body = data.lstrip(b"\xef\xbb\xbf \r\n\t")
    head = body[:2048].upper()
    if head.startswith(b"<?XML") and b"<?OFX" in head:
        return body
    if head.startswith(b"OFXHEADER:"):
        at = body.find(b"<")
        return body if at < 0 else body[:at] + drop_empty_elements(body[at:])
    body = drop_empty_elements(_XML_DECL.sub(b"", body, count=1))
    try:
        body.decode("utf-8")
        encoding, charset = b"UTF-8", b"NONE"
    except UnicodeDecodeError:
        encoding, charset = b"USASCII", b"1252"
    return _SGML_HEADER % (encoding, charset) + body


def _original(amount: Decimal, rate: Decimal | None) -> Decimal | None:
    if not rate:
        return None
    try:
        return (amount / rate).quantize(Decimal("0.01"))
    except InvalidOperation as exc:
        raise ValueParseError(_("CURRATE {rate} cannot convert {amount}", rate=rate, amount=amount)) from exc


base.register(OfxImporter())
