"""The Dossier page and the links that open it (AppTest, through the app's router, sample case).

Every "what to do next" card about an order links to the Dossier with ``?order=``; the page opens
the order of the address, keeps it in the address when another is picked, lists orders with their
store, item, problem, state and amount outstanding (open problems first, overdue first); it asks
the buyer's details once and says which fields the letters show as placeholders; a letter is on
the page once, with a copy button; the public post has its warning; contacts and rules cite public
sources and show no development notes."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from test_app import APP, _problems
from test_i18n import page_in  # noqa: F401 - the fixture that runs a page in a language

pytestmark = pytest.mark.slow
OVERDUE, PENDING = "8116516504403817", "3065169024372184"
DOSSIER = "app_pages/dossier.py"


@pytest.fixture(autouse=True)
def _clear_streamlit_caches():
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def app(monkeypatch) -> AppTest:
    monkeypatch.setenv("COMPLAINT_DEMO", "1")
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert _problems(at) == []
    return at


def _open(at: AppTest, order_id: str | None = None) -> AppTest:
    if order_id:
        at.query_params["order"] = order_id
    at.switch_page(DOSSIER).run()
    assert _problems(at) == [], _problems(at)
    return at


def test_every_order_card_of_the_overview_opens_the_dossier_on_its_order(app):
    links = {(link.proto.page, link.proto.query_string) for link in app.get("page_link")}
    assert ("dossier", f"order={OVERDUE}") in links and ("dossier", f"order={PENDING}") in links
    overdue_card = next(t.value for t in app.text if OVERDUE in t.value)
    assert "14,90 €" in overdue_card and "overdue" in overdue_card


def test_the_address_chooses_the_order_and_keeps_the_choice(app):
    at = _open(app, PENDING)
    assert at.selectbox(key="dossier_order").value == PENDING
    assert [m.value for m in at.metric][3] == "59,90 €"  # outstanding
    at.selectbox(key="dossier_order").set_value(OVERDUE).run()
    assert at.query_params["order"] == [OVERDUE] or at.query_params["order"] == OVERDUE
    assert [m.value for m in at.metric][3] == "14,90 €" and [m.value for m in at.metric][4] == "109"


def test_an_unknown_order_in_the_address_is_said(app):
    at = _open(app, "1234567890123456")
    assert any("1234567890123456" in w.value for w in at.warning)
    assert at.selectbox(key="dossier_order").value == OVERDUE


def test_the_picker_shows_store_item_problem_state_and_outstanding(app):
    at = _open(app)
    box = at.selectbox(key="dossier_order")
    assert box.options[:2] == [
        "8116516504403817 · DELI Tools Official Store · Deli Quick Grip Bar Clamp 300mm One… · "
        "fewer units than ordered · refund overdue · 14,90 € outstanding",
        "3065169024372184 · Xiaomi Youpin Global Store · Smart Air Fryer 4.5L Touch Screen Oven… · "
        "never delivered · refund on its way · 59,90 € outstanding"]
    states = [o.split(" · ")[-1] for o in box.options]
    assert "nothing open" in states[-1]


def test_one_letter_on_the_page_with_a_copy_button_and_editable_on_demand(app):
    at = _open(app, OVERDUE)
    at.selectbox(key="dossier_letter_kind").set_value("formal_notice").run()
    at.selectbox(key="dossier_letter_lang").set_value("fr").run()
    assert len(at.code) == 1 and not [a for a in at.text_area if a.key and a.key.startswith("dossier_text_")]
    letter = at.code[0].value
    assert "la somme de 14,90 €" in letter and "Lotte Janssens" in letter and "[votre" not in letter
    at.toggle(key="dossier_edit").set_value(True).run()
    area = next(a for a in at.text_area if a.key and a.key.startswith("dossier_text_"))
    area.set_value(area.value.replace("Madame, Monsieur,", "Madame,")).run()
    at.toggle(key="dossier_edit").set_value(False).run()
    assert len(at.code) == 1 and "Madame,\n" in at.code[0].value  # the edited text is what is shown and exported


def test_the_public_post_has_its_warning_and_an_edited_post_is_checked(app):
    at = _open(app, OVERDUE)
    at.selectbox(key="dossier_letter_kind").set_value("public_post").run()
    assert any("never add bank details" in w.value.lower() or "Never add bank details" in w.value for w in at.warning)
    post = at.code[0].value
    assert post.startswith("@AliExpress") and "Lotte" not in post and "BE62" not in post
    at.toggle(key="dossier_edit").set_value(True).run()
    area = next(a for a in at.text_area if a.key and a.key.startswith("dossier_text_"))
    area.set_value(post + " Pay me on BE62 7350 4821 6361, lotte@example.be").run()
    [error] = [e.value for e in at.error]
    assert "IBAN" in error and "e-mail" in error


def test_the_buyer_details_are_asked_once_and_placeholders_are_named(app):
    import complaint

    at = _open(app, OVERDUE)
    store = at.session_state["_store"]
    case = complaint.open_case("Sample case", db=store, create=False)
    complaint.set_profile(case, address="")  # the user has not given a postal address
    at.session_state["_case_cache"] = None  # what state.invalidate() does after a write
    at.session_state["_view_cache"] = None
    at.switch_page(DOSSIER).run()
    at.selectbox(key="dossier_letter_kind").set_value("formal_notice").run()
    assert any("your postal address" in w.value for w in at.warning)
    assert "[your address]" in at.code[0].value and "Lotte Janssens" in at.code[0].value
    at.text_area(key="dossier_profile_address").set_value("Diestsesteenweg 112\n3010 Kessel-Lo")
    next(b for b in at.button if b.label == "Save my details").click().run()
    assert _problems(at) == []
    assert complaint.profile(case).address == "Diestsesteenweg 112\n3010 Kessel-Lo"
    assert not any("placeholder" in w.value for w in at.warning)
    assert "Diestsesteenweg 112, 3010 Kessel-Lo" in at.code[0].value


def test_contacts_and_rules_cite_public_sources_without_development_notes(app):
    at = _open(app, OVERDUE)
    shown = "\n".join([c.value for c in at.caption] + [t.value for t in at.text] + [m.value for m in at.markdown])
    assert "To be confirmed on alibabagroup.com (https://www.alibabagroup.com/)." in shown
    assert "+86 571 8502 2088" in shown and "969 West Wen Yi Road" in shown
    for note in ("brief", "research", "Unverified", "/work/", "not found in the"):
        assert note not in shown, note
    rules = [c.value for c in at.caption if "checked November 2026" in c.value]
    assert len(rules) >= 15 and all("(http" in r or "To be confirmed on" in r for r in rules)


def test_the_dossier_in_french_names_the_rules_in_french(page_in):  # noqa: F811 - the imported fixture
    at = page_in("fr", DOSSIER)  # through a host that sets the language as app.py does
    assert _problems(at) == []
    shown = "\n".join(c.value for c in at.caption)
    assert "À confirmer sur alibabagroup.com (https://www.alibabagroup.com/)." in shown
    assert "vérifié en novembre 2026" in shown and "checked" not in shown
    assert at.selectbox(key="dossier_order").options[0].endswith("remboursement en retard · 14,90 € en souffrance")
