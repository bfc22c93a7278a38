"""The regional grid as a Word document: A4 landscape, one table per category.

States are the rows. A category with more obligations than fit across the page is split, by
instrument and then in groups of at most COLUMNS_PER_TABLE, so that no table is wider than
the page. Header rows repeat on every page; each cell shows the status symbol on its colour.
"""

from __future__ import annotations

import io
import secrets
import zipfile
from collections.abc import Sequence
from xml.sax.saxutils import escape

from palermo.matrix import CELL_SYMBOLS, TOTAL_LABELS, TOTALS, Column, Matrix
from palermo.model import CATEGORIES
from palermo.report.content import CATEGORY_LABELS, STATUS_FILL, clean
from palermo.writers.matrix_text import legend
from palermo.writers.matrix_xlsx import FILL

# A4 landscape, 1.5 cm margins: 26.7 cm of text width = a 4.5 cm State column and up to 17
# columns of 1.3 cm; 15 obligations leave room for the gap count (25.3 cm in all).
PAGE_WIDTH_CM = 29.7
PAGE_HEIGHT_CM = 21.0
MARGIN_CM = 1.5
STATE_CM = 4.5
STATUS_CM = 1.3
COLUMNS_PER_TABLE = 15
FILLS = {**{s.value: STATUS_FILL[s] for s in STATUS_FILL}, "not_binding": FILL["not_binding"]}


def chunks(columns: Sequence[Column], size: int = COLUMNS_PER_TABLE) -> list[list[Column]]:
    """Columns of one category, grouped by instrument, then cut to at most `size` each."""
    groups: list[list[Column]] = []
    for instrument in dict.fromkeys(c.instrument for c in columns):
        mine = [c for c in columns if c.instrument == instrument]
        groups.extend(mine[i:i + size] for i in range(0, len(mine), size))
    return groups


def _dxa(cm: float) -> int:
    return int(cm * 567)


def _tc(text: str, width: float, fill: str | None, *, bold: bool = False,
        size: float = 8) -> str:
    """One table cell; status columns centred."""
    shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    align = '<w:jc w:val="center"/>' if width == STATUS_CM else ""
    lines = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>'
                           for line in clean(text).split("\n"))
    run = (f'<w:r><w:rPr>{"<w:b/>" if bold else ""}<w:sz w:val="{int(size * 2)}"/></w:rPr>'
           f'{lines}</w:r>') if text else ""
    return (f'<w:tc><w:tcPr><w:tcW w:w="{_dxa(width)}" w:type="dxa"/>{shading}</w:tcPr>'
            f'<w:p><w:pPr><w:spacing w:before="0" w:after="0"/>{align}</w:pPr>{run}</w:p></w:tc>')


