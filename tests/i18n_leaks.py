"""Find the app's own English in a page or a PDF shown in French, Dutch or German.

What counts as the app's own: every msgid of the catalogues (a shown text that *is* an English msgid,
or contains one of three words or more, did not go through ``_()`` in the language shown), raw
internal keys (``overdue_eur_cents``, ``paid eur``), Python's ``None``/``nan``, and a short list of
the app's English vocabulary.  The seller's and the bank's words (store names, item titles,
statement text) and the public sources the app quotes word for word are not the app's: they are
removed from a text before it is checked.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

from complaint import i18n

ROOT = Path(__file__).resolve().parent.parent
# English words of the app's own vocabulary that no FR/NL/DE sentence of the app contains
# (whole words, case-sensitive lower case: "Store" in a seller's name is the seller's).
VOCABULARY = ("overdue", "pending", "refund", "refunds", "credited", "assumed", "exif-offset", "exif offset",
              "Choose an option", "Choose options", "Upload", "Drag and drop", "No results", "business days",
              "paid eur", "expected eur", "refunds expected", "refund completed", "bank contact", "order placed")
RAW_KEY = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")
EMPTY = {"None", "nan", "NaN", "NaT", "<NA>"}


def _template(msgid: str) -> re.Pattern[str] | None:
    """A msgid as a pattern: its {fields} match anything; None when it is mostly fields."""
    parts, static = [], ""
    try:
        parsed = list(string.Formatter().parse(msgid))
    except ValueError:
        parsed = [(msgid, None, None, None)]
    for literal, field, _spec, _conv in parsed:
        parts.append(re.escape(literal))
        static += literal
        if field is not None:
            parts.append(".+?")
    if len(re.findall(r"[A-Za-z]{2,}", static)) == 0:
        return None
    return re.compile("".join(parts).replace(r"\ ", r"\s+"), re.S)


@cache
def english_messages(lang: str) -> tuple[list[tuple[str, re.Pattern[str]]], list[tuple[str, re.Pattern[str]]]]:
    """(whole-text patterns, in-text patterns) of the msgids whose translation in ``lang`` differs."""
    whole, inside = [], []
    for msgid, msgstr in i18n.catalogue(lang).items():
        if msgstr.strip() == msgid.strip():
            continue  # "Dossier", "PayPal", "OK": the same word in both languages
        pattern = _template(msgid)
        if pattern is None:
            continue
        words = re.findall(r"[A-Za-z]{2,}", re.sub(r"\{[^}]*\}", "", msgid))
        if len(words) >= 2 and not any(w in msgstr for w in words if len(w) > 3):
            whole.append((msgid, pattern))
        if len(words) >= 3 and len(re.sub(r"\{[^}]*\}", "", msgid)) >= 18:
            inside.append((msgid, pattern))
    return whole, inside


def foreign_words(case=None) -> list[str]:
    """The texts that are not the app's: the seller's, the bank's, and quoted public sources."""
    out: set[str] = set()
    if case is not None:
        for order in case.orders:
            out.update(x for x in (order.store, order.status_text, getattr(order, "seller_name", None)) if x)
            out.update(line.title for line in order.items if line.title)
        for txn in case.transactions:
            out.update(x for x in (txn.counterparty, txn.description, txn.communication) if x)
        for ev in getattr(case, "events", []) or []:
            out.update(x for x in (ev.title, ev.body) if x)
    rules = json.loads((ROOT / "complaint" / "dossier" / "rules.json").read_text(encoding="utf-8"))

    def quotes(node, under: str = "") -> Iterator[str]:
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, str) and (key == "quote" or (under == "source" and key == "title")):
                    yield value
                else:
                    yield from quotes(value, key)
        elif isinstance(node, list):
            for value in node:
                yield from quotes(value)

    out.update(quotes(rules))
    # public sources quoted word for word inside a message: the same words in the translations
    for lang in ("fr", "nl", "de"):
        for msgid, msgstr in i18n.catalogue(lang).items():
            out.update(q for q in re.findall(r"'([^']{12,})'", msgid) if q in msgstr)
    return sorted((w for w in out if len(w) >= 4), key=len, reverse=True)


def strip_foreign(text: str, foreign: Iterable[str]) -> str:
    for word in foreign:
        if word in text:
            text = text.replace(word, " ")
    return text


def _unescape(text: str) -> str:
    """Markdown escapes and badges back to the words a reader sees."""
    text = re.sub(r":[a-z]+-badge\[(.*?)\]", r"\1", text)
    text = re.sub(r":material/[a-z_]+:", "", text)
    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!:;<>|~$])", r"\1", text)


def leaks(texts: Iterable[tuple[str, str]], lang: str, foreign: Iterable[str] = (),
          vocabulary: Iterable[str] = VOCABULARY) -> list[str]:
    """Every (where, text) showing the app's English, as 'where: why: text'."""
    said = "\n".join(i18n.catalogue(lang).values())  # "upload" is Dutch too: a word the language uses is not a leak
    vocabulary = tuple(w for w in vocabulary if not re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", said))
    whole, inside = english_messages(lang)
    foreign = list(foreign)
    found: list[str] = []
    for where, raw in texts:
        if not isinstance(raw, str) or not raw.strip():
            continue
        text = strip_foreign(_unescape(raw), foreign).strip()
        if not text:
            continue
        if text in EMPTY or re.search(r"(^|\s|\|)(None|nan|NaT)(\s|\||$)", text):
            found.append(f"{where}: empty shown as None/nan: {raw[:120]!r}")
        if where.endswith(("header", "legend")) and RAW_KEY.match(text):
            found.append(f"{where}: raw key: {text!r}")
        hit = next((m for m, p in whole if p.fullmatch(text)), None) or next(
            (m for m, p in inside if p.search(text)), None)
        if hit:
            found.append(f"{where}: msgid {hit!r} shown in English: {raw[:160]!r}")
            continue
        for word in vocabulary:
            if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text):
                found.append(f"{where}: English {word!r}: {raw[:160]!r}")
                break
    return found


def document_leaks(text: str, lang: str, foreign: Iterable[str] = ()) -> list[str]:
    """The same checks over a document's text (pdftotext's reading order).  A foreign or quoted
    text may wrap over lines: it is cut out of the whole text with its whitespace collapsed, and
    the pieces of the app's own text left between the cuts are checked, with each line that
    is still whole in them."""
    flat = " ".join(text.split())
    for word in foreign:
        flat = flat.replace(" ".join(word.split()), "\0")
    flat = re.sub(r"«[^»]*»", "\0", flat)  # the seller's and the buyer's own words, quoted by the app
    pieces = [p.strip() for p in flat.split("\0") if p.strip()]
    lines = [(f"pdf line {n}", " ".join(line.split())) for n, line in enumerate(text.splitlines(), 1)]
    own = [(where, line) for where, line in lines if line and any(line in p for p in pieces)]
    # a word of the seller's or the buyer's own messages may be cut into a table cell: such words
    # are checked in the app's whole lines only, the others everywhere
    theirs = " ".join(foreign).lower()
    vocabulary = [w for w in VOCABULARY if w.lower() not in theirs]
    return sorted(set(leaks(own, lang, vocabulary=vocabulary)
                      + leaks([("pdf text", p) for p in pieces], lang, vocabulary=vocabulary)))
