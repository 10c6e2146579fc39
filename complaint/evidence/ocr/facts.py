"""From recognised words to facts: lines, the screen's type, and each fact with its words, box and
confidence (order ids, amounts, dates, tracking numbers, carrier events, statuses, chat messages).

A fact is only what the words say plainly: an order id is 16 digits, an amount has its currency,
a date has its month and year (or a relative day and a time, resolved against the capture time).
When in doubt a fact is left out: a missing fact costs the user a click, a wrong one a letter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from .dates import find_amounts, find_dates, fold
from .engine import Word

Box = tuple[int, int, int, int]  # x, y, w, h in the picture's pixels


@dataclass(frozen=True, slots=True)
class Line:
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def box(self) -> Box:
        return union(self.words)

    @property
    def conf(self) -> float:
        return min(w.conf for w in self.words) / 100


@dataclass(frozen=True, slots=True)
class TextFact:
    """One fact read on a screenshot: ``kind``, normalised ``value`` (str or dict), the words it was
    read from, Tesseract's confidence (0-1) and where (x, y, w, h)."""

    kind: str
    value: object
    text: str
    confidence: float
    box: Box

    def as_dict(self) -> dict:
        return {"kind": self.kind, "value": self.value, "text": self.text, "confidence": round(self.confidence, 2),
                "box": list(self.box)}


@dataclass
class Screen:
    type: str  # order, refund, tracking, chat, bank, other
    confidence: float
    facts: list[TextFact] = field(default_factory=list)


def union(words) -> Box:
    x0 = min(w.x for w in words)
    y0 = min(w.y for w in words)
    x1 = max(w.x + w.w for w in words)
    y1 = max(w.y + w.h for w in words)
    return (x0, y0, x1 - x0, y1 - y0)


def lines_of(words: list[Word]) -> list[Line]:
    """Words grouped into lines: a band of the same height, cut where a gap is wider than four
    letters (two columns, or a bubble on each side)."""
    bands: list[list[Word]] = []
    for w in sorted(words, key=lambda w: w.y + w.h / 2):
        mid = w.y + w.h / 2
        if bands:
            band = bands[-1]
            band_mid = sum(x.y + x.h / 2 for x in band) / len(band)
            if abs(mid - band_mid) < 0.5 * max(max(x.h for x in band), w.h):
                band.append(w)
                continue
        bands.append([w])
    lines = []
    for band in bands:
        band.sort(key=lambda w: w.x)
        current = [band[0]]
        for w in band[1:]:
            prev = current[-1]
            if w.x - (prev.x + prev.w) > 4 * max(prev.h, w.h):
                lines.append(Line(tuple(current)))
                current = []
            current.append(w)
        lines.append(Line(tuple(current)))
    return sorted(lines, key=lambda ln: (ln.box[1], ln.box[0]))


def _span_box(line: Line, start: int, end: int) -> tuple[Box, float, str]:
    """The box, confidence and words of the characters [start, end) of ``line.text``."""
    pos = 0
    hit = []
    for w in line.words:
        w_end = pos + len(w.text)
        if pos < end and start < w_end:
            hit.append(w)
        pos = w_end + 1
    hit = hit or list(line.words)
    return union(hit), min(w.conf for w in hit) / 100, " ".join(w.text for w in hit)


# -- screen types ---------------------------------------------------------------------------------

KEYWORDS = {  # folded words (lower case, no accents) -> weight, per screen type
    "refund": {"refund successful": 3, "remboursement effectue": 3, "terugbetaling voltooid": 3,
               "erstattung erfolgreich": 3, "refund": 1.5, "rembourse": 1.5, "terugbetal": 1.5, "erstattung": 1.5,
               "business days": 1, "jours ouvrables": 1, "werkdagen": 1, "werktage": 1},
    "order": {"order details": 2, "details de la commande": 2, "bestelgegevens": 2, "bestelldetails": 2,
              "order id": 1, "de commande": 1, "bestelnummer": 1, "bestellnummer": 1, "order date": 1,
              "total": 0.5, "totaal": 0.5, "gesamt": 0.5},
    "tracking": {"tracking": 1.5, "suivi": 1.5, "sendungsverfolgung": 2, "tracking number": 1.5,
                 "numero de suivi": 1.5, "trackingnummer": 1.5, "sendungsnummer": 1.5, "delivered": 0.5,
                 "livre": 0.5, "bezorgd": 0.5, "zugestellt": 0.5, "sorting center": 0.5, "centre de tri": 0.5,
                 "sorteercentrum": 0.5, "sortierzentrum": 0.5},
    "chat": {"chat": 2, "message": 0.5, "bericht": 0.5, "nachricht": 0.5},
    "bank": {"iban": 2, "saldo": 1.5, "solde": 1.5, "kontostand": 1.5, "balance": 1, "bancontact": 1.5,
             "overschrijving": 1, "virement": 1, "uberweisung": 1},
}


