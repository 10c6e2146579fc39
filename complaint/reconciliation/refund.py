"""Refund candidates: which credit settles which expected refund.

Search window: from the day before the purchase (banks sometimes book a card refund on the
purchase date, weeks before it was granted: AliExpress documents it) to
``REFUND_SEARCH_HORIZON_DAYS`` after the promise.  Two passes:

1. *full* credits (the whole expected amount, exactly or through the ECB rate of the credit's day
   within the tolerance) are assigned one-to-one with the global assignment;
2. *partial* credits (smaller than what is still expected) are given to the expectation they fit
   best, then taken in date order while their sum stays within the remaining amount.

A PayPal refund whose ``related_id`` names the payment the order was matched to is linked
directly (points +6), whatever its date.

Points (maximum 9.5, ``score = min(1, points / 9.5)``): descriptor 1-3 plus 0.5 for refund wording;
amount 3 exact, 1-2.5 through a rate, 1 for a part; date 3 on or after the promise (falling to 1
at the horizon), 2 on the purchase or payment day, 1.5 in between.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .assign import band_join
from .codes import TxnCodes
from .expect import REFUND_SEARCH_HORIZON_DAYS
from .pay import DAY_SPAN, buckets, compare_amount_codes

MAX_POINTS = 9.5


def full_candidates(exp: pd.DataFrame, txns: pd.DataFrame, credit_idx: np.ndarray, txn_eur: np.ndarray,
                    related: pd.DataFrame, tol: float, codes: TxnCodes | None = None) -> pd.DataFrame:
    """Scored candidates of the full pass, sorted by (expectation, credit).  The banded join on
    (EUR amount bucket, day) and the amount rule run in one compiled pass (:mod:`complaint.reconciliation.compiled.refund`): a
    180-day window meets many credits, few of which have the amount."""
    from .compiled.refund import full_pairs

    e_idx = np.flatnonzero(exp["needs_credit"].to_numpy(dtype=bool))
    if not len(e_idx) or not len(credit_idx):
        return empty_candidates()
    codes = codes or TxnCodes.of(txns)
    c_day = txns["day"].to_numpy(dtype=np.int64)[credit_idx]
    ckey = buckets(txn_eur[credit_idx], tol) * DAY_SPAN + c_day
    srt = np.argsort(ckey, kind="stable")
    eur = exp["eur"].to_numpy(dtype=np.int64)
    lo_day, hi_day = _window(exp, e_idx)
    e, t = full_pairs(e_idx.astype(np.int64), buckets(eur[e_idx], tol), lo_day, hi_day,
                      codes.code(exp["currency"])[e_idx], exp["amount_cents"].to_numpy(dtype=np.int64)[e_idx],
                      eur[e_idx], ckey[srt], np.asarray(credit_idx, dtype=np.int64)[srt], np.int64(DAY_SPAN),
                      codes.currency, codes.orig_currency, np.abs(txns["orig_cents"].to_numpy(dtype=np.int64)),
                      np.abs(txns["amount_cents"].to_numpy(dtype=np.int64)), np.abs(txn_eur), float(tol))
    return finish_full(exp, txns, e, t, txn_eur, related, tol, codes=codes)


def full_candidates_reference(exp: pd.DataFrame, txns: pd.DataFrame, credit_idx: np.ndarray,
                              txn_eur: np.ndarray, related: pd.DataFrame, tol: float) -> pd.DataFrame:
    """:func:`full_candidates` in numpy: the banded join on (EUR amount bucket, day), every shift,
    scored (the straightforward path, and the path of a small case)."""
    e_idx = np.flatnonzero(exp["needs_credit"].to_numpy(dtype=bool))
    if not len(e_idx) or not len(credit_idx):
        return empty_candidates()
    c_day = txns["day"].to_numpy(dtype=np.int64)[credit_idx]
    ckey = buckets(txn_eur[credit_idx], tol) * DAY_SPAN + c_day
    srt = np.argsort(ckey, kind="stable")
    keys_sorted = ckey[srt]
    eb = buckets(exp["eur"].to_numpy(dtype=np.int64)[e_idx], tol)
    lo_day, hi_day = _window(exp, e_idx)
    lefts, rights = [], []
    for shift in (-1, 0, 1):
        base = (eb + shift) * DAY_SPAN
        left, right = band_join(base + lo_day, base + hi_day, keys_sorted)
        lefts.append(left)
        rights.append(right)
    e = e_idx[np.concatenate(lefts)]
    t = np.asarray(credit_idx, dtype=np.int64)[srt[np.concatenate(rights)]]
    e, t = _unique_pairs(e, t)  # sorted by (expectation, credit), as the kernel's
    return finish_full(exp, txns, e, t, txn_eur, related, tol)


def finish_full(exp: pd.DataFrame, txns: pd.DataFrame, e: np.ndarray, t: np.ndarray, txn_eur: np.ndarray,
                related: pd.DataFrame, tol: float, codes: TxnCodes | None = None) -> pd.DataFrame:
    """The joined (expectation, credit) pairs of the full pass, in join order -> scored candidates
    (related pairs added): shared by the numpy join and the SQL one (:mod:`complaint.reconciliation.duckdb_engine`)."""
    e, t = _add_related(np.asarray(e, dtype=np.int64), np.asarray(t, dtype=np.int64), related, exp)
    return score_refunds(exp, txns, e, t, txn_eur, related, tol, partial=False, codes=codes)


def partial_candidates(exp: pd.DataFrame, remaining_eur: np.ndarray, txns: pd.DataFrame,
                       credit_idx: np.ndarray, txn_eur: np.ndarray, related: pd.DataFrame,
                       tol: float, codes: TxnCodes | None = None) -> pd.DataFrame:
    e_idx = np.flatnonzero(exp["needs_credit"].to_numpy(dtype=bool) & (remaining_eur > 0))
    if not len(e_idx) or not len(credit_idx):
        return empty_candidates()
    c_day = txns["day"].to_numpy(dtype=np.int64)[credit_idx]
    srt = np.argsort(c_day, kind="stable")
    lo_day, hi_day = _window(exp, e_idx)
    left, right = band_join(lo_day, hi_day, c_day[srt])
    return finish_partial(exp, remaining_eur, txns, e_idx[left], credit_idx[srt[right]], txn_eur, related, tol,
                          codes=codes)


def finish_partial(exp: pd.DataFrame, remaining_eur: np.ndarray, txns: pd.DataFrame, e: np.ndarray,
                   t: np.ndarray, txn_eur: np.ndarray, related: pd.DataFrame, tol: float,
                   codes: TxnCodes | None = None) -> pd.DataFrame:
    """The joined pairs of the partial pass -> scored candidates that fit the remainder (shared)."""
    e, t = _add_related(np.asarray(e, dtype=np.int64), np.asarray(t, dtype=np.int64), related, exp)
    fits = txn_eur[t] <= remaining_eur[e] * (1 + tol)
    return score_refunds(exp, txns, e[fits], t[fits], txn_eur, related, tol, partial=True, codes=codes)


def _window(exp: pd.DataFrame, e_idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    purchase = exp["purchase_day"].to_numpy(dtype=np.int64)[e_idx]
    pay = exp["pay_day"].to_numpy(dtype=np.int64)[e_idx]
    start = np.where(pay >= 0, np.minimum(pay, purchase), purchase) - 1
    since = exp["since_day"].to_numpy(dtype=np.int64)[e_idx]
    return start, np.maximum(since, start) + REFUND_SEARCH_HORIZON_DAYS


def _add_related(e: np.ndarray, t: np.ndarray, related: pd.DataFrame, exp: pd.DataFrame):
    """The pairs plus the related ones, each once, sorted by (expectation, credit)."""
    if not len(related):
        return e, t
    need = exp["needs_credit"].to_numpy(dtype=bool)[related["exp"].to_numpy()]
    rel = related[need]
    e = np.concatenate([e, rel["exp"].to_numpy(dtype=np.int64)])
    t = np.concatenate([t, rel["txn"].to_numpy(dtype=np.int64)])
    return _unique_pairs(e, t)


def _unique_pairs(e: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The (expectation, credit) pairs each once, sorted by expectation then credit."""
    if not len(e):
        return e, t
    width = np.int64(max(int(t.max()), 0) + 1)
    key = np.unique(e * width + t)
    return key // width, key % width


