"""`complaint dossier --evidence DIR --order N`: every readable picture of DIR is attached to the
order, goes into the PDF and, GPS-free and hashed, into the ZIP and its manifest; a file that is
not a picture is named on stderr and left out.  A one-order dossier shows that order's figures
with labels in the user's language, never the case's raw keys."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from evidence_factory import jpeg, make_exif
from PIL import Image

from complaint.cli import cli
from complaint.dossier.bundle import sha256, verify_manifest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
ORDER = "8116516504403817"


@pytest.fixture
def photos(tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "clamps_received.jpg").write_bytes(
        jpeg(make_exif(original="2026:06:08 20:15:00", gps=(50.88, 4.70)), seed=7))
    (folder / "label.jpg").write_bytes(jpeg(make_exif(original="2026:06:08 20:16:00"), seed=8))
    (folder / "notes.txt").write_text("not a picture", encoding="utf-8")
    return folder


def _run(args):
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    return result


def test_the_evidence_folder_goes_into_the_zip_gps_free_and_listed(photos, tmp_path):
    out = tmp_path / "out"
    result = _run(["dossier", "--orders", str(SAMPLE / "orders" / "aliexpress_orders.csv"),
                   "--bank", str(SAMPLE / "bank" / "kbc_2025-2026.csv"), "--evidence", str(photos),
                   "--order", ORDER, "--lang", "fr", "--chart", "none", "--as-of", "2026-11-20", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "notes.txt" in result.stderr  # named, not silently dropped
    data = (out / "dossier.zip").read_bytes()
    assert verify_manifest(data) == []
    zf = zipfile.ZipFile(io.BytesIO(data))
    manifest = json.loads(zf.read("manifest.json"))
    copies = {f["name"]: f for f in manifest["files"] if f["name"].startswith("evidence/")}
    assert set(copies) == {"evidence/clamps_received.jpg", "evidence/label.jpg"}
    originals = {p.name: sha256(p.read_bytes()) for p in photos.glob("*.jpg")}
    for name, entry in copies.items():
        assert entry["order_id"] == ORDER and entry["gps_removed"] is True
        assert entry["original_sha256"] == originals[name.split("/")[1]]
        copy = zf.read(name)
        assert entry["sha256"] == sha256(copy)
        with Image.open(io.BytesIO(copy)) as im:
            assert 0x8825 not in im.getexif()  # no GPS block left
    gps_photo = copies["evidence/clamps_received.jpg"]
    assert gps_photo["sha256"] != gps_photo["original_sha256"]  # the copy lost its position
    assert ORDER in manifest["orders"] and manifest["orders"] == [ORDER]


def test_a_stored_case_takes_evidence_for_one_dossier_too(photos, tmp_path):
    db = tmp_path / "cases.sqlite"
    assert _run(["cases", "sample", "--db", str(db)]).exit_code == 0
    out = tmp_path / "out"
    result = _run(["dossier", "--db", str(db), "--case", "Sample case", "--evidence", str(photos / "label.jpg"),
                   "--order", ORDER, "--chart", "none", "--out", str(out)])
    assert result.exit_code == 0, result.output
    names = zipfile.ZipFile(out / "dossier.zip").namelist()
    assert "evidence/label.jpg" in names and "evidence/IMG_20260608_201133.jpg" in names  # given + stored


def _pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed")
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize(("lang", "labels"), [
    ("en", ("Refund promised", "Outstanding", "Business days waited", "refund reference (ARN) 74987506169000123456789")),
    ("fr", ("Remboursement promis", "En souffrance", "Jours ouvrables d'attente", "accordé à l'issue du litige")),
    ("nl", ("Beloofde terugbetaling", "Openstaand", "Gewachte werkdagen", "toegekend na het geschil")),
])
def test_a_one_order_pdf_shows_that_orders_figures_with_labels(tmp_path, lang, labels):
    import complaint

    paths = complaint.export_dossier(complaint.open_sample(), tmp_path, ORDER, lang=lang, chart="none")
    text = " ".join(_pdf_text(paths.pdf).split())
    for label in labels:
        assert label in text, label
    for raw in ("paid eur", "paid_eur", "refunds_expected", "1074", "overdue_eur"):
        assert raw not in text.lower(), raw  # the case's raw keys and totals are not in a one-order dossier
    assert ("14,90 €" if lang != "nl" else "€ 14,90") in text and "109" in text