def screen_type(lines: list[Line], chat_bubbles: int = 0) -> tuple[str, float]:
    text = fold(" \n".join(ln.text for ln in lines))
    scores = {kind: sum(weight for word, weight in words.items() if word in text) for kind, words in KEYWORDS.items()}
    scores["chat"] += min(2.0, chat_bubbles * 0.5)
    best = max(scores, key=lambda k: scores[k])
    total = sum(scores.values())
    if scores[best] < 1.5:
        return "other", round(1 - min(1.0, total / 3), 2) if total else 1.0
    return best, round(scores[best] / total, 2)


# -- statuses -------------------------------------------------------------------------------------

REFUND_STATUS = {"successful": ("refund successful", "remboursement effectue", "terugbetaling voltooid",
                                "erstattung erfolgreich", "refunded", "rembourse", "terugbetaald", "erstattet"),
                 "processing": ("refund in progress", "remboursement en cours", "terugbetaling in behandeling",
                                "erstattung in bearbeitung", "processing"),
                 "rejected": ("refund rejected", "remboursement refuse", "terugbetaling geweigerd",
                              "erstattung abgelehnt")}
REFUND_WORDS = ("refund", "rembours", "terugbeta", "erstatt")
ORDER_STATUS = {"completed": ("completed", "terminee", "voltooid", "abgeschlossen"),
                "awaiting_delivery": ("awaiting delivery", "en attente de livraison", "wacht op levering",
                                      "warten auf lieferung"),
                "shipped": ("shipped", "expediee", "verzonden", "versandt"),
                "closed": ("closed", "fermee", "gesloten", "geschlossen")}
EVENT_WORDS = ("delivered", "delivery", "arrived", "departed", "accepted", "shipped", "customs", "sorting",
               "received", "dispatch", "transit", "hub", "picked up",
               "livre", "livraison", "arrive", "parti", "pris en charge", "expedie", "douane",
               "bezorgd", "onderweg", "aangekomen", "vertrokken", "aangenomen", "verzonden",
               "zugestellt", "zustellung", "angekommen", "verlassen", "ubernommen", "versandt", "zoll")

ORDER_ID = re.compile(r"(?<![\d])(\d{16})(?![\d])")
TRACKING = re.compile(r"\b([A-Z]{2}\d{9}[A-Z]{2}|(?:LP|CN|YT|UB|LY|SY|CA|CNBEL|AE)\d{10,18}|\d{3}[A-Z]\d{11,14})\b")
TRACKING_LABEL = ("tracking", "suivi", "trackingnummer", "sendungsnummer", "track")


def _status(kind: str, table: dict, line: Line, folded: str) -> TextFact | None:
    for value, words in table.items():
        for word in words:
            if re.search(r"(?<![a-z])" + re.escape(word) + r"(?![a-z])", folded):
                return TextFact(kind, value, line.text, line.conf, line.box)
    return None


