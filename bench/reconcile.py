"""Reconciliation at scale: 100,000 orders and 1,000,000 bank rows, end to end vs plain reading.

    .venv/bin/python bench/reconcile.py            # generate (cached under bench/out/) and measure

The generated statement is realistic: USD orders are debited in EUR at the ECB rate of the booking
day (the same bundled ECB history the engine reads) plus a card margin of 1-2 %, refunds of USD
orders at the rate of their day; 5 % of orders share a checkout (one debit for the cart); most
bank rows are groceries, rent and transport that name no merchant of the case.

Baseline: ``pandas.read_csv`` with its defaults reading the same two files.  End to end: the read
(``pyarrow.csv``, every bank field as text, the description as a dictionary), normalisation
(merchant rules on each distinct text; then only the rows of a recognised merchant have their
dates and amounts parsed, exactly, as decimals: the engine would drop the other rows first anyway),
matching (``reconcile_frames``, the same engine ``reconcile()`` uses) and the report (summary and
missing credits), printed per stage.  Both are timed in turns, five rounds in one fresh process (a
shared machine's speed drifts); the figure is best against best, the first end-to-end round left
out (it loads the compiled kernels from numba's disk cache and the ECB table; printed too).  Peak
memory: the ru_maxrss of a process that only runs the end-to-end path.  Targets: at most 5x the
baseline read time and under 2 GiB.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

OUT = Path(__file__).parent / "out"
GEN = "v2"  # bump when the generator changes (files are cached under bench/out/)
ORDERS = OUT / f"orders_100k_{GEN}.csv"
BANK = OUT / f"bank_1m_{GEN}.csv"
N_ORDERS, N_BANK = 100_000, 1_000_000
FIRST_DAY = np.datetime64("2021-01-04")
N_DAYS = 1800
AS_OF = "2026-01-15"


def generate(seed: int = 7) -> None:
    if ORDERS.exists() and BANK.exists():
        return
    OUT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    day = np.sort(rng.integers(0, N_DAYS, N_ORDERS))
    minute = rng.integers(0, 1440, N_ORDERS)
    combined = rng.random(N_ORDERS) < 0.05  # 5 % share the checkout minute of the previous order
    combined[0] = False
    day = np.where(combined, np.roll(day, 1), day)
    minute = np.where(combined, np.roll(minute, 1), minute)
    usd = rng.random(N_ORDERS) < 0.10
    cents = rng.integers(99, 20_000, N_ORDERS)
    ts = FIRST_DAY + day.astype("timedelta64[D]") + minute.astype("timedelta64[m]")
    refund = rng.random(N_ORDERS) < 0.08
    orders = pd.DataFrame({
        "order_id": (3_000_000_000_000_000 + np.arange(N_ORDERS)).astype(str),
        "order_time": pd.to_datetime(ts).strftime("%Y-%m-%dT%H:%M:00"),
        "currency": np.where(usd, "USD", "EUR"),
        "amount": _fmt(cents),
        "status": np.where(refund, "cancelled", "completed"),
        "refund_expected": refund.astype(int),
    })
    orders.to_csv(ORDERS, index=False)
    # payments: one debit per checkout, booked 0-4 days later; EUR exact, USD at the ECB rate of the
    # booking day plus the card's margin (1-2 %), as a Belgian card statement shows it
    from complaint import api

    rates_for = api.ecb_rates
    epoch = (FIRST_DAY - np.datetime64("1970-01-01")).astype(np.int64)
    lag = rng.integers(0, 5, N_ORDERS)
    margin = 1 + rng.uniform(0.01, 0.02, N_ORDERS)
    usd_rate = rates_for(np.full(N_ORDERS, "USD", dtype=object), epoch + day + lag)
    eur_cents = np.where(usd, np.rint(cents / usd_rate * margin), cents).astype(np.int64)
    checkout = pd.Series(day * 1440 + minute)
    pay_cents = pd.Series(eur_cents).groupby(checkout.to_numpy()).transform("sum").to_numpy()
    first = ~checkout.duplicated().to_numpy()
    paid = first & (rng.random(N_ORDERS) < 0.97)  # 3 % of orders have no payment on the statements
    p_day = day[paid] + lag[paid]
    p_amount = -pay_cents[paid]
    # refunds: 80 % of expected refunds credited, some on the purchase date
    r_idx = np.flatnonzero(refund & paid)
    r_idx = r_idx[rng.random(len(r_idx)) < 0.8]
    r_day = np.where(rng.random(len(r_idx)) < 0.1, day[r_idx], day[r_idx] + rng.integers(5, 40, len(r_idx)))
    r_rate = rates_for(np.full(len(r_idx), "USD", dtype=object), epoch + r_day)
    r_amount = np.where(usd[r_idx], np.rint(cents[r_idx] / r_rate), eur_cents[r_idx]).astype(np.int64)
    n_noise = N_BANK - len(p_day) - len(r_day)
    noise_day = rng.integers(0, N_DAYS, n_noise)
    noise_amount = -rng.integers(100, 30_000, n_noise)
    shops = np.array(["COLRUYT HALLE", "DELHAIZE BRUXELLES", "SNCB NMBS", "BOL.COM", "PROXIMUS", "SHELL 1234"])
    desc = np.concatenate([np.full(len(p_day), "ALI*ALIEXPRESS.COM LUXEMBOURG"),
                           np.full(len(r_day), "TERUGBETALING ALIEXPRESS.COM LUXEMBOURG"),
                           shops[rng.integers(0, len(shops), n_noise)]])
    all_day = np.concatenate([p_day, r_day, noise_day])
    bank = pd.DataFrame({
        "txn_id": np.char.add("b", np.arange(N_BANK).astype(str)),
        "booking_date": pd.to_datetime(FIRST_DAY + all_day.astype("timedelta64[D]")).strftime("%Y-%m-%d"),
        "amount": _fmt(np.concatenate([p_amount, r_amount, noise_amount])),
        "currency": "EUR",
        "description": desc,
    }).sample(frac=1.0, random_state=seed)
    bank.to_csv(BANK, index=False)


def _fmt(cents: np.ndarray) -> np.ndarray:
    sign = np.where(cents < 0, "-", "")
    a = np.abs(cents)
    return np.char.add(np.char.add(np.char.add(sign, (a // 100).astype(str)), "."),
                       np.char.zfill((a % 100).astype(str), 2))


def end_to_end(reference: bool = False, digest: bool = False) -> dict:
    """Read (typed, pyarrow), normalise, match, report: the whole path, timed.  ``reference``: match
    with the straightforward path instead (``--check`` compares both)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyarrow import csv

    from complaint import api

    api.load_compiled_kernels()  # imports (numba's too) are outside the timing, as pandas' for the baseline
    DEFAULT_RULES, REFUND_WORDING = api.merchant_rules()  # noqa: N806 - the engine's constants
    reconcile_frames, EPOCH = api.reconcile_frames, api.DAY_EPOCH  # noqa: N806

    t0 = time.perf_counter()
    c0 = time.process_time()
    text = pa.string()
    money = pa.decimal128(18, 2)  # exact: a third decimal is an error of the reader, not rounded away
    o = csv.read_csv(ORDERS, convert_options=csv.ConvertOptions(column_types={
        "order_id": text, "order_time": pa.timestamp("s"), "currency": text, "amount": money, "status": text,
        "refund_expected": pa.int8()}))
    # the statement: every field as text (the dates and amounts of groceries and rent are never
    # needed), the description as a dictionary: a statement repeats its texts
    b = csv.read_csv(BANK, convert_options=csv.ConvertOptions(column_types={
        "txn_id": text, "booking_date": text, "amount": text, "currency": text,
        "description": pa.dictionary(pa.int32(), text)})).unify_dictionaries()
    t_read = time.perf_counter()

    def cents(col) -> np.ndarray:
        """decimal128(18, 2) -> int64 cents without arithmetic: the unscaled value is the cents, stored
        as 128-bit little-endian words; the low word is it when the high word is its sign."""
        parts = []
        for chunk in (col.chunks if isinstance(col, pa.ChunkedArray) else [col]):
            if chunk.null_count:
                raise ValueError(f"{chunk.null_count} empty amounts")
            words = np.frombuffer(chunk.buffers()[1], dtype=np.int64)[2 * chunk.offset:2 * (chunk.offset + len(chunk))]
            low, high = words[0::2], words[1::2]
            if not np.array_equal(high, low >> 63):
                raise ValueError("an amount beyond 64-bit cents")
            parts.append(low)
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def blank(n: int) -> pd.Series:  # n empty strings, pyarrow-backed, without building them one by one
        arr = pa.StringArray.from_buffers(n, pa.py_buffer(np.zeros(n + 1, dtype=np.int32)), pa.py_buffer(b""))
        return pd.Series(pd.arrays.ArrowExtensionArray(arr), copy=False)

    def series(arr) -> pd.Series:  # pyarrow-backed strings, no Python objects
        arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
        return pd.Series(pd.arrays.ArrowExtensionArray(arr), copy=False)

    minutes = pc.divide(pc.cast(o["order_time"], pa.int64()), 60).to_numpy()
    status = series(o["status"])
    orders = pd.DataFrame({
        "order_id": series(o["order_id"]), "order_day": minutes // 1440, "checkout": minutes,
        "currency": series(o["currency"]), "due_cents": cents(o["amount"]), "status": status,
        "refund_expected": o["refund_expected"].to_numpy().astype(bool),
        "refund_cents": -1, "refund_reason": "status:" + status, "refund_since_day": -1,
        "payment_method": blank(len(o)), "end_reason": blank(len(o))})
    # merchant rules on each distinct statement text once, then spread to the rows by the dictionary
    # codes; only the rows of a recognised merchant go on (as the engine's first step would): their
    # dates and amounts are parsed, the other rows are counted, not converted
    desc = b["description"]
    texts = desc.chunk(0).dictionary if desc.num_chunks else pa.array([], text)
    found = np.full(len(texts) + 1, "", dtype=object)  # [-1]: no description
    for rule in reversed(DEFAULT_RULES):  # first rule wins: apply in reverse, later overwrite earlier
        hit = pc.match_substring_regex(texts, rule.pattern, ignore_case=True).to_numpy(zero_copy_only=False)
        found[:-1][hit] = rule.merchant
    row_text = np.concatenate([pc.fill_null(c.indices, -1).to_numpy() for c in desc.chunks]).astype(np.int64) \
        if desc.num_chunks else np.zeros(0, dtype=np.int64)
    rows = np.flatnonzero((found != "")[row_text])
    sub = b.select(["txn_id", "booking_date", "amount", "currency"]).take(pa.array(rows))
    names, inverse = np.unique(found.astype(str), return_inverse=True)
    merchant = pa.DictionaryArray.from_arrays(pa.array(inverse[row_text[rows]].astype(np.int32)),
                                              pa.array(names.tolist())).cast(text)
    wording = np.append(pc.match_substring_regex(texts, REFUND_WORDING.pattern, ignore_case=True).to_numpy(
        zero_copy_only=False), False)[row_text[rows]]
    n = len(sub)
    txns = pd.DataFrame({
        "txn_id": series(sub["txn_id"]),
        "day": pc.cast(pc.cast(sub["booking_date"], pa.date32()), pa.int32()).to_numpy().astype(np.int64),
        "amount_cents": cents(pc.cast(sub["amount"], money)), "currency": series(sub["currency"]),
        "orig_cents": np.zeros(n, np.int64), "orig_currency": blank(n), "merchant": series(merchant),
        "payment_method": blank(n), "related_id": blank(n), "bank_reference": blank(n),
        "refund_wording": wording, "is_duplicate": np.zeros(n, dtype=bool)})
    t_norm = time.perf_counter()
    as_of = (np.datetime64(AS_OF) - np.datetime64(EPOCH)).astype(np.int64)
    r = reconcile_frames(orders, txns, None, [], as_of_day=int(as_of), reference=reference)
    t_match = time.perf_counter()
    exp = r.expectations
    summary = {
        "paid_eur": r.paid_eur_cents() / 100,
        "refunds_expected_eur": int(exp["eur"][exp["needs_credit"]].sum()) / 100,
        "refunds_credited_eur": int(exp["credited_eur"].sum()) / 100,
        "refunds_pending_eur": int(exp["remaining_eur"][exp["state"] == "pending"].sum()) / 100,
        "refunds_overdue_eur": int(exp["remaining_eur"][exp["state"] == "overdue"].sum()) / 100,
    }
    missing = exp[exp["state"].isin(["pending", "overdue"])]
    since = (np.datetime64(EPOCH, "D") + missing["since_day"].to_numpy(dtype=np.int64)).astype(str).tolist()
    minor = missing["remaining_cents"].to_numpy(dtype=np.int64)
    items = zip(missing["order_id"].tolist(), (minor / 100).tolist(), missing["currency"].tolist(), since,
                missing["waiting"].tolist(), missing["state"].tolist(), strict=True)
    report = json.dumps({"summary": summary, "missing_credits": [
        {"order_id": o_id, "expected_amount": amount, "currency": cur, "expected_since": day,
         "business_days_waiting": waiting, "state": state} for o_id, amount, cur, day, waiting, state in items]})
    t_end = time.perf_counter()
    pay = r.payment_rows
    pay_modes = np.bincount(pay["mode"].to_numpy(dtype=np.int64), minlength=3) if len(pay) else [0] * 3
    return {"cpu_s": time.process_time() - c0, "read_s": t_read - t0, "normalise_s": t_norm - t_read, "match_s": t_match - t_norm,
            "report_s": t_end - t_match, "total_s": t_end - t0, "payments": len(pay),
            "combined": int((r.payment_orders.sizes() > 1).sum()), "via_ecb": int(pay_modes[2]),
            "missing_credits": len(missing), "unmatched_debits": len(r.unmatched_debits),
            "orders_without_payment": len(r.orders_without_payment), "report_bytes": len(report),
            "summary": summary, "bank_rows": len(b), "recognised_rows": n,
            "outcome": _outcome(r, rows) if digest else ""}


