"""The report as an Excel workbook, for the people who plan and track in spreadsheets.

Three sheets from the one content model: obligations (one row each, with status, priority,
finding, required and recommended measures and citations), answers (one row per question)
and the action plan. Each sheet has a frozen, filterable header, wrapped text, widths that
suit its columns, and status cells coloured as in the Word report (and always carrying the
status word, so the sheet reads in greyscale print).
"""

from __future__ import annotations

import datetime as _dt
import io
from collections.abc import Sequence
from typing import Any

from palermo.model import Status
from palermo.report.content import STATUS_FILL, STATUS_INK, ReportContent

# Cells a spreadsheet would run as a formula; text comes from people we do not control.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CELL_LIMIT = 32767          # characters Excel holds in one cell


def _text(value: str) -> str:
    value = value if len(value) <= _CELL_LIMIT else value[:_CELL_LIMIT - 1] + "…"
    return "'" + value if value.startswith(_FORMULA_START) else value


class _Sheet:
    """Writes one sheet: header, rows, then the finishing (widths, freeze, filter)."""

    def __init__(self, book: Any, title: str, columns: Sequence[tuple[str, int]],
                 first: bool = False) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill

        self.sheet = book.active if first else book.create_sheet()
        self.sheet.title = title[:31]
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.columns = columns
        header_fill = PatternFill("solid", fgColor="DCE3EE")
        for n, (name, _) in enumerate(columns, start=1):
            cell = self.sheet.cell(row=1, column=n, value=name)
            cell.font = Font(bold=True)
            cell.fill = header_fill
            cell.alignment = self.wrap
        self.row = 1

    def add(self, values: Sequence[Any], status: Status | None = None,
            status_column: int | None = None) -> None:
        from openpyxl.styles import Font, PatternFill

        self.row += 1
        lines = 1
        for n, value in enumerate(values, start=1):
            if isinstance(value, str) and value:
                lines = max(lines, _lines(value, self.columns[n - 1][1]))
            shown = _text(value) if isinstance(value, str) else value
            cell = self.sheet.cell(row=self.row, column=n, value=shown)
            cell.alignment = self.wrap
            if isinstance(value, _dt.date):
                cell.number_format = "d mmmm yyyy"
            if status is not None and n == status_column:
                cell.fill = PatternFill("solid", fgColor=STATUS_FILL[status])
                cell.font = Font(bold=True, color=STATUS_INK[status])
        # Not every program sizes wrapped rows on opening (LibreOffice keeps the default).
        self.sheet.row_dimensions[self.row].height = min(409, 13 * lines + 3)

    def finish(self) -> None:
        from openpyxl.utils import get_column_letter

        for n, (_, width) in enumerate(self.columns, start=1):
            self.sheet.column_dimensions[get_column_letter(n)].width = width
        self.sheet.freeze_panes = "A2"
        self.sheet.print_title_rows = "1:1"
        self.sheet.page_setup.orientation = "landscape"
        self.sheet.page_setup.fitToWidth = 1
        self.sheet.page_setup.fitToHeight = 0
        self.sheet.sheet_properties.pageSetUpPr.fitToPage = True
        last = get_column_letter(len(self.columns))
        self.sheet.auto_filter.ref = f"A1:{last}{max(self.row, 1)}"


def _lines(text: str, width: int) -> int:
    """About how many lines a wrapped cell of this width (in characters) needs."""
    per_line = max(int(width * 1.15), 1)
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def _date(value: str) -> _dt.date | str:
    try:
        return _dt.date.fromisoformat(value[:10])
    except ValueError:
        return value


def _obligations(book: Any, c: ReportContent) -> None:
    col = c.labels["columns"]
    sheet = _Sheet(book, c.label("sheets", "obligations"), [
        (col["id"], 16), (col["instrument"], 24), (col["article"], 13), (col["strength"], 18),
        (col["category"], 18), (col["status"], 15), (col["priority"], 10),
        (col["incomplete"], 14), (col["finding"], 60), (col["required"], 60),
        (col["recommended"], 50), (col["citations"], 40),
        *([(col["draft"], 26)] if c.clearances else [])], first=True)   # sign-off in use
    for item in c.items:
        recommended = "\n".join(f"[{a.priority_label}] {a.text}" for a in item.advisories)
        sheet.add([
            item.id, item.instrument_short, item.reference, item.strength_label,
            item.category_label, c.status_text(item.status), item.priority_label or "",
            item.incomplete_label or "", "\n".join(item.findings), "\n\n".join(item.measures),
            recommended, "\n".join(item.citations),
            *([item.draft_label or ""] if c.clearances else []),
        ], item.status, status_column=6)
    sheet.finish()


def _answers(book: Any, c: ReportContent) -> None:
    col = c.labels["columns"]
    sheet = _Sheet(book, c.label("sheets", "answers"), [
        (col["question_id"], 26), (col["question"], 60), (col["answer"], 30),
        (col["citations"], 40), (col["note"], 40), (col["answered"], 16)])
    for group in c.answer_groups:
        for answer in group.answers:
            sheet.add([answer.question_id, answer.question, answer.answer,
                       "\n".join(answer.citations), answer.note or "",
                       _date(answer.answered_iso) if answer.answered_iso else ""])
    sheet.finish()


def _plan(book: Any, c: ReportContent) -> None:
    col = c.labels["columns"]
    sheet = _Sheet(book, c.label("sheets", "plan"), [
        (col["number"], 6), (col["priority"], 10), (col["kind"], 13), (col["id"], 16),
        (col["provision"], 34), (col["action"], 70), (col["status"], 15),
        (col["see"], 12)])
    for row in c.action_plan:
        item = row.item
        see = (c.label("phrases", "finding_ref", number=item.finding_number)
               if item.finding_number else "")
        sheet.add([row.number, row.priority_label, row.kind_label, item.id,
                   f"{item.citation_ref}: {item.article_title}", row.action,
                   c.status_text(item.status), see], item.status, status_column=7)
    sheet.finish()


def render_xlsx(content: ReportContent) -> bytes:
    """The workbook as .xlsx bytes."""
    from openpyxl import Workbook

    book = Workbook()
    _obligations(book, content)
    _answers(book, content)
    _plan(book, content)
    book.properties.title = f"{content.title}: {content.state}"[:250]
    book.properties.creator = content.generator
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
