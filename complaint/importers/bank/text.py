"""Normalising the text of Belgian bank lines: shared by every bank importer.

- card numbers are masked to the first 4 and last 4 digits (``4871 XXXX XXXX 1711``), also inside
  the description, so no more of a card number is stored than that;
- structured communications (OGM/VCS) ``+++ddd/dddd/ddddd+++``, KBC's ``***ddd/dddd/ddddd***`` and
  bare 12-digit values are normalised to ``+++ddd/dddd/ddddd+++`` when their mod-97 check holds;
- counterparty IBANs are validated with schwifty (an invalid one is kept as text, with a warning);
- the payment method is guessed from the wording (debit card / credit card / transfer / direct debit);
- merchants (AliExpress, Alipay, PayPal) are recognised with :func:`complaint.importers.bank.merchants.recognise`.
"""

from __future__ import annotations

import re

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from ...records import BankTxn, PaymentMethod
from . import merchants

DIRECT_DEBIT = "direct_debit"  # not a way to pay an order, but what the bank line says


def clean_text(raw: str | None) -> str | None:
    """Space padding removed and inner runs of whitespace collapsed; empty -> None."""
    if raw is None:
        return None
    text = " ".join(str(raw).split())
    return text or None


def compact_account(raw: str | None) -> str | None:
    """``BE68 5390 0754 7034`` -> ``BE68539007547034``; other account texts only trimmed."""
    text = clean_text(raw)
    if not text:
        return None
    squeezed = text.replace(" ", "").upper()
    if re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{8,30}", squeezed):
        return squeezed
    return text


_IBAN_LIKE = re.compile(r"^[A-Za-z]{2}\d{2}[A-Za-z0-9 ]{8,40}$")


def validate_iban(raw: str | None) -> tuple[str | None, str | None]:
    """(value to keep, problem or None).  Valid IBANs come back compact; IBAN-like text that
    fails validation is kept as typed, with the reason; anything else (old BBAN, card text) as is."""
    text = clean_text(raw)
    if not text or text in {"-", "0"}:
        return None, None
    if not _IBAN_LIKE.match(text):
        return text, None
    try:
        return IBAN(text.replace(" ", "")).compact, None
    except SchwiftyException as exc:
        return text, str(exc)


# 16 positions in 4 groups: written in groups (``4871 04XX XXXX 1711``) or already partly masked
# (``487104XXXXXX1711``).  A bare run of 16 digits is left alone: on Belgian statements that is a
# bank reference or an AliExpress order id far more often than a card number.
_CARD = re.compile(r"(?<![\dA-Za-z])(?<![A-Za-z]{2}\d{2} )(\d{4})([ -]?)([\dXx*]{4})\2([\dXx*]{4})\2(\d{4})(?![\d])")


def _is_card(m: re.Match) -> bool:
    return bool(m.group(2)) or any(ch in "Xx*" for ch in m.group(0))


def mask_card_number(raw: str | None) -> str | None:
    text = clean_text(raw)
    if not text:
        return None
    digits = re.sub(r"[^\dXx*]", "", text)
    if len(digits) < 12 or not digits[:4].isdigit() or not digits[-4:].isdigit():
        return text if not re.search(r"\d{5,}", text) else None
    return f"{digits[:4]} XXXX XXXX {digits[-4:]}"


def mask_cards(text: str | None) -> tuple[str | None, str | None]:
    """(text with every card number masked, the first masked card number or None)."""
    if not text:
        return text, None
    found: list[str] = []

    def repl(m: re.Match) -> str:
        if not _is_card(m):
            return m.group(0)
        masked = f"{m.group(1)} XXXX XXXX {m.group(5)}"
        found.append(masked)
        return masked

    return _CARD.sub(repl, text), (found[0] if found else None)


_OGM = re.compile(r"(?:\+\+\+|\*\*\*)\s*(\d{3})\s*/\s*(\d{4})\s*/\s*(\d{5})\s*(?:\+\+\+|\*\*\*)")


