"""`palermo report`: the gap report, of one answers file or many."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from palermo.cli.base import catalog_options, cli, workspace
from palermo.report import FORMATS

if TYPE_CHECKING:
    from palermo.compare import Comparison
    from palermo.workspace import Workspace


def _since(ws: Workspace, old: str, new: Path, force: bool) -> Comparison:
    """The comparison behind the report's "Progress since" section."""
    from palermo.compare import compare_assessments
    from palermo.revisions import read_assessment

    return compare_assessments(ws, read_assessment(old), read_assessment(new), force=force)


def _format_name(output: Path | None, output_dir: Path | None, fmt: str | None) -> str | None:
    """The format the reports will be written in, when it can be told yet; else None (and
    the error, if any, comes where it always did)."""
    from palermo.batch import BATCH_FORMAT
    from palermo.errors import InputError
    from palermo.report import format_for

    if output_dir is not None:
        return fmt or BATCH_FORMAT  # click has checked fmt
    if output is None:
        return None
    try:
        return format_for(output, fmt)
    except InputError:
        return None


@cli.command()
@click.argument("files", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path),
              help="Report file to write (one answers file).")
@click.option("--output-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for one report per answers file.")
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              help="Output format (default: from the output file's extension; docx with "
                   "--output-dir).")
@click.option("--reference-doc", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A .docx whose styles, margins and letterhead the report takes.")
@click.option("--templates", "templates_dir", type=click.Path(exists=True, file_okay=False,
              path_type=Path), help="Folder of report wording overriding the bundled: files "
              "named as in templates/report/, e.g. DIR/overall_assessment.j2 or "
              "DIR/labels.yaml (a name that is not one of them is an error).")
@click.option("--since", "since", metavar="OLD",
              help="An earlier assessment of the same State (a file, or REVISION:PATH): adds "
                   "a \"Progress since <date>\" section and marks the rows that changed.")
@click.option("--force", is_flag=True,
              help="With --since: compare even if OLD assesses another State.")
@click.option("--detail", type=click.Choice(["standard", "full"]), default="standard",
              show_default=True, help="standard: summary, table of correspondence, analysis "
              "of gaps and advisories; full: every obligation with its treaty text and answers.")
@catalog_options
def report(files: tuple[Path, ...], output: Path | None, output_dir: Path | None,
           fmt: str | None, reference_doc: Path | None, templates_dir: Path | None,
           since: str | None, force: bool, detail: str, catalog_dir: Path | None,
           questionnaires_dir: Path | None) -> None:
    """Write the gap report (Word by default; PDF, Excel, Markdown, HTML, JSON or CSV).

    \b
    Examples:
      palermo report meridia.yaml -o gap-report.docx
      palermo report meridia.yaml -o gap-report.pdf --detail full
      palermo report states/*.yaml --output-dir reports/ --format docx
      palermo report meridia.yaml --since v2025:meridia.yaml -o gap-report.docx
    """
    from palermo.batch import preload, report_many, report_one

    # Every report loads its writer, the content model and the template sandbox: loaded with
    # the command's modules, before the workspace, they last as long (palermo.lifetime).
    preload(_format_name(output, output_dir, fmt))
    ws = workspace(catalog_dir, questionnaires_dir)
    if output_dir is None:
        if output is None or len(files) != 1:
            raise click.UsageError("give one answers file with -o OUT, or several with "
                                   "--output-dir DIR")
        report_one(ws, files[0], output, fmt=fmt, reference_doc=reference_doc,
                   templates_dir=templates_dir, detail=detail,
                   since=_since(ws, since, files[0], force) if since else None)
        click.echo(f"Wrote {output}")
        return
    if output is not None:
        raise click.UsageError("use either -o or --output-dir, not both")
    if since:
        raise click.UsageError("--since compares one assessment: give one answers file and -o")
    def write(progress: Callable[[int], None] | None) -> list[str]:
        return report_many(ws, list(files), output_dir, fmt=fmt, reference_doc=reference_doc,
                           templates_dir=templates_dir, detail=detail,
                           progress=progress)

    if sys.stderr.isatty():
        from palermo.terminal import raw  # the bar's own cursor codes, not escaped

        with click.progressbar(length=len(files), label="Writing reports", file=raw(sys.stderr),
                               show_pos=True) as bar:
            failures = write(bar.update)
    else:
        failures = write(None)
    written = len(files) - len(failures)
    click.echo(f"Wrote {written} report(s) to {output_dir}")
    for failure in failures:
        click.echo(f"Error: {failure}", err=True)  # already one line each
    if failures:
        sys.exit(1)
