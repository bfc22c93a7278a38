"""`palermo assess` (the interview) and `palermo answer` (one answer, for scripts)."""

from __future__ import annotations

import contextlib
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
                   assessor: str | None, party: dict[str, str],
                   formal_name: str | None = None) -> AnswersFile:
    """The assessment in `file`, or a new one when the file does not exist yet."""
    from palermo.answers import new_answers

    if file.exists():
        answers = load_checked(ws, file)
        if state and state.strip() != answers.state:
            raise PalermoError(f"{file}: this is the assessment of {answers.state}, not "
                               f"{state.strip()} (use another file for another State)")
        if formal_name:
            answers.formal_name = checked_formal_name(formal_name)
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
    answers = new_answers(state, instruments, catalog_version=ws.catalog.version,
                          assessor=assessor, party_status=party)
    if formal_name:
        answers.formal_name = checked_formal_name(formal_name)
    return answers


def checked_formal_name(name: str) -> str:
    """The formal name as reports print it: 'the Republic of Testland', within the schema's
    limits (reports capitalise it at the start of a sentence themselves)."""
    from palermo.schemacheck import value_errors

    name = " ".join(name.split())
    problems = value_errors(name, "answers", "properties", "formal_name") if name else []
    if problems:
        raise PalermoError(f"--formal-name: {problems[0]}")
    return name


def ask_new_assessment(ws: Workspace, file: Path, state: str | None, formal_name: str | None,
                       instruments: list[str]) -> tuple[str | None, str | None, list[str]]:
    """For a new file in a terminal: ask for the State's short and formal names and the
    instruments to assess, where --state, --formal-name and --instruments did not give them."""
    if file.exists() or not sys.stdin.isatty():
        return state, formal_name, instruments
    if not state:
        state = ask_line("Short name of the State, as reports use it (e.g. Testland)").strip()
    if not formal_name:
        formal_name = ask_line("Formal name with its article, e.g. the Republic of Testland "
                               "(Enter to skip)").strip() or None
    if state and not instruments:
        instruments = ask_instruments(ws)
    return state or None, formal_name, instruments


def ask_instruments(ws: Workspace) -> list[str]:
    """The instruments to assess, asked until the answer names some of the catalog's."""
    codes = ws.catalog.instruments
    click.echo("The catalog's instruments:")
    wide = max(len(code) for code in codes)
    for code in codes:
        click.echo(f"  {code:<{wide}}  {ws.catalog.instrument(code).short_title}")
    while True:
        typed = ask_line("Instruments to assess, separated by commas (e.g. som or untoc,som)")
        try:
            chosen = parse_instruments(ws, (typed,))
        except click.BadParameter as exc:
            say(exc.message)
            continue
        if chosen:
            return chosen


def confirm_removals(ws: Workspace, answers: AnswersFile, wanted: list[str]) -> None:
    """`--instruments` without an instrument the file has: remove it once the user agrees."""
    from palermo.scope import scope_of

    if not wanted:
        return
    for instrument in [i for i in answers.instruments if i not in wanted]:
        remaining = [i for i in answers.instruments if i != instrument]
        if not remaining:
            continue
        dropped = (scope_of(ws.catalog, ws.bank, answers.instruments).ids
                   - scope_of(ws.catalog, ws.bank, remaining).ids)
        given = [a for qid, a in answers.answers.items() if qid in dropped]
        bodies = sorted({a.by for a in given if a.by})
        whose = f" (by {', '.join(bodies)})" if bodies else ""
        click.echo(f"This assessment covers {', '.join(answers.instruments)}; --instruments "
                   f"leaves out {instrument}.")
        click.echo(f"The {len(given)} answer(s) already given to questions only {instrument} "
                   f"asks{whose} stay in {answers.path or 'the file'}, unused; they count "
                   f"again if {instrument} is added back.")
        try:
            remove = click.confirm(f"Remove {instrument} from the assessment?", default=False)
        except click.Abort:
            remove = False
        if remove:
            answers.instruments.remove(instrument)
            click.echo(f"Removed {instrument}.")
        else:
            click.echo(f"Kept {instrument}.")


