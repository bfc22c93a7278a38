"""The one content model every report writer renders: built once from a GapAnalysis.

Everything a reader sees is decided here: the order of sections, the counts, which gaps come
first, which notifications are still owed, and the wording, which comes from the Jinja2
templates in `templates/report/` (an organisation may override any of them). The writers only
lay this model out as DOCX, Markdown, HTML, JSON or CSV.

Text from answers files is cleaned here once, for every writer: characters that XML cannot
hold are removed and line ends are normalised.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from palermo import __version__
from palermo.errors import InputError
from palermo.model import (
    CATEGORIES,
    PARTY_LABELS,
    AnswerView,
    GapAnalysis,
    ObligationResult,
    Status,
)

STATUSES = tuple(Status)

CATEGORY_LABELS = {
    "criminalization": "Criminalization",
    "prevention": "Prevention",
    "protection": "Protection and assistance",
    "cooperation": "International cooperation",
    "notification": "Notifications",
}
STRENGTH_LABELS = {
    "mandatory": "Mandatory (“shall”)",
    "qualified": "Qualified (“shall”, with a qualifier)",
    "consider": "To be considered (“shall consider”)",
    "optional": "Optional (“may”)",
}
# Headings shared by every writer, so that all formats read the same.
HEADINGS = {
    "contents": "Contents",
    "summary": "Executive summary",
    "glance": "Status at a glance",
    "by_instrument": "Status of obligations by instrument",
    "by_category": "Status of obligations by category",
    "action_plan": "Prioritised action plan",
    "annex_answers": "Annex A. Questionnaire answers",
    "annex_notifications": "Annex B. Notifications still owed",
    "annex_method": "Annex C. Method and key",
    "treaty_text": "Treaty text",
    "domestic_law": "Domestic law",
    "finding": "Finding",
    "measures": "Recommended measures",
}
# Status colours shared by the DOCX and HTML writers: light fills that print legibly in
# greyscale, and dark inks of the same hue for the status word. Never the only signal: every
# status is also shown by its symbol and its word.
STATUS_FILL = {
    Status.MET: "D9EAD3",
    Status.PARTIALLY_MET: "FCE8B2",
    Status.NOT_MET: "F4CCCC",
    Status.NOT_APPLICABLE: "E7E7E7",
    Status.NOT_ASSESSED: "DCE6F2",
}
STATUS_INK = {
    Status.MET: "274E13",
    Status.PARTIALLY_MET: "7F6000",
    Status.NOT_MET: "990000",
    Status.NOT_APPLICABLE: "404040",
    Status.NOT_ASSESSED: "1C4587",
}
# How much of a long note is shown under an obligation; the annex has it in full.
NOTE_EXCERPT = 400

# Characters XML 1.0 cannot hold (C0 controls but tab and line ends, surrogates, U+FFFE/F),
# plus C1 controls, which are legal XML but break Word and spreadsheet readers.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean(text: Any) -> str:
    """Text safe for every output: XML-incompatible characters removed, line ends as \\n."""
    if text is None:
        return ""
    value = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return _UNSAFE.sub("", value)


@dataclass(frozen=True)
class Block:
    """A paragraph (`text`) or a bulleted list (`items`) of wording."""

    kind: str                      # "para" or "bullets"
    text: str = ""
    items: tuple[str, ...] = ()


def blocks(text: str) -> tuple[Block, ...]:
    """Split rendered wording into paragraphs (blank line apart) and '- ' bullet lists."""
    result: list[Block] = []
    para: list[str] = []
    items: list[str] = []

    def flush_para() -> None:
        if para:
            result.append(Block("para", text=" ".join(para)))
            para.clear()

    def flush_items() -> None:
        if items:
            result.append(Block("bullets", items=tuple(items)))
            items.clear()

    for raw in clean(text).split("\n"):
        line = raw.strip()
        if not line:
            flush_para()
            flush_items()
        elif line[:2] in ("- ", "* ", "• "):
            flush_para()
            items.append(line[2:].strip())
        elif items and raw[:1] in (" ", "\t"):
            items[-1] += " " + line          # an indented continuation of a bullet
        else:
            flush_items()
            para.append(line)
    flush_para()
    flush_items()
    return tuple(result)


@dataclass(frozen=True)
class InstrumentInfo:
    code: str
    title: str
    short: str
    party_status: str | None       # party | signatory | not_party, None when not stated
    party_label: str
    binding: bool                  # False when the State is not (yet) bound
    assessed: bool                 # chosen for the assessment (False: pulled in, UNTOC only)

    def context(self) -> dict[str, Any]:
        return {
            "code": self.code, "title": self.title, "short": self.short,
            "party_status": self.party_status, "party_label": self.party_label,
            "binding": self.binding, "assessed": self.assessed,
        }


@dataclass(frozen=True)
class CountRow:
    key: str
    label: str
    counts: tuple[tuple[Status, int], ...]     # every status, in Status order

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)

    def get(self, status: Status) -> int:
        return dict(self.counts)[status]


@dataclass(frozen=True)
class AnswerItem:
    question_id: str
    instrument: str
    section: str
    question: str
    answer: str
    answered: bool
    value: Any
    citations: tuple[str, ...]
    note: str | None

    @property
    def note_excerpt(self) -> str | None:
        """The note shortened for the obligation's section (the annex shows it whole)."""
        if not self.note or len(self.note) <= NOTE_EXCERPT:
            return self.note
        cut = self.note[:NOTE_EXCERPT].rsplit(" ", 1)[0]
        return cut.rstrip(" ,;:.") + " …"


