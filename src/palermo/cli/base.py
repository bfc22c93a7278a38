"""What every command shares: the group, the catalog options, instrument parsing, tables."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from palermo import __version__
from palermo.errors import PalermoError

if TYPE_CHECKING:
    from palermo.answers import AnswersFile
    from palermo.assessment import Assessment
    from palermo.workspace import Workspace

F = TypeVar("F", bound=Callable[..., Any])

PARTY_STATUSES = ("party", "signatory", "not_party")


class PalermoGroup(click.Group):
    """Turns every PalermoError into a one-line message and a non-zero exit, no traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        from palermo import cache
        from palermo.errors import printable
        from palermo.terminal import escaped_output

        with escaped_output():  # no terminal escape sequence from anyone's file reaches the screen
            try:
                result = super().invoke(ctx)
            except PalermoError as exc:
                raise click.ClickException(printable(str(exc), one_line=True)) from None
        cache.flush()  # only after success: nothing learnt from bad input is kept
        return result


@click.group(cls=PalermoGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="palermo")
def cli() -> None:
    """Legislative gap assessment against the UN Convention against Transnational
    Organized Crime (UNTOC) and its Protocols on trafficking in persons (tip), smuggling
    of migrants (som) and firearms.

    \b
    A typical assessment:
      palermo assess meridia.yaml --state "Meridia" --instruments som
      palermo status meridia.yaml
      palermo gaps meridia.yaml
      palermo report meridia.yaml -o gap-report.docx

    Every command takes --catalog DIR and --questionnaires DIR to work with a catalog of
    one's own.
    """


_FOLDER = click.Path(file_okay=False, path_type=Path)


def catalog_options(func: F) -> F:
    """`--catalog DIR` and `--questionnaires DIR`, passed as `catalog_dir`/`questionnaires_dir`."""
    func = click.option("--questionnaires", "questionnaires_dir", type=_FOLDER,
                        help="Questionnaires folder (default: beside --catalog, else bundled)."
                        )(func)
    func = click.option("--catalog", "catalog_dir", type=_FOLDER,
                        help="Obligation catalog folder (default: the bundled catalog).")(func)
    return func


def answers_file_command(name: str | None = None) -> Callable[[F], F]:
    """A command on one answers file: `palermo NAME FILE [--catalog DIR] [--questionnaires DIR]`."""

    def decorate(func: F) -> F:
        func = catalog_options(func)
        func = click.argument("file", type=click.Path(dir_okay=False, path_type=Path))(func)
        return cli.command(name)(func)  # type: ignore[return-value]

    return decorate


def listing_options(instruments_help: str) -> Callable[[F], F]:
    """What a listing takes: --instruments, --format table|json, and the catalog options."""

    def decorate(func: F) -> F:
        func = catalog_options(func)
        func = click.option("--format", "fmt", type=click.Choice(["table", "json"]),
                            default="table", show_default=True)(func)
        return instruments_option(instruments_help)(func)

    return decorate


def instruments_option(help_text: str) -> Callable[[F], F]:
    """`--instruments som,untoc` (repeatable, `-i`), passed as `instruments`.

    `--instrument`, the name some commands used before, is still accepted but not shown.
    """

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def merged(*args: Any, legacy_instruments: tuple[str, ...] = (),
                   **kwargs: Any) -> Any:
            kwargs["instruments"] = tuple(kwargs.get("instruments") or ()) + legacy_instruments
            return func(*args, **kwargs)

        wrapped = click.option("--instrument", "legacy_instruments", multiple=True,
                               hidden=True)(merged)
        wrapped = click.option("--instruments", "-i", "instruments", multiple=True,
                               metavar="LIST", help=help_text)(wrapped)
        return wrapped  # type: ignore[return-value]

    return decorate


def workspace(catalog_dir: Path | None, questionnaires_dir: Path | None) -> Workspace:
    from palermo.workspace import open_workspace

    return open_workspace(catalog_dir, questionnaires_dir)


def parse_instruments(ws: Workspace, values: tuple[str, ...]) -> list[str]:
    """`--instruments som,untoc` as well as repeated options, checked against the catalog."""
    known = ws.catalog.instruments
    found: list[str] = []
    for value in values:
        for item in value.split(","):
            item = item.strip().lower()
            if not item:
                continue
            if item not in known:
                raise click.BadParameter(f"'{item}' is not an instrument of the catalog "
                                         f"(expected one of: {', '.join(known)})",
                                         param_hint="'--instruments'")
            if item not in found:
                found.append(item)
    return found


def parse_party_status(ws: Workspace, values: tuple[str, ...]) -> dict[str, str]:
    """`--party som=not_party`, repeatable."""
    known = ws.catalog.instruments
    result = {}
    for value in values:
        instrument, _, status = value.partition("=")
        instrument, status = instrument.strip().lower(), status.strip().lower()
        if instrument not in known or status not in PARTY_STATUSES:
            raise click.BadParameter(
                f"'{value}' is not INSTRUMENT=STATUS (e.g. som=not_party; instrument: "
                f"{', '.join(known)}; status: {', '.join(PARTY_STATUSES)})",
                param_hint="'--party'")
        result[instrument] = status
    return result


def open_checked(ws: Workspace, file: Path) -> Assessment:
    """Open an assessment (every problem refuses it), tell its notes on stderr."""
    from palermo.assessment import open_assessment

    assessment = open_assessment(ws, file)
    for note in assessment.notes:
        click.echo(f"Note: {note}", err=True)
    return assessment


def load_checked(ws: Workspace, file: Path) -> AnswersFile:
    """The checked, normalised answers of a file (see open_checked)."""
    return open_checked(ws, file).answers


def table(rows: list[list[str]], headers: list[str]) -> str:
    """A plain-text table that fits the terminal: the last column gives way."""
    from palermo.layout import fit_table, width

    return fit_table(rows, headers, columns=width())


def short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
