"""The chronology as a table: CSV (formula-injection safe) and Markdown (user text escaped).

Each row names the evidence it links to by file name and SHA-256, so a reader of the dossier can
find the exact file and check it was not altered.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..csvsafe import write_csv
from ..i18n import _
from ..records import Event, Evidence
from .events import format_when, kind_label, lane_label

COLUMNS = ("when", "lane", "kind", "title", "orders", "evidence", "details", "source", "time_source", "id")


def _headers() -> list[str]:
    return [_("Date and time"), _("Source"), _("Event"), _("Title"), _("Orders"), _("Evidence"), _("Details"),
            _("Provenance"), _("Time from"), _("Event id")]


def evidence_refs(ev: Event, evidence_by_sha: dict[str, Evidence]) -> list[str]:
    """'photo.jpg (sha256 1a2b3c...)' for each linked file; an unknown sha256 is shown alone."""
    out = []
    for sha in ev.evidence_ids:
        item = evidence_by_sha.get(sha)
        out.append(f"{item.file_name} (sha256 {sha})" if item else f"sha256 {sha}")
    return out


def _time_from(ev: Event) -> str:
    parts = [p for p in (ev.time_source, ev.tz_source) if p]
    return "; ".join(parts)


def rows(events: Iterable[Event], evidence: Iterable[Evidence] = ()) -> list[dict[str, str]]:
    by_sha = {e.sha256: e for e in evidence}
    return [{
        "when": format_when(ev), "lane": lane_label(ev.lane), "kind": kind_label(ev.kind), "title": ev.title,
        "orders": ", ".join(ev.order_ids), "evidence": "; ".join(evidence_refs(ev, by_sha)),
        "details": ev.body or "", "source": ev.provenance.where() if ev.provenance else "",
        "time_source": _time_from(ev), "id": ev.id,
    } for ev in events]


def chronology_csv(events: Iterable[Event], evidence: Iterable[Evidence] = ()) -> str:
    table = rows(events, evidence)
    return write_csv(([r[c] for c in COLUMNS] for r in table), _headers())


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def md_escape(text: str) -> str:
    """Text safe inside a Markdown table cell: no markup, links, HTML or row breaks."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return re.sub(r"\s*[\r\n]+\s*", " / ", text).strip()


def chronology_markdown(events: Iterable[Event], evidence: Iterable[Evidence] = ()) -> str:
    table = rows(events, evidence)
    shown = ("when", "lane", "title", "orders", "evidence", "source")
    header_text = dict(zip(COLUMNS, _headers(), strict=True))
    lines = ["| " + " | ".join(md_escape(header_text[c]) for c in shown) + " |",
             "|" + "|".join("---" for _c in shown) + "|"]
    for r in table:
        cells = [md_escape(r[c]) for c in shown]
        if r["details"]:
            cells[2] += " — " + md_escape(r["details"])
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def chronology_records(events: Iterable[Event], evidence: Iterable[Evidence] = ()) -> list[dict]:
    """Stable, untranslated keys for ``--format json|csv`` (a CLI contract: keep the keys)."""
    from ..calendar_be import BRUSSELS

    by_sha = {e.sha256: e for e in evidence}
    return [{
        "when": ev.at.astimezone(BRUSSELS).isoformat() if ev.at else ev.on.isoformat(),
        "date_only": ev.at is None,
        "lane": ev.lane,
        "kind": ev.kind,
        "title": ev.title,
        "order_ids": list(ev.order_ids),
        "evidence": [by_sha[s].file_name if s in by_sha else s for s in ev.evidence_ids],
        "evidence_sha256": list(ev.evidence_ids),
        "txn_ids": list(ev.txn_ids),
        "source": ev.provenance.where() if ev.provenance else None,
        "time_source": ev.time_source,
        "tz_source": ev.tz_source,
        "origin": ev.origin,
        "body": ev.body,
        "id": ev.id,
    } for ev in events]
