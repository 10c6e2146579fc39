"""complaint dossier: write the dispute dossier (PDF + ZIP) for one order or every problem order."""

from __future__ import annotations

from pathlib import Path

import click

from .. import api
from ..i18n import _
from .options import case_inputs, load_inputs, progress, stored_case


@click.command("dossier")
@case_inputs
@click.option("--order", "order_id", metavar="ORDER_ID", help="Only this order (default: every order with a problem).")
@click.option("--lang", type=click.Choice(["fr", "nl", "en", "de"]), default="en", show_default=True,
              help="Language of the letters and the dossier.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Folder to write into.")
@click.option("--variant", type=click.Choice(["full", "ecc"]), default="full", show_default=True,
              help="full: everything; ecc: at most 8 files for the European Consumer Centre form.")
@click.option("--ics", "ics_path", type=click.Path(dir_okay=False), default=None,
              help="Also write the deadlines as an iCalendar file.")
@click.option("--chart", type=click.Choice(["auto", "kaleido", "matplotlib", "none"]), default="auto",
              show_default=True, help="How to draw the timeline image.")
def command(order_id, lang, out_dir, variant, ics_path, chart, **inputs) -> None:
    """Write DIR/dossier.pdf and DIR/dossier.zip (with manifest and SHA-256 of every file).

    Pictures given with --evidence (files, folders or ZIPs) are attached to the dossier's order
    (--order) and go into the PDF and, GPS-free and hashed, into the ZIP's evidence/ folder and its
    manifest; --evidence works with a stored case too.  The letters are signed with the case's
    profile (complaint profile set).

    \b
    Examples:
      complaint dossier --db cases.sqlite --case "Sofa 2026" --lang fr --out dossier/
      complaint dossier --orders orders.csv --bank kbc.csv --evidence photos/ --order 8123456789012345 --out d/
      complaint dossier --db cases.sqlite --case "Sofa 2026" --evidence photos/ --order 8123456789012345 --out d/
      complaint dossier --db cases.sqlite --case "Sofa 2026" --variant ecc --ics deadlines.ics --out ecc/
    """
    evidence = list(inputs.pop("evidence", ()) or ())
    data = load_inputs(**inputs)
    # a stored case: the original pictures come from the store
    case = stored_case(inputs.get("db"), inputs["case_name"]) if inputs.get("case_name") else data
    as_of = inputs.get("as_of") or data.today()
    progress(_("reconciling payments and refunds..."))
    reconciliation = api.reconcile(data, as_of)
    progress(_("writing the dossier..."))
    notes: list[str] = []
    paths = api.export_dossier(case, out_dir, order_id=order_id, lang=lang, as_of=as_of, variant=variant,
                               chart=chart, reconciliation=reconciliation, evidence=evidence, notes=notes)
    for note in notes:
        progress(note)
    problems = api.verify_dossier(paths.zip.read_bytes())
    if problems:  # pragma: no cover - the writer and the checker disagree: a bug
        raise click.ClickException("; ".join(problems))
    if ics_path:
        items = api.deadlines(data, reconciliation, as_of, order_ids=[order_id] if order_id else None)
        Path(ics_path).write_text(api.deadlines_ics(items), encoding="utf-8", newline="")
        progress(_("{n} deadlines written to {file}", n=len(items), file=ics_path))
    click.echo(str(paths.pdf))
    click.echo(str(paths.zip))
