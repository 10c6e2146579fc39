"""The dossier as PDF (fpdf2 + the vendored DejaVu fonts, so accents and ß, ł, ë work everywhere).

Sections: cover, summary per order (with the escalation status and next deadlines), chronology
table, timeline image, reconciliation with the missing credits, evidence thumbnails (capture
time, where the time came from, SHA-256), and the letters.  The ECC variant splits this into a
summary PDF, one chronological correspondence PDF and an evidence PDF.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF, FontFace
from fpdf.enums import XPos, YPos

from ..calendar_be import BRUSSELS
from ..evidence.chronology import TIME_SOURCE_LABELS, zone_label
from ..fmt import day as fmt_day
from ..fmt import moment
from ..i18n import LANGUAGES, N_, _
from ..records import PAYMENT_LABELS
from ..timeline.events import format_when, kind_label, lane_label
from .letter_facts import order_lines
from .letter_text import account
from .view_records import Money

FONT_DIR = Path(__file__).parent / "fonts"
REGULAR, BOLD = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
GREY = (90, 90, 90)
HEAD = FontFace(emphasis="BOLD", fill_color=(232, 236, 242))
DECISION_LABELS = {"confirmed": N_("confirmed"), "linked": N_("linked by hand")}


@functools.cache
def _glyphs() -> frozenset[int]:
    font = TTFont(str(REGULAR), lazy=True)
    try:
        return frozenset(font.getBestCmap().keys())
    finally:
        font.close()


def pdf_text(value: object) -> str:
    """Text the font can draw: control characters dropped, missing glyphs (CJK, emoji) shown as '?'."""
    glyphs = _glyphs()
    out = []
    for ch in str(value if value is not None else ""):
        if ch in "\n\t":
            out.append(" " if ch == "\t" else ch)
        elif ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0:
            continue
        elif ord(ch) in glyphs:
            out.append(ch)
        else:
            out.append("?")
    return "".join(out)


class DossierPDF(FPDF):
    def __init__(self, title: str, footer_note: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.add_font("DejaVu", "", str(REGULAR))
        self.add_font("DejaVu", "B", str(BOLD))
        self.set_font("DejaVu", size=10)
        self.set_auto_page_break(True, margin=16)
        self.set_margins(15, 15, 15)
        self.doc_title = pdf_text(title)
        self.footer_note = pdf_text(footer_note)
        self.set_title(self.doc_title)
        self.set_creator("complaint-notebook")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", size=7)
        self.set_text_color(*GREY)
        self.cell(0, 5, f"{self.footer_note}  ·  {self.doc_title}  ·  " + _("page {n}", n=self.page_no()),
                  align="C")
        self.set_text_color(0, 0, 0)

    # --- building blocks ---------------------------------------------------------------------
    def h1(self, text: str) -> None:
        self.set_font("DejaVu", "B", 15)
        self.multi_cell(0, 8, pdf_text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)
        self.set_font("DejaVu", size=10)

    def h2(self, text: str) -> None:
        if self.get_y() > self.h - 40:
            self.add_page()
        self.ln(2)
        self.set_font("DejaVu", "B", 12)
        self.multi_cell(0, 6.5, pdf_text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)
        self.set_font("DejaVu", size=10)

    def para(self, text: str, size: float = 10, colour: tuple[int, int, int] | None = None) -> None:
        self.set_font("DejaVu", size=size)
        if colour:
            self.set_text_color(*colour)
        self.multi_cell(0, size * 0.5, pdf_text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)
        self.set_font("DejaVu", size=10)

    def kv(self, rows: list[tuple[str, object]]) -> None:
        self.set_font("DejaVu", size=9)
        with self.table(col_widths=(45, 135), first_row_as_headings=False, line_height=5,
                        borders_layout="HORIZONTAL_LINES") as table:
            for key, value in rows:
                row = table.row()
                row.cell(pdf_text(key), style=FontFace(emphasis="BOLD"))
                row.cell(pdf_text("" if value is None else value))
        self.set_font("DejaVu", size=10)
        self.ln(2)

    def grid(self, headings: list[str], rows: list[list[object]], widths: tuple[float, ...], size: float = 8) -> None:
        if not rows:
            self.para(_("(none)"), 9, GREY)
            return
        self.set_font("DejaVu", size=size)
        with self.table(col_widths=widths, headings_style=HEAD, line_height=size * 0.55,
                        text_align="LEFT") as table:
            head = table.row()
            for h in headings:
                head.cell(pdf_text(h))
            for values in rows:
                row = table.row()
                for v in values:
                    row.cell(pdf_text("" if v is None else v))
        self.set_font("DejaVu", size=10)
        self.ln(2)

    def image_bytes(self, data: bytes, w: float, x: float | None = None, y: float | None = None) -> None:
        self.image(io.BytesIO(data), x=x, y=y, w=w)


# --- sections ------------------------------------------------------------------------------------

def cover(pdf: DossierPDF, ctx) -> None:
    pdf.add_page()
    pdf.ln(20)
    pdf.h1(ctx.title)
    pdf.kv([(_("Case"), ctx.case.name), (_("Orders covered"), ", ".join(ctx.order_ids) or _("(none)")),
            (_("Situation on"), fmt_day(ctx.as_of, ctx.lang)), (_("Language"), LANGUAGES.get(ctx.lang, ctx.lang))])
    pdf.ln(4)
    pdf.para(ctx.disclaimer, 9, GREY)


def _money(value, lang: str) -> str:
    from .letters import money

    return money(value.amount, value.currency, lang) if value is not None else ""


def order_figures(o, lang: str) -> list[tuple[str, str]]:
    """The figures of one order with their labels in the current language: paid, promised,
    credited, outstanding, business days waited (what a one-order dossier shows)."""
    waited = ""
    if o.missing:
        m = o.missing[0]
        waited = _("{n} business days since {date} (stated delay: {delay} business days, due {due})",
                   n=m.business_days_waited, date=fmt_day(m.since, lang), delay=m.delay_business_days,
                   due=fmt_day(m.due, lang))
    return [(_("Paid"), _money(o.paid, lang) if o.payments else _("no payment found on the statements")),
            (_("Refund promised"), _money(o.promised, lang) if o.promises else _("none")),
            (_("Refund credited"), _money(o.credited, lang) if o.credits else _("none")),
            (_("Outstanding"), _money(o.outstanding, lang) if o.missing else _("nothing")),
            (_("Business days waited"), waited or "-")]


def _promise_line(p, lang: str) -> str:
    amount, on = _money(p.amount, lang), fmt_day(p.promised_on, lang)
    if p.by == "seller":
        text = _("{amount}, promised by the seller on {date}", amount=amount, date=on)
    elif p.by == "platform":
        text = _("{amount}, promised by AliExpress on {date}", amount=amount, date=on)
    elif p.by == "dispute":
        text = _("{amount}, granted by the dispute on {date}", amount=amount, date=on)
    else:
        text = _("{amount}, announced in the order status on {date}", amount=amount, date=on)
    if p.destination == "platform_balance":
        text += " · " + _("to the AliExpress balance")
    if p.reference:
        text += " · " + _("refund reference (ARN) {arn}", arn=p.reference)
    return text


def summary(pdf: DossierPDF, ctx, with_guide: bool = True) -> None:
    from .guide import NOT_APPLICABLE
    from .view import STATE_LABELS

    pdf.add_page()
    pdf.h1(_("Summary"))
    for oid in ctx.order_ids:
        o = ctx.view.order(oid)
        order = o.order
        guide = ctx.guides[oid]
        pdf.h2(_("Order {order}", order=oid))
        payments = "; ".join(
            _("{amount} on {date}", amount=_money(p.amount, ctx.lang), date=fmt_day(p.booked_on, ctx.lang))
            + (f" · {account(p.account)}" if p.account else "") for p in o.payments)
        credits = "; ".join(
            _("{amount} on {date}", amount=_money(c.amount, ctx.lang), date=fmt_day(c.booked_on, ctx.lang))
            + (" · " + _("booked on the purchase date") if c.on_purchase_date else "") for c in o.credits)
        searched = ""
        if o.missing and o.missing[0].searched_from:
            m = o.missing[0]
            searched = _("{start} to {end} ({files})", start=fmt_day(m.searched_from, ctx.lang),
                         end=fmt_day(m.searched_to, ctx.lang), files=", ".join(m.statements) or "-")
        pdf.kv([
            (_("Order date"), fmt_day(order.order_date, ctx.lang) if order else ""),
            (_("Store"), order.store if order else ""),
            (_("Items"), "; ".join(f"{i['title']} × {i['quantity']}" for i in order_lines(order))),
            (_("Amount"), _money(o.total, ctx.lang)),
            (_("Problem"), guide.problem_label or _("not set")),
            (_("State"), _(STATE_LABELS[o.state])),
            (_("Payment method"), _(PAYMENT_LABELS[o.payment_method]) if o.payment_method else _("not set")),
            (_("Seller country"), o.seller_country or _("not set")),
            (_("Payment"), payments or _("no payment found on the statements")),
            (_("Refund promised"), "; ".join(_promise_line(p, ctx.lang) for p in o.promises) or _("none")),
            (_("Refund credited"), credits or _("none")),
            *order_figures(o, ctx.lang)[3:],
            *([(_("Statements searched"), searched)] if searched else []),
        ])
        if with_guide:
            rows = [[s.title, s.status_label, s.why or "", fmt_day(s.next_date, ctx.lang) if s.next_date else ""]
                    for s in guide.steps if s.status != NOT_APPLICABLE]
            pdf.para(_("Escalation steps (applicable to this order)"), 9)
            pdf.grid([_("Step"), _("Status"), _("Why"), _("Next date")], rows, (48, 18, 92, 22))
        upcoming = [d for d in guide.deadlines if d.date >= ctx.as_of][:6]
        if upcoming:
            pdf.para(_("Next deadlines"), 9)
            pdf.grid([_("Date"), _("What"), _("Rule checked")],
                     [[fmt_day(d.date, ctx.lang), d.label, ctx.citation(d.source_rule)] for d in upcoming], (22, 90, 68))


def chronology(pdf: DossierPDF, ctx, kinds_filter: Callable | None = None, title: str | None = None,
               with_body: bool = False) -> None:
    pdf.add_page()
    pdf.h1(title or _("Chronology"))
    events = [e for e in ctx.events if kinds_filter is None or kinds_filter(e)]
    rows = []
    for e in events:
        text = e.title + (("\n" + e.body) if with_body and e.body else "")
        rows.append([format_when(e), lane_label(e.lane), kind_label(e.kind), text, ", ".join(e.order_ids)])
    pdf.grid([_("When (Brussels)"), _("Source"), _("Event"), _("What"), _("Orders")], rows, (28, 19, 23, 78, 32))


def timeline(pdf: DossierPDF, ctx) -> None:
    if ctx.chart_png is not None:
        from PIL import Image

        with Image.open(io.BytesIO(ctx.chart_png)) as im:
            needed = pdf.epw * im.height / im.width + 20
        if pdf.get_y() + needed > pdf.h - 16:
            pdf.add_page()  # keep the heading with the image
    pdf.h2(_("Timeline"))
    if ctx.chart_png is None:
        pdf.para(ctx.chart_note or _("No timeline image: no chart renderer is available."), 9, GREY)
        return
    pdf.image_bytes(ctx.chart_png, w=pdf.epw)
    if ctx.chart_note:
        pdf.para(ctx.chart_note, 8, GREY)


def case_figures(fig, lang: str) -> list[tuple[str, str]]:
    """The case's figures (EUR) with their labels in the current language."""
    from .letters import money

    def eur(value) -> str:
        return money(value, "EUR", lang)

    return [(_("Total paid"), eur(fig.paid_eur)), (_("Refunds expected"), eur(fig.refunds_expected_eur)),
            (_("Refunds credited"), eur(fig.refunds_credited_eur)),
            (_("Refunds on their way"), eur(fig.refunds_pending_eur)),
            (_("Refunds overdue"), eur(fig.refunds_overdue_eur)),
            (_("Missing credits"), _("{n} · {amount}", n=fig.missing_count, amount=eur(fig.missing_eur)))]


