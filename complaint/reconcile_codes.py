"""Text columns of the matched transactions as integer codes, worked out once per run.

Scoring compares currencies and looks up merchant points for every candidate pair; doing that on
text means a factorisation of the transaction columns per scoring call.  :class:`TxnCodes` holds
the codes of one transactions frame, and codes other columns (an expectation's currency) into the
same vocabulary, with the rules of ``reconcile_pay.shared_codes``: equal text, equal code; a missing
value equals nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .reconcile_pay import STRONG_MERCHANTS


def _factorize(values) -> tuple[np.ndarray, list[str]]:
    if not isinstance(values, (pd.Series, pd.Index)):
        values = pd.array(np.asarray(values, dtype=object), dtype=object)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return np.asarray(codes, dtype=np.int64), [str(u) for u in np.asarray(uniques, dtype=object)]


@dataclass
class TxnCodes:
    currency: np.ndarray  # per transaction row
    orig_currency: np.ndarray
    desc_points: np.ndarray  # descriptor points per row: 3 AliExpress/Alipay, 1.5 PayPal alone, else 1
    vocab: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, txns: pd.DataFrame) -> TxnCodes:
        vocab: dict[str, int] = {}
        cols = []
        for k, name in enumerate(("currency", "orig_currency"), start=1):
            codes, uniq = _factorize(txns[name])
            ids = np.array([vocab.setdefault(u, len(vocab)) for u in uniq] + [-1 - k], dtype=np.int64)
            cols.append(ids[codes])
        m_codes, m_names = _factorize(txns["merchant"])
        names = np.array(m_names, dtype=object)
        per_name = np.where(np.isin(names, STRONG_MERCHANTS), 3.0, np.where(names == "paypal", 1.5, 1.0))
        points = np.append(per_name, 1.0)[m_codes]  # [-1]: no merchant
        return cls(cols[0], cols[1], points, vocab)

    def code(self, values) -> np.ndarray:
        """Codes of another text column in this vocabulary (a text the transactions do not have gets a
        code of its own; a missing value -1, equal to nothing here)."""
        codes, uniq = _factorize(values)
        vocab = dict(self.vocab)
        ids = np.array([vocab.setdefault(u, len(vocab)) for u in uniq] + [-1], dtype=np.int64)
        return ids[codes]


def text_is(column: pd.Series, value: str) -> np.ndarray:
    """``column == value`` as a numpy bool array, missing values False (pyarrow strings stay arrow)."""
    return column.eq(value).fillna(False).to_numpy(dtype=bool)
