"""complaint evidence: the CLI contract (JSON keys, never stopping on a bad file, csv/table, --case)."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from click.testing import CliRunner
from evidence_factory import encode, jpeg, make_exif, picture

from complaint.cli import cli
from complaint.store.db import Store

CONTRACT_KEYS = {"path", "sha256", "captured_at", "time_source", "camera", "gps", "width", "height", "error"}


def _files(tmp_path):
    (tmp_path / "IMG_1.jpg").write_bytes(jpeg(make_exif("2026:03:14 10:15:00", subsec="5", offset="+01:00",
                                                        gps=(50.8466, 4.3528), make="Apple", model="iPhone 15")))
    (tmp_path / "broken.jpg").write_bytes(b"not an image")
    with zipfile.ZipFile(tmp_path / "chat.zip", "w") as zf:
        zf.writestr("WhatsApp/IMG-20260316-WA0001.jpg", jpeg(None, seed=5))
    return [str(tmp_path / "IMG_1.jpg"), str(tmp_path / "broken.jpg"), str(tmp_path / "chat.zip")]


def test_json_contract(tmp_path):
    res = CliRunner().invoke(cli, ["evidence", *_files(tmp_path), "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert len(rows) == 3 and all(CONTRACT_KEYS <= set(r) for r in rows)
    photo, broken, chat = rows
    assert photo["captured_at"] == "2026-03-14T10:15:00.500000+01:00"
    assert photo["time_source"] == "exif" and photo["camera"] == "Apple iPhone 15"
    assert photo["gps"] == {"lat": 50.8466, "lon": 4.3528} and photo["error"] is None
    assert (photo["width"], photo["height"]) == (160, 120) and len(photo["sha256"]) == 64
    assert broken["error"] and "broken.jpg" in broken["error"] and broken["captured_at"] is None
    assert chat["path"].endswith("chat.zip!/WhatsApp/IMG-20260316-WA0001.jpg")
    assert chat["time_source"] == "filename" and chat["captured_at"].startswith("2026-03-16T00:00:00+01:00")
    assert "3 files read, 1 unreadable" in res.stderr


def test_csv_table_tz_and_strict(tmp_path):
    paths = _files(tmp_path)
    res = CliRunner().invoke(cli, ["evidence", paths[0], "--format", "csv", "--tz", "UTC"])
    [row] = list(csv.DictReader(io.StringIO(res.stdout)))
    assert row["time_source"] == "exif" and row["captured_at"].endswith("+01:00")  # EXIF offset wins over --tz
    table = CliRunner().invoke(cli, ["evidence", paths[2], "--tz", "UTC"])
    assert "filename" in table.stdout and "2026-03-16T00:00:00+00:00" in table.stdout
    assert CliRunner().invoke(cli, ["evidence", *paths, "--strict", "--format", "json"]).exit_code == 1


def test_unknown_zone_is_a_usage_error(tmp_path):
    res = CliRunner().invoke(cli, ["evidence", _files(tmp_path)[0], "--tz", "Mars/Olympus"])
    assert res.exit_code == 2 and "Mars/Olympus" in res.stderr


def test_duplicates_flagged(tmp_path):
    data = encode(picture((320, 240), seed=9), "JPEG", quality=90)
    (tmp_path / "a.jpg").write_bytes(data)
    (tmp_path / "b.jpg").write_bytes(data)
    rows = json.loads(CliRunner().invoke(cli, ["evidence", str(tmp_path), "--format", "json"]).stdout)
    assert rows[0]["duplicate_of"] is None and rows[1]["duplicate_of"] == rows[0]["sha256"]


def test_store_in_case(tmp_path):
    db = tmp_path / "cases.sqlite"
    store = Store.open(str(db))
    case = store.create_case("Sofa")
    paths = _files(tmp_path)
    res = CliRunner().invoke(cli, ["evidence", *paths, "--db", str(db), "--case", "Sofa", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert "2 new pictures stored" in res.stderr
    stored = Store.open(str(db)).load_case(case.id).evidence
    assert sorted(e.file_name for e in stored) == ["IMG-20260316-WA0001.jpg", "IMG_1.jpg"]
    again = CliRunner().invoke(cli, ["evidence", paths[0], "--db", str(db), "--case", "Sofa"])
    assert "0 new pictures stored" in again.stderr
