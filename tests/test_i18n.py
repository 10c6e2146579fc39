"""Message catalogues (fr / nl / de) and Belgian formatting.

Every string the code marks with _() or N_() must have a translation in each catalogue that keeps
exactly the same {placeholders}; the active language is per context (thread); amounts and dates
follow the Belgian conventions of the chosen language; and no user-facing literal in the Streamlit
layer bypasses the catalogue.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import string
import threading
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from babel.dates import format_date
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal

from complaint import i18n
from complaint.i18n import N_, _, get_language, set_language
from ui import widgets

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("fr", "nl", "de")


def _load_script():
    spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SCRIPT = _load_script()


@pytest.fixture(scope="module")
def extracted() -> dict[str, list[tuple[str, int]]]:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return SCRIPT.extract()


@pytest.fixture(scope="module")
def catalogues() -> dict[str, dict[str, str]]:
    out = {}
    for lang in LANGS:
        with SCRIPT.po_path(lang).open("rb") as fh:
            cat = read_po(fh, locale=lang)
        out[lang] = {m.id: m.string for m in cat if m.id and isinstance(m.id, str)}
    return out


@pytest.fixture(autouse=True)
def _english_after():
    yield
    set_language("en")


def fields(text: str) -> list[str]:
    """The sorted {field} names of a str.format template (positional/empty fields count too)."""
    return sorted(name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None)


# 1. completeness --------------------------------------------------------------------------------

def test_extraction_finds_the_interface(extracted):
    assert len(extracted) > 500
    assert "Total paid" in extracted and "Refund of {amount} credited" in extracted


@pytest.mark.parametrize("lang", LANGS)
def test_every_extracted_message_is_translated(lang, extracted, catalogues):
    missing = [m for m in extracted if not (catalogues[lang].get(m) or "").strip()]
    where = [f"{m!r} ({extracted[m][0][0]}:{extracted[m][0][1]})" for m in missing[:20]]
    assert missing == [], (f"{lang}: {len(missing)} untranslated; run scripts/i18n.py extract and translate:\n"
                           + "\n".join(where))


# 2. placeholders --------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_translations_keep_exactly_the_placeholders(lang, catalogues):
    wrong = []
    for msgid, msgstr in catalogues[lang].items():
        if not msgstr:
            continue
        try:
            got = fields(msgstr)
        except ValueError as exc:  # unbalanced braces
            wrong.append(f"{msgid!r}: {exc}")
            continue
        if got != fields(msgid):
            wrong.append(f"{msgid!r} -> {msgstr!r}")
    assert wrong == []


@pytest.mark.parametrize("lang", LANGS)
def test_translations_format_with_the_code_parameters(lang, catalogues):
    """Formatting with the msgid's own field names never raises (no stray braces, no missing names)."""
    formatted = 0
    for msgid, msgstr in catalogues[lang].items():
        if msgstr and "{" in msgid:
            params = {name: "X" for name in fields(msgid)}
            msgstr.format(**params)
            formatted += 1
    assert formatted > 50  # the catalogue was read and holds parametrised messages


@pytest.mark.parametrize("lang", LANGS)
def test_translations_keep_markdown_and_product_names(lang, catalogues):
    names = ("AliExpress", "PayPal", "CODA", "camt.053", "ConsumerConnect", "MT940", "SHA-256")
    for msgid, msgstr in catalogues[lang].items():
        if not msgstr:
            continue
        assert msgstr.count("**") == msgid.count("**"), msgid
        for name in names:
            assert (name in msgid) <= (name in msgstr), f"{lang}: {name} lost in {msgid!r} -> {msgstr!r}"


@pytest.mark.parametrize("lang", LANGS)
def test_catalogue_files_are_clean(lang):
    with SCRIPT.po_path(lang).open("rb") as fh:
        cat = read_po(fh, locale=lang)
    assert str(cat.locale) == lang
    assert not [m.id for m in cat if m.id and m.fuzzy], "fuzzy entries are ignored at run time"