def _outcome(r, rows: np.ndarray) -> str:
    """A digest of everything matched and left over (for --check), transactions as rows of the file
    (``rows``: the file row of each matched-on transaction)."""
    import hashlib

    def up(idx):
        idx = np.asarray(idx, dtype=np.int64)
        return np.where(idx >= 0, rows[np.maximum(idx, 0)], idx)

    pay = sorted((tuple(map(int, o)), tuple(map(int, t)), round(float(s), 6))
                 for o, t, s in zip(r.payments["order_idx"], map(up, r.payments["txn_idx"]), r.payments["score"],
                                    strict=True))
    ref = sorted((int(e), tuple(map(int, up(t))), round(float(s), 6)) for e, t, s in
                 zip(r.refunds["exp"], r.refunds["txn_idx"], r.refunds["score"], strict=True))
    ties = sorted(zip(up(r.payments["tie_txn"].fillna(-1).astype(int)).tolist(),
                      up(r.payments["txn"].fillna(-1).astype(int)).tolist(), strict=True))
    exp = r.expectations[["order_id", "state", "remaining_cents", "remaining_eur", "due_day", "waiting"]]
    dups = r.duplicates.assign(txn=up(r.duplicates["txn"]), original_txn=up(r.duplicates["original_txn"]))
    text = repr((pay, ref, ties, exp.to_numpy().tolist(), up(r.unmatched_debits).tolist(),
                 r.orders_without_payment.tolist(), up(r.credits_without_refund).tolist(), dups.to_numpy().tolist()))
    return hashlib.sha256(text.encode()).hexdigest()


