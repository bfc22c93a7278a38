"""The report as Markdown (CommonMark with GitHub tables), for wikis and review in git."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from palermo.model import Status
from palermo.report.content import (
    PROGRESS_COLUMNS,
    ActionItem,
    AnswerGroup,
    AnswerItem,
    Block,
    CountRow,
    Fact,
    FindingGroup,
    InstrumentSection,
    ObligationItem,
    Priorities,
    ReportContent,
)

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#&~!])")
_LINE_START = re.compile(r"^(\s*)([-+=]|\d+[.)])", re.MULTILINE)


def md(text: str, *, block: bool = False) -> str:
    """Escape text so Markdown shows it as written (no markup, no raw HTML).

    With `block`, the text starts a paragraph or list item, so a leading "-", "+" or "1."
    is escaped too (it would start a list).
    """
    escaped = _SPECIAL.sub(r"\\\1", text)
    if not block:
        return escaped
    return _LINE_START.sub(lambda m: m.group(1) + re.sub(r"([-+=.)])", r"\\\1", m.group(2)),
                           escaped)


def _cell(text: str) -> str:
    return md(text).replace("\n", "<br>")


def _code(text: str) -> str:
    fence = "``" if "`" in text else "`"
    return f"{fence}{text}{fence}"


def _fact(fact: Fact, text: str) -> str:
    """A fact's words as Markdown: the id as code, a stressed fact in bold."""
    shown = _code(text) if fact.key == "id" else _cell(text)
    return f"**{shown}**" if fact.strong else shown


