"""The dossier ZIP: safe member names, a manifest of every file with its SHA-256, and its check.

Member names come partly from users and sellers (evidence file names), so each is reduced to one
safe path segment under a fixed folder: no ``..``, no absolute path, no backslash, no NUL or
control characters, at most 120 bytes, and unique in the archive.  ``manifest.json`` lists every
file with its size and SHA-256; ``MANIFEST.sha256`` (``sha256sum -c`` format) covers every file
including manifest.json, so anyone can verify the bundle with standard tools.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import datetime

from ..archive import Archive, ArchiveLimits
from ..errors import ComplaintError
from ..i18n import _
from ..settings import SETTINGS

MANIFEST_JSON, MANIFEST_SUMS = "manifest.json", "MANIFEST.sha256"
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"|?*\\/]')
MAX_NAME_BYTES = 120


def safe_name(name: str, default: str = "file") -> str:
    """One safe file name (no directories) from any text: '../../etc/passwd' -> 'passwd'."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\x00", "")
    name = re.split(r"[\\/]", name)[-1]  # keep the last path segment only
    name = _UNSAFE.sub("_", name).strip().strip(".").strip()
    name = re.sub(r"\s+", " ", name)
    if not name or set(name) <= {"_", " "}:
        name = default
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        stem, dot, ext = name.rpartition(".")
        if not dot or len(ext) > 10:
            stem, ext = name, ""
        budget = MAX_NAME_BYTES - len(ext.encode("utf-8")) - (1 if ext else 0)
        stem = stem.encode("utf-8")[:budget].decode("utf-8", "ignore").rstrip()
        name = stem + ("." + ext if ext else "")
    return name


def is_safe_member(name: str) -> bool:
    if not name or name.startswith(("/", "\\")) or "\\" in name or "\x00" in name or re.match(r"^[A-Za-z]:", name):
        return False
    return all(part not in ("", ".", "..") for part in name.split("/"))


@dataclass
class Bundle:
    """Files to put in a ZIP, with unique safe names."""

    files: list[tuple[str, bytes, dict]] = field(default_factory=list)
    _names: set[str] = field(default_factory=set)

    def add(self, folder: str, name: str, data: bytes, **meta: object) -> str:
        base = safe_name(name)
        stem, dot, ext = base.rpartition(".")
        if not dot:
            stem, ext = base, ""
        candidate, k = base, 2
        full = f"{folder}/{candidate}" if folder else candidate
        while full.lower() in self._names:
            candidate = f"{stem}-{k}" + (f".{ext}" if ext else "")
            full = f"{folder}/{candidate}" if folder else candidate
            k += 1
        self._names.add(full.lower())
        self.files.append((full, data, {k: v for k, v in meta.items() if v is not None}))
        return full


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_zip(bundle: Bundle, info: dict, stamp: datetime) -> bytes:
    """The ZIP bytes: every bundle file, then manifest.json and MANIFEST.sha256."""
    entries = [{"name": name, "size": len(data), "sha256": sha256(data), **meta} for name, data, meta in bundle.files]
    manifest = json.dumps({**info, "files": entries}, ensure_ascii=False, indent=2, default=str).encode("utf-8")
    sums = "".join(f"{e['sha256']}  {e['name']}\n" for e in entries)
    sums += f"{sha256(manifest)}  {MANIFEST_JSON}\n"
    when = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data, _meta in bundle.files + [(MANIFEST_JSON, manifest, {}), (MANIFEST_SUMS, sums.encode(), {})]:
            if not is_safe_member(name):
                raise ValueError(f"unsafe member name {name!r}")
            zi = zipfile.ZipInfo(name, date_time=when)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zf.writestr(zi, data)
    return buf.getvalue()


def verify_manifest(zip_bytes: bytes) -> list[str]:
    """Problems found in a dossier ZIP (empty list = every file is listed and matches its hash)."""
    try:  # read through bounded streams (complaint.archive): a crafted ZIP cannot blow up memory
        zf = Archive(zip_bytes, "dossier.zip", ArchiveLimits.from_settings(
            member_bytes=4 * int(SETTINGS.max_file_bytes), total_bytes=_VERIFY_MAX_BYTES, members=1 << 20))
    except ComplaintError as exc:
        return [_("not a readable ZIP file ({error})", error=str(exc))]
    try:
        with zf:
            return _verify(zf)
    except ComplaintError as exc:
        return [str(exc)]


_VERIFY_MAX_BYTES = 8 * 1024**3


def _digest(zf: Archive, name: str) -> str:
    h = hashlib.sha256()
    for chunk in zf.chunks(name):
        h.update(chunk)
    return h.hexdigest()


def _verify(zf: Archive) -> list[str]:
    problems: list[str] = []
    names = zf.names()
    for n in names:
        if not is_safe_member(n):
            problems.append(_("unsafe file name in the ZIP: {name}", name=repr(n)))
    if len(set(names)) != len(names):
        problems.append(_("the ZIP holds the same name twice"))
    if MANIFEST_SUMS not in names:
        return problems + [_("{file} is missing", file=MANIFEST_SUMS)]
    listed: dict[str, str] = {}
    for line_no, line in enumerate(zf.read(MANIFEST_SUMS).decode("utf-8", "replace").splitlines(), 1):
        digest, sep, name = line.partition("  ")
        if not sep or not re.fullmatch(r"[0-9a-f]{64}", digest):
            problems.append(_("{file} line {line} is not '<sha256>  <name>'", file=MANIFEST_SUMS, line=line_no))
            continue
        listed[name] = digest
    for name, digest in listed.items():
        if name not in names:
            problems.append(_("{name} is listed but missing from the ZIP", name=name))
        elif _digest(zf, name) != digest:
            problems.append(_("{name} does not match its SHA-256 (changed after export)", name=name))
    for name in names:
        if name != MANIFEST_SUMS and name not in listed:
            problems.append(_("{name} is in the ZIP but not in the manifest", name=name))
    if MANIFEST_JSON in names:
        try:
            manifest = json.loads(zf.read(MANIFEST_JSON))
            in_json = {f["name"]: f["sha256"] for f in manifest.get("files", [])}
        except (ValueError, KeyError, TypeError, AttributeError):
            problems.append(_("{file} is not valid", file=MANIFEST_JSON))
            in_json = {}
        for name, digest in in_json.items():
            if listed.get(name) != digest:
                problems.append(_("{name}: manifest.json and MANIFEST.sha256 disagree", name=name))
    else:
        problems.append(_("{file} is missing", file=MANIFEST_JSON))
    return problems
