"""Balance proof: opening balance + sum of movements == closing balance, to the cent."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from ...i18n import N_
from ...records import BalanceCheck, BankTxn, StatementInfo


def check_balance(statement: StatementInfo | None, txns: Iterable[BankTxn]) -> BalanceCheck:
    """``ok`` when the movements explain the balances exactly, ``mismatch`` with the difference
    (closing - opening - movements), ``not-available`` when the file has no balances."""
    if statement is None or statement.opening_balance is None or statement.closing_balance is None:
        return BalanceCheck("not-available")
    moved = sum((t.amount for t in txns if t.duplicate_of is None), Decimal("0"))
    diff = statement.closing_balance - statement.opening_balance - moved
    if diff == 0:
        return BalanceCheck("ok", Decimal("0.00"))
    return BalanceCheck("mismatch", diff, N_("closing balance differs from opening balance plus movements"))


def check_running_balances(rows: list[tuple[Decimal, Decimal]]) -> BalanceCheck:
    """For exports with a running balance per row, in booking order (oldest first):
    each (amount, balance_after) must satisfy balance_after[i] = balance_after[i-1] + amount[i]."""
    if len(rows) < 2:
        return BalanceCheck("not-available")
    total = Decimal("0")
    for (_a0, b0), (a1, b1) in zip(rows, rows[1:], strict=False):
        total += b1 - (b0 + a1)
    if total == 0 and all(b1 == b0 + a1 for (_a0, b0), (a1, b1) in zip(rows, rows[1:], strict=False)):
        return BalanceCheck("ok", Decimal("0.00"))
    return BalanceCheck("mismatch", total, N_("running balances do not follow the amounts"))
