"""The bundled sample case: generated deterministically, readable by the importers, and its
planted facts (EXPECTED.json) consistent with the raw files themselves."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from PIL import Image

from complaint.calendar_be import add_business_days
from complaint.importers.values import parse_amount
from complaint.records import Event, OrderAnnotation, Problem, RefundPromise
from complaint.serialize import from_dict

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
GENERATED_SKIP = {"generate.py", "gen_story.py", "gen_banks.py", "gen_media.py", "gen_messages.py", "README.md"}
AS_OF = date(2026, 11, 20)


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> tuple[Path, Path]:
    a, b = tmp_path_factory.mktemp("gen_a"), tmp_path_factory.mktemp("gen_b")
    for out in (a, b):
        subprocess.run([sys.executable, str(SAMPLE / "generate.py"), "--out", str(out)], check=True,
                       capture_output=True, cwd=ROOT)
    return a, b


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads((SAMPLE / "EXPECTED.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def case() -> dict:
    return json.loads((SAMPLE / "case.json").read_text(encoding="utf-8"))


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name not in GENERATED_SKIP and "__pycache__" not in p.parts}


def test_generator_is_deterministic(regenerated):
    a, b = regenerated
    fa, fb = _files(a), _files(b)
    assert len(fa) >= 25
    assert fa == fb


def test_committed_files_are_what_the_generator_writes(regenerated):
    committed = _files(SAMPLE)
    assert set(committed) == set(_files(regenerated[0])), "run `python sample_data/generate.py`"
    stale = [name for name, data in _files(regenerated[0]).items() if committed[name] != data]
    assert stale == [], "run `python sample_data/generate.py`"


# --- raw-file readers, independent of the importers ---------------------------------------------

def _orders() -> dict[str, dict]:
    rows = list(csv.DictReader(io.StringIO((SAMPLE / "orders/aliexpress_orders.csv").read_text("utf-8"))))
    out: dict[str, dict] = {}
    for r in rows:
        o = out.setdefault(r["Order ID"], {"date": r["Order Date"], "store": r["Store"], "currency": r["Currency"],
                                           "status": r["Status"], "total": Decimal("0"), "lines": 0})
        o["total"] += parse_amount(r["Price"]) * int(r["Qty"])
        o["lines"] += 1
    return out


def _kbc() -> list[list[str]]:
    text = (SAMPLE / "bank/kbc_2025-2026.csv").read_bytes().decode("cp1252")
    return [line.split(";") for line in text.split("\r\n") if line]


def _bnppf() -> list[list[str]]:
    return list(csv.reader(io.StringIO((SAMPLE / "bank/bnpparibasfortis_2026.csv").read_text("utf-8")), delimiter=";"))


def _paypal() -> list[dict]:
    return list(csv.DictReader(io.StringIO((SAMPLE / "bank/paypal_activity.csv").read_text("utf-8-sig"))))


def _bank_line(ref: dict) -> list[str]:
    rows = _kbc() if ref["account"] == "kbc" else _bnppf()
    return rows[ref["line"] - 1]


def _bank_amount(ref: dict) -> Decimal:
    cells = _bank_line(ref)
    return parse_amount(cells[8] if ref["account"] == "kbc" else cells[3], "," if ref["account"] == "kbc" else ".")


# --- the raw layouts ---------------------------------------------------------------------------

def test_orders_csv_layout(expected):
    header = (SAMPLE / "orders/aliexpress_orders.csv").read_text("utf-8").splitlines()[0]
    assert header == ('"Order Date","Order ID","Title","Qty","Price","Store","Product ID","SKU ID","Attributes",'
                      '"Price Info","Currency","Status","Product Url","Product Image Url","Store Url","Tags"')
    orders = _orders()
    assert len(orders) == expected["orders"]["count"] == 40
    assert all(len(oid) == 16 and oid.isdigit() for oid in orders)
    assert len({o["store"] for o in orders.values()}) >= 10
    assert {"Completed", "Awaiting delivery", "Awaiting shipment", "Cancelled"} <= {o["status"] for o in orders.values()}
    assert min(o["date"] for o in orders.values()) >= "2025-11-01"
    assert max(o["date"] for o in orders.values()) <= AS_OF.isoformat()


def test_kbc_layout_and_running_balance(expected):
    rows = _kbc()
    assert rows[0][:10] == ["Rekeningnummer", "Rubrieknaam", "Naam", "Munt", "Afschriftnummer", "Datum",
                            "Omschrijving", "Valuta", "Bedrag", "Saldo"]
    assert all(len(r) == 18 for r in rows)
    balance = Decimal(expected["bank_files"]["kbc"]["opening_balance"])
    for r in rows[1:]:
        balance += parse_amount(r[8], ",")
        assert parse_amount(r[9], ",") == balance, r
    assert str(balance) == expected["bank_files"]["kbc"]["closing_balance"]
    assert len(rows) - 1 == expected["bank_files"]["kbc"]["rows"]
    texts = " | ".join(r[6] for r in rows)
    assert "ALIEXPRESS.COM LUXEMBOURG MET KBC-BANKKAART" in texts and "COLRUYT" in texts and "HUUR" in " ".join(
        r[17] for r in rows)


# --- the planted facts -------------------------------------------------------------------------

def test_payments_match_orders_to_the_cent(expected):
    orders = _orders()
    assert sorted(oid for p in expected["payments"] for oid in p["order_ids"]) == sorted(orders)
    for p in expected["payments"]:
        charged = Decimal(p["amount_eur"])
        if all(orders[o]["currency"] == "EUR" for o in p["order_ids"]):
            assert charged == sum(orders[o]["total"] for o in p["order_ids"])
        assert _bank_amount(p["bank"]) == -charged, p
        text = " ".join(_bank_line(p["bank"]))
        assert ("ALIEXPRESS" in text) if p["method"] != "paypal" else ("PAYPAL (EUROPE)" in text)


def test_usd_orders_use_the_ecb_rate_plus_margin(expected):
    from currency_converter import CurrencyConverter

    cc = CurrencyConverter(fallback_on_missing_rate=True, fallback_on_missing_rate_method="last_known")
    orders = _orders()
    assert len(expected["orders"]["usd_priced"]) >= 3
    for u in expected["orders"]["usd_priced"]:
        assert orders[u["order_id"]]["currency"] == "USD"
        assert Decimal(u["usd"]) == orders[u["order_id"]]["total"]
        rate = Decimal(u["ecb_usd_per_eur"])
        assert abs(float(rate) - cc.convert(1, "EUR", "USD", date.fromisoformat(u["rate_date"]))) < 1e-6
        eur = (Decimal(u["usd"]) / rate * (1 + Decimal(u["card_margin"]))).quantize(Decimal("0.01"), ROUND_HALF_UP)
        assert eur == Decimal(u["eur_charged"])


def test_combined_checkout_is_one_debit(expected):
    combo = expected["combined_checkout"]
    orders = _orders()
    assert len(combo["order_ids"]) >= 3 and len(set(combo["stores"])) == len(combo["order_ids"])
    assert len({orders[o]["date"] for o in combo["order_ids"]}) == 1
    assert sum(orders[o]["total"] for o in combo["order_ids"]) == Decimal(combo["debit_eur"])
    assert _bank_amount(combo["bank"]) == -Decimal(combo["debit_eur"])
    hhmm = combo["placed_at"][11:16].replace(":", ".")
    assert f"OM {hhmm} UUR" in _bank_line(combo["bank"])[6]


def test_credited_refunds_are_in_the_files(expected):
    orders = _orders()
    where = {r["where"] for r in expected["refunds_credited"]}
    assert {"kbc", "bnppf", "paypal"} <= where
    assert any(r["partial"] for r in expected["refunds_credited"])
    assert any(not r["partial"] for r in expected["refunds_credited"])
    for r in expected["refunds_credited"]:
        if r["where"] == "paypal":
            row = next(p for p in _paypal() if p["Transaction ID"] == r["paypal_txn"])
            assert row["Type"] == "Payment Refund" and Decimal(row["Gross"]) == Decimal(r["amount_eur"])
            pay = next(p for p in _paypal() if p["Transaction ID"] == row["Reference Txn ID"])
            assert pay["Invoice Number"] == r["order_id"] and Decimal(pay["Gross"]) == -orders[r["order_id"]]["total"]
            mirror = [p for p in _paypal() if p["Type"] == "Bank Deposit to PP Account "
                      and p["Reference Txn ID"] == pay["Transaction ID"]]
            assert len(mirror) == 1
            continue
        assert _bank_amount(r["bank"]) == Decimal(r["amount_eur"]) > 0
        if r["booked_on_purchase_date"]:
            assert r["bank"]["booked"] == orders[r["order_id"]]["date"]
            assert "ANNULATION DU PAIEMENT" in " ".join(_bank_line(r["bank"]))


def test_missing_credits_are_really_missing(expected, case):
    assert {m["state"] for m in expected["missing_credits"]} == {"overdue", "pending"}
    credits = [parse_amount(r[8], ",") for r in _kbc()[1:] if "ALIEXPRESS" in r[6] and not r[8].startswith("-")]
    credits += [parse_amount(r[3], ".") for r in _bnppf()[1:] if "ALIEXPRESS" in r[10] and not r[3].startswith("-")]
    credits += [Decimal(p["Gross"]) for p in _paypal() if "Refund" in p["Type"]]
    promises = {p["order_id"]: p for p in case["promises"]}
    for m in expected["missing_credits"]:
        assert Decimal(m["expected_amount"]) not in credits
        since = date.fromisoformat(m["expected_since"])
        due = add_business_days(since, 20)
        assert m["due_by"] == due.isoformat()
        assert m["state"] == ("overdue" if due < AS_OF else "pending")
        promise = promises[m["order_id"]]
        assert promise["destination"] == "original_payment" and promise["promised_on"] == m["expected_since"]
    balance = expected["refunds_to_platform_balance"]
    assert len(balance) == 1 and promises[balance[0]["order_id"]]["destination"] == "platform_balance"


def test_case_json_follows_the_records(case, expected):
    orders = _orders()
    assert case["as_of"] == AS_OF.isoformat()
    promises = [from_dict(RefundPromise, p) for p in case["promises"]]
    annotations = [from_dict(OrderAnnotation, a) for a in case["annotations"]]
    events = [from_dict(Event, e) for e in case["events"]]
    assert all(p.order_id in orders for p in promises)
    assert all(a.order_id in orders for a in annotations)
    assert all(set(e.order_ids) <= set(orders) and e.origin == "manual" for e in events)
    problems = {a.problem for a in annotations if a.problem}
    assert all(Problem(p) for p in problems)
    for problem, ids in expected["orders_by_problem"].items():
        assert {a.order_id for a in annotations if a.problem == problem} == set(ids)
    assert {"damaged", "missing_item", "short_quantity", "wrong_item", "late"} <= set(expected["orders_by_problem"])
    for group in ("messages", "tracking", "evidence"):
        for rel, order_id in case["files"][group].items():
            assert (SAMPLE / rel).is_file() and order_id in orders


def test_evidence_pictures_have_the_planted_exif(expected):
    folder = SAMPLE / "evidence"
    assert sum(p.stat().st_size for p in folder.iterdir()) < 1_500_000
    photos = [e for e in expected["evidence"] if e["file"].lower().endswith(".jpg")]
    assert 6 <= len(photos) <= 8
    seen = {"offset": 0, "no_offset": 0, "gps": 0, "rot6": 0}
    for e in photos:
        with Image.open(SAMPLE / e["file"]) as img:
            exif = img.getexif()
            sub = exif.get_ifd(0x8769)
            assert exif[0x010F] and exif[0x0110]
            assert sub[0x9003] == e["taken_local"].replace("-", ":").replace("T", " ")
            assert sub.get(0x9011) == e["exif_offset"]
            seen["offset" if e["exif_offset"] else "no_offset"] += 1
            if e["gps"]:
                seen["gps"] += 1
                assert exif.get_ifd(0x8825)[1] == "N"
            if exif.get(0x0112) == 6:
                seen["rot6"] += 1
                assert img.size == (600, 800)
    assert min(seen.values()) >= 1
    shots = [e for e in expected["evidence"] if e["file"].endswith(".png")]
    assert len(shots) == 2 and all(Path(e["file"]).name.startswith("Screenshot_2026") for e in shots)


# --- the project's importers -------------------------------------------------------------------

FORMATS = [
    ("orders/aliexpress_orders.csv", "orders.shopper_inventory_csv"),
    ("orders/aliexpress_bulk_export.tsv", "orders.aliexpress_bulk_tsv"),
    ("bank/kbc_2025-2026.csv", "bank.kbc_csv"),
    ("bank/bnpparibasfortis_2026.csv", "bank.bnppf_csv"),
    ("bank/paypal_activity.csv", "bank.paypal_csv"),
]


@pytest.mark.parametrize(("rel", "importer"), FORMATS)
def test_importers_read_the_sample_files(rel, importer, expected):
    from complaint import api

    result = api.import_file(SAMPLE / rel)
    assert result.importer == importer
    assert result.rejected == ()
    assert result.rows_total == result.rows_imported + len(result.skipped)
    if result.kind == "orders":
        ids = {o.order_id for o in result.records}
        wanted = expected["orders"]["bulk_tsv_order_ids"] if rel.endswith(".tsv") else list(_orders())
        assert ids == set(wanted)
        totals = _orders()
        for o in result.records:
            if totals[o.order_id]["currency"] == "EUR":
                assert o.total == totals[o.order_id]["total"], o.order_id
    else:
        assert result.balance_check.status in ("ok", "not-available")
        amounts = {(t.booking_date.isoformat(), t.amount) for t in result.records}
        account = "kbc" if "kbc" in rel else "bnppf" if "bnp" in rel else "paypal"
        if account == "paypal":
            for r in expected["paypal"]:
                if "amount" in r:
                    assert (r["on"], Decimal(r["amount"])) in amounts
            return
        refs = [p["bank"] for p in expected["payments"] if p["bank"]["account"] == account]
        refs += [r["bank"] for r in expected["refunds_credited"] if r.get("bank", {}).get("account") == account]
        assert refs
        for ref in refs:
            assert (ref["booked"], Decimal(ref["amount"])) in amounts