def interleaved(rounds: int) -> list[dict]:
    """Baseline and end to end taken in turns in one process, so both see the same machine (a shared
    machine's speed drifts by tens of percent within a minute)."""
    out = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        c0 = time.process_time()
        pd.read_csv(ORDERS)
        pd.read_csv(BANK)
        base, base_cpu = time.perf_counter() - t0, time.process_time() - c0
        out.append({"baseline_s": base, "baseline_cpu_s": base_cpu, **end_to_end()})
    return out


def main() -> None:
    t = time.perf_counter()
    generate()
    print(f"data: {ORDERS.name} ({ORDERS.stat().st_size >> 20} MiB), {BANK.name} ({BANK.stat().st_size >> 20} MiB)"
          f"  [ready in {time.perf_counter() - t:.1f} s]")
    # memory: a process that only runs the end-to-end path (its ru_maxrss is the peak)
    subprocess.run([sys.executable, __file__, "--e2e"], capture_output=True, text=True, check=True)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = usage.ru_maxrss * 1024
    proc = subprocess.run([sys.executable, __file__, "--interleaved", "5"], capture_output=True, text=True,
                          check=True)
    runs = json.loads(proc.stdout.strip().splitlines()[-1])
    baseline = min(r["baseline_s"] for r in runs)
    result = min(runs[1:], key=lambda r: r["total_s"])  # runs[0] loads the kernels and the ECB table
    print(f"baseline pandas.read_csv (default), best of {len(runs)}: {baseline:.3f} s  (runs: "
          + ", ".join(f"{r['baseline_s']:.3f}" for r in runs) + ")")
    print("end to end, best of {n}: read {read_s:.3f} s + normalise {normalise_s:.3f} s + match {match_s:.3f} s + "
          "report {report_s:.3f} s = {total_s:.3f} s".format(n=len(runs) - 1, **result))
    print("  runs: " + ", ".join(f"{r['total_s']:.3f}" for r in runs) + " s, taken in turns with the baseline; "
          f"the first (loads the compiled kernels and the ECB table) = {runs[0]['total_s'] / baseline:.2f}x")
    print(f"bank rows {result['bank_rows']:,} ({result['recognised_rows']:,} name AliExpress/PayPal and are matched; "
          f"the others are read and counted); payments matched {result['payments']} (combined checkouts "
          f"{result['combined']}, through the ECB rate {result['via_ecb']}), missing credits {result['missing_credits']}, "
          f"debits without order {result['unmatched_debits']}, orders without payment {result['orders_without_payment']}")
    pairs = sorted(r["total_s"] / r["baseline_s"] for r in runs[1:])
    cpu = min(r["cpu_s"] for r in runs[1:]) / min(r["baseline_cpu_s"] for r in runs)
    print("per-round ratios: " + ", ".join(f"{x:.2f}" for x in pairs) + f"; CPU time ratio {cpu:.2f}x")
    ratio = result["total_s"] / baseline
    print(f"ratio end-to-end / read: {ratio:.2f}x (target <= 5x) {'OK' if ratio <= 5 else 'OVER'}")
    print(f"peak memory (end-to-end process maxrss): {peak / 2**30:.2f} GiB (target < 2 GiB) "
          f"{'OK' if peak < 2 * 2**30 else 'OVER'}")


if __name__ == "__main__":
    if "--check" in sys.argv:  # the fast path against the reference on the full data (slow)
        generate()
        fast, ref = end_to_end(digest=True), end_to_end(reference=True, digest=True)
        print(f"fast {fast['total_s']:.1f} s, reference {ref['total_s']:.1f} s; payments {fast['payments']} vs "
              f"{ref['payments']}; outcome digest {'IDENTICAL' if fast['outcome'] == ref['outcome'] else 'DIFFERENT'}")
        sys.exit(0 if fast["outcome"] == ref["outcome"] else 1)
    if "--e2e" in sys.argv:
        print(json.dumps(end_to_end()))
    elif "--interleaved" in sys.argv:
        print(json.dumps(interleaved(int(sys.argv[sys.argv.index("--interleaved") + 1]))))
    else:
        main()