def score_refunds(exp: pd.DataFrame, txns: pd.DataFrame, e: np.ndarray, t: np.ndarray, txn_eur: np.ndarray,
                  related: pd.DataFrame, tol: float, partial: bool, codes: TxnCodes | None = None) -> pd.DataFrame:
    if not len(e):
        return empty_candidates()
    codes = codes or TxnCodes.of(txns)
    e_cur, t_cur, o_cur = codes.code(exp["currency"]), codes.currency, codes.orig_currency
    mode, gap, rel = compare_amount_codes(e_cur[e], exp["amount_cents"].to_numpy(dtype=np.int64)[e],
                                          exp["eur"].to_numpy(dtype=np.int64)[e], t_cur[t], o_cur[t], txns, t,
                                          txn_eur)
    exact = np.abs(gap) <= 1
    is_related = np.zeros(len(e), dtype=bool)
    if len(related):
        width = np.int64(len(txns) + 1)
        keys = related["exp"].to_numpy(dtype=np.int64) * width + related["txn"].to_numpy(dtype=np.int64)
        is_related = np.isin(e.astype(np.int64) * width + t.astype(np.int64), keys)
    if partial:
        keep = ~(exact | ((mode == 2) & (rel <= tol))) | is_related
        amount_pts = np.where(exact, 3.0, 1.0)
    else:
        keep = exact | ((mode == 2) & (rel <= tol))
        closeness = 1 - np.minimum(rel / max(tol, 1e-9), 1)
        amount_pts = np.where(exact, 3.0, np.where(mode == 2, 1.0 + 1.5 * closeness, 0.5 + closeness))
    day = txns["day"].to_numpy(dtype=np.int64)[t]
    since = exp["since_day"].to_numpy(dtype=np.int64)[e]
    purchase = exp["purchase_day"].to_numpy(dtype=np.int64)[e]
    pay = exp["pay_day"].to_numpy(dtype=np.int64)[e]
    on_purchase = ((day == purchase) | (day == pay)) & (day < since)
    after = day >= since
    date_pts = np.where(after, 3.0 - 2.0 * np.minimum((day - since) / REFUND_SEARCH_HORIZON_DAYS, 1),
                        np.where(on_purchase, 2.0, 1.5))
    wording = txns["refund_wording"].to_numpy(dtype=bool)[t]
    desc_pts = codes.desc_points[t] + 0.5 * wording
    points = desc_pts + amount_pts + date_pts + 6.0 * is_related
    out = pd.DataFrame({"exp": e, "txn": t, "points": points, "mode": mode, "gap": gap, "day": day,
                        "on_purchase": on_purchase, "after": after, "related": is_related,
                        "wording": wording, "amount_pts": amount_pts})
    return out[keep].reset_index(drop=True)


