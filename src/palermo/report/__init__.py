"""Reports of a gap analysis: Word (the document sent to the State), PDF, Markdown, HTML, JSON,
CSV and Excel.

Every format is written from one content model (`content.build_content`), so they say the
same thing. Heavy libraries (python-docx, jinja2) are imported only when a report is made.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from palermo.errors import InputError

if TYPE_CHECKING:
    from palermo.compare import Comparison
    from palermo.model import GapAnalysis


class Format(NamedTuple):
    """One report format: a row of FORMAT_TABLE."""

    name: str                      # what --format takes
    extensions: tuple[str, ...]    # recognised in -o; the first names --output-dir files
    binary: bool                   # bytes for a file only, never printed to a terminal
    writer: str                    # "module:function" in palermo.report, imported when used

    @property
    def extension(self) -> str:
        return self.extensions[0]

    def writer_function(self) -> Any:
        """The writer itself, its module imported now (and only now)."""
        module, _, function = self.writer.partition(":")
        return getattr(importlib.import_module(f"{__name__}.{module}"), function)

    def render(self, content: Any, **options: Any) -> bytes:
        out = self.writer_function()(content, **options)   # bytes, or str written as UTF-8
        return out.encode("utf-8") if isinstance(out, str) else out


# Every report format. A new one is a row here and its writer module: the CLI's --format,
# the extension of -o, `gaps --format` (text formats) and --output-dir names all read it.
FORMAT_TABLE: tuple[Format, ...] = (
    Format("docx", (".docx",), True, "docx:render_docx"),
    Format("markdown", (".md", ".markdown"), False, "markdown_writer:render_markdown"),
    Format("html", (".html", ".htm"), False, "html_writer:render_html"),
    Format("json", (".json",), False, "json_writer:render_json"),
    Format("csv", (".csv",), False, "csv_writer:render_csv"),
    Format("pdf", (".pdf",), True, "pdf:render_pdf"),
    Format("xlsx", (".xlsx",), True, "xlsx_writer:render_xlsx"),
)
FORMATS = tuple(f.name for f in FORMAT_TABLE)
TEXT_FORMATS = tuple(f.name for f in FORMAT_TABLE if not f.binary)
_BY_NAME = {f.name: f for f in FORMAT_TABLE}
_EXTENSIONS = {ext: f.name for f in FORMAT_TABLE for ext in f.extensions}


def report_format(name: str) -> Format:
    """The row of FORMAT_TABLE for a format name (as format_for returns it)."""
    return _BY_NAME[format_for(Path("report"), name)]


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
                  templates_dir: Path | None = None, detail: str = "standard",
                  since: Comparison | None = None) -> bytes:
    """The report as bytes, in one of FORMATS."""
    fmt = format_for(Path(f"report.{fmt}"), fmt)
    if reference_doc is not None and fmt not in ("docx", "pdf"):
        raise InputError("a reference document only applies to the docx and pdf formats",
                         path=str(reference_doc))
    from palermo.report.content import build_content

    content = build_content(analysis, templates_dir=templates_dir, detail=detail, since=since)
    options = {"reference_doc": reference_doc} if reference_doc is not None else {}
    return _BY_NAME[fmt].render(content, **options)


def write_report(analysis: GapAnalysis, out: Path, *, fmt: str | None = None,
                 reference_doc: Path | None = None, templates_dir: Path | None = None,
                 detail: str = "standard", since: Comparison | None = None) -> None:
    """Write the report to `out`: made in memory first, then written atomically."""
    from palermo.writers import write_output

    out = Path(out)
    chosen = format_for(out, fmt)
    data = render_report(analysis, chosen, reference_doc=reference_doc,
                         templates_dir=templates_dir, detail=detail, since=since)
    write_output(out, data)
