"""The report's "Progress since <date>" section: what changed since an earlier assessment.

Built from a `compare.Comparison` of the earlier assessment with the one reported on; every
writer lays it out after the executive summary, and marks each row of the table of
correspondence whose obligation improved, worsened or is new.
"""

from typing import TYPE_CHECKING, NamedTuple

from palermo.report.wording import Block, Wording, clean

if TYPE_CHECKING:
    from palermo.compare import AnswerChange, Change, Comparison


class ProgressRow(NamedTuple):
    obligation_id: str
    provision: str                 # "Smuggling of Migrants Protocol, art. 6(1)(a)"
    kind: str                      # compare.KINDS
    kind_label: str                # "Gap closed"
    mark: str                      # improved | worsened | new | changed | retired
    before: str                    # "✗ Not met"
    now: str
    answers: tuple[str, ...]       # "Question text: No → Yes (Act 2026, s. 3)"


class Progress(NamedTuple):
    heading: str                   # "Progress since 15 October 2025"
    since: str                     # "15 October 2025"
    intro: tuple[Block, ...]
    rows: tuple[ProgressRow, ...]
    marks: dict[str, str]          # obligation id -> "improved since 15 October 2025"
    catalog_note: str | None = None


def _status(status: object, binding: bool | None, wording: Wording) -> str:
    from palermo.model import Status

    if not isinstance(status, Status):
        return wording.label("progress", "no_status")
    text = f"{status.symbol} {wording.label('statuses', status.value)}"
    return text if binding is not False else wording.label("progress", "not_binding",
                                                           status=text)


def _answer(answer: "AnswerChange", wording: Wording) -> str:
    """'Question: No → Yes (Act 2026, s. 3)', with the citations now (or, if none, then)."""
    cited = answer.new_citations or answer.old_citations
    text = wording.label("progress", "answer", question=answer.question, old=answer.old,
                         new=answer.new)
    return clean(text + (f" ({'; '.join(cited)})" if cited else ""))


def _row(change: "Change", provision: str, wording: Wording) -> ProgressRow:
    answers = tuple(_answer(a, wording) for a in change.answers)
    if not answers and change.catalog_changed:
        answers = (wording.label("progress", "catalog_only"),)
    for advisory in change.advisories:
        answers += (clean(wording.label("progress", "advisory", change=advisory.change,
                                        text=advisory.text)),)
    return ProgressRow(change.obligation_id, provision, change.kind,
                       wording.label("changes", change.kind), change.mark,
                       _status(change.old_status, change.old_binding, wording),
                       _status(change.new_status, change.new_binding, wording), answers)


def build_progress(comparison: "Comparison", wording: Wording) -> Progress:
    """The part of a report made with --since, its words from `wording` (progress_intro.j2
    and the progress, changes and marks of labels.yaml)."""
    from palermo.compare import KINDS, long_date

    since = long_date(comparison.old.date)
    counts = [comparison.old.counts, comparison.new.counts]
    gaps_before, gaps_now = (c["not_met"] + c["partially_met"] for c in counts)
    found = sum(1 for c in comparison.of_kind("newly_assessed")
                if c.new_status is not None and c.new_status.is_gap and c.new_binding)
    changes = dict.fromkeys(KINDS, 0) | comparison.tally()   # every kind, zero included
    intro = wording.blocks("progress_intro.j2", dict(
        wording.names.context(), since=since, changes=changes, unchanged=comparison.unchanged,
        gaps_before=gaps_before, gaps_now=gaps_now, found=found))
    note = comparison.notes[0] if comparison.notes else None
    rows = tuple(_row(c, f"{comparison.title(c.instrument)}, {c.reference}", wording)
                 for c in comparison.changes)
    marks = {c.obligation_id: wording.label("progress", "mark", since=since,
                                            mark=wording.label("marks", c.mark))
             for c in comparison.changes}
    return Progress(heading=wording.label("progress", "heading", since=since), since=since,
                    intro=intro, rows=rows, marks=marks,
                    catalog_note=clean(note) if note else None)
