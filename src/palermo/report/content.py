"""The one content model every report writer renders: built once from a GapAnalysis.

Everything a reader sees is decided here: the order of sections, the counts, which gaps come
first, which notifications are still owed, which obligations get a detailed analysis, and the
wording, which comes from `templates/report/` (see `wording`). The writers only lay this model
out as DOCX, Markdown, HTML, JSON, CSV or XLSX.

Two levels of detail share the model: "standard" (the report a ministry reads: summary, table
of correspondence, detailed analysis of gaps and advisories only, action plan, one annex of
answers) and "full" (every obligation with its treaty text and answers).
"""


import datetime as _dt
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from palermo import __version__
from palermo.errors import InputError
from palermo.model import (
    CATEGORIES,
    Advisory,
    AnswerView,
    GapAnalysis,
    ObligationResult,
    SectionClearance,
    Status,
)
from palermo.report.wording import (
    Block,
    StateNames,
    Wording,
    blocks,
    bundled_labels,
    capitalised,
    clean,
)

if TYPE_CHECKING:
    from palermo.compare import Comparison
    from palermo.report.progress import Progress

__all__ = ["Block", "blocks", "clean", "build_content", "ReportContent", "DETAILS"]

STATUSES = tuple(Status)
DETAILS = ("standard", "full")
# Status colours shared by the DOCX, HTML and XLSX writers: light fills that print legibly in
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


class _BundledLabels(Mapping[str, str]):
    """One group of the bundled labels.yaml, read when first used (for other writers)."""

    def __init__(self, group: str) -> None:
        self.group = group

    def _data(self) -> dict[str, str]:
        return {str(k): str(v) for k, v in bundled_labels()[self.group].items()}

    def __getitem__(self, key: str) -> str:
        return self._data()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data())

    def __len__(self) -> int:
        return len(self._data())


CATEGORY_LABELS: Mapping[str, str] = _BundledLabels("categories")
STRENGTH_LABELS: Mapping[str, str] = _BundledLabels("strengths")
# How much of a long note is shown under an obligation; the annex has it in full.
NOTE_EXCERPT = 400
# A finding in the table of correspondence is its first sentence, at most this long.
ONE_LINE = 110
OPEN_QUESTION_LINE = 300
# How many measures of each kind the executive summary names; the plan has them all.
TOP_REQUIRED = 6
TOP_RECOMMENDED = 4
# A measure in the action plan and the top priorities: its first sentences, at most this long.
ACTION_LIMIT = 240
# The overall assessment names the first measures in its own sentence: at most this long.
TO_DO_LIMIT = 220

# The records of the model are NamedTuples: immutable and typed as a frozen dataclass is, but
# several times cheaper to define at every start (a dataclass compiles each of its methods).
# Being tuples, they must never be passed where a sequence of values is expected.


class InstrumentInfo(NamedTuple):
    code: str
    title: str
    short: str
    party_status: str | None       # party | signatory | not_party, None when not stated
    party_label: str
    binding: bool                  # False when the State is not (yet) bound
    assessed: bool                 # chosen for the assessment (False: pulled in, UNTOC only)
    cover_status: str              # what the cover says of the State and this instrument

    def context(self) -> dict[str, Any]:
        return {
            "code": self.code, "title": self.title, "short": self.short,
            "party_status": self.party_status, "party_label": self.party_label,
            "binding": self.binding, "assessed": self.assessed,
        }


class CountRow(NamedTuple):
    key: str
    label: str
    counts: tuple[tuple[Status, int], ...]     # every status, in Status order

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)

    def get(self, status: Status) -> int:
        return dict(self.counts)[status]


class AnswerItem(NamedTuple):
    question_id: str
    instrument: str
    section: str
    question: str
    answer: str
    answered: bool
    value: Any
    citations: tuple[str, ...]
    note: str | None
    answered_on: str = ""          # "15 October 2026", when the file records it
    answered_iso: str = ""         # the same as YYYY-MM-DD, for spreadsheets

    @property
    def note_excerpt(self) -> str | None:
        """The note shortened for the obligation's section (the annex shows it whole)."""
        if not self.note or len(self.note) <= NOTE_EXCERPT:
            return self.note
        cut = self.note[:NOTE_EXCERPT].rsplit(" ", 1)[0]
        return cut.rstrip(" ,;:.") + " …"


class AdvisoryItem(NamedTuple):
    """A recommended measure (not required by the treaty), with its own priority."""

    id: str | None
    text: str
    blocks: tuple[Block, ...]
    priority_rank: int
    priority_label: str
    basis: tuple[str, ...]
    sort_key: tuple[int, int, int]


class ObligationItem(NamedTuple):
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
    status_label: str
    findings: tuple[str, ...]
    one_line: str                  # the finding's first sentence, for tables
    measures: tuple[str, ...]      # required measures (gaps only)
    measure_blocks: tuple[Block, ...]
    # The measures this State's answers call for, without the catalog's general text on
    # implementing the obligation (the standard report's analysis; the full one has both).
    specific_blocks: tuple[Block, ...]
    advisories: tuple[AdvisoryItem, ...]
    priority_rank: int | None
    priority_label: str | None
    option: str | None             # option id the State took
    option_label: str | None
    answers: tuple[AnswerItem, ...]
    citations: tuple[str, ...]
    citations_brief: str           # "Penal Code 1998, s. 6; s. 311": an act named once
    binding: bool
    notification: dict[str, str] | None
    open_questions: tuple[str, ...]
    incomplete_label: str | None   # "incomplete: 2 questions open", None when complete
    finding_number: int | None = None   # its number in the detailed analysis, if it has one
    change_label: str | None = None     # "improved since 15 October 2025" (report --since)
    draft_label: str | None = None      # "draft: section not cleared" (palermo sign-off)

    @property
    def citation_ref(self) -> str:
        """'Smuggling of Migrants Protocol, art. 6(1)(a)'."""
        return f"{self.instrument_short}, {self.reference}"

    @property
    def provision(self) -> str:
        """'Art. 6(1)(a)': the reference as a table's row or a heading starts with it."""
        return self.reference[:1].upper() + self.reference[1:]

    @property
    def incomplete(self) -> bool:
        return self.incomplete_label is not None


