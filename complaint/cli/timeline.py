"""``complaint timeline``: the chronology of a case, and its dispute timeline chart."""

from __future__ import annotations

from pathlib import Path

import click

from .. import api
from ..errors import ComplaintError
from ..i18n import _
from .options import case_inputs, emit, load_inputs, progress

COLUMNS = ["when", "lane", "kind", "title", "order_ids", "evidence", "source"]


@click.command("timeline")
@case_inputs
@click.option("--messages", "messages", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="A seller conversation copied from the AliExpress message page (text file; with --order).")
@click.option("--tracking", "tracking", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="A tracking history copied from AliExpress/Cainiao, bpost, PostNL or DHL (with --order).")
@click.option("--order", "order_id", metavar="ID", help="Only this order (and the order pasted files concern).")
@click.option("--out", "out", type=click.Path(dir_okay=False), help="Write the chart: .html (self-contained) or .png.")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "table"]), default="table", show_default=True,
              help="Output format of the chronology (without --out).")
@click.option("--lang", "lang", type=click.Choice(["en", "fr", "nl", "de"]), default=None,
              help="Language of the chart labels.")
def command(messages: tuple[str, ...], tracking: tuple[str, ...], order_id: str | None, out: str | None, fmt: str,
            lang: str | None, **kwargs) -> None:
    """Print the chronology of a case, or write its dispute timeline chart.

    Pasted files are read for this run only (``complaint paste`` keeps them in a stored case).

    \b
    Examples:
      complaint timeline --orders orders.csv --bank kbc.csv --as-of 2026-05-04 --format json
      complaint timeline --db cases.sqlite --case mine --messages chat.txt --order 8190000000000001 --out chart.html
    """
    case = load_inputs(**kwargs)
    if (messages or tracking) and not order_id:
        raise ComplaintError(_("--messages and --tracking need --order ID (the order they concern)"))
    for path in messages:
        report(path, api.paste_conversation(case, api.read_text(path), order_id, source_name=Path(path).name))
    for path in tracking:
        report(path, api.paste_tracking(case, api.read_text(path), order_id, source_name=Path(path).name))
    as_of = case.today()
    rec = api.reconcile(case, as_of=as_of)
    events = api.chronology(case, rec, as_of, order_id=order_id)
    if out is None:
        records = api.chronology_table(case, events, "records")
        if fmt != "json":
            records = [{k: ", ".join(v) if isinstance(v, list) else v for k, v in r.items()} for r in records]
        emit(records, fmt, columns=None if fmt == "json" else COLUMNS)
        return
    target = Path(out)
    if target.suffix.lower() not in (".png", ".html", ".htm"):
        raise ComplaintError(_("{file}: --out must end in .html or .png", file=out))
    fig = api.timeline_chart(case, rec, as_of, order_id, lang, events=events).figure
    if target.suffix.lower() == ".png":
        png = api.timeline_png(fig)
        target.write_bytes(png.data)
        progress(_("wrote {file} ({n} events, drawn with {engine})", file=out, n=len(events), engine=png.engine))
        if png.note:
            progress(png.note)
    else:
        target.write_text(api.timeline_html(fig), encoding="utf-8")
        progress(_("wrote {file} ({n} events, self-contained, no network requests)", file=out, n=len(events)))


def report(path: str, result) -> None:
    """What a pasted file gave, on stderr: events, warnings, the lines not understood."""
    progress(_("{file}: {n} events", file=path, n=len(result.events)))
    for warning in result.warnings:
        progress(f"  {path}: {warning}")
    for line_no, text in result.unparsed_lines[:20]:
        progress("  " + _("{file} line {line}: not understood: {text}", file=path, line=line_no, text=text[:80]))
    if len(result.unparsed_lines) > 20:
        progress("  " + _("... and {n} more lines not understood", n=len(result.unparsed_lines) - 20))
