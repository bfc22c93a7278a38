"""Page primitives of the Word report: paragraphs, headings with bookmarks, tables, sections.

Text widths are worked out from the base document's page, so an organisation's reference
document with other margins or paper gets tables that fit.
"""

from __future__ import annotations

import copy
import math
import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from lxml import etree

from palermo.report.content import Block, ReportContent
from palermo.report.docx.base import A4, ACCENT, PARAGRAPH_STYLES, TABLE_STYLE, style_id
from palermo.report.docx.ooxml import (
    PLAIN,
    RULE_COLOUR,
    W_NS,
    Cell,
    Font,
    Para,
    Segment,
    W,
    el,
    is_holder,
    paragraph,
    parse_fragment,
    serialized,
    table,
    table_xml,
)

TWIPS_PER_CM = 567
_XML_DECLARATION = b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
BAR_UNITS = 40           # grid columns a status bar is divided into


def bar_units(counts: Sequence[int], units: int) -> list[int]:
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
# The report


class Page:
    """Adds paragraphs and tables to a prepared document, in order.

    The body is kept as WordprocessingML text and parsed into the document once, in
    `finish()`: moving tens of thousands of separately made elements into the document costs
    more than writing them. Elements handed to `add` stay live (a later insertion next to one,
    as the contents do, is kept) until `finish()` writes them out.
    """

    def __init__(self, document: Any, content: ReportContent, house: bool) -> None:
        self.document = document
        self.content = content
        self.house = house
        self.body = document.element.body
        self.final_sectpr = self.body.find(W + "sectPr")
        self.styles = {name: style_id(document, name) for name in PARAGRAPH_STYLES}
        self.table_style = style_id(document, TABLE_STYLE)
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
        # Text assembly needs the body's namespace under the prefix palermo writes.
        self.as_text = document.element.nsmap.get("w") == W_NS
        self.parts: list[Any] = []       # body XML text, or holders of live elements

    # -- primitives ---------------------------------------------------------------------------

    def add(self, node: Any) -> Any:
        """Add an element, or WordprocessingML text, at the end of the body."""
        self.fresh_page = False
        if isinstance(node, str):
            if self.as_text:
                self.parts.append(node)
            else:
                for child in parse_fragment(node):
                    self.final_sectpr.addprevious(child)
            return None
        if not self.as_text:
            self.final_sectpr.addprevious(node)
            return node
        holder = node.getparent()
        if not is_holder(holder) or len(holder) != 1:
            holder = parse_fragment("<w:x/>")[0]
            holder.append(node)
        self.parts.append(holder)
        return node

    def finish(self) -> bytes | None:
        """The main document part's XML with the body written in, or None without text assembly.

        The text is not parsed again: `base.save_package` writes it as the part's content.
        """
        if not self.as_text:
            return None
        body = "".join(part if isinstance(part, str) else
                       "".join(serialized(child) for child in part) for part in self.parts)
        self.parts = []
        marker = f"palermo-body-{secrets.token_hex(8)}"
        comment = etree.Comment(marker)
        self.final_sectpr.addprevious(comment)
        text = etree.tostring(self.document.element, encoding="unicode")
        self.body.remove(comment)
        return _XML_DECLARATION + text.replace(f"<!--{marker}-->", body, 1).encode("utf-8")

    def para(self, segments: Sequence[Segment] | str, style: str = "Normal", **props: Any) -> Any:
        if isinstance(segments, str):
            segments = [(segments, PLAIN)]
        return self.add(paragraph(Para(self.styles[style], **props), segments))

    def heading(self, level: int, text: str, *, new_page: bool = False,
                toc: bool = True) -> Any:
        self.bookmark += 1
        name = f"_Toc{self.bookmark:07d}"
        page_break = new_page and not self.fresh_page
        node = self.para(text, f"Heading {level}", page_break=page_break)
        start = el("bookmarkStart", {"id": str(self.bookmark), "name": name})
        node.find(W + "pPr").addnext(start)
        el("bookmarkEnd", {"id": str(self.bookmark)}, node)
        if toc:
            self.toc.append((level, text, name))
        return node

    def blocks(self, items: Iterable[Block], style: str = "Normal",
               size: float | None = None) -> None:
        font = Font(size=size)
        for block in items:
            if block.kind == "bullets":
                last = len(block.items) - 1
                for n, item in enumerate(block.items):
                    # The list's last item keeps a paragraph's distance from what follows.
                    self.para([(item, font)], "List Bullet", after=120 if n == last else None)
            else:
                self.para([(block.text, font)], style)

    def label(self, text: str) -> None:
        """A run-in label above a part of an obligation's entry (not a heading: no TOC line)."""
        self.para([(text, Font(bold=True, color=ACCENT))], keep_next=True, before=100, after=40)

    def table(self, widths: Sequence[int], rows: Sequence[Sequence[Cell]], **kw: Any) -> Any:
        kw.setdefault("margins", None if self.table_style else (40, 85))
        kw.setdefault("bullet_style", self.styles["List Bullet"])
        if self.table_style is None:
            kw.setdefault("borders", {side: ("single", 4, RULE_COLOUR) for side in
                                      ("top", "left", "bottom", "right", "insideH", "insideV")})
        return self.add((table_xml if self.as_text else table)(self.table_style, widths, rows,
                                                                 **kw))

    def spacer(self, after: int = 0) -> None:
        """An empty paragraph between a table and what follows (Word merges adjacent tables)."""
        self.add(paragraph(Para(self.styles["Normal"], before=0, after=after),
                            [(" ", Font(size=4))]))

    def cm(self, value: float) -> int:
        return round(value * TWIPS_PER_CM)

    def columns(self, *fractions: float) -> list[int]:
        """Column widths as fractions of the text width; the last takes the remainder."""
        widths = [round(self.width * f) for f in fractions[:-1]]
        return widths + [self.width - sum(widths)]

    def section_break(self, *, landscape: bool, first: bool = False, columns: int = 1) -> None:
        """End the current section here (laid out in `columns`); the next starts a new page."""
        from docx.enum.section import WD_ORIENT
        from docx.section import Section

        # Set up while the copy is still python-docx's element, then place it.
        sectpr = copy.deepcopy(self.final_sectpr)
        section = Section(sectpr, self.document.part)
        if not first:
            section.different_first_page_header_footer = False
        if landscape:
            width, height = section.page_width, section.page_height
            if width is not None and height is not None and width < height:
                section.page_width, section.page_height = height, width
            section.orientation = WD_ORIENT.LANDSCAPE
        cols = sectpr.find(W + "cols")
        if columns > 1 and cols is not None:
            cols.set(W + "num", str(columns))
            cols.set(W + "space", "397")          # 0.7 cm between the columns
        holder = paragraph(Para(self.styles["Normal"], before=0, after=0))
        holder.find(W + "pPr").append(sectpr)
        self.add(holder)
        self.fresh_page = True

    def set_page(self, *, landscape: bool) -> None:
        self.width = self.landscape_width if landscape else self.portrait_width