@dataclass(frozen=True)
class ObligationItem:
    id: str
    instrument: str
    instrument_short: str
    article: int
    paragraph: int | None
    subparagraph: str | None
    reference: str                 # "art. 6(1)(a)"
    heading: str                   # "som.6.1.a — Art. 6(1)(a): Criminalization"
    article_title: str
    chapeau: str | None
    text: str
    text_label: str                # "(a) " or "… (i) " shown before the subparagraph's text
    summary: str
    strength: str
    strength_label: str
    strength_note: str | None
    category: str
    category_label: str
    status: Status
    findings: tuple[str, ...]
    measures: tuple[str, ...]
    measure_blocks: tuple[Block, ...]
    priority_rank: int | None
    priority_label: str | None
    option: str | None             # option id the State took
    option_label: str | None
    answers: tuple[AnswerItem, ...]
    citations: tuple[str, ...]
    binding: bool
    notification: dict[str, str] | None

    @property
    def citation_ref(self) -> str:
        """'Smuggling of Migrants Protocol, art. 6(1)(a)'."""
        return f"{self.instrument_short}, {self.reference}"


@dataclass(frozen=True)
class CategorySection:
    key: str
    title: str
    intro: tuple[Block, ...]
    items: tuple[ObligationItem, ...]
    counts: CountRow


@dataclass(frozen=True)
class InstrumentSection:
    info: InstrumentInfo
    intro: tuple[Block, ...]
    not_binding: tuple[Block, ...]   # the "would bind on accession" note, when it applies
    categories: tuple[CategorySection, ...]
    counts: CountRow


@dataclass(frozen=True)
class ActionItem:
    number: int
    item: ObligationItem


@dataclass(frozen=True)
class NotificationItem:
    item: ObligationItem
    to: str
    what: str
    when: str


@dataclass(frozen=True)
class AnswerGroup:
    instrument: str
    title: str                      # "Smuggling of Migrants Protocol: Criminalization"
    answers: tuple[AnswerItem, ...]


@dataclass(frozen=True)
class ReportContent:
    state: str
    title: str
    subtitle: str
    date: str
    assessor: str | None
    catalog_version: str
    answers_catalog_version: str | None
    generator: str
    instruments: tuple[InstrumentInfo, ...]
    cover_note: tuple[Block, ...]
    summary: tuple[Block, ...]
    totals: CountRow
    by_instrument: tuple[CountRow, ...]
    by_category: tuple[CountRow, ...]
    sections: tuple[InstrumentSection, ...]
    action_plan_intro: tuple[Block, ...]
    action_plan: tuple[ActionItem, ...]
    answers_intro: tuple[Block, ...]
    answer_groups: tuple[AnswerGroup, ...]
    notifications_intro: tuple[Block, ...]
    notifications: tuple[NotificationItem, ...]
    method: tuple[Block, ...]

    @property
    def items(self) -> tuple[ObligationItem, ...]:
        """Every obligation, in report order."""
        return tuple(i for s in self.sections for c in s.categories for i in c.items)


