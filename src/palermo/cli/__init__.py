"""The `palermo` command: a thin layer over the library.

One module per command group. A module of this package registers its commands on the group
defined in `palermo.cli.base` (`@cli.command()`), and `base.COMMANDS` names the module of
each command: `palermo NAME` imports that module alone, and `palermo --help` lists every
command from the table without importing any.

Heavy libraries (python-docx, jinja2, jsonschema) and most of palermo are imported inside the
commands, so that `palermo --help` starts fast.
"""

from __future__ import annotations

from palermo.cli.base import cli

__all__ = ["cli", "main"]


def main() -> None:
    from palermo.cli import base

    base.ONE_COMMAND_PROCESS = True
    cli(prog_name="palermo")
