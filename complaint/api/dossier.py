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


def citation(rule_id: str, section: str | None = None):
    """The public source of a rule or contact: ``.title`` in the current language, ``.text()`` one
    line (source, URL, month checked; "to be confirmed on <site>" for a fact no public source
    confirms).

    >>> import complaint
    >>> complaint.citation("alibaba_phone").text()[:60]
    'Not confirmed by a public source (checked December 2026). To'

    ``section``: "rules" or "contacts", for an id both hold (``consumerconnect``).
    """
    from ..dossier import rules

    return rules.citation(rule_id, section)


def rules_and_contacts() -> list:
    """Every rule and contact the dossier relies on, as (``"rules"`` or ``"contacts"``, citation),
    each with its public source and the month it was checked.

    >>> import complaint
    >>> all(c.source_url for _s, c in complaint.rules_and_contacts())
    True
    """
    from ..dossier import rules

    return rules.all_citations()


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
    extra = {"name": buyer.name, "address": buyer.address, "email": buyer.email}
    extra.update({k: v for k, v in (details or {}).items() if v is not None})  # "" clears a profile field
    return render_letter(kind, data, order_id, rec, lang or buyer.language or "en", day, extra=extra, view=view)


def letter_placeholders(case: CaseLike, kind: str, details: dict | None = None) -> list[str]:
    """The buyer's details a letter of ``kind`` needs that the profile (or ``details``) leaves
    empty: ``"name"``, ``"address"``; the letter shows a placeholder for each.

    >>> import complaint
    >>> complaint.letter_placeholders(complaint.open_case("Mine"), "formal_notice")
    ['name', 'address']
    >>> complaint.letter_placeholders(complaint.open_sample(), "formal_notice")
    []
    """
    from ..dossier.letters import missing_fields
    from .edits import profile

    buyer = profile(case)
    extra = {"name": buyer.name, "address": buyer.address}
    extra.update({k: v for k, v in (details or {}).items() if v is not None})
    return missing_fields(kind, extra)


def public_post_warnings(case: CaseLike, text: str) -> list[str]:
    """What a public post (Facebook, X) should not hold, in the current language: an IBAN, card
    digits, an e-mail address, a phone number, a postal address or the buyer's name.  The
    case's order numbers are not card numbers.

    >>> import complaint
    >>> case = complaint.open_sample()
    >>> complaint.public_post_warnings(case, "@AliExpress Order 8116516504403817: refund missing")
    []
    >>> complaint.public_post_warnings(case, "Refund to BE62 7350 4821 6361 please, lotte@example.be")
    ['an IBAN (bank account number)', 'an e-mail address']
    """
    from ..dossier.letters import public_post_warnings as warnings
    from .edits import profile

    data = case_data(case)
    return warnings(text, known_ids=[o.order_id for o in data.orders], profile=profile(case))


def order_label(order) -> str:
    """One line for an order picker, in the current language: number, store, first item, problem,
    state and the amount outstanding (``order`` is an ``OrderView``: ``case_view(case).order(id)``).

    >>> import complaint
    >>> complaint.order_label(complaint.case_view(complaint.open_sample()).order("8116516504403817"))
    '8116516504403817 · DELI Tools Official Store · Deli Quick Grip Bar Clamp 300mm One… · fewer units than ordered · refund overdue · 14,90 € outstanding'
    """
    from ..dossier.view import STATE_LABELS
    from ..fmt import money
    from ..i18n import _
    from ..records import PROBLEM_LABELS

    title = order.title or ""
    if len(title) > 40:
        title = title[:40].rsplit(" ", 1)[0] + "…"
    parts = [order.order_id, order.store or "", title,
             _(PROBLEM_LABELS[order.problem]) if order.problem else "", _(STATE_LABELS[order.state])]
    if order.missing:
        parts.append(_("{amount} outstanding", amount=money(order.outstanding.amount, order.outstanding.currency)))
    return " · ".join(p for p in parts if p)


def dossier_file_name(order_id: str | None, lang: str, variant: str = "full", ext: str = "pdf") -> str:
    """The name of a downloaded dossier: what it is, for which order, in which language.

    >>> import complaint
    >>> complaint.dossier_file_name("8116516504403817", "fr")
    'dossier_8116516504403817_fr.pdf'
    >>> complaint.dossier_file_name(None, "nl", "ecc", "zip")
    'dossier_ecc_all_nl.zip'
    """
    from ..dossier.build import dossier_file_name as name

    return name(order_id, lang, variant, ext)


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