def _ogm_ok(digits: str) -> bool:
    base, check = int(digits[:10]), int(digits[10:])
    return (base % 97 or 97) == check


def format_ogm(digits: str) -> str:
    return f"+++{digits[:3]}/{digits[3:7]}/{digits[7:]}+++"


def structured_communication(text: str | None) -> tuple[str | None, str | None]:
    """(normalised text, the structured value if its check number is wrong).

    A text that *is* a structured communication (``***190/5063/21290***``, ``190506321290``)
    becomes ``+++190/5063/21290+++``; inside a longer text the reference is normalised in place.
    """
    if not text:
        return text, None
    bare = re.sub(r"[\s/+*]", "", text)
    if re.fullmatch(r"\d{12}", bare) and re.fullmatch(r"[\d\s/+*]+", text):
        return (format_ogm(bare), None) if _ogm_ok(bare) else (text, text)
    bad: list[str] = []

    def repl(m: re.Match) -> str:
        digits = "".join(m.groups())
        if not _ogm_ok(digits):
            bad.append(m.group(0))
        return format_ogm(digits)

    return _OGM.sub(repl, text), (bad[0] if bad else None)


def find_structured(text: str | None) -> str | None:
    """The first valid structured communication inside a free text, normalised."""
    for m in _OGM.finditer(text or ""):
        digits = "".join(m.groups())
        if _ogm_ok(digits):
            return format_ogm(digits)
    return None


_METHODS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (DIRECT_DEBIT, re.compile(r"domicili|direct debit|lastschrift|europese domiciliering|sepa[- ]dom", re.I)),
    (PaymentMethod.CREDIT_CARD.value, re.compile(
        r"kredietkaart|carte de cr[ée]dit|credit ?card|visa (?!debit)|\bvisa$|mastercard(?! debit)|"
        r"american express|\bamex\b", re.I)),
    (PaymentMethod.DEBIT_CARD.value, re.compile(
        r"bancontact|maestro|debetkaart|debitkaart|carte de d[ée]bit|bankkaart|debit ?card|v ?pay|"
        r"visa debit|mastercard debit|kaartnummer|kaart \d{4}|carte \d{4}|betaling met kaart|paiement par carte|"
        r"banksys|ecommerce carte|terminal", re.I)),
    (PaymentMethod.BANK_TRANSFER.value, re.compile(
        r"overschrijving|virement|transfer|overboeking|instant payment|betaalopdracht", re.I)),
)


# The words without which each pattern above cannot match (a superset test a column reader can run
# first, in bulk, before the pattern itself): tests/test_columnar_equivalence.py checks they cover it.
METHOD_WORDS: dict[str, tuple[str, ...]] = {
    DIRECT_DEBIT: ("domicili", "direct debit", "lastschrift", "sepa"),
    PaymentMethod.CREDIT_CARD.value: ("kredietkaart", "carte de cr", "credit", "visa", "mastercard",
                                      "american express", "amex"),
    PaymentMethod.DEBIT_CARD.value: ("bancontact", "maestro", "kaart", "carte", "debit", "pay", "banksys",
                                     "terminal"),
    PaymentMethod.BANK_TRANSFER.value: ("overschrijving", "virement", "transfer", "overboeking", "instant payment",
                                        "betaalopdracht"),
}


def method_patterns() -> tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...]:
    """(method, its pattern, the words it needs), in the order :func:`guess_payment_method` tries them."""
    return tuple((method, pattern, METHOD_WORDS[method]) for method, pattern in _METHODS)


def guess_payment_method(text: str | None) -> str | None:
    """What the bank wording says about how the money moved, or None."""
    if not text:
        return None
    for method, pattern in _METHODS:
        if pattern.search(text):
            return method
    return None


def recognise(txn: BankTxn) -> BankTxn:
    return merchants.recognise(txn)
