"""Sections, who answers them, and the focal point's clearance of each.

A section is named `INSTRUMENT.SECTION` (`som.sea`): section ids are unique within one
questionnaire only. `assignments:` in the answers file gives sections to bodies (a ministry, an
authority); `clearances:` records the focal point's sign-off of a section with a fingerprint of
its answers, so that any later change to one of them (in an interview, by hand, by a merge)
voids the clearance without anyone having to remember to say so.
"""

from __future__ import annotations

import hashlib
import json
from typing import NamedTuple

from palermo.answers import AnswersFile, today
from palermo.errors import InputError, closest
from palermo.model import SectionClearance
from palermo.questionnaire import Question, QuestionBank, Section
from palermo.scope import Scope

CLEARED, VOID, UNCLEARED = "cleared", "void", "uncleared"


def section_key(item: Question | Section) -> str:
    return f"{item.instrument}.{item.section_id if isinstance(item, Question) else item.id}"


def section_keys(scope: Scope) -> list[str]:
    """The sections an assessment asks from, in interview order."""
    return list(dict.fromkeys(section_key(q) for q in scope.questions))


def resolve_section(scope: Scope, text: str) -> str:
    """A section key from 'som.sea' or, when one instrument has it, 'sea'."""
    wanted = text.strip().lower()
    keys = section_keys(scope)
    if wanted in keys:
        return wanted
    short = [k for k in keys if k.split(".", 1)[1] == wanted]
    if len(short) == 1:
        return short[0]
    if len(short) > 1:
        raise InputError(f"section '{text}' is in several instruments: give one of "
                         f"{', '.join(short)}")
    hint = closest(wanted, keys) or [k for k in keys
                                      if k.split(".", 1)[1] in closest(wanted, [
                                          k.split(".", 1)[1] for k in keys])]
    raise InputError(f"unknown section '{text}'" + (f" (did you mean: {', '.join(hint)}?)"
                     if hint else "") + f"; the sections are: {', '.join(keys)}")


def sections_for(answers: AnswersFile, body: str) -> list[str]:
    """The sections `assignments:` gives to a body (names compared without case)."""
    wanted = " ".join(body.split()).casefold()
    return [key for key, who in answers.assignments.items()
            if " ".join(str(who).split()).casefold() == wanted]


def check_assignments(answers: AnswersFile, scope: Scope) -> list[InputError]:
    """Every section named in `assignments:` and `clearances:` exists in the assessment."""
    known = set(section_keys(scope))
    problems = []
    for field in ("assignments", "clearances"):
        for key in getattr(answers, field):
            if key not in known:
                hint = closest(key, known)
                doc = answers.document
                message = (f"unknown section '{key}'" + (f" (did you mean: {', '.join(hint)}?)"
                           if hint else "") + " (sections are INSTRUMENT.SECTION, e.g. "
                           "som.criminalization; see `palermo status`)")
                problems.append(doc.error(message, [field, key], ident=key, at_key=True)
                                if doc is not None else
                                InputError(message, path=answers.path, ident=key))
    return problems


def fingerprint(answers: AnswersFile, bank: QuestionBank, key: str) -> str:
    """What the section's answers say (values, citations, notes), as a short digest."""
    instrument, _, section_id = key.partition(".")
    section = next((s for s in bank.sections if s.instrument == instrument
                    and s.id == section_id), None)
    ids = section.question_ids if section else ()
    content = []
    for qid in ids:
        entry = answers.answers.get(qid)
        if entry is not None:
            content.append([qid, "skipped" if entry.skipped else entry.value,
                            list(entry.citations), entry.note or ""])
    text = json.dumps(content, sort_keys=True, ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class Clearance(NamedTuple):
    """A section's clearance by the focal point: cleared, void or not yet cleared."""

    section: str
    state: str                  # cleared, void or uncleared
    by: str | None = None
    date: str | None = None

    @property
    def cleared(self) -> bool:
        return self.state == CLEARED

    def describe(self) -> str:
        if self.state == CLEARED:
            return f"cleared by {self.by}, {self.date}"
        if self.state == VOID:
            return f"draft: cleared by {self.by}, {self.date}, but an answer changed since"
        return "draft: not cleared"


def clearance_of(answers: AnswersFile, bank: QuestionBank, key: str) -> Clearance:
    record = answers.clearances.get(key)
    if not record:
        return Clearance(key, UNCLEARED)
    state = CLEARED if record.get("fingerprint") == fingerprint(answers, bank, key) else VOID
    return Clearance(key, state, record.get("by"), record.get("date"))


def clearances(answers: AnswersFile, scope: Scope, bank: QuestionBank,
               ) -> dict[str, Clearance]:
    """The clearance state of every section of the assessment, in interview order."""
    return {key: clearance_of(answers, bank, key) for key in section_keys(scope)}


def sign_off(answers: AnswersFile, bank: QuestionBank, key: str, by: str,
             date: str | None = None) -> Clearance:
    """Record the focal point's clearance of a section as its answers stand now."""
    name = " ".join(by.split())
    if not name:
        raise InputError("--by needs the name of the person or office clearing the section")
    answers.clearances[key] = {"by": name, "date": date or today(),
                               "fingerprint": fingerprint(answers, bank, key)}
    answers.updated = today()
    return clearance_of(answers, bank, key)


def deciding_questions(bank: QuestionBank, obligation_id: str) -> set[str]:
    """The questions whose answers decide an obligation's status: its rule and its informers."""
    ids = {q.id for q in bank.informing(obligation_id)}
    rule = bank.rules.get(obligation_id)
    if rule is not None:
        for case in rule.cases:
            ids.update(case.reads)
    return ids


def report_clearances(answers: AnswersFile, bank: QuestionBank, scope: Scope,
                      ) -> tuple[tuple[SectionClearance, ...], frozenset[str]]:
    """Every section's clearance, and the obligations a section not cleared decides.

    Empty for an assessment that uses neither `assignments:` nor `clearances:` (one drafter,
    no focal point): its reports carry no draft marks.
    """
    if not answers.assignments and not answers.clearances:
        return (), frozenset()
    titles = {section_key(q): q.section_title for q in scope.questions}
    states = clearances(answers, scope, bank)
    items = tuple(SectionClearance(key, titles[key], c.cleared, c.by, c.date, c.state == VOID)
                  for key, c in states.items())
    uncleared = {key for key, c in states.items() if not c.cleared}
    drafts = frozenset(
        ob.id for ob in scope.obligations
        if any(section_key(bank.questions[qid]) in uncleared
               for qid in deciding_questions(bank, ob.id) if qid in scope.ids))
    return items, drafts
