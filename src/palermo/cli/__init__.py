"""The `palermo` command: a thin layer over the library.

One module per command group. A module of this package registers its commands on the group
defined in `palermo.cli.base` (`@cli.command()`); every module here whose name does not start
with an underscore is imported when the command starts, so a new command is a new module and
nothing else.

Heavy libraries (python-docx, jinja2, jsonschema) and most of palermo are imported inside the
commands, so that `palermo --help` starts fast.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from palermo.cli.base import cli

__all__ = ["cli", "main"]


def _register_commands() -> None:
    # The package's own files (pkgutil would cost more than the listing itself).
    for module in sorted(p.stem for p in Path(__file__).parent.glob("*.py")):
        if not module.startswith("_") and module != "base":
            importlib.import_module(f"{__name__}.{module}")


_register_commands()


def main() -> None:
    cli(prog_name="palermo")
