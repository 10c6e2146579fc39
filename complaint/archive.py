"""Every ZIP the app reads (evidence ZIPs, case files, XLSX workbooks, anything zipped) is read here,
through a bounded stream.

A ZIP's directory states each member's size, and a crafted file can lie: a directory saying 100
bytes for a member that inflates to a gigabyte.  ``zipfile``'s ``read()`` inflates a member's whole
compressed data in one call before it checks anything, so the lie costs the whole gigabyte of memory.
Here a member is inflated from its raw compressed bytes (``zlib``/``bz2``/``lzma`` with a bounded
output per call) in chunks of :data:`CHUNK` bytes; the real inflated bytes are counted against the
limits (one member, the whole archive, the compression ratio) and reading stops at the first byte
past a limit, or past the size the directory states.  Nothing is ever written to disk.

Limits (:class:`ArchiveLimits`, by default from the settings): a member at most
``COMPLAINT_MAX_FILE_BYTES``, the archive at most four times that unpacked, at most
``COMPLAINT_MAX_FILES`` members, and no member inflating more than :data:`MAX_RATIO` times its
compressed size once past :data:`RATIO_FLOOR` bytes (deflate's best is about 1,032:1; real exports,
photos and workbooks stay far below 100:1).

An archive that passed :meth:`Archive.verify` is honest: every member inflates to exactly its
stated size with its stated CRC, so a library that opens it with ``zipfile`` itself (openpyxl for
XLSX) reads at most the stated, checked sizes.
"""

from __future__ import annotations

import bz2
import io
import lzma
import os
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .errors import LimitExceeded, ParseError
from .i18n import _
from .settings import SETTINGS

__all__ = ["Archive", "ArchiveLimits", "CHUNK", "MAX_RATIO", "RATIO_FLOOR", "is_zip"]

CHUNK = 256 * 1024  # inflated bytes produced per step
MAX_RATIO = 200
RATIO_FLOOR = 1024 * 1024
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # signature .. name length, extra length (30 bytes)
_ZIP_MAGIC = b"PK\x03\x04"


def is_zip(data: bytes) -> bool:
    """The bytes start like a ZIP archive (an empty ZIP starts with its end record)."""
    return data[:4] in (_ZIP_MAGIC, b"PK\x05\x06")


@dataclass(frozen=True, slots=True)
class ArchiveLimits:
    """How much an archive may hold once unpacked."""

    member_bytes: int
    total_bytes: int
    members: int
    ratio: int = MAX_RATIO

    @classmethod
    def from_settings(cls, *, member_bytes: int | None = None, total_bytes: int | None = None,
                      members: int | None = None) -> ArchiveLimits:
        one = int(SETTINGS.max_file_bytes)
        return cls(member_bytes=int(member_bytes if member_bytes is not None else one),
                   total_bytes=int(total_bytes if total_bytes is not None else 4 * one),
                   members=int(members if members is not None else SETTINGS.max_files))