# ---------------------------------------------------------------------------------------------
# Templates


class _Wording:
    """Renders the report's wording templates: the organisation's folder first, then ours."""

    def __init__(self, templates_dir: Path | None) -> None:
        from palermo.resources import bundled

        self.bundled = bundled("templates") / "report"
        if templates_dir is not None and not Path(templates_dir).is_dir():
            raise InputError("templates folder not found", path=str(templates_dir))
        self.custom = Path(templates_dir) if templates_dir is not None else None

    def render(self, name: str, context: dict[str, Any]) -> str:
        from palermo.templating import render_file

        directory = self.bundled
        if self.custom is not None and (self.custom / name).is_file():
            directory = self.custom
        elif not (directory / name).is_file():
            raise InputError("report template missing", path=str(directory / name))
        return clean(render_file(directory, name, context))


# ---------------------------------------------------------------------------------------------
# Building


def _count_row(key: str, label: str, results: Iterable[ObligationResult]) -> CountRow:
    tally = {status: 0 for status in STATUSES}
    for result in results:
        tally[result.status] += 1
    return CountRow(key, label, tuple((s, tally[s]) for s in STATUSES))


def _counts_context(row: CountRow) -> dict[str, int]:
    data = {status.value: n for status, n in row.counts}
    data["total"] = row.total
    data["gaps"] = data["not_met"] + data["partially_met"]
    return data


def _answer_item(view: AnswerView) -> AnswerItem:
    answered = view.value is not None
    citations = tuple(c for c in (clean(c).strip() for c in view.citations) if c)
    note = clean(view.note).strip() or None
    return AnswerItem(
        question_id=view.question_id,
        instrument=view.question_id.split(".", 1)[0],
        section=clean(view.section),
        question=clean(view.question).strip(),
        answer=clean(view.answer).strip() if answered else "Not answered",
        answered=answered,
        value=view.value,
        citations=citations,
        note=note,
    )


def _text_label(subparagraph: str | None) -> str:
    if not subparagraph:
        return ""
    parts = subparagraph.split(".")
    label = f"({parts[-1]}) "
    # Text between the chapeau and a nested item, e.g. (b) above (b)(i), is not quoted.
    return f"… {label}" if len(parts) > 1 else label


def _obligation_item(result: ObligationResult, short: str) -> ObligationItem:
    ob = result.obligation
    reference = ob.reference
    option_label = None
    if result.option:
        option_label = next(
            (o.get("label", result.option) for o in ob.options if o.get("id") == result.option),
            result.option,
        )
    answers = tuple(_answer_item(a) for a in result.answers)
    citations = tuple(dict.fromkeys(c for a in answers for c in a.citations))
    measures = tuple(m for m in (clean(m).strip() for m in result.required_measures) if m)
    measure_blocks = tuple(b for m in measures for b in blocks(m))
    return ObligationItem(
        id=ob.id,
        instrument=ob.instrument,
        instrument_short=short,
        article=ob.article,
        paragraph=ob.paragraph,
        subparagraph=ob.subparagraph,
        reference=reference,
        heading=f"{ob.id} — {reference[0].upper()}{reference[1:]}: {clean(ob.article_title)}",
        article_title=clean(ob.article_title),
        chapeau=clean(ob.chapeau).strip() or None,
        text=clean(ob.text).strip(),
        text_label=_text_label(ob.subparagraph),
        summary=clean(ob.summary).strip(),
        strength=ob.strength,
        strength_label=STRENGTH_LABELS.get(ob.strength, ob.strength),
        strength_note=clean(ob.strength_note).strip() or None,
        category=ob.category,
        category_label=CATEGORY_LABELS.get(ob.category, ob.category.capitalize()),
        status=result.status,
        findings=tuple(f for f in (clean(f).strip() for f in result.findings) if f),
        measures=measures,
        measure_blocks=measure_blocks,
        priority_rank=result.priority.rank if result.priority else None,
        priority_label=result.priority.label if result.priority else None,
        option=result.option,
        option_label=clean(option_label) if option_label else None,
        answers=answers,
        citations=citations,
        binding=result.binding,
        notification={k: clean(v) for k, v in ob.notification.items()} if ob.notification else None,
    )


