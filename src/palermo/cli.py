"""The `palermo` command: a thin layer over the library.

Heavy libraries (python-docx, jinja2, jsonschema) and most of palermo are imported inside
the commands, so that `palermo --help` starts fast.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from palermo import __version__
from palermo.errors import PalermoError

INSTRUMENT_CHOICES = ("untoc", "tip", "som", "firearms")


class PalermoGroup(click.Group):
    """Turns every PalermoError into a one-line message and a non-zero exit, no traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PalermoError as exc:
            raise click.ClickException(str(exc)) from None


def catalog_options(func: Callable) -> Callable:
    folder = click.Path(file_okay=False, path_type=Path)
    func = click.option("--questionnaires", "questionnaires_dir", type=folder,
                        help="Questionnaires folder (default: beside --catalog, else bundled)."
                        )(func)
    func = click.option("--catalog", "catalog_dir", type=folder,
                        help="Obligation catalog folder (default: the bundled catalog).")(func)
    return func


def _workspace(catalog_dir: Path | None, questionnaires_dir: Path | None) -> Any:
    from palermo.workspace import open_workspace

    return open_workspace(catalog_dir, questionnaires_dir)


def _instruments(values: tuple[str, ...]) -> list[str]:
    """Accept `--instruments som,untoc` as well as repeated options."""
    found: list[str] = []
    for value in values:
        for item in value.split(","):
            item = item.strip().lower()
            if not item:
                continue
            if item not in INSTRUMENT_CHOICES:
                raise click.BadParameter(f"'{item}' is not an instrument (expected one of: "
                                         f"{', '.join(INSTRUMENT_CHOICES)})",
                                         param_hint="'--instruments'")
            if item not in found:
                found.append(item)
    return found


def _load_checked(ws: Any, file: Path) -> Any:
    """Load an answers file and refuse it, at its first problem, if it does not fit."""
    from palermo.answers import load_answers
    from palermo.validate import validate_answers

    answers = load_answers(file)
    report = validate_answers(ws, answers)
    if report.errors:
        raise report.errors[0]
    for note in report.notes:
        click.echo(f"Note: {note}", err=True)
    return answers