class Fact(NamedTuple):
    """One fact beside an obligation (its status, strength, priority ...): label and value."""

    key: str                        # its row of FACTS: "status", "priority", ...
    label: str                      # "Priority", from labels.yaml
    value: str                      # "High"
    note: str | None = None         # what qualifies the value, in the facts table only
    strong: bool = False            # stressed in the facts line: the status, questions still open
    named: bool = False             # the facts line names its label ("Priority: High")

    @property
    def text(self) -> str:
        """As the facts line shows it: 'Priority: High', or the value alone."""
        return f"{self.label}: {self.value}" if self.named else self.value


# The facts beside an obligation, in order: key, label (group and key in labels.yaml), and
# where each is shown: "table" (the facts table of the full report), "line" (the line under a
# finding's heading); "named": that line names the label (a bare "High" would say nothing);
# "strong": stressed in that line (the facts table's values stay plain).
FACTS = (
    ("id", "columns", "id", "line"),
    ("status", "facts", "status", "table line strong"),
    ("strength", "facts", "obligation", "table line"),
    ("summary", "facts", "in_brief", "table"),
    ("priority", "facts", "priority", "table line named"),
    ("incomplete", "columns", "incomplete", "table line strong"),
    ("option", "facts", "option", "table"),
    ("binding", "facts", "binding", "table line"),
)
FACT_PLACES = ("table", "line")
# The columns of the action plan (keys of labels.yaml's columns): compact, referring to the
# findings; or, in the full report, with the requirement, the status and every measure.
PLAN_COLUMNS = ("number", "priority", "provision", "kind", "action", "see")
PLAN_COLUMNS_FULL = ("number", "priority", "obligation", "requirement", "status", "measures")
# The columns of the table of changes since an earlier assessment (report --since).
PROGRESS_COLUMNS = ("provision", "change", "before", "now", "answers_changed")


class CategorySection(NamedTuple):
    key: str
    title: str
    intro: tuple[Block, ...]
    items: tuple[ObligationItem, ...]
    counts: CountRow


class InstrumentSection(NamedTuple):
    info: InstrumentInfo
    intro: tuple[Block, ...]
    not_binding: tuple[Block, ...]   # the "would bind on accession" note, when it applies
    categories: tuple[CategorySection, ...]
    counts: CountRow

    @property
    def items(self) -> tuple[ObligationItem, ...]:
        return tuple(i for c in self.categories for i in c.items)


class ActionItem(NamedTuple):
    """A row of the action plan: a required measure (a gap) or a recommended one."""

    number: int
    item: ObligationItem
    kind: str = "required"           # "required" or "recommended"
    kind_label: str = ""
    priority_label: str = ""
    action: str = ""                 # the measure in short; the finding has it in full
    advisory: AdvisoryItem | None = None
    # "would bind on accession" for a gap under an instrument the State is not yet bound by
    binding_note: str = ""
    to_do: str | None = None         # the first measure as "add the missing acts ...", if it
                                     # reads so ("Meridia should add ..."), for the overview

    @property
    def about(self) -> str:
        """'Cooperation', or 'Cooperation; would bind on accession': shown after the article."""
        title = self.item.article_title
        return f"{title}; {self.binding_note}" if self.binding_note else title

    @property
    def lead(self) -> str:
        """'High. Smuggling of Migrants Protocol, art. 6(3) (Criminalization)': what a top
        priority names before its measure."""
        return f"{self.priority_label}. {self.item.citation_ref} ({self.about})"


class NotificationItem(NamedTuple):
    item: ObligationItem
    to: str
    what: str
    when: str


class Part(NamedTuple):
    """A part of the report after the cover, in the order ReportContent.parts gives."""

    key: str                        # "action_plan": its heading in labels.yaml and its anchor
    heading: str | None             # None: the part sets its own headings (the instruments)
    intro: tuple[Block, ...] = ()   # its running text, under the heading
    wide: bool = False              # laid out in landscape where a format can (full action plan)
    layout: str = ""                # the writers' method that lays its body out ("": its key;
                                    # "running_text": the heading and running text alone)
    new_page: bool = True           # False: it follows on the page, where a format has pages
    columns: int = 1                # 2: set in two columns where a format can

    @property
    def anchor(self) -> str:
        return self.key.replace("_", "-")

    @property
    def method(self) -> str:
        """The name of the method of each writer that lays out this part's body."""
        return self.layout or self.key


class FindingGroup(NamedTuple):
    """The detailed analysis of one instrument: its findings, numbered in report order."""

    instrument: str
    title: str                      # the instrument's short title
    items: tuple[ObligationItem, ...]


class AnswerGroup(NamedTuple):
    instrument: str
    title: str                      # "Smuggling of Migrants Protocol: Criminalization"
    answers: tuple[AnswerItem, ...]

    @property
    def items(self) -> tuple[AnswerItem, ...]:
        return self.answers


class Priorities(NamedTuple):
    """The measures of one kind the executive summary names first; the plan has them all."""

    top: tuple[ActionItem, ...]
    more: int                       # how many more the action plan has
    more_note: str = ""             # "and 3 more in the action plan", when there are more


# The running text of the report: its key in ReportContent.prose (a part's key where it is a
# part's), the template it comes from, and the context that template is rendered with.
PROSE = (
    ("cover", "cover_note.j2", "base"),
    ("overall", "overall_assessment.j2", "summary"),
    ("summary", "executive_summary.j2", "summary"),
    ("correspondence", "correspondence_intro.j2", "summary"),
    ("analysis", "analysis_intro.j2", "analysis"),
    ("action_plan", "action_plan_intro.j2", "plan"),
    ("annex_answers", "answers_annex_intro.j2", "answers"),
    ("annex_notifications", "notifications_annex_intro.j2", "notifications"),
    ("annex_method", "method.j2", "base"),
)


