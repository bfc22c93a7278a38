"""The report as Markdown (CommonMark with GitHub tables), for wikis and review in git."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from palermo.model import Status
from palermo.report.content import (
    HEADINGS,
    Block,
    CountRow,
    ObligationItem,
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


def _status(status: Status) -> str:
    return f"{status.symbol} {status.label}"


class _Writer:
    def __init__(self, content: ReportContent) -> None:
        self.c = content
        self.lines: list[str] = []

    def out(self, *lines: str) -> None:
        self.lines.extend(lines)

    def para(self, text: str) -> None:
        self.out(md(text, block=True), "")

    def blocks(self, items: Iterable[Block]) -> None:
        for block in items:
            if block.kind == "bullets":
                self.out(*(f"- {md(item, block=True)}" for item in block.items))
                self.out("")
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

    def render(self) -> str:
        c = self.c
        self.out(f"# {md(c.title)}: {md(c.state)}", "", f"*{md(c.subtitle)}*", "")
        self.table(["Instrument", f"Status of {c.state}"],
                   [[_cell(i.title), _cell(i.party_label if i.assessed or i.party_status
                                           else "Provisions applying to the Protocol offences")]
                    for i in c.instruments])
        details = [f"**Date:** {md(c.date)}"]
        if c.assessor:
            details.append(f"**Assessor:** {md(c.assessor)}")
        details.append(f"**Catalog of obligations:** version {md(c.catalog_version)}")
        if c.answers_catalog_version and c.answers_catalog_version != c.catalog_version:
            details.append(f"**Answers recorded with:** catalog version "
                           f"{md(c.answers_catalog_version)}")
        details.append(f"**Prepared with:** {md(c.generator)}")
        self.out("  \n".join(details), "")
        self.blocks(c.cover_note)

        self.out(f"## {HEADINGS['summary']}", "")
        self.blocks(c.summary)

        self.out(f"## {HEADINGS['glance']}", "")
        self.counts(HEADINGS["by_instrument"], "Instrument", [*c.by_instrument, c.totals])
        self.counts(HEADINGS["by_category"], "Category", [*c.by_category, c.totals])

        for section in c.sections:
            info = section.info
            self.out(f"## {md(info.short)}", "", f"*{md(info.title)}*", "")
            for block in section.not_binding:
                self.out(f"> **Not yet binding.** {md(block.text or ' '.join(block.items))}", "")
            self.blocks(section.intro)
            for category in section.categories:
                self.out(f"### {md(category.title)}", "")
                self.blocks(category.intro)
                for item in category.items:
                    self.obligation(item)

        self.out(f"## {HEADINGS['action_plan']}", "")
        self.blocks(c.action_plan_intro)
        if c.action_plan:
            self.table(
                ["No.", "Priority", "Obligation", "Requirement", "Status",
                 HEADINGS["measures"]],
                ([str(a.number), _cell(a.item.priority_label or ""),
                  f"{_code(a.item.id)}<br>{_cell(a.item.citation_ref)}",
                  _cell(a.item.summary), _cell(_status(a.item.status)),
                  "<br>".join(_cell(m) for m in a.item.measures)]
                 for a in c.action_plan),
                align="rlllll",
            )

        self.out(f"## {HEADINGS['annex_answers']}", "")
        self.blocks(c.answers_intro)
        for group in c.answer_groups:
            self.out(f"### {md(group.title)}", "")
            for answer in group.answers:
                self.out(f"**{md(answer.question)}** {_code(answer.question_id)}  ",
                         f"Answer: {md(answer.answer)}", "")
                if answer.citations:
                    self.out(*(f"- {md(cite, block=True)}" for cite in answer.citations))
                    self.out("")
                if answer.note:
                    lines = [line for line in answer.note.split("\n") if line.strip()]
                    self.out(f"Note: {md(lines[0])}", "")
                    for line in lines[1:]:
                        self.para(line)

        self.out(f"## {HEADINGS['annex_notifications']}", "")
        self.blocks(c.notifications_intro)
        if c.notifications:
            self.table(["Obligation", "Notify", "What", "When", "Status"],
                       ([f"{_code(n.item.id)}<br>{_cell(n.item.citation_ref)}", _cell(n.to),
                         _cell(n.what), _cell(n.when), _cell(_status(n.item.status))]
                        for n in c.notifications))

        self.out(f"## {HEADINGS['annex_method']}", "")
        self.blocks(c.method)
        return "\n".join(self.lines).rstrip("\n") + "\n"

    def counts(self, caption: str, label: str, rows: Sequence[CountRow]) -> None:
        if len(rows) <= 1:
            return
        self.out(f"**{md(caption)}**", "")
        statuses = list(Status)
        self.table([label, *(_status(s) for s in statuses), "Total"],
                   ([_cell(r.label), *(str(r.get(s)) for s in statuses), str(r.total)]
                    for r in rows), align="l" + "r" * (len(statuses) + 1))

    def obligation(self, item: ObligationItem) -> None:
        self.out(f"#### {md(item.heading)}", "")
        quoted = ([item.chapeau] if item.chapeau else []) + [item.text_label + item.text]
        lines = [line for part in quoted for line in part.split("\n")]
        self.out("\n>\n".join(f"> {md(line, block=True)}" for line in lines), "")
        rows = [["Status", f"**{_cell(_status(item.status))}**"],
                ["Obligation", _cell(item.strength_label + (f" ({item.strength_note})"
                                                            if item.strength_note else ""))],
                ["In brief", _cell(item.summary)]]
        if item.priority_label:
            rows.append(["Priority", _cell(item.priority_label)])
        if item.option_label:
            rows.append(["Option taken", _cell(item.option_label)])
        if not item.binding:
            rows.append(["Binding", "Not yet: would bind on becoming a Party"])
        self.table(["", ""], rows)
        self.out(f"**{HEADINGS['domestic_law']}**", "")
        if not item.answers:
            self.para("No answer bears on this obligation yet.")
        for answer in item.answers:
            self.out(f"- *{md(answer.question)}* **{md(answer.answer)}**")
            self.out(*(f"  - {md(cite, block=True)}" for cite in answer.citations))
            if answer.note:
                excerpt = answer.note_excerpt or ""
                more = " (full note in Annex A)" if excerpt != answer.note else ""
                self.out(f"  - Note: {md(excerpt.replace(chr(10), ' '))}{more}")
        self.out("")
        self.out(f"**{HEADINGS['finding']}**", "")
        for finding in item.findings or ("No finding recorded.",):
            self.para(finding)
        if item.measure_blocks:
            self.out(f"**{HEADINGS['measures']}**", "")
            self.blocks(item.measure_blocks)


def render_markdown(content: ReportContent) -> str:
    """The report as Markdown text."""
    return _Writer(content).render()
