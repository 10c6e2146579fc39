"""Checks on the project itself: layering, CLI help and docs kept in step with the code."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from complaint.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def test_core_never_imports_streamlit():
    offenders = []
    for path in (ROOT / "complaint").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n == "streamlit" or n.startswith("streamlit.") for n in names):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_importing_the_core_does_not_load_streamlit():
    code = "import sys, complaint.cli, complaint.store.db, complaint.importers.base as b; b.load_all(); " \
           "print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _all_commands(group: click.Group, prefix: str = ""):
    for name, cmd in group.commands.items():
        yield f"{prefix}{name}", cmd
        if isinstance(cmd, click.Group):
            yield from _all_commands(cmd, f"{prefix}{name} ")


@pytest.mark.parametrize("name,cmd", list(_all_commands(cli)))
def test_every_command_has_help(name, cmd):
    assert cmd.help and len(cmd.help.strip()) > 10, name


def test_every_top_level_command_has_an_example_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, cmd in cli.commands.items():
        assert "complaint " + name in cmd.help, f"{name}: no example in --help"
        assert re.search(rf"complaint {re.escape(name)}\b", readme), f"{name} is not in the README"


def test_no_user_string_literals_in_pages_outside_translation():
    """Page titles, labels and messages go through _(): spot-check the literal first arguments."""
    widget_calls = {"title", "header", "subheader", "button", "caption", "info", "warning", "success", "error",
                    "text_input", "selectbox", "checkbox", "file_uploader", "download_button", "metric", "expander",
                    "radio", "multiselect", "number_input", "date_input", "text_area", "toggle", "tabs", "form_submit_button"}
    offenders = []
    for path in list((ROOT / "app_pages").glob("*.py")) + list((ROOT / "ui").glob("*.py")) + [ROOT / "app.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in widget_calls:
                if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str) \
                        and node.args[0].value.strip() and any(c.isalpha() for c in node.args[0].value):
                    offenders.append(f"{path.name}:{node.lineno} {node.args[0].value!r}")
    assert offenders == []


def test_every_declared_setting_is_documented_in_the_readme():
    from complaint.settings import DECLARED

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [s.env for s in DECLARED if f"`{s.env}`" not in readme]
    assert missing == []


def test_no_legacy_pages_folder_next_to_the_entry_point():
    """Streamlit runs a ``pages/`` folder next to app.py as a legacy multipage app until some
    session has executed st.navigation: on a fresh server the first deep link (/evidence) would run
    the page alone, without the router (sidebar, language, login gate).  Pages live in app_pages/."""
    assert not (ROOT / "pages").exists()
    assert (ROOT / "app_pages" / "home.py").exists()