class Archive:
    """A ZIP (bytes, or a path on disk) whose members are read through bounded streams.

    ``label`` names the archive in messages.  Opening reads the directory only and refuses more
    members than the limit.  The inflated bytes of every read add up against ``total_bytes``.
    """

    def __init__(self, source: bytes | bytearray | memoryview | str | os.PathLike, label: str | None = None,
                 limits: ArchiveLimits | None = None):
        self.limits = limits or ArchiveLimits.from_settings()
        if isinstance(source, str | os.PathLike):
            self.label = label or Path(source).name
            self._fh: BinaryIO = open(source, "rb")  # noqa: SIM115 - closed by close()
        else:
            self.label = label or "archive"
            self._fh = io.BytesIO(bytes(source))
        self._size = self._fh.seek(0, io.SEEK_END)
        self._fh.seek(0)
        try:
            self._zf = zipfile.ZipFile(self._fh)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
                NotImplementedError) as exc:
            self._fh.close()
            raise ParseError(_("not a readable ZIP archive ({reason})", reason=_reason(exc)), file=self.label) from exc
        self.infos = [i for i in self._zf.infolist() if not i.filename.endswith("/")]  # is_dir() fails on ""
        if len(self.infos) > self.limits.members:
            self.close()
            raise LimitExceeded(_("{file}: {n} files in the ZIP, the limit is {limit}", file=self.label,
                                  n=len(self.infos), limit=self.limits.members))
        self.inflated = 0  # real bytes inflated so far, all members

    # -- context manager ------------------------------------------------------------------------
    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._zf.close()
        self._fh.close()

    # -- reading --------------------------------------------------------------------------------
    def names(self) -> list[str]:
        return [i.filename for i in self.infos]

    def info(self, name: str) -> zipfile.ZipInfo:
        try:
            return self._zf.getinfo(name)
        except KeyError:
            raise ParseError(_("{member} is missing from the archive", member=name), file=self.label) from None

    def read(self, member: str | zipfile.ZipInfo, limit: int | None = None) -> bytes:
        """One member's bytes, at most ``limit`` (default: the member limit) once inflated."""
        return b"".join(self.chunks(member, limit))

    def verify(self) -> None:
        """Inflate every member (nothing kept): each within the limits, exactly its stated size and CRC."""
        for info in self.infos:
            for _chunk in self.chunks(info):
                pass

    def chunks(self, member: str | zipfile.ZipInfo, limit: int | None = None) -> Iterator[bytes]:
        """A member's inflated bytes, :data:`CHUNK` at a time, each counted against the limits."""
        info = member if isinstance(member, zipfile.ZipInfo) else self.info(member)
        name = info.filename
        cap = self.limits.member_bytes if limit is None else min(limit, self.limits.member_bytes)
        if info.file_size > cap:
            raise LimitExceeded(_("{file}: {member} is {size} bytes once unpacked, the limit is {limit}",
                                  file=self.label, member=name, size=info.file_size, limit=cap))
        if info.flag_bits & 0x1:
            raise ParseError(_("{member} is encrypted; the app cannot read it", member=name), file=self.label)
        inflate = _inflater(info.compress_type)
        if inflate is None:
            raise ParseError(_("{member} uses a compression the app cannot read", member=name), file=self.label)
        start, available = self._data_span(info)
        try:
            yield from self._checked(info, inflate(self._raw(start, available)))
        except (zlib.error, lzma.LZMAError, OSError, EOFError, ValueError) as exc:  # corrupt compressed data
            raise ParseError(_("{member} is damaged (its size or checksum does not match)", member=name),
                             file=self.label) from exc

    def _checked(self, info: zipfile.ZipInfo, inflated: Iterator[bytes]) -> Iterator[bytes]:
        name = info.filename
        crc, produced, pending = 0, 0, b""
        for out in inflated:
            produced += len(out)
            self.inflated += len(out)
            if produced > info.file_size:
                raise LimitExceeded(_("{file}: {member} unpacks to more than the {size} bytes the archive states; "
                                      "the file is damaged or crafted and was refused",
                                      file=self.label, member=name, size=info.file_size))
            if produced > RATIO_FLOOR and produced > self.limits.ratio * max(info.compress_size, 1):
                raise LimitExceeded(_("{file}: {member} unpacks to more than {ratio} times its packed size; "
                                      "refused as a ZIP bomb", file=self.label, member=name,
                                      ratio=self.limits.ratio))
            if self.inflated > self.limits.total_bytes:
                raise LimitExceeded(_("{file}: more than {limit} bytes once unpacked, refused",
                                      file=self.label, limit=self.limits.total_bytes))
            crc = zlib.crc32(out, crc)
            if pending:
                yield pending
            pending = out
        if produced != info.file_size or crc != info.CRC:
            raise ParseError(_("{member} is damaged (its size or checksum does not match)", member=name),
                             file=self.label)
        if pending:
            yield pending

    def _data_span(self, info: zipfile.ZipInfo) -> tuple[int, int]:
        """Where a member's compressed bytes start, and how many there can be."""
        header = b""
        if 0 <= info.header_offset < self._size:
            self._fh.seek(info.header_offset)
            header = self._fh.read(_LOCAL_HEADER.size)
        if len(header) != _LOCAL_HEADER.size or header[:4] != _ZIP_MAGIC:
            raise ParseError(_("{member} is damaged (its size or checksum does not match)", member=info.filename),
                             file=self.label)
        fields = _LOCAL_HEADER.unpack(header)
        start = info.header_offset + _LOCAL_HEADER.size + fields[-2] + fields[-1]
        return start, max(0, min(info.compress_size, self._size - start))

    def _raw(self, start: int, length: int) -> Iterator[bytes]:
        pos, end = start, start + length
        while pos < end:
            self._fh.seek(pos)
            block = self._fh.read(min(CHUNK, end - pos))
            if not block:
                return
            pos += len(block)
            yield block


def _reason(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def _inflater(method: int):
    """A function (compressed blocks) -> inflated chunks of at most CHUNK bytes, or None."""
    if method == zipfile.ZIP_STORED:
        return _stored
    if method == zipfile.ZIP_DEFLATED:
        return lambda raw: _bounded(zlib.decompressobj(-15), raw)
    if method == zipfile.ZIP_BZIP2:
        return lambda raw: _bounded(bz2.BZ2Decompressor(), raw)
    if method == zipfile.ZIP_LZMA:
        return _lzma
    return None


def _stored(raw: Iterator[bytes]) -> Iterator[bytes]:
    yield from raw


def _bounded(dec, raw: Iterator[bytes]) -> Iterator[bytes]:
    """Inflate with at most CHUNK bytes out per call (``max_length``): memory stays bounded
    whatever the compressed data expands to."""
    keeps_tail = hasattr(dec, "unconsumed_tail")  # zlib hands unread input back; bz2/lzma keep it
    for block in raw:
        data = block
        while True:
            out = dec.decompress(data, CHUNK)
            if out:
                yield out
            if dec.eof:
                return
            if keeps_tail:
                data = dec.unconsumed_tail
                if not data and len(out) < CHUNK:
                    break
            else:
                data = b""
                if dec.needs_input:
                    break
    while not dec.eof:  # no more input: what the decompressor still holds
        out = dec.decompress(b"", CHUNK)
        if not out:
            return
        yield out


def _lzma(raw: Iterator[bytes]) -> Iterator[bytes]:
    """ZIP's LZMA: a 4-byte version/size prefix, then the properties, then a raw LZMA1 stream."""
    blocks = iter(raw)
    head = b""
    for block in blocks:
        head += block
        if len(head) >= 4:
            break
    if len(head) < 4:
        return
    size = struct.unpack("<H", head[2:4])[0]
    while len(head) < 4 + size:
        more = next(blocks, b"")
        if not more:
            return
        head += more
    props = lzma._decode_filter_properties(lzma.FILTER_LZMA1, head[4:4 + size])  # noqa: SLF001 - as zipfile does
    dec = lzma.LZMADecompressor(lzma.FORMAT_RAW, filters=[props])

    def rest() -> Iterator[bytes]:
        yield head[4 + size:]
        yield from blocks

    yield from _bounded(dec, rest())
