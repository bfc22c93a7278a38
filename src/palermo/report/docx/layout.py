"""The report laid out in a prepared base document: cover, contents, parts, plan, annexes.

Status is never shown by colour alone: every status cell carries the symbol and the word.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable, Sequence
from typing import Any

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
from palermo.report.docx.base import A4, ACCENT, MUTED, PARAGRAPH_STYLES, TABLE_STYLE, style_id
from palermo.report.docx.ooxml import (
    PLAIN,
    RULE_COLOUR,
    Cell,
    Font,
    Para,
    Segment,
    W,
    cell,
    el,
    field_char,
    instruction,
    paragraph,
    runs,
    simple_field,
    table,
    text_run,
)

# the contents of a full assessment run to several pages.
TOC_LEVELS = 2
TOC_INSTRUCTION = f'TOC \\o "1-{TOC_LEVELS}" \\h \\z \\u'

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


class Builder:
    """Lays the report content out in a prepared document."""

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

    # -- primitives ---------------------------------------------------------------------------

    def add(self, node: Any) -> Any:
        self.final_sectpr.addprevious(node)
        self.fresh_page = False
        return node

    def para(self, segments: Sequence[Segment] | str, style: str = "Normal", **props: Any) -> Any:
        if isinstance(segments, str):
            segments = [(segments, PLAIN)]
        return self.add(paragraph(Para(self.styles[style], **props), segments))

    def heading(self, level: int, text: str, *, new_page: bool = False) -> Any:
        self.bookmark += 1
        name = f"_Toc{self.bookmark:07d}"
        page_break = new_page and not self.fresh_page
        node = self.para(text, f"Heading {level}", page_break=page_break)
        start = el("bookmarkStart", {"id": str(self.bookmark), "name": name})
        node.find(W + "pPr").addnext(start)
        el("bookmarkEnd", {"id": str(self.bookmark)}, node)
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
        self.para([(text, Font(bold=True, color=ACCENT))], keep_next=True, before=100, after=40)

    def table(self, widths: Sequence[int], rows: Sequence[Sequence[Cell]], **kw: Any) -> Any:
        kw.setdefault("margins", None if self.table_style else (40, 85))
        kw.setdefault("bullet_style", self.styles["List Bullet"])
        if self.table_style is None:
            kw.setdefault("borders", {side: ("single", 4, RULE_COLOUR) for side in
                                      ("top", "left", "bottom", "right", "insideH", "insideV")})
        node = self.add(table(self.table_style, widths, rows, **kw))
        return node

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

    def section_break(self, *, landscape: bool, first: bool = False) -> None:
        """End the current section here; the next starts on a new page."""
        from docx.enum.section import WD_ORIENT
        from docx.section import Section

        sectpr = copy.deepcopy(self.final_sectpr)
        holder = paragraph(Para(self.styles["Normal"], before=0, after=0))
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
        small = Font(size=8.5, color=MUTED)
        header = section.header
        element = header._element
        text = "".join(element.itertext())
        if self.content.state not in text:
            if not text.strip() and not element.findall(f".//{W}drawing"):
                for child in list(element):
                    element.remove(child)
            element.append(paragraph(
                Para(self.styles["Normal"], after=0, border_bottom=self.house),
                [(self.content.state, Font(size=8.5, color=MUTED, bold=True)),
                 (f"   {self.content.title}", small)]))
        footer = section.footer._element
        if "PAGE" not in "".join(f.get(W + "instr", "") for f in footer.iter(W + "fldSimple")) \
                and " PAGE " not in "".join(footer.itertext()):
            if not "".join(footer.itertext()).strip():
                for child in list(footer):
                    footer.remove(child)
            p = paragraph(Para(self.styles["Normal"], after=0, align="center"),
                           [("Page ", small)])
            simple_field(p, "PAGE", "1", small)
            text_run(p, " of ", small)
            simple_field(p, "NUMPAGES", "1", small)
            footer.append(p)

    def cover(self) -> None:
        c = self.content
        self.para(c.title, "Title", before=2200 if self.house else None)
        self.para([(c.state, Font(bold=True, size=24, color=ACCENT))], after=120)
        self.para([(c.subtitle, Font(size=13, color=MUTED))], after=480)
        widths = self.columns(0.68, 0.32)
        rows = [[cell(("Instrument", PLAIN)), cell((f"Status of {c.state}", PLAIN))]]
        for info in c.instruments:
            status = info.party_label if info.assessed else (
                "Provisions applying to the Protocol offences"
                if info.party_status is None else info.party_label)
            rows.append([cell((info.title, PLAIN)), cell((status, PLAIN))])
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
            self.para([(f"{name}: ", Font(bold=True)), (value, PLAIN)], after=40)
        self.para("", before=360, after=0)
        for block in c.cover_note:
            if block.kind == "para":
                self.para([(block.text, Font(size=9, color=MUTED))], after=80)
            else:
                for item in block.items:
                    self.para([(item, Font(size=9, color=MUTED))], "List Bullet")

    def contents(self) -> None:
        self.para([(HEADINGS["contents"], Font(bold=True, size=18, color=ACCENT))],
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
            font = Font(bold=level == 1)
            p = paragraph(Para(self.styles["Normal"], indent=level * 360, hanging=360,
                                 after=20 if level > 1 else 40, before=80 if level == 1 else 0))
            if first:
                field_char(p, "begin", dirty=True)
                instruction(p, TOC_INSTRUCTION)
                field_char(p, "separate")
                first = False
            link = el("hyperlink", {"anchor": bookmark, "history": "1"}, p)
            runs(link, text, font)
            anchor.addprevious(p)
        if first:      # no heading at all: keep a valid, empty field
            p = paragraph(Para(self.styles["Normal"]))
            field_char(p, "begin", dirty=True)
            instruction(p, TOC_INSTRUCTION)
            field_char(p, "separate")
            anchor.addprevious(p)
        field_char(anchor, "end")

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
        parts: list[Segment] = [(f"{row.total} obligations assessed: ", Font(bold=True))]
        shown = [(s, n) for s, n in row.counts]
        for n, (status, count) in enumerate(shown):
            sep = ", " if n < len(shown) - 1 else "."
            parts.append((f"{count} {status.label.lower()} {status.symbol}{sep}", PLAIN))
        self.para(parts)

    def legend(self) -> None:
        statuses = list(Status)
        widths = self.columns(*([1 / len(statuses)] * len(statuses)))
        row = [cell((f"{s.symbol}  {s.label}", Font(bold=True, color=STATUS_INK[s])),
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
        header = [cell((label, PLAIN)), cell(("Share of obligations by status", PLAIN),
                                               span=BAR_UNITS), cell(("Total", PLAIN),
                                                                      align="right")]
        table_rows = [header]
        described = []
        for row in rows:
            counts = [n for _, n in row.counts]
            units = bar_units(counts, BAR_UNITS)
            cells = [cell((row.label, Font(bold=True)), valign="center")]
            for (status, count), span in zip(row.counts, units, strict=True):
                if not span:
                    continue
                segment = cell((f"{count} {status.symbol}", Font(bold=True, size=8.5,
                                                                color=STATUS_INK[status])),
                             fill=STATUS_FILL[status], span=span, align="center",
                             valign="center")
                segment.borders = {"left": "FFFFFF", "right": "FFFFFF"}
                cells.append(segment)
            if not row.total:
                cells.append(cell(("", PLAIN), span=BAR_UNITS))
            cells.append(cell((str(row.total), Font(bold=True)), align="right",
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
        header = [cell(("Instrument", PLAIN))] + [
            cell((f"{s.symbol} {s.label}", PLAIN), align="center") for s in statuses
        ] + [cell(("Total", PLAIN), align="right")]
        body = []
        for row in [*rows, total]:
            bold = row is total
            cells = [cell((row.label, Font(bold=bold)))]
            for status in statuses:
                count = row.get(status)
                cells.append(cell((str(count), Font(bold=bold)), align="center",
                                   fill=STATUS_FILL[status] if count else None))
            cells.append(cell((str(row.total), Font(bold=True)), align="right"))
            body.append(cells)
        self.table(widths, [header, *body], caption=caption)
        self.para(caption, "Caption")

    def instrument(self, section: InstrumentSection) -> None:
        info = section.info
        self.heading(1, info.short, new_page=True)
        self.para([(info.title, Font(italic=True, color=MUTED))], after=120)
        if section.not_binding:
            for block in section.not_binding:
                text = block.text if block.kind == "para" else " ".join(block.items)
                self.table(self.columns(1.0), [[Cell(
                    [([("Not yet binding. ", Font(bold=True)), (text, PLAIN)], None)],
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
            self.add(paragraph(Para(quote, keep_next=True), [(item.chapeau, PLAIN)]))
        self.add(paragraph(Para(quote, keep_next=True, after=120),
                            [(item.text_label + item.text, PLAIN)]))
        self.facts(item)
        self.label(HEADINGS["domestic_law"])
        if not item.answers:
            self.para("No answer bears on this obligation yet.")
        for answer in item.answers:
            self.para([(answer.question, Font(italic=True)), ("  ", PLAIN),
                       (answer.answer, Font(bold=True))], after=40, keep_next=bool(
                           answer.citations or answer.note))
            for citation in answer.citations:
                self.para(citation, "List Bullet")
            if answer.note:
                excerpt = answer.note_excerpt or ""
                more = " (full note in Annex A)" if excerpt != answer.note else ""
                self.para([("Note: ", Font(bold=True, size=9.5, color=MUTED)),
                           (excerpt + more, Font(size=9.5, color=MUTED))], after=60)
        self.label(HEADINGS["finding"])
        for finding in item.findings or ("No finding recorded.",):
            self.para(finding)
        if item.measure_blocks:
            self.label(HEADINGS["measures"])
            self.blocks(item.measure_blocks)

    def facts(self, item: ObligationItem) -> None:
        status = item.status
        rows = [[
            cell(("Status", Font(bold=True))),
            cell((f"{status.symbol}  {status.label}", Font(bold=True, color=STATUS_INK[status])),
                  fill=STATUS_FILL[status]),
        ]]
        strength = item.strength_label
        rows.append([cell(("Obligation", Font(bold=True))), Cell(
            [([(strength, PLAIN)], None)]
            + ([([(item.strength_note, Font(italic=True, color=MUTED))], None)]
               if item.strength_note else []))])
        rows.append([cell(("In brief", Font(bold=True))), cell((item.summary, PLAIN))])
        if item.priority_label:
            rows.append([cell(("Priority", Font(bold=True))),
                         cell((item.priority_label, PLAIN))])
        if item.option_label:
            rows.append([cell(("Option taken", Font(bold=True))),
                         cell((item.option_label, PLAIN))])
        if not item.binding:
            rows.append([cell(("Binding", Font(bold=True))), cell(
                ("Not yet: would bind on becoming a Party", PLAIN))])
        self.table(self.columns(0.2, 0.8), rows, header_rows=0, keep_together=True,
                   caption=f"{item.id}: status {status.label}")

    def action_plan(self) -> None:
        c = self.content
        self.heading(1, HEADINGS["action_plan"])
        self.blocks(c.action_plan_intro)
        widths = self.columns(0.04, 0.07, 0.18, 0.24, 0.115, 0.355)
        header = [cell((h, PLAIN)) for h in
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
                cell((str(action.number), PLAIN), align="right"),
                cell((item.priority_label or "", Font(bold=True))),
                Cell([([(item.id, Font(bold=True))], None),
                       ([(item.citation_ref, PLAIN)], None),
                       ([(item.article_title, Font(italic=True, color=MUTED))], None)]),
                cell((item.summary, PLAIN)),
                cell((f"{item.status.symbol} {item.status.label}",
                       Font(bold=True, color=STATUS_INK[item.status])),
                      fill=STATUS_FILL[item.status]),
                Cell(measures or [([("See the finding.", PLAIN)], None)]),
            ])
        self.table(widths, rows, caption=HEADINGS["action_plan"])

    def answers_annex(self) -> None:
        c = self.content
        self.heading(1, HEADINGS["annex_answers"], new_page=True)
        self.blocks(c.answers_intro)
        for group in c.answer_groups:
            self.heading(2, group.title)
            for answer in group.answers:
                self.para([(answer.question, Font(bold=True))], keep_next=True, before=120,
                          after=20)
                self.para([("Answer: ", Font(color=MUTED)), (answer.answer, PLAIN),
                           (f"   [{answer.question_id}]", Font(size=8, color=MUTED))],
                          after=40, keep_next=bool(answer.citations))
                for citation in answer.citations:
                    self.para(citation, "List Bullet")
                if answer.note:
                    lines = [line for line in answer.note.split("\n") if line.strip()]
                    for n, line in enumerate(lines):
                        lead = [("Note: ", Font(bold=True, color=MUTED))] if n == 0 else []
                        self.para([*lead, (line, PLAIN)], after=60)

    def notifications_annex(self) -> None:
        c = self.content
        self.heading(1, HEADINGS["annex_notifications"], new_page=True)
        self.blocks(c.notifications_intro)
        if not c.notifications:
            return
        widths = self.columns(0.22, 0.2, 0.25, 0.18, 0.15)
        rows = [[cell((h, PLAIN)) for h in ("Obligation", "Notify", "What", "When", "Status")]]
        for note in c.notifications:
            item = note.item
            rows.append([
                Cell([([(item.id, Font(bold=True))], None),
                       ([(item.citation_ref, PLAIN)], None)]),
                cell((note.to, PLAIN)),
                cell((note.what, PLAIN)),
                cell((note.when, PLAIN)),
                cell((f"{item.status.symbol} {item.status.label}",
                       Font(bold=True, color=STATUS_INK[item.status])),
                      fill=STATUS_FILL[item.status]),
            ])
        self.table(widths, rows, caption=HEADINGS["annex_notifications"])
