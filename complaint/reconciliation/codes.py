"""Text columns of the matched transactions as integer codes, worked out once per run.

Scoring compares currencies and looks up merchant points for every candidate pair; doing that on
text means a factorisation of the transaction columns per scoring call.  :class:`TxnCodes` holds
the codes of one transactions frame (:func:`.pay.vocab_codes` and :func:`.pay.merchant_points`), and
codes other columns (an expectation's currency) into the same vocabulary: equal text, equal code; a
missing value equals nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .pay import merchant_points, vocab_codes


@dataclass
class TxnCodes:
    currency: np.ndarray  # per transaction row
    orig_currency: np.ndarray
    desc_points: np.ndarray  # descriptor points per row: 3 AliExpress/Alipay, 1.5 PayPal alone, else 1
    vocab: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, txns: pd.DataFrame) -> TxnCodes:
        vocab: dict[str, int] = {}
        (c_codes, c_ids), (o_codes, o_ids) = vocab_codes(txns["currency"], txns["orig_currency"], vocab=vocab)
        m_codes, points = merchant_points(txns)
        return cls(c_ids[c_codes], o_ids[o_codes], points[m_codes], vocab)

    def code(self, values) -> np.ndarray:
        """Codes of another text column in this vocabulary (a text the transactions do not have gets a
        code of its own; a missing value one equal to nothing here)."""
        ((codes, ids),) = vocab_codes(values, vocab=dict(self.vocab), first=2)
        return ids[codes]


def text_is(column: pd.Series, value: str) -> np.ndarray:
    """``column == value`` as a numpy bool array, missing values False (pyarrow strings stay arrow)."""
    return column.eq(value).fillna(False).to_numpy(dtype=bool)


def text_present(column: pd.Series) -> np.ndarray:
    """A value that is neither missing nor empty, as a numpy bool array."""
    return column.notna().to_numpy(dtype=bool) & ~text_is(column, "")
