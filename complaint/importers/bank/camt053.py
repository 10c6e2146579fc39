"""ISO 20022 camt.053 (bank-to-customer statement), versions 02 to 08.

Parsed with defusedxml only: a DTD, entity declaration or external entity makes the file a
ParseError before anything is expanded.  Namespaces are ignored after the version is read, so the
same paths serve every version (v08 wraps ``Sts`` in ``Cd`` and party names in ``Pty``; both read).

Row accounting counts entries (``Ntry``).  Booked entries are imported; pending (``PDNG``) and
information (``INFO``) entries go to ``skipped`` with the status.  The sign comes from
``CdtDbtInd``; ``RvslInd`` marks a reversal (the entry's direction is the opposite of the original
movement's), which is written at the start of the description and decides which party is the
counterparty.

An entry with several ``TxDtls`` (a batch) becomes one transaction per detail when every detail
has an amount in the entry currency and the signed amounts add up to the entry exactly, so each
card payment or refund of a batch can be matched on its own; otherwise it stays one transaction
with the details joined, and a warning says why.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

from ...errors import ParseError
from ...i18n import N_, _
from ...limits import too_many_rows
from ...records import BankTxn, ImportResult, Issue, PaymentMethod, Provenance, StatementInfo, issue
from ...settings import SETTINGS
from .. import base
from ..textio import Source
from ..values import ValueParseError, parse_date
from .statement import (
    TxnIds,
    check_balance,
    clean,
    combine_checks,
    finish,
    format_ogm,
    ogm_digits,
    ogm_is_valid,
)

NAME = "bank.camt053"
_NS_RE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.(\d\d)")
SUPPORTED_VERSIONS = {"02", "03", "04", "05", "06", "07", "08"}
_AMOUNT_RE = re.compile(r"^\s*\d{1,15}(\.\d{1,5})?\s*$")
_FAMILY_METHOD = {"RCDT": PaymentMethod.BANK_TRANSFER, "ICDT": PaymentMethod.BANK_TRANSFER,
                  "RDDT": PaymentMethod.BANK_TRANSFER, "IDDT": PaymentMethod.BANK_TRANSFER,
                  "DCRD": PaymentMethod.DEBIT_CARD}


def parse_xml(source: Source) -> tuple[Element, str]:
    """The root element with namespaces stripped, and the camt.053 version ("02".."08")."""
    try:
        root = DET.fromstring(source.data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        # the message names what was refused, never defusedxml's repr ("DTDForbidden(name=...)")
        raise ParseError(_("the file declares a DTD or entities, which are refused (no entity expansion, no "
                           "external entities)"), file=source.name) from exc
    except Exception as exc:  # noqa: BLE001 - any failure of the XML parser means "unreadable file"
        raise ParseError(_("not well-formed XML: {error}", error=base.describe_error(exc)), file=source.name) from exc
    m = _NS_RE.search(root.tag)
    if not m:
        raise ParseError(_("not a camt.053 statement (root element {tag})", tag=root.tag[:120]), file=source.name)
    for el in root.iter():
        if isinstance(el.tag, str):
            el.tag = el.tag.rsplit("}", 1)[-1]
    return root, m.group(1)


def _text(el: Element | None, path: str) -> str | None:
    if el is None:
        return None
    found = el.find(path)
    return clean(found.text) if found is not None and found.text else None


def _amount(el: Element | None, field: str) -> tuple[Decimal, str | None] | None:
    """(amount, currency) of an ``Amt``-like element; None when absent."""
    if el is None:
        return None
    raw = el.text or ""
    if not _AMOUNT_RE.match(raw):
        raise ValueParseError(_("{field} '{value}' is not an amount", field=field, value=raw.strip()[:40]))
    try:
        return Decimal(raw.strip()), el.get("Ccy")
    except InvalidOperation as exc:  # pragma: no cover - the regex already checked
        raise ValueParseError(_("{field} '{value}' is not an amount", field=field, value=raw)) from exc


def _date(el: Element | None, path: str) -> date | None:
    raw = _text(el, path + "/Dt") or _text(el, path + "/DtTm")
    return parse_date(raw[:10]) if raw else None


def _sign(indicator: str | None, field: str) -> int:
    if indicator == "CRDT":
        return 1
    if indicator == "DBIT":
        return -1
    raise ValueParseError(_("{field} '{indicator}' is neither CRDT nor DBIT", field=field, indicator=indicator))


class Camt053Importer:
    name = NAME
    kind = "bank"
    label = "ISO 20022 camt.053"

    def identify(self, source: Source) -> float:
        head = source.data[:4096]
        if b"camt.053.001." in head and b"<" in head:
            return 0.95
        return 0.0

    def extract(self, source: Source) -> ImportResult:
        root, version = parse_xml(source)
        return _Reader(source, version).read(root)


class _Reader:
    def __init__(self, source: Source, version: str):
        self.source, self.file, self.version = source, source.name, version
        self.ids = TxnIds("camt053")
        self.rejected: list[Issue] = []
        self.warnings: list[Issue] = []
        self.skipped: list[Issue] = []
        self.rows_total = 0
        self.rows_imported = 0

    def read(self, root: Element) -> ImportResult:
        if self.version not in SUPPORTED_VERSIONS:
            self.warnings.append(issue(self.file, None, N_("camt.053 version {version} is not one of the tested "
                                                           "versions 02 to 08; read as the closest"),
                                       severity="warning", version=self.version))
        statements = root.findall("BkToCstmrStmt/Stmt")
        if not statements:
            raise ParseError(_("no statement (BkToCstmrStmt/Stmt) in the file"), file=self.file)
        txns: list[BankTxn] = []
        infos: list[StatementInfo] = []
        checks = []
        for s_no, stmt in enumerate(statements, start=1):
            info = self.statement_info(stmt)
            stmt_txns = []
            for ntry in stmt.findall("Ntry"):
                self.rows_total += 1
                if self.rows_total > SETTINGS.max_rows:
                    raise too_many_rows()
                try:
                    stmt_txns.extend(self.entry(ntry, info, s_no, self.rows_total))
                except ValueParseError as exc:
                    self.rejected.append(issue(self.file, self.rows_total, N_("entry {entry}: {error}"),
                                               entry=self.rows_total, error=str(exc)))
            infos.append(info)
            checks.append(check_balance(info, stmt_txns))
            txns.extend(stmt_txns)
        first, last = infos[0], infos[-1]
        same = all(i.account == first.account for i in infos)
        statement = StatementInfo(first.account if same else None, first.currency, first.opening_balance,
                                  first.opening_date, last.closing_balance, last.closing_date)
        return finish(self.source, NAME, txns, rows_total=self.rows_total, rows_imported=self.rows_imported,
                      rejected=self.rejected, warnings=self.warnings, skipped=self.skipped,
                      statement=statement, balance=combine_checks(checks))

    def statement_info(self, stmt: Element) -> StatementInfo:
        account = _text(stmt, "Acct/Id/IBAN") or _text(stmt, "Acct/Id/Othr/Id")
        currency = _text(stmt, "Acct/Ccy")
        balances: dict[str, tuple[Decimal, date | None]] = {}
        for bal in stmt.findall("Bal"):
            code = _text(bal, "Tp/CdOrPrtry/Cd")
            try:
                amt = _amount(bal.find("Amt"), "Bal/Amt")
                if amt is None or code is None:
                    continue
                value = amt[0] * _sign(_text(bal, "CdtDbtInd"), "Bal/CdtDbtInd")
                balances.setdefault(code, (value, _date(bal, "Dt")))
                currency = currency or amt[1]
            except ValueParseError as exc:
                self.warnings.append(issue(self.file, None, N_("balance {code} ignored: {error}"),
                                           field="Bal", severity="warning", code=code, error=str(exc)))
        opening = balances.get("OPBD") or balances.get("PRCD")
        closing = balances.get("CLBD")
        return StatementInfo(account, currency, opening[0] if opening else None, opening[1] if opening else None,
                             closing[0] if closing else None, closing[1] if closing else None)

    def entry(self, ntry: Element, info: StatementInfo, s_no: int, n: int) -> list[BankTxn]:
        status = _text(ntry, "Sts/Cd") or _text(ntry, "Sts") or "BOOK"
        if status != "BOOK":
            self.skipped.append(issue(self.file, n, N_("entry with status {status} (not booked)"), field="Sts",
                                      value=status, severity="skipped", status=status))
            return []
        amt = _amount(ntry.find("Amt"), "Amt")
        if amt is None:
            raise ValueParseError(_("Amt is missing"))
        currency = amt[1] or info.currency
        if not currency:
            raise ValueParseError(_("Amt has no currency (Ccy)"))
        sign = _sign(_text(ntry, "CdtDbtInd"), "CdtDbtInd")
        amount = amt[0] * sign
        reversal = (_text(ntry, "RvslInd") or "").lower() in ("true", "1")
        booking = _date(ntry, "BookgDt")
        value_date = _date(ntry, "ValDt")
        if booking is None and value_date is None:
            raise ValueParseError(_("BookgDt and ValDt are missing"))
        booking = booking or value_date
        family = _text(ntry, "BkTxCd/Domn/Fmly/Cd")
        ref = _text(ntry, "AcctSvcrRef")
        details = ntry.findall("NtryDtls/TxDtls")
        where = Provenance(self.file, self.source.sha256, NAME, n, f"Stmt {s_no} Ntry {n}")
        # the original movement was a debit when a debit entry is not a reversal, or a credit entry is
        original_debit = (sign < 0) != reversal
        common = dict(booking_date=booking, value_date=value_date, currency=currency, account=info.account,
                      payment_method=_FAMILY_METHOD.get(family or ""), provenance=where)
        entry_text = _text(ntry, "AddtlNtryInf")
        prefix = None
        if reversal:
            prefix = "Reversal (RvslInd) of a debit" if sign > 0 else "Reversal (RvslInd) of a credit"
        parts = [self.detail(d, currency, original_debit, sign) for d in details]
        split = self.splittable(parts, amount, n)
        self.rows_imported += 1
        if split:
            out = []
            for i, p in enumerate(parts, start=1):
                p_ref = p["ref"] or (f"{ref}/{i}" if ref else None)
                out.append(BankTxn(
                    id=self.ids.make(info.account, p_ref, booking, p["amount"], p["counterparty"], p["communication"]),
                    amount=p["amount"], counterparty=p["counterparty"], counterparty_account=p["account"],
                    description=clean(" ".join(x for x in (prefix, p["text"] or entry_text) if x)),
                    communication=p["communication"], bank_reference=p_ref, original_amount=p["orig"],
                    original_currency=p["orig_ccy"], fx_rate=p["rate"], **common))
            return out
        one = parts[0] if len(parts) == 1 else None
        joined = {k: clean("; ".join(dict.fromkeys(p[k] for p in parts if p[k]))) for k in
                  ("counterparty", "account", "communication", "text")}
        bank_ref = ref or (one["ref"] if one else None)
        return [BankTxn(
            id=self.ids.make(info.account, bank_ref, booking, amount, joined["counterparty"], joined["communication"]),
            amount=amount, counterparty=joined["counterparty"], counterparty_account=joined["account"],
            description=clean(" ".join(x for x in (prefix, entry_text, joined["text"]) if x)),
            communication=joined["communication"], bank_reference=bank_ref,
            original_amount=one["orig"] if one else None, original_currency=one["orig_ccy"] if one else None,
            fx_rate=one["rate"] if one else None, **common)]

    def splittable(self, parts: list[dict], amount: Decimal, n: int) -> bool:
        if len(parts) < 2:
            return False
        if any(p["amount"] is None for p in parts):
            self.warnings.append(issue(self.file, n, N_("entry has {count} transaction details without their own "
                                                        "amounts; imported as one movement"),
                                       field="TxDtls", severity="warning", count=len(parts)))
            return False
        total = sum((p["amount"] for p in parts), Decimal(0))
        if total != amount:
            self.warnings.append(issue(self.file, n, N_("the {count} transaction details add up to {total}, the "
                                                        "entry is {amount}; imported as one movement"),
                                       field="TxDtls", severity="warning", count=len(parts), total=total,
                                       amount=amount))
            return False
        return True

    def detail(self, tx: Element, currency: str, original_debit: bool, entry_sign: int) -> dict:
        """The fields of one TxDtls; ``amount`` only when it is in the entry currency."""
        own = _amount(tx.find("Amt"), "TxDtls/Amt") or _amount(tx.find("AmtDtls/TxAmt/Amt"), "TxAmt/Amt")
        sign = entry_sign
        if _text(tx, "CdtDbtInd"):
            sign = _sign(_text(tx, "CdtDbtInd"), "TxDtls/CdtDbtInd")
        amount = own[0] * sign if own and (own[1] in (None, currency)) else None
        instd = _amount(tx.find("AmtDtls/InstdAmt/Amt"), "InstdAmt/Amt")
        orig = orig_ccy = rate = None
        if instd and instd[1] and instd[1] != currency:
            orig, orig_ccy = instd[0] * sign, instd[1]
            xchg = tx.find("AmtDtls/InstdAmt/CcyXchg")
            if xchg is None:
                xchg = tx.find("AmtDtls/TxAmt/CcyXchg")
            rate = self.rate(_text(xchg, "XchgRate"), own[0] if own else None, instd[0])
        party = "Cdtr" if original_debit else "Dbtr"
        name = (_text(tx, f"RltdPties/{party}/Nm") or _text(tx, f"RltdPties/{party}/Pty/Nm")
                or _text(tx, f"RltdPties/Ultmt{party}/Nm") or _text(tx, f"RltdPties/Ultmt{party}/Pty/Nm"))
        account = _text(tx, f"RltdPties/{party}Acct/Id/IBAN") or _text(tx, f"RltdPties/{party}Acct/Id/Othr/Id")
        ustrd = clean(" ".join(u.text or "" for u in tx.findall("RmtInf/Ustrd")))
        communication = ustrd
        for ref_el in tx.findall("RmtInf/Strd/CdtrRefInf/Ref"):
            raw = clean(ref_el.text)
            if not raw:
                continue
            digits = ogm_digits(raw) or (raw if raw.isdigit() and len(raw) == 12 else None)
            if digits and ogm_is_valid(digits):
                communication = format_ogm(digits)
            else:
                if digits:
                    self.warnings.append(issue(self.file, self.rows_total, N_("structured communication {value} has "
                                                                              "wrong check digits; kept as free text"),
                                               field="CdtrRefInf/Ref", value=raw, severity="warning"))
                communication = clean(" ".join(x for x in (raw, ustrd) if x))
            break
        ref = _text(tx, "Refs/AcctSvcrRef")
        text = _text(tx, "AddtlTxInf")
        return dict(amount=amount, orig=orig, orig_ccy=orig_ccy, rate=rate, counterparty=name, account=account,
                    communication=communication, ref=ref, text=text)

    @staticmethod
    def rate(raw: str | None, amount: Decimal | None, original: Decimal) -> Decimal | None:
        """Units of the entry currency per unit of the original currency, whichever way the bank
        wrote ``XchgRate`` (checked against the two amounts when both are known)."""
        if not raw or not re.match(r"^\s*\d{1,9}(\.\d{1,12})?\s*$", raw):
            return None
        r = Decimal(raw.strip())
        if r == 0 or amount is None or original == 0:
            return r if r else None
        direct = abs(original * r - amount)
        inverse = abs(original / r - amount)
        return r if direct <= inverse else (Decimal(1) / r).quantize(Decimal("1.0000000000"))


base.register(Camt053Importer())
