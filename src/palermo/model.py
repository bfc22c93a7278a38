"""The content model every output is built from: catalog entries and gap results."""

from collections.abc import Mapping
from enum import Enum
from types import MappingProxyType
from typing import Any, NamedTuple

CATEGORIES = ("criminalization", "prevention", "protection", "cooperation", "notification")
STRENGTHS = ("mandatory", "qualified", "consider", "optional")


class Status(str, Enum):
    MET = "met"
    PARTIALLY_MET = "partially_met"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"
    NOT_ASSESSED = "not_assessed"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def symbol(self) -> str:
        return STATUS_SYMBOLS[self]

    @property
    def is_gap(self) -> bool:
        return self in (Status.NOT_MET, Status.PARTIALLY_MET)


STATUS_LABELS = {
    Status.MET: "Met",
    Status.PARTIALLY_MET: "Partially met",
    Status.NOT_MET: "Not met",
    Status.NOT_APPLICABLE: "Not applicable",
    Status.NOT_ASSESSED: "Not assessed",
}
# Symbols keep the status readable in black and white and by screen readers.
STATUS_SYMBOLS = {
    Status.MET: "✓",
    Status.PARTIALLY_MET: "◐",
    Status.NOT_MET: "✗",
    Status.NOT_APPLICABLE: "–",
    Status.NOT_ASSESSED: "?",
}

PARTY_LABELS = {
    "party": "State Party",
    "signatory": "Signatory, not yet a Party",
    "not_party": "Not a Party (preparing to accede)",
}


def format_reference(article: int, paragraph: int | None, subparagraph: str | None) -> str:
    """The article reference as lawyers write it: 'art. 6(1)(b)(ii)'."""
    ref = f"art. {article}"
    if paragraph is not None:
        ref += f"({paragraph})"
    if subparagraph:
        ref += "".join(f"({part})" for part in subparagraph.split("."))
    return ref


INSTRUMENT_KINDS = ("convention", "protocol")

# The catalog's classes are NamedTuples, not dataclasses: immutable and typed alike, and several
# times cheaper to create at every start (a frozen dataclass compiles each of its methods). An
# empty mapping default must then be shared, so it is read-only (questionnaire.py uses it too).
# A record built with it cannot be pickled; the loaders, whose records the cache keeps, always
# pass a dict.
NO_ENTRIES: Mapping[str, Any] = MappingProxyType({})


class Instrument(NamedTuple):
    """A treaty the catalog covers, as `obligations/catalog.yaml` declares it."""

    id: str                          # "untoc", "som": the prefix of its obligation ids
    kind: str                        # convention | protocol
    title: str                       # the full title, as in reports' headings
    short_title: str                 # "Smuggling of Migrants Protocol"
    source: str | None = None        # file in the catalog's sources/ with the authentic text
    supplements: str | None = None   # a protocol: the id of the convention it supplements
    abbreviation: str | None = None  # "SOM": column headings, sheet names; default the id

    @property
    def code(self) -> str:
        """The short form grids print: 'SOM 6(1)(a)'."""
        return self.abbreviation or self.id.upper()

    @property
    def is_protocol(self) -> bool:
        return self.kind == "protocol"


class Obligation(NamedTuple):
    """One treaty obligation of the catalog: its provision, text, strength and category."""

    id: str
    instrument: str
    article: int
    paragraph: int | None
    subparagraph: str | None
    article_title: str
    text: str
    summary: str
    strength: str
    category: str
    recommended_measures: str
    chapeau: str | None = None
    strength_note: str | None = None
    elements: Mapping[str, list[str]] = NO_ENTRIES
    options: tuple[dict[str, str], ...] = ()
    notification: dict[str, str] | None = None
    applies_to_protocol_offences: bool = False
    references: Mapping[str, list[str]] = NO_ENTRIES
    terms: tuple[str, ...] = ()  # defined terms its elements use (palermo.terms.TERMS)

    @property
    def reference(self) -> str:
        return format_reference(self.article, self.paragraph, self.subparagraph)

    def to_dict(self) -> dict[str, Any]:
        data = {
            "id": self.id, "instrument": self.instrument, "article": self.article,
            "paragraph": self.paragraph, "subparagraph": self.subparagraph,
            "article_title": self.article_title, "reference": self.reference,
        }
        if self.chapeau:
            data["chapeau"] = self.chapeau
        data.update({"text": self.text, "summary": self.summary, "strength": self.strength})
        if self.strength_note:
            data["strength_note"] = self.strength_note
        data["category"] = self.category
        if self.elements:
            data["elements"] = self.elements
        if self.options:
            data["options"] = [dict(o) for o in self.options]
        if self.notification:
            data["notification"] = self.notification
        if self.applies_to_protocol_offences:
            data["applies_to_protocol_offences"] = True
        data["recommended_measures"] = self.recommended_measures
        if self.references:
            data["references"] = self.references
        if self.terms:
            data["terms"] = list(self.terms)
        return data


