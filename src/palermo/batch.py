"""Writing reports: one, or many at once with the catalog loaded a single time."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path
from typing import Any

from palermo.errors import InputError, PalermoError
from palermo.workspace import Workspace

EXTENSIONS = {"docx": ".docx", "markdown": ".md", "html": ".html", "json": ".json", "csv": ".csv"}


def _analysis(ws: Workspace, file: Path) -> Any:
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
    if output.exists() and output.resolve() == file.resolve():
        raise InputError("the report would overwrite the answers file", path=str(output))
    analysis = _analysis(ws, file)
    from palermo.report import write_report

    write_report(analysis, output, fmt=fmt, reference_doc=reference_doc,
                 templates_dir=templates_dir)


def output_names(files: list[Path], extension: str) -> list[str]:
    """One output name per answers file, from its file name (never its content), unique."""
    seen: dict[str, int] = {}
    names = []
    for file in files:
        stem = file.stem
        count = seen.get(stem, 0)
        seen[stem] = count + 1
        names.append(f"{stem}{extension}" if count == 0 else f"{stem}-{count + 1}{extension}")
    return names


# Set in the parent before forking, so that workers share the loaded catalog.
_JOB: dict[str, Any] = {}


def _work(task: tuple[Path, Path]) -> str | None:
    file, output = task
    try:
        report_one(_JOB["ws"], file, output, fmt=_JOB["fmt"], reference_doc=_JOB["reference_doc"],
                   templates_dir=_JOB["templates_dir"])
    except PalermoError as exc:
        return str(exc)
    return None


def report_many(ws: Workspace, files: list[Path], output_dir: Path, *, fmt: str | None = None,
                reference_doc: Path | None = None, templates_dir: Path | None = None,
                progress: bool = False, workers: int | None = None) -> list[str]:
    """One report per answers file; a bad file is reported and the others still written."""
    import click

    output_dir.mkdir(parents=True, exist_ok=True)
    fmt = fmt or "docx"
    names = output_names(files, EXTENSIONS[fmt])
    tasks = [(file, output_dir / name) for file, name in zip(files, names, strict=True)]
    _JOB.update(ws=ws, fmt=fmt, reference_doc=reference_doc, templates_dir=templates_dir)
    if workers is None:
        workers = min(os.cpu_count() or 1, 8)
    failures: list[str] = []
    with click.progressbar(length=len(tasks), label="Writing reports", file=None if progress
                           else _Null(), show_pos=True) as bar:
        if workers > 1 and len(tasks) > 1 and "fork" in multiprocessing.get_all_start_methods():
            # fork shares the catalog already loaded and checked; nothing is loaded twice.
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                for error in pool.imap(_work, tasks, chunksize=4):
                    if error:
                        failures.append(error)
                    bar.update(1)
        else:
            for task in tasks:
                error = _work(task)
                if error:
                    failures.append(error)
                bar.update(1)
    return failures


class _Null:
    """A file that swallows the progress bar when stderr is not a terminal."""

    def write(self, _: str) -> int:
        return 0

    def flush(self) -> None:
        return None

    def isatty(self) -> bool:
        return False
