"""WordprocessingML elements: runs, paragraphs, fields and tables, built with lxml.

python-docx's object layer costs too much per paragraph for a long report, so the body is
written here directly; every builder writes its children in the schema's element order.
Right-to-left script (Arabic, Hebrew) goes into runs of its own marked w:rtl, and a paragraph
that starts in such a script is marked w:bidi.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Sequence
from typing import Any

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_NS = "http://www.w3.org/XML/1998/namespace"
W = f"{{{W_NS}}}"

HEADER_FILL = "DCE3EE"
RULE_COLOUR = "A6A6A6"
TABLE_PT = 9             # font size in tables

_RTL_CHAR = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc"
_RTL_SPAN = re.compile(
    f"[{_RTL_CHAR}](?:[{_RTL_CHAR}\\s\\d.,:;!?()\\[\\]\"'«»\\-–—/]*[{_RTL_CHAR}])?"
)
_SPACE = f"{{{XML_NS}}}space"
_RTL_ONE = re.compile(f"[{_RTL_CHAR}]")
_STRONG = re.compile(f"[{_RTL_CHAR}]|[^\\W\\d_]")


_QNAMES: dict[str, str] = {}


def _q(name: str) -> str:
    """'p' as '{w-namespace}p', remembered: a report makes some 100,000 elements."""
    qualified = _QNAMES.get(name)
    if qualified is None:
        qualified = _QNAMES[name] = W + name
    return qualified


def el(tag: str, attrs: dict[str, str] | None = None, parent: Any = None) -> Any:
    attrib = {_q(k): v for k, v in attrs.items()} if attrs else None
    if parent is None:
        return etree.Element(_q(tag), attrib)
    return etree.SubElement(parent, _q(tag), attrib)


def val(tag: str, value: str | int, parent: Any) -> Any:
    return el(tag, {"val": str(value)}, parent)


def is_rtl(text: str) -> bool:
    """Whether the first strongly directional character is right-to-left (like dir=auto)."""
    match = _STRONG.search(text)
    return bool(match and _RTL_ONE.match(match.group(0)))


class Font:
    """Direct run formatting, kept small: bold, italic, size (pt), colour, code font."""

    __slots__ = ("bold", "italic", "size", "color", "mono")

    def __init__(self, bold: bool = False, italic: bool = False, size: float | None = None,
                 color: str | None = None, mono: bool = False) -> None:
        self.bold, self.italic, self.size, self.color, self.mono = bold, italic, size, color, mono


PLAIN = Font()


_RPR_CACHE: dict[tuple[object, ...], Any] = {}


def run_properties(run: Any, font: Font, rtl: bool) -> None:
    """A run's w:rPr, built once per distinct formatting and copied after that."""
    if not (font.bold or font.italic or font.size or font.color or font.mono or rtl):
        return
    key = (font.bold, font.italic, font.size, font.color, font.mono, rtl)
    made = _RPR_CACHE.get(key)
    if made is None:
        made = _RPR_CACHE[key] = _new_run_properties(font, rtl)
    run.append(copy.deepcopy(made))


def _new_run_properties(font: Font, rtl: bool) -> Any:
    rpr = el("rPr")
    if font.mono:
        el("rFonts", {"ascii": "Consolas", "hAnsi": "Consolas"}, rpr)
    if font.bold:
        el("b", parent=rpr)
        el("bCs", parent=rpr)
    if font.italic:
        el("i", parent=rpr)
        el("iCs", parent=rpr)
    if font.color:
        val("color", font.color, rpr)
    if font.size:
        half = str(round(font.size * 2))
        val("sz", half, rpr)
        val("szCs", half, rpr)
    if rtl:
        el("rtl", parent=rpr)
    return rpr


def text_run(parent: Any, text: str, font: Font, rtl: bool = False) -> None:
    run = el("r", parent=parent)
    run_properties(run, font, rtl)
    if "\n" not in text and "\t" not in text:
        node = el("t", parent=run)
        node.text = text
        if text[:1] == " " or text[-1:] == " ":
            node.set(_SPACE, "preserve")
        return
    pieces = re.split(r"(\n|\t)", text)
    for piece in pieces:
        if piece == "\n":
            el("br", parent=run)
        elif piece == "\t":
            el("tab", parent=run)
        elif piece:
            node = el("t", parent=run)
            node.text = piece
            if piece[0] == " " or piece[-1] == " ":
                node.set(f"{{{XML_NS}}}space", "preserve")


