"""``complaint timeline``: the chronology of a case, and its dispute timeline chart."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import ComplaintError
from ..i18n import _
from ..timeline.events import build_chronology, filter_events
from ..timeline.paste import parse_conversation, parse_tracking
from ..timeline.table import chronology_records
from .options import case_inputs, emit, load_inputs, progress

COLUMNS = ["when", "lane", "kind", "title", "order_ids", "evidence", "source"]


def _read_text(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ComplaintError(_("{file}: not UTF-8 text ({error})", file=path, error=exc)) from exc
    except OSError as exc:
        raise ComplaintError(_("{file}: cannot read ({error})", file=path, error=exc.strerror)) from exc


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

    \b
    Examples:
      complaint timeline --orders orders.csv --bank kbc.csv --as-of 2026-05-04 --format json
      complaint timeline --db cases.sqlite --case mine --messages chat.txt --order 8190000000000001 --out chart.html
    """
    from ..reconciliation.reconcile import reconcile

    case = load_inputs(**kwargs)
    if (messages or tracking) and not order_id:
        raise ComplaintError(_("--messages and --tracking need --order ID (the order they concern)"))
    for path in messages:
        result = parse_conversation(_read_text(path), order_id, source_name=Path(path).name)
        _report(path, result)
        case.events.extend(result.events)
    for path in tracking:
        result = parse_tracking(_read_text(path), order_id, source_name=Path(path).name)
        _report(path, result)
        case.events.extend(result.events)
    as_of = case.today()
    rec = reconcile(case, as_of=as_of)
    events = build_chronology(case, rec, as_of)
    if order_id:
        events = filter_events(events, order_id=order_id)
    if out is None:
        records = chronology_records(events, case.evidence)
        if fmt != "json":
            records = [{k: ", ".join(v) if isinstance(v, list) else v for k, v in r.items()} for r in records]
        emit(records, fmt, columns=None if fmt == "json" else COLUMNS)
        return
    from ..timeline.chart import chart_deadlines, timeline_figure, timeline_html
    from ..timeline.render import render_png

    fig = timeline_figure(events, rec, as_of=as_of, order_id=order_id, lang=lang,
                          deadlines=chart_deadlines(case, rec, as_of, events, order_id))
    target = Path(out)
    if target.suffix.lower() == ".png":
        png = render_png(fig)
        target.write_bytes(png.data)
        progress(_("wrote {file} ({n} events, drawn with {engine})", file=out, n=len(events), engine=png.engine))
        if png.note:
            progress(png.note)
    elif target.suffix.lower() in (".html", ".htm"):
        target.write_text(timeline_html(fig), encoding="utf-8")
        progress(_("wrote {file} ({n} events, self-contained, no network requests)", file=out, n=len(events)))
    else:
        raise ComplaintError(_("{file}: --out must end in .html or .png", file=out))


def _report(path: str, result) -> None:
    progress(_("{file}: {n} events", file=path, n=len(result.events)))
    for warning in result.warnings:
        progress(f"  {path}: {warning}")
    for line_no, text in result.unparsed_lines[:20]:
        progress("  " + _("{file} line {line}: not understood: {text}", file=path, line=line_no, text=text[:80]))
    if len(result.unparsed_lines) > 20:
        progress("  " + _("... and {n} more lines not understood", n=len(result.unparsed_lines) - 20))
