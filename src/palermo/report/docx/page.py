"""Page primitives of the Word report: paragraphs, headings with bookmarks, tables, sections.

The body is written as WordprocessingML text, in order, into the prepared base's main part;
text widths come from the base's page, so an organisation's reference document with other
margins or paper gets tables that fit.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from palermo.report.docx.base import ACCENT, MUTED
from palermo.report.docx.ooxml import (
    PLAIN,
    RULE_COLOUR,
    Font,
    Para,
    paragraph_xml,
    table_xml,
    xml_bytes,
)
from palermo.report.docx.package import XML_DECLARATION

if TYPE_CHECKING:
    from palermo.report.content import Block, ReportContent
    from palermo.report.docx.base import PreparedBase
    from palermo.report.docx.ooxml import Cell, Segment

TWIPS_PER_CM = 567
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
    """Adds paragraphs and tables to the report's body, in order, as WordprocessingML text."""

    def __init__(self, base: PreparedBase, content: ReportContent) -> None:
        self.base = base
        self.content = content
        self.house = base.house
        self.styles = base.styles
        self.table_style = base.table_style
        self.toc: list[tuple[int, str, str]] = []
        self.bookmark = 0
        self.portrait_width = base.portrait_width
        self.landscape_width = base.landscape_width
        self.width = self.portrait_width
        self.fresh_page = True
        self.parts: list[str] = []               # the body, as XML text
        # What the report changes in the final section's properties (see `finish`).
        self.final_title_page: bool | None = None
        self.final_continuous = False
        self.header: bytes | None = None         # the running header and footer, when written
        self.footer: bytes | None = None

    # -- primitives ---------------------------------------------------------------------------

    def add(self, xml: str) -> None:
        """Add WordprocessingML text at the end of the body."""
        self.fresh_page = False
        self.parts.append(xml)

    def placeholder(self) -> int:
        """A place in the body filled later (the contents, once every heading is known)."""
        self.add("")
        return len(self.parts) - 1

    def finish(self) -> dict[str, bytes]:
        """The parts this report writes: the main part with its body, header and footer."""
        base = self.base
        final = base.section.xml(title_page=self.final_title_page,
                                 continuous=self.final_continuous)
        main = "".join((XML_DECLARATION, base.main_start, *self.parts, final, base.main_end))
        self.parts = []
        return {base.main: xml_bytes(main),
                base.header.name: self.header or base.header.unchanged(),
                base.footer.name: self.footer or base.footer.unchanged()}

    def para(self, segments: Sequence[Segment] | str, style: str = "Normal",
             **props: Any) -> None:
        if isinstance(segments, str):
            segments = [(segments, PLAIN)]
        self.add(paragraph_xml(Para(self.styles[style], **props), segments))

    def heading(self, level: int, text: str, *, new_page: bool = False,
                toc: bool = True) -> None:
        self.bookmark += 1
        name = f"_Toc{self.bookmark:07d}"
        page_break = new_page and not self.fresh_page
        self.add(paragraph_xml(Para(self.styles[f"Heading {level}"], page_break=page_break),
                               [(text, PLAIN)], bookmark=(self.bookmark, name)))
        if toc:
            self.toc.append((level, text, name))

    def blocks(self, items: Iterable[Block], style: str = "Normal",
               size: float | None = None) -> None:
        font = Font(size=size)
        for block in items:
            if block.kind == "bullets":
                last = len(block.items) - 1
                for n, item in enumerate(block.items):
                    # The list's last item keeps a paragraph's distance from what follows.
                    self.para([(item, font)], "List Bullet", after=120 if n == last else None)
            elif block.kind == "note":          # set apart, in muted type
                self.para([(block.text, Font(italic=True, size=size, color=MUTED))], style)
            else:
                self.para([(block.text, font)], style)

    def label(self, text: str) -> None:
        """A run-in label above a part of an obligation's entry (not a heading: no TOC line)."""
        self.para([(text, Font(bold=True, color=ACCENT))], keep_next=True, before=100, after=40)

    def table(self, widths: Sequence[int], rows: Sequence[Sequence[Cell]], **kw: Any) -> None:
        kw.setdefault("margins", None if self.table_style else (40, 85))
        kw.setdefault("bullet_style", self.styles["List Bullet"])
        if self.table_style is None:
            kw.setdefault("borders", {side: ("single", 4, RULE_COLOUR) for side in
                                      ("top", "left", "bottom", "right", "insideH", "insideV")})
        self.add(table_xml(self.table_style, widths, rows, **kw))

    def spacer(self, after: int = 0) -> None:
        """An empty paragraph between a table and what follows (Word merges adjacent tables)."""
        self.add(paragraph_xml(Para(self.styles["Normal"], before=0, after=after),
                               [(" ", Font(size=4))]))

    def cm(self, value: float) -> int:
        return round(value * TWIPS_PER_CM)

    def columns(self, *fractions: float) -> list[int]:
        """Column widths as fractions of the text width; the last takes the remainder."""
        widths = [round(self.width * f) for f in fractions[:-1]]
        return widths + [self.width - sum(widths)]

    def section_break(self, *, landscape: bool, first: bool = False, columns: int = 1) -> None:
        """End the current section here (laid out in `columns`); the next starts a new page.

        The section ending here has the final section's properties as they stand, turned to
        landscape or in columns as asked; only the first keeps a first page of its own.
        """
        title_page = self.final_title_page if first else False
        sectpr = self.base.section.xml(title_page=title_page, landscape=landscape,
                                       columns=columns, continuous=self.final_continuous)
        holder = paragraph_xml(Para(self.styles["Normal"], before=0, after=0))
        self.add(holder.replace("</w:pPr>", sectpr + "</w:pPr>", 1))
        self.fresh_page = True

    def set_page(self, *, landscape: bool) -> None:
        self.width = self.landscape_width if landscape else self.portrait_width
