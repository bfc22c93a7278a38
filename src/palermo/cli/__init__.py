"""The `palermo` command: a thin layer over the library.

One module per command group. A module of this package registers its commands on the group
defined in `palermo.cli.base` (`@cli.command()`), and `base.COMMANDS` names the module of
each command: `palermo NAME` imports that module alone, and `palermo --help` lists every
command from the table without importing any.

Heavy libraries (python-docx, jinja2, jsonschema) and most of palermo are imported inside the
commands, so that `palermo --help` starts fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from palermo.cli.base import cli

__all__ = ["cli", "main"]


def main() -> None:
    """The `palermo` console command: one command, then the process ends."""
    from palermo import lifetime

    lifetime.start()  # before click and palermo load: see palermo.lifetime
    from palermo.cli.base import cli

    cli(prog_name="palermo")


def __getattr__(name: str) -> Any:
    # `palermo.cli.cli` is imported when first asked for, so that main() runs before click
    # and the rest of the command-line layer load.
    if name == "cli":
        from palermo.cli.base import cli

        return cli
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
