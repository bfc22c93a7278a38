"""`palermo assess` (the interview) and `palermo answer` (one answer, for scripts)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from palermo.cli.base import (
    catalog_options,
    cli,
    load_checked,
    parse_instruments,
    parse_party_status,
    workspace,
)
from palermo.errors import PalermoError

if TYPE_CHECKING:
    from palermo.answers import AnswersFile
    from palermo.workspace import Workspace

F = TypeVar("F", bound=Callable[..., Any])


def open_or_create(ws: Workspace, file: Path, state: str | None, instruments: list[str],
                   assessor: str | None, party: dict[str, str]) -> AnswersFile:
    """The assessment in `file`, or a new one when the file does not exist yet."""
    from palermo.answers import new_answers

    if file.exists():
        answers = load_checked(ws, file)
        if state and state.strip() != answers.state:
            raise PalermoError(f"{file}: this is the assessment of {answers.state}, not "
                               f"{state.strip()} (use another file for another State)")
        for instrument in instruments:
            if instrument not in answers.instruments:
                answers.instruments.append(instrument)
        answers.party_status.update(party)
        if assessor:
            answers.assessor = assessor
        return answers
    if not state or not instruments:
        raise PalermoError(f"{file}: file not found; to start a new assessment give --state "
                           f"NAME and --instruments ({', '.join(ws.catalog.instruments)})")
    return new_answers(state, instruments, catalog_version=ws.catalog.version,
                       assessor=assessor, party_status=party)


def new_file_options(func: F) -> F:
    """What a new answers file needs: --state, --instruments, --assessor, --party."""
    func = click.option("--party", "party", multiple=True, metavar="INSTRUMENT=STATUS",
                        help="Party status: party (default), signatory or not_party.")(func)
    func = click.option("--assessor", help="Who carries out the assessment.")(func)
    func = click.option("--instruments", "-i", "instruments", multiple=True, metavar="LIST",
                        help="Instruments to assess, e.g. som or untoc,som.")(func)
    func = click.option("--state", help="The State assessed (needed for a new file).")(func)
    return func


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@new_file_options
@click.option("--revisit-skipped", is_flag=True, help="Ask the questions skipped before again.")
@catalog_options
def assess(file: Path, state: str | None, instruments: tuple[str, ...], assessor: str | None,
           party: tuple[str, ...], revisit_skipped: bool, catalog_dir: Path | None,
           questionnaires_dir: Path | None) -> None:
    """Interview: answer the questions that apply, one at a time.

    Saves after every answer; stop any time (q, Ctrl-C or end of input) and run the same
    command again to continue where you stopped. At a prompt: ? help, s skip, b back,
    q save and quit.

    \b
    Example:
      palermo assess meridia.yaml --state "Meridia" --instruments som
    """
    from palermo.interview import COMMANDS_HELP, Interview

    ws = workspace(catalog_dir, questionnaires_dir)
    answers = open_or_create(ws, file, state, parse_instruments(ws, instruments), assessor,
                             parse_party_status(ws, party))
    interview = Interview(ws, answers, file, revisit_skipped=revisit_skipped)
    interview.save()
    click.echo(f"Assessment of {answers.state}: {', '.join(answers.instruments)} · {file}")
    click.echo(COMMANDS_HELP)

    def ask(prompt: str) -> str:
        return str(click.prompt(prompt, default="", show_default=False, prompt_suffix=": "))

    try:
        complete = interview.run(ask, click.echo)
    except (click.Abort, KeyboardInterrupt, EOFError):
        click.echo("")
        click.echo(f"Interview paused: your answers are saved in {file}. "
                   "Run the same command to continue.", err=True)
        sys.exit(130)
    if complete:
        click.echo(f"\nEvery question that applies has an answer. Next: palermo gaps {file}")
    else:
        click.echo(f"\nSaved in {file}. Run the same command to continue.")


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("question_id")
@click.argument("value")
@click.option("--citation", "citations", multiple=True,
              help="A domestic provision, e.g. 'Immigration Act 2007, s. 12(1)'; repeatable.")
@click.option("--note", help="A note kept with the answer.")
@new_file_options
@catalog_options
def answer(file: Path, question_id: str, value: str, citations: tuple[str, ...],
           note: str | None, state: str | None, instruments: tuple[str, ...],
           assessor: str | None, party: tuple[str, ...], catalog_dir: Path | None,
           questionnaires_dir: Path | None) -> None:
    """Set one answer without prompts, for scripts.

    VALUE is yes/partly/no/unknown, an option value (comma-separated for
    multiple choice), a date or text.

    \b
    Example:
      palermo answer meridia.yaml som.smuggling_offence yes \\
        --citation "Immigration Act 2007, s. 12(1)"
    """
    from palermo.answers import save_answers, set_answer
    from palermo.scope import scope_of

    ws = workspace(catalog_dir, questionnaires_dir)
    question = ws.bank.get(question_id.strip())
    answers = open_or_create(ws, file, state, parse_instruments(ws, instruments), assessor,
                             parse_party_status(ws, party))
    entry = set_answer(answers, question, value, citations=list(citations) if citations else None,
                       note=note)
    order = [q.id for q in scope_of(ws.catalog, ws.bank, answers.instruments).questions]
    save_answers(answers, file, order)
    click.echo(f"{question.id}: {question.label(entry.value)}")
