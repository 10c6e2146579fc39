"""Duplicates among pictures: the same bytes (SHA-256), or the same picture resized, re-encoded or
turned (a perceptual hash within a few bits, see :mod:`.pixels`).  Copies are marked with
``duplicate_of`` (the best original), never removed."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace

from ..records import Evidence
from .pixels import hamming

__all__ = ["mark_duplicates", "NEAR_DUPLICATE_BITS", "ESTIMATE_ERROR_BITS", "BOTH_ESTIMATED_BITS"]

NEAR_DUPLICATE_BITS = 8  # dHash Hamming distance at or below which two pictures are "the same"
# A hash taken from a camera's thumbnail (an estimate) differs from the hash of the photo's
# pixels by 0-3 bits on photo-like pictures and up to 6 on flat drawn scenes (measured on 400+
# pictures, tests/test_evidence_fast.py).  A decision whose distance is within ESTIMATE_ERROR_BITS
# of the threshold (BOTH_ESTIMATED_BITS when both hashes are estimates: two large errors that add
# up are rare) is a close call: the pixels are decoded and decide.  With 3 and 4, every decision
# over 427 test files (copies, bursts, turned, re-encoded, drawn scenes) was the pixels' decision;
# 2 changed two of them, and wider bands decode many more photos of similar scenes.
ESTIMATE_ERROR_BITS = 3
BOTH_ESTIMATED_BITS = 4


def _rank(ev: Evidence) -> tuple:
    """Best original first: readable, more pixels, a camera time, larger file."""
    good_time = ev.time_source in ("exif", "exif-digitized", "gps")
    return (ev.error is None, (ev.width or 0) * (ev.height or 0), good_time, ev.size)


def _aspect(ev: Evidence) -> float | None:
    if not ev.width or not ev.height:
        return None
    return max(ev.width, ev.height) / min(ev.width, ev.height)


def mark_duplicates(evidence_list: Iterable[Evidence], threshold: int = NEAR_DUPLICATE_BITS, *,
                    estimated: Mapping[int, Callable[[], str | None]] | None = None) -> list[Evidence]:
    """Set ``duplicate_of`` (same SHA-256, or a dHash within ``threshold`` bits of a better copy).

    Input order is kept; nothing is removed.  Near-duplicates must also share the aspect ratio,
    and nearly uniform pictures (blank screenshots) are never matched on their hash alone.

    ``estimated`` maps the index of a picture whose hash was taken from a thumbnail to a function
    giving the hash of its decoded pixels (None when they cannot be decoded).  It is called only
    for a close call: when the decision could change by the bits an estimate may be off
    (``ESTIMATE_ERROR_BITS``, ``BOTH_ESTIMATED_BITS``).  So the decisions are those of the pixels,
    and only the pictures in a close call are decoded; such a picture then carries its pixels' hash.
    """
    items = list(evidence_list)
    hashes = [ev.perceptual_hash for ev in items]
    pending = dict(estimated or {})

    def margin(*idx: int) -> int:
        return (0, ESTIMATE_ERROR_BITS, BOTH_ESTIMATED_BITS)[sum(i in pending for i in idx)]

    def settle(i: int) -> None:
        exact = pending.pop(i, lambda: None)()
        hashes[i] = exact or hashes[i]

    first_by_sha: dict[str, str] = {}
    reps: list[int] = []  # representatives for near-duplicate comparison
    result: dict[int, str | None] = {}
    order = sorted(range(len(items)), key=lambda i: _rank(items[i]), reverse=True)
    for i in order:
        ev = items[i]
        if ev.sha256 and ev.sha256 in first_by_sha:
            result[i] = first_by_sha[ev.sha256]
            continue
        if ev.sha256:
            first_by_sha[ev.sha256] = ev.sha256
        result[i] = None
        if not hashes[i] or ev.error is not None:
            continue
        bits = int(hashes[i], 16).bit_count()
        if not (3 + margin(i) <= bits <= 61 - margin(i)) and bits <= 61 + margin(i):
            settle(i)  # near the "nearly uniform" bounds
            bits = int(hashes[i], 16).bit_count()
        if not 3 <= bits <= 61:
            continue
        ea = _aspect(ev)
        for r in reps:
            ra = _aspect(items[r])
            if not (ra and ea and abs(ra - ea) / ra <= 0.03):
                continue
            distance = hamming(hashes[r], hashes[i])
            for one in (i, r):  # a close call: decode the new picture, then if need be the other
                if threshold - margin(r, i) < distance <= threshold + margin(r, i):
                    settle(one)
                    distance = hamming(hashes[r], hashes[i])
            if distance <= threshold:
                result[i] = items[r].sha256
                break
        else:
            reps.append(i)
    return [replace(ev, duplicate_of=result[i], perceptual_hash=hashes[i])
            if (result[i], hashes[i]) != (ev.duplicate_of, ev.perceptual_hash) else ev
            for i, ev in enumerate(items)]