def reconciliation(pdf: DossierPDF, ctx) -> None:
    from .view import STATE_LABELS

    pdf.add_page()
    pdf.h1(_("Payments and refunds"))
    orders = [ctx.view.order(oid) for oid in ctx.order_ids]
    if len(orders) == 1:  # a one-order dossier shows that order's own figures, not the case's
        pdf.kv(order_figures(orders[0], ctx.lang))
    else:
        pdf.kv(case_figures(ctx.view.figures, ctx.lang))
    pdf.h2(_("Missing refunds"))
    missing = sorted((m for o in orders for m in o.missing), key=lambda m: (m.state != "overdue", m.since, m.order_id))
    pdf.grid([_("Order"), _("Amount"), _("Expected since"), _("Business days waiting"), _("Due"), _("State")],
             [[m.order_id, _money(m.outstanding, ctx.lang), fmt_day(m.since, ctx.lang),
               m.business_days_waited, fmt_day(m.due, ctx.lang), _(STATE_LABELS[m.state])] for m in missing],
             (35, 28, 28, 30, 28, 31), 8.5)
    pdf.h2(_("Matched bank movements"))
    rows, seen = [], set()
    for o in orders:  # the debits that paid the orders, then the refunds credited for them
        for p in o.payments:
            if ("payment", p.txn_id) not in seen:
                seen.add(("payment", p.txn_id))
                rows.append([_("payment"), ", ".join(p.orders or (o.order_id,)), fmt_day(p.booked_on, ctx.lang),
                             _money(Money(-p.amount.amount, p.amount.currency), ctx.lang), p.counterparty or "",
                             _(DECISION_LABELS.get(p.decision, p.decision)) if p.decision else ""])
        for c in o.credits:
            if ("refund", c.txn_id) not in seen:
                seen.add(("refund", c.txn_id))
                rows.append([_("refund"), o.order_id, fmt_day(c.booked_on, ctx.lang), _money(c.amount, ctx.lang),
                             c.counterparty or "", ""])
    pdf.grid([_("Kind"), _("Orders"), _("Booked"), _("Amount"), _("Counterparty"), _("Decision")], rows,
             (20, 38, 24, 26, 50, 22))


