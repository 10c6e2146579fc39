"""``complaint guide``: what to do now for an order; ``complaint letter``: write one of its letters."""

from __future__ import annotations

from pathlib import Path

import click

from .. import api
from ..i18n import _
from .options import case_inputs, emit, format_option, load_inputs, progress


@click.command("guide")
@case_inputs
@click.argument("order_id")
@format_option("table")
def guide(order_id: str, fmt: str, **inputs) -> None:
    """The escalation steps for ORDER_ID: done, to do or not applicable, why, by when, with sources.

    \b
    Example:
      complaint guide 8116516504403817 --db cases.sqlite --case "Sofa 2026"
    """
    case = load_inputs(**inputs)
    g = api.guide(case, order_id, as_of=inputs.get("as_of"))
    rows = [{"step": s.key, "title": s.title, "status": s.status, "next_date": s.next_date, "why": s.why,
             "how": s.how, "attach": list(s.attach), "sources": [c.text() for c in s.sources]} for s in g.steps]
    emit(rows, fmt, None if fmt == "json" else ["step", "title", "status", "next_date", "why"])
    progress(g.disclaimer)


@click.command("letter")
@case_inputs
@click.argument("order_id")
@click.option("--kind", type=click.Choice(list(api.letter_kinds())), required=True, help="Which letter.")
@click.option("--lang", type=click.Choice(list(api.LETTER_LANGUAGES)), default=None,
              help="Its language (default: the profile's, else English).")
@click.option("--outcome", type=click.Choice(list(api.LETTER_OUTCOMES)), default=None, help="What you ask for.")
@click.option("--partial-amount", default=None, help="The amount of a partial refund you ask for.")
@click.option("--iban", default=None, help="The account the refund should go to.")
@click.option("--out", "out", type=click.Path(dir_okay=False), help="Write it to this file (default: print it).")
def letter(order_id, kind, lang, outcome, partial_amount, iban, out, **inputs) -> None:
    """Write one letter for ORDER_ID, from what the case shows: the claim is the refund still
    outstanding when one was promised, the order total when nothing was (--outcome asks for
    something else).  Signed with the case's profile; a name or address left empty becomes a
    placeholder, and stderr says so.  --kind public_post is a short post for Facebook or X,
    without any personal data.

    \b
    Examples:
      complaint letter 8116516504403817 --kind formal_notice --lang fr --db cases.sqlite --case "Sofa 2026"
      complaint letter 8116516504403817 --kind public_post --lang nl --db cases.sqlite --case "Sofa 2026"
    """
    case = load_inputs(**inputs)
    text = api.write_letter(case, order_id, kind, lang, as_of=inputs.get("as_of"),
                            details={"outcome": outcome, "partial_amount": partial_amount, "iban": iban}).text
    empty = api.letter_placeholders(case, kind)
    if empty:
        labels = {"name": _("your name"), "address": _("your postal address")}
        progress(_("the letter shows a placeholder for {fields}: set them with complaint profile set",
                   fields=", ".join(labels[f] for f in empty)))
    if kind == "public_post":
        progress(_("A public post is seen by everyone: never add bank details, card numbers, your address, "
                   "e-mail or phone."))
    if out:
        Path(out).write_text(text, encoding="utf-8")
        progress(_("wrote {file}", file=out))
    else:
        click.echo(text, nl=False)


COMMANDS = [guide, letter]
