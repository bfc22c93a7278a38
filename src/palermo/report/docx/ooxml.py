"""WordprocessingML elements: runs, paragraphs, fields and tables, built with lxml.

python-docx's object layer costs too much per paragraph for a long report, so the body is
written here directly; every builder writes its children in the schema's element order.
Right-to-left script (Arabic, Hebrew) goes into runs of its own marked w:rtl, and a paragraph
that starts in such a script is marked w:bidi.
"""

from __future__ import annotations

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


_RPR_CACHE: dict[tuple[object, ...], str] = {}
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_DECLARED = f' xmlns:w="{W_NS}"'
_OPEN = f"<w:x{_DECLARED}>"
HOLDER = W + "x"          # the parsed fragment's wrapper, never written into a document
_PARSER = etree.XMLParser(remove_blank_text=False, resolve_entities=False, no_network=True,
                          huge_tree=True)


def esc(text: str) -> str:
    """Text as XML character data or an attribute value: the one escape every writer uses.

    Characters XML 1.0 cannot carry (C0 controls other than tab and newline) are dropped.
    """
    if _NOT_XML.search(text):
        text = _NOT_XML.sub("", text)
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def parse_fragment(xml: str) -> list[Any]:
    """WordprocessingML written as text (prefix w:), parsed once into elements."""
    return list(etree.fromstring(f"{_OPEN}{xml}</w:x>", _PARSER))


def parse_one(xml: str) -> Any:
    """The element written in `xml`; it stays the only child of its parsed holder."""
    return parse_fragment(xml)[0]


def is_holder(node: Any) -> bool:
    return node is not None and node.tag == HOLDER


def serialized(node: Any) -> str:
    """An element as text in the w: prefix, without the namespace declaration it carries."""
    return etree.tostring(node, encoding="unicode", with_tail=False).replace(_DECLARED, "")


def _attrs(attrs: dict[str, str] | None) -> str:
    if not attrs:
        return ""
    return "".join(f' w:{k}="{esc(v)}"' for k, v in attrs.items())


