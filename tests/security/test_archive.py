"""Every ZIP is read through one bounded reader (complaint.archive, issue 20): honest archives give
their bytes back exactly; an archive whose directory lies about a size, a ZIP bomb and nested
archives are refused after inflating at most one chunk past the limit, as evidence, as a case file
and as an XLSX workbook, in the API and in the CLI (peak RSS measured)."""

from __future__ import annotations

import io
import os
import random
import resource
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
import zipcraft
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaint.archive import CHUNK, RATIO_FLOOR, Archive, ArchiveLimits, is_zip
from complaint.errors import ComplaintError, LimitExceeded
from complaint.evidence.ingest import ingest_paths, ingest_upload
from complaint.importers.textio import Source
from complaint.importers.xlsx import read_sheet
from complaint.store.db import Store

MB = 1024 * 1024
ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = int(os.environ.get("COMPLAINT_ARCHIVE_EXAMPLES", "300"))  # 10000 for the run


@pytest.fixture(scope="module")
def lying(tmp_path_factory) -> Path:
    """The issue's file: the directory says 100 bytes, the member inflates to 1.1 GB (1.1 MB file)."""
    path = tmp_path_factory.mktemp("lying") / "lying.zip"
    path.write_bytes(zipcraft.lying_zip("case.json", real=1100 * MB, stated=100))
    return path


@pytest.mark.parametrize("method", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_an_honest_archive_reads_back_exactly(method):
    members = {"a.txt": b"hello " * 1000, "deep/b.bin": os.urandom(700_000) + b"z" * 300_000, "empty": b""}
    with Archive(zipcraft.zip_of(members, method), "ok.zip") as zf:
        assert zf.names() == list(members)
        assert {n: zf.read(n) for n in members} == members
        zf.verify()


def test_zipfile_itself_inflates_the_whole_lie_and_the_reader_does_not():
    blob = zipcraft.lying_zip("photo.jpg", real=64 * MB, stated=100)
    assert len(zipfile.ZipFile(io.BytesIO(blob)).read("photo.jpg")) == 100  # CRC of the stated bytes passes
    with Archive(blob, "lying.zip") as zf, pytest.raises(LimitExceeded, match="more than the 100 bytes"):
        zf.read("photo.jpg")
    assert zf.inflated <= 100 + CHUNK


def test_the_lying_zip_is_refused_as_evidence_and_as_a_case_file(lying, tmp_path):
    blob = lying.read_bytes()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(LimitExceeded, match="unpacks to more than the 100 bytes"):
        ingest_upload("lying.zip", blob)
    with pytest.raises(LimitExceeded, match="unpacks to more than the 100 bytes"):
        ingest_paths([lying])
    store = Store.open(tmp_path / "c.sqlite")
    with pytest.raises(LimitExceeded, match="case.json unpacks to more than the 100 bytes"):
        store.import_case(blob)
    assert store.list_cases() == []
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 100, f"peak RSS grew by {grown_mb:.0f} MB"


def test_an_xlsx_that_lies_is_refused_before_openpyxl_opens_it():
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["Date", "Amount"])
    buf = io.BytesIO()
    wb.save(buf)
    honest = buf.getvalue()
    sheet = "xl/worksheets/sheet1.xml"
    real = zipfile.ZipFile(io.BytesIO(honest)).read(sheet)
    raw, _crc = zipcraft.deflate_zeros(300 * MB)
    liar = zipcraft.restate(honest, {sheet: (raw, len(real), zlib.crc32(real))})
    with pytest.raises(LimitExceeded, match="sheet1.xml unpacks to more than"):
        read_sheet(Source("orders.xlsx", liar))
    assert read_sheet(Source("orders.xlsx", honest)).header == ["Date", "Amount"]


def test_an_honest_bomb_is_refused_by_its_stated_size_and_by_its_ratio():
    [(ev, data)] = ingest_upload("bomb.zip", zipcraft.honest_bomb(real=300 * MB))
    assert "is too large" in ev.error and data == b""
    blob = zipcraft.honest_bomb("x.bin", real=8 * MB)
    with Archive(blob, "bomb.zip", ArchiveLimits(member_bytes=64 * MB, total_bytes=64 * MB, members=5)) as zf, \
            pytest.raises(LimitExceeded, match="times its packed size"):
        zf.read("x.bin")


def test_the_total_counts_the_real_bytes_of_every_member():
    members = {f"m{i}.bin": os.urandom(300_000) for i in range(5)}
    with Archive(zipcraft.zip_of(members), "many.zip",
                 ArchiveLimits(member_bytes=MB, total_bytes=MB, members=10)) as zf:
        with pytest.raises(LimitExceeded, match="more than 1048576 bytes once unpacked"):
            for n in members:
                zf.read(n)
        assert zf.inflated <= MB + CHUNK


def test_too_many_members_and_a_damaged_member_get_clear_messages():
    with pytest.raises(LimitExceeded, match="3 files in the ZIP, the limit is 2"):
        Archive(zipcraft.zip_of({"a": b"1", "b": b"2", "c": b"3"}), "x.zip", ArchiveLimits(MB, MB, 2))
    blob = zipcraft.restate(zipcraft.zip_of({"a.txt": b"hello world"}), {"a.txt": (None, 11, 1234)})
    with Archive(blob, "x.zip") as zf, pytest.raises(ComplaintError, match="a.txt is damaged"):
        zf.read("a.txt")
    with pytest.raises(ComplaintError, match="x.zip: not a readable ZIP archive") as err:
        Archive(b"PK\x03\x04 not really", "x.zip")
    assert "<" not in str(err.value)