class ReportContent(NamedTuple):
    state: str                      # as the report names the State on its own (cover)
    names: StateNames
    detail: str
    labels: dict[str, Any]
    title: str
    subtitle: str
    date: str
    assessor: str | None
    catalog_version: str
    answers_catalog_version: str | None
    generator: str
    instruments: tuple[InstrumentInfo, ...]
    # The running text of the report, by its key in PROSE ("overall", "action_plan", ...).
    prose: Mapping[str, tuple[Block, ...]]
    required: Priorities            # the executive summary's top required measures
    recommended: Priorities         # and its top recommended ones
    totals: CountRow
    by_instrument: tuple[CountRow, ...]
    by_category: tuple[CountRow, ...]
    sections: tuple[InstrumentSection, ...]
    analysed: tuple[ObligationItem, ...]      # the detailed analysis, numbered in order
    action_plan: tuple[ActionItem, ...]
    answer_groups: tuple[AnswerGroup, ...]
    notifications: tuple[NotificationItem, ...]
    progress: "Progress | None" = None          # "Progress since <date>" (report --since)
    draft_note: tuple[Block, ...] = ()        # sections the focal point has not cleared
    # Every section's clearance (palermo sign-off); empty when the assessment uses none.
    clearances: tuple[SectionClearance, ...] = ()

    @property
    def items(self) -> tuple[ObligationItem, ...]:
        """Every obligation, in report order."""
        return tuple(i for s in self.sections for i in s.items)

    @property
    def full(self) -> bool:
        return self.detail == "full"

    @property
    def cover_details(self) -> list[tuple[str, str]]:
        """The cover's facts, label and value: date, assessor, catalog, generator."""
        details = [(self.label("facts", "date"), self.date)]
        if self.assessor:
            details.append((self.label("facts", "assessor"), self.assessor))
        details.append((self.label("facts", "catalog"),
                        self.label("facts", "catalog_version", version=self.catalog_version)))
        if self.answers_catalog_version and self.answers_catalog_version != self.catalog_version:
            details.append((self.label("facts", "answers_catalog"), self.label(
                "facts", "answers_catalog_version", version=self.answers_catalog_version)))
        details.append((self.label("facts", "prepared_with"), self.generator))
        return details

    @property
    def headings(self) -> dict[str, str]:
        return dict(self.labels["headings"])

    def label(self, group: str, key: str, **values: Any) -> str:
        text = str(self.labels[group][key])
        return text.format(**values) if values else text

    def status_label(self, status: Status) -> str:
        return str(self.labels["statuses"][status.value])

    def status_text(self, status: Status) -> str:
        """'◐ Partially met'."""
        return f"{status.symbol} {self.status_label(status)}"

    @property
    def parts(self) -> tuple[Part, ...]:
        """The parts after the cover, in order: the reader's report, or with `--detail full`
        every obligation in full under its instrument; "progress" with `report --since`."""
        h, prose = self.labels["headings"], self.prose
        p = self.progress
        since = (Part("progress", p.heading, p.intro + (
            (Block("note", p.catalog_note),) if p.catalog_note else ())),) if p else ()
        if self.full:
            first = (Part("summary", h["summary"], prose["overall"] + prose["summary"],
                          layout="running_text"), *since,
                     Part("glance", h["glance"]), Part("instruments", None))
            keys: tuple[str, ...] = ("action_plan",)
        else:
            first = (Part("summary", h["summary"]), *since)
            keys = ("correspondence", "analysis", "action_plan")
        keys += ("annex_answers", "annex_notifications", "annex_method")
        # For a reader, Annex A is set in two columns, and Annex B and the method follow on.
        follow_on = () if self.full else ("annex_notifications", "annex_method")
        return first + tuple(Part(k, h[k], prose[k], wide=self.full and k == "action_plan",
                                  new_page=k not in follow_on,
                                  columns=2 if not self.full and k == "annex_answers" else 1)
                             for k in keys)

    @property
    def plan_columns(self) -> tuple[str, ...]:
        """The action plan's columns, keys of labels.yaml's `columns`."""
        return PLAN_COLUMNS_FULL if self.full else PLAN_COLUMNS

    def facts(self, item: ObligationItem, place: str = "table") -> tuple[Fact, ...]:
        """The facts an obligation has, in FACTS order, as `place` shows them: "table" (the
        facts table of the full report) or "line" (the line under a finding's heading)."""
        if place not in FACT_PLACES:
            raise ValueError(f"unknown place of facts '{place}' (expected one of: "
                             f"{', '.join(FACT_PLACES)})")
        values = {
            "id": item.id, "status": self.status_text(item.status),
            "strength": item.strength_label, "summary": item.summary,
            "priority": item.priority_label, "incomplete": item.incomplete_label,
            "option": item.option_label,
            "binding": None if item.binding else self.label("facts", "not_yet_binding"),
        }
        shown = []
        for key, group, name, where in FACTS:
            value, marks = values[key], where.split()
            if value and place in marks:
                note = item.strength_note if key == "strength" and place == "table" else None
                shown.append(Fact(key, self.label(group, name), value, note=note,
                                  strong="strong" in marks and place == "line",
                                  named="named" in marks))
        return tuple(shown)

    @property
    def finding_groups(self) -> tuple[FindingGroup, ...]:
        """The detailed analysis by instrument, in report order."""
        groups: dict[str, list[ObligationItem]] = {}
        for item in self.analysed:
            groups.setdefault(item.instrument, []).append(item)
        return tuple(FindingGroup(code, items[0].instrument_short, tuple(items))
                     for code, items in groups.items())

    def finding_heading(self, item: ObligationItem) -> str:
        """'Finding 6. Art. 6(2)(b): Criminalization'."""
        return f"{self.finding_ref(item)}. {item.provision}: {item.article_title}"

    def finding_ref(self, item: ObligationItem) -> str:
        """'Finding 3', or '' for an obligation without a detailed analysis."""
        return (self.label("phrases", "finding_ref", number=item.finding_number)
                if item.finding_number else "")

    def row_notes(self, item: ObligationItem) -> list[str]:
        """The marks beside a row of the table of correspondence, the same in every format:
        its finding's number, then incomplete, changed since and draft."""
        return [n for n in (self.finding_ref(item), item.incomplete_label, item.change_label,
                            item.draft_label) if n]