def _given_evidence(paths, order_id: str | None, notes: list[str]) -> list[tuple]:
    """(Evidence, bytes) of the pictures given for a dossier, linked to its order; an unreadable
    file becomes a note."""
    from dataclasses import replace

    from ..i18n import _
    from .evidence import read_evidence

    paths = [p for p in paths or ()]
    if not paths:
        return []
    out = []
    for f in read_evidence(*paths, duplicates=False):
        ev = f.evidence
        if ev.error or not ev.sha256:
            notes.append(_("{file}: not included ({error})", file=f.path, error=ev.error or _("not a picture")))
            continue
        out.append((replace(ev, order_id=order_id or ev.order_id), f.data()))
    return out


def build_dossier(case: CaseLike, order_id: str | None = None, lang: str = "en", as_of: date | None = None, *,
                  variant: str = "full", letters=None, reconciliation=None, strip_gps: bool = True,
                  chart: str = "auto", view=None, evidence=()):
    """The dossier's bytes (``.pdf``, ``.zip`` with a SHA-256 manifest, ``.notes``) for one order or
    every order with a problem.  ``variant="ecc"``: at most 8 files for the European Consumer
    Centre's form.  Photo copies lose their GPS position unless ``strip_gps=False``; the originals
    come from the store for a stored case.  ``evidence``: pictures, folders or ZIPs to add to this
    dossier (linked to ``order_id``): every readable picture goes into the PDF and, GPS-free and
    hashed, into the ZIP; an unreadable file is listed in ``.notes``.

    >>> import complaint
    >>> bundle = complaint.build_dossier(complaint.open_sample(), "8116516504403817", chart="none")
    >>> (bundle.pdf[:5], bundle.zip[:2])
    (b'%PDF-', b'PK')
    """
    from dataclasses import replace

    from ..dossier.build import build_dossier as build

    data, rec, day = _inputs(case, reconciliation, as_of)
    notes: list[str] = []
    given = _given_evidence(evidence, order_id, notes)
    result = build(data, order_id=order_id, lang=lang, as_of=day, evidence_loader=_loader(case), letters=letters,
                   variant=variant, reconciliation=rec, strip_gps=strip_gps, chart=chart, view=view,
                   extra_evidence=given)
    return replace(result, notes=tuple(notes) + result.notes) if notes else result


def export_dossier(case: CaseLike, out_dir: str | os.PathLike, order_id: str | None = None, lang: str = "en",
                   as_of: date | None = None, variant: str = "full", chart: str = "auto", *, reconciliation=None,
                   view=None, evidence=(), notes: list | None = None):
    """Write ``out_dir/dossier.pdf`` and ``out_dir/dossier.zip``; returns their paths (``.pdf``, ``.zip``).
    ``evidence``: pictures to add, as in :func:`build_dossier`; ``notes``, when given, receives
    what could not be included.

    >>> import complaint, tempfile
    >>> paths = complaint.export_dossier(complaint.open_sample(), tempfile.mkdtemp(), "8116516504403817", chart="none")
    >>> (paths.pdf.name, paths.zip.name)
    ('dossier.pdf', 'dossier.zip')
    """
    from pathlib import Path

    from ..dossier.build import DossierPaths

    data = build_dossier(case, order_id, lang, as_of, variant=variant, reconciliation=reconciliation,
                         chart=chart, view=view, evidence=evidence)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    pdf_path, zip_path = out / "dossier.pdf", out / "dossier.zip"
    pdf_path.write_bytes(data.pdf)
    zip_path.write_bytes(data.zip)
    if notes is not None:
        notes.extend(data.notes)
    return DossierPaths(pdf=pdf_path, zip=zip_path)


def verify_dossier(zip_bytes: bytes) -> list[str]:
    """Check a dossier ZIP against its manifest: the problems found (none: every file is as written).

    >>> import complaint
    >>> complaint.verify_dossier(complaint.build_dossier(complaint.open_sample(), chart="none").zip)
    []
    """
    from ..dossier.bundle import verify_manifest

    return verify_manifest(zip_bytes)
