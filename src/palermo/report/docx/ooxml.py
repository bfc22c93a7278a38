"""WordprocessingML written as text: runs, paragraphs, fields, bookmarks and tables.

python-docx's object layer costs too much per paragraph for a long report, so the whole body
is written here as text, in the w: prefix, and never parsed: every builder writes its children
in the schema's element order, and every value goes through the one escape function `esc`.
Right-to-left script (Arabic, Hebrew) goes into runs of its own marked w:rtl, and a paragraph
that starts in such a script is marked w:bidi.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from typing import ClassVar

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

HEADER_FILL = "DCE3EE"
RULE_COLOUR = "A6A6A6"
TABLE_PT = 9             # font size in tables

_RTL_CHAR = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc"
# Character classes beyond Latin-1 are slow to compile, so the code points XML cannot carry
# beyond the C0 controls (lone surrogates, U+FFFE, U+FFFF) are looked for once per part, by
# `xml_bytes`, not in every value.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_ESCAPED = re.compile('[&<>"\x00-\x08\x0b\x0c\x0e-\x1f]')
# Text that needs none of escaping, right-to-left runs, breaks or tabs: most of a report.
_NOT_PLAIN = re.compile(f'[&<>"\x00-\x1f{_RTL_CHAR}]')


@cache
def _rtl_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """A right-to-left character, a span of them, and a strongly directional character:
    compiled when first needed (most reports need none of them)."""
    one = re.compile(f"[{_RTL_CHAR}]")
    span = re.compile(
        f"[{_RTL_CHAR}](?:[{_RTL_CHAR}\\s\\d.,:;!?()\\[\\]\"'«»\\-–—/]*[{_RTL_CHAR}])?")
    strong = re.compile(f"[{_RTL_CHAR}]|[^\\W\\d_]")
    return one, span, strong


def has_rtl(text: str) -> bool:
    """Whether the text holds any right-to-left character (the only non-ASCII ones that
    _NOT_PLAIN looks for)."""
    return any(found > "\x7f" for found in _NOT_PLAIN.findall(text))


@cache
def _not_xml() -> re.Pattern[str]:
    """Every character XML 1.0 cannot carry (C0 controls but tab, newline and return, lone
    surrogates, U+FFFE, U+FFFF)."""
    return re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_bytes(xml: str) -> bytes:
    """A part's XML text as UTF-8, without any character XML 1.0 cannot carry."""
    if "\ufffe" not in xml and "\uffff" not in xml:
        try:
            return xml.encode("utf-8")
        except UnicodeEncodeError:       # a lone surrogate, from an escape in a YAML file
            pass
    return _not_xml().sub("", xml).encode("utf-8")


def is_rtl(text: str) -> bool:
    """Whether the first strongly directional character is right-to-left (like dir=auto)."""
    if not has_rtl(text):
        return False
    one, _, strong = _rtl_patterns()
    match = strong.search(text)
    return bool(match and one.match(match.group(0)))


class Font:
    """Direct run formatting, kept small: bold, italic, size (pt), colour, code font.

    A font is made once for each formatting and never changed: `Font(...)` with the same
    values gives the same font, which carries its w:rPr (`rpr`), written when it was made.
    """

    __slots__ = ("bold", "italic", "size", "color", "mono", "rpr", "_in_table")
    _made: ClassVar[dict[tuple[object, ...], Font]] = {}
    bold: bool
    italic: bool
    size: float | None
    color: str | None
    mono: bool
    rpr: str
    _in_table: tuple[Font, Font] | None

    def __new__(cls, bold: bool = False, italic: bool = False, size: float | None = None,
                color: str | None = None, mono: bool = False) -> Font:
        key = (bold, italic, size, color, mono)
        font = cls._made.get(key)
        if font is None:
            font = super().__new__(cls)
            font.bold, font.italic, font.size, font.color = bold, italic, size, color
            font.mono, font._in_table = mono, None
            font.rpr = run_properties_xml(font, False)
            cls._made[key] = font
        return font

    def in_table(self, header: bool) -> Font:
        """The font in a table cell: the table's size unless one is given, bold in a header."""
        made = self._in_table
        if made is None:
            size = self.size or TABLE_PT
            made = self._in_table = (Font(self.bold, self.italic, size, self.color, self.mono),
                                     Font(True, self.italic, size, self.color, self.mono))
        return made[header]


def esc(text: str) -> str:
    """Text as XML character data or an attribute value: the one escape every writer uses.

    C0 control characters other than tab, newline and return are dropped (XML 1.0 cannot
    carry them; `xml_bytes` drops the few others when the part is written).
    """
    if not _ESCAPED.search(text):          # most text: nothing to change
        return text
    text = _CONTROL.sub("", text)
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def _attrs(attrs: dict[str, str] | None) -> str:
    if not attrs:
        return ""
    return "".join(f' w:{k}="{esc(v)}"' for k, v in attrs.items())


