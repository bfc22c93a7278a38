"""The report's "Progress since <date>" section: what changed since an earlier assessment.

Built from a `compare.Comparison` of the earlier assessment with the one reported on; every
writer lays it out after the executive summary, and marks each row of the table of
correspondence whose obligation improved, worsened or is new.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from palermo.report.wording import Block, clean

if TYPE_CHECKING:
    from palermo.compare import Change, Comparison

# How a row of the table of correspondence is marked, by the kind of change.
MARK_LABELS = {"improved": "improved", "worsened": "worsened", "new": "new",
               "changed": "changed", "retired": "retired"}


@dataclass(frozen=True)
class ProgressRow:
    obligation_id: str
    provision: str                 # "Smuggling of Migrants Protocol, art. 6(1)(a)"
    kind: str                      # compare.KINDS
    kind_label: str                # "Gap closed"
    mark: str                      # improved | worsened | new | changed | retired
    before: str                    # "✗ Not met"
    now: str
    answers: tuple[str, ...]       # "Question text: No → Yes (Act 2026, s. 3)"


@dataclass(frozen=True)
class Progress:
    heading: str                   # "Progress since 15 October 2025"
    since: str                     # "15 October 2025"
    intro: tuple[Block, ...]
    rows: tuple[ProgressRow, ...]
    marks: dict[str, str]          # obligation id -> "improved since 15 October 2025"
    catalog_note: str | None = None


_ROW_LABELS = {
    "opened": "Gap opened", "worsened": "Worsened", "closed": "Gap closed",
    "improved": "Improved", "newly_assessed": "Newly assessed",
    "no_longer_assessed": "No longer assessed", "changed": "Status changed",
    "priority": "Priority changed", "advisories": "Advisories changed",
    "binding": "Binding force changed", "added": "Added to the catalog",
    "retired": "Retired from the catalog",
}
# The intro's phrases, singular and plural, in the order a reader needs them.
_PHRASES = (
    ("closed", "{n} gap was closed", "{n} gaps were closed"),
    ("improved", "{n} obligation improved", "{n} obligations improved"),
    ("opened", "{n} gap opened", "{n} gaps opened"),
    ("worsened", "{n} obligation worsened", "{n} obligations worsened"),
    ("newly_assessed", "{n} obligation was assessed for the first time",
     "{n} obligations were assessed for the first time"),
    ("no_longer_assessed", "{n} obligation is no longer assessed",
     "{n} obligations are no longer assessed"),
    ("added", "{n} obligation was added to the catalog",
     "{n} obligations were added to the catalog"),
)


def _status(status: object, binding: bool | None) -> str:
    from palermo.model import Status

    if not isinstance(status, Status):
        return "—"
    text = f"{status.symbol} {status.label}"
    return text if binding is not False else f"{text} (not binding)"


def _answer(question: str, old: str, new: str, cited: tuple[str, ...]) -> str:
    tail = f" ({'; '.join(cited)})" if cited else ""
    return clean(f"{question}: {old} → {new}{tail}")


def _row(change: Change, provision: str) -> ProgressRow:
    answers = tuple(_answer(a.question, a.old, a.new, a.new_citations or a.old_citations)
                    for a in change.answers)
    if not answers and change.catalog_changed:
        answers = ("No answer changed: the catalog's entry for this provision changed.",)
    for advisory in change.advisories:
        answers += (clean(f"Advisory {advisory.change}: {advisory.text}"),)
    return ProgressRow(change.obligation_id, provision, change.kind, _ROW_LABELS[change.kind],
                       change.mark, _status(change.old_status, change.old_binding),
                       _status(change.new_status, change.new_binding), answers)


def _phrase(parts: list[str]) -> str:
    if len(parts) <= 2:
        return " and ".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def build_progress(comparison: Comparison, state: str) -> Progress:
    from palermo.compare import long_date

    since = long_date(comparison.old.date)
    tally = comparison.tally()
    parts = [(one if tally[kind] == 1 else many).format(n=tally[kind])
             for kind, one, many in _PHRASES if tally.get(kind)]
    if parts:
        text = (f"Since the assessment of {since}, {_phrase(parts)}. The changes are listed "
                "below with the answers that changed; in the table of correspondence each "
                "obligation concerned is marked.")
    else:
        text = (f"Since the assessment of {since}, no obligation has changed status; "
                f"{comparison.unchanged} obligations are as they were.")
    gaps_before = comparison.old.counts["not_met"] + comparison.old.counts["partially_met"]
    gaps_now = comparison.new.counts["not_met"] + comparison.new.counts["partially_met"]
    counts = (f"Gaps among the obligations that bind {clean(state)}: {gaps_before} then, "
              f"{gaps_now} now.")
    found = sum(1 for c in comparison.of_kind("newly_assessed")
                if c.new_status is not None and c.new_status.is_gap and c.new_binding)
    if found:
        counts = counts[:-1] + (f"; {found} of today's gaps {'is' if found == 1 else 'are'} in "
                                f"obligations not assessed then.")
    note = comparison.notes[0] if comparison.notes else None
    rows = tuple(_row(c, f"{comparison.title(c.instrument)}, {c.reference}")
                 for c in comparison.changes)
    marks = {c.obligation_id: f"{MARK_LABELS[c.mark]} since {since}"
             for c in comparison.changes}
    return Progress(heading=f"Progress since {since}", since=since,
                    intro=(Block("para", text=text), Block("para", text=counts)),
                    rows=rows, marks=marks, catalog_note=clean(note) if note else None)
