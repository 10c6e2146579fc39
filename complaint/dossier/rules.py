"""The rules file (complaint/dossier/rules.json): every deadline, rule and contact the tool shows.

One data file, easy to update; code reads values from here only, never from literals, so a
changed rule changes the guide, the reminders and the letters together.  Each rule carries its
source and the date it was checked, shown next to it (the tool prepares evidence and letters;
it is not legal advice).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from ..i18n import _

RULES_PATH = Path(__file__).parent / "rules.json"

DISCLAIMER_EN = ("This guide helps you prepare evidence and letters; it is not legal advice. Rules and "
                 "deadlines change: each one shows its source and the date it was checked.")


@dataclass(frozen=True, slots=True)
class Citation:
    rule_id: str
    title: str
    source_title: str
    source_url: str | None
    checked: str
    unverified: str | None = None

    def text(self) -> str:
        """One line: 'source (url), checked 2026-11' plus the caution when unverified."""
        out = self.source_title
        if self.source_url:
            out += f" ({self.source_url})"
        out += ", " + _("checked {date}", date=self.checked)
        if self.unverified:
            out += ". " + _("Unverified: {note}", note=self.unverified)
        return out


@functools.cache
def _load(path: str) -> dict:
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    for section in ("rules", "contacts"):
        for key, rule in data[section].items():
            for field in ("checked", "source"):
                if field not in rule:
                    raise ValueError(f"{path}: {section}.{key} has no '{field}'")
    return data


def load_rules() -> dict:
    return _load(str(RULES_PATH))


def rule(rule_id: str) -> dict:
    data = load_rules()
    if rule_id in data["rules"]:
        return data["rules"][rule_id]
    if rule_id in data["contacts"]:
        return data["contacts"][rule_id]
    raise KeyError(rule_id)


def value(rule_id: str):
    return rule(rule_id)["value"]


def citation(rule_id: str) -> Citation:
    r = rule(rule_id)
    src = r["source"]
    return Citation(rule_id=rule_id, title=r["title"], source_title=src["title"], source_url=src.get("url"),
                    checked=r["checked"], unverified=r.get("unverified"))


def contacts() -> dict:
    return load_rules()["contacts"]


def disclaimer() -> str:
    return _(DISCLAIMER_EN)
