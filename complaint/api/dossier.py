"""The dossier of an order: the escalation guide (what to do now, with sources), the deadlines
(and an .ics of them), the letters in French, Dutch, English or German, the contacts, and the
PDF + ZIP to send.  Letters sign with the buyer's profile unless told otherwise."""

from __future__ import annotations

import os
from datetime import date

from ..calendar_be import today_brussels
from ..dossier import guide as guide_module
from ..dossier import letters as letter_module
from ..errors import ComplaintError
from .cases import CaseHandle, CaseLike, case_data

# the statuses of a guide's steps, and what letters exist in
STEP_DONE, STEP_TODO, STEP_NOT_APPLICABLE = guide_module.DONE, guide_module.TODO, guide_module.NOT_APPLICABLE
LETTER_LANGUAGES, LETTER_OUTCOMES = letter_module.LETTER_LANGUAGES, letter_module.OUTCOMES


def _inputs(case: CaseLike, reconciliation, as_of: date | None):
    from .views import reconcile

    data = case_data(case)
    day = as_of or data.as_of or today_brussels()
    return data, (reconciliation if reconciliation is not None else reconcile(data, day)), day


def case_view(case: CaseLike, reconciliation=None, as_of: date | None = None):
    """The one view of the case that the guide, deadlines, letters, Overview and PDF read: per
    order the payment, refund promises, credits received, what is missing (promised minus
    credited, since when, business days waited), the dispute, seller replies, delivery and
    evidence, and its facts in date order (a ``CaseView``; ``.order(id)`` is an ``OrderView``).
    Built once per (case, as of, language): pass it as ``view=`` to the functions below.

    >>> import complaint
    >>> o = complaint.case_view(complaint.open_sample()).order("8116516504403817")
    >>> (o.state, str(o.outstanding.amount), o.days_waited)
    ('overdue', '14.90', 109)
    """
    from ..dossier.view import build_case_view

    data, rec, day = _inputs(case, reconciliation, as_of)
    return build_case_view(data, rec, day)


def guide(case: CaseLike, order_id: str, reconciliation=None, as_of: date | None = None, *, view=None):
    """The escalation steps for one order (seller, dispute, help centre, chargeback or PayPal,
    formal notice, ConsumerConnect, ECC, mediation), each done / to do / not applicable with
    why, what to attach, the next date and its public source.

    >>> import complaint
    >>> g = complaint.guide(complaint.open_sample(), "8116516504403817")
    >>> (g.problem, g.steps[0].key)
    ('short_quantity', 'seller')
    """
    from ..dossier.guide import guide_for_order

    data, rec, day = _inputs(case, reconciliation, as_of)
    return guide_for_order(data, order_id, rec, day, view=view)


def evidence_checklist(problem: str | None) -> tuple[str, ...]:
    """What evidence helps for a problem type (AliExpress's own list), in the current language.

    >>> import complaint
    >>> complaint.evidence_checklist("damaged")[0]
    'clear photos of the damage, close up and of the whole item'
    """
    from ..dossier.guide import evidence_checklist as checklist
    from ..records import Problem

    return checklist(Problem(problem) if problem else None)


def order_choices(case: CaseLike, reconciliation=None, *, view=None) -> list[str]:
    """Every order id, the orders with an open problem first, overdue first among them (to pick the
    order of a dossier).

    >>> import complaint
    >>> complaint.order_choices(complaint.open_sample())[0]   # the overdue refund of 14,90 €
    '8116516504403817'
    """
    from ..dossier.view import order_choices as choices

    if view is not None:
        return choices(None, None, view=view)
    data, rec, _day = _inputs(case, reconciliation, None)
    return choices(data, rec)


def deadlines(case: CaseLike, reconciliation=None, as_of: date | None = None, order_ids=None, *,
              view=None) -> list:
    """Every deadline of the case's problem orders (or of ``order_ids``), by date: ``Deadline``
    records with order_id, date, kind, label and the rule that sets it.

    >>> import complaint
    >>> dls = complaint.deadlines(complaint.open_sample(), order_ids=["8116516504403817"])
    >>> all(d.order_id == "8116516504403817" for d in dls) and len(dls) > 0
    True
    """
    from ..dossier.deadlines import deadlines as compute

    data, rec, day = _inputs(case, reconciliation, as_of)
    return compute(data, rec, day, order_ids=list(order_ids) if order_ids is not None else None, view=view)


def deadlines_ics(items: list) -> str:
    """Deadlines as an iCalendar file (a reminder the day before each).

    >>> import complaint
    >>> complaint.deadlines_ics(complaint.deadlines(complaint.open_sample()))[:15]
    'BEGIN:VCALENDAR'
    """
    from ..dossier.deadlines import deadlines_ics as ics

    return ics(items)


def call_window(day: date):
    """The Brussels hours in which AliExpress's phone line (09:00-18:00 Beijing time) is open on ``day``.

    >>> import complaint
    >>> from datetime import date
    >>> [t.strftime("%H:%M") for t in complaint.call_window(date(2026, 11, 20))]
    ['02:00', '11:00']
    """
    from ..dossier.deadlines import call_window as window

    return window(day)


