"""Timeline figure: build time and JSON size for 10,000 events against 100 (same generator).

The chart is drawn by ``complaint.api.timeline_chart`` (the call the Timeline page makes) from the
generated events, without deadline lines.  Prints the per-event cost ratio; the target is a ratio
<= 1 (no worse per event at 10,000).
Run: .venv/bin/python bench/timeline.py
"""

from __future__ import annotations

import random
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from complaint import api
from complaint.case import CaseData
from complaint.records import Event

BXL = ZoneInfo("Europe/Brussels")
KINDS = ["order_placed", "paid", "tracking", "delivered", "photo_taken", "message_in", "message_out",
         "dispute_opened", "refund_credited"]


def generate(n: int, seed: int = 7) -> list[Event]:
    rng = random.Random(seed)
    start = datetime(2025, 11, 1, 8, tzinfo=BXL)
    out = []
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        at = start + timedelta(minutes=rng.randrange(0, 365 * 24 * 60))
        oid = f"81900000000{rng.randrange(0, max(1, n // 10)):05d}"
        date_only = kind in ("paid", "refund_credited")
        out.append(Event(id=f"{kind}-{i}", kind=kind, lane=api.event_lane(kind), title=f"{kind} #{i} <x>",
                         on=at.astimezone(BXL).date(), at=None if date_only else at, order_ids=(oid,)))
    return out


AS_OF = date(2026, 11, 20)
CASE = CaseData(name="bench", as_of=AS_OF)


def figure(events: list[Event], reconciliation):
    return api.timeline_chart(CASE, reconciliation, AS_OF, events=events, with_deadlines=False).figure


def measure(n: int, repeat: int = 3) -> tuple[float, int]:
    events = generate(n)
    rec = api.reconcile(CASE, AS_OF)  # of an empty case: nothing to draw but the events
    best = float("inf")
    size = 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        fig = figure(events, rec)
        size = len(fig.to_json())
        best = min(best, time.perf_counter() - t0)
    return best, size


def main() -> None:
    figure(generate(10), api.reconcile(CASE, AS_OF))  # warm-up (imports, validators)
    small_t, small_size = measure(100)
    big_t, big_size = measure(10_000)
    per_small, per_big = small_t / 100, big_t / 10_000
    print(f"lanes: {len(api.lanes())}")
    print(f"100 events:    build+json {small_t * 1000:8.1f} ms  json {small_size / 1024:8.1f} KiB  "
          f"{per_small * 1e6:8.1f} us/event  {small_size / 100:7.0f} B/event")
    print(f"10000 events:  build+json {big_t * 1000:8.1f} ms  json {big_size / 1024:8.1f} KiB  "
          f"{per_big * 1e6:8.1f} us/event  {big_size / 10_000:7.0f} B/event")
    print(f"per-event time ratio (10000 / 100): {per_big / per_small:.2f}  (target <= 1.00)")
    print(f"per-event size ratio (10000 / 100): {(big_size / 10_000) / (small_size / 100):.2f}")


if __name__ == "__main__":
    main()