def take_partials(cand: pd.DataFrame, exp: pd.DataFrame, remaining_eur: np.ndarray, txn_eur: np.ndarray,
                  tol: float) -> pd.DataFrame:
    """Each credit to its best expectation, then in date order while the sum fits the remainder."""
    if not len(cand):
        return cand
    c = cand.assign(since=exp["since_day"].to_numpy()[cand["exp"].to_numpy()])
    c = c.sort_values(["txn", "points", "since", "exp"], ascending=[True, False, True, True], kind="stable")
    c = c.drop_duplicates("txn", keep="first")
    c = c.assign(eur=txn_eur[c["txn"].to_numpy()]).sort_values(["exp", "day", "txn"], kind="stable")
    c["cum"] = c.groupby("exp")["eur"].cumsum()
    cap = remaining_eur[c["exp"].to_numpy()] * (1 + tol)
    return c[c["cum"].to_numpy() <= cap].reset_index(drop=True)


def empty_candidates() -> pd.DataFrame:
    """A candidate frame with no rows, in the columns and dtypes of :func:`score_refunds`."""
    return pd.DataFrame({"exp": np.zeros(0, dtype=np.int64), "txn": np.zeros(0, dtype=np.int64),
                         "points": np.zeros(0), "mode": np.zeros(0, dtype=np.int64),
                         "gap": np.zeros(0, dtype=np.int64), "day": np.zeros(0, dtype=np.int64),
                         "on_purchase": np.zeros(0, dtype=bool), "after": np.zeros(0, dtype=bool),
                         "related": np.zeros(0, dtype=bool), "wording": np.zeros(0, dtype=bool),
                         "amount_pts": np.zeros(0)})
