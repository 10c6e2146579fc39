"""``complaint profile``: the buyer's details kept in a case, used by the letters."""

from __future__ import annotations

import click

from .. import api
from ..i18n import _
from .options import echo_record, record_format, stored_case, stored_case_options


@click.group("profile")
def command() -> None:
    """Your name, postal address, e-mail and letter language, kept in the case for the letters.

    \b
    Examples:
      complaint profile set --name "Lotte Janssens" --address "Diestsesteenweg 112, 3010 Kessel-Lo" --language nl --db cases.sqlite --case "Sofa 2026"
      complaint profile show --db cases.sqlite --case "Sofa 2026" --format json
    """


@command.command("show")
@stored_case_options
@record_format
def show(db, case_name, fmt) -> None:
    """Show the details kept in the case.

    \b
    Example:
      complaint profile show --db cases.sqlite --case "Sofa 2026"
    """
    p = api.profile(stored_case(db, case_name))
    lines = [f"{label}: {value or '-'}" for label, value in ((_("name"), p.name), (_("address"), p.address),
                                                              (_("e-mail"), p.email), (_("language"), p.language))]
    echo_record(p, fmt, "\n".join(lines))


@command.command("set")
@stored_case_options
@click.option("--name", default=None, help="Your full name.")
@click.option("--address", default=None, help="Your postal address (use \\n or a comma between lines).")
@click.option("--email", default=None, help="Your e-mail address.")
@click.option("--language", type=click.Choice(list(api.LETTER_LANGUAGES)), default=None,
              help="The language your letters are written in.")
@record_format
def set_(db, case_name, name, address, email, language, fmt) -> None:
    """Keep your details (only the options given change; "" clears one).

    \b
    Example:
      complaint profile set --email lotte@example.be --db cases.sqlite --case "Sofa 2026"
    """
    given = {k: v for k, v in {"name": name, "email": email, "language": language}.items() if v is not None}
    if address is not None:
        given["address"] = address.replace("\\n", "\n")
    if not given:
        raise click.UsageError(_("give at least one of --name, --address, --email, --language"))
    p = api.set_profile(stored_case(db, case_name), **given)
    echo_record(p, fmt, _("profile saved"))