# ---------------------------------------------------------------------------------------------
# Building: one function per part of the report


class _Builder:
    """Builds the content model from an analysis, part by part."""

    def __init__(self, analysis: GapAnalysis, wording: Wording, detail: str,
                 marks: dict[str, str] | None = None) -> None:
        self.analysis = analysis
        self.marks = marks or {}
        self.wording = wording
        self.detail = detail
        self.names = wording.names
        self.order = _instrument_order(analysis)
        self.by_code: dict[str, list[ObligationResult]] = {code: [] for code in self.order}
        for result in analysis.results:
            self.by_code.setdefault(result.obligation.instrument, []).append(result)
        self.infos = {code: self.instrument_info(code) for code in self.order}
        self.answer_items: dict[int, tuple[AnswerView, AnswerItem]] = {}
        self.analysed_ids = self.numbering()
        self.items = {id(r): self.obligation_item(r) for r in analysis.results}
        self.totals = self.count_row("total", self.label("phrases", "all_obligations"),
                                     analysis.results)
        self.date = self.wording.date(_report_date(analysis))
        instruments_ctx = [self.infos[code].context() for code in self.order]
        self.base: dict[str, Any] = {
            **self.names.context(),
            "assessor": clean(analysis.assessor).strip() or None,
            "date": self.date,
            "catalog_version": analysis.catalog_version,
            "answers_catalog_version": analysis.answers_catalog_version,
            "instruments": instruments_ctx,
            "assessed": [i for i in instruments_ctx if i["assessed"]],
            "assessed_phrase": _phrase([f"the {i['short']}" for i in instruments_ctx
                                        if i["assessed"]]),
            "pulled_in": [i for i in instruments_ctx if not i["assessed"]],
            "counts": _counts_context(self.totals),
            "statuses": {s.value: {"label": self.status_label(s), "symbol": s.symbol}
                         for s in STATUSES},
            "headings": self.wording.labels["headings"],
            "detail": detail,
        }

    # -- small helpers ------------------------------------------------------------------------

    def label(self, group: str, key: str, **values: Any) -> str:
        return self.wording.label(group, key, **values)

    def status_label(self, status: Status) -> str:
        return self.label("statuses", status.value)

    def short(self, code: str) -> str:
        """An instrument's short title, from the catalog."""
        return self.analysis.instrument(code).short_title

    def priority_label(self, rank: int) -> str:
        return str(self.wording.labels["priorities"].get(str(rank), rank))

    def category_label(self, category: str) -> str:
        return str(self.wording.labels["categories"].get(category, category.capitalize()))

    def count_row(self, key: str, label: str, results: Iterable[ObligationResult]) -> CountRow:
        tally = {status: 0 for status in STATUSES}
        for result in results:
            tally[result.status] += 1
        return CountRow(key, label, tuple((s, tally[s]) for s in STATUSES))

    def numbering(self) -> dict[str, int]:
        """Finding numbers: the obligations analysed in detail, in report order."""
        chosen = [r.obligation.id for code in self.order for cat in CATEGORIES
                  for r in self.by_code[code]
                  if r.obligation.category == cat and _analysed(r)]
        return {ob_id: n for n, ob_id in enumerate(chosen, start=1)}

    def instrument_info(self, code: str) -> InstrumentInfo:
        analysis, results = self.analysis, self.by_code[code]
        party = analysis.party_status.get(code)
        if party is None and results and not any(r.binding for r in results):
            party = "not_party"
        party_labels = self.wording.labels["party"]
        label = party_labels.get(party) if party else None
        label = label or self.label("phrases", "status_not_stated")
        assessed = code in analysis.instruments
        cover = label if assessed or party is not None else self.label("phrases", "pulled_in")
        return InstrumentInfo(
            code=code,
            title=analysis.instrument(code).title,
            short=analysis.instrument(code).short_title,
            party_status=party,
            party_label=label,
            binding=party not in ("not_party", "signatory"),
            assessed=assessed,
            cover_status=cover,
        )

    # -- obligations and answers --------------------------------------------------------------

    def answer_item(self, view: AnswerView) -> AnswerItem:
        """An answer as the report shows it, built once: the analysis shares each answer
        between the obligations that ask it and the annex."""
        found = self.answer_items.get(id(view))   # the view is kept with it: its id stays its own
        if found is None:
            found = self.answer_items[id(view)] = (view, self._answer_item(view))
        return found[1]

    def _answer_item(self, view: AnswerView) -> AnswerItem:
        answered = view.value is not None
        citations = tuple(c for c in (clean(c).strip() for c in view.citations) if c)
        note = clean(view.note).strip() or None
        answer = clean(view.answer).strip()
        if answered and isinstance(view.value, str) and answer == view.value:
            answer = self.wording.date(answer)       # a date answer reads "1 December 2026"
        return AnswerItem(
            question_id=view.question_id,
            instrument=view.question_id.split(".", 1)[0],
            section=clean(view.section),
            question=self.wording.question(clean(view.question)),
            answer=answer if answered else self.label("phrases", "not_answered"),
            answered=answered,
            value=view.value,
            citations=citations,
            note=note,
            answered_on=self.wording.date(view.answered) if view.answered else "",
            answered_iso=clean(view.answered).strip()[:10] if view.answered else "",
        )

    def advisory_item(self, advisory: Advisory) -> AdvisoryItem:
        text = clean(advisory.text).strip()
        return AdvisoryItem(
            id=advisory.id, text=text, blocks=blocks(text),
            priority_rank=advisory.priority.rank,
            priority_label=self.priority_label(advisory.priority.rank),
            basis=tuple(b for b in (clean(b).strip() for b in advisory.basis) if b),
            sort_key=advisory.priority.sort_key,
        )

    def incomplete_label(self, result: ObligationResult) -> str | None:
        if not result.incomplete:
            return None
        count = len(result.open_questions)
        key = "incomplete" if count == 1 else "incomplete_plural"
        return self.label("phrases", key, count=count)

    def obligation_item(self, result: ObligationResult) -> ObligationItem:
        ob = result.obligation
        reference = ob.reference
        option_label = None
        if result.option:
            option_label = next((o.get("label", result.option) for o in ob.options
                                 if o.get("id") == result.option), result.option)
        answers = tuple(self.answer_item(a) for a in result.answers)
        # A finding may name a question, worded for the person answering ("your State").
        findings = tuple(self.wording.question(f) for f in (clean(f).strip()
                                                            for f in result.findings) if f)
        measures = tuple(m for m in (clean(m).strip() for m in result.required_measures) if m)
        measure_blocks = tuple(blocks(m) for m in measures)
        title = clean(ob.article_title)
        strengths = self.wording.labels["strengths"]
        return ObligationItem(
            id=ob.id,
            instrument=ob.instrument,
            instrument_short=self.short(ob.instrument),
            article=ob.article,
            paragraph=ob.paragraph,
            subparagraph=ob.subparagraph,
            reference=reference,
            heading=f"{ob.id} — {reference[0].upper()}{reference[1:]}: {title}",
            article_title=title,
            chapeau=clean(ob.chapeau).strip() or None,
            text=clean(ob.text).strip(),
            text_label=_text_label(ob.subparagraph),
            summary=clean(ob.summary).strip(),
            strength=ob.strength,
            strength_label=str(strengths.get(ob.strength, ob.strength)),
            strength_note=clean(ob.strength_note).strip() or None,
            category=ob.category,
            category_label=self.category_label(ob.category),
            status=result.status,
            status_label=self.status_label(result.status),
            findings=findings,
            # A question still open is named whole: the table is the only place that names it.
            one_line=(_one_line(findings[0], ONE_LINE if result.status is not Status.NOT_ASSESSED
                                else OPEN_QUESTION_LINE) if findings else ""),
            measures=measures,
            measure_blocks=tuple(b for m in measure_blocks for b in m),
            specific_blocks=tuple(b for m in _specific(measure_blocks) for b in m),
            advisories=tuple(self.advisory_item(a) for a in result.advisories),
            priority_rank=result.priority.rank if result.priority else None,
            priority_label=self.priority_label(result.priority.rank) if result.priority else None,
            option=result.option,
            option_label=clean(option_label) if option_label else None,
            answers=answers,
            citations=tuple(dict.fromkeys(c for a in answers for c in a.citations)),
            citations_brief=_brief_citations(dict.fromkeys(c for a in answers
                                                           for c in a.citations)),
            binding=result.binding,
            notification=({k: clean(v) for k, v in ob.notification.items()}
                          if ob.notification else None),
            open_questions=tuple(result.open_questions),
            incomplete_label=self.incomplete_label(result),
            finding_number=self.analysed_ids.get(ob.id),
            change_label=self.marks.get(ob.id),
            draft_label=(self.label("phrases", "draft") if ob.id in self.analysis.drafts
                         else None),
        )

    # -- parts --------------------------------------------------------------------------------

    def sections(self) -> tuple[InstrumentSection, ...]:
        sections = []
        for code in self.order:
            results = self.by_code[code]
            if results:
                sections.append(self.instrument_section(code, results))
        return tuple(sections)

    def instrument_section(self, code: str, results: list[ObligationResult]) -> InstrumentSection:
        info = self.infos[code]
        cats = []
        for cat in CATEGORIES:
            chosen = [r for r in results if r.obligation.category == cat]
            if not chosen:
                continue
            label = self.category_label(cat)
            row = self.count_row(cat, label, chosen)
            ctx = dict(self.base, instrument=info.context(),
                       category={"key": cat, "label": label},
                       section_counts=_counts_context(row))
            cats.append(CategorySection(
                key=cat, title=label, intro=self.wording.blocks("category_intro.j2", ctx),
                items=tuple(self.items[id(r)] for r in chosen), counts=row,
            ))
        row = self.count_row(code, info.short, results)
        ctx = dict(self.base, instrument=info.context(), section_counts=_counts_context(row),
                   categories=[{"key": c.key, "label": c.title} for c in cats])
        note = () if info.binding else self.wording.blocks("not_binding.j2", ctx)
        return InstrumentSection(
            info=info, intro=self.wording.blocks("instrument_intro.j2", ctx),
            not_binding=note, categories=tuple(cats), counts=row,
        )

    def action_plan(self) -> tuple[ActionItem, ...]:
        """Required measures (gaps, in priority order), then recommended ones (advisories)."""
        rows: list[ActionItem] = []
        for result in self.analysis.gaps():
            item = self.items[id(result)]
            note = "" if item.binding else self.binding_note(item.instrument)
            action, to_do = self.action(item)
            rows.append(ActionItem(
                number=len(rows) + 1, item=item, kind="required",
                kind_label=capitalised(note) if note else self.label("phrases", "required"),
                priority_label=item.priority_label or "",
                action=action, binding_note=note, to_do=to_do,
            ))
        advised = [(a, self.items[id(r)]) for r in self.analysis.results
                   for a in self.items[id(r)].advisories]
        advised.sort(key=lambda pair: (pair[0].sort_key, pair[1].id))
        for advisory, item in advised:
            rows.append(ActionItem(
                number=len(rows) + 1, item=item, kind="recommended",
                kind_label=self.label("phrases", "recommended"),
                priority_label=advisory.priority_label, action=_one_line(advisory.text, limit=400),
                advisory=advisory,
            ))
        return tuple(rows)

    def priorities(self, rows: Sequence[ActionItem], shown: int) -> Priorities:
        """The first `shown` measures of one kind, for the executive summary."""
        more = max(len(rows) - shown, 0)
        note = self.label("phrases", "more_in_plan", count=more) if more else ""
        return Priorities(tuple(rows[:shown]), more, note)

    def binding_note(self, code: str) -> str:
        """'would bind on accession' (or 'on ratification', for a signatory)."""
        key = ("binds_on_ratification" if self.infos[code].party_status == "signatory"
               else "binds_on_accession")
        return self.label("phrases", key)

    def action(self, item: ObligationItem) -> tuple[str, str | None]:
        """The measures the State's answers call for, in short, and the first of them as an
        infinitive ("add the missing acts ...") when it reads so.

        The rule's own measures, not the catalog's summary of the obligation: that summary
        would ask for what the State may already have done (an offence that exists in part).
        """
        specific = _specific(item.measures)
        if not specific:
            return item.summary, None
        firsts = [_first_sentence(m) for m in specific]
        shown = [_clip(firsts[0], ACTION_LIMIT)]
        for sentence in firsts[1:]:
            if len(" ".join([*shown, sentence])) > ACTION_LIMIT:
                break
            shown.append(sentence)
        rest = len(firsts) - len(shown)
        if rest:
            shown.append(self.label("phrases", "more_measure" if rest == 1 else "more_measures",
                                    count=rest))
        # The overview quotes the first measure as a whole sentence, or not at all.
        to_do = (_infinitive(_without_reference(firsts[0]), self.names)
                 if len(firsts[0]) <= TO_DO_LIMIT else None)
        return " ".join(shown), to_do

    def notifications(self, items: Sequence[ObligationItem]) -> tuple[NotificationItem, ...]:
        return tuple(
            NotificationItem(
                item=item,
                to=(item.notification or {}).get("to", ""),
                what=(item.notification or {}).get("what", item.summary),
                when=self.notification_when(item),
            )
            for item in items
            if item.category == "notification"
            and (item.status.is_gap or item.status is Status.NOT_ASSESSED)
        )

    def notification_when(self, item: ObligationItem) -> str:
        """When it is owed; a Convention notice in a Protocol report is not a new one."""
        when = (item.notification or {}).get("when", "")
        if item.instrument in self.analysis.instruments:
            return when
        return self.label("phrases", "owed_under_convention", when=when.rstrip(". "),
                          source=self.short(item.instrument))

    def answer_groups(self) -> tuple[AnswerGroup, ...]:
        """Grouped by questionnaire section, in the order each section is first met."""
        grouped: dict[str, list[AnswerItem]] = {}
        for view in self.analysis.answers:
            answer = self.answer_item(view)
            short = self.short(answer.instrument)
            title = f"{short}: {answer.section}" if answer.section else short
            grouped.setdefault(title, []).append(answer)
        return tuple(AnswerGroup(group[0].instrument, title, tuple(group))
                     for title, group in grouped.items())

    def summary_context(self, items: Sequence[ObligationItem],
                        notifications: Sequence[NotificationItem],
                        by_instrument: Sequence[CountRow],
                        plan: Sequence[ActionItem]) -> dict[str, Any]:
        # The gaps of the law in force; those under an instrument that does not yet bind the
        # State are counted apart, as obligations that would bind it on accession.
        gaps = [a.item for a in plan if a.kind == "required" and a.item.binding]
        pending = [a for a in plan if a.kind == "required" and not a.item.binding]

        def gap_list(predicate: Any) -> list[dict[str, Any]]:
            return [_gap_context(i) for i in gaps if predicate(i)]

        assessed = [i for i in items if i.status not in (Status.NOT_APPLICABLE,
                                                         Status.NOT_ASSESSED)]
        met = sum(1 for i in assessed if i.status is Status.MET)
        categories: dict[str, int] = {}
        for item in gaps:
            categories.setdefault(item.category_label, 0)
            categories[item.category_label] += 1
        return dict(
            self.base,
            by_instrument=[dict(_counts_context(r), key=r.key, label=r.label)
                           for r in by_instrument],
            criminalization_gaps=gap_list(
                lambda i: i.strength == "mandatory" and i.category == "criminalization"),
            other_mandatory_gaps=gap_list(
                lambda i: i.strength == "mandatory" and i.category != "criminalization"),
            qualified_gaps=gap_list(lambda i: i.strength == "qualified"),
            discretionary_gaps=gap_list(lambda i: i.strength in ("consider", "optional")),
            mandatory_gaps=gap_list(lambda i: i.strength == "mandatory"),
            not_assessed=[_gap_context(i) for i in items if i.status is Status.NOT_ASSESSED],
            incomplete=[_gap_context(i) for i in items if i.incomplete],
            notifications=[_gap_context(n.item) for n in notifications],
            not_binding=[i for i in self.base["instruments"] if not i["binding"]],
            options=[dict(_gap_context(i), option=i.option_label)
                     for i in items if i.option_label],
            decided=len(assessed),
            met_share=round(100 * met / len(assessed)) if assessed else 0,
            gap_categories=sorted(categories.items(), key=lambda kv: -kv[1]),
            advisories=[dict(_gap_context(a.item), text=a.action, priority=a.priority_label)
                        for a in plan if a.kind == "recommended"],
            top_required=[_action_context(a) for a in plan if a.kind == "required"
                          ][:TOP_REQUIRED],
            binding_gaps=len(gaps),
            accession_gaps=[_action_context(a) for a in pending],
            accession_instruments=_phrase(list(dict.fromkeys(
                f"the {a.item.instrument_short}" for a in pending))),
            accession_mandatory=sum(1 for a in pending if a.item.strength == "mandatory"),
        )


