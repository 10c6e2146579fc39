"""The report's reasons, worded in bulk, are the sentences the per-match function writes.

A report of 100,000 matches words its common payments from templates translated once and money
formatted from babel's own layout; these tests hold it to :func:`explain.payment_reasons` (every
row of a generated case with combined checkouts, dollar orders, ties, duplicates and PayPal, in the
four languages) and to :func:`complaint.fmt.money`.
"""

from __future__ import annotations

import importlib.util
import random
from decimal import Decimal
from pathlib import Path

import pytest

from complaint import fmt
from complaint.i18n import get_language, set_language
from complaint.reconciliation import explain
from complaint.reconciliation.engine import reconcile_frames
from complaint.reconciliation.fx import minor_exponent

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def result():
    spec = importlib.util.spec_from_file_location("bench_scale", ROOT / "bench" / "scale.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    orders, txns, promises = bench.generate_frames(3_000, 12_000)
    return reconcile_frames(orders, txns, promises, [], as_of_day=bench.AS_OF_DAY)


@pytest.fixture
def language():
    before = get_language()
    yield set_language
    set_language(before)


@pytest.mark.parametrize("lang", ["en", "fr", "nl", "de"])
def test_bulk_payment_reasons_are_the_per_match_sentences(result, language, lang) -> None:
    language(lang)
    result._explain_arrays = None
    bulk = explain.all_payment_reasons(result)
    arrays = explain._Arrays.of(result)
    shapes = set()
    for i, row in enumerate(result.payments.itertuples(index=False)):
        oids = tuple(str(arrays.order_id[j]) for j in row.order_idx)
        tids = tuple(str(arrays.txn_id[j]) for j in row.txn_idx)
        reasons, gap, day_gap, rate = explain.payment_reasons(row, result, oids, tids)
        assert (list(bulk[i][0]), bulk[i][1], bulk[i][2], bulk[i][3]) == (list(reasons), gap, day_gap, rate), i
        shapes.add((len(oids), int(row.mode), int(row.tie_unit) >= 0))
    assert {(1, 0, False), (1, 1, False), (1, 2, False)} <= shapes  # the bulk shapes were all there
    assert any(n > 1 or tie for n, _m, tie in shapes)  # and rows it leaves to the per-match function


@pytest.mark.parametrize("lang", ["en", "fr", "nl", "de"])
@pytest.mark.parametrize("currency", ["EUR", "USD", "PLN", "GBP", "CHF", "JPY", "HUF", "CZK"])
def test_money_from_babels_layout_is_babels_text(lang, currency) -> None:
    rnd = random.Random(f"{lang}{currency}")
    cents = [0, 1, -1, 99, 100, -100, 123456, -123456789012] + [rnd.randint(-10**12, 10**12) for _ in range(300)]
    for c in cents:
        expected = fmt.money(Decimal(c).scaleb(-minor_exponent(currency)), currency, lang)
        assert explain._money_text(c, currency, lang) == expected
