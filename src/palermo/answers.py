"""The answers file: one YAML file per assessment of one State, kept in git."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from palermo.errors import MAX_ERRORS, InputError, capped, closest, shown
from palermo.fsio import atomic_write
from palermo.questionnaire import Question, QuestionBank
from palermo.questiontypes import UNKNOWN_ANSWER, question_type
from palermo.schemacheck import check_schema, schema_errors, value_errors
from palermo.yamlio import Document, load_yaml

FORMAT_VERSION = 1


@dataclass
class Answer:
    """One answer of an answers file, with its citations, note, date and author."""

    value: Any = None           # str, list of str, or None when skipped
    citations: list[str] = field(default_factory=list)
    note: str | None = None
    skipped: bool = False
    answered: str | None = None  # date of the last change
    by: str | None = None        # the body that gave it (a ministry, a unit)

    @property
    def usable(self) -> bool:
        """An answer the rules can use: given, and not 'unknown'."""
        return self.value is not None and not self.skipped and self.value != UNKNOWN_ANSWER

    def to_dict(self) -> dict:
        data: dict[str, Any] = {}
        if self.skipped:
            data["skipped"] = True
        else:
            data["answer"] = self.value
        if self.citations:
            data["citations"] = list(self.citations)
        if self.note:
            data["note"] = self.note
        if self.by:
            data["by"] = self.by
        if self.answered:
            data["answered"] = self.answered
        return data


@dataclass
class AnswersFile:
    """An answers file: the State, the instruments assessed and every answer given."""

    state: str
    instruments: list[str]
    answers: dict[str, Answer] = field(default_factory=dict)
    party_status: dict[str, str] = field(default_factory=dict)
    assessor: str | None = None
    started: str | None = None
    updated: str | None = None
    catalog_version: str | None = None
    # Section key ('som.sea') -> the body that answers it; clearances by the focal point.
    assignments: dict[str, str] = field(default_factory=dict)
    clearances: dict[str, dict[str, str]] = field(default_factory=dict)
    path: str | None = None
    document: Document | None = field(default=None, repr=False, compare=False)
    formal_name: str | None = None   # "the Republic of Testland"; `state` is the short name

    def to_dict(self, order: list[str] | None = None) -> dict:
        """Plain data; answers in `order` (questionnaire order) first, then the rest by id."""
        data: dict[str, Any] = {"palermo": FORMAT_VERSION, "state": self.state}
        if self.formal_name:
            data["formal_name"] = self.formal_name
        data["instruments"] = list(self.instruments)  # as written
        if self.party_status:
            data["party_status"] = dict(self.party_status)
        for key in ("assessor", "started", "updated", "catalog_version"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        if self.assignments:
            data["assignments"] = dict(self.assignments)
        if self.clearances:
            data["clearances"] = {key: dict(value) for key, value in self.clearances.items()}
        rank = {qid: index for index, qid in enumerate(order or [])}
        ids = sorted(self.answers, key=lambda q: (rank.get(q, len(rank)), q))
        data["answers"] = {qid: self.answers[qid].to_dict() for qid in ids}
        return data

    def party(self, instrument: str) -> str:
        return self.party_status.get(instrument, "party")


def today() -> str:
    return dt.date.today().isoformat()


def new_answers(state: str, instruments: list[str], *, catalog_version: str,
                assessor: str | None = None, party_status: dict[str, str] | None = None,
                ) -> AnswersFile:
    if not state.strip():
        raise InputError("the State's name must not be empty")
    for label, field_name, value in (("the State's name", "state", state.strip()),
                                     ("the assessor", "assessor", assessor)):
        problems = value_errors(value, "answers", "properties", field_name) if value else []
        if problems:
            raise InputError(f"{label}: {problems[0]}")
    return AnswersFile(state=state.strip(), instruments=list(instruments),
                       party_status=dict(party_status or {}), assessor=assessor,
                       started=today(), updated=today(), catalog_version=catalog_version)


def answers_from_document(doc: Document) -> AnswersFile:
    """The answers of a document that passed the answers schema."""
    data = doc.data
    answers = {}
    for qid, entry in data["answers"].items():
        answers[qid] = Answer(value=entry.get("answer"), citations=list(entry.get("citations", [])),
                              note=entry.get("note"), skipped=bool(entry.get("skipped")),
                              answered=entry.get("answered"), by=entry.get("by"))
    return AnswersFile(
        state=data["state"], instruments=list(data["instruments"]), answers=answers,
        party_status=dict(data.get("party_status", {})), assessor=data.get("assessor"),
        started=data.get("started"), updated=data.get("updated"),
        catalog_version=data.get("catalog_version"),
        assignments=dict(data.get("assignments") or {}),
        clearances={k: dict(v) for k, v in (data.get("clearances") or {}).items()},
        path=doc.path, document=doc, formal_name=data.get("formal_name"))


def load_answers(path: str | Path) -> AnswersFile:
    """Read an answers file and check it against its schema (not yet against questions)."""
    doc = load_yaml(path)
    if not isinstance(doc.data, dict):
        raise doc.error("expected a mapping with state, instruments and answers")
    check_schema(doc, "answers")
    return answers_from_document(doc)


HEADER = "# palermo answers file: edit with `palermo assess` or by hand.\n"


def save_answers(answers: AnswersFile, path: str | Path, order: list[str] | None = None) -> None:
    """Write the file atomically, keys in a stable order, so git diffs stay small.

    An existing file is updated in place: its comments, key order and formatting stay as
    they were written (palermo.roundtrip); only what changed is rewritten. Interviews and
    commands that others may run at the same time save through palermo.store instead.
    """
    from palermo.roundtrip import render

    target = Path(path)
    try:
        previous: str | None = target.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        previous = None  # a new file, or one that cannot be read: palermo's own layout
    atomic_write(path, render(answers.to_dict(order), previous, HEADER))


def parse_value(question: Question, raw: Any) -> Any:
    """Turn what a user typed (or wrote in the file) into a valid answer value, or fail."""
    kind = question_type(question.type)
    if isinstance(raw, str):
        text = raw.strip()
    elif isinstance(raw, list) and kind.accepts_list:
        text = ""
    else:
        raise InputError(f"expected text, got {shown(raw)}", ident=question.id)
    if text.lower() in (UNKNOWN_ANSWER, "u", "?unknown"):
        return UNKNOWN_ANSWER
    return kind.parse(question, text, raw)


def check_answers(answers: AnswersFile, bank: QuestionBank) -> list[InputError]:
    """Every problem of an answers file against the questions: ids and values, located."""
    doc = answers.document
    problems: list[InputError] = []
    if doc is not None:
        problems.extend(schema_errors(doc, "answers"))
        if problems:
            return problems

    def located(message: str, path: list, ident: str, at_key: bool = False) -> InputError:
        if doc is not None:
            return doc.error(message, path, ident=ident, at_key=at_key)
        return InputError(message, path=answers.path, ident=ident)

    found = 0  # past MAX_ERRORS only counted: suggestions for 20,000 typos would take minutes
    for qid, answer in answers.answers.items():
        if qid in bank.retired:
            continue
        if found >= MAX_ERRORS:
            found += qid not in bank.questions or _bad_value(bank.questions[qid], answer)
            continue
        found += 1
        if qid not in bank.questions:
            hint = closest(qid, bank.questions)
            problems.append(located(
                "unknown question id" + (f" (did you mean: {', '.join(hint)}?)" if hint else ""),
                ["answers", qid], qid, at_key=True))
            continue
        if answer.skipped or answer.value is None:
            found -= 1
            continue
        try:
            parse_value(bank.questions[qid], answer.value)
        except InputError as exc:
            problems.append(located(exc.message, ["answers", qid, "answer"], qid))
        else:
            found -= 1
    return capped(problems, found)


def _bad_value(question: Question, answer: Answer) -> bool:
    if answer.skipped or answer.value is None:
        return False
    try:
        parse_value(question, answer.value)
    except InputError:
        return True
    return False


def normalised(answers: AnswersFile, bank: QuestionBank) -> AnswersFile:
    """A copy with every shorthand written out ("y" -> "yes", "1" -> the first option).

    Pure: the file read stays as it was. Values that do not parse are kept as they are
    (check_answers reports them), so a verdict never depends on how an answer was typed.
    """
    canonical: dict[str, Answer] = {}
    for qid, answer in answers.answers.items():
        question = bank.questions.get(qid)
        value = answer.value
        if question is not None and not answer.skipped and isinstance(value, (str, list)):
            with contextlib.suppress(InputError):  # check_answers reports it
                value = parse_value(question, value)
        canonical[qid] = answer if value == answer.value else replace(answer, value=value)
    return replace(answers, answers=canonical)


def set_answer(answers: AnswersFile, question: Question, raw: Any, *,
               citations: list[str] | None = None, note: str | None = None) -> Answer:
    """Record one answer (validated) and stamp the file as updated today."""
    value = parse_value(question, raw)
    previous = answers.answers.get(question.id)
    entry = Answer(value=value, citations=[c.strip() for c in citations or [] if c.strip()],
                   note=(note.strip() or None) if note else None, answered=today())
    if citations is None and previous is not None:
        entry.citations = previous.citations
    if note is None and previous is not None:
        entry.note = previous.note
    problems = value_errors(entry.to_dict(), "answers", "$defs", "answer")
    if problems:  # saved, the file would be refused when it is next read
        raise InputError(problems[0], ident=question.id)
    answers.answers[question.id] = entry
    answers.updated = today()
    return entry


def skip(answers: AnswersFile, question: Question) -> None:
    answers.answers[question.id] = Answer(skipped=True, answered=today())
    answers.updated = today()
