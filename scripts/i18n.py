#!/usr/bin/env python3
"""Message catalogues: extract every _() / N_() string and update the .po files.

    .venv/bin/python scripts/i18n.py extract     # refresh complaint/locale/*/LC_MESSAGES/complaint.po
    .venv/bin/python scripts/i18n.py missing     # list msgids without a translation, per language
    .venv/bin/python scripts/i18n.py check       # translations whose {placeholders} differ from the msgid

Existing translations are kept; strings no longer in the code are marked obsolete (dropped).
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "complaint" / "locale"
LANGS = ("fr", "nl", "de")
KEYWORDS = {"_": None, "N_": None, "md_text": None}  # md_text: ui.safe, _() with escaped values


def source_files() -> list[Path]:
    files = [ROOT / "app.py"]
    for folder in ("complaint", "app_pages", "ui"):
        files += sorted((ROOT / folder).rglob("*.py"))
    return files


def extract() -> dict[str, list[tuple[str, int]]]:
    found: dict[str, list[tuple[str, int]]] = {}
    for path in source_files():
        for lineno, message, _comments, _context in extract_from_file("python", str(path), keywords=KEYWORDS):
            if isinstance(message, str) and message.strip():
                found.setdefault(message, []).append((str(path.relative_to(ROOT)), lineno))
    return found


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "complaint.po"


def load(lang: str) -> Catalog:
    path = po_path(lang)
    if path.exists():
        with path.open("rb") as fh:
            return read_po(fh, locale=lang)
    return Catalog(locale=lang, project="complaint-notebook", fuzzy=False)


def update() -> None:
    messages = extract()
    for lang in LANGS:
        old = load(lang)
        new = Catalog(locale=lang, project="complaint-notebook", fuzzy=False)
        for msgid, locations in sorted(messages.items()):
            prev = old.get(msgid)
            new.add(msgid, prev.string if prev else "", locations=locations[:3],
                    flags=("python-brace-format",) if "{" in msgid else ())
        path = po_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            write_po(fh, new, width=100, omit_header=False, sort_output=True)
        missing = sum(1 for m in new if m.id and not m.string)
        print(f"{lang}: {len(messages)} messages, {missing} untranslated")


def missing() -> int:
    messages = extract()
    total = 0
    for lang in LANGS:
        cat = load(lang)
        todo = [m for m in messages if not (cat.get(m) and cat.get(m).string)]
        total += len(todo)
        print(f"{lang}: {len(todo)} untranslated")
        for m in todo[:50]:
            print("   ", repr(m))
    return total


def fields(text: str) -> list[str]:
    import string

    return sorted(name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None)


def check() -> int:
    bad = 0
    for lang in LANGS:
        for m in load(lang):
            if not (m.id and m.string and isinstance(m.id, str)):
                continue
            try:
                ok = fields(m.string) == fields(m.id)
            except ValueError:
                ok = False
            if not ok:
                bad += 1
                print(f"{lang}: {m.id!r} -> {m.string!r}")
    print(f"{bad} translation(s) with wrong placeholders")
    return bad


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else "extract"
    if cmd == "extract":
        update()
    elif cmd == "missing":
        sys.exit(1 if missing() else 0)
    elif cmd == "check":
        sys.exit(1 if check() else 0)
    else:
        sys.exit(__doc__)
