"""`palermo status` (progress) and `palermo validate` (check an answers file)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from palermo.cli.base import catalog_options, cli, table, workspace


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@catalog_options
def status(file: Path, catalog_dir: Path | None, questionnaires_dir: Path | None) -> None:
    """Progress of an assessment, section by section.

    \b
    Example:
      palermo status meridia.yaml
    """
    from palermo.answers import load_answers
    from palermo.scope import AnswerState, scope_of
    from palermo.validate import validate_answers

    ws = workspace(catalog_dir, questionnaires_dir)
    answers = load_answers(file)
    report = validate_answers(ws, answers)
    if report.errors:
        raise report.errors[0]
    state = AnswerState(scope_of(ws.catalog, ws.bank, answers.instruments), ws.bank, answers)
    shown = state.shown()
    rows: dict[tuple[str, str], list[int]] = {}
    for q in shown:
        entry = answers.answers.get(q.id)
        tally = rows.setdefault((q.instrument, q.section_title), [0, 0, 0])
        tally[0] += 1
        if entry is not None and entry.skipped:
            tally[2] += 1
        elif entry is not None:
            tally[1] += 1
    click.echo(f"{answers.state} · {', '.join(answers.instruments)} · {file}")
    lines = [[inst, title, f"{a}/{n}", str(s) if s else ""] for (inst, title), (n, a, s)
             in rows.items()]
    click.echo(table(lines, ["INSTRUMENT", "SECTION", "ANSWERED", "SKIPPED"]))
    answered = sum(v[1] for v in rows.values())
    click.echo(f"\n{answered}/{len(shown)} questions answered")
    for note in report.notes:
        click.echo(f"Note: {note}")
    if report.waiting and not report.notes:
        click.echo(f"Next: {report.waiting[0]} (palermo assess {file})")


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@catalog_options
def validate(file: Path, catalog_dir: Path | None, questionnaires_dir: Path | None) -> None:
    """Check an answers file: schema, question ids and answer values.

    \b
    Example:
      palermo validate meridia.yaml
    """
    from palermo.answers import load_answers
    from palermo.validate import validate_answers

    ws = workspace(catalog_dir, questionnaires_dir)
    answers = load_answers(file)
    report = validate_answers(ws, answers)
    for error in report.errors:
        click.echo(f"Error: {error}", err=True)
    if report.errors:
        sys.exit(1)
    for note in report.notes:
        click.echo(f"Note: {note}")
    click.echo(f"{file}: valid ({len(answers.answers)} answers, "
               f"{len(report.waiting)} questions waiting).")
