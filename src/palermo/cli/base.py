"""What every command shares: the group, the catalog options, instrument parsing, tables."""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Iterator, MutableMapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from palermo import __version__, lifetime
from palermo.errors import PalermoError

if TYPE_CHECKING:
    from palermo.answers import AnswersFile
    from palermo.assessment import Assessment
    from palermo.workspace import Workspace

F = TypeVar("F", bound=Callable[..., Any])

PARTY_STATUSES = ("party", "signatory", "not_party")


# Every command: its name -> (the module of this package that defines it, the first paragraph
# of its help). `palermo NAME` imports only NAME's module; `palermo --help` lists the commands
# from this table without importing any. tests/test_cli_table.py checks it against the modules.
COMMANDS: dict[str, tuple[str, str]] = {
    "answer": ("answering", "Set one answer without prompts, for scripts."),
    "assess": ("answering", "Interview: answer the questions that apply, one at a time."),
    "catalog": ("catalog", "Browse, check and compare the obligation catalog."),
    "compare": ("compare", "What changed between two assessments of one State."),
    "gaps": ("gaps", "Status of every obligation in scope, with findings."),
    "matrix": ("matrix", "Where a region stands: a States × obligations grid of statuses."),
    "merge": ("ministries",
              "Combine the answers files of one State (one per ministry) into one."),
    "questions": ("questions", "List the questions an assessment asks, in interview order."),
    "report": ("report", "Write the gap report (Word by default; PDF, Excel, Markdown, HTML, "
                         "JSON or CSV)."),
    "sign-off": ("ministries",
                 "Record the focal point's dated clearance of sections as their answers stand."),
    "status": ("checking", "Progress of an assessment, section by section."),
    "validate": ("checking",
                 "Check an answers file: schema, question ids and answer values; every problem."),
}


class LazyCommands(MutableMapping[str, click.Command]):
    """The group's commands, each module imported when one of its commands is first asked for.

    Names (iteration, `in`, suggestions for a misspelt command) come from the table alone;
    reading a command imports its module, whose `@cli.command()` stores it here.
    """

    def __init__(self, table: dict[str, tuple[str, str]]) -> None:
        self.table = table
        self.loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self.loaded and name in self.table:
            importlib.import_module(f"{__package__}.{self.table[name][0]}")
        return self.loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self.loaded[name] = command

    def __delitem__(self, name: str) -> None:
        del self.loaded[name]

    def __contains__(self, name: object) -> bool:
        return name in self.table or name in self.loaded

    def __iter__(self) -> Iterator[str]:
        yield from self.table
        yield from (name for name in self.loaded if name not in self.table)

    def __len__(self) -> int:
        return len(self.table.keys() | self.loaded.keys())

    def summary(self, name: str) -> click.Command:
        """The command if loaded, else a stand-in carrying the table's help (for listings)."""
        if name in self.loaded or name not in self.table:
            return self[name]
        return click.Command(name, help=self.table[name][1])


class PalermoGroup(click.Group):
    """Turns every PalermoError into a one-line message and a non-zero exit, no traceback."""

    commands: LazyCommands

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """click's listing of the commands, from the table: no command module is imported."""
        from gettext import gettext as _

        commands = [(name, self.commands.summary(name)) for name in self.list_commands(ctx)]
        commands = [(name, command) for name, command in commands if not command.hidden]
        if commands:
            limit = formatter.width - 6 - max(len(name) for name, _command in commands)
            rows = [(name, command.get_short_help_str(limit)) for name, command in commands]
            with formatter.section(_("Commands")):
                formatter.write_dl(rows)

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


@click.group(cls=PalermoGroup, commands=LazyCommands(COMMANDS),
             context_settings={"help_option_names": ["-h", "--help"]})
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

    ws = open_workspace(catalog_dir, questionnaires_dir)
    # In the `palermo` process, the modules and the workspace now loaded live until it ends.
    lifetime.loaded()
    return ws


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