def build_content(analysis: GapAnalysis, *, templates_dir: Path | None = None,
                  detail: str = "standard", since: "Comparison | None" = None) -> ReportContent:
    """The report's content, wording included, ready for any writer."""
    if detail not in DETAILS:
        raise InputError(f"unknown detail level '{detail}' (expected one of: "
                         f"{', '.join(DETAILS)})")
    names = StateNames.of(analysis.state, analysis.formal_name)
    wording = Wording(templates_dir, names)
    progress = None
    if since is not None:       # report --since: its module is needed by no other report
        from palermo.report.progress import build_progress

        progress = build_progress(since, wording)
    b = _Builder(analysis, wording, detail, progress.marks if progress else None)
    sections = b.sections()
    items = [i for s in sections for i in s.items]
    by_instrument = tuple(b.count_row(code, b.infos[code].short, b.by_code[code])
                          for code in b.order if b.by_code[code])
    by_category = tuple(
        row for row in (
            b.count_row(cat, b.category_label(cat),
                        [r for r in analysis.results if r.obligation.category == cat])
            for cat in CATEGORIES
        ) if row.total
    )
    plan = b.action_plan()
    notifications = b.notifications(items)
    summary_ctx = b.summary_context(items, notifications, by_instrument, plan)
    required = [a for a in plan if a.kind == "required"]
    recommended = [a for a in plan if a.kind == "recommended"]
    analysed = tuple(i for i in items if i.finding_number is not None)
    contexts = {
        "base": b.base, "summary": summary_ctx,
        "analysis": dict(b.base, analysed=len(analysed)),
        "plan": dict(b.base, gaps=[_gap_context(a.item) for a in required],
                     recommended=len(recommended)),
        "answers": dict(b.base, answer_count=len(analysis.answers)),
        "notifications": dict(b.base, notifications=summary_ctx["notifications"]),
    }
    return ReportContent(
        state=names.display,
        names=names,
        detail=detail,
        labels=wording.labels,
        title=wording.render("title.j2", b.base),
        subtitle=wording.render("subtitle.j2", b.base),
        date=b.date,
        assessor=b.base["assessor"],
        catalog_version=analysis.catalog_version,
        answers_catalog_version=analysis.answers_catalog_version,
        generator=f"palermo {__version__}",
        instruments=tuple(b.infos[code] for code in b.order),
        prose={key: wording.blocks(template, contexts[context])
               for key, template, context in PROSE},
        required=b.priorities(required, TOP_REQUIRED),
        recommended=b.priorities(recommended, TOP_RECOMMENDED),
        totals=b.totals,
        by_instrument=by_instrument,
        by_category=by_category,
        sections=sections,
        draft_note=_draft_note(analysis, wording),
        clearances=analysis.clearances,
        analysed=analysed,
        action_plan=plan,
        answer_groups=b.answer_groups(),
        notifications=notifications,
        progress=progress,
    )


