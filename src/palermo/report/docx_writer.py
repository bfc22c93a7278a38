"""The Word report: a finished legislative assessment, laid out from the report content.

The document uses named styles only (Title, Heading 1-3, Normal, Quote, Caption, List Bullet
and the table style "Palermo Table"), so an organisation's reference document restyles all of
it. The body is written as WordprocessingML directly (python-docx's object layer costs too
much per paragraph for a 150-obligation report); python-docx opens, styles and saves the package.

Status is never shown by colour alone: every status cell carries the symbol and the word.
"""

from __future__ import annotations

import copy
import datetime as _dt
import io
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree

from palermo.errors import InputError
from palermo.model import Status
from palermo.report.content import (
    HEADINGS,
    STATUS_FILL,
    STATUS_INK,
    Block,
    CountRow,
    InstrumentSection,
    ObligationItem,
    ReportContent,
)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_NS = "http://www.w3.org/XML/1998/namespace"
W = f"{{{W_NS}}}"

TABLE_STYLE = "Palermo Table"
PARAGRAPH_STYLES = ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Quote",
                    "Caption", "List Bullet")
# Two levels: instruments/parts and categories. One line per obligation (Heading 3) would make
# the contents of a full assessment run to several pages.
TOC_LEVELS = 2
TOC_INSTRUCTION = f'TOC \\o "1-{TOC_LEVELS}" \\h \\z \\u'

HEADER_FILL = "DCE3EE"
RULE_COLOUR = "A6A6A6"
MUTED = "595959"
ACCENT = "1F3864"

TWIPS_PER_CM = 567
BAR_UNITS = 40           # grid columns a status bar is divided into
TABLE_PT = 9             # font size in tables
A4 = (11906, 16838)      # twips

_RTL_CHAR = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc"
_RTL_SPAN = re.compile(
    f"[{_RTL_CHAR}](?:[{_RTL_CHAR}\\s\\d.,:;!?()\\[\\]\"'«»\\-–—/]*[{_RTL_CHAR}])?"
)
_RTL_ONE = re.compile(f"[{_RTL_CHAR}]")
_STRONG = re.compile(f"[{_RTL_CHAR}]|[^\\W\\d_]")


# ---------------------------------------------------------------------------------------------
# Small WordprocessingML builders


def _el(tag: str, attrs: dict[str, str] | None = None, parent: Any = None) -> Any:
    name = W + tag
    node = etree.Element(name) if parent is None else etree.SubElement(parent, name)
    if attrs:
        for key, value in attrs.items():
            node.set(W + key, value)
    return node


def _val(tag: str, value: str | int, parent: Any) -> Any:
    return _el(tag, {"val": str(value)}, parent)


def _is_rtl(text: str) -> bool:
    """Whether the first strongly directional character is right-to-left (like dir=auto)."""
    match = _STRONG.search(text)
    return bool(match and _RTL_ONE.match(match.group(0)))


class _Font:
    """Direct run formatting, kept small: bold, italic, size (pt), colour, code font."""

    __slots__ = ("bold", "italic", "size", "color", "mono")

    def __init__(self, bold: bool = False, italic: bool = False, size: float | None = None,
                 color: str | None = None, mono: bool = False) -> None:
        self.bold, self.italic, self.size, self.color, self.mono = bold, italic, size, color, mono


PLAIN = _Font()


def _rpr(run: Any, font: _Font, rtl: bool) -> None:
    if not (font.bold or font.italic or font.size or font.color or font.mono or rtl):
        return
    rpr = _el("rPr", parent=run)
    if font.mono:
        _el("rFonts", {"ascii": "Consolas", "hAnsi": "Consolas"}, rpr)
    if font.bold:
        _el("b", parent=rpr)
        _el("bCs", parent=rpr)
    if font.italic:
        _el("i", parent=rpr)
        _el("iCs", parent=rpr)
    if font.color:
        _val("color", font.color, rpr)
    if font.size:
        half = str(round(font.size * 2))
        _val("sz", half, rpr)
        _val("szCs", half, rpr)
    if rtl:
        _el("rtl", parent=rpr)


def _text_run(parent: Any, text: str, font: _Font, rtl: bool = False) -> None:
    run = _el("r", parent=parent)
    _rpr(run, font, rtl)
    pieces = re.split(r"(\n|\t)", text)
    for piece in pieces:
        if piece == "\n":
            _el("br", parent=run)
        elif piece == "\t":
            _el("tab", parent=run)
        elif piece:
            node = _el("t", parent=run)
            node.text = piece
            if piece[0] == " " or piece[-1] == " ":
                node.set(f"{{{XML_NS}}}space", "preserve")


def _runs(parent: Any, text: str, font: _Font = PLAIN) -> None:
    """Runs for text, right-to-left script (Arabic, Hebrew) in runs of its own marked w:rtl."""
    if not _RTL_ONE.search(text):
        _text_run(parent, text, font)
        return
    pos = 0
    for match in _RTL_SPAN.finditer(text):
        if match.start() > pos:
            _text_run(parent, text[pos:match.start()], font)
        _text_run(parent, match.group(0), font, rtl=True)
        pos = match.end()
    if pos < len(text):
        _text_run(parent, text[pos:], font)


Segment = tuple[str, _Font]


class _Para:
    """Paragraph properties, written in the schema's element order."""

    __slots__ = ("style", "keep_next", "keep_lines", "page_break", "align", "before", "after",
                 "indent", "hanging", "border_bottom")

    def __init__(self, style: str | None = None, *, keep_next: bool = False,
                 keep_lines: bool = False, page_break: bool = False, align: str | None = None,
                 before: int | None = None, after: int | None = None, indent: int | None = None,
                 hanging: int | None = None, border_bottom: bool = False) -> None:
        self.style, self.keep_next, self.keep_lines = style, keep_next, keep_lines
        self.page_break, self.align, self.before, self.after = page_break, align, before, after
        self.indent, self.hanging = indent, hanging
        self.border_bottom = border_bottom


