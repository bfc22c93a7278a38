"""`palermo matrix`: a States × obligations grid of many assessments."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from palermo.cli.base import catalog_options, cli, instruments_option, workspace
from palermo.writers import MATRIX_FORMATS


def _values(values: tuple[str, ...]) -> tuple[str, ...]:
    """Repeatable options that also take comma-separated lists."""
    return tuple(dict.fromkeys(v.strip().lower() for value in values for v in value.split(",")
                               if v.strip()))


@cli.command()
@click.argument("states", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write: .xlsx, .html, .docx, .md, .csv or .json. Default: "
                   "totals in the terminal.")
@click.option("--format", "fmt",
              type=click.Choice(MATRIX_FORMATS),
              help="Output format (default: from the output file's extension, else table).")
@instruments_option("Only these instruments' obligations, e.g. som or untoc,tip.")
@click.option("--category", "categories", multiple=True, metavar="LIST",
              help="Only these categories: criminalization, prevention, protection, "
                   "cooperation, notification.")
@click.option("--strength", "strengths", multiple=True, metavar="LIST",
              help="Only these strengths: mandatory, qualified, consider, optional.")
@click.option("--binding-only", is_flag=True,
              help="Leave out what does not bind a State (not a party, or a signatory).")
@catalog_options
def matrix(states: tuple[Path, ...], output: Path | None, fmt: str | None,
           instruments: tuple[str, ...], categories: tuple[str, ...],
           strengths: tuple[str, ...], binding_only: bool, catalog_dir: Path | None,
           questionnaires_dir: Path | None) -> None:
    """Where a region stands: a States × obligations grid of statuses.

    STATES are answers files, one per State, or folders of them. Each row totals a State
    (met, partial, not met, open); each column counts the States that have the gap. A bad
    file, or a second file of the same State, is reported and left out; the exit code is
    then 1.

    \b
    Examples:
      palermo matrix examples/regional/
      palermo matrix examples/regional/ -o region.xlsx --binding-only
      palermo matrix states/*.yaml -o region.html --instruments som --strength mandatory
    """
    from palermo.matrix import Filters, build_matrix, expand
    from palermo.writers import check_output, choose_format, render_matrix, write_output

    chosen = choose_format(MATRIX_FORMATS, fmt, output)
    if chosen in ("xlsx", "docx") and output is None:
        raise click.UsageError(f"a {chosen.upper()} grid needs -o FILE.{chosen}")
    ws = workspace(catalog_dir, questionnaires_dir)
    files = expand(list(states))
    if output is not None:
        check_output(ws, output, files)
    filters = Filters(_values(instruments), _values(categories), _values(strengths),
                      binding_only)
    if sys.stderr.isatty():
        from palermo.terminal import raw  # the bar's own cursor codes, not escaped

        with click.progressbar(length=len(files), label="Reading assessments",
                               file=raw(sys.stderr), show_pos=True) as bar:
            grid = build_matrix(ws, files, filters=filters,
                                progress=lambda _done, _total: bar.update(1))
    else:
        grid = build_matrix(ws, files, filters=filters)
    if not grid.rows:
        for failure in grid.failures:
            click.echo(f"Error: {failure}", err=True)
        raise click.ClickException("no assessment could be read: nothing to show")
    data = render_matrix(grid, chosen)
    if output is None:
        click.echo(data.decode("utf-8-sig"), nl=False)
    else:
        write_output(output, data)
        click.echo(f"Wrote {output}: {len(grid.rows)} States × {len(grid.columns)} obligations")
    for failure in grid.failures:
        click.echo(f"Error: {failure}", err=True)  # one line each
    if grid.failures:
        sys.exit(1)