def evidence(pdf: DossierPDF, ctx, thumb_mm: float = 42) -> None:
    pdf.add_page()
    pdf.h1(_("Evidence"))
    pdf.para(_("Each file is identified by its SHA-256; the copies in the ZIP have GPS data removed, "
               "so their own hash is listed in the manifest."), 8, GREY)
    for item in ctx.evidence:
        if pdf.get_y() > pdf.h - 16 - thumb_mm:
            pdf.add_page()
        top = pdf.get_y()
        thumb = ctx.thumbnails.get(item.sha256)
        if thumb:
            pdf.image_bytes(thumb, w=thumb_mm, x=pdf.l_margin, y=top)
        else:
            pdf.set_xy(pdf.l_margin, top)
            pdf.set_font("DejaVu", size=8)
            pdf.multi_cell(thumb_mm, 4, pdf_text(_("(no preview)")))
        pdf.set_xy(pdf.l_margin + thumb_mm + 5, top)
        when = moment(item.captured_at.astimezone(BRUSSELS), ctx.lang) if item.captured_at else _("unknown")
        lines = [item.file_name,
                 _("Order: {order}", order=item.order_id or _("not linked")),
                 _("Taken: {when}", when=when),
                 _("Time from: {source}", source=_(TIME_SOURCE_LABELS.get(item.time_source or "", "?"))),
                 _("Time zone: {zone}", zone=zone_label(item.tz_source)),
                 "SHA-256: " + item.sha256[:32], "         " + item.sha256[32:]]
        if item.note:
            lines.append(item.note)
        pdf.set_font("DejaVu", size=8.5)
        pdf.multi_cell(pdf.epw - thumb_mm - 5, 4.4, pdf_text("\n".join(lines)), new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT)
        pdf.set_y(max(pdf.get_y(), top + (ctx.thumb_heights.get(item.sha256, 0) * thumb_mm if thumb else 12)) + 4)
    pdf.set_font("DejaVu", size=10)


def letters(pdf: DossierPDF, ctx) -> None:
    for letter in ctx.letters:
        pdf.add_page()
        pdf.set_font("DejaVu", "B", 11)
        pdf.multi_cell(0, 6, pdf_text(letter.subject), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
        pdf.para(letter.body, 9.5)


def render(sections: list[Callable], ctx, title: str) -> bytes:
    pdf = DossierPDF(title, _("complaint-notebook, situation on {date}", date=fmt_day(ctx.as_of, ctx.lang)))
    for section in sections:
        section(pdf, ctx)
    return bytes(pdf.output())
