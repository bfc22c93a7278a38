"""Writing reports: one, or many at once with the catalog loaded a single time."""

from __future__ import annotations

from pathlib import Path

from palermo.errors import InputError, PalermoError
from palermo.workspace import Workspace


def _analysis(ws: Workspace, file: Path):  # type: ignore[no-untyped-def]
    from palermo.answers import load_answers
    from palermo.gaps import analyse
    from palermo.validate import validate_answers

    answers = load_answers(file)
    problems = validate_answers(ws, answers)
    if problems.errors:
        raise problems.errors[0]
    return analyse(ws.catalog, ws.bank, answers)


def report_one(ws: Workspace, file: Path, output: Path, *, fmt: str | None = None,
               reference_doc: Path | None = None, templates_dir: Path | None = None) -> None:
    if output.resolve() == file.resolve():
        raise InputError("the report would overwrite the answers file", path=str(output))
    analysis = _analysis(ws, file)
    from palermo.report import write_report

    write_report(analysis, output, fmt=fmt, reference_doc=reference_doc,
                 templates_dir=templates_dir)


def report_many(ws: Workspace, files: list[Path], output_dir: Path, *, fmt: str | None = None,
                reference_doc: Path | None = None, templates_dir: Path | None = None,
                progress: bool = False) -> list[PalermoError]:
    """One report per answers file; a bad file is reported and the others still written."""
    import click

    from palermo.report import write_report

    output_dir.mkdir(parents=True, exist_ok=True)
    extension = {"docx": ".docx", "markdown": ".md", "html": ".html", "json": ".json",
                 "csv": ".csv", None: ".docx"}[fmt]
    failures: list[PalermoError] = []
    # Output names come from the answers files' own names, never from their content.
    with click.progressbar(files, label="Writing reports", file=None if progress else _Null(),
                           show_pos=True) as bar:
        for file in bar:
            try:
                write_report(_analysis(ws, file), output_dir / f"{file.stem}{extension}",
                             fmt=fmt or "docx", reference_doc=reference_doc,
                             templates_dir=templates_dir)
            except PalermoError as exc:
                failures.append(exc)
    return failures


class _Null:
    """A file that swallows the progress bar when stderr is not a terminal."""

    def write(self, _: str) -> int:
        return 0

    def flush(self) -> None:
        return None

    def isatty(self) -> bool:
        return False
