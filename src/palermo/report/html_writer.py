"""The report as one standalone HTML page: accessible, printable, no external resources.

Every piece of text is escaped; text that came from answers carries dir="auto" so Arabic or
Hebrew reads right to left. Status is shown by symbol and word, colour only adds to them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from html import escape
from typing import Any

from palermo.model import Status
from palermo.report import content as model
from palermo.report.content import Block, ReportContent

_CSS = """
:root { --ink: #1a1a1a; --muted: #595959; --accent: #1f3864; --rule: #a6a6a6; --head: #dce3ee; }
* { box-sizing: border-box; }
html { font-family: Calibri, Carlito, "Segoe UI", "Noto Sans", "DejaVu Sans", Arial, sans-serif;
       font-size: 16px; line-height: 1.45; color: var(--ink); background: #fff; }
body { margin: 0 auto; max-width: 60rem; padding: 1.5rem 2rem 4rem; }
h1, h2, h3, h4 { color: var(--accent); line-height: 1.25; }
h1 { font-size: 2.2rem; margin: 2rem 0 .3rem; }
h2 { font-size: 1.6rem; margin: 2.8rem 0 .8rem; border-bottom: 1px solid var(--rule);
     padding-bottom: .2rem; }
h3 { font-size: 1.25rem; margin: 2rem 0 .5rem; }
h4 { font-size: 1.05rem; margin: 1.8rem 0 .4rem; }
a { color: #1c4587; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; z-index: 1; }
.state { font-size: 1.8rem; font-weight: bold; color: var(--accent); margin: 0; }
.subtitle, .muted, .fulltitle { color: var(--muted); }
.fulltitle { font-style: italic; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; font-size: .9rem; }
caption { caption-side: bottom; text-align: left; font-style: italic; color: var(--muted);
          font-size: .85rem; padding-top: .3rem; }
th, td { border: 1px solid var(--rule); padding: .3rem .45rem; vertical-align: top;
         text-align: left; }
thead th { background: var(--head); }
td.num, th.num { text-align: right; }
table.facts th { width: 9rem; background: transparent; }
blockquote { margin: .6rem 0 .8rem; padding: .3rem .9rem; border-left: 4px solid #8ea9db;
             background: #f7f9fc; }
blockquote p { margin: .3rem 0; }
.status { font-weight: bold; padding: .05rem .35rem; border-radius: .2rem;
          white-space: nowrap; }
.label { font-weight: bold; color: var(--accent); margin: 1rem 0 .3rem; }
.note { color: var(--muted); font-size: .92rem; }
.binding { background: #dce6f2; border: 1px solid #9fb7d8; padding: .5rem .8rem; }
.bar { display: flex; width: 100%; min-height: 1.6rem; }
.bar span { display: flex; align-items: center; justify-content: center; font-weight: bold;
            font-size: .8rem; border-right: 2px solid #fff; overflow: hidden;
            white-space: nowrap; }
.chart td.label-cell { width: 30%; font-weight: bold; }
.chart td.bar-cell { padding: .15rem; }
.legend { display: flex; flex-wrap: wrap; gap: .4rem; padding: 0; list-style: none; }
.legend li { padding: .15rem .5rem; font-weight: bold; font-size: .85rem; }
nav ol { padding-left: 1.2rem; }
nav ol ol { padding-left: 1.2rem; }
.cover-details { margin: 1rem 0; }
.cover-details dt { font-weight: bold; float: left; clear: left; margin-right: .4rem; }
.cover-details dd { margin: 0 0 .2rem; }
.scroll { overflow-x: auto; }
table.compact { font-size: .85rem; }
table.compact th[scope="row"] { white-space: nowrap; background: transparent; }
tr.group th { background: #f2f2f2; color: var(--accent); text-align: left; }
.facts-line { color: var(--muted); font-size: .9rem; }
@media (max-width: 40rem) {
  html { font-size: 15px; }
  body { padding: .8rem; }
  table.compact { font-size: .8rem; }
  th, td { padding: .25rem .3rem; }
}
.answer-id { font-family: Consolas, "DejaVu Sans Mono", monospace; font-size: .8rem;
             color: var(--muted); }
@media print {
  html { font-size: 10.5pt; }
  body { max-width: none; padding: 0; }
  .skip, nav { display: none; }
  h2 { break-before: page; }
  h3, h4, .label { break-after: avoid; }
  tr, blockquote, .status { break-inside: avoid; }
  thead { display: table-header-group; }
  .wide { page: wide; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
@page { size: A4; margin: 2cm 2cm 2.2cm; }
@page wide { size: A4 landscape; }
"""


def _status_css() -> str:
    return "\n".join(
        f".st-{s.value} {{ background: #{model.STATUS_FILL[s]}; color: #{model.STATUS_INK[s]}; }}"
        for s in Status
    )


def e(text: str) -> str:
    return escape(text, quote=True)


def _lines(text: str) -> str:
    return "<br>".join(e(part) for part in text.split("\n"))


def _muted(text: str) -> str:
    return f'<span class="muted">{e(text)}</span>'


def _status(content: ReportContent, status: Status) -> str:
    return (f'<span class="status st-{status.value}"><span aria-hidden="true">'
            f"{e(status.symbol)}</span> {e(content.status_label(status))}</span>")


class _Writer:
    def __init__(self, content: ReportContent) -> None:
        self.c = content
        self.h = content.headings
        self.parts: list[str] = []
        self.toc: list[tuple[int, str, str]] = []
        self.ids = 0

    def out(self, *html: str) -> None:
        self.parts.extend(html)

    def heading(self, level: int, text: str, anchor: str | None = None) -> None:
        self.ids += 1
        anchor = anchor or f"s{self.ids}"
        if level <= 3:
            self.toc.append((level, text, anchor))
        self.out(f'<h{level + 1} id="{e(anchor)}">{e(text)}</h{level + 1}>')

    def blocks(self, items: Iterable[Block], user: bool = False) -> None:
        direction = ' dir="auto"' if user else ""
        for block in items:
            if block.kind == "bullets":
                self.out("<ul>" + "".join(f"<li{direction}>{e(i)}</li>" for i in block.items)
                         + "</ul>")
            elif block.kind == "note":
                self.out(f'<p class="muted"{direction}>{e(block.text)}</p>')
            else:
                self.out(f"<p{direction}>{e(block.text)}</p>")

    def col(self, key: str) -> str:
        return e(self.c.label("columns", key))

    def label(self, text: str) -> None:
        self.out(f'<p class="label">{e(text)}</p>')

    def render(self) -> str:
        c = self.c
        body_start = len(self.parts)
        self.cover()
        cover = self.parts[body_start:]
        del self.parts[body_start:]
        self.out('<main id="main">')
        for part in c.parts:
            if part.wide:
                self.out('<section class="wide">')
            if part.heading:
                self.heading(1, part.heading, part.anchor)
            self.blocks(part.intro)
            getattr(self, part.method)()
            if part.wide:
                self.out("</section>")
        self.out("</main>")
        main = self.parts
        head = [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f'<meta name="generator" content="{e(c.generator)}">',
            f"<title>{e(c.title)}: {e(c.state)}</title>",
            f"<style>{_CSS}{_status_css()}\n</style>",
            "</head>",
            "<body>",
            f'<a class="skip" href="#main">{e(c.label("phrases", "skip"))}</a>',
        ]
        nav = [f'<nav aria-label="{e(self.h["contents"])}"><h2>{e(self.h["contents"])}</h2>']
        nav.extend(self.toc_list())
        nav.append("</nav>")
        return "\n".join([*head, *cover, *nav, *main, "</body>", "</html>"]) + "\n"

    def cover(self) -> None:
        c = self.c
        self.out('<header class="cover">', f"<h1>{e(c.title)}</h1>",
                 f'<p class="state">{e(c.state)}</p>', f'<p class="subtitle">{e(c.subtitle)}</p>')
        self.out(f'<table><caption>{e(c.label("facts", "instruments_assessed"))}</caption>'
                 f'<thead><tr><th scope="col">{self.col("instrument")}</th><th scope="col">'
                 f'{e(c.label("facts", "instrument_status", state=c.names.short))}</th>'
                 "</tr></thead><tbody>")
        for info in c.instruments:
            self.out(f"<tr><td>{e(info.title)}</td><td>{e(info.cover_status)}</td></tr>")
        details = c.cover_details
        self.out("</tbody></table>", '<dl class="cover-details">', *(
            f"<dt>{e(k)}:</dt><dd>{e(v)}</dd>" for k, v in details), "</dl>")
        for block in c.draft_note:
            self.out(f'<p class="draft"><strong>{e(block.text)}</strong></p>')
        self.out('<div class="muted">')
        self.blocks(c.prose["cover"])
        self.out("</div></header>")

    def glance(self) -> None:
        """The full report's charts, by instrument and by category."""
        self.charts(with_categories=True)

    def charts(self, with_categories: bool = False) -> None:
        c = self.c
        self.legend()
        self.chart(c.label("columns", "instrument"), c.by_instrument,
                   c.label("phrases", "figure_instrument"))
        if with_categories:
            self.chart(c.label("columns", "category"), c.by_category,
                       c.label("phrases", "figure_category"))
        self.count_table(c.by_instrument, c.totals)

    def running_text(self) -> None:
        """A part that is its heading and running text, both written for every part."""

    def summary(self) -> None:
        """The executive summary: the overall assessment, top priorities and the charts."""
        c = self.c
        self.label(self.h["overall"])
        self.blocks(c.prose["overall"])
        if c.required.top or c.recommended.top:
            self.heading(2, self.h["priorities"], "priorities")
        self.priorities(self.h["priorities_required"], c.required)
        self.priorities(self.h["priorities_recommended"], c.recommended)
        self.heading(2, self.h["glance"], "glance")
        self.charts()

    def priorities(self, title: str, priorities: model.Priorities) -> None:
        if not priorities.top:
            return
        self.label(title)
        self.out("<ul>")
        for row in priorities.top:
            item = row.item
            link = (f' (<a href="#{e(item.id)}">{e(self.c.finding_ref(item))}</a>)'
                    if item.finding_number else "")
            self.out(f'<li><strong>{e(row.lead)}</strong>: <span dir="auto">{e(row.action)}</span>'
                     f"{link}</li>")
        if priorities.more_note:
            self.out(f"<li><em>{e(priorities.more_note)}</em></li>")
        self.out("</ul>")

    def progress(self) -> None:
        """A row per obligation that changed since an earlier assessment (report --since)."""
        p = self.c.progress
        if not (p and p.rows):
            return
        self.out(f'<div class="scroll"><table class="compact"><caption>{e(p.heading)}</caption>'
                 "<thead><tr>" + "".join(f'<th scope="col">{self.col(k)}</th>'
                                         for k in model.PROGRESS_COLUMNS)
                 + "</tr></thead><tbody>")
        for r in p.rows:
            answers = "<br>".join(e(a) for a in r.answers)
            self.out(f'<tr><th scope="row">{e(r.provision)}</th><td>{e(r.kind_label)}</td>'
                     f'<td>{e(r.before)}</td><td>{e(r.now)}</td>'
                     f'<td dir="auto">{answers}</td></tr>')
        self.out("</tbody></table></div>")

    def correspondence(self) -> None:
        for section in self.c.sections:
            self.heading(2, section.info.short, f"correspondence-{section.info.code}")
            self.out(f'<div class="scroll"><table class="compact"><caption>'
                     f"{e(self.h['correspondence'])}: {e(section.info.short)}</caption>"
                     "<thead><tr>" + "".join(f'<th scope="col">{self.col(k)}</th>' for k in
                                             ("provision", "domestic", "status", "finding"))
                     + "</tr></thead><tbody>")
            for category in section.categories:
                self.out(f'<tr class="group"><th colspan="4" scope="rowgroup">'
                         f"{e(category.title)}</th></tr>")
                for item in category.items:
                    self.correspondence_row(item)
            self.out("</tbody></table></div>")

    def correspondence_row(self, item: model.ObligationItem) -> None:
        c = self.c
        notes = [e(note) for note in c.row_notes(item)]
        if item.finding_number:  # the finding's number links to it
            notes[0] = f'<a href="#{e(item.id)}">{notes[0]}</a>'
        finding = e(item.one_line or c.label("phrases", "no_finding"))
        if notes:
            finding += f' <strong class="muted">[{"; ".join(notes)}]</strong>'
        cited = e("; ".join(item.citations)) or e(c.label("phrases", "none_cited"))
        self.out(f'<tr><th scope="row">{e(item.provision)}</th><td dir="auto">{cited}</td>'
                 f'<td>{_status(c, item.status)}</td><td dir="auto">{finding}</td></tr>')

    def analysis(self) -> None:
        self.grouped(self.c.finding_groups, self.finding, "analysis")

    def grouped(self, groups: Iterable[model.FindingGroup | model.AnswerGroup],
                lay_out: Callable[[Any], None], anchored: str | None = None) -> None:
        """Groups under their titles (anchored `anchored-<instrument>`), each item of a group
        laid out by `lay_out`."""
        for group in groups:
            self.heading(2, group.title, f"{anchored}-{group.instrument}" if anchored else None)
            for item in group.items:
                lay_out(item)

    def finding(self, item: model.ObligationItem) -> None:
        """One obligation of the detailed analysis."""
        c = self.c
        self.heading(3, c.finding_heading(item), item.id)
        self.quote(item)
        facts = " · ".join(self.fact(item, f, e(f.text)) for f in c.facts(item, "line"))
        self.out(f'<p class="facts-line">{facts}</p>')
        self.label(self.h["deciding_answers"])
        self.answers(item)
        self.verdict(item, self.h["required_measures"], item.specific_blocks)

    def verdict(self, item: model.ObligationItem, title: str, measures: Sequence[Block]) -> None:
        """The finding, the measures under `title` and the recommended measures."""
        self.label(self.h["finding"])
        for finding in item.findings or (self.c.label("phrases", "no_finding"),):
            self.out(f'<p dir="auto">{_lines(finding)}</p>')
        if measures:
            self.label(title)
            self.blocks(measures, user=True)
        self.advisories(item)

    def quote(self, item: model.ObligationItem) -> None:
        quote = ([item.chapeau] if item.chapeau else []) + [item.text_label + item.text]
        self.out("<blockquote>"
                 + "".join(f"<p>{e(line)}</p>" for part in quote for line in part.split("\n"))
                 + "</blockquote>")

    def answers(self, item: model.ObligationItem) -> None:
        c = self.c
        if not item.answers:
            self.out(f"<p>{e(c.label('phrases', 'no_answer'))}</p>")
            return
        self.out("<ul>")
        for answer in item.answers:
            inner = "".join(f'<li dir="auto">{e(x)}</li>' for x in answer.citations)
            if answer.note:
                excerpt = answer.note_excerpt or ""
                more = c.label("phrases", "full_note") if excerpt != answer.note else ""
                inner += (f'<li class="note" dir="auto"><strong>'
                          f'{e(c.label("phrases", "note"))}</strong>'
                          f"{_lines(excerpt)}{e(more)}</li>")
            self.out(f'<li><em dir="auto">{e(answer.question)}</em> '
                     f'<strong dir="auto">{e(answer.answer)}</strong>'
                     + (f"<ul>{inner}</ul>" if inner else "") + "</li>")
        self.out("</ul>")

    def advisories(self, item: model.ObligationItem) -> None:
        if not item.advisories:
            return
        self.label(self.h["recommended_measures"])
        self.out("<ul>")
        for advisory in item.advisories:
            basis = (f' <span class="muted">{e(self.c.label("phrases", "basis"))}'
                     f'{e("; ".join(advisory.basis))}.</span>' if advisory.basis else "")
            self.out(f"<li><strong>{e(advisory.priority_label)}.</strong> "
                     f'<span dir="auto">{_lines(advisory.text)}</span>{basis}</li>')
        self.out("</ul>")

    def fact(self, item: model.ObligationItem, fact: model.Fact, html: str) -> str:
        """A fact as HTML: the status as its badge, the id as code, a stressed fact strong."""
        if fact.key == "status":
            return _status(self.c, item.status)
        if fact.key == "id":
            return f"<code>{html}</code>"
        return f"<strong>{html}</strong>" if fact.strong else html

    def annex_answers(self) -> None:
        self.grouped(self.c.answer_groups, self.annex_answer)

    def annex_answer(self, answer: model.AnswerItem) -> None:
        """A question, its answer and citations, and the whole note."""
        c = self.c
        self.out(f'<p><strong dir="auto">{e(answer.question)}</strong> '
                 f'<span class="answer-id">{e(answer.question_id)}</span><br>'
                 f'{e(c.label("phrases", "answer"))}'
                 f'<span dir="auto">{e(answer.answer)}</span></p>')
        if answer.citations:
            self.out("<ul>" + "".join(f'<li dir="auto">{e(x)}</li>'
                                      for x in answer.citations) + "</ul>")
        if answer.note:
            for n, line in enumerate(x for x in answer.note.split("\n") if x.strip()):
                lead = f"<strong>{e(c.label('phrases', 'note'))}</strong>" if n == 0 else ""
                self.out(f'<p class="note" dir="auto">{lead}{e(line)}</p>')

    def annex_notifications(self) -> None:
        c = self.c
        if c.notifications:
            self.out(f"<table><caption>{e(self.h['annex_notifications'])}</caption><thead><tr>"
                     + "".join(f'<th scope="col">{self.col(k)}</th>' for k in
                               ("obligation", "notify", "what", "when", "status"))
                     + "</tr></thead><tbody>")
            for note in c.notifications:
                anchor = note.item.id if (c.full or note.item.finding_number) else None
                ident = (f'<a href="#{e(anchor)}">{e(note.item.id)}</a>' if anchor
                         else e(note.item.id))
                self.out(f"<tr><td>{ident}<br>"
                         f"{e(note.item.citation_ref)}</td><td>{e(note.to)}</td>"
                         f"<td>{e(note.what)}</td><td>{e(note.when)}</td>"
                         f"<td>{_status(c, note.item.status)}</td></tr>")
            self.out("</tbody></table>")

    def action_plan(self) -> None:
        """The compact plan, or the full report's with every measure."""
        c = self.c
        if c.action_plan:
            columns = c.plan_columns
            self.out(('<table>' if c.full else '<div class="scroll"><table class="compact">')
                     + f'<caption>{e(self.h["action_plan"])}</caption><thead><tr>'
                     + "".join(f'<th scope="col">{self.col(k)}</th>' for k in columns)
                     + "</tr></thead><tbody>")
            for action in c.action_plan:
                cells = self.plan_cells(action)
                self.out("<tr>" + "".join(cells[k] for k in columns) + "</tr>")
            self.out("</tbody></table>" if c.full else "</tbody></table></div>")

    def annex_method(self) -> None:
        """The method's running text is all there is (the part's intro)."""

    def instruments(self) -> None:
        for section in self.c.sections:
            self.instrument(section)

    def plan_cells(self, action: model.ActionItem) -> dict[str, str]:
        """A row of the action plan, every column the compact or the full plan may show."""
        item = action.item
        link = f'<a href="#{e(item.id)}">'
        texts = item.measures if action.advisory is None else (action.advisory.text,)
        return {
            "number": f'<td class="num">{action.number}</td>',
            "priority": f"<td><strong>{e(action.priority_label)}</strong></td>",
            "provision": f"<td><strong>{e(item.citation_ref)}</strong><br>"
                         f'<span class="muted">{e(item.article_title)}</span></td>',
            "kind": f"<td>{e(action.kind_label)}</td>",
            "action": f'<td dir="auto">{e(action.action)}</td>',
            "see": (f"<td>{link}{e(self.c.finding_ref(item))}</a></td>" if item.finding_number
                    else "<td></td>"),
            "obligation": f"<td>{link}{e(item.id)}</a><br>{e(item.citation_ref)}</td>",
            "requirement": f"<td>{e(item.summary)}</td>",
            "status": f"<td>{_status(self.c, item.status)}</td>",
            "measures": "<td>" + "".join(f'<p dir="auto">{_lines(m)}</p>' for m in texts)
                        + "</td>",
        }

    def toc_list(self) -> list[str]:
        """Nested ordered lists of the headings, each level inside its parent's item."""
        html: list[str] = []
        depth = 0
        for level, text, anchor in self.toc:
            if level > depth:
                for step in range(level - depth):
                    html.append("<ol>" if step == level - depth - 1 else "<ol><li>")
            else:
                html.append("</li>" + "</ol></li>" * (depth - level))
            depth = level
            html.append(f'<li><a href="#{e(anchor)}">{e(text)}</a>')
        if depth:
            html.append("</li>" + "</ol></li>" * (depth - 1) + "</ol>")
        return html

    def legend(self) -> None:
        c = self.c
        self.out(f'<ul class="legend" aria-label="{e(c.label("facts", "key"))}">' + "".join(
            f'<li class="st-{s.value}"><span aria-hidden="true">{e(s.symbol)}</span> '
            f"{e(c.status_label(s))}</li>" for s in Status) + "</ul>")

    def chart(self, label: str, rows: Sequence[model.CountRow], caption: str) -> None:
        if not rows:
            return
        c = self.c
        self.out(f'<table class="chart"><caption>{e(caption)}</caption><thead><tr>'
                 f'<th scope="col">{e(label)}</th><th scope="col">{self.col("share")}</th>'
                 f'<th scope="col" class="num">{self.col("total")}</th></tr></thead><tbody>')
        for row in rows:
            described = ", ".join(f"{c.status_label(s).lower()} {n}"
                                  for s, n in row.counts if n)
            segments = "".join(
                f'<span class="st-{s.value}" style="width:{100 * n / row.total:.2f}%">'
                f"{n}\u00a0{e(s.symbol)}</span>"
                for s, n in row.counts if n) if row.total else ""
            self.out(f'<tr><td class="label-cell">{e(row.label)}</td><td class="bar-cell">'
                     f'<div class="bar" role="img" aria-label="{e(row.label)}: {e(described)}">'
                     f'{segments}</div></td><td class="num">{row.total}</td></tr>')
        self.out("</tbody></table>")

    def count_table(self, rows: Sequence[model.CountRow], total: model.CountRow) -> None:
        if not rows:
            return
        statuses = list(Status)
        self.out(f"<table><caption>{e(self.c.label('phrases', 'table_counts'))}"
                 f'</caption><thead><tr><th scope="col">{self.col("instrument")}</th>'
                 + "".join(f'<th scope="col" class="num">{_status(self.c, s)}</th>'
                           for s in statuses)
                 + f'<th scope="col" class="num">{self.col("total")}</th></tr></thead><tbody>')
        for row in [*rows, total]:
            self.out(f'<tr><th scope="row">{e(row.label)}</th>'
                     + "".join(f'<td class="num">{row.get(s)}</td>' for s in statuses)
                     + f'<td class="num">{row.total}</td></tr>')
        self.out("</tbody></table>")

    def instrument(self, section: model.InstrumentSection) -> None:
        c = self.c
        info = section.info
        self.heading(1, info.short, f"instrument-{info.code}")
        self.out(f'<p class="fulltitle">{e(info.title)}</p>')
        for block in section.not_binding:
            text = block.text or " ".join(block.items)
            self.out(f'<p class="binding"><strong>'
                     f'{e(c.label("facts", "not_yet_binding_note"))}</strong>{e(text)}</p>')
        self.blocks(section.intro)
        for category in section.categories:
            self.heading(2, category.title)
            self.blocks(category.intro)
            for item in category.items:
                self.obligation(item)

    def obligation(self, item: model.ObligationItem) -> None:
        c = self.c
        self.heading(3, item.heading, item.id)
        self.quote(item)
        self.out('<table class="facts"><tbody>' + "".join(
            f'<tr><th scope="row">{e(f.label)}</th><td>'
            f'{self.fact(item, f, e(f.value) + (f"<br>{_muted(f.note)}" if f.note else ""))}'
            "</td></tr>" for f in c.facts(item)) + "</tbody></table>")
        self.label(self.h["domestic_law"])
        self.answers(item)
        self.verdict(item, self.h["measures"], item.measure_blocks)


def render_html(content: ReportContent) -> str:
    """The report as a standalone HTML page."""
    return _Writer(content).render()
