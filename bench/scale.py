"""Reconciliation cost per statement line at 10k, 100k and 1M lines: it must grow linearly.

    .venv/bin/python bench/scale.py                 # the scaling table (the CLI, real exports)
    .venv/bin/python bench/scale.py --duckdb        # 1M orders x 10M bank rows on DuckDB (--scale 0.2: 2M)

**The scaling table.**  ``complaint reconcile --orders … --bank … --format json`` (the report to a
file) on the exports of ``bench/reconcile.py`` at 1,000 orders x 10,000 KBC lines, 10,000 x
100,000 and 100,000 x 1,000,000, each net of the CLI's start-up, best of ``--rounds``, taken in
turns with a Python process reading the same two files with ``pandas.read_csv``.  Printed per size:
the time, the time per statement line, and that per-line time over the per-line time at 10,000
lines.  Linear cost: the per-line time at 1M within 1.5x of the one at 10k (it is lower: the fixed
costs, such as loading the compiled kernels, weigh less on a large file).

**DuckDB** (``--duckdb``): reading the two input CSV files with ``pandas.read_csv`` (pyarrow
engine), then DuckDB reading the same files, normalising them in SQL (cents, day numbers, merchant
rules, refund wording), keeping the rows that can take part in a match, and the shared engine
(``reconcile_frames``) running with the SQL candidate source (``DuckDBCandidates``); each in its own
subprocess (peak memory = its ru_maxrss).  Then the pandas and DuckDB engines are run on the same
generated frames of 1 million bank rows (x scale) and their results compared.

``generate_frames`` is also used by ``tests/test_duckdb_equivalence.py`` and
``tests/test_reconcile_reasons.py``.
"""

# SQL here is assembled from constant fragments only; every value goes in as a parameter or a
# registered frame (the bench also inlines its own file paths): S608 does not apply.
# ruff: noqa: S608
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

OUT = Path(__file__).parent / "out"
FIRST_DAY = 18_630  # 2021-01-04 as a day number
N_DAYS = 1800
AS_OF_DAY = FIRST_DAY + N_DAYS + 10
STRONG = np.array(["aliexpress", "alipay", "paypal-aliexpress"], dtype=object)


