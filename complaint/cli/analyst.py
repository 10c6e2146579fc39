"""``complaint analyst``: missing refunds across every case of a store, by store, payment method or month."""

from __future__ import annotations

from datetime import date

import click

from .. import api
from .options import as_of_option, db_option, emit, format_option, progress_callback, store_path


@click.command("analyst")
@db_option
@as_of_option
@click.option("--by", "by", type=click.Choice([*api.ANALYST_GROUPINGS, "detail"]), default="store",
              show_default=True,
              help="Group the missing refunds by store, payment method or month; 'detail' lists them all.")
@format_option("table")
def command(db: str | None, as_of: date | None, by: str, fmt: str) -> None:
    """Refunds still missing across every case of a store, worst offenders first.

    Each case is reconciled (as of --as-of, else the case's own date or today); the overdue and
    pending refunds are summed per store/seller, payment method or month (the month the refund
    became expected).

    \b
    Examples:
      complaint analyst --db cases.sqlite --by store
      complaint analyst --db cases.sqlite --by month --as-of 2026-11-20 --format csv
    """
    tables = api.overview_all(api.open_store(store_path(db)), as_of=as_of, progress=progress_callback)
    frame = tables[by]
    columns = list(frame.columns) if by == "detail" else [by, *api.ANALYST_GROUP_COLUMNS]
    rows = [{c: _plain(r[c]) for c in columns} for r in frame.to_dict("records")]
    emit(rows, fmt, columns)


def _plain(value):
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, date):
        return value.isoformat()
    return value