class _Writer:
    def __init__(self, content: ReportContent) -> None:
        self.c = content
        self.h = content.headings
        self.lines: list[str] = []

    def out(self, *lines: str) -> None:
        self.lines.extend(lines)

    def para(self, text: str) -> None:
        self.out(md(text, block=True), "")

    def label(self, text: str) -> None:
        self.out(f"**{md(text)}**", "")

    def blocks(self, items: Iterable[Block]) -> None:
        for block in items:
            if block.kind == "bullets":
                self.out(*(f"- {md(item, block=True)}" for item in block.items))
                self.out("")
            elif block.kind == "note":
                self.out(f"> {md(block.text, block=True)}", "")
            else:
                self.para(block.text)

    def table(self, header: Sequence[str], rows: Iterable[Sequence[str]],
              align: Sequence[str] = ()) -> None:
        marks = {"l": "---", "c": ":---:", "r": "---:"}
        self.out("| " + " | ".join(_cell(h) for h in header) + " |")
        self.out("|" + "|".join(marks[a] for a in (align or "l" * len(header))) + "|")
        for row in rows:
            self.out("| " + " | ".join(row) + " |")
        self.out("")

    def col(self, key: str) -> str:
        return self.c.label("columns", key)

    def render(self) -> str:
        self.cover()
        for part in self.c.parts:
            if part.heading:
                self.out(f"## {md(part.heading)}", "")
            self.blocks(part.intro)
            getattr(self, part.method)()
        return "\n".join(self.lines).rstrip("\n") + "\n"

    def cover(self) -> None:
        c = self.c
        self.out(f"# {md(c.title)}: {md(c.state)}", "", f"*{md(c.subtitle)}*", "")
        self.table([self.col("instrument"),
                    c.label("facts", "instrument_status", state=c.names.short)],
                   [[_cell(i.title), _cell(i.cover_status)] for i in c.instruments])
        details = c.cover_details
        self.out("  \n".join(f"**{md(k)}:** {md(v)}" for k, v in details), "")
        for block in c.draft_note:
            self.out(f"> **{md(block.text)}**", "")
        self.blocks(c.prose["cover"])

    def running_text(self) -> None:
        """A part that is its heading and running text, both written for every part."""

    def summary(self) -> None:
        """The executive summary: the overall assessment, top priorities and counts."""
        c = self.c
        self.out(f"### {self.h['overall']}", "")
        self.blocks(c.prose["overall"])
        if c.required.top or c.recommended.top:
            self.out(f"### {self.h['priorities']}", "")
        self.priorities(self.h["priorities_required"], c.required)
        self.priorities(self.h["priorities_recommended"], c.recommended)
        self.out(f"### {self.h['glance']}", "")
        self.counts(self.h["by_instrument"], self.col("instrument"),
                    [*c.by_instrument, c.totals])

    def priorities(self, title: str, priorities: Priorities) -> None:
        if not priorities.top:
            return
        self.label(title)
        for row in priorities.top:
            ref = f" ({self.c.finding_ref(row.item)})" if row.item.finding_number else ""
            self.out(f"- **{md(row.lead)}**: {md(row.action)}{md(ref)}")
        if priorities.more_note:
            self.out(f"- *{md(priorities.more_note)}*")
        self.out("")

    def progress(self) -> None:
        """A row per obligation that changed since an earlier assessment (report --since)."""
        p = self.c.progress
        if p and p.rows:
            self.table([self.col(k) for k in PROGRESS_COLUMNS],
                       ([_cell(r.provision), _cell(r.kind_label), _cell(r.before), _cell(r.now),
                         "<br>".join(_cell(a) for a in r.answers)] for r in p.rows))

    def correspondence(self) -> None:
        c = self.c
        for section in c.sections:
            self.out(f"### {md(section.info.short)}", "")
            rows = []
            for category in section.categories:
                rows.append([f"**{_cell(category.title)}**", "", "", ""])
                for item in category.items:
                    notes = c.row_notes(item)
                    finding = _cell(item.one_line or c.label("phrases", "no_finding"))
                    if notes:
                        finding += f" **\\[{_cell('; '.join(notes))}\\]**"
                    rows.append([_cell(item.provision),
                                 _cell(item.citations_brief
                                       or c.label("phrases", "none_cited")),
                                 _cell(c.status_text(item.status)), finding])
            self.table([self.col(k) for k in ("provision", "domestic", "status", "finding")],
                       rows)

    def analysis(self) -> None:
        self.grouped(self.c.finding_groups, self.finding)

    def grouped(self, groups: Iterable[FindingGroup | AnswerGroup],
                lay_out: Callable[[Any], None]) -> None:
        """Groups under their titles, each item of a group laid out by `lay_out`."""
        for group in groups:
            self.out(f"### {md(group.title)}", "")
            for item in group.items:
                lay_out(item)

    def finding(self, item: ObligationItem) -> None:
        """One obligation of the detailed analysis."""
        c = self.c
        self.out(f"#### {md(c.finding_heading(item))}", "")
        self.quote(item)
        self.out(" · ".join(_fact(f, f.text) for f in c.facts(item, "line")), "")
        self.label(self.h["deciding_answers"])
        self.answers(item, brief=True)
        self.verdict(item, self.h["required_measures"], item.specific_blocks)

    def quote(self, item: ObligationItem) -> None:
        quoted = ([item.chapeau] if item.chapeau else []) + [item.text_label + item.text]
        lines = [line for part in quoted for line in part.split("\n")]
        self.out("\n>\n".join(f"> {md(line, block=True)}" for line in lines), "")

    def answers(self, item: ObligationItem, brief: bool) -> None:
        c = self.c
        if not item.answers:
            self.para(c.label("phrases", "no_answer"))
        for answer in item.answers:
            if brief:
                cited = f" ({md('; '.join(answer.citations))})" if answer.citations else ""
                self.out(f"- *{md(answer.question)}* **{md(answer.answer)}**{cited}")
            else:
                self.out(f"- *{md(answer.question)}* **{md(answer.answer)}**")
                self.out(*(f"  - {md(cite, block=True)}" for cite in answer.citations))
            if answer.note:
                excerpt = answer.note_excerpt or ""
                more = c.label("phrases", "full_note") if excerpt != answer.note else ""
                self.out(f"  - {md(c.label('phrases', 'note'))}"
                         f"{md(excerpt.replace(chr(10), ' '))}{md(more)}")
        self.out("")

    def advisories(self, item: ObligationItem) -> None:
        if not item.advisories:
            return
        self.label(self.h["recommended_measures"])
        for advisory in item.advisories:
            basis = (f" *{md(self.c.label('phrases', 'basis'))}{md('; '.join(advisory.basis))}.*"
                     if advisory.basis else "")
            self.out(f"- **{md(advisory.priority_label)}.** {md(advisory.text)}{basis}")
        self.out("")

    def action_plan(self) -> None:
        c = self.c
        if not c.action_plan:
            return
        columns = c.plan_columns
        self.table([self.col(k) for k in columns],
                   ([self.plan_cells(a)[k] for k in columns] for a in c.action_plan),
                   align="r" + "l" * (len(columns) - 1))

    def plan_cells(self, action: ActionItem) -> dict[str, str]:
        """A row of the action plan, every column the compact or the full plan may show."""
        item = action.item
        measures = item.measures if action.advisory is None else (action.advisory.text,)
        return {
            "number": str(action.number), "priority": _cell(action.priority_label),
            "provision": f"**{_cell(item.citation_ref)}** ({_cell(item.article_title)})",
            "kind": _cell(action.kind_label), "action": _cell(action.action),
            "see": _cell(self.c.finding_ref(item)),
            "obligation": f"{_code(item.id)}<br>{_cell(item.citation_ref)}",
            "requirement": _cell(item.summary), "status": _cell(self.c.status_text(item.status)),
            "measures": "<br>".join(_cell(m) for m in measures),
        }

    def annex_answers(self) -> None:
        self.grouped(self.c.answer_groups, self.annex_answer)

    def annex_answer(self, answer: AnswerItem) -> None:
        """A question, its answer and citations, and the whole note."""
        c = self.c
        self.out(f"**{md(answer.question)}** {_code(answer.question_id)}  ",
                 f"{md(c.label('phrases', 'answer'))}{md(answer.answer)}", "")
        if answer.citations:
            self.out(*(f"- {md(cite, block=True)}" for cite in answer.citations))
            self.out("")
        if answer.note:
            lines = [line for line in answer.note.split("\n") if line.strip()]
            self.out(f"{md(c.label('phrases', 'note'))}{md(lines[0])}", "")
            for line in lines[1:]:
                self.para(line)

    def annex_notifications(self) -> None:
        c = self.c
        if c.notifications:
            self.table([self.col(k) for k in ("obligation", "notify", "what", "when", "status")],
                       ([f"{_code(n.item.id)}<br>{_cell(n.item.citation_ref)}", _cell(n.to),
                         _cell(n.what), _cell(n.when), _cell(c.status_text(n.item.status))]
                        for n in c.notifications))

    def annex_method(self) -> None:
        """The method's running text is all there is (the part's intro)."""

    def glance(self) -> None:
        """The full report's counts, by instrument and by category."""
        c = self.c
        self.counts(self.h["by_instrument"], self.col("instrument"), [*c.by_instrument, c.totals])
        self.counts(self.h["by_category"], self.col("category"), [*c.by_category, c.totals])

    def instruments(self) -> None:
        for section in self.c.sections:
            self.instrument(section)

    def counts(self, caption: str, label: str, rows: Sequence[CountRow]) -> None:
        if len(rows) <= 1:
            return
        self.out(f"**{md(caption)}**", "")
        statuses = list(Status)
        self.table([label, *(self.c.status_text(s) for s in statuses), self.col("total")],
                   ([_cell(r.label), *(str(r.get(s)) for s in statuses), str(r.total)]
                    for r in rows), align="l" + "r" * (len(statuses) + 1))

    def instrument(self, section: InstrumentSection) -> None:
        c = self.c
        info = section.info
        self.out(f"## {md(info.short)}", "", f"*{md(info.title)}*", "")
        for block in section.not_binding:
            self.out(f"> **{md(c.label('facts', 'not_yet_binding_note').strip())}** "
                     f"{md(block.text or ' '.join(block.items))}", "")
        self.blocks(section.intro)
        for category in section.categories:
            self.out(f"### {md(category.title)}", "")
            self.blocks(category.intro)
            for item in category.items:
                self.obligation(item)

    def obligation(self, item: ObligationItem) -> None:
        c = self.c
        self.out(f"#### {md(item.heading)}", "")
        self.quote(item)
        self.table(["", ""], ([md(f.label), _fact(f, f.value + (f" ({f.note})" if f.note else ""))]
                              for f in c.facts(item)))
        self.label(self.h["domestic_law"])
        self.answers(item, brief=False)
        self.verdict(item, self.h["measures"], item.measure_blocks)

    def verdict(self, item: ObligationItem, title: str, measures: Sequence[Block]) -> None:
        """The finding, the measures under `title` and the recommended measures."""
        self.label(self.h["finding"])
        for finding in item.findings or (self.c.label("phrases", "no_finding"),):
            self.para(finding)
        if measures:
            self.label(title)
            self.blocks(measures)
        self.advisories(item)


def render_markdown(content: ReportContent) -> str:
    """The report as Markdown text."""
    return _Writer(content).render()
