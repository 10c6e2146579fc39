"""The importer contract and the registry.

An importer is an object with a ``name`` ("orders.shopper_inventory_csv", "bank.kbc_csv"), a
``kind`` ("orders" or "bank"), a display ``label``, a cheap ``identify(source) -> float``
(0 = not mine, 1 = certainly mine; a header sniff, no full parse) and ``extract(source) ->
ImportResult``.  Modules in this package register their importers with :func:`register` at
import time; :func:`load_all` discovers every module, the way a plugin would be found.

Row problems are :class:`~complaint.records.Issue` records in the result, never exceptions; a
file that cannot be read at all raises :class:`~complaint.errors.ParseError`.
"""

from __future__ import annotations

import hashlib
import importlib
import pkgutil
import re
from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from ..errors import AmbiguousFormat, ComplaintError, NotMyFormat, ParseError
from ..i18n import _
from ..records import ImportResult
from .textio import Source, as_source

# An importer whose confidence is this far above the next one wins; closer is ambiguous.
CLEAR_MARGIN = 0.25
MIN_CONFIDENCE = 0.5


@runtime_checkable
class Importer(Protocol):
    name: str
    kind: str
    label: str

    def identify(self, source: Source) -> float: ...

    def extract(self, source: Source) -> ImportResult: ...


REGISTRY: dict[str, Importer] = {}


def register(importer: Importer) -> Importer:
    if importer.name in REGISTRY and REGISTRY[importer.name] is not importer:
        raise ValueError(f"two importers named {importer.name!r}")
    REGISTRY[importer.name] = importer
    return importer


_loaded = False


def load_all() -> dict[str, Importer]:
    """Import every module of ``complaint.importers`` (its ``orders`` and ``bank`` packages included)
    once, so each registers itself."""
    global _loaded
    if not _loaded:
        from .. import importers as pkg

        for mod in pkgutil.walk_packages(pkg.__path__, prefix=f"{pkg.__name__}."):
            if not mod.ispkg:
                importlib.import_module(mod.name)
        _loaded = True
    return REGISTRY


def candidates(source: Source, kind: str | None = None) -> list[tuple[Importer, float]]:
    """Importers that claim the file, best first.  An identify() that raises counts as 0."""
    out = []
    for imp in load_all().values():
        if kind and imp.kind != kind:
            continue
        if getattr(imp, "automatic", True) is False:
            continue
        try:
            conf = float(imp.identify(source))
        except Exception:  # noqa: BLE001 - a sniffing failure only means "not mine"
            conf = 0.0
        if conf > 0:
            out.append((imp, conf))
    out.sort(key=lambda pair: (-pair[1], pair[0].name))
    return out


def detect(source: Source, kind: str | None = None) -> tuple[Importer, float]:
    """The one importer for a file; NotMyFormat if none, AmbiguousFormat if two claim it."""
    found = [(i, c) for i, c in candidates(source, kind) if c >= MIN_CONFIDENCE]
    if not found:
        raise NotMyFormat(_("{file}: no importer recognises this file; use the column-mapping step",
                            file=source.name))
    if len(found) > 1 and found[0][1] - found[1][1] < CLEAR_MARGIN:
        names = [i.name for i, _c in found]
        raise AmbiguousFormat(
            _("{file}: several formats match ({names}); choose one", file=source.name, names=", ".join(names)),
            names,
        )
    return found[0]


def import_file(obj, kind: str | None = None, importer: str | None = None, name: str | None = None) -> ImportResult:
    """Read one file (path, bytes, file object or Source) with the detected or named importer."""
    source = as_source(obj, name)
    if importer:
        imp = load_all().get(importer)
        if imp is None:
            raise NotMyFormat(_("unknown importer {name}", name=importer))
        confidence = 1.0
    else:
        imp, confidence = detect(source, kind)
    try:
        result = imp.extract(source)
    except ComplaintError:
        raise
    except (ValueError, KeyError, IndexError, TypeError, UnicodeError) as exc:
        raise ParseError(_("cannot be read as {label}: {error}", label=imp.label, error=describe_error(exc)),
                         file=source.name) from exc
    if result.confidence != confidence and not importer:
        from dataclasses import replace

        result = replace(result, confidence=confidence)
    return result


_OBJECT_REPR = re.compile(r"<(?:[\w.]+ )?[\w.]+ object at 0x[0-9a-fA-F]+>")


def describe_error(exc: BaseException) -> str:
    """A library's error as a user can read it: never a Python object (``<_io.BytesIO object at
    0x...>`` becomes "the file"), never empty, on one line."""
    text = _OBJECT_REPR.sub(_("the file"), str(exc)).strip()
    text = " ".join(text.split())
    return text or type(exc).__name__


def stable_txn_id(*parts: object, occurrence: int = 0, prefix: str = "h") -> str:
    """A transaction id from its content (and its rank among identical rows of one file).

    Overlapping statements give the same id for the same movement, so they dedupe exactly;
    two genuinely identical movements on one day keep distinct ids through ``occurrence``.
    """
    raw = "\x1f".join("" if p is None else str(p) for p in parts) + f"\x1f{occurrence}"
    return prefix + hashlib.sha256(raw.encode("utf-8")).hexdigest()[:24]


def ref_txn_id(importer_family: str, account: str | None, reference: str) -> str:
    """A transaction id from the bank's own unique reference."""
    return "r" + hashlib.sha256(f"{importer_family}\x1f{account or ''}\x1f{reference}".encode()).hexdigest()[:24]


def header_matches(header: Iterable[str], expected: Iterable[str]) -> float:
    """Share of ``expected`` names present in ``header`` (case- and space-insensitive)."""
    have = {h.strip().strip('"').strip().lower() for h in header}
    want = [e.strip().lower() for e in expected]
    if not want:
        return 0.0
    return sum(1 for e in want if e in have) / len(want)