def _paragraph(props: _Para, segments: Iterable[Segment] = ()) -> Any:
    """A w:p with its runs; bidi is set when the text starts in a right-to-left script."""
    segments = [s for s in segments if s[0]]
    p = _el("p")
    ppr = _el("pPr", parent=p)
    if props.style:
        _val("pStyle", props.style, ppr)
    if props.keep_next:
        _el("keepNext", parent=ppr)
    if props.keep_lines:
        _el("keepLines", parent=ppr)
    if props.page_break:
        _el("pageBreakBefore", parent=ppr)
    if props.border_bottom:
        borders = _el("pBdr", parent=ppr)
        _el("bottom", {"val": "single", "sz": "4", "space": "4", "color": RULE_COLOUR}, borders)
    text = "".join(s[0] for s in segments)
    if text and _is_rtl(text):
        _el("bidi", parent=ppr)
    if props.before is not None or props.after is not None:
        spacing = _el("spacing", parent=ppr)
        if props.before is not None:
            spacing.set(W + "before", str(props.before))
        if props.after is not None:
            spacing.set(W + "after", str(props.after))
    if props.indent or props.hanging:
        ind = _el("ind", {"left": str(props.indent or 0)}, ppr)
        if props.hanging:
            ind.set(W + "hanging", str(props.hanging))
    if props.align:
        _val("jc", props.align, ppr)
    for text_part, font in segments:
        _runs(p, text_part, font)
    return p


def _simple_field(parent: Any, instruction: str, shown: str, font: _Font = PLAIN) -> None:
    field = _el("fldSimple", {"instr": f" {instruction} "}, parent)
    _text_run(field, shown, font)


def _field_char(parent: Any, kind: str, dirty: bool = False) -> None:
    run = _el("r", parent=parent)
    node = _el("fldChar", {"fldCharType": kind}, run)
    if dirty:
        node.set(W + "dirty", "true")


def _instruction(parent: Any, text: str) -> None:
    run = _el("r", parent=parent)
    node = _el("instrText", parent=run)
    node.set(f"{{{XML_NS}}}space", "preserve")
    node.text = f" {text} "


# ---------------------------------------------------------------------------------------------
# Tables


class _Cell:
    """One table cell: paragraphs of segments, optional fill and column span."""

    __slots__ = ("paras", "fill", "span", "align", "valign", "borders")

    def __init__(self, paras: Sequence[tuple[Sequence[Segment], str | None]], *,
                 fill: str | None = None, span: int = 1, align: str | None = None,
                 valign: str | None = None, borders: dict[str, str] | None = None) -> None:
        self.paras, self.fill, self.span, self.align = paras, fill, span, align
        self.valign, self.borders = valign, borders


def _cell(*segments: Segment, fill: str | None = None, align: str | None = None,
          span: int = 1, valign: str | None = None) -> _Cell:
    return _Cell([(segments, None)], fill=fill, align=align, span=span, valign=valign)


def _table(style_id: str | None, widths: Sequence[int], rows: Sequence[Sequence[_Cell]], *,
           header_rows: int = 1, caption: str | None = None, description: str | None = None,
           borders: dict[str, tuple[str, int, str]] | None = None,
           margins: tuple[int, int] | None = None, row_height: int | None = None,
           cant_split: bool = True, bullet_style: str | None = None,
           keep_together: bool = False) -> Any:
    """A fixed-layout w:tbl; the first `header_rows` rows repeat on every page.

    `keep_together` keeps the table on one page with the paragraph after it (keep-with-next
    on every row, which is how Word keeps a table together).
    """
    tbl = _el("tbl")
    tpr = _el("tblPr", parent=tbl)
    if style_id:
        _val("tblStyle", style_id, tpr)
    _el("tblW", {"w": str(sum(widths)), "type": "dxa"}, tpr)
    if borders is not None:
        tb = _el("tblBorders", parent=tpr)
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            kind, size, colour = borders.get(side, ("nil", 0, "auto"))
            attrs = {"val": kind} if kind == "nil" else {
                "val": kind, "sz": str(size), "space": "0", "color": colour}
            _el(side, attrs, tb)
    _el("tblLayout", {"type": "fixed"}, tpr)
    if margins is not None:
        mar = _el("tblCellMar", parent=tpr)
        vertical, horizontal = margins
        for side, value in (("top", vertical), ("left", horizontal),
                            ("bottom", vertical), ("right", horizontal)):
            _el(side, {"w": str(value), "type": "dxa"}, mar)
    _el("tblLook", {"val": "04A0" if header_rows else "0000",
                    "firstRow": "1" if header_rows else "0", "lastRow": "0",
                    "firstColumn": "0", "lastColumn": "0", "noHBand": "1", "noVBand": "1"}, tpr)
    if caption:
        _val("tblCaption", caption[:250], tpr)
    if description:
        _val("tblDescription", description[:1000], tpr)
    grid = _el("tblGrid", parent=tbl)
    for width in widths:
        _el("gridCol", {"w": str(width)}, grid)
    for n, row in enumerate(rows):
        tr = _el("tr", parent=tbl)
        trpr = None
        if cant_split or n < header_rows or row_height:
            trpr = _el("trPr", parent=tr)
        if trpr is not None and cant_split:
            _el("cantSplit", parent=trpr)
        if trpr is not None and row_height:
            _el("trHeight", {"val": str(row_height), "hRule": "atLeast"}, trpr)
        if n < header_rows:
            _el("tblHeader", parent=trpr)
        col = 0
        for cell in row:
            tc = _el("tc", parent=tr)
            tcpr = _el("tcPr", parent=tc)
            _el("tcW", {"w": str(sum(widths[col:col + cell.span])), "type": "dxa"}, tcpr)
            if cell.span > 1:
                _val("gridSpan", cell.span, tcpr)
            if cell.borders:
                cb = _el("tcBorders", parent=tcpr)
                for side in ("top", "left", "bottom", "right"):
                    if side in cell.borders:
                        _el(side, {"val": "single", "sz": "12", "space": "0",
                                   "color": cell.borders[side]}, cb)
            fill = cell.fill or (HEADER_FILL if n < header_rows else None)
            if fill:
                _el("shd", {"val": "clear", "color": "auto", "fill": fill}, tcpr)
            if cell.valign:
                _val("vAlign", cell.valign, tcpr)
            col += cell.span
            for segments, style in cell.paras or [((), None)]:
                is_bullet = style == "bullet"
                props = _Para(bullet_style if is_bullet else None, after=20 if is_bullet else 40,
                              before=0, align=cell.align, keep_next=keep_together)
                sized = [(text, _sized(font, n < header_rows)) for text, font in segments]
                tc.append(_paragraph(props, sized))
    return tbl


