"""The report as one standalone HTML page: accessible, printable, no external resources.

Every piece of text is escaped; text that came from answers carries dir="auto" so Arabic or
Hebrew reads right to left. Status is shown by symbol and word, colour only adds to them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

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
        f".st-{s.value} {{ background: #{STATUS_FILL[s]}; color: #{STATUS_INK[s]}; }}"
        for s in Status
    )


def e(text: str) -> str:
    return escape(text, quote=True)


def _lines(text: str) -> str:
    return "<br>".join(e(part) for part in text.split("\n"))


def _status(status: Status) -> str:
    return (f'<span class="status st-{status.value}"><span aria-hidden="true">'
            f"{e(status.symbol)}</span> {e(status.label)}</span>")


class _Writer:
    def __init__(self, content: ReportContent) -> None:
        self.c = content
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
            else:
                self.out(f"<p{direction}>{e(block.text)}</p>")

    def render(self) -> str:
        c = self.c
        body_start = len(self.parts)
        self.out('<header class="cover">', f"<h1>{e(c.title)}</h1>",
                 f'<p class="state">{e(c.state)}</p>', f'<p class="subtitle">{e(c.subtitle)}</p>')
        self.out('<table><caption>Instruments assessed</caption><thead><tr>'
                 f'<th scope="col">Instrument</th><th scope="col">Status of {e(c.state)}</th>'
                 "</tr></thead><tbody>")
        for info in c.instruments:
            status = info.party_label if info.assessed or info.party_status else \
                "Provisions applying to the Protocol offences"
            self.out(f"<tr><td>{e(info.title)}</td><td>{e(status)}</td></tr>")
        self.out("</tbody></table>", '<dl class="cover-details">',
                 f"<dt>Date:</dt><dd>{e(c.date)}</dd>")
        if c.assessor:
            self.out(f"<dt>Assessor:</dt><dd>{e(c.assessor)}</dd>")
        self.out(f"<dt>Catalog of obligations:</dt><dd>version {e(c.catalog_version)}</dd>")
        if c.answers_catalog_version and c.answers_catalog_version != c.catalog_version:
            self.out(f"<dt>Answers recorded with:</dt><dd>catalog version "
                     f"{e(c.answers_catalog_version)}</dd>")
        self.out(f"<dt>Prepared with:</dt><dd>{e(c.generator)}</dd></dl>")
        self.out('<div class="muted">')
        self.blocks(c.cover_note)
        self.out("</div></header>")
        cover = self.parts[body_start:]
        del self.parts[body_start:]

        self.out('<main id="main">')
        self.heading(1, HEADINGS["summary"], "summary")
        self.blocks(c.summary)
        self.heading(1, HEADINGS["glance"], "glance")
        self.legend()
        self.chart("Instrument", c.by_instrument, f"Figure 1. {HEADINGS['by_instrument']}")
        self.chart("Category", c.by_category, f"Figure 2. {HEADINGS['by_category']}")
        self.count_table(c.by_instrument, c.totals)
        for section in c.sections:
            self.instrument(section)
        self.out('<section class="wide">')
        self.heading(1, HEADINGS["action_plan"], "action-plan")
        self.blocks(c.action_plan_intro)
        if c.action_plan:
            self.action_plan()
        self.out("</section>")
        self.heading(1, HEADINGS["annex_answers"], "annex-answers")
        self.blocks(c.answers_intro)
        for group in c.answer_groups:
            self.heading(2, group.title)
            for answer in group.answers:
                self.out(f'<p><strong dir="auto">{e(answer.question)}</strong> '
                         f'<span class="answer-id">{e(answer.question_id)}</span><br>'
                         f'Answer: <span dir="auto">{e(answer.answer)}</span></p>')
                if answer.citations:
                    self.out("<ul>" + "".join(f'<li dir="auto">{e(x)}</li>'
                                              for x in answer.citations) + "</ul>")
                if answer.note:
                    for n, line in enumerate(x for x in answer.note.split("\n") if x.strip()):
                        lead = "<strong>Note:</strong> " if n == 0 else ""
                        self.out(f'<p class="note" dir="auto">{lead}{e(line)}</p>')
        self.heading(1, HEADINGS["annex_notifications"], "annex-notifications")
        self.blocks(c.notifications_intro)
        if c.notifications:
            self.out("<table><caption>Notifications still owed</caption><thead><tr>"
                     + "".join(f'<th scope="col">{h}</th>' for h in
                               ("Obligation", "Notify", "What", "When", "Status"))
                     + "</tr></thead><tbody>")
            for note in c.notifications:
                self.out(f'<tr><td><a href="#{e(note.item.id)}">{e(note.item.id)}</a><br>'
                         f"{e(note.item.citation_ref)}</td><td>{e(note.to)}</td>"
                         f"<td>{e(note.what)}</td><td>{e(note.when)}</td>"
                         f"<td>{_status(note.item.status)}</td></tr>")
            self.out("</tbody></table>")
        self.heading(1, HEADINGS["annex_method"], "annex-method")
        self.blocks(c.method)
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
            '<a class="skip" href="#main">Skip to the report</a>',
        ]
        nav = [f'<nav aria-label="{HEADINGS["contents"]}"><h2>{HEADINGS["contents"]}</h2>']
        nav.extend(self.toc_list())
        nav.append("</nav>")
        return "\n".join([*head, *cover, *nav, *main, "</body>", "</html>"]) + "\n"

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
        self.out('<ul class="legend" aria-label="Key to statuses">' + "".join(
            f'<li class="st-{s.value}"><span aria-hidden="true">{e(s.symbol)}</span> '
            f"{e(s.label)}</li>" for s in Status) + "</ul>")

    def chart(self, label: str, rows: Sequence[CountRow], caption: str) -> None:
        if not rows:
            return
        self.out(f'<table class="chart"><caption>{e(caption)}</caption><thead><tr>'
                 f'<th scope="col">{e(label)}</th><th scope="col">Share of obligations by '
                 'status</th><th scope="col" class="num">Total</th></tr></thead><tbody>')
        for row in rows:
            described = ", ".join(f"{s.label.lower()} {n}" for s, n in row.counts if n)
            segments = "".join(
                f'<span class="st-{s.value}" style="width:{100 * n / row.total:.2f}%">'
                f"{n}\u00a0{e(s.symbol)}</span>"
                for s, n in row.counts if n) if row.total else ""
            self.out(f'<tr><td class="label-cell">{e(row.label)}</td><td class="bar-cell">'
                     f'<div class="bar" role="img" aria-label="{e(row.label)}: {e(described)}">'
                     f'{segments}</div></td><td class="num">{row.total}</td></tr>')
        self.out("</tbody></table>")

    def count_table(self, rows: Sequence[CountRow], total: CountRow) -> None:
        if not rows:
            return
        statuses = list(Status)
        self.out("<table><caption>Table 1. Number of obligations by instrument and status"
                 '</caption><thead><tr><th scope="col">Instrument</th>'
                 + "".join(f'<th scope="col" class="num">{_status(s)}</th>' for s in statuses)
                 + '<th scope="col" class="num">Total</th></tr></thead><tbody>')
        for row in [*rows, total]:
            self.out(f'<tr><th scope="row">{e(row.label)}</th>'
                     + "".join(f'<td class="num">{row.get(s)}</td>' for s in statuses)
                     + f'<td class="num">{row.total}</td></tr>')
        self.out("</tbody></table>")

    def instrument(self, section: InstrumentSection) -> None:
        info = section.info
        self.heading(1, info.short, f"instrument-{info.code}")
        self.out(f'<p class="fulltitle">{e(info.title)}</p>')
        for block in section.not_binding:
            text = block.text or " ".join(block.items)
            self.out(f'<p class="binding"><strong>Not yet binding.</strong> {e(text)}</p>')
        self.blocks(section.intro)
        for category in section.categories:
            self.heading(2, category.title)
            self.blocks(category.intro)
            for item in category.items:
                self.obligation(item)

    def obligation(self, item: ObligationItem) -> None:
        self.heading(3, item.heading, item.id)
        quote = ([item.chapeau] if item.chapeau else []) + [item.text_label + item.text]
        self.out("<blockquote>"
                 + "".join(f"<p>{e(line)}</p>" for part in quote for line in part.split("\n"))
                 + "</blockquote>")
        rows = [("Status", _status(item.status)),
                ("Obligation", e(item.strength_label) + (
                    f'<br><span class="muted">{e(item.strength_note)}</span>'
                    if item.strength_note else "")),
                ("In brief", e(item.summary))]
        if item.priority_label:
            rows.append(("Priority", e(item.priority_label)))
        if item.option_label:
            rows.append(("Option taken", e(item.option_label)))
        if not item.binding:
            rows.append(("Binding", "Not yet: would bind on becoming a Party"))
        self.out('<table class="facts"><tbody>' + "".join(
            f'<tr><th scope="row">{k}</th><td>{v}</td></tr>' for k, v in rows)
            + "</tbody></table>")
        self.out(f'<p class="label">{HEADINGS["domestic_law"]}</p>')
        if not item.answers:
            self.out("<p>No answer bears on this obligation yet.</p>")
        else:
            self.out("<ul>")
            for answer in item.answers:
                inner = "".join(f'<li dir="auto">{e(x)}</li>' for x in answer.citations)
                if answer.note:
                    excerpt = answer.note_excerpt or ""
                    more = " (full note in Annex A)" if excerpt != answer.note else ""
                    inner += (f'<li class="note" dir="auto"><strong>Note:</strong> '
                              f"{_lines(excerpt)}{more}</li>")
                self.out(f'<li><em dir="auto">{e(answer.question)}</em> '
                         f'<strong dir="auto">{e(answer.answer)}</strong>'
                         + (f"<ul>{inner}</ul>" if inner else "") + "</li>")
            self.out("</ul>")
        self.out(f'<p class="label">{HEADINGS["finding"]}</p>')
        for finding in item.findings or ("No finding recorded.",):
            self.out(f'<p dir="auto">{_lines(finding)}</p>')
        if item.measure_blocks:
            self.out(f'<p class="label">{HEADINGS["measures"]}</p>')
            self.blocks(item.measure_blocks, user=True)

    def action_plan(self) -> None:
        self.out("<table><caption>Prioritised action plan</caption><thead><tr>" + "".join(
            f'<th scope="col">{h}</th>' for h in
            ("No.", "Priority", "Obligation", "Requirement", "Status", HEADINGS["measures"]))
            + "</tr></thead><tbody>")
        for action in self.c.action_plan:
            item = action.item
            measures = "".join(f'<p dir="auto">{_lines(m)}</p>' for m in item.measures)
            self.out(f'<tr><td class="num">{action.number}</td>'
                     f"<td><strong>{e(item.priority_label or '')}</strong></td>"
                     f'<td><a href="#{e(item.id)}">{e(item.id)}</a><br>'
                     f"{e(item.citation_ref)}</td><td>{e(item.summary)}</td>"
                     f"<td>{_status(item.status)}</td><td>{measures}</td></tr>")
        self.out("</tbody></table>")


def render_html(content: ReportContent) -> str:
    """The report as a standalone HTML page."""
    return _Writer(content).render()
