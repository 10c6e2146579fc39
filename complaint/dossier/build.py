"""The dispute dossier: one PDF and one ZIP bundle with everything a third party needs.

``build_dossier`` returns bytes (the Streamlit page downloads them, nothing touches the disk in
hosted mode); ``export_dossier`` writes ``dossier.pdf`` and ``dossier.zip`` into a folder (CLI).

The full ZIP holds the PDF, privacy-safe copies of the evidence (GPS removed by default), CSV
extracts (chronology, reconciliation, transactions; formula-injection safe), the letters as .txt,
deadlines.ics, manifest.json and MANIFEST.sha256.  The "ecc" variant is what ECC Belgium's form
accepts (at most 8 files): a summary PDF, one chronological correspondence PDF, an evidence PDF,
plus the two manifest files.  Guides, letters, deadlines and the PDF's sections all read one
case view (complaint.dossier.view), built once per dossier in its language.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path

from ..calendar_be import BRUSSELS
from ..csvsafe import write_csv
from ..errors import ComplaintError
from ..i18n import _, get_language, set_language
from ..records import PaymentMethod
from . import pdf as sections
from . import rules
from .bundle import Bundle, sha256, verify_manifest, write_zip
from .deadlines import deadlines as compute_deadlines
from .deadlines import deadlines_ics
from .letters import Letter, render_letter
from .view import CaseView, ensure_view

__all__ = ["DossierPaths", "DossierBundle", "build_dossier", "export_dossier", "verify_manifest",
           "default_letters", "dossier_file_name", "signature", "ECC_MAX_FILES"]
ECC_MAX_FILES = 8


@dataclass(frozen=True, slots=True)
class DossierPaths:
    pdf: Path
    zip: Path


@dataclass(frozen=True)
class DossierBundle:
    pdf: bytes
    zip: bytes
    files: tuple[str, ...]
    notes: tuple[str, ...] = ()


@dataclass
class _Context:
    case: object
    reconciliation: object
    view: CaseView
    as_of: date
    lang: str
    order_ids: list[str]
    events: list
    guides: dict
    letters: list[Letter]
    evidence: list
    title: str
    disclaimer: str
    thumbnails: dict = field(default_factory=dict)
    thumb_heights: dict = field(default_factory=dict)
    chart_png: bytes | None = None
    chart_note: str | None = None
    notes: list[str] = field(default_factory=list)

    def citation(self, rule_id: str) -> str:
        return rules.citation(rule_id).text()


def default_loader(evidence) -> bytes | None:
    """Original bytes for file-based runs: ``provenance.source_name`` is the path read at import."""
    prov = evidence.provenance
    if prov is None or not prov.source_name:
        return None
    path = Path(prov.source_name)
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError:
        return None


def signature(case) -> dict:
    """The buyer's details a letter is signed with (the case's profile; empty when none)."""
    profile = getattr(case, "profile", None)
    return {"name": getattr(profile, "name", None), "address": getattr(profile, "address", None),
            "email": getattr(profile, "email", None)}


def default_letters(case, order_ids, reconciliation, lang: str, as_of: date, guides: dict | None = None,
                    view: CaseView | None = None) -> list[Letter]:
    """Per order: the formal notice and the consumer complaint, plus the chargeback request for
    credit cards, signed with the buyer's profile.  (``guides`` is no longer read: the payment
    method comes from the case view.)"""
    view = ensure_view(view, case, reconciliation, as_of)
    extra = signature(case)
    out = []
    for oid in order_ids:
        kinds = ["formal_notice", "consumer_complaint"]
        if view.order(oid).payment_method == PaymentMethod.CREDIT_CARD:
            kinds.append("chargeback_request")
        out += [render_letter(k, case, oid, reconciliation, lang, as_of, extra=extra, view=view) for k in kinds]
    return out


def dossier_file_name(order_id: str | None, lang: str, variant: str = "full", ext: str = "pdf") -> str:
    """What a downloaded dossier is called: ``dossier_8116516504403817_fr.pdf``,
    ``dossier_all_nl.zip`` (every problem order), ``dossier_ecc_8116516504403817_en.zip``."""
    who = order_id or "all"
    return f"dossier_{'ecc_' if variant == 'ecc' else ''}{who}_{lang}.{ext}"


def _chart(ctx: _Context, mode: str) -> None:
    if mode == "none":
        ctx.chart_note = _("Timeline image left out on request.")
        return
    from ..timeline.chart import timeline_figure
    from ..timeline.render import render_png

    oid = ctx.order_ids[0] if len(ctx.order_ids) == 1 else None
    fig = timeline_figure(ctx.events, ctx.reconciliation, ctx.as_of, order_id=oid, lang=ctx.lang)
    try:
        result = render_png(fig, 1400, None, 1.5, engine="auto" if mode == "auto" else mode)
    except Exception as exc:  # noqa: BLE001 - a failing chart renderer must not stop the dossier
        ctx.chart_note = _("No timeline image: the chart could not be drawn ({error}).", error=type(exc).__name__)
        return
    ctx.chart_png, ctx.chart_note = result.data, result.note


def _thumbs(ctx: _Context, loader: Callable, size: int) -> dict[str, bytes]:
    from PIL import Image

    from ..evidence.ingest import thumbnail

    originals: dict[str, bytes] = {}
    for item in ctx.evidence:
        try:
            data = loader(item)
        except ComplaintError:
            data = None
        if data is None:
            ctx.notes.append(_("{file}: original not available, not included", file=item.file_name))
            continue
        originals[item.sha256] = data
        if sha256(data) != item.sha256:
            ctx.notes.append(_("{file}: the file read now does not match the SHA-256 recorded at import",
                               file=item.file_name))
        try:
            thumb = thumbnail(data, size)
            with Image.open(io.BytesIO(thumb)) as im:
                ctx.thumb_heights[item.sha256] = im.height / im.width
            ctx.thumbnails[item.sha256] = thumb
        except ComplaintError as exc:
            ctx.notes.append(str(exc))
    return originals


def _context(case, order_id, lang, as_of, reconciliation, letters, view: CaseView, extra_evidence=()) -> _Context:
    from .guide import guide_for_order

    if order_id is not None and not view.has_order(order_id):
        raise ComplaintError(_("order {order} is not in this case", order=order_id))
    order_ids = [order_id] if order_id else view.problem_order_ids()
    if not order_ids:
        raise ComplaintError(_("no order with a problem in this case: set a problem on an order, or give --order"))
    wanted = set(order_ids)
    guides = {oid: guide_for_order(case, oid, reconciliation, as_of, view=view) for oid in order_ids}
    if letters is None:
        letters = default_letters(case, order_ids, reconciliation, lang, as_of, view=view)
    title = (_("Dispute dossier, order {order}", order=order_id) if order_id
             else _("Dispute dossier, {n} orders", n=len(order_ids)))
    evidence = [e for oid in order_ids for e in view.order(oid).evidence]
    known = {e.sha256 for e in evidence}
    for e in extra_evidence:  # files given for this dossier (the CLI's --evidence), already linked to its order
        if e.sha256 not in known:
            known.add(e.sha256)
            evidence.append(e)
    return _Context(case=case, reconciliation=reconciliation, view=view, as_of=as_of, lang=lang, order_ids=order_ids,
                    events=[e for e in view.events if wanted & set(e.order_ids)], guides=guides,
                    letters=list(letters), evidence=evidence, title=title, disclaimer=rules.disclaimer())


def _csvs(ctx: _Context, bundle: Bundle) -> None:
    from ..timeline.table import chronology_csv

    bundle.add("data", "chronology.csv", chronology_csv(ctx.events, ctx.evidence).encode("utf-8"), kind="csv")
    rec = ctx.reconciliation
    rows = []
    for m in getattr(rec, "missing_credits", None) or ():
        if m.order_id in ctx.order_ids:
            rows.append(["missing_credit", m.order_id, "", m.expected_amount, m.currency, m.expected_since,
                         m.due_date, m.business_days_waiting, m.state, ""])
    for m in getattr(rec, "matches", None) or ():
        if set(m.order_ids) & set(ctx.order_ids):
            rows.append([m.kind, ";".join(m.order_ids), ";".join(m.txn_ids), m.amount_gap, "", "", "", m.day_gap,
                         m.decision or "", m.score])
    header = ["record", "order_ids", "txn_ids", "amount", "currency", "expected_since", "due_date", "days",
              "state_or_decision", "score"]
    bundle.add("data", "reconciliation.csv", write_csv(rows, header).encode("utf-8"), kind="csv")
    linked = {t for m in getattr(rec, "matches", None) or () if set(m.order_ids) & set(ctx.order_ids)
              for t in m.txn_ids}
    txns = [t for t in ctx.case.transactions if t.id in linked or (len(ctx.order_ids) > 1 and t.merchant)]
    header = ["id", "booking_date", "value_date", "amount", "currency", "counterparty", "description",
              "communication", "merchant", "payment_method", "source"]
    rows = [[t.id, t.booking_date, t.value_date, t.amount, t.currency, t.counterparty, t.description,
             t.communication, t.merchant, t.payment_method, t.provenance.where() if t.provenance else ""]
            for t in txns]
    bundle.add("data", "transactions.csv", write_csv(rows, header).encode("utf-8"), kind="csv")


def build_dossier(case, order_id: str | None = None, lang: str = "en", as_of: date | None = None,
                  evidence_loader: Callable | None = None, letters: list[Letter] | None = None,
                  variant: str = "full", reconciliation=None, strip_gps: bool = True,
                  chart: str = "auto", view: CaseView | None = None,
                  extra_evidence: list[tuple] | tuple = ()) -> DossierBundle:
    """PDF and ZIP bytes (see the module docstring). ``chart``: auto | kaleido | matplotlib | none.

    Everything in it reads one case view: ``view`` when given (its reconciliation is then the one
    used), else one built here, in ``lang``, from the case and the reconciliation.
    ``extra_evidence``: (Evidence, original bytes) of pictures given for this dossier only (linked
    to its order); they go into the PDF and, GPS-free and hashed, into the ZIP."""
    if variant not in ("full", "ecc"):
        raise ComplaintError(_("unknown dossier variant '{variant}'; use full or ecc", variant=variant))
    as_of = as_of or (view.as_of if view is not None else case.today())
    if view is not None:
        reconciliation = view.reconciliation
    elif reconciliation is None:
        from ..reconciliation.reconcile import reconcile

        reconciliation = reconcile(case, as_of)
    previous = get_language()
    set_language(lang)
    try:
        if view is not None and view.language != lang:
            view = None  # its chronology speaks another language: the dossier's is built in ``lang``
        view = ensure_view(view, case, reconciliation, as_of)
        ctx = _context(case, order_id, lang, as_of, reconciliation, letters, view, [e for e, _b in extra_evidence])
        given = {e.sha256: data for e, data in extra_evidence}
        stored = evidence_loader or default_loader

        def loader(item):
            return given[item.sha256] if item.sha256 in given else stored(item)

        originals = _thumbs(ctx, loader, 320 if variant == "full" else 900)
        _chart(ctx, chart)
        stamp = datetime.combine(as_of, time(12, 0), BRUSSELS)
        info = {"tool": "complaint-notebook", "variant": variant, "case": case.name, "orders": ctx.order_ids,
                "as_of": as_of.isoformat(), "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "gps_removed": strip_gps, "language": lang}
        bundle = Bundle()
        if variant == "full":
            pdf = sections.render([sections.cover, sections.summary, sections.chronology, sections.timeline,
                                   sections.reconciliation, sections.evidence, sections.letters], ctx, ctx.title)
            bundle.add("", "dossier.pdf", pdf, kind="pdf")
            _evidence_copies(ctx, bundle, originals, strip_gps)
            _csvs(ctx, bundle)
            for letter in ctx.letters:
                bundle.add("letters", letter.file_name, letter.text.encode("utf-8"), kind="letter")
            dls = compute_deadlines(case, reconciliation, as_of, order_ids=ctx.order_ids, view=view)
            bundle.add("", "deadlines.ics", deadlines_ics(dls, stamp=stamp.astimezone(UTC)).encode("utf-8"),
                       kind="calendar")
        else:
            pdf = sections.render([sections.cover, sections.summary, sections.reconciliation], ctx,
                                  _("Summary for the European Consumer Centre"))
            bundle.add("", "1-summary.pdf", pdf, kind="pdf")
            correspondence = sections.render([_correspondence, sections.letters], ctx, _("Correspondence"))
            bundle.add("", "2-correspondence.pdf", correspondence, kind="pdf")
            if ctx.evidence:
                bundle.add("", "3-evidence.pdf", sections.render([sections.evidence, sections.timeline], ctx,
                                                                _("Evidence")), kind="pdf")
            if len(bundle.files) + 2 > ECC_MAX_FILES:  # pragma: no cover - guarded by construction
                raise ComplaintError(_("the ECC bundle would hold more than {n} files", n=ECC_MAX_FILES))
        if ctx.notes:
            info["notes"] = ctx.notes
        data = write_zip(bundle, info, stamp)
        return DossierBundle(pdf=pdf, zip=data, files=tuple(n for n, _d, _m in bundle.files), notes=tuple(ctx.notes))
    finally:
        set_language(previous)


def _correspondence(pdf, ctx) -> None:
    lanes = {"messages", "dispute"}
    sections.chronology(pdf, ctx, kinds_filter=lambda e: e.lane in lanes, title=_("Correspondence, in date order"),
                        with_body=True)


def _evidence_copies(ctx: _Context, bundle: Bundle, originals: dict[str, bytes], strip_gps: bool) -> None:
    from ..evidence.ingest import export_copy

    for item in ctx.evidence:
        data = originals.get(item.sha256)
        if data is None:
            continue
        try:
            copy = export_copy(data, strip_gps=strip_gps, name=item.file_name)
        except ComplaintError as exc:
            ctx.notes.append(str(exc))
            continue
        bundle.add("evidence", item.file_name, copy, kind="evidence", original_name=item.file_name,
                   original_sha256=item.sha256, order_id=item.order_id, gps_removed=strip_gps)


def export_dossier(case, out_dir, order_id: str | None = None, lang: str = "en", as_of: date | None = None,
                   evidence_loader: Callable | None = None, letters: list[Letter] | None = None,
                   variant: str = "full", reconciliation=None, chart: str = "auto",
                   view: CaseView | None = None, extra_evidence: list[tuple] | tuple = ()) -> DossierPaths:
    """Write ``out_dir/dossier.pdf`` and ``out_dir/dossier.zip`` (see :func:`build_dossier`)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    result = build_dossier(case, order_id=order_id, lang=lang, as_of=as_of, evidence_loader=evidence_loader,
                           letters=letters, variant=variant, reconciliation=reconciliation, chart=chart, view=view,
                           extra_evidence=extra_evidence)
    pdf_path, zip_path = out / "dossier.pdf", out / "dossier.zip"
    pdf_path.write_bytes(result.pdf)
    zip_path.write_bytes(result.zip)
    return DossierPaths(pdf=pdf_path, zip=zip_path)
