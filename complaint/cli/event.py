"""``complaint event``: add, edit, delete and list the chronology events of your own;
``complaint paste``: keep a pasted conversation or tracking history as events."""

from __future__ import annotations

from pathlib import Path

import click

from .. import api
from ..i18n import _
from .options import emit, format_option, progress, stored_case, stored_case_options
from .timeline import report

EVENT_COLUMNS = ["id", "day", "time", "kind", "title", "order_ids", "body"]


def _show(changes, fmt: str) -> None:
    for note in changes.notes:
        progress(note)
    if fmt == "json":
        emit(changes.saved, "json")
    for ev in changes.saved:
        if fmt != "json":
            click.echo(_("saved event {id}: {day} {title}", id=ev.id, day=ev.on.isoformat(), title=ev.title))


def _event_fields(f):
    for opt in reversed([
        click.option("--kind", type=click.Choice(list(api.event_kinds())), help="What happened."),
        click.option("--day", "on", metavar="DATE", help="The day (YYYY-MM-DD or DD/MM/YYYY)."),
        click.option("--time", "time_", metavar="HH:MM", help="Brussels time; empty: the day only."),
        click.option("--title", help="One line."),
        click.option("--body", help="Details."),
        click.option("--order", "order_ids", multiple=True, metavar="ID", help="An order it concerns (repeatable)."),
    ]):
        f = opt(f)
    return f


@click.group("event")
def command() -> None:
    """Your own events in the chronology (a call, a message sent, a dispute opened...).

    \b
    Examples:
      complaint event add --kind dispute_opened --day 2026-03-20 --title "Dispute opened" --order 8116516504403817 --db cases.sqlite --case "Sofa 2026"
      complaint event list --db cases.sqlite --case "Sofa 2026"
      complaint event edit dispute_opened-1a2b3c --time 09:30 --db cases.sqlite --case "Sofa 2026"
      complaint event delete dispute_opened-1a2b3c --db cases.sqlite --case "Sofa 2026"
    """


@command.command("add")
@stored_case_options
@_event_fields
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def add(db, case_name, kind, on, time_, title, body, order_ids, fmt) -> None:
    """Add an event (--kind, --day and --title are needed).

    \b
    Example:
      complaint event add --kind message_out --day 2026-03-12 --time 14:05 --title "Asked for the refund" --db cases.sqlite --case "Sofa 2026"
    """
    if not (kind and on and title):
        raise click.UsageError(_("--kind, --day and --title are needed"))
    _show(api.add_event(stored_case(db, case_name), kind, on, title, time=time_, body=body, order_ids=order_ids), fmt)


@command.command("edit")
@stored_case_options
@click.argument("event_id")
@_event_fields
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def edit(db, case_name, event_id, kind, on, time_, title, body, order_ids, fmt) -> None:
    """Change EVENT_ID (one of yours); what is not given stays.

    \b
    Example:
      complaint event edit dispute_opened-1a2b3c --title "Dispute opened (2nd)" --db cases.sqlite --case "Sofa 2026"
    """
    _show(api.edit_event(stored_case(db, case_name), event_id, kind=kind, on=on, title=title, time=time_, body=body,
                         order_ids=list(order_ids) or None), fmt)


@command.command("delete")
@stored_case_options
@click.argument("event_id")
def delete(db, case_name, event_id) -> None:
    """Delete EVENT_ID (one of yours: added or pasted).

    \b
    Example:
      complaint event delete dispute_opened-1a2b3c --db cases.sqlite --case "Sofa 2026"
    """
    api.delete_event(stored_case(db, case_name), event_id)
    click.echo(_("deleted event {id}", id=event_id))


@command.command("list")
@stored_case_options
@format_option("table")
def list_(db, case_name, fmt) -> None:
    """List your own events (added or pasted) with their ids.

    \b
    Example:
      complaint event list --db cases.sqlite --case "Sofa 2026" --format json
    """
    emit(api.event_rows(stored_case(db, case_name)), fmt, EVENT_COLUMNS)


@click.group("paste")
def paste() -> None:
    """Keep a conversation or tracking history, copied from the website into a text file, as events.

    \b
    Examples:
      complaint paste chat chat.txt --order 8116516504403817 --db cases.sqlite --case "Sofa 2026"
      complaint paste tracking tracking.txt --order 8116516504403817 --dry-run --db cases.sqlite --case "Sofa 2026"
    """


def _paste(fn, db, case_name, file, order_id, dry_run, fmt, **extra) -> None:
    result = fn(stored_case(db, case_name), api.read_text(file), order_id, source_name=Path(file).name,
                save=not dry_run, **extra)
    report(file, result)
    rows = [{"id": e.id, "when": (e.at or e.on).isoformat(), "kind": e.kind, "title": e.title} for e in result.events]
    emit(rows, fmt, ["id", "when", "kind", "title"])
    if not dry_run:
        progress(_("{n} events kept in the case", n=len(result.events)))


_paste_options = [
    click.argument("file", type=click.Path(exists=True, dir_okay=False)),
    click.option("--order", "order_id", required=True, metavar="ID", help="The order it concerns."),
    click.option("--dry-run", is_flag=True, help="Show the events found; keep nothing."),
    format_option("table"),
]


def _with_paste_options(f):
    for opt in reversed(_paste_options):
        f = opt(f)
    return stored_case_options(f)


@paste.command("chat")
@_with_paste_options
def chat(db, case_name, file, order_id, dry_run, fmt) -> None:
    """A conversation with the seller or customer service (AliExpress message page).

    \b
    Example:
      complaint paste chat chat.txt --order 8116516504403817 --db cases.sqlite --case "Sofa 2026"
    """
    _paste(api.paste_conversation, db, case_name, file, order_id, dry_run, fmt)


@paste.command("tracking")
@_with_paste_options
@click.option("--tracking-number", default=None, help="The parcel's number, when the text does not show it.")
def tracking(db, case_name, file, order_id, dry_run, fmt, tracking_number) -> None:
    """A tracking history (AliExpress/Cainiao, bpost, PostNL, DHL).

    \b
    Example:
      complaint paste tracking tracking.txt --order 8116516504403817 --db cases.sqlite --case "Sofa 2026"
    """
    _paste(api.paste_tracking, db, case_name, file, order_id, dry_run, fmt, tracking_number=tracking_number)


COMMANDS = [command, paste]
