"""The Word report's parts, laid out in order: cover, contents, summary, and what follows.

The standard report: executive summary (overall assessment, top priorities, status chart),
table of correspondence, detailed analysis of the gaps and advisories, compact action plan,
one annex of answers. `--detail full` lays every obligation out in full instead, with its
treaty text and answers, and the action plan in landscape.

Status is never shown by colour alone: every status cell carries the symbol and the word.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from palermo.model import Status
from palermo.report.content import PROGRESS_COLUMNS, STATUS_FILL, STATUS_INK, Block
from palermo.report.docx.base import ACCENT, MUTED
from palermo.report.docx.ooxml import (
    PLAIN,
    RULE_COLOUR,
    Cell,
    Font,
    Para,
    Segment,
    cell,
    hyperlink_xml,
    page_reference_xml,
    paragraph_xml,
    run_xml,
    runs_xml,
    simple_field_xml,
)
from palermo.report.docx.page import BAR_UNITS, Page, bar_units

if TYPE_CHECKING:
    from palermo.report.content import (
        ActionItem,
        CountRow,
        InstrumentSection,
        ObligationItem,
        Part,
        Priorities,
        ReportContent,
    )
    from palermo.report.docx.base import PreparedBase

# Two levels: parts and instruments or categories. One line per obligation would make the
# contents of a full assessment run to several pages.
TOC_LEVELS = 2
SMALL = 8               # pt, for the compact tables
# The action plan's columns (ReportContent.plan_columns), as shares of the text width: the
# compact plan of the standard report, and the full report's in a landscape section.
_PLAN_WIDTHS = {"number": 0.045, "priority": 0.1, "provision": 0.185, "kind": 0.11,
                "action": 0.48, "see": 0.08}
_PLAN_WIDTHS_FULL = {"number": 0.04, "priority": 0.07, "obligation": 0.18, "requirement": 0.24,
                     "status": 0.115, "measures": 0.355}


def _status_cell(content: ReportContent, status: Status, size: float | None = None) -> Cell:
    return cell((content.status_text(status), Font(bold=True, color=STATUS_INK[status],
                                                   size=size)), fill=STATUS_FILL[status])


class Layout(Page):
    """The report's parts."""

    def __init__(self, base: PreparedBase, content: ReportContent) -> None:
        super().__init__(base, content)
        self.h = content.headings
        self.c = content

    def build(self) -> None:
        """The cover and the contents, then each part in the order the content model gives:
        `ReportContent.parts`, each laid out by the method `Part.method` names."""
        self.header_footer()
        self.cover()
        self.contents()
        for part in self.content.parts:
            getattr(self, part.method)(part)
        self.fill_toc()

    def last_section_plain(self) -> None:
        """Only the first section hides the running header on its first page (the cover)."""
        self.final_title_page = False

    def instruments(self, part: Part) -> None:
        for section in self.content.sections:
            self.instrument(section)

    # -- header, cover, contents --------------------------------------------------------------

    def header_footer(self) -> None:
        """The State's name in the running header, and page numbers in the footer.

        What the base's header and footer already hold stays (a letterhead, a logo); palermo's
        line is added after it, unless the header already names the State or the footer
        already numbers the pages.
        """
        c = self.content
        small = Font(size=8.5, color=MUTED)
        header, footer = self.base.header, self.base.footer
        if c.state not in header.text:
            self.header = header.with_paragraph(paragraph_xml(
                Para(self.styles["Normal"], after=0, border_bottom=self.house),
                [(c.state, Font(size=8.5, color=MUTED, bold=True)), (f"   {c.title}", small)]))
        if not footer.shows_page_number():
            self.footer = footer.with_paragraph(self.page_of_pages(small))

    def page_of_pages(self, font: Font) -> str:
        """'Page 3 of 40' from the label 'Page {page} of {pages}', with live fields."""
        pattern = self.c.label("facts", "page", page="\0PAGE\0", pages="\0NUMPAGES\0")
        shown = [simple_field_xml(piece, "1", font) if n % 2 else run_xml(piece, font)
                 for n, piece in enumerate(pattern.split("\0")) if n % 2 or piece]
        empty = paragraph_xml(Para(self.styles["Normal"], after=0, align="center"))
        return empty.replace("</w:p>", "".join(shown) + "</w:p>")

    def cover(self) -> None:
        c = self.content
        self.para(c.title, "Title", before=2200 if self.house else None)
        self.para([(c.state, Font(bold=True, size=24, color=ACCENT))], after=120)
        self.para([(c.subtitle, Font(size=13, color=MUTED))], after=480)
        widths = self.columns(0.68, 0.32)
        rows = [[cell((c.label("columns", "instrument"), PLAIN)),
                 cell((c.label("facts", "instrument_status", state=c.names.short), PLAIN))]]
        for info in c.instruments:
            rows.append([cell((info.title, PLAIN)), cell((info.cover_status, PLAIN))])
        self.table(widths, rows, caption=c.label("facts", "instruments_assessed"))
        self.spacer(after=240)
        details = c.cover_details
        for name, value in details:
            self.para([(f"{name}: ", Font(bold=True)), (value, PLAIN)], after=40)
        self.para("", before=360, after=0)
        for block in c.draft_note:
            self.para([(block.text, Font(bold=True))], after=120)
        for block in c.prose["cover"]:
            if block.kind == "para":
                self.para([(block.text, Font(size=9, color=MUTED))], after=80)
            else:
                for item in block.items:
                    self.para([(item, Font(size=9, color=MUTED))], "List Bullet")

    def contents(self) -> None:
        self.para([(self.h["contents"], Font(bold=True, size=18, color=ACCENT))],
                  page_break=True, after=240)
        self.toc_at = self.placeholder()

    def fill_toc(self) -> None:
        """The contents: one line per heading, each a link ending in its page number.

        The lines are written here, so they always match the headings; each page number is a
        PAGEREF field to its heading's bookmark. LibreOffice works page references out as it
        lays the document out, so its view and its PDF show the numbers at once; Word fills
        them when it updates the fields on opening (w:updateFields, which it asks about).
        A Word TOC field is not used: LibreOffice shows a TOC field's stored text as it is,
        without page numbers, until the user updates the index by hand.
        """
        lines = []
        for level, text, bookmark in self.toc:
            if level > TOC_LEVELS:
                continue
            font = Font(bold=level == 1)
            line = paragraph_xml(Para(self.styles["Normal"], indent=(level - 1) * 400,
                                      after=20 if level > 1 else 40,
                                      before=80 if level == 1 else 0, tab_right=self.width))
            link = hyperlink_xml(bookmark, runs_xml(text, font) + run_xml("\t", font)
                                 + page_reference_xml(bookmark, font))
            lines.append(line.replace("</w:p>", link + "</w:p>"))
        self.parts[self.toc_at] = "".join(lines)

    # -- the executive summary and the chart --------------------------------------------------

    def running_text(self, part: Part) -> None:
        """A part that is its heading and running text (the full report's summary)."""
        self.part(part)

    def summary(self, part: Part) -> None:
        """The executive summary: the overall assessment, the top priorities and the status
        chart."""
        c = self.content
        self.part(part)
        self.label(self.h["overall"])
        self.blocks(c.prose["overall"])
        if c.required.top or c.recommended.top:
            self.heading(2, self.h["priorities"])
        self.priorities(self.h["priorities_required"], c.required)
        self.priorities(self.h["priorities_recommended"], c.recommended)
        self.heading(2, self.h["glance"])
        self.status_line(c.totals)
        self.legend()
        self.bar_chart(c.label("columns", "instrument"), c.by_instrument,
                       c.label("phrases", "figure_instrument"))

    def priorities(self, title: str, priorities: Priorities) -> None:
        """The top measures of one kind: what, where, and the finding that explains it."""
        if not priorities.top:
            return
        self.label(title)
        for row in priorities.top:
            ref = self.content.finding_ref(row.item)
            tail = [(f" ({ref})", Font(color=MUTED))] if ref else []
            self.para([(row.lead, Font(bold=True)), (": ", PLAIN), (row.action, PLAIN), *tail],
                      "List Bullet", after=20)
        if priorities.more_note:
            self.para([(priorities.more_note, Font(italic=True))], "List Bullet", after=120)

    def glance(self, part: Part) -> None:
        c = self.content
        self.heading(1, part.heading or "", new_page=True)
        self.status_line(c.totals)
        self.legend()
        self.bar_chart(c.label("columns", "instrument"), c.by_instrument,
                       c.label("phrases", "figure_instrument"))
        self.bar_chart(c.label("columns", "category"), c.by_category,
                       c.label("phrases", "figure_category"))
        self.count_table(c.by_instrument, c.totals, c.label("phrases", "table_counts"))

    def status_line(self, row: CountRow) -> None:
        c = self.content
        parts: list[Segment] = [(c.label("facts", "status_line", total=row.total),
                                 Font(bold=True))]
        shown = list(row.counts)
        for n, (status, count) in enumerate(shown):
            sep = ", " if n < len(shown) - 1 else "."
            parts.append((f"{count} {c.status_label(status).lower()} {status.symbol}{sep}",
                          PLAIN))
        self.para(parts)

    def legend(self) -> None:
        c = self.content
        statuses = list(Status)
        widths = self.columns(*([1 / len(statuses)] * len(statuses)))
        row = [cell((c.status_text(s), Font(bold=True, color=STATUS_INK[s])),
                    fill=STATUS_FILL[s], align="center") for s in statuses]
        white = ("single", 24, "FFFFFF")
        self.table(widths, [row], header_rows=0, caption=c.label("facts", "key"),
                   borders={"insideV": white, "top": white, "bottom": white,
                            "left": white, "right": white},
                   margins=(30, 40))
        self.spacer(after=120)

    def bar_chart(self, label: str, rows: Sequence[CountRow], caption: str) -> None:
        if not rows:
            return
        c = self.content
        label_w, total_w = self.cm(4.6), self.cm(1.6)
        bar = self.width - label_w - total_w
        unit = bar // BAR_UNITS
        widths = [label_w] + [unit] * (BAR_UNITS - 1) + [bar - unit * (BAR_UNITS - 1), total_w]
        header = [cell((label, PLAIN)),
                  cell((c.label("columns", "share"), PLAIN), span=BAR_UNITS),
                  cell((c.label("columns", "total"), PLAIN), align="right")]
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
                f"{c.status_label(s).lower()} {n}" for s, n in row.counts if n))
        rule = ("single", 4, RULE_COLOUR)
        self.table(widths, table_rows, caption=caption, description="; ".join(described),
                   borders={"top": rule, "bottom": rule, "insideH": ("single", 18, "FFFFFF")},
                   margins=(20, 40), row_height=380)
        self.para(caption, "Caption", keep_next=False)

    def count_table(self, rows: Sequence[CountRow], total: CountRow, caption: str) -> None:
        if not rows:
            return
        c = self.content
        statuses = list(Status)
        widths = self.columns(*([0.22] + [0.135] * len(statuses) + [0.105]))
        header = [cell((c.label("columns", "instrument"), PLAIN))] + [
            cell((c.status_text(s), PLAIN), align="center") for s in statuses
        ] + [cell((c.label("columns", "total"), PLAIN), align="right")]
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

    # -- progress since an earlier assessment (report --since) ---------------------------------

    def progress(self, part: Part) -> None:
        p = self.content.progress
        self.heading(1, part.heading or "", new_page=True)
        self.blocks(part.intro)
        if p is None or not p.rows:
            return
        small, bold = Font(size=SMALL), Font(size=SMALL, bold=True)
        widths, header = self.head(small, *zip(PROGRESS_COLUMNS, (0.2, 0.13, 0.13, 0.13, 0.41),
                                               strict=True))
        rows = [header]
        for r in p.rows:
            answers = Cell([([(a, small)], None) for a in r.answers] or [([("—", small)], None)])
            rows.append([cell((r.provision, bold)), cell((r.kind_label, small)),
                         cell((r.before, small)), cell((r.now, small)), answers])
        self.table(widths, rows, cant_split=False, caption=p.heading, margins=(30, 60),
                   compact=True)
        self.spacer(after=120)

    # -- the table of correspondence ----------------------------------------------------------

    def correspondence(self, part: Part) -> None:
        """One table per instrument, a row per obligation, categories as rows across."""
        c = self.content
        self.part(part)
        widths, header = self.head(Font(size=SMALL), ("provision", 0.1), ("domestic", 0.25),
                                   ("status", 0.12), ("finding", 0.53))
        for section in c.sections:
            self.heading(2, section.info.short)
            rows = [header]
            for category in section.categories:
                rows.append([cell((category.title, Font(size=SMALL, bold=True, color=ACCENT)),
                                  span=4, fill="F2F2F2")])
                rows.extend(self.correspondence_row(item) for item in category.items)
            self.table(widths, rows, cant_split=False, caption=self.h["correspondence"],
                       margins=(30, 60), compact=True)
            self.spacer(after=120)

    def correspondence_row(self, item: ObligationItem) -> list[Cell]:
        c = self.content
        small, muted = Font(size=SMALL), Font(size=SMALL, color=MUTED)
        provision = cell((item.provision, Font(size=SMALL, bold=True)))
        cited = cell((item.citations_brief, small) if item.citations
                     else (c.label("phrases", "none_cited"), muted))
        notes = c.row_notes(item)
        finding = [(item.one_line or c.label("phrases", "no_finding"), small)]
        if notes:
            finding.append((f"  [{'; '.join(notes)}]", Font(size=SMALL, bold=True,
                                                            color=MUTED)))
        return [provision, cited, _status_cell(c, item.status, SMALL), cell(*finding)]

    # -- the detailed analysis ----------------------------------------------------------------

    def analysis(self, part: Part) -> None:
        self.part(part)
        self.last_chapeau: str | None = None
        for group in self.content.finding_groups:
            self.heading(2, group.title)
            self.last_chapeau = None
            for item in group.items:
                self.finding(item)

    def finding(self, item: ObligationItem) -> None:
        c = self.content
        self.heading(3, c.finding_heading(item))
        quote = self.styles["Quote"]
        # The opening words shared by consecutive subparagraphs are quoted once.
        if item.chapeau and item.chapeau != self.last_chapeau:
            self.add(paragraph_xml(Para(quote), [(item.chapeau, Font(size=9))]))
        self.last_chapeau = item.chapeau
        self.add(paragraph_xml(Para(quote, after=60),
                           [(item.text_label + item.text, Font(size=9))]))
        # The facts line: the id, the status in its ink, then the rest in grey.
        line: list[Segment] = []
        for fact in c.facts(item, "line"):
            ink = STATUS_INK[item.status] if fact.key == "status" else MUTED
            line.append((f"   {fact.text}" if line else fact.text,
                         Font(bold=fact.strong, size=9, color=ink)))
        self.para(line, keep_next=True, after=40)
        self.deciding_answers(item)
        self.run_in(self.h["finding"], [Block("para", text=t) for t in
                                        item.findings or (c.label("phrases", "no_finding"),)])
        if item.specific_blocks:
            self.run_in(self.h["required_measures"], item.specific_blocks)
        self.advisories(item)

    def run_in(self, label: str, blocks: Sequence[Block]) -> None:
        """Paragraphs whose first starts with a bold label ("Finding. Meridia's law ...")."""
        size = 9
        last = len(blocks) - 1
        for n, block in enumerate(blocks):
            lead = [(f"{label}. ", Font(bold=True, size=size, color=ACCENT))] if n == 0 else []
            if block.kind == "para":
                # Paragraphs of one finding stand closer together than the parts of an entry.
                if n == last:
                    self.para([*lead, (block.text, Font(size=size))])
                else:
                    self.para([*lead, (block.text, Font(size=size))], after=50)
            else:
                if lead:
                    self.para(lead, keep_next=True, after=40)
                self.blocks([block], size=size)

    def deciding_answers(self, item: ObligationItem) -> None:
        """The label, then each question with its answer in a short paragraph of its own."""
        c = self.content
        lead: list[Segment] = [(f"{self.h['deciding_answers']}. ",
                                Font(bold=True, size=9, color=ACCENT))]
        if not item.answers:
            self.para([*lead, (c.label("phrases", "no_answer"), Font(size=9))])
        last = len(item.answers) - 1
        for n, answer in enumerate(item.answers):
            # The label runs into the first answer, as "Finding." runs into the finding.
            parts: list[Segment] = [*(lead if n == 0 else []),
                                    (answer.question, Font(italic=True, size=9)), ("  ", PLAIN),
                                    (answer.answer, Font(bold=True, size=9))]
            if answer.citations:
                parts.append((f"  ({'; '.join(answer.citations)})", Font(size=9)))
            if answer.note:
                excerpt = answer.note_excerpt or ""
                more = c.label("phrases", "full_note") if excerpt != answer.note else ""
                parts.append((f"  {c.label('phrases', 'note')}{excerpt}{more}",
                              Font(size=9, color=MUTED)))
            self.para(parts, after=100 if n == last else 30, line=240)

    def advisories(self, item: ObligationItem) -> None:
        if not item.advisories:
            return
        c = self.content
        self.label(self.h["recommended_measures"])
        for advisory in item.advisories:
            parts: list[Segment] = [(f"{advisory.priority_label}. ", Font(bold=True, size=9)),
                                    (advisory.text, Font(size=9))]
            if advisory.basis:
                parts.append((f" {c.label('phrases', 'basis')}{'; '.join(advisory.basis)}.",
                              Font(size=9, color=MUTED)))
            self.para(parts, "List Bullet", after=60)

    # -- the action plan, compact -------------------------------------------------------------

    def head(self, font: Font, *columns: tuple[str, float]) -> tuple[list[int], list[Cell]]:
        """A table's column widths (shares of the text width) and its header row of labels."""
        widths = self.columns(*(share for _, share in columns))
        return widths, [cell((self.content.label("columns", key), font)) for key, _ in columns]

    def part(self, part: Part, new_page: bool | None = None) -> None:
        """A part's heading (on a new page unless the part follows on) and its running text."""
        self.heading(1, part.heading or "",
                     new_page=part.new_page if new_page is None else new_page)
        self.blocks(part.intro)

    def action_plan(self, part: Part) -> None:
        """The action plan: a compact table referring to the findings; in full, every
        measure, in a landscape section of its own."""
        c = self.content
        if part.wide and c.action_plan:
            # The cover page alone hides the running header: only the first section has titlePg.
            self.section_break(landscape=False, first=True)
            self.set_page(landscape=True)
            self.plan_in_full(part)
            self.section_break(landscape=True)
            self.set_page(landscape=False)
            return
        self.part(part)
        if not c.action_plan:
            return
        self.table(*self.plan_table(Font(size=SMALL), _PLAN_WIDTHS), cant_split=False,
                   caption=self.h["action_plan"], margins=(30, 60), compact=True)

    def plan_table(self, font: Font, shares: dict[str, float],
                   ) -> tuple[list[int], list[list[Cell]]]:
        """The action plan's column widths and rows, in the content model's columns."""
        columns = self.content.plan_columns
        widths, header = self.head(font, *((key, shares[key]) for key in columns))
        return widths, [header, *([self.plan_cell(key, action, font) for key in columns]
                                  for action in self.content.action_plan)]

    def plan_cell(self, key: str, action: ActionItem, font: Font) -> Cell:
        """One cell of the action plan: compact (`font` small) or full (every measure)."""
        c, item = self.content, action.item
        if key == "number":
            return cell((str(action.number), font), align="right")
        if key == "priority":
            return cell((action.priority_label, Font(size=font.size, bold=True)))
        if key == "provision":
            return cell((item.citation_ref, Font(size=font.size, bold=True)))
        if key == "kind":
            return cell((action.kind_label, font))
        if key == "action":
            return cell((action.action, font))
        if key == "see":
            return cell((c.finding_ref(item), font))
        if key == "obligation":
            return Cell([([(item.id, Font(bold=True))], None),
                         ([(item.citation_ref, font)], None),
                         ([(item.article_title, Font(italic=True, color=MUTED))], None)])
        if key == "requirement":
            return cell((item.summary, font))
        if key == "status":
            return _status_cell(c, item.status)
        if key == "measures":
            measures: list[tuple[Sequence[Segment], str | None]] = []
            blocks = item.measure_blocks if action.advisory is None else action.advisory.blocks
            for block in blocks:
                if block.kind == "bullets":
                    measures.extend(([(text, font)], "bullet") for text in block.items)
                else:
                    measures.append(([(block.text, font)], None))
            return Cell(measures or [([(c.label("phrases", "see_finding"), font)], None)])
        raise ValueError(f"unknown action plan column '{key}'")

    # -- Annex A, compact ---------------------------------------------------------------------

    def annex_answers(self, part: Part) -> None:
        """Annex A; for a reader in two columns, Annex B and the method following on."""
        if part.columns == 1:
            self.answers_annex(part)
            return
        self.section_break(landscape=False, first=True)
        self.answers_list(part)
        self.section_break(landscape=False, columns=2)
        # Annex B follows the answers on the same page: the two columns end balanced.
        self.final_continuous = True

    def answers_list(self, part: Part) -> None:
        """Each question once, with its answer, citations and note, in one paragraph."""
        c = self.content
        self.part(part)
        size = SMALL
        for group in c.answer_groups:
            self.para([(group.title, Font(bold=True, size=9, color=ACCENT))], keep_next=True,
                      before=100, after=30, line=240)
            for answer in group.answers:
                parts: list[Segment] = [(answer.question, Font(size=size)), ("  ", PLAIN),
                                        (answer.answer, Font(size=size, bold=answer.answered))]
                if answer.citations:
                    parts.append((f"  ({'; '.join(answer.citations)})", Font(size=size)))
                if answer.note:
                    parts.append((f"  {c.label('phrases', 'note')}", Font(
                        size=size, bold=True, color=MUTED)))
                    parts.append((" ".join(answer.note.split()), Font(size=size, color=MUTED)))
                self.para(parts, after=40, keep_lines=True, line=240)

    # -- the full report's parts --------------------------------------------------------------

    def instrument(self, section: InstrumentSection) -> None:
        c = self.content
        info = section.info
        self.heading(1, info.short, new_page=True)
        self.para([(info.title, Font(italic=True, color=MUTED))], after=120)
        if section.not_binding:
            for block in section.not_binding:
                text = block.text if block.kind == "para" else " ".join(block.items)
                self.table(self.columns(1.0), [[Cell(
                    [([(c.label("facts", "not_yet_binding_note"), Font(bold=True)),
                       (text, PLAIN)], None)],
                    fill=STATUS_FILL[Status.NOT_ASSESSED])]], header_rows=0,
                    caption=c.label("facts", "not_yet_binding_note").strip())
            self.spacer(after=120)
        self.blocks(section.intro)
        for category in section.categories:
            self.heading(2, f"{category.title}")
            self.blocks(category.intro)
            for item in category.items:
                self.obligation(item)

    def obligation(self, item: ObligationItem) -> None:
        c = self.content
        self.heading(3, item.heading)
        quote = self.styles["Quote"]
        # The treaty text is kept with the status table that follows it.
        if item.chapeau:
            self.add(paragraph_xml(Para(quote, keep_next=True), [(item.chapeau, PLAIN)]))
        self.add(paragraph_xml(Para(quote, keep_next=True, after=120),
                           [(item.text_label + item.text, PLAIN)]))
        self.facts(item)
        self.label(self.h["domestic_law"])
        if not item.answers:
            self.para(c.label("phrases", "no_answer"))
        for answer in item.answers:
            self.para([(answer.question, Font(italic=True)), ("  ", PLAIN),
                       (answer.answer, Font(bold=True))], after=40, keep_next=bool(
                           answer.citations or answer.note))
            for citation in answer.citations:
                self.para(citation, "List Bullet")
            if answer.note:
                excerpt = answer.note_excerpt or ""
                more = c.label("phrases", "full_note") if excerpt != answer.note else ""
                self.para([(c.label("phrases", "note"), Font(bold=True, size=9.5, color=MUTED)),
                           (excerpt + more, Font(size=9.5, color=MUTED))], after=60)
        self.label(self.h["finding"])
        for finding in item.findings or (c.label("phrases", "no_finding"),):
            self.para(finding)
        if item.measure_blocks:
            self.label(self.h["measures"])
            self.blocks(item.measure_blocks)
        self.advisories(item)

    def facts(self, item: ObligationItem) -> None:
        """The facts table of an obligation in full: label and value, the status in colour."""
        c = self.content
        bold = Font(bold=True)
        rows = []
        for fact in c.facts(item, "table"):
            if fact.key == "status":
                value = _status_cell(c, item.status)
            else:
                value = Cell([([(fact.value, PLAIN)], None)] + (
                    [([(fact.note, Font(italic=True, color=MUTED))], None)] if fact.note else []))
            rows.append([cell((fact.label, bold)), value])
        self.table(self.columns(0.2, 0.8), rows, header_rows=0, keep_together=True,
                   caption=f"{item.id}: {c.label('facts', 'status')} {item.status_label}")

    def plan_in_full(self, part: Part) -> None:
        self.part(part, new_page=False)
        self.table(*self.plan_table(PLAIN, _PLAN_WIDTHS_FULL), caption=self.h["action_plan"])

    def answers_annex(self, part: Part) -> None:
        c = self.content
        self.part(part)
        for group in c.answer_groups:
            self.heading(2, group.title)
            for answer in group.answers:
                self.para([(answer.question, Font(bold=True))], keep_next=True, before=120,
                          after=20)
                self.para([(c.label("phrases", "answer"), Font(color=MUTED)),
                           (answer.answer, PLAIN),
                           (f"   [{answer.question_id}]", Font(size=8, color=MUTED))],
                          after=40, keep_next=bool(answer.citations))
                for citation in answer.citations:
                    self.para(citation, "List Bullet")
                if answer.note:
                    lines = [line for line in answer.note.split("\n") if line.strip()]
                    for n, line in enumerate(lines):
                        lead = ([(c.label("phrases", "note"), Font(bold=True, color=MUTED))]
                                if n == 0 else [])
                        self.para([*lead, (line, PLAIN)], after=60)

    def annex_notifications(self, part: Part) -> None:
        c = self.content
        self.part(part)
        if not c.notifications:
            return
        small, bold = Font(size=SMALL), Font(size=SMALL, bold=True)
        widths, header = self.head(small, ("obligation", 0.15), ("notify", 0.14),
                                   ("what", 0.3), ("when", 0.29), ("status", 0.12))
        rows = [header]
        for note in c.notifications:
            item = note.item
            rows.append([
                Cell([([(item.id, bold)], None), ([(item.citation_ref, small)], None)]),
                cell((note.to, small)),
                cell((note.what, small)),
                cell((note.when, small)),
                _status_cell(c, item.status, SMALL),
            ])
        self.table(widths, rows, caption=self.h["annex_notifications"], cant_split=False,
                   margins=(30, 60), compact=True)
        self.spacer(after=240)

    def annex_method(self, part: Part) -> None:
        self.part(part)
        if not self.content.full or self.content.action_plan:
            self.last_section_plain()