def _sized(font: _Font, header: bool) -> _Font:
    return _Font(bold=font.bold or header, italic=font.italic, size=font.size or TABLE_PT,
                 color=font.color, mono=font.mono)


def _bar_units(counts: Sequence[int], units: int) -> list[int]:
    """Widths of a 100 % stacked bar's segments, each wide enough for its label."""
    total = sum(counts)
    widths = [0] * len(counts)
    if not total:
        return widths
    minimum = [(2 + len(str(c))) if c else 0 for c in counts]
    fixed: set[int] = set()
    while True:
        free = units - sum(minimum[i] for i in fixed)
        rest = sum(counts[i] for i in range(len(counts)) if i not in fixed and counts[i])
        newly = {i for i, c in enumerate(counts)
                 if c and i not in fixed and rest and free * c / rest < minimum[i]}
        if not newly:
            break
        fixed |= newly
    free = units - sum(minimum[i] for i in fixed)
    rest = sum(counts[i] for i in range(len(counts)) if i not in fixed and counts[i])
    shares = {i: free * counts[i] / rest for i in range(len(counts))
              if counts[i] and i not in fixed} if rest else {}
    for i in fixed:
        widths[i] = minimum[i]
    floors = {i: math.floor(v) for i, v in shares.items()}
    for i, v in floors.items():
        widths[i] = v
    left = units - sum(widths)
    for i in sorted(shares, key=lambda i: shares[i] - floors[i], reverse=True)[:max(left, 0)]:
        widths[i] += 1
    if sum(widths) > units:          # more statuses than room: shrink the widest
        widest = max(range(len(widths)), key=lambda i: widths[i])
        widths[widest] -= sum(widths) - units
    return widths


# ---------------------------------------------------------------------------------------------
# The base document: house style or the organisation's reference document


@lru_cache(maxsize=8)
def _prepared_base(reference: str | None, stamp: tuple[int, int] | None) -> bytes:
    """The styled, emptied starting document as bytes (cached: opening it is the fixed cost)."""
    import docx

    if reference is None:
        document = docx.Document()
        _house_style(document)
    else:
        document = _open_reference(Path(reference))
    _clear_body(document)
    _ensure_styles(document)
    _update_fields_on_open(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _open_reference(path: Path) -> Any:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    shown = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("reference document not found", path=shown) from None
    except IsADirectoryError:
        raise InputError("reference document is a directory, expected a .docx file",
                         path=shown) from None
    except OSError as exc:
        raise InputError(f"cannot read reference document: {exc.strerror}", path=shown) from None
    data = _template_as_document(data)
    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError,
            etree.XMLSyntaxError) as exc:
        raise InputError(f"not a Word .docx document ({exc})", path=shown) from None


def _template_as_document(data: bytes) -> bytes:
    """A Word template (.dotx) relabelled as a document, as Word does on File > New."""
    template = b"wordprocessingml.template.main+xml"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as source:
            types = source.read("[Content_Types].xml")
            if template not in types:
                return data
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
                for info in source.infolist():
                    blob = source.read(info.filename)
                    if info.filename == "[Content_Types].xml":
                        blob = blob.replace(template, b"wordprocessingml.document.main+xml")
                    target.writestr(info, blob)
            return out.getvalue()
    except (zipfile.BadZipFile, KeyError):
        return data


def _clear_body(document: Any) -> None:
    """Empty the body but keep the final section properties (page, margins, headers)."""
    body = document.element.body
    for child in list(body):
        if child.tag != W + "sectPr":
            body.remove(child)
    if body.find(W + "sectPr") is None:
        body.append(_el("sectPr"))


def _style_id(document: Any, name: str) -> str | None:
    try:
        return document.styles[name].style_id
    except KeyError:
        return None


def _house_style(document: Any) -> None:
    """palermo's own look, used when no reference document is given."""
    from docx.shared import Cm, Pt, RGBColor

    section = document.sections[0]
    section.page_width, section.page_height = A4[0] * 635, A4[1] * 635   # twips to EMU
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(2.3), Cm(2.2)
    section.header_distance = section.footer_distance = Cm(1.1)

    styles = document.styles
    normal = styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1
    for name, size, before, after, colour in (
        ("Heading 1", 18, 0, 10, ACCENT),
        ("Heading 2", 13.5, 16, 6, "2E5597"),
        ("Heading 3", 11, 14, 4, ACCENT),
    ):
        style = styles[name]
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor.from_string(colour)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
        _theme_font(style, "minor")
    title = styles["Title"]
    title.font.size = Pt(30)
    title.font.color.rgb = RGBColor.from_string(ACCENT)
    title.paragraph_format.space_after = Pt(10)
    _theme_font(title, "minor")
    quote = styles["Quote"]
    quote.font.italic = False
    quote.font.size = Pt(10)
    quote.font.color.rgb = RGBColor.from_string("262626")
    quote.paragraph_format.left_indent = Cm(0.6)
    quote.paragraph_format.right_indent = Cm(0.3)
    quote.paragraph_format.space_after = Pt(3)
    _left_rule(quote)
    caption = styles["Caption"]
    caption.font.bold = False
    caption.font.italic = True
    caption.font.size = Pt(9)
    caption.font.color.rgb = RGBColor.from_string(MUTED)
    caption.paragraph_format.space_before = Pt(4)
    caption.paragraph_format.space_after = Pt(12)
    bullet = styles["List Bullet"]
    bullet.paragraph_format.space_after = Pt(3)