def _instrument_order(analysis: GapAnalysis) -> list[str]:
    present = list(dict.fromkeys(r.obligation.instrument for r in analysis.results))
    order = list(analysis.instruments) + [i for i in present if i not in analysis.instruments]
    known = {i.id: n for n, i in enumerate(analysis.catalog_instruments)}
    # The instruments assessed in catalog order (the Convention before its Protocols), then
    # the Convention's provisions pulled into a Protocol-only assessment.
    return sorted(dict.fromkeys(order), key=lambda code: (
        code not in analysis.instruments, known.get(code, len(known))))


def _instrument_info(code: str, analysis: GapAnalysis,
                     results: Sequence[ObligationResult]) -> InstrumentInfo:
    party = analysis.party_status.get(code)
    if party is None and results and not any(r.binding for r in results):
        party = "not_party"
    label = PARTY_LABELS.get(party, "Status not stated") if party else "Status not stated"
    return InstrumentInfo(
        code=code,
        title=analysis.instrument(code).title,
        short=analysis.instrument(code).short_title,
        party_status=party,
        party_label=label,
        binding=party not in ("not_party", "signatory"),
        assessed=code in analysis.instruments,
    )


def _gap_context(item: ObligationItem) -> dict[str, Any]:
    return {
        "id": item.id, "reference": item.reference, "heading": item.heading,
        "instrument": item.instrument, "instrument_short": item.instrument_short,
        "article_title": item.article_title, "summary": item.summary,
        "status": item.status.value, "status_label": item.status.label,
        "symbol": item.status.symbol, "strength": item.strength, "category": item.category,
        "priority": item.priority_label, "findings": list(item.findings),
        "finding": item.findings[0] if item.findings else "",
    }