def _table(rows: list[list[str]], headers: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [line.format(*headers).rstrip(), line.format(*["-" * w for w in widths]).rstrip()]
    out += [line.format(*[str(c) for c in row]).rstrip() for row in rows]
    return "\n".join(out)


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


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
    """


# --- catalog ---------------------------------------------------------------------------

@cli.group()
def catalog() -> None:
    """Browse, check and compare the obligation catalog."""


@catalog.command("list")
@click.option("--instrument", "-i", "instruments", multiple=True,
              help="Only these instruments (untoc, tip, som, firearms); repeatable.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@catalog_options
def catalog_list(instruments: tuple[str, ...], fmt: str, catalog_dir: Path | None,
                 questionnaires_dir: Path | None) -> None:
    """List obligations: id, strength, category and summary.

    \b
    Example:
      palermo catalog list --instrument som --format json
    """
    from palermo.catalog import load_catalog

    cat = load_catalog(catalog_dir)
    wanted = _instruments(instruments) or cat.instruments
    obligations = [o for o in cat.obligations.values() if o.instrument in wanted]
    if fmt == "json":
        click.echo(json.dumps([o.to_dict() for o in obligations], indent=2, ensure_ascii=False))
        return
    rows = [[o.id, o.reference, o.strength, o.category, _short(o.summary, 70)]
            for o in obligations]
    click.echo(_table(rows, ["ID", "ARTICLE", "STRENGTH", "CATEGORY", "SUMMARY"]))
    click.echo(f"\n{len(obligations)} obligations · catalog {cat.version}")


@catalog.command("show")
@click.argument("obligation_id")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@catalog_options
def catalog_show(obligation_id: str, fmt: str, catalog_dir: Path | None,
                 questionnaires_dir: Path | None) -> None:
    """Show one obligation with its treaty text, elements and questions.

    \b
    Example:
      palermo catalog show som.6.1.a
    """
    ws = _workspace(catalog_dir, questionnaires_dir)
    ob = ws.catalog.get(obligation_id.strip().lower())
    questions = [q.id for q in ws.bank.informing(ob.id)]
    if fmt == "json":
        click.echo(json.dumps({**ob.to_dict(), "questions": questions}, indent=2,
                              ensure_ascii=False))
        return
    title = ws.catalog.short_titles[ob.instrument]
    click.echo(f"{ob.id} — {title}, {ob.reference}: {ob.article_title}")
    click.echo(f"Strength: {ob.strength}" + (f" ({ob.strength_note})" if ob.strength_note else "")
               + f" · Category: {ob.category}")
    click.echo("")
    if ob.chapeau:
        click.echo(f"  “{ob.chapeau} …")
        click.echo(f"   {ob.text}”")
    else:
        click.echo(f"  “{ob.text}”")
    click.echo("")
    click.echo(f"Summary: {ob.summary}")
    for key, label in (("required", "Required elements"),
                       ("must_not_require", "Must not require")):
        if ob.elements.get(key):
            click.echo(f"{label}:")
            for item in ob.elements[key]:
                click.echo(f"  - {item}")
    if ob.options:
        click.echo("Options the treaty leaves to the State:")
        for option in ob.options:
            click.echo(f"  - {option['label']}")
    if ob.notification:
        n = ob.notification
        click.echo(f"Notification: {n['what']} → {n['to']}"
                   + (f" ({n['when']})" if n.get("when") else ""))
    if questions:
        click.echo(f"Questions: {', '.join(questions)}")
    refs = ob.references
    if refs.get("obligations"):
        click.echo(f"Related: {', '.join(refs['obligations'])}")
    for guide in refs.get("guides", []):
        click.echo(f"See: {guide}")


@catalog.command("validate")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--questionnaires", "questionnaires_dir",
              type=click.Path(file_okay=False, path_type=Path),
              help="Questionnaires folder (default: beside the catalog, else bundled).")
def catalog_validate(directory: Path | None, questionnaires_dir: Path | None) -> None:
    """Check a catalog and its questionnaires: schema, ids, references, verbatim quotes.

    \b
    Example:
      palermo catalog validate obligations/
    """
    from palermo.validate import validate_catalog

    ws = _workspace(directory, questionnaires_dir)
    report = validate_catalog(ws)
    for warning in report.warnings:
        click.echo(f"Warning: {warning}", err=True)
    for error in report.errors:
        click.echo(f"Error: {error}", err=True)
    if report.errors:
        sys.exit(1)
    click.echo(f"Catalog {ws.catalog.version}: {len(ws.catalog.obligations)} obligations, "
               f"{len(ws.bank.questions)} questions, {len(ws.bank.rules)} rules: valid.")


@catalog.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def catalog_diff(old: str, new: str, fmt: str) -> None:
    """Obligations added, removed and changed between two catalogs.

    OLD and NEW are catalog folders or git revisions of this repository
    (their obligations/ folder is read).

    \b
    Example:
      palermo catalog diff v1.0.0 HEAD
      palermo catalog diff old-catalog/ obligations/
    """
    from palermo.versions import diff_catalogs, load_version

    diff = diff_catalogs(load_version(old), load_version(new))
    if fmt == "json":
        click.echo(json.dumps(diff.to_dict(), indent=2))
        return
    click.echo(f"Catalog {diff.old_version} → {diff.new_version}")
    for oid in diff.added:
        click.echo(f"+ {oid}")
    for oid in diff.removed:
        click.echo(f"- {oid}")
    for oid, fields in diff.changed.items():
        click.echo(f"~ {oid} ({', '.join(fields)})")
    click.echo(f"{len(diff.added)} added, {len(diff.removed)} removed, "
               f"{len(diff.changed)} changed")


# --- questions -------------------------------------------------------------------------

@cli.command()
@click.option("--instrument", "-i", "instruments", multiple=True,
              help="Questions an assessment of these instruments asks; repeatable.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@catalog_options
def questions(instruments: tuple[str, ...], fmt: str, catalog_dir: Path | None,
              questionnaires_dir: Path | None) -> None:
    """List the questions an assessment asks, in interview order.

    \b
    Example:
      palermo questions --instrument som --format json
    """
    from palermo.scope import scope_of

    ws = _workspace(catalog_dir, questionnaires_dir)
    chosen = _instruments(instruments) or ws.catalog.instruments
    found = scope_of(ws.catalog, ws.bank, chosen).questions
    if fmt == "json":
        click.echo(json.dumps([q.to_dict() for q in found], indent=2, ensure_ascii=False))
        return
    rows = [[q.id, q.type, q.section_title, _short(q.text, 70)] for q in found]
    click.echo(_table(rows, ["ID", "TYPE", "SECTION", "QUESTION"]))
    click.echo(f"\n{len(found)} questions")


# --- answering -------------------------------------------------------------------------

def _party_status(values: tuple[str, ...]) -> dict[str, str]:
    result = {}
    for value in values:
        instrument, _, status = value.partition("=")
        if instrument not in INSTRUMENT_CHOICES or status not in ("party", "signatory",
                                                                  "not_party"):
            raise click.BadParameter(f"'{value}' is not INSTRUMENT=STATUS (e.g. som=not_party; "
                                     "status: party, signatory, not_party)",
                                     param_hint="'--party'")
        result[instrument] = status
    return result


def _open_or_create(ws: Any, file: Path, state: str | None, instruments: list[str],
                    assessor: str | None, party: dict[str, str]) -> Any:
    from palermo.answers import new_answers

    if file.exists():
        answers = _load_checked(ws, file)
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
                           "NAME and --instruments (untoc, tip, som, firearms)")
    for instrument in instruments:
        if instrument not in ws.catalog.titles:
            raise PalermoError(f"instrument '{instrument}' is not in the catalog")
    return new_answers(state, instruments, catalog_version=ws.catalog.version,
                       assessor=assessor, party_status=party)


def _new_file_options(func: Callable) -> Callable:
    func = click.option("--party", "party", multiple=True, metavar="INSTRUMENT=STATUS",
                        help="Party status: party (default), signatory or not_party.")(func)
    func = click.option("--assessor", help="Who carries out the assessment.")(func)
    func = click.option("--instruments", "instruments", multiple=True,
                        help="Instruments to assess, e.g. som or untoc,som.")(func)
    func = click.option("--state", help="The State assessed (needed for a new file).")(func)
    return func


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_new_file_options
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

    ws = _workspace(catalog_dir, questionnaires_dir)
    answers = _open_or_create(ws, file, state, _instruments(instruments), assessor,
                              _party_status(party))
    interview = Interview(ws, answers, file, revisit_skipped=revisit_skipped)
    interview.save()
    click.echo(f"Assessment of {answers.state}: {', '.join(answers.instruments)} · {file}")
    click.echo(COMMANDS_HELP)

    def ask(prompt: str) -> str:
        return click.prompt(prompt, default="", show_default=False, prompt_suffix=": ")

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
@_new_file_options
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

    ws = _workspace(catalog_dir, questionnaires_dir)
    question = ws.bank.get(question_id.strip())
    answers = _open_or_create(ws, file, state, _instruments(instruments), assessor,
                              _party_status(party))
    entry = set_answer(answers, question, value, citations=list(citations) if citations else None,
                       note=note)
    order = [q.id for q in scope_of(ws.catalog, ws.bank, answers.instruments).questions]
    save_answers(answers, file, order)
    click.echo(f"{question.id}: {question.label(entry.value)}")


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

    ws = _workspace(catalog_dir, questionnaires_dir)
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
    table = [[inst, title, f"{a}/{n}", str(s) if s else ""] for (inst, title), (n, a, s)
             in rows.items()]
    click.echo(_table(table, ["INSTRUMENT", "SECTION", "ANSWERED", "SKIPPED"]))
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

    ws = _workspace(catalog_dir, questionnaires_dir)
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


# --- results ---------------------------------------------------------------------------

@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]),
              default="table", show_default=True)
@click.option("--only-gaps", is_flag=True, help="Only partially met and not met obligations.")
@catalog_options
def gaps(file: Path, fmt: str, only_gaps: bool, catalog_dir: Path | None,
         questionnaires_dir: Path | None) -> None:
    """Status of every obligation in scope, with findings.

    \b
    Example:
      palermo gaps meridia.yaml --format markdown
    """
    from palermo.gaps import analyse

    ws = _workspace(catalog_dir, questionnaires_dir)
    answers = _load_checked(ws, file)
    analysis = analyse(ws.catalog, ws.bank, answers)
    results = [r for r in analysis.results if r.status.is_gap or not only_gaps]
    if fmt == "json":
        from palermo.report import render_report

        click.echo(render_report(analysis, fmt="json").decode("utf-8"))
        return
    if fmt == "markdown":
        lines = [f"# Gaps: {analysis.state}", "",
                 "| Obligation | Status | Priority | Finding |", "|---|---|---|---|"]
        for r in results:
            finding = " ".join(r.findings).replace("|", "\\|").replace("\n", " ")
            lines.append(f"| {r.obligation.id} ({r.obligation.reference}) | "
                         f"{r.status.symbol} {r.status.label} | "
                         f"{r.priority.label if r.priority else ''} | {finding} |")
        click.echo("\n".join(lines))
        return
    rows = [[r.obligation.id, f"{r.status.symbol} {r.status.label}",
             r.priority.label if r.priority else "", _short(" ".join(r.findings), 80)]
            for r in results]
    click.echo(_table(rows, ["OBLIGATION", "STATUS", "PRIORITY", "FINDING"]))
    counts = analysis.counts()
    click.echo("\n" + " · ".join(f"{s.label}: {n}" for s, n in counts.items()))


@cli.command()
@click.argument("files", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path),
              help="Report file to write (one answers file).")
@click.option("--output-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for one report per answers file.")
@click.option("--format", "fmt", type=click.Choice(["docx", "markdown", "html", "json", "csv"]),
              help="Output format (default: from the output file's extension; docx with "
                   "--output-dir).")
@click.option("--reference-doc", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A .docx whose styles, margins and letterhead the report takes.")
@click.option("--templates", "templates_dir", type=click.Path(exists=True, file_okay=False,
              path_type=Path), help="Folder of report wording templates overriding the bundled.")
@catalog_options
def report(files: tuple[Path, ...], output: Path | None, output_dir: Path | None,
           fmt: str | None, reference_doc: Path | None, templates_dir: Path | None,
           catalog_dir: Path | None, questionnaires_dir: Path | None) -> None:
    """Write the gap report (DOCX by default; Markdown, HTML, JSON or CSV).

    \b
    Examples:
      palermo report meridia.yaml -o gap-report.docx
      palermo report states/*.yaml --output-dir reports/ --format docx
    """
    from palermo.batch import report_many, report_one

    ws = _workspace(catalog_dir, questionnaires_dir)
    if output_dir is None:
        if output is None or len(files) != 1:
            raise click.UsageError("give one answers file with -o OUT, or several with "
                                   "--output-dir DIR")
        report_one(ws, files[0], output, fmt=fmt, reference_doc=reference_doc,
                   templates_dir=templates_dir)
        click.echo(f"Wrote {output}")
        return
    if output is not None:
        raise click.UsageError("use either -o or --output-dir, not both")
    failures = report_many(ws, list(files), output_dir, fmt=fmt, reference_doc=reference_doc,
                           templates_dir=templates_dir, progress=sys.stderr.isatty())
    written = len(files) - len(failures)
    click.echo(f"Wrote {written} report(s) to {output_dir}")
    for failure in failures:
        click.echo(f"Error: {failure}", err=True)  # already one line each
    if failures:
        sys.exit(1)


def main() -> None:
    cli(prog_name="palermo")


if __name__ == "__main__":
    main()
