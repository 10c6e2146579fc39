"""Accessibility basics checked on the source: every widget has a label a screen reader can read
(also when the label is visually hidden), labels go through the translation function, and every
custom colour of the app meets the WCAG contrast minimums."""

from __future__ import annotations

import ast
import sys
import tomllib
from pathlib import Path

import pytest

from complaint.timeline.palette import (
    GRAPHICS_MIN,
    GRAPHICS_ON_WHITE,
    OKABE_ITO,
    STATUS_TEXT,
    TEXT_MIN,
    TEXT_ON_WHITE,
    best_text_colour,
    contrast_against,
    contrast_ratio,
    meets,
    parse_hex,
)

ROOT = Path(__file__).resolve().parent.parent
UI_FILES = sorted([*ROOT.glob("app_pages/*.py"), *ROOT.glob("ui/*.py"), ROOT / "app.py"])
# widget -> True when its label is the first positional argument (all of these take ``label``)
WIDGETS = {"button", "download_button", "link_button", "page_link", "checkbox", "toggle", "radio", "selectbox",
           "multiselect", "select_slider", "slider", "text_input", "text_area", "number_input", "date_input",
           "time_input", "file_uploader", "camera_input", "color_picker", "form_submit_button",
           "segmented_control", "pills", "audio_input"}
HIDDEN = {"collapsed", "hidden"}


def _label(call: ast.Call, name: str) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == "label":
            return kw.value
    if name == "page_link":  # page_link(page, label=...): the label is never positional first
        return call.args[1] if len(call.args) > 1 else None
    return call.args[0] if call.args else None


def _is_empty(node: ast.expr | None) -> bool:
    if node is None:
        return True
    if isinstance(node, ast.Constant):
        return not str(node.value or "").strip()
    if isinstance(node, ast.JoinedStr):
        return not node.values
    return False


def _widget_calls(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WIDGETS:
            yield node, node.func.attr


def label_problems(path: Path) -> list[str]:
    """Widgets created without a readable label (an empty label is only allowed nowhere: a hidden
    label must still carry text for screen readers)."""
    out = []
    for call, name in _widget_calls(path):
        label = _label(call, name)
        hidden = any(kw.arg == "label_visibility" and isinstance(kw.value, ast.Constant) and kw.value.value in HIDDEN
                     for kw in call.keywords)
        if name == "page_link" and label is None:
            continue  # page_link without label= shows the page's own (translated) title
        if _is_empty(label):
            why = "hidden label with no text" if hidden else "no label"
            out.append(f"{path.relative_to(ROOT)}:{call.lineno} {name}: {why}")
    return out


def untranslated_labels(path: Path) -> list[str]:
    """Widget labels written as a bare string literal instead of _("...")."""
    out = []
    for call, name in _widget_calls(path):
        label = _label(call, name)
        if isinstance(label, ast.Constant) and isinstance(label.value, str) and label.value.strip():
            out.append(f"{path.relative_to(ROOT)}:{call.lineno} {name}: {label.value!r}")
    return out


def test_the_checker_catches_unlabelled_widgets(tmp_path, monkeypatch):
    bad = tmp_path / "bad.py"
    bad.write_text('import streamlit as st\nst.button("")\nst.text_input("", label_visibility="collapsed")\n'
                   'c.selectbox(label="  ", options=[1])\nst.file_uploader()\nst.checkbox(_("Fine"))\n'
                   'st.radio("Raw text", [1])\n', encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    problems = label_problems(bad)
    assert [p.split(" ", 1)[0] for p in problems] == ["bad.py:2", "bad.py:3", "bad.py:4", "bad.py:5"]
    assert "hidden label with no text" in problems[1]
    assert untranslated_labels(bad) == ["bad.py:7 radio: 'Raw text'"]


@pytest.mark.parametrize("path", UI_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_widget_has_a_label(path):
    assert label_problems(path) == []


@pytest.mark.parametrize("path", UI_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_widget_labels_are_translated(path):
    assert untranslated_labels(path) == []


# --- colours ---------------------------------------------------------------------------------------

def test_contrast_ratio_matches_the_wcag_reference_values():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert contrast_ratio("#777777") == pytest.approx(4.48, abs=0.01)  # the classic "just fails" grey
    assert contrast_ratio("#767676") == pytest.approx(4.54, abs=0.01)  # the classic "just passes" grey
    assert contrast_ratio("#0072B2", "#FFFFFF") == contrast_ratio("#FFFFFF", "#0072B2")
    assert parse_hex("#fff") == (255, 255, 255) and parse_hex("0B5CAD") == (11, 92, 173)
    with pytest.raises(ValueError, match="not a hex colour"):
        parse_hex("blue")
    assert not meets("#777777", "text") and meets("#777777", "graphics") and meets("#767676", "text")
    assert set(contrast_against("#0072B2")) == {"white", "black"}
    assert best_text_colour(OKABE_ITO["yellow"]) == "#000000" and best_text_colour("#0b5cad") == "#FFFFFF"


def test_the_palette_is_okabe_ito():
    assert list(OKABE_ITO.values()) == ["#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2",
                                        "#D55E00", "#CC79A7"]


@pytest.mark.parametrize("name,colour", [*TEXT_ON_WHITE.items(), *(("status:" + k, v) for k, v in STATUS_TEXT.items())])
def test_text_colours_meet_4_5_to_1_on_white(name, colour):
    assert contrast_ratio(colour) >= TEXT_MIN, f"{name} {colour}: {contrast_ratio(colour):.2f}"


@pytest.mark.parametrize("name,colour", GRAPHICS_ON_WHITE.items())
def test_graphics_colours_meet_3_to_1_on_white(name, colour):
    assert contrast_ratio(colour) >= GRAPHICS_MIN, f"{name} {colour}: {contrast_ratio(colour):.2f}"


def test_theme_colours_meet_the_minimums():
    theme = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")).get("theme", {})
    background = theme.get("backgroundColor", "#FFFFFF")
    primary = theme["primaryColor"]
    # the primary colour is used for links and button text on the page background, and as the fill of
    # primary buttons behind white text: both need 4.5:1
    assert contrast_ratio(primary, background) >= TEXT_MIN
    assert contrast_ratio("#FFFFFF", primary) >= TEXT_MIN
    if "textColor" in theme:
        assert contrast_ratio(theme["textColor"], background) >= TEXT_MIN
    for key in ("secondaryBackgroundColor",):
        if key in theme:
            assert contrast_ratio(theme.get("textColor", "#31333F"), theme[key]) >= TEXT_MIN