class _Writer:
    def __init__(self) -> None:
        import docx
        from docx.enum.section import WD_ORIENT
        from docx.shared import Cm, Pt

        self.doc = docx.Document()
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(PAGE_HEIGHT_CM)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(MARGIN_CM))
        style = self.doc.styles["Normal"]
        style.font.size = Pt(9)
        self.grid = self.doc.styles["Table Grid"].style_id
        self.tables: dict[str, str] = {}
        # Placeholder text no answers file can contain: it is made for this document.
        self.nonce = f"palermo-table-{secrets.token_hex(8)}"

    def table(self, headers: list[tuple[str, float]], rows: list[list[tuple[str, str | None]]],
              footer: list[str] | None = None) -> None:
        """One table, kept as WordprocessingML text until the document is saved.

        Two hundred States make some 60,000 cells: as text they take a few MB, as python-docx
        objects several hundred. The document holds a placeholder paragraph meanwhile.
        """
        parts = [f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.grid}"/>'
                 '<w:tblW w:w="0" w:type="auto"/><w:tblLayout w:type="fixed"/></w:tblPr>'
                 '<w:tblGrid>', *(f'<w:gridCol w:w="{_dxa(w)}"/>' for _, w in headers),
                 '</w:tblGrid>', '<w:tr><w:trPr><w:tblHeader/></w:trPr>']
        parts += [_tc(text, width, "D9D9D9", bold=True, size=6.5) for text, width in headers]
        parts.append("</w:tr>")
        for values in rows:
            parts.append('<w:tr><w:trPr><w:cantSplit/></w:trPr>')
            parts += [_tc(text, width, fill) for (text, fill), (_, width)
                      in zip(values, headers, strict=True)]
            parts.append("</w:tr>")
        if footer:
            parts.append("<w:tr>")
            parts += [_tc(text, width, "F2F2F2", bold=True) for text, (_, width)
                      in zip(footer, headers, strict=True)]
            parts.append("</w:tr>")
        parts.append("</w:tbl>")
        marker = f"{self.nonce}-{len(self.tables)}"
        self.tables[marker] = "".join(parts)
        self.doc.add_paragraph(marker)
        self.doc.add_paragraph()

    def save(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
        result = io.BytesIO()
        with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename == "word/document.xml":
                    data = self._with_tables(data.decode("utf-8")).encode("utf-8")
                target.writestr(item, data)
        return result.getvalue()

    def _with_tables(self, xml: str) -> str:
        for marker, table in self.tables.items():
            placeholder = f"<w:p><w:r><w:t>{marker}</w:t></w:r></w:p>"
            if xml.count(placeholder) != 1:
                raise RuntimeError(f"table placeholder {marker} not found once")
            xml = xml.replace(placeholder, table)
        return xml


def _summary(w: _Writer, matrix: Matrix) -> None:
    headers = [("State", STATE_CM + 2), *((TOTAL_LABELS[t], 2.2) for t in TOTALS)]
    rows: list[list[tuple[str, str | None]]] = [
        [(row.state, None), *((str(n), None) for n in row.totals(matrix.columns).values())]
        for row in matrix.rows]
    w.table(headers, rows)


def _category(w: _Writer, matrix: Matrix, category: str) -> None:
    groups = chunks(matrix.columns_of(category=category))
    for number, columns in enumerate(groups, 1):
        part = f" ({number} of {len(groups)})" if len(groups) > 1 else ""
        instrument = matrix.title(columns[0].instrument)
        w.doc.add_heading(f"{CATEGORY_LABELS.get(category, category)} — {instrument}{part}",
                          level=2)
        # The heading names the instrument, so a column needs only the article reference.
        headers = [("State", STATE_CM),
                   *((c.reference.removeprefix("art. "), STATUS_CM) for c in columns),
                   ("Gaps", STATUS_CM)]
        rows = []
        for row in matrix.rows:
            values: list[tuple[str, str | None]] = [(row.state, None)]
            gaps = 0
            for column in columns:
                cell = row.cells.get(column.id)
                if cell is None:
                    values.append(("", None))
                    continue
                gaps += cell.is_gap
                values.append((CELL_SYMBOLS[cell.key] + ("*" if cell.incomplete else ""),
                               FILLS[cell.key]))
            values.append((str(gaps), None))
            rows.append(values)
        footer = ["States with this gap", *(str(matrix.column_totals(c)["gap"])
                                            for c in columns), ""]
        w.table(headers, rows, footer)


def render_docx(matrix: Matrix) -> bytes:
    w = _Writer()
    title = f"Regional picture: {len(matrix.rows)} States"
    w.doc.core_properties.title = title
    w.doc.add_heading(title, level=1)
    w.doc.add_paragraph(f"Catalog {matrix.catalog_version} · {matrix.filters.describe()}")
    w.doc.add_paragraph(legend())
    if matrix.failures:
        w.doc.add_paragraph(f"Left out ({len(matrix.failures)}):")
        for failure in matrix.failures:
            w.doc.add_paragraph(clean(failure), style="List Bullet")
    w.doc.add_heading("Summary", level=2)
    _summary(w, matrix)
    for category in CATEGORIES:
        if matrix.columns_of(category=category):
            _category(w, matrix, category)
    return w.save()

