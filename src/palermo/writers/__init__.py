"""Writers for `palermo compare` and `palermo matrix`: one module per format.

Each takes the library's result (`compare.Comparison`, `matrix.Matrix`) and returns bytes;
the heavy libraries (python-docx, openpyxl) are imported only by the writer that uses them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from palermo.errors import InputError

if TYPE_CHECKING:
    from palermo.compare import Comparison
    from palermo.matrix import Matrix
    from palermo.workspace import Workspace

COMPARE_FORMATS = ("table", "markdown", "json", "docx", "csv")
MATRIX_FORMATS = ("table", "xlsx", "html", "markdown", "csv", "docx", "json")
_EXTENSIONS = {".md": "markdown", ".markdown": "markdown", ".json": "json", ".docx": "docx",
               ".csv": "csv", ".xlsx": "xlsx", ".html": "html", ".htm": "html",
               ".txt": "table"}


def choose_format(formats: tuple[str, ...], explicit: str | None, out: Path | None) -> str:
    """The format asked for, else the output file's extension, else the terminal table."""
    if explicit:
        fmt = explicit.strip().lower()
        if fmt not in formats:
            raise InputError(f"unknown format '{explicit}' (expected one of: "
                             f"{', '.join(formats)})")
        return fmt
    if out is None:
        return "table"
    fmt = _EXTENSIONS.get(out.suffix.lower(), "")
    if fmt not in formats:
        known = ", ".join(e for e, f in _EXTENSIONS.items() if f in formats)
        shown = f"extension '{out.suffix}'" if out.suffix else "no extension"
        raise InputError(f"cannot tell the format from {shown} (use one of: {known}, or "
                         f"--format {'|'.join(formats)})", path=str(out))
    return fmt


def render_comparison(comparison: Comparison, fmt: str) -> bytes:
    if fmt == "docx":
        from palermo.writers.compare_docx import render_docx

        return render_docx(comparison)
    from palermo.writers import compare_text

    render = {"table": compare_text.render_table, "markdown": compare_text.render_markdown,
              "json": compare_text.render_json, "csv": compare_text.render_csv}[fmt]
    return render(comparison)


def render_matrix(matrix: Matrix, fmt: str) -> bytes:
    if fmt == "xlsx":
        from palermo.writers.matrix_xlsx import render_xlsx

        return render_xlsx(matrix)
    if fmt == "docx":
        from palermo.writers.matrix_docx import render_docx as render_matrix_docx

        return render_matrix_docx(matrix)
    if fmt == "html":
        from palermo.writers.matrix_html import render_html

        return render_html(matrix).encode("utf-8")
    from palermo.writers import matrix_text

    render = {"table": matrix_text.render_table, "markdown": matrix_text.render_markdown,
              "json": matrix_text.render_json, "csv": matrix_text.render_csv}[fmt]
    return render(matrix)


def check_output(ws: Workspace, out: Path, files: list[Path]) -> None:
    """Before any work: never onto a FIFO, a device or a folder, never over a file read."""
    from palermo.batch import inputs_of
    from palermo.fsio import refuse_overwriting_inputs, write_target

    write_target(out)
    refuse_overwriting_inputs(out, inputs_of(ws, files))


def write_output(out: Path, data: bytes) -> None:
    """Atomically, into a folder that exists; a one-line error otherwise."""
    from palermo.yamlio import atomic_write

    if not out.parent.is_dir():
        raise InputError("folder does not exist", path=str(out.parent))
    try:
        atomic_write(out, data)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", path=str(out)) from None
