"""complaint cases: list, create, rename, delete, export and import whole cases; load the sample."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from .. import api
from ..i18n import _
from .options import as_of_option, db_option, emit, format_option, store_path


def _store(db: str | None):
    """The store named on the command line: the subcommand's --db, else the group's --db, and only
    then COMPLAINT_DB (``complaint cases --db X sample`` must not use the environment's store)."""
    ctx = click.get_current_context(silent=True)
    group_db = ctx.find_root().meta.get("cases_db") if ctx else None
    if ctx is not None and ctx.get_parameter_source("db") is click.core.ParameterSource.ENVIRONMENT:
        db = group_db or db
    return api.open_store(store_path(db or group_db))


def _case(db: str | None, name: str) -> api.CaseHandle:
    return api.open_case(name, db=_store(db), create=False)


@click.group("cases")
@db_option
@click.pass_context
def command(ctx: click.Context, db: str | None) -> None:
    """Manage the cases of a store.

    \b
    Examples:
      complaint cases --db cases.sqlite create "Sofa 2026" --as-of 2026-11-20
      complaint cases --db cases.sqlite list --format json
      complaint cases --db cases.sqlite export "Sofa 2026" --out sofa.case.zip
      complaint cases --db other.sqlite import sofa.case.zip
      complaint cases --db cases.sqlite sample
    """
    ctx.find_root().meta["cases_db"] = db


@command.command("list")
@db_option
@format_option("table")
def list_cases(db: str | None, fmt: str) -> None:
    """List the cases with their record counts.

    \b
    Example:
      complaint cases --db cases.sqlite list --format json
    """
    frame = api.list_cases(_store(db), counts=True)
    rows = [{"id": int(r["id"]), "name": r["name"], "created_at": r["created_at"].isoformat(timespec="seconds"),
             "as_of": r["as_of"].isoformat() if r["as_of"] else None, "orders": int(r["orders"]),
             "transactions": int(r["transactions"]), "evidence": int(r["evidence"])}
            for r in frame.to_dict("records")]
    emit(rows, fmt, ["id", "name", "created_at", "as_of", "orders", "transactions", "evidence"])


@command.command("create")
@db_option
@click.argument("name")
@as_of_option
def create(db: str | None, name: str, as_of: date | None) -> None:
    """Create an empty case NAME.

    \b
    Example:
      complaint cases --db cases.sqlite create "Sofa 2026" --as-of 2026-11-20
    """
    case = api.create_case(_store(db), name, as_of=as_of)
    click.echo(_("created case {name} (id {id})", name=case.name, id=case.id))


@command.command("rename")
@db_option
@click.argument("name")
@click.argument("new_name")
def rename(db: str | None, name: str, new_name: str) -> None:
    """Rename case NAME to NEW_NAME.

    \b
    Example:
      complaint cases --db cases.sqlite rename "Sofa 2026" "Sofa (refund)"
    """
    case = api.rename_case(_case(db, name), new_name)
    click.echo(_("renamed to {name}", name=case.name))


@command.command("delete")
@db_option
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def delete(db: str | None, name: str, yes: bool) -> None:
    """Delete case NAME and everything in it.

    \b
    Example:
      complaint cases --db cases.sqlite delete "Sofa 2026" --yes
    """
    case = _case(db, name)
    if not yes:
        click.confirm(_("Delete case {name} and all its data?", name=case.name), abort=True, err=True)
    api.delete_case(case)
    click.echo(_("deleted case {name}", name=case.name))


@command.command("export")
@db_option
@click.argument("name")
@click.option("--out", "out", type=click.Path(dir_okay=False), required=True, help="Case file to write (.zip).")
def export(db: str | None, name: str, out: str) -> None:
    """Export case NAME to one file (records + original evidence).

    \b
    Example:
      complaint cases --db cases.sqlite export "Sofa 2026" --out sofa.zip
    """
    data = api.export_case(_case(db, name))
    Path(out).write_bytes(data)
    click.echo(_("wrote {path} ({size} bytes)", path=out, size=len(data)))


@command.command("import")
@db_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--name", default=None, help="Name of the new case (default: the name in the file).")
def import_(db: str | None, file: str, name: str | None) -> None:
    """Import a case file made by `complaint cases export`.

    \b
    Example:
      complaint cases --db other.sqlite import sofa.zip --name "Sofa 2026 (copy)"
    """
    case = api.import_case(_store(db), file, name=name)
    click.echo(_("imported case {name} (id {id})", name=case.name, id=case.id))


@command.command("sample")
@db_option
@click.option("--name", default=None, help="Name of the case (default: 'Sample case').")
def sample(db: str | None, name: str | None) -> None:
    """Load the bundled sample case into the store (once; it is reused if it exists).

    \b
    Example:
      complaint cases --db cases.sqlite sample
      complaint reconcile --db cases.sqlite --case "Sample case" --format table
    """
    case = api.open_sample(_store(db), **({"name": name} if name else {}))
    click.echo(_("sample case ready: {name} (id {id})", name=case.name, id=case.id))
