"""CLI subcommands, one module each; every module defines ``command`` (a click.Command)."""