def test_belgian_legal_terms():
    expect = {
        "fr": ("mise en demeure", "rétrofacturation", "Service de médiation pour le consommateur",
               "Centre Européen des Consommateurs"),
        "nl": ("ingebrekestelling", "terugboeking", "Consumentenombudsdienst", "Europees Consumentencentrum"),
        "de": ("Mahnung", "Rückbuchung"),
    }
    for lang, terms in expect.items():
        text = "\n".join(i18n.catalogue(lang).values())
        for term in terms:
            assert term in text, f"{lang}: {term}"


# 3. _() ------------------------------------------------------------------------------------------

def test_translation_follows_the_language():
    assert set_language("fr") == "fr"
    assert _("Total paid") == "Total payé"
    assert _("Refund of {amount} credited", amount="12,50 €") == "Remboursement de 12,50 € crédité"
    set_language("nl")
    assert _("Total paid") == "Totaal betaald"
    set_language("de-BE")
    assert get_language() == "de"
    assert _("Total paid") == "Insgesamt bezahlt"
    set_language("en")
    assert _("Total paid") == "Total paid"
    assert _("Refund of {amount} credited", amount="€12.50") == "Refund of €12.50 credited"


def test_stored_messages_are_translated_when_shown():
    reason = N_("the amount is empty")
    assert reason == "the amount is empty"
    set_language("nl")
    assert _(reason) == "het bedrag is leeg"


def test_unknown_language_and_unknown_message_fall_back_to_english():
    assert set_language("xx") == "en"
    set_language("fr")
    assert _("A sentence nobody translated {n}", n=3) == "A sentence nobody translated 3"


# 4. isolation ------------------------------------------------------------------------------------

def test_each_thread_keeps_its_own_language():
    barrier = threading.Barrier(3)
    seen: dict[str, list[str]] = {}

    def worker(lang: str) -> None:
        set_language(lang)
        barrier.wait()  # every thread has set its language before any reads
        seen[lang] = [_("Total paid") for _i in range(50)]
        barrier.wait()
        seen[lang].append(get_language())

    threads = [threading.Thread(target=worker, args=(lang,)) for lang in LANGS]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert set(seen["fr"][:-1]) == {"Total payé"} and seen["fr"][-1] == "fr"
    assert set(seen["nl"][:-1]) == {"Totaal betaald"} and seen["nl"][-1] == "nl"
    assert set(seen["de"][:-1]) == {"Insgesamt bezahlt"} and seen["de"][-1] == "de"
    assert get_language() == "en"  # the main thread was never touched


# 5. Belgian formatting ---------------------------------------------------------------------------

NBSP = ("\u00a0", "\u202f")


def plain(text: str) -> str:
    for space in NBSP:
        text = text.replace(space, " ")
    return text


@pytest.mark.parametrize("lang,expected", [
    ("fr", "1 234,50 €"),
    ("nl", "€ 1.234,50"),
    ("de", "1.234,50 €"),
    ("en", "1.234,50 €"),  # en_BE: Belgian English writes amounts the Belgian way
])
def test_money_in_belgian_conventions(lang, expected):
    set_language(lang)
    assert plain(widgets.money(Decimal("1234.50"))) == expected
    assert plain(format_currency(Decimal("1234.50"), "EUR", locale=i18n.LOCALES[lang])) == expected


def test_money_keeps_decimal_precision_and_negative_amounts():
    set_language("nl")
    assert plain(widgets.money(Decimal("-0.10"))) == "€ -0,10"
    set_language("fr")
    assert plain(widgets.money(Decimal("1000000.01"))) == "1 000 000,01 €"
    assert widgets.money(None) == "—"


