import pytest

from complaint.errors import LimitExceeded, ParseError
from complaint.importers.textio import Source, as_source, decode, read_table, sniff_delimiter


def test_decode_prefers_utf8_and_strips_bom():
    assert decode("\ufeffDatum;Bedrag".encode("utf-8")) == ("Datum;Bedrag", "utf-8-sig")


def test_decode_falls_back_to_windows_1252():
    text, enc = decode("Détails;€".encode("cp1252"))
    assert (text, enc) == ("Détails;€", "cp1252")


def test_decode_forced_encoding_error_is_clear():
    with pytest.raises(ParseError, match="cannot be decoded as ascii"):
        decode("é".encode(), "ascii")


@pytest.mark.parametrize("text,delim", [("a;b;c\n1;2;3", ";"), ("a,b,c\n1,2,3", ","), ("a\tb\n1\t2", "\t"),
                                        ('"x;y",b\n"1;2",3', ",")])
def test_sniff_delimiter(text, delim):
    assert sniff_delimiter(text) == delim


def test_read_table_physical_lines_quoted_newlines_and_cr_only():
    data = b'h1;h2\r"multi\rline";x\r\r2;y\r'
    table = read_table(Source("kbc.csv", data))
    assert table.header == ["h1", "h2"] and table.delimiter == ";"
    assert [(r.line_no, r.cells) for r in table.rows] == [(2, ["multi\nline", "x"]), (5, ["2", "y"])]


def test_read_table_with_preamble():
    data = b"Boekingsdatum vanaf;01/01/2026\nLaatste saldo;1.234,56 EUR\n;\nRekening;Bedrag\nBE1;-1,00\n"
    table = read_table(Source("belfius.csv", data), header_predicate=lambda cells: cells[0] == "Rekening")
    assert table.header_line == 4 and len(table.preamble) == 2 and table.rows[0].cells == ["BE1", "-1,00"]


def test_no_header_is_parse_error():
    with pytest.raises(ParseError, match="empty.csv: no header row found"):
        read_table(Source("empty.csv", b"\n\n"))


def test_size_limit(monkeypatch, tmp_path):
    monkeypatch.setenv("COMPLAINT_MAX_FILE_BYTES", "10")
    with pytest.raises(LimitExceeded):
        as_source(b"x" * 11, "big.csv")
    p = tmp_path / "big.csv"
    p.write_bytes(b"x" * 11)
    with pytest.raises(LimitExceeded, match="big.csv"):
        as_source(p)


def test_row_limit(monkeypatch):
    monkeypatch.setenv("COMPLAINT_MAX_ROWS", "3")
    with pytest.raises(LimitExceeded, match="more than 3 rows"):
        read_table(Source("rows.csv", b"a\n1\n2\n3\n4\n"))