def _theme_font(style: Any, which: str) -> None:
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(W + "rFonts")
    if fonts is None:
        fonts = _el("rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for key, value in (("asciiTheme", f"{which}HAnsi"), ("eastAsiaTheme", f"{which}EastAsia"),
                       ("hAnsiTheme", f"{which}HAnsi"), ("cstheme", f"{which}Bidi")):
        fonts.set(W + key, value)


def _left_rule(style: Any) -> None:
    ppr = style.element.get_or_add_pPr()
    borders = ppr.find(W + "pBdr")
    if borders is None:
        borders = _el("pBdr")
        _insert_ppr(ppr, borders)
    _el("left", {"val": "single", "sz": "18", "space": "8", "color": "8EA9DB"}, borders)


_PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
              "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens",
              "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE",
              "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
              "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
              "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
              "sectPr", "pPrChange")


def _insert_ppr(ppr: Any, child: Any) -> None:
    """Insert a pPr child at its schema position."""
    rank = _PPR_ORDER.index(etree.QName(child).localname)
    for n, existing in enumerate(ppr):
        local = etree.QName(existing).localname
        if local in _PPR_ORDER and _PPR_ORDER.index(local) > rank:
            ppr.insert(n, child)
            return
    ppr.append(child)


def _ensure_styles(document: Any) -> None:
    """Add any style the report needs that the (reference) document lacks."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Cm, Pt

    styles = document.styles
    for name in PARAGRAPH_STYLES:
        if _style_id(document, name) is not None:
            continue
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        if name != "Normal" and _style_id(document, "Normal"):
            style.base_style = styles["Normal"]
        fmt, font = style.paragraph_format, style.font
        if name == "Title":
            font.size, font.bold = Pt(26), True
            fmt.space_after = Pt(12)
        elif name.startswith("Heading"):
            level = int(name[-1])
            font.size, font.bold = Pt({1: 16, 2: 13, 3: 11}[level]), True
            fmt.space_before, fmt.space_after = Pt(12), Pt(4)
            fmt.keep_with_next = True
            outline = _el("outlineLvl", {"val": str(level - 1)})
            _insert_ppr(style.element.get_or_add_pPr(), outline)
        elif name == "Quote":
            font.italic = True
            fmt.left_indent = fmt.right_indent = Cm(0.8)
        elif name == "Caption":
            font.italic, font.size = True, Pt(9)
        elif name == "List Bullet":
            _bullet_numbering(document, style)
    if _style_id(document, TABLE_STYLE) is None:
        _add_table_style(document)


def _bullet_numbering(document: Any, style: Any) -> None:
    """Give a newly added List Bullet style a bullet list definition of its own."""
    numbering = document.part.numbering_part.element
    ids = [int(n.get(W + "abstractNumId")) for n in numbering.findall(W + "abstractNum")]
    nums = [int(n.get(W + "numId")) for n in numbering.findall(W + "num")]
    abstract_id, num_id = max(ids, default=0) + 1, max(nums, default=0) + 1
    abstract = _el("abstractNum", {"abstractNumId": str(abstract_id)})
    _val("multiLevelType", "singleLevel", abstract)
    level = _el("lvl", {"ilvl": "0"}, abstract)
    _val("start", 1, level)
    _val("numFmt", "bullet", level)
    _val("lvlText", "•", level)
    _val("lvlJc", "left", level)
    ppr = _el("pPr", parent=level)
    _el("ind", {"left": "360", "hanging": "360"}, ppr)
    first_num = numbering.find(W + "num")
    if first_num is not None:
        first_num.addprevious(abstract)       # every abstractNum precedes every num
    else:
        numbering.append(abstract)
    num = _el("num", {"numId": str(num_id)}, numbering)
    _val("abstractNumId", abstract_id, num)
    ppr = style.element.get_or_add_pPr()
    numpr = _el("numPr")
    _val("numId", num_id, numpr)
    _insert_ppr(ppr, numpr)


def _add_table_style(document: Any) -> None:
    styles_el = document.styles.element
    style = _el("style", {"type": "table", "customStyle": "1", "styleId": "PalermoTable"})
    _val("name", TABLE_STYLE, style)
    base = _style_id(document, "Normal Table")
    if base:
        _val("basedOn", base, style)
    _val("uiPriority", 59, style)
    ppr = _el("pPr", parent=style)
    _el("spacing", {"before": "0", "after": "0", "line": "240", "lineRule": "auto"}, ppr)
    tpr = _el("tblPr", parent=style)
    borders = _el("tblBorders", parent=tpr)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _el(side, {"val": "single", "sz": "4", "space": "0", "color": RULE_COLOUR}, borders)
    margins = _el("tblCellMar", parent=tpr)
    for side, value in (("top", 45), ("left", 85), ("bottom", 45), ("right", 85)):
        _el(side, {"w": str(value), "type": "dxa"}, margins)
    first = _el("tblStylePr", {"type": "firstRow"}, style)
    rpr = _el("rPr", parent=first)
    _el("b", parent=rpr)
    _el("bCs", parent=rpr)
    tcpr = _el("tcPr", parent=first)
    _el("shd", {"val": "clear", "color": "auto", "fill": HEADER_FILL}, tcpr)
    styles_el.append(style)


_SETTINGS_AFTER_UPDATE = ("hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars",
                          "rsids", "mathPr", "attachedSchema", "themeFontLang",
                          "clrSchemeMapping", "doNotIncludeSubdocsInStats",
                          "doNotAutoCompressPictures", "forceUpgrade", "captions",
                          "readModeInkLockDown", "smartTagType", "schemaLibrary",
                          "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol",
                          "listSeparator")


def _update_fields_on_open(document: Any) -> None:
    """w:updateFields: Word refreshes the table of contents and page counts on opening."""
    settings = document.settings.element
    existing = settings.find(W + "updateFields")
    if existing is not None:
        existing.set(W + "val", "true")
        return
    node = _el("updateFields", {"val": "true"})
    for child in settings:
        if etree.QName(child).localname in _SETTINGS_AFTER_UPDATE:
            child.addprevious(node)
            return
    settings.append(node)


# ---------------------------------------------------------------------------------------------
# The report


class _Builder:
    """Lays the report content out in a prepared document."""

    def __init__(self, document: Any, content: ReportContent, house: bool) -> None:
        self.document = document
        self.content = content
        self.house = house
        self.body = document.element.body
        self.final_sectpr = self.body.find(W + "sectPr")
        self.styles = {name: _style_id(document, name) for name in PARAGRAPH_STYLES}
        self.table_style = _style_id(document, TABLE_STYLE)
        self.toc: list[tuple[int, str, str]] = []
        self.bookmark = 0
        # Text widths in twips; a reference document without page settings gets A4, 2 cm.
        section = document.sections[0]
        width = int(section.page_width or A4[0] * 635)
        height = int(section.page_height or A4[1] * 635)
        margins = int(section.left_margin if section.left_margin is not None else 720000) + \
            int(section.right_margin if section.right_margin is not None else 720000)
        self.portrait_width = (min(width, height) - margins) // 635
        self.landscape_width = (max(width, height) - margins) // 635
        self.width = self.portrait_width
        self.fresh_page = True

    # -- primitives ---------------------------------------------------------------------------

    def add(self, node: Any) -> Any:
        self.final_sectpr.addprevious(node)
        self.fresh_page = False
        return node

    def para(self, segments: Sequence[Segment] | str, style: str = "Normal", **props: Any) -> Any:
        if isinstance(segments, str):
            segments = [(segments, PLAIN)]
        return self.add(_paragraph(_Para(self.styles[style], **props), segments))

    def heading(self, level: int, text: str, *, new_page: bool = False) -> Any:
        self.bookmark += 1
        name = f"_Toc{self.bookmark:07d}"
        page_break = new_page and not self.fresh_page
        node = self.para(text, f"Heading {level}", page_break=page_break)
        start = _el("bookmarkStart", {"id": str(self.bookmark), "name": name})
        node.find(W + "pPr").addnext(start)
        _el("bookmarkEnd", {"id": str(self.bookmark)}, node)
        self.toc.append((level, text, name))
        return node

    def blocks(self, items: Iterable[Block], style: str = "Normal") -> None:
        for block in items:
            if block.kind == "bullets":
                last = len(block.items) - 1
                for n, item in enumerate(block.items):
                    # The list's last item keeps a paragraph's distance from what follows.
                    self.para(item, "List Bullet", after=120 if n == last else None)
            else:
                self.para(block.text, style)

    def label(self, text: str) -> None:
        """A run-in label above a part of an obligation's entry (not a heading: no TOC line)."""
        self.para([(text, _Font(bold=True, color=ACCENT))], keep_next=True, before=100, after=40)

    def table(self, widths: Sequence[int], rows: Sequence[Sequence[_Cell]], **kw: Any) -> Any:
        kw.setdefault("margins", None if self.table_style else (40, 85))
        kw.setdefault("bullet_style", self.styles["List Bullet"])
        if self.table_style is None:
            kw.setdefault("borders", {side: ("single", 4, RULE_COLOUR) for side in
                                      ("top", "left", "bottom", "right", "insideH", "insideV")})
        node = self.add(_table(self.table_style, widths, rows, **kw))
        return node

    def spacer(self, after: int = 0) -> None:
        """An empty paragraph between a table and what follows (Word merges adjacent tables)."""
        self.add(_paragraph(_Para(self.styles["Normal"], before=0, after=after),
                            [(" ", _Font(size=4))]))

    def cm(self, value: float) -> int:
        return round(value * TWIPS_PER_CM)

    def columns(self, *fractions: float) -> list[int]:
        """Column widths as fractions of the text width; the last takes the remainder."""
        widths = [round(self.width * f) for f in fractions[:-1]]
        return widths + [self.width - sum(widths)]

    def section_break(self, *, landscape: bool, first: bool = False) -> None:
        """End the current section here; the next starts on a new page."""
        from docx.enum.section import WD_ORIENT
        from docx.section import Section

        sectpr = copy.deepcopy(self.final_sectpr)
        holder = _paragraph(_Para(self.styles["Normal"], before=0, after=0))
        holder.find(W + "pPr").append(sectpr)
        self.add(holder)
        section = Section(sectpr, self.document.part)
        if not first:
            section.different_first_page_header_footer = False
        if landscape:
            width, height = section.page_width, section.page_height
            if width is not None and height is not None and width < height:
                section.page_width, section.page_height = height, width
            section.orientation = WD_ORIENT.LANDSCAPE
        self.fresh_page = True

    def set_page(self, *, landscape: bool) -> None:
        self.width = self.landscape_width if landscape else self.portrait_width

    # -- parts --------------------------------------------------------------------------------

    def build(self) -> None:
        c = self.content
        self.header_footer()
        self.cover()
        self.contents()
        self.summary()
        self.glance()
        for section in c.sections:
            self.instrument(section)
        if c.action_plan:
            # The cover page alone hides the running header: only the first section has titlePg.
            self.section_break(landscape=False, first=True)
            self.set_page(landscape=True)
            self.action_plan()
            self.section_break(landscape=True)
            self.set_page(landscape=False)
        else:
            self.heading(1, HEADINGS["action_plan"], new_page=True)
            self.blocks(c.action_plan_intro)
        self.answers_annex()
        self.notifications_annex()
        self.heading(1, HEADINGS["annex_method"], new_page=True)
        self.blocks(c.method)
        if c.action_plan:
            from docx.section import Section
            Section(self.final_sectpr, self.document.part).different_first_page_header_footer \
                = False
        self.fill_toc()

    def header_footer(self) -> None:
        section = self.document.sections[0]
        if self.house:
            section.different_first_page_header_footer = True
        small = _Font(size=8.5, color=MUTED)
        header = section.header
        element = header._element
        text = "".join(element.itertext())
        if self.content.state not in text:
            if not text.strip() and not element.findall(f".//{W}drawing"):
                for child in list(element):
                    element.remove(child)
            element.append(_paragraph(
                _Para(self.styles["Normal"], after=0, border_bottom=self.house),
                [(self.content.state, _Font(size=8.5, color=MUTED, bold=True)),
                 (f"   {self.content.title}", small)]))
        footer = section.footer._element
        if "PAGE" not in "".join(f.get(W + "instr", "") for f in footer.iter(W + "fldSimple")) \
                and " PAGE " not in "".join(footer.itertext()):
            if not "".join(footer.itertext()).strip():
                for child in list(footer):
                    footer.remove(child)
            p = _paragraph(_Para(self.styles["Normal"], after=0, align="center"),
                           [("Page ", small)])
            _simple_field(p, "PAGE", "1", small)
            _text_run(p, " of ", small)
            _simple_field(p, "NUMPAGES", "1", small)
            footer.append(p)

    def cover(self) -> None:
        c = self.content
        self.para(c.title, "Title", before=2200 if self.house else None)
        self.para([(c.state, _Font(bold=True, size=24, color=ACCENT))], after=120)
        self.para([(c.subtitle, _Font(size=13, color=MUTED))], after=480)
        widths = self.columns(0.68, 0.32)
        rows = [[_cell(("Instrument", PLAIN)), _cell((f"Status of {c.state}", PLAIN))]]
        for info in c.instruments:
            status = info.party_label if info.assessed else (
                "Provisions applying to the Protocol offences"
                if info.party_status is None else info.party_label)
            rows.append([_cell((info.title, PLAIN)), _cell((status, PLAIN))])
        self.table(widths, rows, caption="Instruments assessed")
        self.spacer(after=240)
        details = [("Date", c.date)]
        if c.assessor:
            details.append(("Assessor", c.assessor))
        details.append(("Catalog of obligations", f"version {c.catalog_version}"))
        if c.answers_catalog_version and c.answers_catalog_version != c.catalog_version:
            details.append(("Answers recorded with",
                            f"catalog version {c.answers_catalog_version}"))
        details.append(("Prepared with", c.generator))
        for name, value in details:
            self.para([(f"{name}: ", _Font(bold=True)), (value, PLAIN)], after=40)
        self.para("", before=360, after=0)
        for block in c.cover_note:
            if block.kind == "para":
                self.para([(block.text, _Font(size=9, color=MUTED))], after=80)
            else:
                for item in block.items:
                    self.para([(item, _Font(size=9, color=MUTED))], "List Bullet")

    def contents(self) -> None:
        self.para([(HEADINGS["contents"], _Font(bold=True, size=18, color=ACCENT))],
                  page_break=True, after=240)
        self.toc_anchor = self.para("", after=0)

    def fill_toc(self) -> None:
        """The TOC field, pre-filled with the headings so every viewer shows them at once.

        Word rebuilds it with page numbers on opening (w:updateFields); viewers that do not
        update fields still show the list of headings, each a link to its heading.
        """
        anchor = self.toc_anchor
        first = True
        for level, text, bookmark in self.toc:
            if level > TOC_LEVELS:
                continue
            font = _Font(bold=level == 1)
            p = _paragraph(_Para(self.styles["Normal"], indent=level * 360, hanging=360,
                                 after=20 if level > 1 else 40, before=80 if level == 1 else 0))
            if first:
                _field_char(p, "begin", dirty=True)
                _instruction(p, TOC_INSTRUCTION)
                _field_char(p, "separate")
                first = False
            link = _el("hyperlink", {"anchor": bookmark, "history": "1"}, p)
            _runs(link, text, font)
            anchor.addprevious(p)
        if first:      # no heading at all: keep a valid, empty field
            p = _paragraph(_Para(self.styles["Normal"]))
            _field_char(p, "begin", dirty=True)
            _instruction(p, TOC_INSTRUCTION)
            _field_char(p, "separate")
            anchor.addprevious(p)
        _field_char(anchor, "end")

    def summary(self) -> None:
        self.heading(1, HEADINGS["summary"], new_page=True)
        self.blocks(self.content.summary)

    def glance(self) -> None:
        c = self.content
        self.heading(1, HEADINGS["glance"], new_page=True)
        total = c.totals
        self.status_line(total)
        self.legend()
        self.bar_chart("Instrument", c.by_instrument, f"Figure 1. {HEADINGS['by_instrument']}")
        self.bar_chart("Category", c.by_category, f"Figure 2. {HEADINGS['by_category']}")
        self.count_table(c.by_instrument, c.totals,
                         "Table 1. Number of obligations by instrument and status")

    def status_line(self, row: CountRow) -> None:
        parts: list[Segment] = [(f"{row.total} obligations assessed: ", _Font(bold=True))]
        shown = [(s, n) for s, n in row.counts]
        for n, (status, count) in enumerate(shown):
            sep = ", " if n < len(shown) - 1 else "."
            parts.append((f"{count} {status.label.lower()} {status.symbol}{sep}", PLAIN))
        self.para(parts)

    def legend(self) -> None:
        statuses = list(Status)
        widths = self.columns(*([1 / len(statuses)] * len(statuses)))
        row = [_cell((f"{s.symbol}  {s.label}", _Font(bold=True, color=STATUS_INK[s])),
                     fill=STATUS_FILL[s], align="center") for s in statuses]
        white = ("single", 24, "FFFFFF")
        self.table(widths, [row], header_rows=0, caption="Key to statuses",
                   borders={"insideV": white, "top": white, "bottom": white,
                            "left": white, "right": white},
                   margins=(30, 40))
        self.spacer(after=120)

    def bar_chart(self, label: str, rows: Sequence[CountRow], caption: str) -> None:
        if not rows:
            return
        label_w, total_w = self.cm(4.6), self.cm(1.6)
        bar = self.width - label_w - total_w
        unit = bar // BAR_UNITS
        widths = [label_w] + [unit] * (BAR_UNITS - 1) + [bar - unit * (BAR_UNITS - 1), total_w]
        header = [_cell((label, PLAIN)), _cell(("Share of obligations by status", PLAIN),
                                               span=BAR_UNITS), _cell(("Total", PLAIN),
                                                                      align="right")]
        table_rows = [header]
        described = []
        for row in rows:
            counts = [n for _, n in row.counts]
            units = _bar_units(counts, BAR_UNITS)
            cells = [_cell((row.label, _Font(bold=True)), valign="center")]
            for (status, count), span in zip(row.counts, units, strict=True):
                if not span:
                    continue
                cell = _cell((f"{count} {status.symbol}", _Font(bold=True, size=8.5,
                                                                color=STATUS_INK[status])),
                             fill=STATUS_FILL[status], span=span, align="center",
                             valign="center")
                cell.borders = {"left": "FFFFFF", "right": "FFFFFF"}
                cells.append(cell)
            if not row.total:
                cells.append(_cell(("", PLAIN), span=BAR_UNITS))
            cells.append(_cell((str(row.total), _Font(bold=True)), align="right",
                               valign="center"))
            table_rows.append(cells)
            described.append(f"{row.label}: " + ", ".join(
                f"{s.label.lower()} {n}" for s, n in row.counts if n))
        rule = ("single", 4, RULE_COLOUR)
        self.table(widths, table_rows, caption=caption, description="; ".join(described),
                   borders={"top": rule, "bottom": rule, "insideH": ("single", 18, "FFFFFF")},
                   margins=(20, 40), row_height=380)
        self.para(caption, "Caption", keep_next=False)

    def count_table(self, rows: Sequence[CountRow], total: CountRow, caption: str) -> None:
        if not rows:
            return
        statuses = list(Status)
        widths = self.columns(*([0.22] + [0.135] * len(statuses) + [0.105]))
        header = [_cell(("Instrument", PLAIN))] + [
            _cell((f"{s.symbol} {s.label}", PLAIN), align="center") for s in statuses
        ] + [_cell(("Total", PLAIN), align="right")]
        body = []
        for row in [*rows, total]:
            bold = row is total
            cells = [_cell((row.label, _Font(bold=bold)))]
            for status in statuses:
                count = row.get(status)
                cells.append(_cell((str(count), _Font(bold=bold)), align="center",
                                   fill=STATUS_FILL[status] if count else None))
            cells.append(_cell((str(row.total), _Font(bold=True)), align="right"))
            body.append(cells)
        self.table(widths, [header, *body], caption=caption)
        self.para(caption, "Caption")

    def instrument(self, section: InstrumentSection) -> None:
        info = section.info
        self.heading(1, info.short, new_page=True)
        self.para([(info.title, _Font(italic=True, color=MUTED))], after=120)
        if section.not_binding:
            for block in section.not_binding:
                text = block.text if block.kind == "para" else " ".join(block.items)
                self.table(self.columns(1.0), [[_Cell(
                    [([("Not yet binding. ", _Font(bold=True)), (text, PLAIN)], None)],
                    fill=STATUS_FILL[Status.NOT_ASSESSED])]], header_rows=0,
                    caption="Not yet binding")
            self.spacer(after=120)
        self.blocks(section.intro)
        for category in section.categories:
            self.heading(2, f"{category.title}")
            self.blocks(category.intro)
            for item in category.items:
                self.obligation(item)

    def obligation(self, item: ObligationItem) -> None:
        self.heading(3, item.heading)
        quote = self.styles["Quote"]
        # The treaty text is kept with the status table that follows it.
        if item.chapeau:
            self.add(_paragraph(_Para(quote, keep_next=True), [(item.chapeau, PLAIN)]))
        self.add(_paragraph(_Para(quote, keep_next=True, after=120),
                            [(item.text_label + item.text, PLAIN)]))
        self.facts(item)
        self.label(HEADINGS["domestic_law"])
        if not item.answers:
            self.para("No answer bears on this obligation yet.")
        for answer in item.answers:
            self.para([(answer.question, _Font(italic=True)), ("  ", PLAIN),
                       (answer.answer, _Font(bold=True))], after=40, keep_next=bool(
                           answer.citations or answer.note))
            for citation in answer.citations:
                self.para(citation, "List Bullet")
            if answer.note:
                excerpt = answer.note_excerpt or ""
                more = " (full note in Annex A)" if excerpt != answer.note else ""
                self.para([("Note: ", _Font(bold=True, size=9.5, color=MUTED)),
                           (excerpt + more, _Font(size=9.5, color=MUTED))], after=60)
        self.label(HEADINGS["finding"])
        for finding in item.findings or ("No finding recorded.",):
            self.para(finding)
        if item.measure_blocks:
            self.label(HEADINGS["measures"])
            self.blocks(item.measure_blocks)

    def facts(self, item: ObligationItem) -> None:
        status = item.status
        rows = [[
            _cell(("Status", _Font(bold=True))),
            _cell((f"{status.symbol}  {status.label}", _Font(bold=True, color=STATUS_INK[status])),
                  fill=STATUS_FILL[status]),
        ]]
        strength = item.strength_label
        rows.append([_cell(("Obligation", _Font(bold=True))), _Cell(
            [([(strength, PLAIN)], None)]
            + ([([(item.strength_note, _Font(italic=True, color=MUTED))], None)]
               if item.strength_note else []))])
        rows.append([_cell(("In brief", _Font(bold=True))), _cell((item.summary, PLAIN))])
        if item.priority_label:
            rows.append([_cell(("Priority", _Font(bold=True))),
                         _cell((item.priority_label, PLAIN))])
        if item.option_label:
            rows.append([_cell(("Option taken", _Font(bold=True))),
                         _cell((item.option_label, PLAIN))])
        if not item.binding:
            rows.append([_cell(("Binding", _Font(bold=True))), _cell(
                ("Not yet: would bind on becoming a Party", PLAIN))])
        self.table(self.columns(0.2, 0.8), rows, header_rows=0, keep_together=True,
                   caption=f"{item.id}: status {status.label}")

    def action_plan(self) -> None:
        c = self.content
        self.heading(1, HEADINGS["action_plan"])
        self.blocks(c.action_plan_intro)
        widths = self.columns(0.04, 0.07, 0.18, 0.24, 0.115, 0.355)
        header = [_cell((h, PLAIN)) for h in
                  ("No.", "Priority", "Obligation", "Requirement", "Status",
                   HEADINGS["measures"])]
        rows = [header]
        for action in c.action_plan:
            item = action.item
            measures: list[tuple[Sequence[Segment], str | None]] = []
            for block in item.measure_blocks:
                if block.kind == "bullets":
                    measures.extend(([(text, PLAIN)], "bullet") for text in block.items)
                else:
                    measures.append(([(block.text, PLAIN)], None))
            rows.append([
                _cell((str(action.number), PLAIN), align="right"),
                _cell((item.priority_label or "", _Font(bold=True))),
                _Cell([([(item.id, _Font(bold=True))], None),
                       ([(item.citation_ref, PLAIN)], None),
                       ([(item.article_title, _Font(italic=True, color=MUTED))], None)]),
                _cell((item.summary, PLAIN)),
                _cell((f"{item.status.symbol} {item.status.label}",
                       _Font(bold=True, color=STATUS_INK[item.status])),
                      fill=STATUS_FILL[item.status]),
                _Cell(measures or [([("See the finding.", PLAIN)], None)]),
            ])
        self.table(widths, rows, caption=HEADINGS["action_plan"])

    def answers_annex(self) -> None:
        c = self.content
        self.heading(1, HEADINGS["annex_answers"], new_page=True)
        self.blocks(c.answers_intro)
        for group in c.answer_groups:
            self.heading(2, group.title)
            for answer in group.answers:
                self.para([(answer.question, _Font(bold=True))], keep_next=True, before=120,
                          after=20)
                self.para([("Answer: ", _Font(color=MUTED)), (answer.answer, PLAIN),
                           (f"   [{answer.question_id}]", _Font(size=8, color=MUTED))],
                          after=40, keep_next=bool(answer.citations))
                for citation in answer.citations:
                    self.para(citation, "List Bullet")
                if answer.note:
                    lines = [line for line in answer.note.split("\n") if line.strip()]
                    for n, line in enumerate(lines):
                        lead = [("Note: ", _Font(bold=True, color=MUTED))] if n == 0 else []
                        self.para([*lead, (line, PLAIN)], after=60)

    def notifications_annex(self) -> None:
        c = self.content
        self.heading(1, HEADINGS["annex_notifications"], new_page=True)
        self.blocks(c.notifications_intro)
        if not c.notifications:
            return
        widths = self.columns(0.22, 0.2, 0.25, 0.18, 0.15)
        rows = [[_cell((h, PLAIN)) for h in ("Obligation", "Notify", "What", "When", "Status")]]
        for note in c.notifications:
            item = note.item
            rows.append([
                _Cell([([(item.id, _Font(bold=True))], None),
                       ([(item.citation_ref, PLAIN)], None)]),
                _cell((note.to, PLAIN)),
                _cell((note.what, PLAIN)),
                _cell((note.when, PLAIN)),
                _cell((f"{item.status.symbol} {item.status.label}",
                       _Font(bold=True, color=STATUS_INK[item.status])),
                      fill=STATUS_FILL[item.status]),
            ])
        self.table(widths, rows, caption=HEADINGS["annex_notifications"])


