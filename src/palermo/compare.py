"""Two assessments of one State compared: what changed since the last one, and why.

A ministry asks it after an amending Act, a review between phases, a donor after a project.
Every obligation whose status, priority, advisories or binding force changed is listed with
the answers (and the domestic provisions cited) that changed with it. Pure: no printing.

By default both assessments are read with the same catalog, so that a change of status is a
change of the State's answers. Given the catalog the earlier assessment was made with, the
earlier one is read with it and the obligations the catalog added or retired are listed too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from palermo.answers import AnswersFile
from palermo.errors import InputError
from palermo.model import AnswerView, GapAnalysis, ObligationResult, Status
from palermo.workspace import Workspace

# Display order: what needs attention first.
KINDS = ("opened", "worsened", "closed", "improved", "newly_assessed", "no_longer_assessed",
         "changed", "priority", "advisories", "binding", "added", "retired")
KIND_LABELS = {
    "opened": "Gaps opened",
    "worsened": "Worsened",
    "closed": "Gaps closed",
    "improved": "Improved",
    "newly_assessed": "Newly assessed",
    "no_longer_assessed": "No longer assessed",
    "changed": "Status changed",
    "priority": "Priority changed",
    "advisories": "Advisories changed",
    "binding": "Binding force changed",
    "added": "Added to the catalog",
    "retired": "Retired from the catalog",
}
# One word per kind, for a table cell or a row mark in a report.
KIND_MARKS = {
    "opened": "worsened", "worsened": "worsened", "no_longer_assessed": "worsened",
    "closed": "improved", "improved": "improved", "newly_assessed": "new", "added": "new",
    "changed": "changed", "priority": "changed", "advisories": "changed", "binding": "changed",
    "retired": "retired",
}


@dataclass(frozen=True)
class AnswerChange:
    """One answer that differs between the two assessments."""

    question_id: str
    question: str
    old: str                                # as a reader sees it: "Yes", "Not answered", ...
    new: str
    old_citations: tuple[str, ...] = ()
    new_citations: tuple[str, ...] = ()


@dataclass(frozen=True)
class AdvisoryChange:
    change: str                             # added | removed | priority
    text: str
    id: str | None = None
    old_priority: str | None = None
    new_priority: str | None = None


@dataclass(frozen=True)
class Change:
    obligation_id: str
    instrument: str
    reference: str                          # "art. 6(1)(a)"
    category: str
    strength: str
    summary: str
    kind: str                               # one of KINDS
    old_status: Status | None               # None: not in that assessment's scope or catalog
    new_status: Status | None
    old_priority: str | None = None
    new_priority: str | None = None
    old_binding: bool | None = None
    new_binding: bool | None = None
    advisories: tuple[AdvisoryChange, ...] = ()
    answers: tuple[AnswerChange, ...] = ()
    findings: tuple[str, ...] = ()          # today's findings (the earlier ones when retired)
    catalog_changed: bool = False           # the catalog entry itself changed between versions

    @property
    def mark(self) -> str:
        return KIND_MARKS[self.kind]

    @property
    def citations(self) -> tuple[str, ...]:
        """The domestic provisions cited in the answers that changed, today's first."""
        cited = [c for a in self.answers for c in (*a.new_citations, *a.old_citations)]
        return tuple(dict.fromkeys(cited))


@dataclass(frozen=True)
class Side:
    """What one of the two assessments is: whose, when, from which file, on which catalog."""

    state: str
    source: str
    date: str | None                        # updated, else started (YYYY-MM-DD)
    catalog_version: str                    # the catalog it was read with
    answers_catalog_version: str | None     # the catalog the answers file was made with
    instruments: tuple[str, ...]
    party_status: dict[str, str]
    counts: dict[str, int]                  # status value -> obligations (binding ones)


