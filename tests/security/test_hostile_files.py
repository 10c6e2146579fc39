"""Hostile files never exhaust memory, escape a folder or expand entities: ZIP bombs (ratio and
member count), ``../`` and absolute member names, images claiming billions of pixels, CSVs over
the size and row caps (checked before decoding), case files over the limits, and XML with
billion-laughs or external entities (camt.053, OFX v2) through ``import_file``."""

from __future__ import annotations

import io
import json
import time
import zipfile
from pathlib import Path

import pytest
from evidence_factory import jpeg, png_bomb_header

from complaint.errors import ComplaintError, LimitExceeded
from complaint.evidence.ingest import ingest_bytes, ingest_paths, ingest_upload
from complaint.importers import textio
from complaint.importers.base import import_file
from complaint.store.db import Store

DATA = Path(__file__).resolve().parents[1] / "data"
MB = 1024 * 1024


def _zip(members: dict[str, bytes], level: int = 9) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name, (2026, 3, 10, 10, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


@pytest.fixture(scope="module")
def ratio_bomb() -> bytes:
    """200 MB of zeros in one member: about 200 KB on disk (ratio ~1000:1)."""
    return _zip({"photo.jpg": bytes(200 * MB)})


# -- ZIPs of evidence ------------------------------------------------------------------------------
def test_evidence_zip_bomb_is_refused_before_unpacking(ratio_bomb, monkeypatch):
    assert len(ratio_bomb) < 1 * MB
    read = []
    monkeypatch.setattr(zipfile.ZipFile, "read", lambda self, *a, **k: read.append(a) or b"")
    started = time.perf_counter()
    try:
        out = ingest_upload("bomb.zip", ratio_bomb)
    except LimitExceeded as exc:
        assert "limit" in str(exc)
    else:  # refused member by member: an error entry, nothing read
        assert [ev.error for ev, _data in out if ev.error] and not read
    assert not read
    assert time.perf_counter() - started < 5


def test_evidence_zip_with_too_many_members(monkeypatch):
    monkeypatch.setenv("COMPLAINT_MAX_FILES", "20")
    many = _zip({f"p{i}.jpg": b"x" for i in range(21)})
    with pytest.raises(LimitExceeded, match="21 files in the ZIP, the limit is 20"):
        ingest_upload("many.zip", many)


def test_evidence_zip_member_that_lies_about_its_size_is_not_unpacked_past_it():
    blob = bytearray(_zip({"a.jpg": bytes(5 * MB)}))
    # shrink the declared uncompressed size in both headers to 1 KB: the real data is 5 MB
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        pos = blob.find(sig)
        blob[pos + offset:pos + offset + 4] = (1024).to_bytes(4, "little")
    # a crafted archive is refused whole (issue 20), after inflating at most one chunk past the lie
    with pytest.raises(LimitExceeded, match="liar.zip: a.jpg unpacks to more than the 1024 bytes"):
        ingest_upload("liar.zip", bytes(blob))


@pytest.mark.parametrize("member", ["../../etc/passwd.jpg", "/etc/cron.d/evil.jpg", "..\\..\\win.jpg",
                                    "ok/../../up.jpg"])
def test_evidence_zip_traversal_names_are_refused(member, tmp_path):
    blob = _zip({member: jpeg(None, 1), "good.jpg": jpeg(None, 2)})
    out = ingest_upload("trip.zip", blob)
    names = {ev.file_name: ev for ev, _d in out}
    assert names["good.jpg"].error is None
    bad = [ev for ev, _d in out if ev.file_name != "good.jpg"]
    assert len(bad) == 1 and "/" not in bad[0].file_name and ".." not in bad[0].file_name.split("/")
    if member.startswith("/") or ".." in member.replace("\\", "/").split("/"):
        assert bad[0].error and "unsafe path" in bad[0].error
    # the folder path too: nothing is ever written outside, nothing written at all
    path = tmp_path / "trip.zip"
    path.write_bytes(blob)
    before = set(tmp_path.parent.rglob("*"))
    results = ingest_paths([path])
    assert set(tmp_path.parent.rglob("*")) == before
    assert any(r.evidence.error for r in results if r.evidence.file_name != "good.jpg")


def test_image_claiming_ten_billion_pixels_is_an_error_not_a_crash():
    started = time.perf_counter()
    ev = ingest_bytes("huge.png", png_bomb_header(100_000, 100_000))
    assert ev.error and "pixel" in ev.error.lower()
    assert time.perf_counter() - started < 5


# -- case files --------------------------------------------------------------------------------
def _case_file(**extra) -> bytes:
    store = Store.open(":memory:")
    case = store.create_case("Real")
    return store.export_case(case.id)


def test_case_file_zip_bomb_is_refused(ratio_bomb, monkeypatch):
    monkeypatch.setenv("COMPLAINT_MAX_FILE_BYTES", str(20 * MB))
    with pytest.raises(LimitExceeded, match="larger than the limits"):
        Store.open(":memory:").import_case(ratio_bomb)


def test_case_file_with_too_many_members_is_refused(monkeypatch):
    monkeypatch.setenv("COMPLAINT_MAX_FILES", "10")
    blob = _zip({"case.json": b"{}", **{f"evidence/{i:064d}": b"x" for i in range(12)}})
    with pytest.raises(LimitExceeded):
        Store.open(":memory:").import_case(blob)


def test_case_file_with_too_many_records_is_refused(monkeypatch):
    monkeypatch.setenv("COMPLAINT_MAX_ROWS", "100")
    doc = json.loads(zipfile.ZipFile(io.BytesIO(_case_file())).read("case.json"))
    txn = {"id": "x", "booking_date": "2026-01-01", "amount": "1.00", "currency": "EUR"}
    doc["transactions"] = [dict(txn, id=f"t{i}") for i in range(101)]
    store = Store.open(":memory:")
    with pytest.raises(LimitExceeded, match="more than 100 records"):
        store.import_case(_zip({"case.json": json.dumps(doc).encode()}))
    assert store.list_cases() == []


@pytest.mark.parametrize("member", ["../evil", "/etc/passwd", "evidence/../../x"])
def test_case_file_traversal_members_are_never_used(member, tmp_path):
    good = zipfile.ZipFile(io.BytesIO(_case_file()))
    blob = _zip({"case.json": good.read("case.json"), member: b"root:x:0:0"})
    store = Store.open(":memory:")
    case = store.import_case(blob)  # the extra member is simply not read: nothing is ever extracted
    assert store.load_case(case.id).evidence == []
    assert not any(p.name in ("evil", "x") for p in tmp_path.parent.rglob("*"))


# -- CSV and row caps ------------------------------------------------------------------------------
def test_csv_over_the_byte_cap_is_refused_before_decoding(monkeypatch):
    monkeypatch.setenv("COMPLAINT_MAX_FILE_BYTES", "1000")
    monkeypatch.setattr(textio, "decode", lambda *a, **k: pytest.fail("decoded a file over the cap"))
    with pytest.raises(LimitExceeded, match="is too large .*the limit is 1,000 bytes"):
        import_file(b"a;b\n" + b"1;2\n" * 400, name="big.csv")

    class Upload(io.BytesIO):  # a Streamlit UploadedFile: read at most cap + 1 bytes
        name = "big.csv"
        asked: list[int] = []

        def read(self, n=-1):
            self.asked.append(n)
            return super().read(n)

    up = Upload(b"x" * 10_000_000)
    with pytest.raises(LimitExceeded):
        import_file(up)
    assert up.asked == [1001]


@pytest.mark.parametrize("path", ["bank/kbc_csv/kbc_nl_10col.csv", "bank/coda/statement.cod",
                                  "bank/camt053/statement_v02.xml", "bank/ofx/statement_v1.ofx",
                                  "bank/mt940", "bank/paypal_csv", "orders/aliexpress_order_exporter",
                                  "orders/aliexpress_bulk_tsv"])
def test_row_cap_applies_to_every_format(path, monkeypatch):
    src = DATA / path
    if src.is_dir():
        src = sorted(p for p in src.iterdir() if p.is_file() and not p.name.endswith((".json", ".py")))[0]
    raw = src.read_bytes()
    monkeypatch.setenv("COMPLAINT_MAX_ROWS", "1")  # every sample has at least two rows
    with pytest.raises(LimitExceeded, match="more than 1 row"):
        import_file(raw, name=src.name)


# -- XML: entity expansion and external entities ---------------------------------------------------
CAMT_NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
LAUGHS = "".join(f'<!ENTITY l{i} "' + f'&l{i - 1};' * 10 + '">' for i in range(1, 10))
BILLION = (f'<?xml version="1.0"?><!DOCTYPE Document [<!ENTITY l0 "lol">{LAUGHS}]>'
           f'<Document xmlns="{CAMT_NS}"><BkToCstmrStmt><Stmt><Id>&l9;</Id></Stmt></BkToCstmrStmt></Document>')
XXE = (f'<?xml version="1.0"?><!DOCTYPE Document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       f'<Document xmlns="{CAMT_NS}"><BkToCstmrStmt><Stmt><Id>&x;</Id></Stmt></BkToCstmrStmt></Document>')
OFX_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE" '
            'OLDFILEUID="NONE" NEWFILEUID="NONE"?>\n')
OFX_BODY = ('<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR</CURDEF><BANKTRANLIST><STMTTRN><TRNTYPE>DEBIT'
            '</TRNTYPE><DTPOSTED>20260301</DTPOSTED><TRNAMT>-1.00</TRNAMT><FITID>1</FITID><NAME>{}</NAME></STMTTRN>'
            '</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>')
OFX_BILLION = OFX_HEAD + f'<!DOCTYPE OFX [<!ENTITY l0 "lol">{LAUGHS}]>' + OFX_BODY.format("&l9;")
OFX_XXE = OFX_HEAD + '<!DOCTYPE OFX [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + OFX_BODY.format("&x;")


@pytest.mark.parametrize("doc,importer", [(BILLION, "bank.camt053"), (XXE, "bank.camt053"),
                                          (OFX_BILLION, "bank.ofx"), (OFX_XXE, "bank.ofx"),
                                          (BILLION, None), (XXE, None), (OFX_BILLION, None), (OFX_XXE, None)],
                         ids=["camt-laughs", "camt-xxe", "ofx-laughs", "ofx-xxe",
                              "detect-camt-laughs", "detect-camt-xxe", "detect-ofx-laughs", "detect-ofx-xxe"])
def test_xml_entities_are_refused_never_expanded_or_read(doc, importer):
    started = time.perf_counter()
    with pytest.raises(ComplaintError) as exc:
        import_file(doc.encode(), importer=importer, name="statement.xml")
    message = str(exc.value)
    assert "root:" not in message and "lollollol" not in message
    assert time.perf_counter() - started < 5


def test_xlsx_zip_bomb_is_refused_before_parsing(monkeypatch):
    monkeypatch.setenv("COMPLAINT_MAX_FILE_BYTES", str(5 * MB))  # unpacked limit: 4 x 5 MB
    src = zipfile.ZipFile(DATA / "orders/aliexpress_gdpr_xlsx/aliexpress_user_data_backup_test.xlsx")
    members = {i.filename: src.read(i) for i in src.infolist()}
    sheet = next(n for n in members if n.startswith("xl/worksheets/sheet"))
    members[sheet] = members[sheet].replace(b"<sheetData>", b"<sheetData>" + b" " * (30 * MB), 1)
    started = time.perf_counter()
    with pytest.raises(LimitExceeded, match="once unpacked"):
        import_file(_zip(members), name="backup.xlsx", importer="orders.aliexpress_gdpr_xlsx")
    with pytest.raises(ComplaintError):  # detection: no importer claims it, nothing unpacked either
        import_file(_zip(members), name="backup.xlsx")
    assert time.perf_counter() - started < 3


def test_zip_needing_an_unknown_zip_version_is_a_clear_error_not_a_crash():
    """A workbook whose central directory asks for ZIP version 11.0 (zipfile raises NotImplementedError)
    is 'not a readable XLSX workbook', for every importer that sniffs workbooks."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
    data = bytearray(buf.getvalue())
    central = data.rfind(b"PK\x01\x02")
    data[central + 6:central + 8] = (110).to_bytes(2, "little")  # "version needed to extract" = 11.0
    from complaint.importers.base import load_all

    source = textio.as_source(bytes(data), "statement.xlsx")
    for name, imp in load_all().items():
        try:
            imp.identify(source)  # a sniff answers or says why, it never crashes
            imp.extract(source)
        except ComplaintError as exc:
            assert "object at 0x" not in str(exc), name