@pytest.mark.parametrize("lang,long,short", [
    ("fr", "26 novembre 2026", "26/11/26"),
    ("nl", "26 november 2026", "26/11/2026"),
    ("de", "26. November 2026", "26.11.26"),
])
def test_dates_in_belgian_conventions(lang, long, short):
    day = date(2026, 11, 26)
    assert format_date(day, "long", locale=i18n.LOCALES[lang]) == long
    assert format_date(day, "short", locale=i18n.LOCALES[lang]) == short
    set_language(lang)
    assert widgets.day(day) == long


@pytest.mark.parametrize("lang,expected", [("fr", "14,9"), ("nl", "14,9"), ("de", "14,9"), ("en", "14,9")])
def test_decimal_comma(lang, expected):
    assert format_decimal(Decimal("14.90"), locale=i18n.LOCALES[lang]) == expected


# 6. nothing bypasses the catalogue --------------------------------------------------------------

# Streamlit calls whose first argument is not text for the user (a path, a key, code, a URL).
NOT_LABEL = {"set_page_config", "get_option", "get", "pop", "setdefault", "code", "json", "latex",
             "html", "form", "container", "columns", "empty", "fragment", "image", "audio", "video", "cache_data", "cache_resource", "plotly_chart", "altair_chart",
             "pyplot", "map", "dataframe", "data_editor", "table"}
# Streamlit calls whose first argument is a page path; their label/title keywords are still checked.
PATH_FIRST = {"Page", "page_link", "switch_page"}
# Keyword arguments that are shown to the user.
LABEL_KEYWORDS = {"label", "help", "placeholder", "title", "page_title", "caption", "text", "body"}


# Streamlit Markdown directives (colours, badges, icons) are markup, not words for the user.
MARKUP = re.compile(r"-(badge|background)\[|:material/[a-z_]+:|:(red|orange|green|blue|violet|gray|grey|rainbow|primary)"
                    r"(?=[-\[])")