def contacts() -> dict:
    """Who to contact (AliExpress's phone and office, the platform entity, ConsumerConnect, the ECC,
    the mediation service), each with its public source.

    >>> import complaint
    >>> sorted(complaint.contacts())[:2]
    ['alibaba_phone', 'consumerconnect']
    """
    from ..dossier import rules

    return rules.contacts()


def citation(rule_id: str):
    """The public source of a rule or contact: ``.text()`` is one line (title, URL, date checked).

    >>> import complaint
    >>> "checked" in complaint.citation("alibaba_phone").text()
    True
    """
    from ..dossier import rules

    return rules.citation(rule_id)


def letter_kinds() -> dict[str, str]:
    """The letters: kind -> title in the current language.

    >>> import complaint
    >>> complaint.letter_kinds()["formal_notice"]
    'Formal notice (registered letter)'
    """
    from ..dossier.letters import KINDS
    from ..i18n import _

    return {k: _(v) for k, v in KINDS.items()}



def write_letter(case: CaseLike, order_id: str, kind: str, lang: str | None = None, *, reconciliation=None,
                 as_of: date | None = None, details: dict | None = None, view=None):
    """One letter for one order (a ``Letter``: ``.subject``, ``.body``, ``.text``, ``.file_name``).

    ``lang`` defaults to the buyer's preferred language, else English.  ``details`` may give
    name, address, iban, card, details, outcome (full_refund, partial_refund, replacement),
    partial_amount and deadline_days; name and address default to the buyer's profile (an empty
    string leaves them out).

    >>> import complaint
    >>> case = complaint.open_sample()
    >>> letter = complaint.write_letter(case, "8116516504403817", "formal_notice", "fr")
    >>> "Lotte Janssens" in letter.text and "8116516504403817" in letter.text
    True
    """
    from ..dossier.letters import render_letter
    from .edits import profile

    data, rec, day = _inputs(case, reconciliation, as_of)
    buyer = profile(data)
    extra = {"name": buyer.name, "address": buyer.address}
    extra.update({k: v for k, v in (details or {}).items() if v is not None})  # "" clears a profile field
    return render_letter(kind, data, order_id, rec, lang or buyer.language or "en", day, extra=extra, view=view)


def letter_from_text(kind: str, lang: str, order_id: str, text: str):
    """A letter the user edited (first line the subject), to put in the dossier instead.

    >>> import complaint
    >>> complaint.letter_from_text("follow_up", "en", "8116516504403817", "Subject\\n\\nBody").subject
    'Subject'
    """
    from ..dossier.letters import letter_from_text as from_text

    return from_text(kind, lang, order_id, text)


def _loader(case: CaseLike):
    if not isinstance(case, CaseHandle):
        return None
    store, case_id = case.store, case.id

    def load(ev):
        try:
            return store.evidence_bytes(case_id, ev.sha256)
        except ComplaintError:
            return None

    return load


def build_dossier(case: CaseLike, order_id: str | None = None, lang: str = "en", as_of: date | None = None, *,
                  variant: str = "full", letters=None, reconciliation=None, strip_gps: bool = True,
                  chart: str = "auto", view=None):
    """The dossier's bytes (``.pdf``, ``.zip`` with a SHA-256 manifest, ``.notes``) for one order or
    every order with a problem.  ``variant="ecc"``: at most 8 files for the European Consumer
    Centre's form.  Photo copies lose their GPS position unless ``strip_gps=False``; the originals
    come from the store for a stored case.

    >>> import complaint
    >>> bundle = complaint.build_dossier(complaint.open_sample(), "8116516504403817", chart="none")
    >>> (bundle.pdf[:5], bundle.zip[:2])
    (b'%PDF-', b'PK')
    """
    from ..dossier.build import build_dossier as build

    data, rec, day = _inputs(case, reconciliation, as_of)
    return build(data, order_id=order_id, lang=lang, as_of=day, evidence_loader=_loader(case), letters=letters,
                 variant=variant, reconciliation=rec, strip_gps=strip_gps, chart=chart, view=view)


def export_dossier(case: CaseLike, out_dir: str | os.PathLike, order_id: str | None = None, lang: str = "en",
                   as_of: date | None = None, variant: str = "full", chart: str = "auto", *, reconciliation=None,
                   view=None):
    """Write ``out_dir/dossier.pdf`` and ``out_dir/dossier.zip``; returns their paths (``.pdf``, ``.zip``).

    >>> import complaint, tempfile
    >>> paths = complaint.export_dossier(complaint.open_sample(), tempfile.mkdtemp(), "8116516504403817", chart="none")
    >>> (paths.pdf.name, paths.zip.name)
    ('dossier.pdf', 'dossier.zip')
    """
    from ..dossier.build import export_dossier as export

    data, rec, day = _inputs(case, reconciliation, as_of)
    return export(data, out_dir, order_id=order_id, lang=lang, as_of=day, evidence_loader=_loader(case),
                  variant=variant, reconciliation=rec, chart=chart, view=view)


def verify_dossier(zip_bytes: bytes) -> list[str]:
    """Check a dossier ZIP against its manifest: the problems found (none: every file is as written).

    >>> import complaint
    >>> complaint.verify_dossier(complaint.build_dossier(complaint.open_sample(), chart="none").zip)
    []
    """
    from ..dossier.bundle import verify_manifest

    return verify_manifest(zip_bytes)
