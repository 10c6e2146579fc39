"""Every registered importer, fed arbitrary bytes and mutations of real-format files, either
returns records with a full row accounting or raises the project's own error with a message.
Never another exception.  COMPLAINT_FUZZ_EXAMPLES sets the examples per importer (CI: 2,000)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaint.errors import ComplaintError
from complaint.importers.base import load_all
from complaint.importers.textio import Source

EXAMPLES = int(os.environ.get("COMPLAINT_FUZZ_EXAMPLES", "200"))
DATA = Path(__file__).resolve().parents[1] / "data"
IMPORTERS = sorted(load_all())


def _seeds() -> list[bytes]:
    seeds = []
    for path in sorted(DATA.rglob("*")):
        if path.is_file() and not path.name.endswith(".json") and path.stat().st_size < 200_000:
            seeds.append(path.read_bytes())
    return seeds or [b"a;b\n1;2\n"]


SEEDS = _seeds()


@st.composite
def hostile_bytes(draw) -> bytes:
    if draw(st.booleans()):
        return draw(st.binary(max_size=2048))
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["flip", "cut", "insert", "dup_line", "delete"]))
        if not data:
            break
        pos = draw(st.integers(0, len(data) - 1))
        if op == "flip":
            data[pos] = draw(st.integers(0, 255))
        elif op == "cut":
            del data[pos:]
        elif op == "insert":
            data[pos:pos] = draw(st.sampled_from([b";", b",", b'"', b"\n", b"\r", b"\x00", b"-", b"9" * 30,
                                                  b"=HYPERLINK(\"x\")", b"<!ENTITY x 'y'>", b"\xff\xfe", b"\t"]))
        elif op == "dup_line":
            line_end = data.find(b"\n", pos)
            if line_end > pos:
                data[line_end:line_end] = data[pos:line_end]
        else:
            del data[pos:pos + draw(st.integers(1, 50))]
    return bytes(data)


@pytest.mark.slow
@pytest.mark.parametrize("name", IMPORTERS)
def test_importer_never_crashes(name):
    importer = load_all()[name]

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(hostile_bytes())
    def run(data: bytes) -> None:
        source = Source("fuzz.bin", data)
        try:
            importer.identify(source)
        except ComplaintError:
            pass
        try:
            result = importer.extract(source)
        except ComplaintError as exc:
            assert str(exc).strip(), "an import error must say what is wrong"
            return
        assert result.rows_total == result.rows_imported + len(result.rejected) + len(result.skipped), \
            (result.rows_total, result.rows_imported, len(result.rejected), len(result.skipped))
        for issue in result.rejected:
            assert issue.message.strip()

    run()
