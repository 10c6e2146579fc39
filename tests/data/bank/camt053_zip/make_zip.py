"""Writes statements.zip: two camt.053 statements of the golden set, one of them twice (an
overlapping delivery), and a non-XML member, with fixed timestamps: python make_zip.py"""
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
CAMT = HERE.parent / "camt053"
with zipfile.ZipFile(HERE / "statements.zip", "w", compression=zipfile.ZIP_DEFLATED) as zf:
    for name, src in (("2026-01/statement_v02.xml", "statement_v02.xml"), ("2026-02/statement_v04.xml", "statement_v04.xml"),
                      ("copy/statement_v02_again.xml", "statement_v02.xml")):
        zf.writestr(zipfile.ZipInfo(name, date_time=(2026, 3, 1, 0, 0, 0)), (CAMT / src).read_bytes(),
                    compress_type=zipfile.ZIP_DEFLATED)
    zf.writestr(zipfile.ZipInfo("README.txt", date_time=(2026, 3, 1, 0, 0, 0)), b"Statements of account\n")
    zf.writestr(zipfile.ZipInfo("notes.xml", date_time=(2026, 3, 1, 0, 0, 0)), b"<notes>not a statement</notes>\n")
