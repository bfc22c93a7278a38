"""Reports of a gap analysis: Word (the document sent to the State), Markdown, HTML, JSON, CSV.

Every format is written from one content model (`content.build_content`), so they say the
same thing. Heavy libraries (python-docx, jinja2) are imported only when a report is made.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from palermo.errors import InputError

if TYPE_CHECKING:
    from palermo.model import GapAnalysis

FORMATS = ("docx", "markdown", "html", "json", "csv")

_EXTENSIONS = {
    ".docx": "docx",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".csv": "csv",
}


def format_for(path: Path, explicit: str | None) -> str:
    """The report format: the one asked for, or the one the file extension names."""
    if explicit is not None:
        fmt = explicit.strip().lower()
        if fmt not in FORMATS:
            raise InputError(f"unknown report format '{explicit}' "
                             f"(expected one of: {', '.join(FORMATS)})")
        return fmt
    suffix = Path(path).suffix.lower()
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    known = ", ".join(_EXTENSIONS)
    shown = f"extension '{suffix}'" if suffix else "no extension"
    raise InputError(f"cannot tell the report format from {shown} "
                     f"(use one of: {known}, or choose a format: {', '.join(FORMATS)})",
                     path=str(path))


def render_report(analysis: GapAnalysis, fmt: str = "docx", *,
                  reference_doc: Path | None = None,
                  templates_dir: Path | None = None) -> bytes:
    """The report as bytes, in one of FORMATS."""
    fmt = format_for(Path(f"report.{fmt}"), fmt)
    if reference_doc is not None and fmt != "docx":
        raise InputError("a reference document only applies to the docx format",
                         path=str(reference_doc))
    from palermo.report.content import build_content

    content = build_content(analysis, templates_dir=templates_dir)
    if fmt == "docx":
        from palermo.report.docx import render_docx

        return render_docx(content, reference_doc=reference_doc)
    if fmt == "markdown":
        from palermo.report.markdown_writer import render_markdown

        return render_markdown(content).encode("utf-8")
    if fmt == "html":
        from palermo.report.html_writer import render_html

        return render_html(content).encode("utf-8")
    if fmt == "json":
        from palermo.report.json_writer import render_json

        return render_json(content).encode("utf-8")
    from palermo.report.csv_writer import render_csv

    return render_csv(content)


def write_report(analysis: GapAnalysis, out: Path, *, fmt: str | None = None,
                 reference_doc: Path | None = None, templates_dir: Path | None = None) -> None:
    """Write the report to `out`: made in memory first, then written atomically."""
    from palermo.yamlio import atomic_write

    out = Path(out)
    chosen = format_for(out, fmt)
    data = render_report(analysis, chosen, reference_doc=reference_doc,
                         templates_dir=templates_dir)
    if not out.parent.is_dir():
        raise InputError("folder does not exist", path=str(out.parent))
    try:
        atomic_write(out, data)
    except OSError as exc:
        raise InputError(f"cannot write report: {exc.strerror}", path=str(out)) from None
