"""The regional grid as an Excel workbook: a summary sheet, then one sheet per instrument.

Every status cell holds its symbol and its word as well as a colour, so the sheet reads in
greyscale print; headers are frozen and filterable; the "States with this gap" row sits
below the filtered range so sorting never moves it.
"""

from __future__ import annotations

import io
from typing import Any

from palermo.matrix import CELL_KEYS, CELL_LABELS, TOTAL_LABELS, TOTALS, Column, Matrix, StateRow
from palermo.model import Status
from palermo.report.content import CATEGORY_LABELS, STATUS_FILL, STATUS_INK, clean
from palermo.writers.matrix_text import cell_text, column_label, legend, party_text


def sheet_name(matrix: Matrix, instrument: str) -> str:
    """The catalog's short title where Excel's 31 characters hold it, else its abbreviation."""
    title = matrix.title(instrument)
    if len(title) <= 31 and not set(title) & set("[]:*?/\\"):
        return title
    code = next((c.code for c in matrix.columns if c.instrument == instrument and c.code), "")
    return (code or instrument.upper())[:31]

FILL = {**{s.value: STATUS_FILL[s] for s in Status}, "not_binding": "FFFFFF"}
INK = {**{s.value: STATUS_INK[s] for s in Status}, "not_binding": "595959"}
_FORMULA_START = ("=", "+", "-", "@")


def _text(value: str) -> str:
    """Text from answers files never becomes a formula."""
    value = clean(value)
    return "'" + value if value.startswith(_FORMULA_START) else value


class _Styles:
    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        self.bold = Font(bold=True)
        self.title = Font(bold=True, size=14)
        self.header_fill = PatternFill("solid", fgColor="D9D9D9")
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.center = Alignment(horizontal="center", vertical="center")
        thin = Side(style="thin", color="BFBFBF")
        dotted = Side(style="dotted", color="7F7F7F")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        # Not binding: white with a dotted frame, distinct from every status fill in greyscale.
        self.not_binding_border = Border(left=dotted, right=dotted, top=dotted, bottom=dotted)
        self.fills = {k: PatternFill("solid", fgColor=FILL[k]) for k in CELL_KEYS}
        self.inks = {k: Font(color=INK[k], italic=k == "not_binding") for k in CELL_KEYS}

    def register(self, book: Any) -> None:
        """One named style per status: a grid of 200 States sets one name per cell."""
        from openpyxl.styles import NamedStyle

        for key in CELL_KEYS:
            border = self.not_binding_border if key == "not_binding" else self.border
            book.add_named_style(NamedStyle(
                name=f"palermo {CELL_LABELS[key]}", font=self.inks[key], fill=self.fills[key],
                alignment=self.center, border=border))


def _gaps(row: StateRow, columns: list[Column]) -> int | str:
    """Gaps of one State in these columns; blank when it did not assess any of them."""
    cells = [row.cells[c.id] for c in columns if c.id in row.cells]
    return sum(c.is_gap for c in cells) if cells else ""


def _summary(book: Any, matrix: Matrix, st: _Styles) -> None:
    from openpyxl.utils import get_column_letter

    sheet = book.active
    sheet.title = "Summary"
    sheet["A1"] = f"Regional picture: {len(matrix.rows)} States"
    sheet["A1"].font = st.title
    sheet["A2"] = f"Catalog {matrix.catalog_version} · {matrix.filters.describe()}"
    sheet["A3"] = legend()
    instruments = matrix.instruments()
    headers = ["State", "Party status", "Answers of", *(TOTAL_LABELS[t] for t in TOTALS),
               *(f"Gaps: {sheet_name(matrix, i)}" for i in instruments), "File"]
    top = 5
    for col, text in enumerate(headers, 1):
        cell = sheet.cell(top, col, text)
        cell.font, cell.fill, cell.alignment, cell.border = (st.bold, st.header_fill, st.wrap,
                                                             st.border)
    for r, row in enumerate(matrix.rows, top + 1):
        totals = row.totals(matrix.columns)
        gaps = [_gaps(row, matrix.columns_of(i)) for i in instruments]
        values = [_text(row.state), party_text(row), row.updated or "", *totals.values(), *gaps,
                  _text(row.source)]
        for col, value in enumerate(values, 1):
            sheet.cell(r, col, value).border = st.border
    last = top + len(matrix.rows)
    sheet.row_dimensions[top].height = 30
    sheet.auto_filter.ref = f"A{top}:{get_column_letter(len(headers))}{max(last, top + 1)}"
    sheet.freeze_panes = sheet.cell(top + 1, 2)
    widths = [28, 30, 14, *([9] * len(TOTALS)), *([12] * len(instruments)), 40]
    for col, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    if matrix.failures:
        row_at = last + 2
        sheet.cell(row_at, 1, f"Left out ({len(matrix.failures)}):").font = st.bold
        for offset, failure in enumerate(matrix.failures, 1):
            sheet.cell(row_at + offset, 1, _text(failure))


def _instrument_sheet(book: Any, matrix: Matrix, instrument: str, st: _Styles) -> None:
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(sheet_name(matrix, instrument))
    columns = matrix.columns_of(instrument)  # treaty order; the category is on row 1
    sheet.cell(1, 1, "Category").font = st.bold
    sheet.cell(2, 1, "State").font = st.bold
    sheet.cell(2, 1).fill = st.header_fill
    for col, column in enumerate(columns, 2):
        sheet.cell(1, col, CATEGORY_LABELS.get(column.category, column.category)).alignment = \
            st.wrap
        head = sheet.cell(2, col, f"{column.id}\n{column_label(column)}")
        head.font, head.fill, head.alignment, head.border = (st.bold, st.header_fill, st.wrap,
                                                             st.border)
        sheet.column_dimensions[get_column_letter(col)].width = 15
    for r, row in enumerate(matrix.rows, 3):
        sheet.cell(r, 1, _text(row.state)).border = st.border
        for col, column in enumerate(columns, 2):
            found = row.cells.get(column.id)
            if found is None:
                continue
            cell = sheet.cell(r, col, cell_text(found) + (" *" if found.incomplete else ""))
            cell.style = f"palermo {CELL_LABELS[found.key]}"
    last = 2 + len(matrix.rows)
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(columns) + 1)}{max(last, 3)}"
    sheet.freeze_panes = "B3"
    sheet.column_dimensions["A"].width = 28
    sheet.row_dimensions[2].height = 45
    totals_at = last + 2
    labels = (("gap", "States with this gap"), ("not_met", "of which not met"),
              ("open", "States not yet assessed"), ("not_binding", "States not bound"))
    totals = [matrix.column_totals(column) for column in columns]
    for offset, (key, label) in enumerate(labels):
        sheet.cell(totals_at + offset, 1, label).font = st.bold
        for col, counted in enumerate(totals, 2):
            sheet.cell(totals_at + offset, col, counted[key]).alignment = st.center


def _print_setup(sheet: Any) -> None:
    """Landscape; every printed page repeats the headings and the States' names."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    if sheet.title != "Summary":
        sheet.print_title_rows = "1:2"
        sheet.print_title_cols = "A:A"


def render_xlsx(matrix: Matrix) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    styles = _Styles()
    styles.register(book)
    _summary(book, matrix, styles)
    for instrument in matrix.instruments():
        _instrument_sheet(book, matrix, instrument, styles)
    for sheet in book.worksheets:
        _print_setup(sheet)
    book.properties.title = f"Regional picture: {len(matrix.rows)} States"
    book.properties.creator = "palermo"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