def interview_sections(ws: Workspace, answers: AnswersFile, file: Path, sections: tuple[str, ...],
                       body: str | None) -> list[str] | None:
    """The sections `--section` and `--as` leave to ask (None: all of them)."""
    from palermo.scope import scope_of
    from palermo.signoff import resolve_section, sections_for

    scope = scope_of(ws.catalog, ws.bank, answers.instruments)
    chosen = [resolve_section(scope, s) for s in sections] or None
    if body is None:
        return chosen
    assigned = sections_for(answers, body)
    if not assigned:
        bodies = sorted(set(answers.assignments.values()))
        raise PalermoError(
            f"{file}: no section is assigned to '{body}'" + (
                f" (assigned to: {'; '.join(bodies)})" if bodies else
                "; the file has no `assignments:` (give each section to a body, e.g. "
                "'  som.sea: Maritime Authority')"))
    if chosen is None:
        return assigned
    outside = [s for s in chosen if s not in assigned]
    if outside:
        raise PalermoError(f"{file}: {', '.join(outside)} is not assigned to '{body}' "
                           f"(its sections: {', '.join(assigned)})")
    return chosen


def new_file_options(func: F) -> F:
    """What a new answers file needs: --state, --instruments, --assessor, --party."""
    func = click.option("--party", "party", multiple=True, metavar="INSTRUMENT=STATUS",
                        help="Party status: party (default), signatory or not_party.")(func)
    func = click.option("--assessor", help="Who carries out the assessment.")(func)
    func = click.option("--instruments", "-i", "instruments", multiple=True, metavar="LIST",
                        help="Instruments to assess, e.g. som or untoc,som (a new file "
                             "needs them; the interview asks at a terminal).")(func)
    func = click.option("--formal-name", "formal_name", metavar="NAME",
                        help='The formal name with its article: "the Republic of Meridia".'
                        )(func)
    func = click.option("--state", help="The State's short name, as reports use it (a new "
                        "file needs it; the interview asks at a terminal).")(func)
    return func


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@new_file_options
@click.option("--revisit-skipped", is_flag=True, help="Ask the questions skipped before again.")
@click.option("--section", "sections", multiple=True, metavar="ID",
              help="Answer only this section (som.sea, or sea); repeatable.")
@click.option("--as", "body", metavar="BODY",
              help="Answer as this body: only the sections `assignments:` gives it; every "
                   "answer records it (by:).")
@catalog_options
def assess(file: Path, state: str | None, formal_name: str | None,
           instruments: tuple[str, ...], assessor: str | None, party: tuple[str, ...],
           revisit_skipped: bool, sections: tuple[str, ...],
           body: str | None, catalog_dir: Path | None, questionnaires_dir: Path | None) -> None:
    """Interview: answer the questions that apply, one at a time.

    Saves after every answer; stop any time (q, Ctrl-C or end of input) and run the same
    command again to continue where you stopped. At every prompt: ? help, s skip, b back,
    n note, q save and quit. One interview at a time holds the file (FILE.lock beside it).

    \b
    Examples:
      palermo assess meridia.yaml --state "Meridia" --instruments som
      palermo assess meridia.yaml --section som.sea
      palermo assess meridia.yaml --as "Ministry of the Interior"
    """
    from palermo.interview import COMMANDS, Interview
    from palermo.layout import width
    from palermo.lock import InterviewLock
    from palermo.store import AnswersStore, remove_stale_temp_files
    from palermo.terminal import stdin_usable

    if not stdin_usable():
        raise PalermoError(f"{file}: standard input is closed, so no answer can be typed; run "
                           "the interview in a terminal, or set answers with palermo answer")
    ws = workspace(catalog_dir, questionnaires_dir)
    body = " ".join(body.split()) if body else None
    with InterviewLock(file, by=body or assessor):
        for stale in remove_stale_temp_files(file):
            click.echo(f"Removed {stale.name}, left by a save that was interrupted.", err=True)
        wanted = parse_instruments(ws, instruments)
        state, formal_name, wanted = ask_new_assessment(ws, file, state, formal_name, wanted)
        answers = open_or_create(ws, file, state, wanted, assessor,
                                 parse_party_status(ws, party), formal_name)
        store = AnswersStore(file)  # the file as on disk: open_or_create changed only memory
        if file.exists():
            confirm_removals(ws, answers, wanted)
        chosen = interview_sections(ws, answers, file, sections, body)
        if body is not None:  # as `assignments:` spells it
            body = next((who for key, who in answers.assignments.items()
                         if chosen and key in chosen), body)
        interview = Interview(ws, answers, file, revisit_skipped=revisit_skipped,
                              sections=chosen, by=body, store=store, columns=width())
        interview.save()
        what = f" · sections {', '.join(chosen)}" if chosen else ""
        who = f" · answering as {body}" if body else ""
        say(f"Assessment of {answers.state}: {', '.join(answers.instruments)}{what}{who} · "
            f"{file}")
        say(COMMANDS)
        run_interview(interview, file)