def runs(parent: Any, text: str, font: Font = PLAIN) -> None:
    """Runs for text, right-to-left script (Arabic, Hebrew) in runs of its own marked w:rtl."""
    if not _RTL_ONE.search(text):
        text_run(parent, text, font)
        return
    pos = 0
    for match in _RTL_SPAN.finditer(text):
        if match.start() > pos:
            text_run(parent, text[pos:match.start()], font)
        text_run(parent, match.group(0), font, rtl=True)
        pos = match.end()
    if pos < len(text):
        text_run(parent, text[pos:], font)


Segment = tuple[str, Font]


class Para:
    """Paragraph properties, written in the schema's element order."""

    __slots__ = ("style", "keep_next", "keep_lines", "page_break", "align", "before", "after",
                 "indent", "hanging", "border_bottom", "tab_right", "line")

    def __init__(self, style: str | None = None, *, keep_next: bool = False,
                 keep_lines: bool = False, page_break: bool = False, align: str | None = None,
                 before: int | None = None, after: int | None = None, indent: int | None = None,
                 hanging: int | None = None, border_bottom: bool = False,
                 tab_right: int | None = None, line: int | None = None) -> None:
        self.style, self.keep_next, self.keep_lines = style, keep_next, keep_lines
        self.page_break, self.align, self.before, self.after = page_break, align, before, after
        self.indent, self.hanging = indent, hanging
        self.border_bottom = border_bottom
        self.tab_right = tab_right        # a right-aligned tab stop with a dot leader (TOC)
        self.line = line                  # line spacing in 240ths of a line (240: single)


def paragraph(props: Para, segments: Iterable[Segment] = ()) -> Any:
    """A w:p with its runs; bidi is set when the text starts in a right-to-left script."""
    segments = [s for s in segments if s[0]]
    p = el("p")
    ppr = el("pPr", parent=p)
    if props.style:
        val("pStyle", props.style, ppr)
    if props.keep_next:
        el("keepNext", parent=ppr)
    if props.keep_lines:
        el("keepLines", parent=ppr)
    if props.page_break:
        el("pageBreakBefore", parent=ppr)
    if props.border_bottom:
        borders = el("pBdr", parent=ppr)
        el("bottom", {"val": "single", "sz": "4", "space": "4", "color": RULE_COLOUR}, borders)
    if props.tab_right:
        tabs = el("tabs", parent=ppr)
        el("tab", {"val": "right", "leader": "dot", "pos": str(props.tab_right)}, tabs)
    text = "".join(s[0] for s in segments)
    if text and is_rtl(text):
        el("bidi", parent=ppr)
    if props.before is not None or props.after is not None or props.line:
        spacing = el("spacing", parent=ppr)
        if props.before is not None:
            spacing.set(W + "before", str(props.before))
        if props.after is not None:
            spacing.set(W + "after", str(props.after))
        if props.line:
            spacing.set(W + "line", str(props.line))
            spacing.set(W + "lineRule", "auto")
    if props.indent or props.hanging:
        ind = el("ind", {"left": str(props.indent or 0)}, ppr)
        if props.hanging:
            ind.set(W + "hanging", str(props.hanging))
    if props.align:
        val("jc", props.align, ppr)
    for text_part, font in segments:
        runs(p, text_part, font)
    return p


def simple_field(parent: Any, instruction: str, shown: str, font: Font = PLAIN) -> None:
    field = el("fldSimple", {"instr": f" {instruction} "}, parent)
    text_run(field, shown, font)


def field_char(parent: Any, kind: str, dirty: bool = False) -> None:
    run = el("r", parent=parent)
    node = el("fldChar", {"fldCharType": kind}, run)
    if dirty:
        node.set(W + "dirty", "true")


def instruction(parent: Any, text: str) -> None:
    run = el("r", parent=parent)
    node = el("instrText", parent=run)
    node.set(f"{{{XML_NS}}}space", "preserve")
    node.text = f" {text} "



# ---------------------------------------------------------------------------------------------
# Tables


class Cell:
    """One table cell: paragraphs of segments, optional fill and column span."""

    __slots__ = ("paras", "fill", "span", "align", "valign", "borders")

    def __init__(self, paras: Sequence[tuple[Sequence[Segment], str | None]], *,
                 fill: str | None = None, span: int = 1, align: str | None = None,
                 valign: str | None = None, borders: dict[str, str] | None = None) -> None:
        self.paras, self.fill, self.span, self.align = paras, fill, span, align
        self.valign, self.borders = valign, borders


def cell(*segments: Segment, fill: str | None = None, align: str | None = None,
          span: int = 1, valign: str | None = None) -> Cell:
    return Cell([(segments, None)], fill=fill, align=align, span=span, valign=valign)


