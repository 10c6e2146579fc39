"""complaint import-orders: read AliExpress order exports (any supported layout) and show or store them.
Each file goes through ``complaint.api.read_file``, as on the Import page."""

from __future__ import annotations

import click

from .. import api
from ..errors import CaseNotFound, ComplaintError
from ..i18n import _
from .options import (
    db_option,
    emit,
    format_option,
    progress,
    stored_case,
    stream_csv,
    stream_json_array,
    with_item,
)

TABLE_COLUMNS = ["file", "format", "order_id", "order_date", "status", "status_text", "total", "currency",
                 "refund_expected", "refund_reason", "store", "items"]


@click.command("import-orders")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@format_option("table", choices=("json", "csv", "table", "summary"))
@click.option("--importer", "importer", metavar="NAME",
              help="Force a layout, e.g. orders.shopper_inventory_csv (see the error of an ambiguous file).")
@click.option("--mapping", "mapping_path", type=click.Path(exists=True, dir_okay=False), metavar="PROFILE.json",
              help="Column-mapping profile for the generic importer (implies orders.generic_mapped).")
@click.option("--encoding", default=None, help="Text encoding (default: detected; utf-8, cp1252, latin-1...).")
@click.option("--delimiter", default=None, help="Column separator (default: detected; ',', ';', 'tab').")
@click.option("--currency", default=None, metavar="ISO",
              help="Currency for files that name none (GDPR data backup, bulk TSV exporter).")
@db_option
@click.option("--case", "case_name", metavar="NAME", help="Store the import in this case of --db (created if new).")
def command(files: tuple[str, ...], fmt: str, importer: str | None, mapping_path: str | None,
            encoding: str | None, delimiter: str | None, currency: str | None, db: str | None,
            case_name: str | None) -> None:
    """Read order export FILES and print the orders found, with rejected rows.

    \b
    Examples:
      complaint import-orders orders.csv --format json
      complaint import-orders backup.xlsx --currency EUR --db cases.sqlite --case "Sofa 2026" --format summary
      complaint import-orders odd.csv --importer orders.generic_mapped --mapping shop.json
    """
    mapping = api.load_mapping(mapping_path) if mapping_path else None
    if delimiter and delimiter.lower() in ("tab", "\\t"):
        delimiter = "\t"
    reports, errors = [], []
    for path in files:
        try:
            reports.append(api.read_file(path, "orders", importer=None if mapping else importer, mapping=mapping,
                                         encoding=encoding, delimiter=delimiter, currency=currency))
        except ComplaintError as exc:
            errors.append(str(exc))
    if errors:
        raise ComplaintError(" | ".join(errors))
    stored = {}
    if case_name:
        try:
            case = stored_case(db, case_name)
        except CaseNotFound:
            case = stored_case(db, case_name, create=True)
            progress(_("created case {name}", name=case_name))
        for r in reports:
            s = api.add_file(case, r)
            stored[r.file] = {"added": s.added, "updated": s.updated, "unchanged": s.unchanged,
                              "already_imported": s.already_imported}
            progress(_("{file}: {added} added, {updated} updated, {unchanged} unchanged", file=r.file,
                       added=s.added, updated=s.updated, unchanged=s.unchanged)
                     + (" " + _("(already imported)") if s.already_imported else ""))
    for r in reports:
        line = r.summary + ", " + _("{orders} orders, {warnings} warnings", orders=len(r.result.records),
                                    warnings=len(r.result.warnings))
        if fmt == "summary":  # the line on stdout, nothing else
            click.echo(line)
        else:
            progress(line)
    if fmt == "summary":
        return
    if fmt == "json":  # streamed, one order per line
        stream_json_array(with_item(r.json_items(), "stored", stored.get(r.file)) for r in reports)
        return
    rows = ({**row, "file": r.file, "format": r.format, "items": len(row["items"])}
            for r in reports for row in r.iter_records())
    if fmt == "csv":
        stream_csv(rows, TABLE_COLUMNS)
    else:
        emit(list(rows), fmt, TABLE_COLUMNS)
    for r in reports:
        for rej in r.rejected + r.skipped:
            progress(_("rejected: {file} row {row}: {reason}", file=r.file, row=rej["row"], reason=rej["reason"]))
