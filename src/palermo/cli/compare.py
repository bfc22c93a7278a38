"""`palermo compare`: what changed between two assessments of one State."""

from __future__ import annotations

from pathlib import Path

import click

from palermo.cli.base import catalog_options, cli, workspace
from palermo.writers import COMPARE_FORMATS


@cli.command()
@click.argument("old")
@click.argument("new")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (format from its extension); default: the terminal.")
@click.option("--format", "fmt", type=click.Choice(COMPARE_FORMATS),
              help="Output format (default: from the output file's extension, else table).")
@click.option("--force", is_flag=True,
              help="Compare even if the two files assess different States.")
@click.option("--old-catalog", metavar="DIR|REVISION|VERSION",
              help="Read OLD with the catalog it was made with (a folder, a git revision or "
                   "a catalog version such as 1.0.0) and list the obligations added or "
                   "retired since.")
@catalog_options
def compare(old: str, new: str, output: Path | None, fmt: str | None, force: bool,
            old_catalog: str | None, catalog_dir: Path | None,
            questionnaires_dir: Path | None) -> None:
    """What changed between two assessments of one State.

    Every obligation whose status, priority, advisories or binding force changed: gaps
    closed and opened, worsened, improved, newly assessed; with the answers that changed
    and the domestic provisions cited. OLD and NEW are answers files, or REVISION:PATH for
    a file as it was at a git revision.

    \b
    Examples:
      palermo compare examples/earlier/meridia-2025.yaml examples/meridia.yaml
      palermo compare v2025:states/meridia.yaml states/meridia.yaml -o progress.docx
    """
    from palermo.compare import compare_assessments, earlier_workspace
    from palermo.revisions import read_assessment
    from palermo.writers import check_output, choose_format, render_comparison, write_output

    chosen = choose_format(COMPARE_FORMATS, fmt, output)
    if output is None and chosen == "docx":
        raise click.UsageError("a DOCX comparison needs -o FILE.docx")
    ws = workspace(catalog_dir, questionnaires_dir)
    if output is not None:
        check_output(ws, output, [Path(spec) for spec in (old, new) if Path(spec).exists()])
    old_ws = earlier_workspace(old_catalog) if old_catalog else None
    comparison = compare_assessments(ws, read_assessment(old), read_assessment(new),
                                     old_ws=old_ws, force=force)
    data = render_comparison(comparison, chosen)
    if output is None:
        click.echo(data.decode("utf-8-sig"), nl=False)
        return
    write_output(output, data)
    click.echo(f"Wrote {output}")