# Run properties that are a flag, in the schema's order (the colour and size follow).
_RUN_FLAGS = (("mono", '<w:rFonts w:ascii="Consolas" w:hAnsi="Consolas"/>'),
              ("bold", "<w:b/><w:bCs/>"), ("italic", "<w:i/><w:iCs/>"))
_RPR_CACHE: dict[tuple[object, ...], str] = {}


def run_properties_xml(font: Font, rtl: bool) -> str:
    """A run's w:rPr as text, written once per distinct formatting."""
    key = (font.bold, font.italic, font.size, font.color, font.mono, rtl)
    made = _RPR_CACHE.get(key)
    if made is None:
        parts = [xml for flag, xml in _RUN_FLAGS if getattr(font, flag)]
        if font.color:
            parts.append(f'<w:color w:val="{esc(font.color)}"/>')
        if font.size:
            half = str(round(font.size * 2))
            parts.append(f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>')
        if rtl:
            parts.append("<w:rtl/>")
        made = _RPR_CACHE[key] = f"<w:rPr>{''.join(parts)}</w:rPr>" if parts else ""
    return made


PLAIN = Font()


def _t(piece: str) -> str:
    piece = esc(piece)
    if piece[:1] == " " or piece[-1:] == " ":
        return f'<w:t xml:space="preserve">{piece}</w:t>'
    return f"<w:t>{piece}</w:t>"


_BREAKS = re.compile(r"(\n|\t)")
_BREAK_XML = {"\n": "<w:br/>", "\t": "<w:tab/>"}


def run_xml(text: str, font: Font, rtl: bool = False) -> str:
    """One w:r: newlines as w:br, tabs as w:tab."""
    rpr = run_properties_xml(font, True) if rtl else font.rpr
    if "\n" in text or "\t" in text:
        pieces = [_BREAK_XML.get(piece) or _t(piece) for piece in _BREAKS.split(text) if piece]
        return f"<w:r>{rpr}{''.join(pieces)}</w:r>"
    if not text:
        return f"<w:r>{rpr}<w:t/></w:r>"
    if _ESCAPED.search(text):
        text = esc(text)
    if text[:1] == " " or text[-1:] == " ":
        return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'
    return f"<w:r>{rpr}<w:t>{text}</w:t></w:r>"


def runs_xml(text: str, font: Font = PLAIN) -> str:
    """Runs for text, right-to-left script (Arabic, Hebrew) in runs of its own marked w:rtl."""
    if not has_rtl(text):
        return run_xml(text, font)
    parts = []
    pos = 0
    for match in _rtl_patterns()[1].finditer(text):
        if match.start() > pos:
            parts.append(run_xml(text[pos:match.start()], font))
        parts.append(run_xml(match.group(0), font, rtl=True))
        pos = match.end()
    if pos < len(text):
        parts.append(run_xml(text[pos:], font))
    return "".join(parts)


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

    def key(self) -> tuple[object, ...]:
        return (self.style, self.keep_next, self.keep_lines, self.page_break, self.align,
                self.before, self.after, self.indent, self.hanging, self.border_bottom,
                self.tab_right, self.line)


# Paragraph properties that are a flag, in the schema's order, up to w:pBdr.
_PARA_FLAGS = (("keep_next", "<w:keepNext/>"), ("keep_lines", "<w:keepLines/>"),
               ("page_break", "<w:pageBreakBefore/>"),
               ("border_bottom", '<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="4" '
                                 f'w:color="{RULE_COLOUR}"/></w:pBdr>'))
_PPR_CACHE: dict[bool, dict[tuple[object, ...], str]] = {False: {}, True: {}}


def _ppr_xml(props: Para, rtl: bool) -> str:
    """A paragraph's w:pPr as text, written once per distinct set of properties."""
    written = _PPR_CACHE[rtl]
    key = props.key()
    made = written.get(key)
    if made is None:
        made = written[key] = _write_ppr(props, rtl)
    return made


def _write_ppr(props: Para, rtl: bool) -> str:
    parts = ["<w:pPr>"]
    if props.style:
        parts.append(f'<w:pStyle w:val="{esc(props.style)}"/>')
    parts.extend(xml for flag, xml in _PARA_FLAGS if getattr(props, flag))
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


def paragraph_xml(props: Para, segments: Iterable[Segment] = (),
                  bookmark: tuple[int, str] | None = None) -> str:
    """A w:p as text; bidi is set when the text starts in a right-to-left script.

    A `bookmark` (id, name) spans the paragraph's text, as a heading's does for the contents.
    """
    body, rtl = _content(segments)
    if bookmark is not None:
        number, name = bookmark
        body = (f'<w:bookmarkStart w:id="{int(number)}" w:name="{esc(name)}"/>{body}'
                f'<w:bookmarkEnd w:id="{int(number)}"/>')
    return f"<w:p>{_ppr_xml(props, rtl)}{body}</w:p>"


def _content(segments: Iterable[Segment], header: bool | None = None) -> tuple[str, bool]:
    """A paragraph's runs, and whether it starts in a right-to-left script.

    In a table cell (`header` not None) each font is its form in the table (`in_table`).
    """
    if header is None:
        segments = [s for s in segments if s[0]]
    else:
        segments = [(text, font.in_table(header)) for text, font in segments if text]
    text = "".join([s[0] for s in segments])
    if _NOT_PLAIN.search(text):
        if has_rtl(text):
            return "".join([runs_xml(part, font) for part, font in segments]), is_rtl(text)
        return "".join([run_xml(part, font) for part, font in segments]), False
    # Most text needs no escaping, no right-to-left run, no break and no tab.
    return "".join([f'<w:r>{font.rpr}<w:t xml:space="preserve">{part}</w:t></w:r>'
                    if part[0] == " " or part[-1] == " " else
                    f"<w:r>{font.rpr}<w:t>{part}</w:t></w:r>" for part, font in segments]), False


def simple_field_xml(instruction: str, shown: str, font: Font = PLAIN) -> str:
    """A field Word and LibreOffice work out themselves (PAGE, NUMPAGES), showing `shown`."""
    return (f'<w:fldSimple w:instr="{esc(f" {instruction} ")}">{run_xml(shown, font)}'
            "</w:fldSimple>")


def page_reference_xml(bookmark: str, font: Font = PLAIN) -> str:
    """A PAGEREF field to a bookmark, marked dirty so that Word works it out on opening."""
    return ('<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> PAGEREF {esc(bookmark)} \\h '
            '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f'{run_xml("", font)}<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def hyperlink_xml(anchor: str, inner: str) -> str:
    """A link to a bookmark in the document (the contents' lines)."""
    return f'<w:hyperlink w:anchor="{esc(anchor)}" w:history="1">{inner}</w:hyperlink>'


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


_TCPR_CACHE: dict[tuple[object, ...], str] = {}


def _cell_properties_xml(cell: Cell, width: int, header: bool) -> str:
    borders = tuple(cell.borders.items()) if cell.borders else None
    key = (width, cell.span, borders, cell.fill, cell.valign, header)
    made = _TCPR_CACHE.get(key)
    if made is None:
        made = _TCPR_CACHE[key] = _write_tcpr(cell, width, header)
    return made


def _write_tcpr(cell: Cell, width: int, header: bool) -> str:
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


def _row_properties_xml(header: bool, cant_split: bool, row_height: int | None) -> str:
    if not (cant_split or header or row_height):
        return ""
    height = f'<w:trHeight w:val="{int(row_height)}" w:hRule="atLeast"/>' if row_height else ""
    return (f"<w:trPr>{'<w:cantSplit/>' if cant_split else ''}{height}"
            f"{'<w:tblHeader/>' if header else ''}</w:trPr>")


def table_xml(style_id: str | None, widths: Sequence[int], rows: Sequence[Sequence[Cell]], *,
              header_rows: int = 1, caption: str | None = None, description: str | None = None,
              borders: dict[str, tuple[str, int, str]] | None = None,
              margins: tuple[int, int] | None = None, row_height: int | None = None,
              cant_split: bool = True, bullet_style: str | None = None,
              keep_together: bool = False, compact: bool = False) -> str:
    """A fixed-layout w:tbl as text; the first `header_rows` rows repeat on every page.

    `keep_together` keeps the table on one page with the paragraph after it (keep-with-next
    on every row, which is how Word keeps a table together).
    """
    parts = ["<w:tbl>", _table_properties_xml(style_id, widths, header_rows, caption,
                                              description, borders, margins)]
    props = {style: Para(bullet_style if style == "bullet" else None,
                         after=0 if compact else (20 if style == "bullet" else 40), before=0,
                         keep_next=keep_together, line=240 if compact else None)
             for style in ("bullet", None)}
    pprs: dict[tuple[str | None, str | None, bool], str] = {}
    edges = [0]
    for width in widths:
        edges.append(edges[-1] + width)
    trpr = {header: _row_properties_xml(header, cant_split, row_height)
            for header in (False, True)}
    empty: list[tuple[Sequence[Segment], str | None]] = [((), None)]
    for n, row in enumerate(rows):
        header = n < header_rows
        parts.append(f"<w:tr>{trpr[header]}")
        col = 0
        for cell in row:
            end = col + cell.span
            parts.append("<w:tc>" + _cell_properties_xml(cell, edges[min(end, len(widths))]
                                                         - edges[min(col, len(widths))], header))
            col = end
            for segments, style in cell.paras or empty:
                body, rtl = _content(segments, header)
                kind = "bullet" if style == "bullet" else None
                ppr = pprs.get((kind, cell.align, rtl))
                if ppr is None:
                    para = props[kind]
                    para.align = cell.align
                    ppr = pprs[(kind, cell.align, rtl)] = _ppr_xml(para, rtl)
                parts.append(f"<w:p>{ppr}{body}</w:p>")
            parts.append("</w:tc>")
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)
