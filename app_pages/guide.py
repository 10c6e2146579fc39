"""Guided help: six steps from "what went wrong?" to "what to do now", each skippable and revisitable.

State lives in session keys prefixed ``guide_``: ``guide_step`` (the step on screen, also the
step indicator's value), ``guide_skipped`` (steps passed over), ``guide_order`` and
``guide_problem`` (what step 1 saved).
"""

import streamlit as st

from complaint.i18n import N_, _
from ui import guide_results, guide_steps, state
from ui.widgets import dossier_link

STEPS = [("problem", N_("What went wrong?")), ("orders", N_("Your order")),
         ("bank", N_("Your bank or PayPal statement")), ("photos", N_("Photos and screenshots")),
         ("found", N_("What we found")), ("next", N_("What to do now"))]
KEY, SKIPPED, GOTO = "guide_step", "guide_skipped", "guide_goto"


def go(index: int, skip: int | None = None) -> None:
    if skip is not None:
        st.session_state.setdefault(SKIPPED, set()).add(STEPS[skip][0])
    st.session_state[GOTO] = max(0, min(len(STEPS) - 1, index))  # applied before the indicator is drawn


def done(name: str, case) -> bool:
    order_id = guide_steps.chosen_order()
    return {"problem": bool(order_id and guide_steps.chosen_problem()),
            "orders": bool(case.orders), "bank": bool(case.transactions),
            "photos": any(e.order_id == order_id for e in case.evidence) if order_id else bool(case.evidence),
            }.get(name, False)


def step_label(i: int, case) -> str:
    name, title = STEPS[i]
    mark = " ✓" if done(name, case) else (" (" + _("skipped") + ")"
                                           if name in st.session_state.get(SKIPPED, set()) else "")
    return f"{i + 1}. {_(title)}{mark}"


st.title(_("Guided help"))
st.caption(_("Six short steps. Skip any step and come back to it later; everything you add is kept in your case."))
case = state.load_case()
st.session_state.setdefault(KEY, 0)
if GOTO in st.session_state:
    st.session_state[KEY] = st.session_state.pop(GOTO)
labels = [step_label(i, case) for i in range(len(STEPS))]
step = st.radio(_("Step"), range(len(STEPS)), format_func=labels.__getitem__, horizontal=True, key=KEY)
name, title = STEPS[step]
st.progress((step + 1) / len(STEPS), text=_("Step {i} of {n}", i=step + 1, n=len(STEPS)))
st.header(f"{step + 1}. {_(title)}")

if name == "problem":
    if guide_steps.render_problem(case):
        go(step + 1)
        st.rerun()
elif name == "orders":
    guide_steps.render_orders(case)
elif name == "bank":
    guide_steps.render_bank(case)
elif name == "photos":
    guide_steps.render_photos(case)
elif name == "found":
    guide_results.render_found(state.load_case(), guide_steps.chosen_order())
else:
    guide_results.render_next(state.load_case(), guide_steps.chosen_order(), state.as_of())

st.divider()
back, skip, nxt = st.columns(3)
back.button(_("Back"), key="guide_back", on_click=go, args=(step - 1,), disabled=step == 0,
            icon=":material/arrow_back:", width="stretch")
if step < len(STEPS) - 1:
    skip.button(_("Skip this step"), key="guide_skip", on_click=go, args=(step + 1, step),
                icon=":material/skip_next:", width="stretch")
    # primary only where the step has no primary action of its own (Save, Add these files...)
    nxt.button(_("Next"), key="guide_next", on_click=go, args=(step + 1,),
               type="primary" if name == "found" else "secondary",
               icon=":material/arrow_forward:", width="stretch")
else:
    dossier_link(guide_steps.chosen_order(), _("Open the Dossier"), nxt)
