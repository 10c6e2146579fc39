"""Crafted ZIP archives for the archive tests: honest ones, ZIP bombs, and ZIPs whose directory
lies about a member's size (the central directory and the local header state ``stated`` bytes
while the data inflates to ``real`` bytes)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

_MB = 1024 * 1024


def deflate_zeros(real: int, byte: bytes = b"\0") -> tuple[bytes, int]:
    """Raw deflate of ``real`` copies of ``byte`` (made a megabyte at a time) and its CRC."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = byte * _MB
    parts, crc, left = [], 0, real
    while left > 0:
        piece = block if left >= _MB else block[:left]
        parts.append(comp.compress(piece))
        crc = zlib.crc32(piece, crc)
        left -= len(piece)
    parts.append(comp.flush())
    return b"".join(parts), crc


def lying_zip(name: str = "photo.jpg", real: int = 1100 * _MB, stated: int = 100, *,
              crc_of_stated: bool = True, extra: dict[str, bytes] | None = None) -> bytes:
    """A ZIP whose one crafted member states ``stated`` bytes and inflates to ``real``.
    ``crc_of_stated``: the stated CRC is that of the first ``stated`` bytes (the check a reader
    that stops at the stated size would pass)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, data in (extra or {}).items():
            zf.writestr(n, data)
        zf.writestr(name, b"\0" * stated)
    honest = buf.getvalue()
    raw, _crc = deflate_zeros(real)
    crc = zlib.crc32(b"\0" * stated) if crc_of_stated else _crc
    return restate(honest, {name: (raw, stated, crc)})


def restate(archive: bytes, changes: dict[str, tuple[bytes | None, int, int | None]]) -> bytes:
    """Rebuild ``archive`` with members' stated sizes (and data, CRC) changed:
    ``{name: (raw deflated data or None to keep, stated size, CRC or None to keep)}``."""
    src = zipfile.ZipFile(io.BytesIO(archive))
    out = io.BytesIO()
    central = []
    for info in src.infolist():
        if info.filename in changes:
            raw, stated, crc = changes[info.filename]
            if raw is None:
                start = _data_start(archive, info)
                raw = archive[start:start + info.compress_size]
            data, size, csize, ccrc = raw, stated, len(raw), info.CRC if crc is None else crc
        else:
            data = archive[_data_start(archive, info):_data_start(archive, info) + info.compress_size]
            size, csize, ccrc = info.file_size, info.compress_size, info.CRC
        offset = out.tell()
        fname = info.filename.encode()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, info.compress_type, 0, 0, ccrc, csize, size,
                              len(fname), 0) + fname + data)
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, info.compress_type, 0, 0, ccrc, csize,
                                   size, len(fname), 0, 0, 0, 0, 0, offset) + fname)
    start = out.tell()
    for c in central:
        out.write(c)
    size = out.tell() - start
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), size, start, 0))
    return out.getvalue()


def _data_start(archive: bytes, info: zipfile.ZipInfo) -> int:
    n, e = struct.unpack("<2H", archive[info.header_offset + 26:info.header_offset + 30])
    return info.header_offset + 30 + n + e


def honest_bomb(name: str = "photo.jpg", real: int = 300 * _MB) -> bytes:
    """A ZIP that says truthfully that its member inflates to ``real`` bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(name, b"")
    raw, crc = deflate_zeros(real)
    return restate(buf.getvalue(), {name: (raw, real, crc)})


def zip_of(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for n, data in members.items():
            zf.writestr(n, data)
    return buf.getvalue()