# --- many generated archives: honest, lying, bombs, nested ----------------------------------

_content = st.one_of(st.binary(max_size=3000), st.integers(0, 4 * MB).map(lambda n: b"\0" * n),
                     st.tuples(st.integers(0, 200_000), st.integers(0, 2**32)).map(
                         lambda t: random.Random(t[1]).randbytes(t[0])))
_names = st.from_regex(r"[a-z]{1,8}(/[a-z]{1,8})?\.(jpg|json|xml|bin)", fullmatch=True)
_methods = st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2])


class Case:
    """A generated archive: its bytes and, per member, what a reader must give back: the bytes,
    None when it must refuse, or a nested Case for an archive inside."""

    def __init__(self, blob: bytes, expected: dict):
        self.blob, self.expected = blob, expected

    def __repr__(self) -> str:  # the bytes are megabytes of zeros: describe them instead
        return f"Case({len(self.blob)} bytes, {[(n, _short(v)) for n, v in self.expected.items()]})"


def _short(v) -> str:
    return "refuse" if v is None else repr(v) if isinstance(v, Case) else f"{len(v)} bytes"


@st.composite
def archives(draw, depth: int = 0) -> Case:
    members = draw(st.dictionaries(_names, _content, min_size=1, max_size=4))
    expected: dict = dict(members)
    if depth < 2 and draw(st.booleans()):
        inner = draw(archives(depth + 1))
        members["nested.zip"] = inner.blob
        expected["nested.zip"] = inner
    blob = zipcraft.zip_of(members, draw(_methods))
    lie = draw(st.sampled_from(["none", "smaller", "larger", "crc"]))
    if lie != "none":
        name = draw(st.sampled_from(sorted(members)))
        size = len(members[name])
        stated = {"smaller": draw(st.integers(0, max(size - 1, 0))), "larger": size + draw(st.integers(1, 10**9)),
                  "crc": size}[lie]
        if stated != size or lie == "crc":
            crc = (zlib.crc32(members[name]) + 1) & 0xFFFFFFFF if lie == "crc" else None
            blob = zipcraft.restate(blob, {name: (None, stated, crc)})
            expected[name] = None
    return Case(blob, expected)


def _read_all(case: Case, limits: ArchiveLimits) -> None:
    """Read every member (and every archive inside) with the one reader; check what comes back."""
    try:
        zf = Archive(case.blob, "gen.zip", limits)
    except ComplaintError:
        return
    with zf:
        for name, want in case.expected.items():
            size = len(want.blob) if isinstance(want, Case) else None if want is None else len(want)
            try:
                got = zf.read(name)
            except ComplaintError as exc:
                bomb = size is not None and size > RATIO_FLOOR and size > limits.ratio * zf.info(name).compress_size
                assert size is None or bomb or size > limits.member_bytes or zf.inflated > limits.total_bytes, exc
                assert "object at 0x" not in str(exc)
                continue
            finally:
                assert zf.inflated <= limits.total_bytes + CHUNK
            assert size is not None, f"{name} was read although the archive lies about it"
            if isinstance(want, Case):
                assert got == want.blob and is_zip(got)
                _read_all(want, limits)
            else:
                assert got == want


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(archives())
def test_generated_archives_give_their_bytes_back_or_are_refused_within_the_limit(case):
    _read_all(case, ArchiveLimits(member_bytes=2 * MB, total_bytes=3 * MB, members=20))


# --- the CLI, with its peak memory ------------------------------------------------------------

def _peak_rss_mb(args: list[str], env: dict[str, str]) -> tuple[int, str, float]:
    """Run ``complaint ARGS`` in a child that reports its own child's peak RSS."""
    probe = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
             "print(r.returncode); print(r.stderr.strip().splitlines()[-1] if r.stderr.strip() else ''); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)")
    out = subprocess.run([sys.executable, "-c", probe, sys.executable, "-m", "complaint", *args], env=env,
                         capture_output=True, text=True, check=True, timeout=120).stdout.splitlines()
    return int(out[0]), out[1], float(out[2])


@pytest.mark.slow
def test_the_cli_refuses_the_lying_zip_as_evidence_and_as_a_case_file_under_400_mb(lying, tmp_path):
    env = {**os.environ, "COMPLAINT_DB": str(tmp_path / "c.sqlite")}
    evidence = tmp_path / "photos.zip"
    evidence.write_bytes(zipcraft.lying_zip("IMG_1.jpg", real=1100 * MB, stated=100))
    for args in (["evidence", str(evidence)], ["cases", "import", str(lying)]):
        code, message, peak = _peak_rss_mb(args, env)
        assert code == 2 and "unpacks to more than the 100 bytes" in message and "Traceback" not in message
        assert peak < 400, f"{args}: peak RSS {peak:.0f} MB"


_HONEST = zipcraft.zip_of({"a.txt": b"hello " * 500, "b/c.json": b'{"x": 1}' * 300, "d.bin": bytes(range(256)) * 40})


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(st.integers(0, len(_HONEST) - 1), st.integers(0, 255)), min_size=1, max_size=8))
def test_a_damaged_archive_gives_a_clear_message_never_another_exception(mutations):
    blob = bytearray(_HONEST)
    for at, value in mutations:
        blob[at] = value
    try:
        with Archive(bytes(blob), "damaged.zip") as zf:
            zf.verify()
    except ComplaintError as exc:
        assert "object at 0x" not in str(exc)
