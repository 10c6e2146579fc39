"""``complaint summary``: the case at a glance (what the Overview page shows)."""

from __future__ import annotations

import click

from .. import api
from ..i18n import _
from ..serialize import to_jsonable
from .options import case_inputs, emit, load_inputs, stored_case


@click.command("summary")
@case_inputs
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="table", show_default=True,
              help="table: figures, next steps and deadlines; json: all of it in one object.")
def command(fmt: str, **inputs) -> None:
    """The case at a glance: paid, refunds expected and credited, what is missing, what to do next.

    \b
    Examples:
      complaint summary --db cases.sqlite --case "Sofa 2026"
      complaint summary --orders orders.csv --bank kbc.csv --as-of 2026-11-20 --format json
    """
    if inputs.get("case_name") and not (inputs.get("orders") or inputs.get("bank") or inputs.get("evidence")):
        case = stored_case(inputs.get("db"), inputs["case_name"])  # the kept summary is reused when current
    else:
        case = load_inputs(**inputs)
    figures = api.case_summary(case, inputs.get("as_of"))
    if fmt == "json":
        emit(figures, "json")
        return
    ov = figures.overview
    emit([{"figure": k, "value": to_jsonable(getattr(ov, k))} for k in (
        "orders", "transactions", "evidence", "paid_eur", "refunds_expected_eur", "refunds_credited_eur",
        "missing_count", "missing_eur", "overdue_count", "overdue_eur", "rejected_rows")], "table", ["figure", "value"])
    click.echo("")
    click.echo(_("What to do next"))
    emit([{"order": s.order_id, "step": s.text} for s in ov.steps], "table", ["order", "step"])
    click.echo("")
    click.echo(_("Coming deadlines"))
    emit([{"date": d.date.isoformat(), "order": d.order_id, "what": d.label} for d in figures.upcoming], "table",
         ["date", "order", "what"])
