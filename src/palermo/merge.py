"""Combining the answers files of one State: one part per ministry, into one assessment.

Each body (the ministry of justice, of the interior, the maritime authority) answers its
sections in a file of its own; the focal point merges them. Where parts agree, their
citations and notes are combined without duplicates and every body that gave the answer is
named; where they disagree on a question, nothing is decided silently: the disagreement is
listed with each answer and who gave it, and only `prefer` (one part wins) or a choice made
one question at a time settles it. A file that `git merge` left with conflict markers is read
as its two sides, so branches of one answers file merge the same way.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from palermo.answers import Answer, AnswersFile, answers_from_document
from palermo.errors import InputError
from palermo.schemacheck import check_schema
from palermo.yamlio import parse_yaml, read_text


@dataclass(frozen=True)
class Part:
    label: str              # the file, or 'file (HEAD)' for one side of a git conflict
    answers: AnswersFile


@dataclass(frozen=True)
class Version:
    """One answer to a question, as one or more parts gave it."""

    answer: Answer
    parts: tuple[Part, ...]

    def describe(self) -> str:
        entry = self.answer
        value = ", ".join(entry.value) if isinstance(entry.value, list) else str(entry.value)
        who = f", by {entry.by}" if entry.by else ""
        return f"{value}{who} ({', '.join(p.label for p in self.parts)})"


@dataclass(frozen=True)
class Disagreement:
    question: str           # a question id, or 'party_status.som', 'assignments.som.sea'
    versions: tuple[Version, ...]


Chooser = Callable[[Disagreement], int]  # the index of the version to keep


@dataclass
class Merged:
    answers: AnswersFile
    disagreements: list[Disagreement] = field(default_factory=list)   # still open
    settled: list[str] = field(default_factory=list)     # by prefer or by a choice
    combined: list[str] = field(default_factory=list)    # agreeing answers with more sources


# --- reading the parts ---------------------------------------------------------------------

def _sides(text: str, path: str) -> tuple[str, str, str, str] | None:
    """The two sides of a file with git conflict markers, or None when it has none."""
    lines = text.splitlines(keepends=True)
    if not any(line.startswith("<<<<<<< ") or line.rstrip("\r\n") == "<<<<<<<"
               for line in lines):
        return None
    ours: list[str] = []
    theirs: list[str] = []
    labels = ["HEAD", "other branch"]
    state = "both"
    for number, line in enumerate(lines, start=1):
        bare = line.rstrip("\r\n")
        if bare.startswith("<<<<<<<") and state == "both":
            state, labels[0] = "ours", bare[7:].strip() or labels[0]
        elif bare.startswith("|||||||") and state == "ours":
            state = "base"
        elif bare == "=======" and state in ("ours", "base"):
            state = "theirs"
        elif bare.startswith(">>>>>>>") and state == "theirs":
            state, labels[1] = "both", bare[7:].strip() or labels[1]
        elif bare.startswith(("<<<<<<<", ">>>>>>>", "=======")):
            raise InputError("git conflict markers out of order (expected <<<<<<<, =======, "
                             ">>>>>>>)", path=path, line=number, column=1)
        else:
            if state in ("both", "ours"):
                ours.append(line)
            if state in ("both", "theirs"):
                theirs.append(line)
    if state != "both":
        raise InputError("a git conflict is not closed (no >>>>>>> line)", path=path)
    return "".join(ours), "".join(theirs), labels[0], labels[1]


def _parsed(text: str, path: str, label: str) -> AnswersFile:
    doc = parse_yaml(text, label)
    if not isinstance(doc.data, dict):
        raise doc.error("expected a mapping with state, instruments and answers")
    check_schema(doc, "answers")
    answers = answers_from_document(doc)
    answers.path = path
    return answers


def read_parts(path: str | Path) -> list[Part]:
    """One part, or two for a file with git conflict markers (each side read strictly)."""
    shown = str(path)
    text = read_text(path, what="an answers file")
    sides = _sides(text, shown)
    if sides is None:
        return [Part(shown, _parsed(text, shown, shown))]
    ours, theirs, first, second = sides
    return [Part(f"{shown} ({first})", _parsed(ours, shown, f"{shown} ({first})")),
            Part(f"{shown} ({second})", _parsed(theirs, shown, f"{shown} ({second})"))]


# --- merging -------------------------------------------------------------------------------

def _key(entry: Answer) -> object:
    """What two answers must share to agree: the value (a set, for multiple choice)."""
    if isinstance(entry.value, list):
        return ("list", tuple(sorted(entry.value)))
    return ("value", entry.value)


def _combined(versions: list[tuple[Part, Answer]]) -> Answer:
    """One answer from agreeing ones: every citation and note once, every body named."""
    first = versions[0][1]
    citations: list[str] = []
    notes: list[str] = []
    bodies: list[str] = []
    for _, entry in versions:
        citations += [c for c in entry.citations if c not in citations]
        if entry.note and entry.note.strip() not in notes:
            notes.append(entry.note.strip())
        for body in (entry.by or "").split(";"):
            if body.strip() and body.strip() not in bodies:
                bodies.append(body.strip())
    dates = [e.answered for _, e in versions if e.answered]
    return Answer(value=copy.deepcopy(first.value), citations=citations,
                  note="\n\n".join(notes) or None, skipped=first.skipped,
                  answered=max(dates) if dates else None, by="; ".join(bodies) or None)


def _settle(disagreement: Disagreement, prefer: str | None, choose: Chooser | None,
            ) -> int | None:
    if prefer is not None:
        for index, version in enumerate(disagreement.versions):
            if any(_same_file(part.label, prefer) for part in version.parts):
                return index
    if choose is not None:
        return choose(disagreement)
    return None


def _same_file(label: str, prefer: str) -> bool:
    return label == prefer or label.split(" (", 1)[0] == prefer or (
        Path(label.split(" (", 1)[0]).resolve() == Path(prefer).resolve())


def _merge_answer(qid: str, given: list[tuple[Part, Answer]], prefer: str | None,
                  choose: Chooser | None, merged: Merged) -> Answer | None:
    real = [(p, a) for p, a in given if not a.skipped]
    if not real:
        return _combined(given[:1])
    groups: dict[object, list[tuple[Part, Answer]]] = {}
    for part, entry in real:
        groups.setdefault(_key(entry), []).append((part, entry))
    if len(groups) == 1:
        if len(real) > 1:
            merged.combined.append(qid)
        return _combined(real)
    disagreement = Disagreement(qid, tuple(
        Version(_combined(g), tuple(p for p, _ in g)) for g in groups.values()))
    index = _settle(disagreement, prefer, choose)
    if index is None:
        merged.disagreements.append(disagreement)
        return None
    merged.settled.append(qid)
    return disagreement.versions[index].answer


def _merge_mapping(name: str, parts: list[Part], prefer: str | None, choose: Chooser | None,
                   merged: Merged) -> dict[str, str]:
    """party_status and assignments: one value per key, disagreements as for answers."""
    result: dict[str, str] = {}
    values: dict[str, dict[str, list[Part]]] = {}
    for part in parts:
        for key, value in getattr(part.answers, name).items():
            values.setdefault(key, {}).setdefault(value, []).append(part)
    for key, options in values.items():
        if len(options) == 1:
            result[key] = next(iter(options))
            continue
        disagreement = Disagreement(f"{name}.{key}", tuple(
            Version(Answer(value=value), tuple(who)) for value, who in options.items()))
        index = _settle(disagreement, prefer, choose)
        if index is None:
            merged.disagreements.append(disagreement)
        else:
            merged.settled.append(disagreement.question)
            result[key] = str(disagreement.versions[index].answer.value)
    return result


def _same_state(parts: list[Part]) -> None:
    names = {" ".join(p.answers.state.split()).casefold() for p in parts}
    if len(names) > 1:
        listed = "; ".join(f"{p.answers.state} ({p.label})" for p in parts)
        raise InputError(f"these files assess different States, so they cannot be merged: "
                         f"{listed}")


def merge_parts(parts: list[Part], *, prefer: str | None = None,
                choose: Chooser | None = None) -> Merged:
    """One assessment from the parts; `merged.disagreements` lists what is still open."""
    if not parts:
        raise InputError("no answers file to merge")
    _same_state(parts)
    base = copy.deepcopy(parts[0].answers)
    merged = Merged(base)
    for part in parts[1:]:
        other = part.answers
        base.instruments += [i for i in other.instruments if i not in base.instruments]
        for name in ("formal_name", "assessor", "catalog_version"):
            if getattr(base, name) is None:
                setattr(base, name, getattr(other, name))
    dates = [p.answers.started for p in parts if p.answers.started]
    base.started = min(dates) if dates else base.started
    updated = [p.answers.updated for p in parts if p.answers.updated]
    base.updated = max(updated) if updated else base.updated
    base.party_status = _merge_mapping("party_status", parts, prefer, choose, merged)
    base.assignments = _merge_mapping("assignments", parts, prefer, choose, merged)
    given: dict[str, list[tuple[Part, Answer]]] = {}
    for part in parts:
        for qid, entry in part.answers.answers.items():
            given.setdefault(qid, []).append((part, entry))
    answers: dict[str, Answer] = {}
    for qid, entries in given.items():
        chosen = _merge_answer(qid, entries, prefer, choose, merged)
        if chosen is not None:
            answers[qid] = chosen
    base.answers = answers
    clearances: dict[str, dict[str, str]] = {}
    for part in parts:  # the latest sign-off of a section; a stale one voids itself
        for key, record in part.answers.clearances.items():
            if key not in clearances or str(record.get("date", "")) > str(
                    clearances[key].get("date", "")):
                clearances[key] = dict(record)
    base.clearances = clearances
    return merged