def _has_words(node: ast.AST) -> bool:
    """A literal or f-string whose fixed text holds a word (two letters in a row)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return re.search(r"[^\W\d_]{2}", MARKUP.sub(" ", node.value)) is not None
    if isinstance(node, ast.JoinedStr):
        return any(_has_words(v) for v in node.values if isinstance(v, ast.Constant))
    return False


def _root(node: ast.AST) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name


def literal_offenders(paths: list[Path]) -> list[str]:
    """st.* calls (and widget methods on columns/containers) showing a literal instead of _("...")."""
    widget_names = {"title", "header", "subheader", "markdown", "write", "caption", "info", "warning", "success",
                    "error", "toast", "button", "download_button", "link_button", "form_submit_button",
                    "text_input", "text_area", "number_input", "date_input", "time_input", "selectbox",
                    "multiselect", "radio", "checkbox", "toggle", "slider", "select_slider", "file_uploader",
                    "camera_input", "color_picker", "metric", "expander", "popover", "tabs", "spinner", "status",
                    "dialog", "segmented_control", "pills", "TextColumn", "NumberColumn", "DateColumn",
                    "DatetimeColumn", "SelectboxColumn", "CheckboxColumn", "LinkColumn", "Column", "ImageColumn",
                    "ProgressColumn", "ListColumn", "feedback", "chat_input", "progress"}
    out = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            attr = node.func.attr
            if attr in NOT_LABEL or not (attr in widget_names or _root(node.func) == "st"):
                continue
            args = [] if attr in PATH_FIRST else list(node.args[:1])
            if attr == "tabs" and node.args and isinstance(node.args[0], (ast.List, ast.Tuple)):
                args = list(node.args[0].elts)
            args += [kw.value for kw in node.keywords if kw.arg in LABEL_KEYWORDS]
            for arg in args:
                if _has_words(arg):
                    text = arg.value if isinstance(arg, ast.Constant) else ast.unparse(arg)
                    out.append(f"{_rel(path)}:{node.lineno} st.{attr}({text!r})")
    return out


def ui_files() -> list[Path]:
    return sorted((ROOT / "app_pages").glob("*.py")) + sorted((ROOT / "ui").glob("*.py")) + [ROOT / "app.py"]


def test_the_scan_catches_literals(tmp_path):
    sample = tmp_path / "page.py"
    sample.write_text(
        "import streamlit as st\n"
        "from complaint.i18n import _\n"
        "st.title('Import your files')\n"               # offender
        "st.caption(f'{n} rows read')\n"                # offender: f-string with words
        "col.button(label='Save')\n"                    # offender: keyword label on a column
        "st.tabs(['Table', _('Gallery')])\n"            # offender: a tab label
        "st.header(_('Import your files'))\n"           # fine
        "st.markdown(f'**{_(\"Order\")}** {x}')\n"       # fine: no words outside _()
        "st.Page('app_pages/home.py', title=_('Overview'), icon=':material/home:')\n"  # fine
        "st.markdown('---')\n"                           # fine: no words
        "st.markdown(f':red-badge[{icon} {_(\"late\")}] **{x}**')\n"  # fine: badge markup only
        "st.markdown(f':green[{x}] paid')\n",             # offender (line 12)
        encoding="utf-8")
    offenders = literal_offenders([sample])
    assert [o.split(" ", 1)[0].rsplit(":", 1)[1] for o in offenders] == ["3", "4", "5", "6", "12"]


def test_no_user_facing_literal_outside_the_catalogue():
    assert literal_offenders(ui_files()) == []


# 7. the app itself in each language ---------------------------------------------------------------

PAGES = sorted(f"app_pages/{p.name}" for p in (ROOT / "app_pages").glob("*.py"))


def _app_in(lang: str, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    st.cache_resource.clear()
    monkeypatch.setenv("COMPLAINT_DEMO", "1")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["_lang"] = lang
    at.run()
    return at


def _problems(at) -> list[str]:
    return [str(e.value) for e in at.exception] + [str(e.value) for e in at.error]


# AppTest.switch_page runs a page without app.py (so without its language choice): run each page
# through a small host script that does what app.py does (language, case picker, st.navigation).
# The host sits next to links to app_pages/ and ui/, as page links are resolved from the entry point.
HOST = """
import sys
sys.path.insert(0, {root!r})
import streamlit as st
from ui import state
from ui.sidebar import case_picker
state.language()
case_picker()
pages = [st.Page(p, default=(p == {page!r})) for p in {pages!r}]
st.navigation(pages).run()
"""


@pytest.fixture
def page_in(tmp_path, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    for folder in ("app_pages", "ui"):
        (tmp_path / folder).symlink_to(ROOT / folder, target_is_directory=True)
    monkeypatch.setenv("COMPLAINT_DEMO", "1")
    monkeypatch.chdir(tmp_path)

    def run(lang: str, page: str):
        st.cache_data.clear()
        st.cache_resource.clear()
        host = tmp_path / f"host_{lang}_{Path(page).stem}.py"
        host.write_text(HOST.format(root=str(ROOT), page=page, pages=PAGES), encoding="utf-8")
        at = AppTest.from_file(str(host), default_timeout=120)
        at.session_state["_lang"] = lang
        at.run()
        return at

    return run


@pytest.mark.slow
def test_home_in_french_with_belgian_amounts(monkeypatch):
    at = _app_in("fr", monkeypatch)
    assert _problems(at) == []
    metrics = {m.label: m.value for m in at.metric}
    assert {"Total payé", "Remboursements attendus", "Remboursements crédités", "Crédits manquants"} <= set(metrics)
    assert re.fullmatch(r"[\d\u00a0\u202f ]+,\d\d\u00a0€", metrics["Total payé"]), metrics["Total payé"]


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_every_page_is_translated(page_in, page):
    english = page_in("en", page)
    assert _problems(english) == [] and english.title, page
    for lang in LANGS:
        at = page_in(lang, page)
        assert _problems(at) == [], (lang, page)
        assert at.title[0].value == i18n.gettext(english.title[0].value, lang), (lang, page)


@pytest.mark.slow
@pytest.mark.parametrize("lang,label,pattern", [
    ("nl", "Totaal betaald", r"€\u00a0[\d.]+,\d\d"),
    ("de", "Insgesamt bezahlt", r"[\d.]+,\d\d\u00a0€"),
])
def test_home_in_dutch_and_german(monkeypatch, lang, label, pattern):
    at = _app_in(lang, monkeypatch)
    assert _problems(at) == []
    metrics = {m.label: m.value for m in at.metric}
    assert re.fullmatch(pattern, metrics[label]), metrics


def test_parse_errors_reach_the_user_in_their_language():
    from complaint.importers.values import ValueParseError, parse_amount

    set_language("fr")
    with pytest.raises(ValueParseError, match="« douze » n'est pas un nombre"):
        parse_amount("douze")
    set_language("nl")
    with pytest.raises(ValueParseError, match="'twaalf' is geen getal"):
        parse_amount("twaalf")
    set_language("en")
    with pytest.raises(ValueParseError, match="'twelve' is not a number"):
        parse_amount("twelve")


def test_the_session_reconciliation_cache_follows_the_language(monkeypatch):
    """ui.state caches the reconciliation per session; its explanations are text, so a language switch
    must recompute it.  (AppTest cannot show this: with st.navigation its reruns skip the entry point.)"""
    import importlib

    import streamlit as st

    from ui import state

    engine = importlib.import_module("complaint.api")

    monkeypatch.setattr(st, "session_state", {})
    monkeypatch.setattr(state, "current_case_id", lambda: 1)
    monkeypatch.setattr(state, "as_of", lambda: date(2026, 11, 20))
    monkeypatch.setattr(state, "load_case", lambda: None)
    monkeypatch.setattr(engine, "reconcile", lambda case, as_of: _("Total paid"))
    set_language("en")
    assert state.reconciliation() == "Total paid"
    set_language("nl")
    assert state.reconciliation() == "Totaal betaald"
    assert state.reconciliation() is state.reconciliation()  # still cached within one language


USER_ERRORS = {"ComplaintError", "NotMyFormat", "AmbiguousFormat", "ParseError", "LimitExceeded", "CaseNotFound",
               "ValueParseError", "click.UsageError", "click.BadParameter", "click.ClickException"}


def core_offenders(paths: list[Path]) -> list[str]:
    """Errors raised for the user with a literal message, and row issues whose template is not marked N_()."""
    out = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args \
                    and ast.unparse(node.exc.func) in USER_ERRORS and _has_words(node.exc.args[0]):
                out.append(f"{_rel(path)}:{node.lineno} raise {ast.unparse(node.exc)[:80]}")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "issue" \
                    and len(node.args) >= 3 and _has_words(node.args[2]):
                out.append(f"{_rel(path)}:{node.lineno} issue(..., {ast.unparse(node.args[2])[:80]})")
    return out


def test_the_core_scan_catches_literals(tmp_path):
    sample = tmp_path / "core.py"
    sample.write_text(
        "raise ParseError(f'{name}: not a statement')\n"           # offender
        "raise ValueParseError('the date is empty')\n"              # offender
        "x = issue(src, 3, 'amount missing', field='amount')\n"     # offender: not marked N_()
        "raise ParseError(_('{file}: not a statement', file=n))\n"  # fine
        "x = issue(src, 3, N_('the amount is empty'))\n"            # fine
        "raise AttributeError(f'no attribute {name!r}')\n",         # fine: a programming error
        encoding="utf-8")
    assert [o.split(" ", 1)[0].rsplit(":", 1)[1] for o in core_offenders([sample])] == ["1", "2", "3"]


def test_core_errors_for_the_user_go_through_the_catalogue():
    assert core_offenders(sorted((ROOT / "complaint").rglob("*.py"))) == []