def table(style_id: str | None, widths: Sequence[int], rows: Sequence[Sequence[Cell]], *,
           header_rows: int = 1, caption: str | None = None, description: str | None = None,
           borders: dict[str, tuple[str, int, str]] | None = None,
           margins: tuple[int, int] | None = None, row_height: int | None = None,
           cant_split: bool = True, bullet_style: str | None = None,
           keep_together: bool = False, compact: bool = False) -> Any:
    """A fixed-layout w:tbl; the first `header_rows` rows repeat on every page.

    `keep_together` keeps the table on one page with the paragraph after it (keep-with-next
    on every row, which is how Word keeps a table together).
    """
    tbl = el("tbl")
    tpr = el("tblPr", parent=tbl)
    if style_id:
        val("tblStyle", style_id, tpr)
    el("tblW", {"w": str(sum(widths)), "type": "dxa"}, tpr)
    if borders is not None:
        tb = el("tblBorders", parent=tpr)
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            kind, size, colour = borders.get(side, ("nil", 0, "auto"))
            attrs = {"val": kind} if kind == "nil" else {
                "val": kind, "sz": str(size), "space": "0", "color": colour}
            el(side, attrs, tb)
    el("tblLayout", {"type": "fixed"}, tpr)
    if margins is not None:
        mar = el("tblCellMar", parent=tpr)
        vertical, horizontal = margins
        for side, value in (("top", vertical), ("left", horizontal),
                            ("bottom", vertical), ("right", horizontal)):
            el(side, {"w": str(value), "type": "dxa"}, mar)
    el("tblLook", {"val": "04A0" if header_rows else "0000",
                    "firstRow": "1" if header_rows else "0", "lastRow": "0",
                    "firstColumn": "0", "lastColumn": "0", "noHBand": "1", "noVBand": "1"}, tpr)
    if caption:
        val("tblCaption", caption[:250], tpr)
    if description:
        val("tblDescription", description[:1000], tpr)
    grid = el("tblGrid", parent=tbl)
    for width in widths:
        el("gridCol", {"w": str(width)}, grid)
    for n, row in enumerate(rows):
        tr = el("tr", parent=tbl)
        trpr = None
        if cant_split or n < header_rows or row_height:
            trpr = el("trPr", parent=tr)
        if trpr is not None and cant_split:
            el("cantSplit", parent=trpr)
        if trpr is not None and row_height:
            el("trHeight", {"val": str(row_height), "hRule": "atLeast"}, trpr)
        if n < header_rows:
            el("tblHeader", parent=trpr)
        col = 0
        for cell in row:
            tc = el("tc", parent=tr)
            tcpr = el("tcPr", parent=tc)
            el("tcW", {"w": str(sum(widths[col:col + cell.span])), "type": "dxa"}, tcpr)
            if cell.span > 1:
                val("gridSpan", cell.span, tcpr)
            if cell.borders:
                cb = el("tcBorders", parent=tcpr)
                for side in ("top", "left", "bottom", "right"):
                    if side in cell.borders:
                        el(side, {"val": "single", "sz": "12", "space": "0",
                                   "color": cell.borders[side]}, cb)
            fill = cell.fill or (HEADER_FILL if n < header_rows else None)
            if fill:
                el("shd", {"val": "clear", "color": "auto", "fill": fill}, tcpr)
            if cell.valign:
                val("vAlign", cell.valign, tcpr)
            col += cell.span
            for segments, style in cell.paras or [((), None)]:
                is_bullet = style == "bullet"
                after = 0 if compact else (20 if is_bullet else 40)
                props = Para(bullet_style if is_bullet else None, after=after, before=0,
                             align=cell.align, keep_next=keep_together,
                             line=240 if compact else None)
                shown = [(text, sized(font, n < header_rows)) for text, font in segments]
                tc.append(paragraph(props, shown))
    return tbl


def sized(font: Font, header: bool) -> Font:
    return Font(bold=font.bold or header, italic=font.italic, size=font.size or TABLE_PT,
                 color=font.color, mono=font.mono)


_PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
              "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens",
              "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE",
              "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
              "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
              "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
              "sectPr", "pPrChange")


def insert_ppr(ppr: Any, child: Any) -> None:
    """Insert a pPr child at its schema position."""
    rank = _PPR_ORDER.index(etree.QName(child).localname)
    for n, existing in enumerate(ppr):
        local = etree.QName(existing).localname
        if local in _PPR_ORDER and _PPR_ORDER.index(local) > rank:
            ppr.insert(n, child)
            return
    ppr.append(child)