# ---------------------------------------------------------------------------------------------
# Pure helpers


_T = TypeVar("_T")
DRAFTS_LISTED = 6  # a header note names at most this many sections not cleared


def _draft_note(analysis: GapAnalysis, wording: Any) -> tuple[Block, ...]:
    """The header note of an assessment whose focal point has not cleared every section."""
    drafts = analysis.draft_sections
    if not drafts:
        return ()
    named = [wording.label("phrases", "draft_void", section=f"{c.title} ({c.section})",
                           by=c.by, date=c.date) if c.void else f"{c.title} ({c.section})"
             for c in drafts]
    if len(drafts) > DRAFTS_LISTED:  # most are drafts: name the few cleared instead
        cleared = [f"{c.title} ({c.section})" for c in analysis.clearances if c.cleared]
        voided = [n for n, c in zip(named, drafts, strict=True) if c.void]
        text = wording.label("phrases", "draft_note_many", count=len(drafts),
                             total=len(analysis.clearances),
                             cleared="; ".join(cleared + voided) if cleared or voided
                             else wording.label("phrases", "none_cleared"))
    else:
        text = wording.label("phrases", "draft_note", count=len(drafts),
                             total=len(analysis.clearances), sections="; ".join(named))
    return blocks(" ".join(text.split()))


