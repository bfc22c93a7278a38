"""`palermo status` (progress) and `palermo validate` (check an answers file)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from palermo.cli.base import answers_file_command, workspace


@answers_file_command()
def status(file: Path, catalog_dir: Path | None, questionnaires_dir: Path | None) -> None:
    """Progress of an assessment, section by section.

    \b
    Example:
      palermo status meridia.yaml
    """
    from palermo.assessment import open_assessment
    from palermo.layout import fit_table
    from palermo.progress import progress_of
    from palermo.scope import AnswerState, scope_of
    from palermo.signoff import clearances

    ws = workspace(catalog_dir, questionnaires_dir)
    assessment = open_assessment(ws, file)
    answers = assessment.answers
    scope = scope_of(ws.catalog, ws.bank, answers.instruments)
    progress = progress_of(AnswerState(scope, ws.bank, answers))
    cleared = clearances(answers, scope, ws.bank)
    marks = {"cleared": "yes", "void": "void", "uncleared": ""}
    rows = [[tally.title, key, f"{tally.answered}/{tally.applying}",
             str(tally.skipped) if tally.skipped else "", marks[cleared[key].state]]
            for key, tally in progress.sections.items()]
    click.echo(f"{answers.state} · {', '.join(answers.instruments)} · {file}")
    click.echo(fit_table(rows, ["SECTION", "ID", "ANSWERED", "SKIPPED", "CLEARED"],
                         shrink=(0, 1)))
    click.echo(f"\n{len(progress.answered)}/{len(progress.applying)} questions answered"
               + (f", {len(progress.skipped)} skipped" if progress.skipped else ""))
    for body, keys in _by_body(answers.assignments).items():
        done = sum(progress.sections[k].answered for k in keys if k in progress.sections)
        total = sum(progress.sections[k].applying for k in keys if k in progress.sections)
        click.echo(f"{body}: {done}/{total} answered ({', '.join(keys)})")
    for key, state in cleared.items():
        if state.state != "uncleared":
            click.echo(f"{key}: {state.describe()}")
    if answers.clearances:
        count = sum(1 for c in cleared.values() if c.cleared)
        click.echo(f"{count} of {len(cleared)} sections cleared; reports mark the others as "
                   "draft.")
    for note in assessment.notes:
        click.echo(f"Note: {note}")
    if assessment.waiting and not assessment.notes:
        click.echo(f"Next: {assessment.waiting[0]} (palermo assess {file})")


def _by_body(assignments: dict[str, str]) -> dict[str, list[str]]:
    bodies: dict[str, list[str]] = {}
    for key, body in assignments.items():
        bodies.setdefault(body, []).append(key)
    return bodies


@answers_file_command()
def validate(file: Path, catalog_dir: Path | None, questionnaires_dir: Path | None) -> None:
    """Check an answers file: schema, question ids and answer values; every problem.

    \b
    Example:
      palermo validate meridia.yaml
    """
    from palermo.assessment import check_assessment

    ws = workspace(catalog_dir, questionnaires_dir)
    assessment, problems = check_assessment(ws, file)
    for error in problems:
        click.echo(f"Error: {error}", err=True)
    if assessment is None:
        sys.exit(1)
    for note in assessment.notes:
        click.echo(f"Note: {note}")
    click.echo(f"{file}: valid ({len(assessment.answers.answers)} answers, "
               f"{len(assessment.waiting)} questions waiting).")