def _phrase(parts: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(parts) <= 2:
        return " and ".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _report_date(analysis: GapAnalysis) -> str:
    for value in (analysis.updated, analysis.started):
        if value:
            return clean(value).strip()[:10]
    return _dt.date.today().isoformat()


def build_content(analysis: GapAnalysis, *, templates_dir: Path | None = None) -> ReportContent:
    """The report's content, wording included, ready for any writer."""
    wording = _Wording(templates_dir)
    state = clean(analysis.state).strip()
    order = _instrument_order(analysis)
    by_code: dict[str, list[ObligationResult]] = {code: [] for code in order}
    for result in analysis.results:
        by_code.setdefault(result.obligation.instrument, []).append(result)
    infos = {code: _instrument_info(code, analysis, by_code[code]) for code in order}
    items = {id(r): _obligation_item(r, analysis.instrument(r.obligation.instrument).short_title)
             for r in analysis.results}

    totals = _count_row("total", "All obligations", analysis.results)
    by_instrument = tuple(_count_row(code, infos[code].short, by_code[code])
                          for code in order if by_code[code])
    by_category = tuple(
        row for row in (
            _count_row(cat, CATEGORY_LABELS[cat],
                       [r for r in analysis.results if r.obligation.category == cat])
            for cat in CATEGORIES
        ) if row.total
    )
    date = _report_date(analysis)
    instruments_ctx = [infos[code].context() for code in order]
    base: dict[str, Any] = {
        "state": state,
        "assessor": clean(analysis.assessor).strip() or None,
        "date": date,
        "catalog_version": analysis.catalog_version,
        "answers_catalog_version": analysis.answers_catalog_version,
        "instruments": instruments_ctx,
        "assessed": [i for i in instruments_ctx if i["assessed"]],
        "assessed_phrase": _phrase([f"the {i['short']}" for i in instruments_ctx if i["assessed"]]),
        "pulled_in": [i for i in instruments_ctx if not i["assessed"]],
        "counts": _counts_context(totals),
        "statuses": {s.value: {"label": s.label, "symbol": s.symbol} for s in STATUSES},
        "headings": HEADINGS,
    }

    sections = []
    for code in order:
        results = by_code[code]
        if not results:
            continue
        info = infos[code]
        cats = []
        for cat in CATEGORIES:
            chosen = [r for r in results if r.obligation.category == cat]
            if not chosen:
                continue
            row = _count_row(cat, CATEGORY_LABELS[cat], chosen)
            ctx = dict(base, instrument=info.context(),
                       category={"key": cat, "label": CATEGORY_LABELS[cat]},
                       section_counts=_counts_context(row))
            cats.append(CategorySection(
                key=cat, title=CATEGORY_LABELS[cat],
                intro=blocks(wording.render("category_intro.j2", ctx)),
                items=tuple(items[id(r)] for r in chosen), counts=row,
            ))
        row = _count_row(code, info.short, results)
        ctx = dict(base, instrument=info.context(), section_counts=_counts_context(row),
                   categories=[{"key": c.key, "label": c.title} for c in cats])
        note = () if info.binding else blocks(wording.render("not_binding.j2", ctx))
        sections.append(InstrumentSection(
            info=info, intro=blocks(wording.render("instrument_intro.j2", ctx)),
            not_binding=note, categories=tuple(cats), counts=row,
        ))

    gaps = [items[id(r)] for r in analysis.gaps()]
    action_plan = tuple(ActionItem(n, item) for n, item in enumerate(gaps, start=1))
    all_items = [i for s in sections for c in s.categories for i in c.items]   # report order
    notifications = tuple(
        NotificationItem(
            item=item,
            to=(item.notification or {}).get("to", ""),
            what=(item.notification or {}).get("what", item.summary),
            when=(item.notification or {}).get("when", ""),
        )
        for item in all_items
        if item.category == "notification"
        and (item.status.is_gap or item.status is Status.NOT_ASSESSED)
    )

    # Grouped by questionnaire section, in the order each section is first met.
    grouped: dict[str, list[AnswerItem]] = {}
    for view in analysis.answers:
        answer = _answer_item(view)
        short = analysis.instrument(answer.instrument).short_title
        title = f"{short}: {answer.section}" if answer.section else short
        grouped.setdefault(title, []).append(answer)
    answer_groups = tuple(AnswerGroup(group[0].instrument, title, tuple(group))
                          for title, group in grouped.items())

    def gap_list(predicate: Any) -> list[dict[str, Any]]:
        return [_gap_context(i) for i in gaps if predicate(i)]

    summary_ctx = dict(
        base,
        by_instrument=[dict(_counts_context(r), key=r.key, label=r.label) for r in by_instrument],
        criminalization_gaps=gap_list(
            lambda i: i.strength == "mandatory" and i.category == "criminalization"),
        other_mandatory_gaps=gap_list(
            lambda i: i.strength == "mandatory" and i.category != "criminalization"),
        qualified_gaps=gap_list(lambda i: i.strength == "qualified"),
        discretionary_gaps=gap_list(lambda i: i.strength in ("consider", "optional")),
        not_assessed=[_gap_context(i) for i in all_items if i.status is Status.NOT_ASSESSED],
        notifications=[_gap_context(n.item) for n in notifications],
        not_binding=[i for i in instruments_ctx if not i["binding"]],
        options=[dict(_gap_context(i), option=i.option_label)
                 for i in all_items if i.option_label],
    )
    plan_ctx = dict(base, gaps=[_gap_context(a.item) for a in action_plan])
    return ReportContent(
        state=state,
        title=wording.render("title.j2", base),
        subtitle=wording.render("subtitle.j2", base),
        date=date,
        assessor=base["assessor"],
        catalog_version=analysis.catalog_version,
        answers_catalog_version=analysis.answers_catalog_version,
        generator=f"palermo {__version__}",
        instruments=tuple(infos[code] for code in order),
        cover_note=blocks(wording.render("cover_note.j2", base)),
        summary=blocks(wording.render("executive_summary.j2", summary_ctx)),
        totals=totals,
        by_instrument=by_instrument,
        by_category=by_category,
        sections=tuple(sections),
        action_plan_intro=blocks(wording.render("action_plan_intro.j2", plan_ctx)),
        action_plan=action_plan,
        answers_intro=blocks(wording.render(
            "answers_annex_intro.j2", dict(base, answer_count=len(analysis.answers)))),
        answer_groups=answer_groups,
        notifications_intro=blocks(wording.render(
            "notifications_annex_intro.j2",
            dict(base, notifications=summary_ctx["notifications"]))),
        notifications=notifications,
        method=blocks(wording.render("method.j2", base)),
    )