PRIORITY_LABELS = {1: "High", 2: "Medium", 3: "Low"}


class Priority(NamedTuple):
    """How urgent a measure is: its rank, its label and where it sorts in an action plan."""

    rank: int          # 1 high (mandatory), 2 medium (qualified), 3 low (consider, optional)
    label: str
    sort_key: tuple[int, int, int]  # rank, category order, strength order: for action plans


class AnswerView(NamedTuple):
    """One answer as a reader sees it."""

    question_id: str
    question: str
    section: str
    answer: str        # display text: "Yes", "Partly", the option labels, free text
    value: Any         # raw value: "yes", ["a", "b"], "text", or None when unanswered
    citations: tuple[str, ...] = ()
    note: str | None = None
    answered: str | None = None   # when it was last changed (YYYY-MM-DD), if recorded


class Advisory(NamedTuple):
    """What guidance recommends without the treaty requiring it: a second axis beside status.

    A law can be met and still carry an advisory (a smuggling offence without a benefit
    element); an advisory never turns a status into a gap.
    """

    text: str                               # the recommendation, rendered, third person
    priority: Priority                      # its own priority, independent of the status
    basis: tuple[str, ...] = ()             # what it rests on: "SOM art. 6(1)", "Legislative
                                            # Guide, para. 61", "Model Law art. 5", ...
    id: str | None = None                   # stable key, for compare and for tests


class ObligationResult(NamedTuple):
    """The status of one obligation for one State, with what led to it and what to do."""

    obligation: Obligation
    status: Status
    findings: tuple[str, ...]
    required_measures: tuple[str, ...]      # what the treaty requires: empty unless a gap
    priority: Priority | None               # only for gaps
    option: str | None                      # the treaty option the State took, if any
    answers: tuple[AnswerView, ...]         # the answers that led to the status
    binding: bool                           # False when the State is not (yet) party
    advisories: tuple[Advisory, ...] = ()   # recommended, not required (any status)
    # Questions that bear on this obligation and are still open (unanswered, skipped or
    # "unknown") while the answers given already decide the status: the result is then
    # *incomplete*. Empty when complete; a not-assessed result lists what it waits for.
    open_questions: tuple[str, ...] = ()

    @property
    def incomplete(self) -> bool:
        return bool(self.open_questions) and self.status is not Status.NOT_ASSESSED


class SectionClearance(NamedTuple):
    """A section of the questionnaire and the focal point's clearance of it (palermo sign-off)."""

    section: str                  # 'som.sea'
    title: str
    cleared: bool
    by: str | None = None
    date: str | None = None
    void: bool = False            # cleared once, then an answer changed


class GapAnalysis(NamedTuple):
    """An assessment's result: one ObligationResult per obligation in scope, and the answers."""

    state: str
    instruments: tuple[str, ...]             # as assessed, e.g. ("som",)
    party_status: dict[str, str]             # instrument -> party | signatory | not_party
    assessor: str | None
    started: str | None
    updated: str | None
    catalog_version: str                     # the catalog the analysis ran on
    answers_catalog_version: str | None      # the catalog the answers file was made with
    results: tuple[ObligationResult, ...]    # catalog order: instrument, then article
    answers: tuple[AnswerView, ...]          # every question in scope, questionnaire order
    source: str | None = None                # the answers file's path, for messages only
    # The catalog's instruments (titles, kind), in catalog order: reports take titles here.
    catalog_instruments: tuple[Instrument, ...] = ()
    formal_name: str | None = None           # "the Republic of Testland"; state: "Testland"
    # Only for files that use assignments or clearances (several bodies, a focal point):
    # every section's clearance, and the obligations decided by a section not cleared.
    clearances: tuple[SectionClearance, ...] = ()
    drafts: frozenset[str] = frozenset()

    @property
    def draft_sections(self) -> tuple[SectionClearance, ...]:
        return tuple(c for c in self.clearances if not c.cleared)

    def instrument(self, code: str) -> Instrument:
        """The catalog's declaration of an instrument (its id as title when not declared)."""
        for instrument in self.catalog_instruments:
            if instrument.id == code:
                return instrument
        return Instrument(code, "convention", code, code)

    def counts(self, results: tuple[ObligationResult, ...] | None = None) -> dict[Status, int]:
        tally = {status: 0 for status in Status}
        for result in self.results if results is None else results:
            tally[result.status] += 1
        return tally

    def gaps(self) -> list[ObligationResult]:
        """Gaps in action-plan order: mandatory before qualified before consider/optional."""
        found = [r for r in self.results if r.status.is_gap and r.priority]
        return sorted(found, key=lambda r: (r.priority.sort_key, r.obligation.id))  # type: ignore[union-attr]
