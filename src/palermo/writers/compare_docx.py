"""A comparison as a Word document: a short note to send with the new report."""

from __future__ import annotations

import io
from typing import Any

from palermo.compare import KIND_LABELS, KINDS, AnswerChange, Comparison
from palermo.report.content import STATUS_FILL, clean
from palermo.writers.compare_text import (
    advisory_line,
    counts_line,
    heading,
    side_line,
    status_text,
    summary_line,
)


def shade(cell: Any, fill: str) -> None:
    """A cell's background colour (python-docx has no API for it)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    props.append(shd)


def _answer(change: AnswerChange) -> str:
    """For a reader of the document: the question in words, not its id."""
    cited = change.new_citations or change.old_citations
    tail = f" ({'; '.join(cited)})" if cited else ""
    return f"{change.question}: {change.old} → {change.new}{tail}"


def _status_cell(cell: Any, status: Any, binding: bool | None) -> None:
    cell.text = status_text(status, binding)
    if status is not None:
        shade(cell, STATUS_FILL[status])


def render_docx(comparison: Comparison) -> bytes:
    import docx
    from docx.shared import Cm, Pt

    document = docx.Document()
    document.core_properties.title = clean(heading(comparison))
    document.add_heading(clean(heading(comparison)), level=1)
    document.add_paragraph(f"Earlier assessment: {side_line(comparison.old)}")
    document.add_paragraph(f"This assessment: {side_line(comparison.new)}")
    for note in comparison.notes:
        document.add_paragraph(clean(note), style="Intense Quote")
    document.add_paragraph(summary_line(comparison))
    document.add_paragraph("Binding obligations: " + counts_line(comparison))
    if not comparison.changes:
        document.add_paragraph("No obligation changed status, priority or advisories.")
    widths = (Cm(2.8), Cm(2.0), Cm(2.4), Cm(2.4), Cm(6.9))  # 16.5 cm: the page's text width
    for kind in KINDS:
        found = comparison.of_kind(kind)
        if not found:
            continue
        document.add_heading(f"{KIND_LABELS[kind]} ({len(found)})", level=2)
        table = document.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        table.autofit = False
        for cell, text in zip(table.rows[0].cells, ("Obligation", "Article", "Before", "Now",
                                                    "Answers that changed"), strict=True):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        for change in found:
            cells = table.add_row().cells
            cells[0].text = f"{change.obligation_id}\n{comparison.title(change.instrument)}"
            cells[1].text = change.reference
            _status_cell(cells[2], change.old_status, change.old_binding)
            _status_cell(cells[3], change.new_status, change.new_binding)
            details = [_answer(a) for a in change.answers]
            details += [advisory_line(a) for a in change.advisories]
            if change.catalog_changed and not change.answers:
                details.append("No answer changed: the catalog's entry changed.")
            cells[4].text = clean("\n".join(details)) or "—"
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = width
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(9)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
