"""SWIFT MT940 statements through the maintained ``mt-940`` package (``import mt940``).

The library splits tags and reads :60F:/:61:/:62F:; this module reads the ``:86:`` details itself
so both common layouts are understood: Dutch ``/EREF/.../NAME/.../REMI/...`` keys and German
``?20``..``?29`` / ``?32`` subfields (with ``SVWZ+``/``EREF+`` purpose keywords).  ``RC``/``RD``
(reversal of a credit/debit) keep the sign the library gives (the actual money movement) and are
written at the start of the description.  Each message (separated by a line ``-``) is parsed on
its own, so several statements in one file each get their balance check.  Files in their SWIFT
envelope (``{1:F01...}{2:O940...}{3:...}{4:`` ... ``-}{5:...}``), one or many messages, with or
without preamble lines before the first tag, are unwrapped first (:func:`unwrap`).  Anything the library
raises becomes a ParseError naming the message.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from ...errors import ParseError
from ...i18n import N_, _
from ...limits import too_many_rows
from ...records import BankTxn, ImportResult, Issue, PaymentMethod, Provenance, StatementInfo, issue
from ...settings import SETTINGS
from .. import base
from ..textio import Source, decode, normalise_newlines
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

NAME = "bank.mt940"
_DUTCH_KEYS = ("EREF", "NAME", "REMI", "IBAN", "BIC", "CNTP", "TRTP", "MARF", "CSID", "ORDP", "BENM", "ADDR",
               "ISDT", "SVCL", "RTRN", "PURP", "ULTC", "ULTD", "PREF", "CREF", "CDTRREF", "CDTRREFTP", "CD", "ABIC")
_DUTCH_RE = re.compile(r"/(" + "|".join(sorted(_DUTCH_KEYS, key=len, reverse=True)) + r")/")
_SEPA_WORDS = re.compile(r"(EREF|KREF|MREF|CRED|DEBT|SVWZ|ABWA|ABWE|IBAN|BIC)\+")
_TAG61_RE = re.compile(r"^:61:", re.MULTILINE)


def parse_details(text: str | None) -> dict[str, str | None]:
    """``:86:`` -> name, account, communication, reference, description."""
    out: dict[str, str | None] = dict(name=None, account=None, communication=None, reference=None,
                                      description=None)
    if not text:
        return out
    flat = "".join(line for line in text.split("\n"))
    if re.match(r"^\d{3}\?\d{2}|^\?\d{2}", flat):
        return _german(flat, out)
    if _DUTCH_RE.search(flat):
        return _dutch(flat, out)
    out["description"] = clean(flat)
    return out


def _dutch(flat: str, out: dict) -> dict:
    fields: dict[str, str] = {}
    parts = _DUTCH_RE.split(flat)
    out["description"] = clean(parts[0].strip("/")) if parts[0].strip("/ ") else None
    for key, value in zip(parts[1::2], parts[2::2], strict=False):
        fields.setdefault(key, value.rstrip("/").strip())
    out["reference"] = clean(fields.get("EREF")) if fields.get("EREF") != "NOTPROVIDED" else None
    remi = fields.get("REMI", "")
    remi = re.sub(r"^(USTD|STRD)//?", "", remi)
    remi = re.sub(r"^CUR/|^BBA/|^ISO/", "", remi)
    ogm = re.search(r"\+\+\+\d{3}/\d{4}/\d{5}\+\+\+", remi)
    out["communication"] = ogm.group(0) if ogm else (clean(remi.replace("/", " ")) if remi else None)
    cntp = fields.get("CNTP")
    if cntp:  # IBAN/BIC/NAME/CITY
        bits = cntp.split("/")
        out["account"] = clean(bits[0]) if bits else None
        out["name"] = clean(bits[2]) if len(bits) > 2 else None
    for key in ("BENM", "ORDP"):
        if fields.get(key) and not out["name"]:
            m = re.search(r"NAME/([^/]+)", fields[key]) or re.match(r"([^/]+)", fields[key])
            out["name"] = clean(m.group(1)) if m else None
    out["name"] = clean(fields.get("NAME")) or out["name"]
    out["account"] = clean(fields.get("IBAN")) or out["account"]
    return out


def _german(flat: str, out: dict) -> dict:
    subs: dict[str, list[str]] = {}
    for m in re.finditer(r"\?(\d{2})([^?]*)", flat):
        subs.setdefault(m.group(1), []).append(m.group(2))
    purpose = "".join(v for k in sorted(subs) if "20" <= k <= "29" or "60" <= k <= "63" for v in subs[k])
    words = {}
    pieces = _SEPA_WORDS.split(purpose)
    for key, value in zip(pieces[1::2], pieces[2::2], strict=False):
        words.setdefault(key, value.strip())
    out["communication"] = clean(words.get("SVWZ") or (pieces[0] if pieces[0].strip() else None) or None)
    eref = words.get("EREF")
    out["reference"] = clean(eref) if eref and eref != "NOTPROVIDED" else None
    out["name"] = clean(" ".join(subs.get("32", []) + subs.get("33", []))) or None
    out["account"] = clean("".join(subs.get("31", []))) or words.get("IBAN")
    out["description"] = clean(" ".join(subs.get("00", [])))
    return out


# SWIFT FIN envelope blocks (https://www2.swift.com/knowledgecentre, "FIN message structure",
# checked December 2026): {1:basic header}{2:application header}{3:{108:..}} before the text block
# {4: ... -} and {5:{CHK:..}} trailers after it.
_ENVELOPE = re.compile(r"\{[1235]:(?:[^{}]|\{[^{}]*\})*\}")
_TEXT_BLOCK = re.compile(r"\{4:[ \t]*(\n?)")
_BLOCK_END = re.compile(r"^[ \t]*-\}", re.MULTILINE)
_TAG_LINE = re.compile(r"^:\d{2}[A-Z]?:")


def unwrap(text: str) -> str:
    """The MT940 text without its SWIFT envelope, line numbers kept: each ``{4:`` starts a message
    on its own line, each ``-}`` ends one with a ``-`` line, the other blocks become spaces."""
    text = _ENVELOPE.sub(lambda m: " " * len(m.group(0).replace("\n", "")) + "\n" * m.group(0).count("\n"), text)
    text = _TEXT_BLOCK.sub("\n", text)  # "{4:" ending its line: that newline; inline "{4::20:": a new one
    return _BLOCK_END.sub("-", text)


def _messages(text: str) -> list[tuple[int, str]]:
    """(first line number, message text) for each message separated by a line holding only ``-``;
    lines before a message's first tag (a bank's preamble, ``ABNANL2A``/``940``) are left out."""
    out, buf, start = [], [], 1
    for no, line in enumerate(text.split("\n"), start=1):
        if not buf and not _TAG_LINE.match(line.strip()):
            continue
        if line.strip() == "-" or line.strip().startswith("-}"):
            if any(x.strip() for x in buf):
                out.append((start, "\n".join(buf)))
            buf, start = [], no + 1
            continue
        if not buf:
            start = no
        buf.append(line)
    if any(x.strip() for x in buf):
        out.append((start, "\n".join(buf)))
    return out


class Mt940Importer:
    name = NAME
    kind = "bank"
    label = "MT940"

    def identify(self, source: Source) -> float:
        head = source.data[:4096]
        has = [t in head for t in (b":20:", b":25:", b":60F:", b":61:", b":62F:", b":60M:")]
        if has[1] and sum(has) >= 3:
            return 0.9
        return 0.0

    def extract(self, source: Source) -> ImportResult:
        import mt940 as lib

        text, _enc = decode(source.data)
        text = unwrap(normalise_newlines(text))
        ids = TxnIds("mt940")
        rejected: list[Issue] = []
        warnings: list[Issue] = []
        txns: list[BankTxn] = []
        infos: list[StatementInfo] = []
        checks = []
        rows = 0
        messages = _messages(text)
        if not messages:
            raise ParseError(_("the file is empty"), file=source.name)
        for start, msg in messages:
            if ":61:" not in msg and ":60" not in msg and ":62" not in msg:
                continue
            try:
                parsed, items, data = _parse(lib, msg)
            except Exception as exc:  # noqa: BLE001 - a failure of the MT940 library means "unreadable file"
                # the available balances (:64:, :65:) only inform; a bank that writes them wrong
                # (":65F:Dnullnull7414,3") should not cost the movements
                trimmed = _INFO_BALANCE.sub("", msg)
                if trimmed == msg:
                    raise ParseError(_("the MT940 message starting here cannot be read: {error}",
                                       error=base.describe_error(exc)[:200]), file=source.name, line=start) from exc
                try:
                    parsed, items, data = _parse(lib, trimmed)
                except Exception:  # noqa: BLE001 - same as above
                    raise ParseError(_("the MT940 message starting here cannot be read: {error}",
                                       error=base.describe_error(exc)[:200]), file=source.name, line=start) from exc
                warnings.append(issue(source.name, start, N_("the available-balance lines (:64:/:65:) of this "
                                                             "message cannot be read; left out"),
                                      field=":65:", severity="warning"))
                msg = trimmed
            lines61 = [start + msg[: m.start()].count("\n") for m in _TAG61_RE.finditer(msg)]
            account = clean(str(data.get("account_identification") or "")) or None
            opening = data.get("final_opening_balance") or data.get("opening_balance")
            closing = data.get("final_closing_balance") or data.get("closing_balance")
            info = StatementInfo(account, parsed.currency,
                                 _bal(opening), _plain(getattr(opening, "date", None)), _bal(closing),
                                 _plain(getattr(closing, "date", None)))
            msg_txns = []
            for i, item in enumerate(items):
                rows += 1
                if rows > SETTINGS.max_rows:
                    raise too_many_rows()
                line = lines61[i] if i < len(lines61) else start
                txn = self.transaction(source, item.data, info, ids, line)
                if isinstance(txn, Issue):
                    rejected.append(txn)
                else:
                    msg_txns.append(txn)
            infos.append(info)
            checks.append(check_balance(info, msg_txns))
            txns.extend(msg_txns)
        if not infos:
            raise ParseError(_("no MT940 statement (:60F:/:61:/:62F:) found"), file=source.name)
        first, last = infos[0], infos[-1]
        statement = StatementInfo(first.account, first.currency, first.opening_balance, first.opening_date,
                                  last.closing_balance, last.closing_date)
        return finish(source, NAME, txns, rows_total=rows, rows_imported=len(txns), rejected=rejected,
                      warnings=warnings, skipped=[], statement=statement, balance=combine_checks(checks))

    def transaction(self, source: Source, d: dict, info: StatementInfo, ids: TxnIds, line: int) -> BankTxn | Issue:
        amount_obj = d.get("amount")
        amount = getattr(amount_obj, "amount", None)
        booking = _plain(d.get("entry_date") or d.get("date"))
        if not isinstance(amount, Decimal) or booking is None:
            return issue(source.name, line, N_(":61: line without a readable amount or date"), field=":61:")
        currency = getattr(amount_obj, "currency", None) or info.currency or "EUR"
        details = parse_details(d.get("transaction_details"))
        status = d.get("status") or ""
        prefix = None
        if status in ("RC", "RD"):
            prefix = "Reversal (RD) of a debit" if status == "RD" else "Reversal (RC) of a credit"
        communication = details["communication"]
        digits = ogm_digits(communication)
        if digits and ogm_is_valid(digits):
            communication = format_ogm(digits)
        bank_ref = clean(d.get("bank_reference"))
        customer_ref = clean(d.get("customer_reference"))
        if customer_ref == "NONREF":
            customer_ref = None
        return BankTxn(
            id=ids.make(info.account, bank_ref, booking, amount, details["name"], communication, d.get("transaction_details")),
            booking_date=booking, value_date=_plain(d.get("date")), amount=amount, currency=currency, account=info.account,
            counterparty=details["name"], counterparty_account=details["account"],
            description=clean(" ".join(x for x in (prefix, details["description"], clean(d.get("extra_details"))) if x)),
            communication=communication, bank_reference=bank_ref or customer_ref or details["reference"],
            payment_method=PaymentMethod.BANK_TRANSFER if (d.get("id") or "") in ("NTRF", "NDDT", "NSTO") else None,
            provenance=Provenance(source.name, source.sha256, NAME, line, ":61:"),
        )


_INFO_BALANCE = re.compile(r"^:6[45][FM]?:.*\n?", re.MULTILINE)


def _parse(lib, msg: str):
    parsed = lib.models.Transactions(processors=dict(post_transaction_details=[]))
    parsed.parse(msg)
    return parsed, list(parsed), dict(parsed.data)


def _plain(value) -> date | None:
    """The library's Date subclass as a plain ``datetime.date`` (exact JSON round trip)."""
    return date(value.year, value.month, value.day) if isinstance(value, date) else None


def _bal(balance) -> Decimal | None:
    amount = getattr(getattr(balance, "amount", None), "amount", None)
    return amount if isinstance(amount, Decimal) else None


base.register(Mt940Importer())
