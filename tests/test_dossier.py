"""Dossier PDF and ZIP: manifest, tamper detection, safe names, CSV injection, PDF text."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from dataclasses import replace

import pytest
from click.testing import CliRunner
from dossier_case import AS_OF, LAMP, PHOTOS, REFUND, build_case, build_recon

from complaint.dossier.build import ECC_MAX_FILES, build_dossier, export_dossier, verify_manifest
from complaint.dossier.bundle import Bundle, is_safe_member, safe_name, write_zip
from complaint.errors import ComplaintError


def loader(ev):
    return PHOTOS.get(ev.sha256)


@pytest.fixture(scope="module")
def full():
    return build_dossier(build_case(), lang="fr", as_of=AS_OF, reconciliation=build_recon(), evidence_loader=loader,
                         chart="none")


def pdf_text(data: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed")
    path = tmp_path / "d.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_zip_manifest_verifies_and_lists_everything(full):
    assert verify_manifest(full.zip) == []
    zf = zipfile.ZipFile(io.BytesIO(full.zip))
    names = zf.namelist()
    assert {"dossier.pdf", "deadlines.ics", "manifest.json", "MANIFEST.sha256", "data/chronology.csv",
            "data/reconciliation.csv", "data/transactions.csv"} <= set(names)
    assert any(n.startswith("letters/formal_notice_") for n in names)
    assert "evidence/lampe_cassée.jpg" in names
    manifest = json.loads(zf.read("manifest.json"))
    assert {f["name"] for f in manifest["files"]} == set(names) - {"manifest.json", "MANIFEST.sha256"}
    copy = next(f for f in manifest["files"] if f["name"] == "evidence/lampe_cassée.jpg")
    assert copy["original_sha256"] == "a" * 64 and copy["gps_removed"] is True


def test_tampered_zip_fails(full):
    src = zipfile.ZipFile(io.BytesIO(full.zip))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "data/transactions.csv":
                data += b"forged,row\r\n"
            dst.writestr(info, data)
        dst.writestr("extra.txt", b"not listed")
    problems = verify_manifest(out.getvalue())
    assert any("transactions.csv" in p for p in problems)
    assert any("extra.txt" in p for p in problems)
    assert verify_manifest(b"not a zip")


@pytest.mark.parametrize("hostile", ["../../etc/passwd", "..\\x.jpg", "a\x00b.jpg", "/abs/path.jpg", "C:\\w\\y.png",
                                     "..", "", "é" * 300 + ".jpg", "con|<>?*.jpg"])
def test_hostile_file_names_are_neutralised(hostile):
    name = safe_name(hostile)
    assert name and "/" not in name and "\\" not in name and "\x00" not in name and name not in (".", "..")
    assert len(name.encode()) <= 120
    if hostile.endswith(".jpg") and "\x00" not in hostile:
        assert name.endswith(".jpg")
    bundle = Bundle()
    first = bundle.add("evidence", hostile, b"1")
    second = bundle.add("evidence", hostile, b"2")
    assert first != second and is_safe_member(first) and is_safe_member(second)
    data = write_zip(bundle, {}, __import__("datetime").datetime(2026, 4, 20))
    assert verify_manifest(data) == []
    assert all(n.startswith("evidence/") or n.startswith("MANIFEST") or n == "manifest.json"
               for n in zipfile.ZipFile(io.BytesIO(data)).namelist())


def test_csv_cells_are_neutralised(tmp_path):
    case = build_case()
    case.transactions = [replace(t, counterparty="=HYPERLINK(\"http://x\",\"y\")", description="+cmd|' /C calc'!A0",
                                 communication="@SUM(1+1)") for t in case.transactions]
    result = build_dossier(case, order_id=LAMP, as_of=AS_OF, reconciliation=build_recon(), evidence_loader=loader,
                           chart="none")
    csv_text = zipfile.ZipFile(io.BytesIO(result.zip)).read("data/transactions.csv").decode()
    assert "'=HYPERLINK" in csv_text and "'+cmd" in csv_text and "'@SUM" in csv_text
    assert ",=HYPERLINK" not in csv_text and ",+cmd" not in csv_text


def test_pdf_text_has_order_missing_amount_and_accents(full, tmp_path):
    text = pdf_text(full.pdf, tmp_path)
    assert LAMP in text and REFUND in text
    assert "23,50 €" in text
    for word in ("cassée", "Größe", "Éloïse"):
        assert word in text


def test_accents_in_pdf_with_ł_and_ë(tmp_path):
    case = build_case()
    case.orders = [replace(o, store="Sklep Łódź – Zoë") if o.order_id == LAMP else o for o in case.orders]
    result = build_dossier(case, order_id=LAMP, lang="de", as_of=AS_OF, reconciliation=build_recon(),
                           evidence_loader=loader, chart="none")
    text = pdf_text(result.pdf, tmp_path)
    assert "Łódź" in text and "Zoë" in text and "Größe" in text  # case name
    assert "Boutique Éloïse" not in text  # one order only


def test_ecc_variant_at_most_8_files(tmp_path):
    result = build_dossier(build_case(), lang="nl", as_of=AS_OF, reconciliation=build_recon(), evidence_loader=loader,
                           variant="ecc", chart="none")
    names = zipfile.ZipFile(io.BytesIO(result.zip)).namelist()
    assert len(names) <= ECC_MAX_FILES
    assert {"1-summary.pdf", "2-correspondence.pdf"} <= set(names)
    assert verify_manifest(result.zip) == []
    assert "Message au vendeur" in pdf_text(zipfile.ZipFile(io.BytesIO(result.zip)).read("2-correspondence.pdf"),
                                            tmp_path)


def test_export_writes_files_and_rejects_unknown_order(tmp_path):
    paths = export_dossier(build_case(), tmp_path / "out", order_id=REFUND, lang="en", as_of=AS_OF,
                           reconciliation=build_recon(), evidence_loader=loader, chart="none")
    assert paths.pdf.read_bytes().startswith(b"%PDF") and verify_manifest(paths.zip.read_bytes()) == []
    with pytest.raises(ComplaintError):
        export_dossier(build_case(), tmp_path / "x", order_id="123", as_of=AS_OF, reconciliation=build_recon())


def test_missing_original_is_noted_not_fatal():
    result = build_dossier(build_case(), order_id=LAMP, as_of=AS_OF, reconciliation=build_recon(),
                           evidence_loader=lambda ev: None, chart="none")
    assert any("lampe_cassée.jpg" in n for n in result.notes)
    assert verify_manifest(result.zip) == []


def test_cli_dossier_help_and_errors(tmp_path):
    from complaint.cli.dossier import command

    runner = CliRunner()
    result = runner.invoke(command, ["--help"])
    assert result.exit_code == 0 and "--variant" in result.output and "--ics" in result.output
    result = runner.invoke(command, ["--out", str(tmp_path)])
    assert result.exit_code != 0