def read_facts(words: list[Word], size: tuple[int, int], captured: datetime | None = None) -> Screen:
    """Every fact the words show, and the screen's type."""
    lines = lines_of(words)
    width = size[0]
    facts: list[TextFact] = []
    dated: list[tuple[int, TextFact, int]] = []  # (line index, date fact, its end) for events, messages
    for i, line in enumerate(lines):
        text = line.text
        folded = fold(text)
        for m in ORDER_ID.finditer(text):
            box, conf, words_text = _span_box(line, *m.span())
            facts.append(TextFact("order_id", m.group(1), words_text, conf, box))
        for start, end, amount, currency in find_amounts(text):
            box, conf, words_text = _span_box(line, start, end)
            facts.append(TextFact("amount", {"amount": f"{amount:.2f}", "currency": currency}, words_text, conf, box))
        for start, end, day, clock in find_dates(text, captured):
            box, conf, words_text = _span_box(line, start, end)
            if clock is None:
                fact = TextFact("date", day.isoformat(), words_text, conf, box)
            else:
                at = datetime.combine(day, clock)
                fact = TextFact("datetime", at.isoformat(timespec="minutes"), words_text, conf, box)
            facts.append(fact)
            dated.append((i, fact, end))
        if any(label in folded for label in TRACKING_LABEL) or i > 0:
            for m in TRACKING.finditer(text):
                if ORDER_ID.fullmatch(m.group(1)):
                    continue
                box, conf, words_text = _span_box(line, *m.span())
                facts.append(TextFact("tracking_number", m.group(1), words_text, conf, box))
        for kind, table in (("refund_status", REFUND_STATUS), ("order_status", ORDER_STATUS)):
            fact = _status(kind, table, line, folded)
            if fact is not None and not any(f.kind == kind for f in facts) and not (
                    kind == "order_status" and any(w in folded for w in REFUND_WORDS)):
                facts.append(fact)  # the first status a screen shows is its headline
    bubbles = _messages(lines, dated, width)
    kind, confidence = screen_type(lines, len(bubbles))
    if kind == "tracking":
        facts += _events(lines, dated)
    elif kind == "chat":
        facts += bubbles
    if kind in ("tracking", "chat"):  # their statuses are event words, not the order's state
        facts = [f for f in facts if f.kind not in ("order_status", "refund_status")]
    return Screen(kind, confidence, _dedupe(facts))


def _dedupe(facts: list[TextFact]) -> list[TextFact]:
    seen = set()
    out = []
    for f in facts:
        key = (f.kind, repr(f.value), f.box)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def _next_text(lines: list[Line], i: int, dated_lines: set[int]) -> Line | None:
    if i + 1 < len(lines) and i + 1 not in dated_lines:
        return lines[i + 1]
    return None


def _events(lines: list[Line], dated: list[tuple[int, TextFact, int]]) -> list[TextFact]:
    """A carrier event: a date (with its time) and its status, on the rest of the date's line
    ("2026-10-14 06:12 Departed from sorting center") or on the line below ("Delivered — Brussels")."""
    out = []
    dated_lines = {i for i, _f, _e in dated}
    for i, fact, end in dated:
        rest = lines[i].text[end:].strip(" -—–:")
        used = [*lines[i].words]
        if sum(c.isalpha() for c in rest) >= 4:
            text = rest
        else:
            nxt = _next_text(lines, i, dated_lines)
            if nxt is None:
                continue
            text = nxt.text
            used += nxt.words
        if not any(w in fold(text) for w in EVENT_WORDS):
            continue
        parts = re.split(r"\s[—–-]\s", text, maxsplit=1)
        status, place = (parts[0], parts[1]) if len(parts) == 2 else (text, "")
        value = {"at" if fact.kind == "datetime" else "on": fact.value, "status": status.strip(),
                 "place": place.strip() or None}
        out.append(TextFact("carrier_event", value, " ".join(w.text for w in used),
                            min(w.conf for w in used) / 100, union(used)))
    return out


def _messages(lines: list[Line], dated: list[tuple[int, TextFact, int]], width: int) -> list[TextFact]:
    """A chat message: a time and the bubble below it; the buyer's bubbles are on the right."""
    out = []
    dated_lines = {i for i, _f, _e in dated}
    for i, fact, _end in dated:
        if fact.kind != "datetime":
            continue
        nxt = _next_text(lines, i, dated_lines)
        if nxt is None or ORDER_ID.search(nxt.text):
            continue
        x, _y, w, _h = nxt.box
        sender = "buyer" if width - (x + w) < x else "seller"  # the buyer's bubbles are on the right
        value = {"at": fact.value, "sender": sender, "text": nxt.text}
        out.append(TextFact("message", value, nxt.text, min(fact.confidence, nxt.conf),
                            union([*lines[i].words, *nxt.words])))
    return out
