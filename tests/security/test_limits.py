"""One limit check on every upload path (issue 20): orders, statements, evidence, case files and
pasted text are refused after reading at most the size limit, before anything is decoded, with a
message that names the file and the limit; in hosted mode it never says "raise the limit"."""

from __future__ import annotations

import io

import pytest

from complaint import api
from complaint.errors import LimitExceeded

LIMIT = 4096


class Upload(io.BytesIO):
    """What Streamlit hands a page: a file object with a name and a size; reads are counted."""

    def __init__(self, name: str, data: bytes):
        super().__init__(data)
        self.name, self.size, self.read_bytes = name, len(data), 0

    def read(self, n: int = -1) -> bytes:
        out = super().read(n)
        self.read_bytes += len(out)
        return out

    def getvalue(self) -> bytes:
        raise AssertionError("the whole upload was copied before the size check")


@pytest.fixture(params=["local", "hosted"])
def mode(request, monkeypatch):
    monkeypatch.setenv("COMPLAINT_MAX_FILE_BYTES", str(LIMIT))
    monkeypatch.setenv("COMPLAINT_MAX_ROWS", "50")
    if request.param == "hosted":
        monkeypatch.setenv("COMPLAINT_HOSTED", "1")
    else:
        monkeypatch.delenv("COMPLAINT_HOSTED", raising=False)
    return request.param


def _check(message: str, mode: str, name: str) -> None:
    assert name in message and "4,096 bytes" in message
    assert "object at 0x" not in message and "(" not in message.split(")")[-1][:0]
    if mode == "hosted":
        assert "raise" not in message and "COMPLAINT_" not in message and "own computer" in message
    else:
        assert "COMPLAINT_MAX_FILE_BYTES" in message


@pytest.mark.parametrize("path", ["orders", "bank", "layouts", "mapping", "evidence", "case file"])
def test_every_upload_path_refuses_a_large_file_after_reading_at_most_the_limit(mode, path, tmp_path):
    big = b"Order Id,Total\n" + b"1,2\n" * 10_000
    case = api.open_case("c", db=api.open_store())
    name = {"evidence": "photo.jpg", "case file": "shared.case.zip"}.get(path, "big.csv")
    upload = Upload(name, big)
    upload.size = None  # a file object that does not say its size: the read itself is bounded
    with pytest.raises(LimitExceeded) as err:
        if path in ("orders", "bank"):
            api.read_file(upload, path)
        elif path == "layouts":
            api.file_layouts(upload, "orders")
        elif path == "mapping":
            api.propose_mapping(upload, "orders")
        elif path == "evidence":
            api.import_evidence(case, [upload])
        else:
            api.import_case(case.store, upload)
    _check(str(err.value), mode, name)
    assert upload.read_bytes <= LIMIT + 1
    on_disk = tmp_path / name
    on_disk.write_bytes(big)
    if path == "evidence":  # a file of a batch on disk: refused in its row, the batch goes on
        [row] = api.import_evidence(case, on_disk).to_dict("records")
        _check(row["error"], mode, name)
        return
    with pytest.raises(LimitExceeded) as err:
        if path == "case file":
            api.import_case(case.store, on_disk)
        else:
            api.read_file(on_disk, "orders")
    _check(str(err.value), mode, name)


def test_an_upload_that_states_its_size_is_refused_without_reading(mode):
    upload = Upload("big.csv", b"x" * (LIMIT * 2))
    with pytest.raises(LimitExceeded):
        api.read_file(upload, "orders")
    assert upload.read_bytes == 0


def test_pasted_text_is_checked_for_size_and_lines(mode):
    case = api.open_case("c", db=api.open_store())
    with pytest.raises(LimitExceeded, match="pasted conversation"):
        api.paste_conversation(case, "x" * (LIMIT + 1), None, save=False)
    with pytest.raises(LimitExceeded, match="more than 50 rows") as err:
        api.paste_tracking(case, "2026-03-10 08:15 Arrived\n" * 60, None, save=False)
    assert ("raise" in str(err.value)) == (mode == "local")


def test_too_many_rows_are_refused_in_the_wording_of_the_mode(mode, monkeypatch):
    monkeypatch.setenv("COMPLAINT_MAX_FILE_BYTES", str(1024 * 1024))
    head, row = api.sample_files()["orders"][1].read_bytes().split(b"\n")[:2]
    csv = head + b"\n" + (row + b"\n") * 60
    with pytest.raises(LimitExceeded, match="more than 50 rows") as err:
        api.read_file(csv, "orders", name="rows.csv")
    assert ("raise the limit" in str(err.value)) == (mode == "local")