def _analysed(result: ObligationResult) -> bool:
    """Whether an obligation gets a detailed analysis: a gap, an advisory or open questions."""
    return result.status.is_gap or bool(result.advisories) or result.incomplete


def _specific(measures: tuple[_T, ...]) -> tuple[_T, ...]:
    """The measures a rule gave for this State (or their blocks): gaps.analyse adds the
    catalog's general measure of the obligation after them, last; alone, it is the only
    measure there is."""
    return measures[:-1] if len(measures) > 1 else measures


def _counts_context(row: CountRow) -> dict[str, int]:
    data = {status.value: n for status, n in row.counts}
    data["total"] = row.total
    data["gaps"] = data["not_met"] + data["partially_met"]
    return data


def _text_label(subparagraph: str | None) -> str:
    if not subparagraph:
        return ""
    parts = subparagraph.split(".")
    label = f"({parts[-1]}) "
    # Text between the chapeau and a nested item, e.g. (b) above (b)(i), is not quoted.
    return f"… {label}" if len(parts) > 1 else label


# A full stop after these words does not end a sentence ("art. 6", "s. 12", "e.g. the").
_ABBREVIATIONS = frozenset({
    "art", "arts", "s", "ss", "sch", "para", "paras", "p", "pp", "no", "nos", "ch", "reg",
    "regs", "sect", "vol", "e.g", "i.e", "cf", "etc", "v", "st", "dr", "mr", "ms", "mrs",
})
_OPENING = "([{“"
_CLOSING = ")]}”"
# The characters the scans below act on (the rest are skipped over in C, not looked at one by
# one): brackets, and sentence ends or spaces. They scan a copy whose quotation marks are
# brackets (as they count), since a class of ASCII characters compiles several times faster.
_SENTENCE_MARKS = re.compile(r"[()\[\]{}.?!]")
_CLAUSE_MARKS = re.compile(r"[()\[\]{} ]")
_BRACKETS = re.compile(r"[()\[\]{}]")


def _as_brackets(text: str) -> str:
    """The text with its quotation marks as brackets, of the same length (the scans' copy)."""
    return text.replace("“", "(").replace("”", ")")


