"""`palermo merge` (one file from the parts of several bodies) and `palermo sign-off`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from palermo.cli.base import catalog_options, cli, workspace
from palermo.errors import PalermoError

if TYPE_CHECKING:
    from palermo.merge import Disagreement, Merged


def _listed(disagreements: list[Disagreement], ws: object) -> list[str]:
    bank = getattr(ws, "bank", None)
    lines = []
    for item in disagreements:
        question = bank.questions.get(item.question) if bank is not None else None
        text = f": {question.text}" if question is not None else ""
        lines.append(f"  {item.question}{text[:70 - len(item.question)]}"
                     + ("…" if len(text) > 70 - len(item.question) else ""))
        lines.extend(f"    {n}. {version.describe()}"
                     for n, version in enumerate(item.versions, start=1))
    return lines


def _choose_interactively(disagreement: Disagreement) -> int:
    click.echo(f"{disagreement.question} is answered differently:")
    for number, version in enumerate(disagreement.versions, start=1):
        click.echo(f"  {number}. {version.describe()}")
    count = len(disagreement.versions)
    choice = click.prompt(f"Keep which answer (1-{count})", type=click.IntRange(1, count))
    return int(choice) - 1


@cli.command()
@click.argument("parts", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The State's answers file to write (its answers are merged too if it "
                   "exists).")
@click.option("--prefer", type=click.Path(dir_okay=False, path_type=Path),
              help="Where answers differ, this part's answer wins.")
@click.option("--interactive", is_flag=True,
              help="Where answers differ, choose one by one.")
@catalog_options
def merge(parts: tuple[Path, ...], output: Path, prefer: Path | None, interactive: bool,
          catalog_dir: Path | None, questionnaires_dir: Path | None) -> None:
    """Combine the answers files of one State (one per ministry) into one.

    Agreeing answers are combined: their citations and notes once each, every body that
    gave them named. Where the same question has different answers nothing is written:
    each disagreement is listed with the answers and who gave them, and the command exits
    with 1, unless --prefer FILE or --interactive settles it. A file that `git merge` left
    with conflict markers is read as its two sides.

    \b
    Examples:
      palermo merge justice.yaml interior.yaml maritime.yaml -o meridia.yaml
      palermo merge meridia.yaml -o meridia.yaml       # after a git merge with conflicts
      palermo merge justice.yaml interior.yaml -o meridia.yaml --prefer interior.yaml
    """
    from palermo.lock import InterviewLock
    from palermo.merge import merge_parts, read_parts

    ws = workspace(catalog_dir, questionnaires_dir)
    sources = list(dict.fromkeys(parts))
    if output.exists() and not any(_same(output, p) for p in sources):
        sources.insert(0, output)  # never overwrite what the output file already holds
        click.echo(f"{output} exists: its answers are merged too.", err=True)
    if prefer is not None and not any(_same(prefer, p) for p in sources):
        raise click.BadParameter(f"'{prefer}' is not one of the files merged",
                                 param_hint="'--prefer'")
    found = [part for path in sources for part in read_parts(path)]
    merged = merge_parts(found, prefer=str(prefer) if prefer else None,
                         choose=_choose_interactively if interactive else None)
    if merged.disagreements:
        count = len(merged.disagreements)
        click.echo(f"Error: {count} question(s) answered differently, so nothing was written:",
                   err=True)
        for line in _listed(merged.disagreements, ws):
            click.echo(line, err=True)
        click.echo("Settle them with --prefer FILE (that file's answer wins), --interactive "
                   "(choose one by one), or by changing the files.", err=True)
        sys.exit(1)
    with InterviewLock(output, by="palermo merge"):
        _write(ws, merged, output)
    click.echo(f"Merged {len(found)} part(s) into {output}: "
               f"{len(merged.answers.answers)} answers"
               + (f", {len(merged.combined)} agreeing answers combined" if merged.combined
                  else "")
               + (f", {len(merged.settled)} disagreement(s) settled" if merged.settled else "")
               + ".")


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _write(ws: object, merged: Merged, output: Path) -> None:
    from palermo.answers import HEADER
    from palermo.fsio import atomic_write
    from palermo.roundtrip import render
    from palermo.scope import scope_of
    from palermo.validate import validate_answers
    from palermo.yamlio import read_text

    answers = merged.answers
    report = validate_answers(ws, answers)  # type: ignore[arg-type]
    if report.errors:
        raise PalermoError(f"the merged answers do not fit the catalog: {report.errors[0]}")
    order = [q.id for q in scope_of(ws.catalog, ws.bank,  # type: ignore[attr-defined]
                                    answers.instruments).questions]
    previous = read_text(output, what="an answers file") if output.exists() else None
    if previous is not None and "\n<<<<<<<" in "\n" + previous:
        previous = None  # a file with conflict markers: written anew, in palermo's layout
    atomic_write(output, render(answers.to_dict(order), previous, HEADER))


@cli.command("sign-off")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--section", "sections", multiple=True, required=True, metavar="ID",
              help="The section cleared (som.sea, or sea); repeatable.")
@click.option("--by", "by", required=True, metavar="NAME",
              help="The focal point clearing it, e.g. 'National focal point, Ministry of "
                   "Foreign Affairs'.")
@catalog_options
def sign_off(file: Path, sections: tuple[str, ...], by: str, catalog_dir: Path | None,
             questionnaires_dir: Path | None) -> None:
    """Record the focal point's dated clearance of sections as their answers stand.

    A later change to any answer of a cleared section voids its clearance; reports mark
    uncleared sections as draft, and `palermo status` shows who cleared what.

    \b
    Example:
      palermo sign-off meridia.yaml --section som.sea --by "National focal point"
    """
    from palermo.assessment import open_assessment
    from palermo.progress import progress_of
    from palermo.scope import AnswerState, scope_of
    from palermo.signoff import resolve_section
    from palermo.signoff import sign_off as record
    from palermo.store import AnswersStore

    ws = workspace(catalog_dir, questionnaires_dir)
    store = AnswersStore(file)
    answers = open_assessment(ws, file).answers
    scope = scope_of(ws.catalog, ws.bank, answers.instruments)
    keys = [resolve_section(scope, s) for s in sections]
    progress = progress_of(AnswerState(scope, ws.bank, answers), set(keys))
    cleared = [record(answers, ws.bank, key, by) for key in keys]
    store.save(answers, [q.id for q in scope.questions])
    for clearance in cleared:
        tally = progress.sections.get(clearance.section)
        left = (tally.applying - tally.answered) if tally else 0
        click.echo(f"{clearance.section}: {clearance.describe()}"
                   + (f" ({left} question(s) of it still without an answer)" if left else ""))
