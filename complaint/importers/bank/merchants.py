"""Recognising AliExpress / Alipay / PayPal payments and refunds on statements.

Rules are data (a name, a regex over the counterparty + description + communication, the merchant
they mean); the first rule that fires wins and is recorded on the transaction, so the user can see
why a line was taken for an AliExpress payment.  Extra rules come from ``COMPLAINT_MERCHANT_RULES``
(a JSON file of ``[{"name":..., "pattern":..., "merchant":...}]``) or ``recognise(..., rules=...)``.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, replace

from ...records import BankTxn


@dataclass(frozen=True, slots=True)
class MerchantRule:
    name: str
    pattern: str
    merchant: str
    refund: bool = False  # the wording itself says refund / cancellation

    def compiled(self) -> re.Pattern[str]:
        return re.compile(self.pattern, re.IGNORECASE)


DEFAULT_RULES: tuple[MerchantRule, ...] = (
    MerchantRule("paypal-aliexpress", r"paypal\s*\*?\s*ali(express|baba)|ali(express)?.{0,40}paypal", "paypal-aliexpress"),
    MerchantRule("ali-star-descriptor", r"\bali\s*\*\s*aliexpress|\bali\*", "aliexpress"),
    MerchantRule("aliexpress-descriptor", r"ali\s?express", "aliexpress"),
    MerchantRule("alipay", r"\balipay\b", "alipay"),
    MerchantRule("alibaba", r"alibaba\.?com", "aliexpress"),
    MerchantRule("paypal", r"paypal\s*\(europe\)|\bpaypal\b", "paypal"),
)

REFUND_WORDING = re.compile(
    r"annulation du paiement|refund|remboursement|terugbetaling|ristorno|storno|terugstorting|"
    r"annul\.|gutschrift|rückerstattung|retour|teruggave",
    re.IGNORECASE,
)


def _extra_rules() -> tuple[MerchantRule, ...]:
    path = os.environ.get("COMPLAINT_MERCHANT_RULES")
    if not path:
        return ()
    with open(path, encoding="utf-8") as fh:
        return tuple(MerchantRule(**r) for r in json.load(fh))


def active_rules() -> tuple[MerchantRule, ...]:
    """The rules in force: those of ``COMPLAINT_MERCHANT_RULES`` first, then the defaults."""
    return _extra_rules() + DEFAULT_RULES


def recognise_text(text: str, rules: tuple[MerchantRule, ...] | None = None) -> tuple[str | None, str | None]:
    """(merchant, rule name) for a statement text, or (None, None)."""
    for rule in (rules if rules is not None else _extra_rules() + DEFAULT_RULES):
        if rule.compiled().search(text):
            return rule.merchant, rule.name
    return None, None


def recognise(txn: BankTxn, rules: tuple[MerchantRule, ...] | None = None) -> BankTxn:
    """The transaction with ``merchant``/``merchant_rule`` set when a rule fires."""
    text = " ".join(x for x in (txn.counterparty, txn.description, txn.communication) if x)
    merchant, rule = recognise_text(text, rules)
    if merchant is None:
        return txn
    if txn.amount > 0 and REFUND_WORDING.search(text):
        rule = f"{rule}+refund-wording"
    return replace(txn, merchant=merchant, merchant_rule=rule)


def is_refund_wording(text: str) -> bool:
    return bool(REFUND_WORDING.search(text or ""))