def _core_properties(document: Any, content: ReportContent) -> None:
    props = document.core_properties
    props.title = f"{content.title}: {content.state}"[:250]
    props.subject = content.subtitle[:250]
    props.author = (content.assessor or "palermo")[:250]
    props.last_modified_by = content.generator
    props.keywords = "UNTOC; Palermo Protocols; legislative assessment"
    props.comments = f"Catalog of obligations version {content.catalog_version}"
    props.category = "Legislative gap assessment"
    now = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0, tzinfo=None)
    props.created = props.modified = now
    props.revision = 1


def render_docx(content: ReportContent, *, reference_doc: Path | None = None) -> bytes:
    """The Word report as .docx bytes."""
    import docx

    if reference_doc is None:
        base = _prepared_base(None, None)
    else:
        path = Path(reference_doc)
        try:
            stat = path.stat()
        except FileNotFoundError:
            raise InputError("reference document not found", path=str(path)) from None
        except OSError as exc:
            raise InputError(f"cannot read reference document: {exc.strerror}",
                             path=str(path)) from None
        base = _prepared_base(str(path.resolve()), (stat.st_mtime_ns, stat.st_size))
    document = docx.Document(io.BytesIO(base))
    _Builder(document, content, house=reference_doc is None).build()
    _core_properties(document, content)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