def wrap_for_terminal(text: str) -> list[str]:
    from palermo.layout import width, wrap

    return wrap(text, width())


def say(text: str, *, err: bool = False) -> None:
    """A message wrapped to the terminal's width."""
    for line in wrap_for_terminal(text):
        click.echo(line, err=err)


def ask_line(prompt: str) -> str:
    """One line from the terminal (with line editing) or from piped input."""
    if sys.stdin.isatty():
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401 - gives input() line editing and history
    return input(f"{prompt}: ")


def run_interview(interview: Any, file: Path) -> None:
    """Ask, then say what is left; end of input saves and exits 0, Ctrl-C exits 130."""
    from palermo.layout import width

    try:
        complete = interview.run(ask_line, click.echo)
    except EOFError:
        click.echo("")
        interview.save_quietly()
        if interview.unsaved:
            raise PalermoError(f"End of input, but the last answers are not saved: "
                               f"{interview.unsaved}") from None
        say(f"End of input: your answers are saved in {file}. Run the same command to "
            "continue.")
        return
    except (click.Abort, KeyboardInterrupt):
        click.echo("")
        say(f"Interview paused: your answers are saved in {file}. Run the same command to "
            "continue.", err=True)
        sys.exit(130)
    progress = interview.progress()
    click.echo("")
    count = len(progress.applying)
    click.echo(f"{progress.line()} ({count} question{' applies' if count == 1 else 's apply'}).")
    if complete:
        scope = (f" of {', '.join(sorted(interview.sections))}" if interview.sections else "")
        say(f"Every question{scope} that applies has an answer. Next: palermo gaps {file}")
        return
    for line in interview.summary(width()):
        click.echo(line)
    hint = " (--revisit-skipped asks the skipped ones again)" if progress.skipped else ""
    say(f"Saved in {file}. Run the same command to continue{hint}.")


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("question_id")
@click.argument("value")
@click.option("--citation", "citations", multiple=True,
              help="A domestic provision, e.g. 'Immigration Act 2007, s. 12(1)'; repeatable.")
@click.option("--note", help="A note kept with the answer.")
@click.option("--by", "body", metavar="BODY", help="The body that gives the answer (by:).")
@new_file_options
@catalog_options
def answer(file: Path, question_id: str, value: str, citations: tuple[str, ...],
           note: str | None, body: str | None, state: str | None, formal_name: str | None,
           instruments: tuple[str, ...], assessor: str | None, party: tuple[str, ...],
           catalog_dir: Path | None,
           questionnaires_dir: Path | None) -> None:
    """Set one answer without prompts, for scripts.

    VALUE is yes/partly/no/unknown, an option value (comma-separated for
    multiple choice), a date or text.

    \b
    Example:
      palermo answer meridia.yaml som.smuggling_offence yes \\
        --citation "Immigration Act 2007, s. 12(1)"
    """
    from palermo.answers import set_answer
    from palermo.scope import scope_of
    from palermo.store import AnswersStore

    ws = workspace(catalog_dir, questionnaires_dir)
    question = ws.bank.get(question_id.strip())
    answers = open_or_create(ws, file, state, parse_instruments(ws, instruments), assessor,
                             parse_party_status(ws, party), formal_name)
    store = AnswersStore(file)  # the file as on disk: open_or_create changed only memory
    entry = set_answer(answers, question, value, citations=list(citations) if citations else None,
                       note=note)
    if body:
        entry.by = " ".join(body.split())
    order = [q.id for q in scope_of(ws.catalog, ws.bank, answers.instruments).questions]
    store.save(answers, order)
    click.echo(f"{question.id}: {question.label(entry.value)}")