def generate_frames(n_orders: int, n_bank: int, seed: int = 11) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Engine frames (orders, txns, promises) with the hard shapes: combined checkouts, USD orders
    paid in EUR (ECB rate + card margin) or shown in USD, same-amount twins on one day (ties),
    duplicate charges, full, partial and purchase-day refunds, PayPal refunds linked by id,
    promises (some to the platform balance), and unrelated noise up to ``n_bank`` rows."""
    from complaint import api

    rates_for = api.ecb_rates
    rng = np.random.default_rng(seed)
    n = n_orders
    day = FIRST_DAY + np.sort(rng.integers(0, N_DAYS, n))
    minute = rng.integers(0, 1440, n)
    combined = rng.random(n) < 0.05
    combined[0] = False
    day = np.where(combined, np.roll(day, 1), day)
    minute = np.where(combined, np.roll(minute, 1), minute)
    usd = rng.random(n) < 0.10
    cents = rng.integers(99, 20_000, n)
    twin = (rng.random(n) < 0.02) & ~combined
    twin[0] = False
    cents = np.where(twin, np.roll(cents, 1), cents)
    day = np.where(twin, np.roll(day, 1), day)
    usd = np.where(twin | combined, np.roll(usd, 1), usd)
    currency = np.where(usd, "USD", "EUR").astype(object)
    refund = rng.random(n) < 0.08
    method = rng.choice(np.array(["", "card", "paypal"], dtype=object), n, p=[0.6, 0.3, 0.1])
    part = refund & (rng.random(n) < 0.15)
    refund_cents = np.where(part, cents // 2, -1)
    since = np.where(refund & (rng.random(n) < 0.5), day + rng.integers(2, 30, n), -1)
    orders = pd.DataFrame({
        "order_id": (8_100_000_000_000_000 + np.arange(n)).astype(str).astype(object),
        "order_day": day.astype(np.int64), "checkout": (day * 1440 + minute).astype(np.int64),
        "currency": currency, "due_cents": cents.astype(np.int64),
        "status": np.where(refund, "closed", "completed").astype(object), "refund_expected": refund,
        "refund_cents": refund_cents.astype(np.int64),
        "refund_reason": np.where(refund, "status:closed", "").astype(object),
        "refund_since_day": since.astype(np.int64), "payment_method": method, "end_reason": "",
    })
    rate = rates_for(currency, day)
    eur = np.rint(cents / rate * np.where(usd, 1.012, 1.0)).astype(np.int64)
    checkout = orders["checkout"].to_numpy()
    pay_eur = pd.Series(eur).groupby(checkout).transform("sum").to_numpy()
    first = ~pd.Series(checkout).duplicated().to_numpy()
    paid = first & (rng.random(n) < 0.97)
    p_idx = np.flatnonzero(paid)
    p_day = day[p_idx] + rng.integers(0, 5, len(p_idx))
    p_merchant = np.where(method[p_idx] == "paypal", "paypal-aliexpress", "aliexpress").astype(object)
    show_usd = usd[p_idx] & (rng.random(len(p_idx)) < 0.5) & ~combined[np.minimum(p_idx + 1, n - 1)]
    p_ref = np.char.add("pay", np.arange(len(p_idx)).astype(str)).astype(object)
    dup = rng.random(len(p_idx)) < 0.005
    r_idx = np.flatnonzero(refund & paid)
    r_idx = r_idx[rng.random(len(r_idx)) < 0.8]
    r_amount = np.where(part[r_idx], eur[r_idx] // 2, eur[r_idx])
    r_day = np.where(rng.random(len(r_idx)) < 0.1, day[r_idx], day[r_idx] + rng.integers(5, 40, len(r_idx)))
    split = rng.random(len(r_idx)) < 0.1
    pos_of_order = np.full(n, -1)
    pos_of_order[p_idx] = np.arange(len(p_idx))
    r_related = np.where(method[r_idx] == "paypal", p_ref[pos_of_order[r_idx]], "").astype(object)
    r_merchant = np.where(method[r_idx] == "paypal", "paypal", "aliexpress").astype(object)
    pieces = [
        _txns("p", p_day, -pay_eur[p_idx], p_merchant, orig=np.where(show_usd, -cents[p_idx], 0),
              orig_cur=np.where(show_usd, "USD", ""), ref=p_ref),
        _txns("d", p_day[dup] + rng.integers(0, 3, dup.sum()), -pay_eur[p_idx][dup], p_merchant[dup]),
        _txns("r", r_day[~split], r_amount[~split], r_merchant[~split], related=r_related[~split], wording=True),
        _txns("s", r_day[split], r_amount[split] // 2, r_merchant[split], related=r_related[split]),
        _txns("t", r_day[split] + 3, r_amount[split] - r_amount[split] // 2, r_merchant[split]),
    ]
    used = sum(len(p) for p in pieces)
    n_noise = max(n_bank - used, 0)
    n_ali = n_noise // 200  # recognised AliExpress debits with no order (other buyers on the card)
    noise_merchant = np.where(np.arange(n_noise) < n_ali, "aliexpress", "").astype(object)
    noise_amount = np.where(rng.random(n_noise) < 0.9, -1, 1) * rng.integers(100, 30_000, n_noise)
    pieces.append(_txns("n", FIRST_DAY + rng.integers(0, N_DAYS, n_noise), noise_amount, noise_merchant))
    txns = pd.concat(pieces, ignore_index=True)
    txns = txns.iloc[rng.permutation(len(txns))].reset_index(drop=True)
    pr = r_idx[rng.random(len(r_idx)) < 0.2]
    promises = pd.DataFrame({
        "promise_id": np.char.add("pr", np.arange(len(pr)).astype(str)).astype(object),
        "order_id": orders["order_id"].to_numpy()[pr], "amount_cents": cents[pr].astype(np.int64),
        "currency": currency[pr], "promised_day": (day[pr] + 4).astype(np.int64),
        "destination": np.where(rng.random(len(pr)) < 0.1, "platform_balance", "original_payment").astype(object),
        "by": "seller",
    })
    return orders, txns, promises


def _txns(prefix: str, day, amount, merchant, orig=None, orig_cur=None, ref=None, related=None,
          wording=False) -> pd.DataFrame:
    k = len(day)
    return pd.DataFrame({
        "txn_id": np.char.add(prefix, np.arange(k).astype(str)).astype(object),
        "day": np.asarray(day, dtype=np.int64), "amount_cents": np.asarray(amount, dtype=np.int64),
        "currency": "EUR", "orig_cents": np.zeros(k, np.int64) if orig is None else np.asarray(orig, np.int64),
        "orig_currency": "" if orig_cur is None else np.asarray(orig_cur, dtype=object),
        "merchant": np.asarray(merchant, dtype=object), "payment_method": "",
        "related_id": "" if related is None else np.asarray(related, dtype=object),
        "bank_reference": "" if ref is None else np.asarray(ref, dtype=object),
        "refund_wording": bool(wording), "is_duplicate": False,
    })


def result_digest(r) -> dict:
    """Everything a reconciliation decides, as plain comparable values."""
    exp = r.expectations
    return {
        "payments": sorted((tuple(map(int, o)), tuple(map(int, t)), round(float(s), 9))
                           for o, t, s in zip(r.payments["order_idx"], r.payments["txn_idx"], r.payments["score"],
                                              strict=True)),
        "refunds": sorted((int(e), tuple(map(int, t)), round(float(s), 9))
                          for e, t, s in zip(r.refunds["exp"], r.refunds["txn_idx"], r.refunds["score"], strict=True)),
        "states": exp["state"].tolist() if len(exp) else [],
        "remaining": exp["remaining_eur"].astype(int).tolist() if len(exp) else [],
        "unmatched": sorted(map(int, r.unmatched_debits)),
        "without": sorted(map(int, r.orders_without_payment)),
        "duplicates": sorted(map(int, r.duplicates["txn"])) if len(r.duplicates) else [],
        "credits_left": sorted(map(int, r.credits_without_refund)),
    }


# -- the files and the measured runs ---------------------------------------------------------------

def write_inputs(n_orders: int, n_bank: int) -> tuple[Path, Path]:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    orders_path, bank_path = OUT / f"scale_orders_{n_orders}.csv", OUT / f"scale_bank_{n_bank}.csv"
    if orders_path.exists() and bank_path.exists():
        return orders_path, bank_path
    OUT.mkdir(parents=True, exist_ok=True)
    orders, txns, _promises = generate_frames(n_orders, n_bank)
    epoch = np.datetime64("1970-01-01")
    o = pd.DataFrame({
        "order_id": orders["order_id"], "order_time": (epoch + orders["checkout"].to_numpy().astype("timedelta64[m]")
                                                       ).astype(str),
        "currency": orders["currency"], "amount": orders["due_cents"] / 100, "status": orders["status"],
        "refund_expected": orders["refund_expected"].astype(int)})
    labels = {"aliexpress": "ALI*ALIEXPRESS.COM LUXEMBOURG", "paypal-aliexpress": "PAYPAL *ALIEXPRESS",
              "paypal": "PAYPAL (EUROPE) S.A R.L.", "": "COLRUYT HALLE"}
    desc = txns["merchant"].map(labels).to_numpy(dtype=object)
    desc = np.where(txns["refund_wording"].to_numpy(), np.char.add("TERUGBETALING ", desc.astype(str)), desc)
    b = pd.DataFrame({"txn_id": txns["txn_id"],
                      "booking_date": (epoch + txns["day"].to_numpy().astype("timedelta64[D]")).astype(str),
                      "amount": txns["amount_cents"] / 100, "currency": txns["currency"], "description": desc})
    pacsv.write_csv(pa.Table.from_pandas(o, preserve_index=False), orders_path)
    pacsv.write_csv(pa.Table.from_pandas(b, preserve_index=False), bank_path)
    return orders_path, bank_path


def run_baseline(orders_path: str, bank_path: str) -> dict:
    t0 = time.perf_counter()
    o = pd.read_csv(orders_path, engine="pyarrow")
    b = pd.read_csv(bank_path, engine="pyarrow")
    return {"read_s": time.perf_counter() - t0, "rows": len(o) + len(b)}


def run_duckdb(orders_path: str, bank_path: str, memory_limit: str) -> dict:
    import duckdb

    from complaint import api

    DEFAULT_RULES, REFUND_WORDING = api.merchant_rules()  # noqa: N806 - the engine's constants
    DuckDBCandidates, reconcile_frames = api.duckdb_candidates, api.reconcile_frames  # noqa: N806

    t0 = time.perf_counter()
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute(f"SET temp_directory = '{OUT / 'duckdb_tmp'}'")
    merchant = "CASE " + " ".join(
        f"WHEN regexp_matches(description, '{r.pattern.replace(chr(39), chr(39) * 2)}', 'i') THEN '{r.merchant}'"
        for r in DEFAULT_RULES) + " ELSE '' END"
    wording = f"regexp_matches(description, '{REFUND_WORDING.pattern.replace(chr(39), chr(39) * 2)}', 'i')"
    orders = con.execute(f"""
        SELECT CAST(order_id AS VARCHAR) AS order_id,
               CAST(epoch(CAST(order_time AS TIMESTAMP)) // 86400 AS BIGINT) AS order_day,
               CAST(epoch(CAST(order_time AS TIMESTAMP)) // 60 AS BIGINT) AS checkout, currency,
               CAST(round(CAST(amount AS DECIMAL(18, 2)) * 100) AS BIGINT) AS due_cents, status,
               refund_expected = 1 AS refund_expected, -1::BIGINT AS refund_cents,
               'status:' || status AS refund_reason, -1::BIGINT AS refund_since_day,
               '' AS payment_method, '' AS end_reason
        FROM read_csv('{orders_path}', types={{'order_id': 'VARCHAR', 'amount': 'VARCHAR'}})""").df()
    txns = con.execute(f"""
        SELECT * FROM (
          SELECT txn_id, CAST(date_diff('day', DATE '1970-01-01', CAST(booking_date AS DATE)) AS BIGINT) AS day,
                 CAST(round(CAST(amount AS DECIMAL(18, 2)) * 100) AS BIGINT) AS amount_cents, currency,
                 0::BIGINT AS orig_cents, '' AS orig_currency, {merchant} AS merchant, '' AS payment_method,
                 '' AS related_id, '' AS bank_reference, {wording} AS refund_wording, false AS is_duplicate
          FROM read_csv('{bank_path}', types={{'amount': 'VARCHAR', 'txn_id': 'VARCHAR'}}))
        WHERE merchant <> '' OR related_id <> ''  -- rows no rule recognises take part in nothing
        ORDER BY day, txn_id""").df()
    bank_rows = con.execute(f"SELECT count(*) FROM read_csv('{bank_path}')").fetchone()[0]
    con.close()
    t_norm = time.perf_counter()
    cands = DuckDBCandidates(memory_limit=memory_limit, temp_directory=str(OUT / "duckdb_tmp"))
    r = reconcile_frames(orders, txns, None, [], as_of_day=AS_OF_DAY, candidates=cands)
    t_end = time.perf_counter()
    missing = int(r.expectations["state"].isin(["pending", "overdue"]).sum())
    return {"total_s": t_end - t0, "read_normalise_s": t_norm - t0, "match_s": t_end - t_norm,
            "bank_rows": int(bank_rows), "relevant_rows": len(txns), "payments": len(r.payments),
            "missing_credits": missing}


def run_equality(n_orders: int, n_bank: int) -> dict:
    from complaint import api

    DuckDBCandidates, reconcile_frames = api.duckdb_candidates, api.reconcile_frames  # noqa: N806

    orders, txns, promises = generate_frames(n_orders, n_bank)
    t0 = time.perf_counter()
    a = reconcile_frames(orders, txns, promises, [], as_of_day=AS_OF_DAY)
    t1 = time.perf_counter()
    b = reconcile_frames(orders, txns, promises, [], as_of_day=AS_OF_DAY, candidates=DuckDBCandidates())
    t2 = time.perf_counter()
    da, db = result_digest(a), result_digest(b)
    return {"equal": da == db, "pandas_s": t1 - t0, "duckdb_s": t2 - t1, "payments": len(da["payments"]),
            "refunds": len(da["refunds"]), "expectations": len(da["states"])}


def _child(args: list[str]) -> tuple[dict, int]:
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(proc.stderr)
    lines = proc.stdout.strip().splitlines()
    return json.loads(lines[-2]), int(lines[-1])


def scaling(rounds: int) -> None:
    """The per-line table (see the module)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_reconcile", Path(__file__).with_name("reconcile.py"))
    rec = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(rec)
    start = min(rec.run_command([rec.cli_path(), "--help"])[0] for _ in range(3))
    rows = []
    for n_orders in (1_000, 10_000, 100_000):
        orders, bank = rec.generate(n_orders)
        n_lines = rec.SIZES[n_orders]
        base, cli = [], []
        for _ in range(rounds):
            base.append(rec.run_command(rec.baseline_command(orders, bank))[0])
            cli.append(rec.run_command([rec.cli_path(), "reconcile", "--orders", str(orders), "--bank", str(bank), "--as-of",
                                 rec.AS_OF, "--format", "json"], str(OUT / "scale_report.json"))[0] - start)
        rows.append((n_orders, n_lines, min(cli), min(base)))
        print(f"  {n_lines:>9,} lines: {min(cli):6.2f} s (rounds {', '.join(f'{x:.2f}' for x in cli)})", flush=True)
    (OUT / "scale_report.json").unlink(missing_ok=True)
    per_10k = rows[0][2] / rows[0][1]
    print(f"\nCLI reconcile from files, net of start-up {start:.2f} s, best of {rounds} in turns with read_csv:")
    print(f"{'orders':>9} {'lines':>10} {'time s':>8} {'us/line':>8} {'vs 10k':>7} {'read_csv s':>11} {'ratio':>6}")
    for n_orders, n_lines, t, b in rows:
        print(f"{n_orders:>9,} {n_lines:>10,} {t:8.2f} {1e6 * t / n_lines:8.2f} {t / n_lines / per_10k:7.2f} "
              f"{b:11.2f} {t / b:5.1f}x")
    worst = rows[-1][2] / rows[-1][1] / per_10k
    print(f"per-line time at 1M / at 10k = {worst:.2f} (linear: <= 1.5) {'OK' if worst <= 1.5 else 'OVER'}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--duckdb", action="store_true", help="the DuckDB run instead of the scaling table")
    ap.add_argument("--rounds", type=int, default=3, help="rounds of the scaling table")
    ap.add_argument("--scale", type=float, default=1.0, help="DuckDB: fraction of 1M orders / 10M bank rows")
    ap.add_argument("--memory-limit", default="8GB", help="DuckDB memory limit (spills beyond it)")
    ap.add_argument("--skip-equality", action="store_true")
    opts = ap.parse_args()
    if not opts.duckdb:
        scaling(opts.rounds)
        return
    n_orders, n_bank = int(1_000_000 * opts.scale), int(10_000_000 * opts.scale)
    t = time.perf_counter()
    orders_path, bank_path = write_inputs(n_orders, n_bank)
    print(f"inputs: {n_orders:,} orders ({orders_path.stat().st_size >> 20} MiB), {n_bank:,} bank rows "
          f"({bank_path.stat().st_size >> 20} MiB)  [ready in {time.perf_counter() - t:.1f} s]", flush=True)
    base, base_rss = _child(["--baseline", str(orders_path), str(bank_path)])
    duck, duck_rss = _child(["--duckdb", str(orders_path), str(bank_path), opts.memory_limit])
    gib = 2 ** 30
    print(f"baseline pandas.read_csv (pyarrow): {base['read_s']:.2f} s, peak {base_rss / gib:.2f} GiB")
    print(f"duckdb end to end: read+normalise {duck['read_normalise_s']:.2f} s + match {duck['match_s']:.2f} s "
          f"= {duck['total_s']:.2f} s, peak {duck_rss / gib:.2f} GiB "
          f"({duck['relevant_rows']:,} of {duck['bank_rows']:,} bank rows can match; "
          f"{duck['payments']:,} payments matched, {duck['missing_credits']:,} missing credits)")
    print(f"ratios vs reading: time {duck['total_s'] / base['read_s']:.2f}x, memory {duck_rss / base_rss:.2f}x")
    if not opts.skip_equality:
        eq, eq_rss = _child(["--equality", str(int(100_000 * opts.scale)), str(int(1_000_000 * opts.scale))])
        print(f"equality on {int(1_000_000 * opts.scale):,} bank rows: pandas {eq['pandas_s']:.2f} s, "
              f"duckdb {eq['duckdb_s']:.2f} s, {eq['payments']:,} payments, {eq['refunds']:,} refunds, "
              f"{eq['expectations']:,} expectations -> {'IDENTICAL' if eq['equal'] else 'DIFFERENT'} "
              f"(peak {eq_rss / gib:.2f} GiB)")


def _report(result: dict) -> None:
    print(json.dumps(result))
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    if sys.argv[1:2] == ["--baseline"]:
        _report(run_baseline(sys.argv[2], sys.argv[3]))
    elif sys.argv[1:2] == ["--duckdb"]:
        _report(run_duckdb(sys.argv[2], sys.argv[3], sys.argv[4]))
    elif sys.argv[1:2] == ["--equality"]:
        _report(run_equality(int(sys.argv[2]), int(sys.argv[3])))
    else:
        main()
