"""The Streamlit app through AppTest: every page renders on the sample case, and hosted
sessions are isolated from each other."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PAGES = sorted(f"app_pages/{p.name}" for p in (ROOT / "app_pages").glob("*.py"))  # every page, the Analyst's too


@pytest.fixture(autouse=True)
def _clear_streamlit_caches():
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


def _problems(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.exception] + [str(e.value) for e in at.error]


@pytest.fixture
def sample_app(monkeypatch) -> AppTest:
    monkeypatch.setenv("COMPLAINT_DEMO", "1")
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert _problems(at) == []
    return at


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_the_sample_case(sample_app, page):
    sample_app.switch_page(page).run()
    assert _problems(sample_app) == [], page
    assert sample_app.title, f"{page} has no title"


@pytest.mark.slow
def test_home_shows_the_sample_figures(sample_app):
    labels = {m.label: m.value for m in sample_app.metric}
    assert {"Total paid", "Refunds expected", "Refunds credited", "Missing credits"} <= set(labels)
    assert labels["Missing credits"].startswith(("2 ", "3 "))


def test_empty_store_offers_the_sample_case():
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert _problems(at) == []
    assert any(b.label == "Open the sample case" for b in at.sidebar.button)


def test_two_hosted_sessions_never_see_each_other(monkeypatch):
    monkeypatch.setenv("COMPLAINT_HOSTED", "1")
    alice = AppTest.from_file(APP, default_timeout=60)
    bob = AppTest.from_file(APP, default_timeout=60)
    alice.run()
    bob.run()
    alice.switch_page("app_pages/cases.py").run()
    alice.text_input(key="new_case_name").set_value("Alice private dispute")
    [submit] = [b for b in alice.button if b.label == "Create case"]
    submit.click().run()
    assert _problems(alice) == []
    assert alice.session_state["_store"].list_cases()[0].name == "Alice private dispute"
    bob.switch_page("app_pages/cases.py").run()
    assert bob.session_state["_store"].list_cases() == []
    assert alice.session_state["_store"] is not bob.session_state["_store"]
    assert alice.session_state["_store"].path == ":memory:"


@pytest.mark.parametrize("page", ["app_pages/import.py", "app_pages/reconcile.py", "app_pages/evidence.py", "app_pages/timeline.py"])
def test_pages_without_a_case_say_what_to_do(page):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(page).run()
    assert _problems(at) == []
    assert any("Create or open a case" in i.value for i in at.info)


def test_the_smoke_test_covers_every_page_of_the_router():
    routed = set(re.findall(r'st\.Page\("(app_pages/[a-z_]+\.py)"', (ROOT / "app.py").read_text(encoding="utf-8")))
    assert routed == set(PAGES) and "app_pages/analyst.py" in PAGES


@pytest.mark.slow
def test_the_buyer_details_are_kept_in_the_case_and_sign_the_letters(sample_app):
    sample_app.switch_page("app_pages/cases.py").run()
    sample_app.text_input(key="profile_email").set_value("lotte@example.be")
    sample_app.selectbox(key="profile_language").set_value("fr")
    next(b for b in sample_app.button if b.label == "Save my details").click().run()
    assert _problems(sample_app) == []
    store = sample_app.session_state["_store"]
    import complaint

    case = complaint.open_case("Sample case", db=store, create=False)
    assert complaint.profile(case).email == "lotte@example.be" and complaint.profile(case).language == "fr"
    sample_app.switch_page("app_pages/dossier.py").run()
    assert _problems(sample_app) == []
    assert sample_app.selectbox(key="dossier_letter_lang").value == "fr"
    assert sample_app.text_input(key="dossier_profile_name").value == "Lotte Janssens"
    assert "Lotte Janssens" in sample_app.code[0].value  # the letter on the page is signed with the profile


@pytest.mark.slow
@pytest.mark.parametrize(("page", "views"), [("app_pages/home.py", 0), ("app_pages/dossier.py", 1)])
def test_a_page_builds_the_case_view_once(sample_app, monkeypatch, page, views):
    """The Dossier (picker, guide, letter, deadlines) reads one case view a run; the Overview of an
    unchanged case reads its stored snapshot and builds none."""
    from complaint.dossier import view as view_module
    from ui import state

    state._warmer.wait()  # the sample case's home snapshot, warmed in the background, is not this page's
    built = []
    real = view_module.build_case_view

    def counting(*args, **kwargs):
        built.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(view_module, "build_case_view", counting)
    sample_app.session_state["_view_cache"] = None  # a new run of the page, nothing cached yet
    sample_app.session_state["_home_cache"] = None
    sample_app.session_state["_deadlines_cache"] = None
    sample_app.switch_page(page).run()
    assert _problems(sample_app) == []
    assert len(built) == views, page
