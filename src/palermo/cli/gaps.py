"""`palermo gaps`: the status of every obligation, in the terminal or as a report on stdout."""

from __future__ import annotations

from pathlib import Path

import click

from palermo.cli.base import answers_file_command, open_checked, short, table, workspace
from palermo.report import TEXT_FORMATS

# The terminal table, or a text report format written to stdout by the report package.
GAPS_FORMATS = ("table", *TEXT_FORMATS)


@answers_file_command()
@click.option("--format", "fmt", type=click.Choice(GAPS_FORMATS), default="table",
              show_default=True,
              help="table for the terminal; any other format prints the report in it.")
@click.option("--only-gaps", is_flag=True,
              help="Only partially met and not met obligations (table only).")
def gaps(file: Path, fmt: str, only_gaps: bool, catalog_dir: Path | None,
         questionnaires_dir: Path | None) -> None:
    """Status of every obligation in scope, with findings.

    \b
    Example:
      palermo gaps meridia.yaml --only-gaps
      palermo gaps meridia.yaml --format markdown
    """

    if only_gaps and fmt != "table":
        raise click.UsageError("--only-gaps applies to --format table; a report in "
                               f"{fmt} always lists every obligation")
    ws = workspace(catalog_dir, questionnaires_dir)
    analysis = open_checked(ws, file).analyse(remember=True)
    if fmt != "table":
        from palermo.report import render_report

        click.echo(render_report(analysis, fmt=fmt).decode("utf-8"), nl=False)
        return
    results = [r for r in analysis.results if r.status.is_gap or not only_gaps]
    # An incomplete gap is decided by the answers given while questions are still open.
    rows = [[r.obligation.id, f"{r.status.symbol} {r.status.label}"
             + (f" ({len(r.open_questions)} open)" if r.incomplete else ""),
             r.priority.label if r.priority else "", short(" ".join(r.findings), 80)]
            for r in results]
    click.echo(table(rows, ["OBLIGATION", "STATUS", "PRIORITY", "FINDING"]))
    counts = analysis.counts()
    incomplete = sum(1 for r in analysis.results if r.incomplete)
    click.echo("\n" + " · ".join(f"{s.label}: {n}" for s, n in counts.items())
               + (f" · incomplete (questions open): {incomplete}" if incomplete else ""))
