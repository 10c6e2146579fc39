"""Every page of the app and the dossier PDF, rendered in French, Dutch and German on the sample
case, show no English of the app's own (tests/i18n_leaks.py says what counts), no raw key, no
"None", and every multiselect has a placeholder in the language shown."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from google.protobuf.json_format import MessageToDict
from i18n_leaks import document_leaks, foreign_words, leaks
from streamlit.testing.v1 import AppTest

from complaint import api

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PAGES = sorted(f"app_pages/{p.name}" for p in (ROOT / "app_pages").glob("*.py"))
LANGS = ("fr", "nl", "de")
TEXT_KEYS = ("body", "label", "help", "placeholder", "caption", "text")


def _nodes(node):
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _nodes(child)


def _plotly_texts(spec: dict, where: str):
    layout = spec.get("layout", {})
    for key, axis in layout.items():
        if isinstance(axis, dict):
            title = axis.get("title")
            if isinstance(title, dict) and title.get("text"):
                yield f"{where}.{key}.title", title["text"]
            for tick in axis.get("ticktext", []) or []:
                yield f"{where}.{key}.tick", str(tick)
    for ann in layout.get("annotations", []) or []:
        yield f"{where}.annotation", str(ann.get("text", ""))
    for trace in spec.get("data", []):
        if trace.get("name"):
            yield f"{where}.legend", str(trace["name"])
        for key in ("text", "hovertext"):
            values = trace.get(key)
            for value in values if isinstance(values, list) else [values]:
                if isinstance(value, str):
                    yield f"{where}.{key}", value
        for value in trace.get("y", []) if isinstance(trace.get("y"), list) else []:
            if isinstance(value, str):
                yield f"{where}.axis", value


def page_texts(at: AppTest, page: str):
    """(where, text) of everything a reader sees on the page: labels, bodies, options, help,
    table headers and cells, chart titles, ticks and legends."""
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", "?")
        if proto is None or kind in ("code",):
            continue  # a letter is checked through the PDF; code blocks are the user's text
        try:
            data = MessageToDict(proto)
        except (TypeError, AttributeError):
            continue
        where = f"{page}:{kind}"
        for key in TEXT_KEYS:
            if isinstance(data.get(key), str):
                yield f"{where}.{key}", data[key]
        for option in data.get("options", []) or []:
            if isinstance(option, str):
                yield f"{where}.option", option
        if kind == "dataframe":
            config = json.loads(data.get("columns", "{}") or "{}")
            frame = node.value
            for column in frame.columns:
                label = (config.get(f"_pos:{list(frame.columns).index(column)}") or config.get(str(column)) or {})
                if label.get("hidden"):
                    continue
                yield f"{where}.header", str(label.get("label") or column)
                if frame[column].dtype == object:
                    for cell in frame[column].head(60):
                        yield f"{where}.cell", "None" if cell is None else str(cell)
        elif kind == "plotly_chart" and data.get("spec"):
            yield from _plotly_texts(json.loads(data["spec"]), where)
        elif kind == "vega_lite_chart" and data.get("spec"):
            spec = json.loads(data["spec"])
            for channel in spec.get("encoding", {}).values():
                if isinstance(channel, dict):
                    if channel.get("title", "").strip():
                        yield f"{where}.axis", channel["title"]
                    for value in (channel.get("scale") or {}).get("domain", []) or []:
                        yield f"{where}.legend", str(value)
        if kind == "multiselect" and not data.get("placeholder"):
            yield f"{where}.placeholder", "Choose options"


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_every_page_speaks_the_language(monkeypatch, lang):
    import streamlit as st

    monkeypatch.setenv("COMPLAINT_DEMO", "1")
    st.cache_data.clear()
    st.cache_resource.clear()
    found, foreign = [], None
    for page in PAGES:  # a fresh session per page, as a reader following a link
        at = AppTest.from_file(APP, default_timeout=180)
        at.session_state["_lang"] = lang
        at.run()
        at.switch_page(page).run()
        assert [e.value for e in at.exception] == [], page
        if foreign is None:
            store = at.session_state["_store"]
            foreign = foreign_words(store.load_case(int(api.list_cases(store)["id"].iloc[0])))  # the sample
        found += leaks(page_texts(at, page.removeprefix("app_pages/")), lang, foreign)
    assert found == [], f"{len(found)} English texts in {lang}:\n" + "\n".join(found[:60])


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) is not installed")
@pytest.mark.parametrize("lang", LANGS)
def test_the_dossier_pdf_speaks_the_language(lang, tmp_path):
    case = api.open_sample(tmp_path / "cases.sqlite")
    pdf = api.build_dossier(case, lang=lang, chart="none").pdf
    path = tmp_path / f"dossier-{lang}.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    found = document_leaks(text, lang, foreign_words(api.case_data(case)))
    assert found == [], f"{len(found)} English lines in the {lang} PDF:\n" + "\n".join(found[:80])
