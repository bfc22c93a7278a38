"""Writing reports: one, or many at once with the catalog loaded a single time."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from palermo.errors import PalermoError
from palermo.fsio import files_in, make_folder, refuse_overwriting_inputs, write_target
from palermo.report import report_format
from palermo.workspace import Workspace

if TYPE_CHECKING:
    from palermo.compare import Comparison


def _analysis(ws: Workspace, file: Path) -> Any:
    from palermo.assessment import open_assessment

    return open_assessment(ws, file).analyse()


def inputs_of(ws: Workspace, files: list[Path], reference_doc: Path | None = None,
              templates_dir: Path | None = None,
              since: Comparison | None = None) -> list[tuple[str, Path]]:
    """Every file a report command reads, which its output must never replace."""
    found = [("the answers file", file) for file in files]
    if reference_doc is not None:
        found.append(("the reference document", reference_doc))
    if since is not None and since.old.source:
        from palermo.revisions import split_revision

        if split_revision(since.old.source) is None:   # a file, not REVISION:PATH
            found.append(("the earlier assessment", Path(since.old.source)))
    found += [("a template", p) for p in files_in(templates_dir)]
    found += [("a catalog file", p) for p in files_in(ws.catalog.directory)]
    found += [("a questionnaire file", p) for p in files_in(ws.bank.directory)]
    return found


def report_one(ws: Workspace, file: Path, output: Path, *, fmt: str | None = None,
               reference_doc: Path | None = None, templates_dir: Path | None = None,
               inputs: list[tuple[str, Path]] | None = None, detail: str = "standard",
               since: Comparison | None = None) -> None:
    write_target(output)  # before any work: never onto a FIFO, a device or a folder
    refuse_overwriting_inputs(output, inputs if inputs is not None else
                              inputs_of(ws, [file], reference_doc, templates_dir, since))
    analysis = _analysis(ws, file)
    from palermo.report import write_report

    write_report(analysis, output, fmt=fmt, reference_doc=reference_doc,
                 templates_dir=templates_dir, detail=detail, since=since)


def output_names(files: list[Path], extension: str) -> list[str]:
    """One output name per answers file, from its file name (never its content), unique.

    a/x.yaml, b/x.yaml and c/x-2.yaml become x, x-2 and x-2-2: a name already taken, by
    another input's own name too, gets the next free number. Names differing only in case
    count as the same, as they are on case-insensitive file systems.
    """
    taken: set[str] = set()
    names = []
    for file in files:
        stem, number = file.stem, 1
        name = f"{stem}{extension}"
        while name.casefold() in taken:
            number += 1
            name = f"{stem}-{number}{extension}"
        taken.add(name.casefold())
        names.append(name)
    return names


# The format of `--output-dir` reports when none is asked for.
BATCH_FORMAT = "docx"

# Set in the parent before forking, so that workers share the loaded catalog.
_JOB: dict[str, Any] = {}


def preload(fmt: str | None) -> None:
    """Load what every report in `fmt` loads for its first: the writer of the format, the
    content model and the wording's sandboxed template engine (None: the format is not known
    yet, so only what every format shares). Done before workers fork, they share it."""
    from palermo.report import content  # noqa: F401 - imported for the workers to share
    from palermo.templating import prepare

    if fmt is not None:
        report_format(fmt).writer_function()
    prepare()


def _work(task: tuple[Path, Path]) -> str | None:
    file, output = task
    try:
        report_one(_JOB["ws"], file, output, fmt=_JOB["fmt"], reference_doc=_JOB["reference_doc"],
                   templates_dir=_JOB["templates_dir"], inputs=_JOB["inputs"],
                   detail=_JOB["detail"])
    except PalermoError as exc:
        return str(exc)
    return None


def report_many(ws: Workspace, files: list[Path], output_dir: Path, *, fmt: str | None = None,
                reference_doc: Path | None = None, templates_dir: Path | None = None,
                detail: str = "standard",
                progress: Callable[[int], None] | None = None,
                workers: int | None = None) -> list[str]:
    """One report per answers file; a bad file is reported and the others still written.

    `progress`, when given, is called with the number of reports just finished (the CLI
    passes a progress bar's update; the library itself prints nothing).
    """
    step = progress or (lambda _done: None)
    make_folder(output_dir)
    fmt = fmt or BATCH_FORMAT
    names = output_names(files, report_format(fmt).extension)
    tasks = [(file, output_dir / name) for file, name in zip(files, names, strict=True)]
    _JOB.update(ws=ws, fmt=fmt, reference_doc=reference_doc, templates_dir=templates_dir,
                detail=detail,
                inputs=inputs_of(ws, files, reference_doc, templates_dir))
    if workers is None:
        workers = min(os.cpu_count() or 1, 8)
    failures: list[str] = []
    import multiprocessing  # here: a single report needs none of it

    if workers > 1 and len(tasks) > 1 and "fork" in multiprocessing.get_all_start_methods():
        import gc

        preload(fmt)

        # fork shares the catalog already loaded and checked; nothing is loaded twice. Frozen,
        # the loaded objects are left out of the workers' garbage collections, which would
        # otherwise walk them (and copy their pages) again in every worker.
        frozen_before = gc.get_freeze_count() > 0   # by the command: leave that as it was
        gc.freeze()
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                # One report at a time: a worker takes the next as soon as it is free, so
                # both end together (chunks of several left one core idle at the end).
                for error in pool.imap(_work, tasks, chunksize=1):
                    if error:
                        failures.append(error)
                    step(1)
        finally:
            if not frozen_before:   # unfreeze() cannot tell whose objects it releases
                gc.unfreeze()
    else:
        for task in tasks:
            error = _work(task)
            if error:
                failures.append(error)
            step(1)
    return failures