def run_properties_xml(font: Font, rtl: bool) -> str:
    """A run's w:rPr as text, written once per distinct formatting."""
    if not (font.bold or font.italic or font.size or font.color or font.mono or rtl):
        return ""
    key = (font.bold, font.italic, font.size, font.color, font.mono, rtl)
    made = _RPR_CACHE.get(key)
    if made is None:
        parts = ["<w:rPr>"]
        if font.mono:
            parts.append('<w:rFonts w:ascii="Consolas" w:hAnsi="Consolas"/>')
        if font.bold:
            parts.append("<w:b/><w:bCs/>")
        if font.italic:
            parts.append("<w:i/><w:iCs/>")
        if font.color:
            parts.append(f'<w:color w:val="{esc(font.color)}"/>')
        if font.size:
            half = str(round(font.size * 2))
            parts.append(f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>')
        if rtl:
            parts.append("<w:rtl/>")
        parts.append("</w:rPr>")
        made = _RPR_CACHE[key] = "".join(parts)
    return made


def _t(piece: str) -> str:
    if piece[0] == " " or piece[-1] == " ":
        return f'<w:t xml:space="preserve">{esc(piece)}</w:t>'
    return f"<w:t>{esc(piece)}</w:t>"


def run_xml(text: str, font: Font, rtl: bool = False) -> str:
    """One w:r: newlines as w:br, tabs as w:tab."""
    head = "<w:r>" + run_properties_xml(font, rtl)
    if "\n" not in text and "\t" not in text:
        return f"{head}{_t(text) if text else '<w:t/>'}</w:r>"
    parts = [head]
    for piece in re.split(r"(\n|\t)", text):
        if piece == "\n":
            parts.append("<w:br/>")
        elif piece == "\t":
            parts.append("<w:tab/>")
        elif piece:
            parts.append(_t(piece))
    parts.append("</w:r>")
    return "".join(parts)


def runs_xml(text: str, font: Font = PLAIN) -> str:
    """Runs for text, right-to-left script (Arabic, Hebrew) in runs of its own marked w:rtl."""
    if not _RTL_ONE.search(text):
        return run_xml(text, font)
    parts = []
    pos = 0
    for match in _RTL_SPAN.finditer(text):
        if match.start() > pos:
            parts.append(run_xml(text[pos:match.start()], font))
        parts.append(run_xml(match.group(0), font, rtl=True))
        pos = match.end()
    if pos < len(text):
        parts.append(run_xml(text[pos:], font))
    return "".join(parts)


def text_run(parent: Any, text: str, font: Font, rtl: bool = False) -> None:
    parent.extend(parse_fragment(run_xml(text, font, rtl)))


def runs(parent: Any, text: str, font: Font = PLAIN) -> None:
    parent.extend(parse_fragment(runs_xml(text, font)))


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


def _ppr_xml(props: Para, rtl: bool) -> str:
    parts = ["<w:pPr>"]
    if props.style:
        parts.append(f'<w:pStyle w:val="{esc(props.style)}"/>')
    if props.keep_next:
        parts.append("<w:keepNext/>")
    if props.keep_lines:
        parts.append("<w:keepLines/>")
    if props.page_break:
        parts.append("<w:pageBreakBefore/>")
    if props.border_bottom:
        parts.append('<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="4" '
                     f'w:color="{RULE_COLOUR}"/></w:pBdr>')
    if props.tab_right:
        parts.append(f'<w:tabs><w:tab w:val="right" w:leader="dot" '
                     f'w:pos="{int(props.tab_right)}"/></w:tabs>')
    if rtl:
        parts.append("<w:bidi/>")
    if props.before is not None or props.after is not None or props.line:
        spacing = ["<w:spacing"]
        if props.before is not None:
            spacing.append(f' w:before="{int(props.before)}"')
        if props.after is not None:
            spacing.append(f' w:after="{int(props.after)}"')
        if props.line:
            spacing.append(f' w:line="{int(props.line)}" w:lineRule="auto"')
        parts.append("".join(spacing) + "/>")
    if props.indent or props.hanging:
        hanging = f' w:hanging="{int(props.hanging)}"' if props.hanging else ""
        parts.append(f'<w:ind w:left="{int(props.indent or 0)}"{hanging}/>')
    if props.align:
        parts.append(f'<w:jc w:val="{esc(props.align)}"/>')
    parts.append("</w:pPr>")
    return "".join(parts)


def paragraph_xml(props: Para, segments: Iterable[Segment] = ()) -> str:
    """A w:p as text; bidi is set when the text starts in a right-to-left script."""
    segments = [s for s in segments if s[0]]
    text = "".join(s[0] for s in segments)
    parts = ["<w:p>", _ppr_xml(props, bool(text) and is_rtl(text))]
    for text_part, font in segments:
        parts.append(runs_xml(text_part, font))
    parts.append("</w:p>")
    return "".join(parts)


def paragraph(props: Para, segments: Iterable[Segment] = ()) -> Any:
    """A w:p element with its runs (written as text and parsed once)."""
    return parse_one(paragraph_xml(props, segments))


def simple_field(parent: Any, instruction: str, shown: str, font: Font = PLAIN) -> None:
    parent.extend(parse_fragment(f'<w:fldSimple w:instr="{esc(f" {instruction} ")}">'
                                 f"{run_xml(shown, font)}</w:fldSimple>"))


def field_char(parent: Any, kind: str, dirty: bool = False) -> None:
    flag = ' w:dirty="true"' if dirty else ""
    parent.extend(parse_fragment(f'<w:r><w:fldChar w:fldCharType="{esc(kind)}"{flag}/></w:r>'))


def instruction(parent: Any, text: str) -> None:
    parent.extend(parse_fragment(
        f'<w:r><w:instrText xml:space="preserve">{esc(f" {text} ")}</w:instrText></w:r>'))


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


def _table_properties_xml(style_id: str | None, widths: Sequence[int], header_rows: int,
                          caption: str | None, description: str | None,
                          borders: dict[str, tuple[str, int, str]] | None,
                          margins: tuple[int, int] | None) -> str:
    parts = ["<w:tblPr>"]
    if style_id:
        parts.append(f'<w:tblStyle w:val="{esc(style_id)}"/>')
    parts.append(f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/>')
    if borders is not None:
        parts.append("<w:tblBorders>")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            kind, size, colour = borders.get(side, ("nil", 0, "auto"))
            attrs = {"val": kind} if kind == "nil" else {
                "val": kind, "sz": str(size), "space": "0", "color": colour}
            parts.append(f"<w:{side}{_attrs(attrs)}/>")
        parts.append("</w:tblBorders>")
    parts.append('<w:tblLayout w:type="fixed"/>')
    if margins is not None:
        vertical, horizontal = margins
        parts.append("<w:tblCellMar>")
        for side, value in (("top", vertical), ("left", horizontal),
                            ("bottom", vertical), ("right", horizontal)):
            parts.append(f'<w:{side} w:w="{int(value)}" w:type="dxa"/>')
        parts.append("</w:tblCellMar>")
    look = {"val": "04A0" if header_rows else "0000", "firstRow": "1" if header_rows else "0",
            "lastRow": "0", "firstColumn": "0", "lastColumn": "0", "noHBand": "1",
            "noVBand": "1"}
    parts.append(f"<w:tblLook{_attrs(look)}/>")
    if caption:
        parts.append(f'<w:tblCaption w:val="{esc(caption[:250])}"/>')
    if description:
        parts.append(f'<w:tblDescription w:val="{esc(description[:1000])}"/>')
    parts.append("</w:tblPr><w:tblGrid>")
    parts.extend(f'<w:gridCol w:w="{int(width)}"/>' for width in widths)
    parts.append("</w:tblGrid>")
    return "".join(parts)


def _cell_properties_xml(cell: Cell, width: int, header: bool) -> str:
    parts = [f'<w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>']
    if cell.span > 1:
        parts.append(f'<w:gridSpan w:val="{int(cell.span)}"/>')
    if cell.borders:
        parts.append("<w:tcBorders>")
        for side in ("top", "left", "bottom", "right"):
            if side in cell.borders:
                parts.append(f'<w:{side} w:val="single" w:sz="12" w:space="0" '
                             f'w:color="{esc(cell.borders[side])}"/>')
        parts.append("</w:tcBorders>")
    fill = cell.fill or (HEADER_FILL if header else None)
    if fill:
        parts.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{esc(fill)}"/>')
    if cell.valign:
        parts.append(f'<w:vAlign w:val="{esc(cell.valign)}"/>')
    parts.append("</w:tcPr>")
    return "".join(parts)


def table(style_id: str | None, widths: Sequence[int], rows: Sequence[Sequence[Cell]], *,
           header_rows: int = 1, caption: str | None = None, description: str | None = None,
           borders: dict[str, tuple[str, int, str]] | None = None,
           margins: tuple[int, int] | None = None, row_height: int | None = None,
           cant_split: bool = True, bullet_style: str | None = None,
           keep_together: bool = False, compact: bool = False) -> Any:
    """A fixed-layout w:tbl element (see `table_xml`)."""
    return parse_one(table_xml(style_id, widths, rows, header_rows=header_rows,
                               caption=caption, description=description, borders=borders,
                               margins=margins, row_height=row_height, cant_split=cant_split,
                               bullet_style=bullet_style, keep_together=keep_together,
                               compact=compact))


def table_xml(style_id: str | None, widths: Sequence[int], rows: Sequence[Sequence[Cell]], *,
              header_rows: int = 1, caption: str | None = None, description: str | None = None,
              borders: dict[str, tuple[str, int, str]] | None = None,
              margins: tuple[int, int] | None = None, row_height: int | None = None,
              cant_split: bool = True, bullet_style: str | None = None,
              keep_together: bool = False, compact: bool = False) -> str:
    """A fixed-layout w:tbl as text; the first `header_rows` rows repeat on every page.

    `keep_together` keeps the table on one page with the paragraph after it (keep-with-next
    on every row, which is how Word keeps a table together). The table is written as text and
    parsed once: a long table would otherwise be tens of thousands of element calls.
    """
    parts = ["<w:tbl>", _table_properties_xml(style_id, widths, header_rows, caption,
                                              description, borders, margins)]
    props = {style: Para(bullet_style if style == "bullet" else None,
                         after=0 if compact else (20 if style == "bullet" else 40), before=0,
                         keep_next=keep_together, line=240 if compact else None)
             for style in ("bullet", None)}
    for n, row in enumerate(rows):
        header = n < header_rows
        parts.append("<w:tr>")
        if cant_split or header or row_height:
            parts.append("<w:trPr>")
            if cant_split:
                parts.append("<w:cantSplit/>")
            if row_height:
                parts.append(f'<w:trHeight w:val="{int(row_height)}" w:hRule="atLeast"/>')
            if header:
                parts.append("<w:tblHeader/>")
            parts.append("</w:trPr>")
        col = 0
        for cell in row:
            parts.append("<w:tc>")
            parts.append(_cell_properties_xml(cell, sum(widths[col:col + cell.span]), header))
            col += cell.span
            for segments, style in cell.paras or [((), None)]:
                para = props["bullet" if style == "bullet" else None]
                para.align = cell.align
                shown = [(text, sized(font, header)) for text, font in segments]
                parts.append(paragraph_xml(para, shown))
            parts.append("</w:tc>")
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


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