def _first_sentence(text: str) -> str:
    """A text's first sentence: up to the first full stop, question or exclamation mark that
    is outside parentheses, not after an abbreviation and followed by a new sentence."""
    flat = " ".join(text.split())
    depth = 0
    for mark in _SENTENCE_MARKS.finditer(_as_brackets(flat)):
        i, ch = mark.start(), mark.group()
        if ch in _OPENING:
            depth += 1
        elif ch in _CLOSING:
            depth = max(depth - 1, 0)
        elif ch in ".?!" and depth == 0 and flat[i + 1:i + 2] in ("", " "):
            start = flat[i + 2:i + 3]
            if start and not (start.isupper() or start in "“\"'‘"):
                continue
            word = flat[flat.rfind(" ", 0, i) + 1:i].lstrip(_OPENING + "“\"'").lower()
            if ch == "." and word in _ABBREVIATIONS:
                continue
            return flat[:i + 1]
    return flat


def _clip(sentence: str, limit: int) -> str:
    """A sentence cut to `limit` characters at its last clause boundary (or word) outside
    parentheses, marked with an ellipsis; a sentence that fits is returned whole."""
    if len(sentence) <= limit:
        return sentence
    window = sentence[:limit + 1]
    marks = _as_brackets(window)
    if not _BRACKETS.search(marks):        # most sentences: every space is outside brackets
        word, clause = max(window.rfind(" "), 0), 0
        at = word
        while at > 0 and at >= limit // 2:  # the last clause boundary, if it is late enough
            if sentence[at - 1] in ";:," or sentence[at + 1:at + 2] in ("—", "–"):
                clause = at
                break
            at = window.rfind(" ", 0, at)
        cut = clause if clause >= limit // 2 else word or limit
        return sentence[:cut].rstrip(" ,;:—–") + " …"
    depth, clause, word = 0, 0, 0
    for mark in _CLAUSE_MARKS.finditer(marks):
        i, ch = mark.start(), mark.group()
        if ch in _OPENING:
            if depth == 0:
                word = max(word, i)          # a cut may fall just before a parenthesis
            depth += 1
        elif ch in _CLOSING:
            depth = max(depth - 1, 0)
        elif depth == 0 and ch == " ":
            word = i
            if sentence[i - 1:i] in (";", ":", ",") or sentence[i + 1:i + 2] in ("—", "–"):
                clause = i
    cut = clause if clause >= limit // 2 else word or limit
    return sentence[:cut].rstrip(" ,;:—–") + " …"


def _one_line(text: str, limit: int = ONE_LINE) -> str:
    """The first sentence of a text, cut at a clause or a word when longer than `limit`."""
    return _clip(_first_sentence(text), limit)


def _without_reference(sentence: str) -> str:
    """A sentence without the parenthesis that closes it ("... (Model Law, art. 5.B).")."""
    body = sentence.rstrip(".")
    if not body.endswith(")"):
        return sentence
    depth = 0
    for i in range(len(body) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(body[i], 0)
        if depth == 0:
            return body[:i].rstrip() + "." if i else sentence
    return sentence


# Verbs a measure may open with as an instruction ("Introduce value-based confiscation").
_IMPERATIVES = frozenset({
    "add", "adopt", "allow", "amend", "apply", "bring", "consider", "create", "criminalize",
    "define", "designate", "enable", "enact", "ensure", "establish", "extend", "give",
    "identify", "inform", "introduce", "make", "notify", "protect", "provide", "remove",
    "repeal", "require", "send", "set", "take",
})


def _infinitive(measure: str, names: StateNames) -> str | None:
    """'Meridia should add ...' or 'Add ...' as 'add ...'; None for any other form."""
    for name in dict.fromkeys((names.short, names.formal, capitalised(names.formal))):
        lead = f"{name} should "
        if name and measure.startswith(lead):
            return measure[len(lead):]
    first = measure.split(" ", 1)[0]
    if first.lower() in _IMPERATIVES and first[:1].isupper():
        return first.lower() + measure[len(first):]
    return None


def _brief_citations(citations: Iterable[str]) -> str:
    """Citations joined, each act named once when several of its provisions follow it."""
    shown: list[str] = []
    previous = None
    for citation in citations:
        act, sep, rest = citation.rpartition(", ")
        if sep and act == previous:
            shown.append(rest)
        else:
            shown.append(citation)
            previous = act if sep else None
    return "; ".join(shown)


def _instrument_order(analysis: GapAnalysis) -> list[str]:
    present = list(dict.fromkeys(r.obligation.instrument for r in analysis.results))
    order = list(analysis.instruments) + [i for i in present if i not in analysis.instruments]
    known = {i.id: n for n, i in enumerate(analysis.catalog_instruments)}
    # The instruments assessed in catalog order (the Convention before its Protocols), then
    # the Convention's provisions pulled into a Protocol-only assessment.
    return sorted(dict.fromkeys(order), key=lambda code: (
        code not in analysis.instruments, known.get(code, len(known))))


def _gap_context(item: ObligationItem) -> dict[str, Any]:
    return {
        "id": item.id, "reference": item.reference, "heading": item.heading,
        "instrument": item.instrument, "instrument_short": item.instrument_short,
        "article_title": item.article_title, "summary": item.summary,
        "status": item.status.value, "status_label": item.status_label,
        "symbol": item.status.symbol, "strength": item.strength, "category": item.category,
        "category_label": item.category_label,
        "priority": item.priority_label, "findings": list(item.findings),
        "finding": item.findings[0] if item.findings else "",
        "one_line": item.one_line, "number": item.finding_number, "binding": item.binding,
        "measure": item.measures[0] if item.measures else "",
        "incomplete": item.incomplete_label,
    }


def _action_context(action: ActionItem) -> dict[str, Any]:
    return dict(_gap_context(action.item), action=action.action, to_do=action.to_do,
                binding_note=action.binding_note)


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