@dataclass(frozen=True)
class Comparison:
    old: Side
    new: Side
    changes: tuple[Change, ...]
    unchanged: int
    notes: tuple[str, ...] = ()
    forced: bool = False                    # compared although the States differ
    titles: dict[str, str] = field(default_factory=dict)  # instrument -> catalog short title

    def title(self, instrument: str) -> str:
        return self.titles.get(instrument, instrument)

    @property
    def state(self) -> str:
        return self.new.state

    def of_kind(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    def tally(self) -> dict[str, int]:
        return {kind: n for kind in KINDS if (n := len(self.of_kind(kind)))}

    def by_obligation(self) -> dict[str, Change]:
        return {c.obligation_id: c for c in self.changes}


def long_date(value: str | None) -> str:
    """'15 October 2025' for '2025-10-15'; the text as given when it is not a date."""
    if not value:
        return "an undated assessment"
    try:
        day = dt.date.fromisoformat(value[:10])
    except ValueError:
        return value
    return f"{day.day} {day:%B %Y}"


def same_state(old: str, new: str) -> bool:
    return " ".join(old.split()).casefold() == " ".join(new.split()).casefold()


def check_same_state(old: AnswersFile, new: AnswersFile) -> None:
    if not same_state(old.state, new.state):
        raise InputError(f"{old.path} is the assessment of {old.state} and {new.path} that of "
                         f"{new.state}: compare two assessments of one State (or give --force)")


# --- one obligation ----------------------------------------------------------------------

def _assessed(status: Status) -> bool:
    return status is not Status.NOT_ASSESSED


def _status_kind(old: Status, new: Status) -> str | None:
    if old is new:
        return None
    if not _assessed(old):
        return "newly_assessed"
    if not _assessed(new):
        return "no_longer_assessed"
    if old.is_gap and new is Status.NOT_APPLICABLE:
        return "changed"  # the obligation no longer applies: no law closed the gap
    if old.is_gap and not new.is_gap:
        return "closed"
    if new.is_gap and not old.is_gap:
        return "opened"
    if old.is_gap and new.is_gap:
        return "improved" if new is Status.PARTIALLY_MET else "worsened"
    return "changed"  # met <-> not applicable: neither better nor worse


def _advisory_changes(old: ObligationResult, new: ObligationResult) -> tuple[AdvisoryChange, ...]:
    def keyed(result: ObligationResult) -> dict[str, Any]:
        return {a.id or a.text: a for a in result.advisories}

    before, after = keyed(old), keyed(new)
    changes = [AdvisoryChange("removed", a.text, a.id, old_priority=a.priority.label)
               for key, a in before.items() if key not in after]
    for key, a in after.items():
        if key not in before:
            changes.append(AdvisoryChange("added", a.text, a.id, new_priority=a.priority.label))
        elif before[key].priority.rank != a.priority.rank:
            changes.append(AdvisoryChange("priority", a.text, a.id,
                                          old_priority=before[key].priority.label,
                                          new_priority=a.priority.label))
    return tuple(changes)


_NOT_ASKED = "Not asked"


def _given(view: AnswerView | None) -> tuple[Any, tuple[str, ...]]:
    return (None, ()) if view is None else (view.value, view.citations)


def _answer_changes(old: tuple[AnswerView, ...], new: tuple[AnswerView, ...],
                    ) -> tuple[AnswerChange, ...]:
    before = {a.question_id: a for a in old}
    after = {a.question_id: a for a in new}
    changes = []
    for qid in dict.fromkeys([*after, *before]):
        a, b = before.get(qid), after.get(qid)
        if _given(a) == _given(b):
            continue  # the same answer, or no answer on either side
        shown = b or a
        assert shown is not None  # noqa: S101 - qid comes from one of the two
        changes.append(AnswerChange(
            qid, shown.question, a.answer if a else _NOT_ASKED, b.answer if b else _NOT_ASKED,
            a.citations if a else (), b.citations if b else ()))
    return tuple(changes)


def _change(old: ObligationResult | None, new: ObligationResult | None, *, added: bool,
            retired: bool, catalog_changed: bool) -> Change | None:
    shown = new or old
    assert shown is not None  # noqa: S101 - called with at least one result
    ob = shown.obligation
    if old is None:
        kind: str | None = "added" if added else "newly_assessed"
    elif new is None:
        kind = "retired" if retired else "no_longer_assessed"
    else:
        kind = _status_kind(old.status, new.status)
    advisories = _advisory_changes(old, new) if old and new else ()
    old_priority = old.priority.label if old and old.priority else None
    new_priority = new.priority.label if new and new.priority else None
    if kind is None:
        if old and new and old.binding != new.binding:
            kind = "binding"
        elif old_priority != new_priority:
            kind = "priority"
        elif advisories:
            kind = "advisories"
        else:
            return None
    return Change(
        obligation_id=ob.id, instrument=ob.instrument, reference=ob.reference,
        category=ob.category, strength=ob.strength, summary=ob.summary, kind=kind,
        old_status=old.status if old else None, new_status=new.status if new else None,
        old_priority=old_priority, new_priority=new_priority,
        old_binding=old.binding if old else None, new_binding=new.binding if new else None,
        advisories=advisories,
        answers=_answer_changes(old.answers if old else (), new.answers if new else ()),
        findings=shown.findings, catalog_changed=catalog_changed)


# --- two assessments ---------------------------------------------------------------------

def _side(analysis: GapAnalysis) -> Side:
    counts = {s.value: 0 for s in Status}
    for result in analysis.results:
        if result.binding:
            counts[result.status.value] += 1
    return Side(state=analysis.state, source=analysis.source or "", date=(
        analysis.updated or analysis.started), catalog_version=analysis.catalog_version,
        answers_catalog_version=analysis.answers_catalog_version,
        instruments=analysis.instruments, party_status=dict(analysis.party_status),
        counts=counts)


@dataclass
class _Catalogs:
    added: set[str] = field(default_factory=set)
    retired: set[str] = field(default_factory=set)
    changed: set[str] = field(default_factory=set)


def compare_analyses(old: GapAnalysis, new: GapAnalysis, *, added: set[str] | None = None,
                     retired: set[str] | None = None, catalog_changed: set[str] | None = None,
                     forced: bool = False, notes: tuple[str, ...] = ()) -> Comparison:
    """Every obligation whose status, priority, advisories or binding force changed.

    `added`, `retired` and `catalog_changed` are obligation ids from a diff of the two
    catalogs; without them an obligation missing on one side left or entered the scope.
    """
    catalogs = _Catalogs(added or set(), retired or set(), catalog_changed or set())
    before = {r.obligation.id: r for r in old.results}
    after = {r.obligation.id: r for r in new.results}
    changes: list[Change] = []
    unchanged = 0
    for oid in dict.fromkeys([*after, *before]):
        change = _change(before.get(oid), after.get(oid), added=oid in catalogs.added,
                         retired=oid in catalogs.retired,
                         catalog_changed=oid in catalogs.changed)
        if change is None:
            unchanged += 1
        else:
            changes.append(change)
    order = {oid: index for index, oid in enumerate(dict.fromkeys([*after, *before]))}
    changes.sort(key=lambda c: (KINDS.index(c.kind), order[c.obligation_id]))
    titles = {i.id: i.short_title for i in (*old.catalog_instruments, *new.catalog_instruments)}
    return Comparison(_side(old), _side(new), tuple(changes), unchanged, notes, forced, titles)


def _analysis(ws: Workspace, answers: AnswersFile) -> GapAnalysis:
    """Checked like `open_assessment` checks a file: every problem, then normalised answers."""
    from palermo.answers import normalised
    from palermo.assessment import AnswersFileProblems
    from palermo.gaps import analyse
    from palermo.validate import validate_answers

    problems = validate_answers(ws, answers)
    if problems.errors:
        raise AnswersFileProblems(problems.errors)
    return analyse(ws.catalog, ws.bank, normalised(answers, ws.bank))


def compare_assessments(ws: Workspace, old: AnswersFile, new: AnswersFile, *,
                        old_ws: Workspace | None = None, force: bool = False) -> Comparison:
    """OLD read with `old_ws` (its own catalog) when given, else both with `ws`."""
    if not force:
        check_same_state(old, new)
    earlier = old_ws or ws
    notes: list[str] = []
    sets: dict[str, set[str]] = {}
    if old_ws is not None and old_ws.catalog is not ws.catalog:
        from palermo.versions import diff_catalogs

        diff = diff_catalogs(old_ws.catalog, ws.catalog)
        sets = {"added": set(diff.added), "retired": set(diff.removed),
                "catalog_changed": set(diff.changed)}
    else:
        made = {v for v in (old.catalog_version, new.catalog_version) if v}
        if len(made) > 1:
            notes.append(f"The assessments were made with catalogs {old.catalog_version} and "
                         f"{new.catalog_version}; both are read here with catalog "
                         f"{ws.catalog.version}, so every change below is a change of answers "
                         f"(--old-catalog {old.catalog_version} reads the earlier one with its "
                         "own catalog).")
    if force and not same_state(old.state, new.state):
        notes.append(f"Compared although the assessments are of two States: {old.state} and "
                     f"{new.state}.")
    return compare_analyses(_analysis(earlier, old), _analysis(ws, new), **sets,
                            forced=force, notes=tuple(notes))


def earlier_workspace(spec: str) -> Workspace:
    """The catalog an earlier assessment was made with, and its questionnaires: a catalog
    folder, a git revision or a catalog version ("1.0.0") of this repository, read the way
    `palermo catalog diff` reads them."""
    from palermo.versions import load_snapshot

    snapshot = load_snapshot(spec)
    if snapshot.bank is None:
        raise InputError(f"{snapshot.source}: the earlier catalog's questionnaires are needed "
                         f"to read an assessment with it ({snapshot.note})")
    return Workspace(snapshot.catalog, snapshot.bank)
