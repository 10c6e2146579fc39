"""The ``complaint`` command (also ``python -m complaint``).

Subcommands live in ``complaint/cli/<name>.py`` (one module per command, each defining ``command``,
or ``COMMANDS`` when it holds more than one) and are discovered automatically; each is a thin
wrapper over one :mod:`complaint.api` function.  Errors the user can act on (ComplaintError) become one
line on stderr and exit code 2, in this one place; anything else is a bug and shows a traceback.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import click

from ..errors import ComplaintError
from ..i18n import _, set_language


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ComplaintError as exc:
            raise _UsageExit(str(exc)) from exc
        except click.UsageError as exc:  # bad arguments: the same one line as any unusable input
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
            raise _UsageExit(" ".join(exc.format_message().split()) + hint) from exc


class _UsageExit(click.ClickException):
    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(_("error: {message}", message=self.format_message()), err=True)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="complaint-notebook")
@click.option("--lang", type=click.Choice(["en", "fr", "nl", "de"]), default=None,
              help="Language of messages (default: English; COMPLAINT_LANG).", envvar="COMPLAINT_LANG")
def cli(lang: str | None) -> None:
    """complaint-notebook: evidence and refund reconciliation for AliExpress disputes.

    \b
    Examples:
      complaint import-orders sample_data/orders/aliexpress_orders.csv --format table
      complaint reconcile --orders orders.csv --bank kbc.csv --as-of 2026-11-20 --format json
      complaint cases --db cases.sqlite list
      complaint promise add 8116516504403817 14,90 --by dispute --db cases.sqlite --case "Sample case"
      complaint summary --db cases.sqlite --case "Sample case"
    """
    if lang:
        set_language(lang)


def _register() -> None:
    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if mod.name.startswith("_") or mod.name == "options":
            continue
        module = importlib.import_module(f"{__name__}.{mod.name}")
        for command in getattr(module, "COMMANDS", [getattr(module, "command", None)]):
            if isinstance(command, click.Command):
                cli.add_command(command)


_register()


def main(argv: list[str] | None = None) -> None:
    cli.main(args=argv, prog_name="complaint", standalone_mode=True)


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
