"""Pasted text -> dated events: a seller conversation, or a tracking history.

Conversation (AliExpress message page, copied): each message starts with a header carrying a date
and time, with the sender's name on the same line (``Seller Store  2026-03-12 14:05``), on the line
above (``You`` / ``Mar 12, 2026 14:05``), or after it (``12/03/2026 14:05 - Name: text``); a date
alone on a line sets the day for headers that carry only a time (``Name  14:05`` or ``14:05``).
Everything up to the next header is the message (several lines kept).

Tracking (AliExpress/Cainiao, bpost, PostNL, DHL): one scan per line with the date first
(``2026-03-10 08:15:22  Arrived at destination country``, ``10/03/2026 08:15 Votre envoi ...``,
``di 10 mrt 2026 08:15 ...``, tab-separated columns), or the date on its own line with the
description below it (or, when the page lists it that way, above it), or a day header followed by
``08:15 Zending is bezorgd`` lines.

Pages show times in the viewer's local time with no zone: they are read as Europe/Brussels
(``tz_source = "assumed Europe/Brussels"``), DST gaps and repeats handled by
:func:`complaint.timeline.events.localize`.  Lines that could not be placed are returned, never dropped.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from ..calendar_be import BRUSSELS, today_brussels
from ..i18n import _
from ..records import Event, Provenance
from .events import event_id, lane_of, localize
from .paste_time import detect_dayfirst, find_datetime, find_time_only

TZ_SOURCE = "assumed Europe/Brussels"
BUYER_NAMES = ("You", "Me", "Moi", "Ik")
_SUPPORT = re.compile(r"(customer serv|service client|klantenservice|kundenservice|aliexpress (support|assistant)"
                      r"|^aliexpress$|dispute (team|officer)|médiateur)", re.I)
_TRACKING_NO = re.compile(r"\b([A-Z]{2}\d{9}[A-Z]{2}|LP\d{12,16}|3S[A-Z0-9]{10,20}|CN[A-Z0-9]{12,20}|\d{10,22})\b")
_DELIVERED = re.compile(r"(delivered|delivery (was )?successful|signed for|livr[ée]e?\b|livraison effectu|distribu[ée]"
                        r"|remis au destinataire|bezorgd|afgeleverd|zugestellt)", re.I)
_NOT_DELIVERED = re.compile(r"(out for delivery|en cours de livraison|wordt (vandaag )?bezorgd|niet bezorgd|not delivered"
                            r"|non livr|pas pu|fail|échec|echec|mislukt|attempt|tentative|poging|will be delivered"
                            r"|sera livr|in zustellung|nicht zugestellt|verwacht|expected)", re.I)
_SHIPPED = re.compile(r"(seller (has )?shipped|package shipped|dispatched|picked up|accepted by (the )?carrier"
                      r"|pris en charge|remis au transporteur|aangenomen|opgehaald|abgeholt)", re.I)
_STRIP = " \t-|:[]•·,"
_CARRIER = re.compile(r"^(carrier|courier|transporteur|vervoerder|logistics|service|spediteur)\s*:", re.I)


@dataclass
class ParseResult:
    events: list[Event] = field(default_factory=list)
    unparsed_lines: list[tuple[int, str]] = field(default_factory=list)  # (1-based line number, text)
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Block:
    line_no: int
    day: date
    at: object  # time | None
    name: str | None = None
    lines: list[str] = field(default_factory=list)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _instant(block: _Block, warnings: list[str]) -> datetime | None:
    if block.at is None:
        return None
    aware, note = localize(datetime.combine(block.day, block.at), BRUSSELS)
    if note:
        warnings.append(_("line {line}: {note}", line=block.line_no, note=note))
    return aware


def _looks_like_name(line: str) -> bool:
    return 0 < len(line) <= 40 and not line.rstrip().endswith((".", "?", "!", ":"))


def _summary(text: str, limit: int = 90) -> str:
    first = next((s.strip() for s in text.splitlines() if s.strip()), "")
    return first if len(first) <= limit else first[: limit - 1] + "…"


# --- conversation ---------------------------------------------------------------------------

def _conversation_blocks(text: str, result: ParseResult) -> list[_Block]:
    dayfirst, ambiguous = detect_dayfirst(text)
    if ambiguous:
        result.warnings.append(_("dates such as 03/04/2026 were read day first (3 April); check the result"))
    blocks: list[_Block] = []
    pending: list[tuple[int, str]] = []  # lines before the first header
    current_day: date | None = None
    for no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            if blocks:
                blocks[-1].lines.append("")
            continue
        found = find_datetime(line, dayfirst)
        name = after = None
        if found is not None:
            before, after = line[: found.start].strip(_STRIP), line[found.end:].strip(_STRIP)
            if found.at is None and not before and not after:
                current_day = found.day  # a day separator
                continue
            day, at, name = found.day, found.at, before or None
        else:
            m = re.match(r"^(?:(?P<name>.+?)(?:\t|\s{2,}))?(?P<rest>\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?)$",
                         line, re.I)
            only = find_time_only(m.group("rest")) if m and current_day else None
            if only is None:
                if blocks:
                    blocks[-1].lines.append(line)
                else:
                    pending.append((no, line))
                continue
            day, at, name, after = current_day, only[0], (m.group("name") or "").strip() or None, ""
        if name is None and after:
            wa = re.match(r"^(?P<name>[^:]{1,40}):\s*(?P<text>.*)$", after)
            if wa:
                name, after = wa.group("name").strip(), wa.group("text")
        if name is None:
            prev_lines = blocks[-1].lines if blocks else None
            while prev_lines and prev_lines[-1] == "":
                prev_lines.pop()
            if prev_lines and _looks_like_name(prev_lines[-1]):
                name = prev_lines.pop()
            elif not blocks and pending and _looks_like_name(pending[-1][1]):
                name = pending.pop()[1]
        block = _Block(no, day, at, name)
        if after:
            block.lines.append(after)
        blocks.append(block)
    result.unparsed_lines.extend(pending)
    if pending and blocks:
        result.warnings.append(_("{n} line(s) before the first dated message were not attributed to a message",
                                 n=len(pending)))
    return blocks


_SPEAKER = re.compile(r"^(?P<name>[^\W\d][^:\d]{0,39}):\s+(?P<text>\S.*)$")


def _split_speakers(block: _Block) -> list[_Block]:
    """A header without a name followed by 'Name: text' lines (one time for several messages)."""
    if block.name is not None or not block.lines or not _SPEAKER.match(block.lines[0]):
        return [block]
    parts: list[_Block] = []
    for line in block.lines:
        m = _SPEAKER.match(line)
        if m:
            parts.append(_Block(block.line_no + len(parts), block.day, block.at, m.group("name").strip(),
                                [m.group("text")]))
        else:
            parts[-1].lines.append(line)
    return parts


def parse_conversation(text: str, order_id: str | None, buyer_names=BUYER_NAMES,
                       today: date | None = None, source_name: str = "pasted conversation") -> ParseResult:
    """Dated message events from a copied conversation; see the module docstring for layouts."""
    result = ParseResult()
    if not text or not text.strip():
        result.warnings.append(_("the pasted text is empty"))
        return result
    sha = _sha(text)
    buyers = {b.casefold() for b in buyer_names}
    order_ids = (order_id,) if order_id else ()
    blocks = [part for block in _conversation_blocks(text, result) for part in _split_speakers(block)]
    unknown_sender = 0
    for block in blocks:
        body = "\n".join(block.lines).strip()
        name = block.name
        if name is None:
            unknown_sender += 1
            kind = "message_in"
        elif name.casefold() in buyers:
            kind = "message_out"
        elif _SUPPORT.search(name):
            kind = "support_chat"
        else:
            kind = "message_in"
        at = _instant(block, result.warnings)
        who = name or _("unknown sender")
        title = f"{who}: {_summary(body)}" if body else _("{who}: (no text; an image or a card?)", who=who)
        result.events.append(Event(
            id=event_id("message", order_id, (at or block.day).isoformat(), name, body[:500]), kind=kind,
            lane=lane_of(kind), title=title, on=block.day, at=at, body=body or None, order_ids=order_ids,
            time_source="pasted conversation", tz_source=TZ_SOURCE if at else None, origin="manual",
            provenance=Provenance(source_name, sha, "paste.conversation", block.line_no)))
    if unknown_sender:
        result.warnings.append(_("{n} message(s) have no sender name; they were taken as from the seller",
                                 n=unknown_sender))
    if not blocks:
        day = today or today_brussels()
        body = text.strip()
        result.unparsed_lines = [(no, line) for no, line in enumerate(text.splitlines(), 1) if line.strip()]
        result.events.append(Event(
            id=event_id("message", order_id, "unparsed", sha), kind="message_in", lane=lane_of("message_in"),
            title=_("Pasted text (no date found: edit the date and sender)"), on=day, body=body,
            order_ids=order_ids, time_source="user", origin="manual",
            provenance=Provenance(source_name, sha, "paste.conversation", 1)))
        result.warnings.append(_("no date and time was recognised; the whole text was kept as one event dated "
                                 "{day}: edit its date and sender before saving", day=day.isoformat()))
    return result


# --- tracking ---------------------------------------------------------------------------

def _tracking_tokens(text: str, result: ParseResult) -> list[tuple]:
    dayfirst, ambiguous = detect_dayfirst(text)
    if ambiguous:
        result.warnings.append(_("dates such as 03/04/2026 were read day first (3 April); check the result"))
    tokens: list[tuple] = []
    current_day: date | None = None
    for no, raw in enumerate(text.splitlines(), start=1):
        line = re.sub(r"\s*\t\s*", "  ", raw).strip()
        if not line:
            continue
        found = find_datetime(line, dayfirst)
        if found is not None:
            rest = " ".join(p for p in (line[: found.start].strip(_STRIP), line[found.end:].strip(_STRIP)) if p)
            if found.at is None and not rest:
                current_day = found.day
                tokens.append(("day", no, found.day))
                continue
            tokens.append(("dt", no, found.day, found.at, rest))
            continue
        only = find_time_only(line) if current_day else None
        if only is not None:
            tokens.append(("dt", no, current_day, only[0], line[only[1]:].strip(_STRIP)))
        else:
            tokens.append(("text", no, line))
    return tokens


def parse_tracking(text: str, order_id: str | None, tracking_number: str | None = None,
                   source_name: str = "pasted tracking") -> ParseResult:
    """Dated tracking events (``delivered``/``shipped`` when the wording says so, else ``tracking``)."""
    result = ParseResult()
    if not text or not text.strip():
        result.warnings.append(_("the pasted text is empty"))
        return result
    sha = _sha(text)
    tokens = _tracking_tokens(text, result)
    dts = [t for t in tokens if t[0] == "dt"]
    if not dts:
        result.unparsed_lines = [(t[1], t[2]) for t in tokens if t[0] == "text"]
        result.warnings.append(_("no dated tracking line was recognised; nothing was imported"))
        return result
    # description above its date ("Delivered" / "2026-03-10 08:15") when the text starts with words
    # and ends with a bare date; otherwise below it, or on the same line
    desc_before = tokens[0][0] == "text" and tokens[-1][0] == "dt" and not tokens[-1][4]
    entries: list[list] = []  # [line_no, day, time, [texts]]
    buffer: list[tuple[int, str]] = []
    carrier = ""
    for tok in tokens:
        if tok[0] == "day":
            continue
        if tok[0] == "text":
            if not entries and _CARRIER.match(tok[2]):
                carrier = tok[2]
                continue
            if not tracking_number and _TRACKING_NO.search(tok[2]) and not entries:
                tracking_number = _TRACKING_NO.search(tok[2]).group(1)
                continue
            if desc_before:
                buffer.append((tok[1], tok[2]))
            elif entries:
                entries[-1][3].append(tok[2])
            else:
                result.unparsed_lines.append((tok[1], tok[2]))
            continue
        texts = [s for _n, s in buffer] + ([tok[4]] if tok[4] else [])
        buffer = []
        entries.append([tok[1], tok[2], tok[3], texts])
    result.unparsed_lines.extend(buffer)
    if buffer:
        result.warnings.append(_("{n} line(s) after the last dated scan were not attributed", n=len(buffer)))
    number = tracking_number or ""
    order_ids = (order_id,) if order_id else ()
    seen: set[str] = set()
    for line_no, day, at_time, texts in entries:
        description = "\n".join(texts).strip()
        if not description:
            result.warnings.append(_("line {line}: a date without any description", line=line_no))
        kind = "tracking"
        if _DELIVERED.search(description) and not _NOT_DELIVERED.search(description):
            kind = "delivered"
        elif _SHIPPED.search(description):
            kind = "shipped"
        at = _instant(_Block(line_no, day, at_time), result.warnings)
        eid = event_id(kind, order_id, number, (at or day).isoformat(), description)
        if eid in seen:
            continue  # the same scan pasted twice
        seen.add(eid)
        title = _summary(description) or _("tracking scan")
        body = description + (("\n" + _("Tracking number {number}", number=number)) if number else "")
        body += ("\n" + carrier) if carrier else ""
        result.events.append(Event(
            id=eid, kind=kind, lane=lane_of(kind), title=title, on=day, at=at, body=body or None,
            order_ids=order_ids, time_source="pasted tracking", tz_source=TZ_SOURCE if at else None,
            origin="manual", provenance=Provenance(source_name, sha, "paste.tracking", line_no, number or None)))
    return result
