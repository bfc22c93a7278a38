"""Gap analysis: answers in, a status per obligation out, with findings and measures.

Pure: no printing, no files. Wording comes from the catalog and questionnaires (Jinja2,
sandboxed); this module only decides which wording applies.
"""

from __future__ import annotations

from typing import Any

from palermo.answers import AnswersFile
from palermo.catalog import Catalog
from palermo.conditions import HIDDEN, UNKNOWN, evaluate, questions_in
from palermo.model import (
    CATEGORIES,
    PRIORITY_LABELS,
    STRENGTHS,
    AnswerView,
    GapAnalysis,
    Obligation,
    ObligationResult,
    Priority,
    Status,
)
from palermo.questionnaire import Question, QuestionBank, Rule
from palermo.scope import AnswerState, Scope, scope_of
from palermo.templating import render_string

# Action-plan order inside one strength: offences first, then what other States wait for.
_CATEGORY_ORDER = ("criminalization", "notification", "protection", "prevention", "cooperation")
_STRENGTH_RANK = {"mandatory": 1, "qualified": 2, "consider": 3, "optional": 3}

# Worst first: which status wins when several defects hold at once.
_SEVERITY = (Status.NOT_MET, Status.PARTIALLY_MET, Status.MET, Status.NOT_APPLICABLE)

if set(_CATEGORY_ORDER) != set(CATEGORIES):  # a new category must get a place in action plans
    raise RuntimeError("gaps._CATEGORY_ORDER does not list every category")


def priority_of(obligation: Obligation) -> Priority:
    """High for mandatory gaps, medium for qualified, low for 'consider' and optional ones."""
    rank = _STRENGTH_RANK[obligation.strength]
    key = (rank, _CATEGORY_ORDER.index(obligation.category), STRENGTHS.index(obligation.strength))
    return Priority(rank=rank, label=PRIORITY_LABELS[rank], sort_key=key)


def answer_view(question: Question, answers: AnswersFile) -> AnswerView:
    answer = answers.answers.get(question.id)
    if answer is None:
        shown, value, citations, note = "Not answered", None, (), None
    elif answer.skipped:
        shown, value, citations, note = "Skipped", None, (), None
    else:
        shown, value = question.label(answer.value), answer.value
        citations, note = tuple(answer.citations), answer.note
    return AnswerView(question.id, question.text, question.section_title, shown, value,
                      citations, note)


class _Analyser:
    def __init__(self, catalog: Catalog, bank: QuestionBank, answers: AnswersFile,
                 scope: Scope) -> None:
        self.catalog = catalog
        self.bank = bank
        self.answers = answers
        self.scope = scope
        self.state = AnswerState(scope, bank, answers)
        self.values = {q.id: self._plain(self.state.value(q.id)) for q in scope.questions}
        self.citations = {qid: a.citations for qid, a in answers.answers.items()}

    @staticmethod
    def _plain(value: Any) -> Any:
        return None if value is HIDDEN or value is UNKNOWN else value

    def context(self, obligation: Obligation, **extra: Any) -> dict[str, Any]:
        return {"state": self.answers.state, "answers": self.values, "citations": self.citations,
                "obligation": obligation.to_dict(), **extra}

    def render(self, source: str, obligation: Obligation, where: str, **extra: Any) -> str:
        return render_string(source, self.context(obligation, **extra), where=where)

    def pending(self, questions: list[str]) -> list[str]:
        """Questions that apply (or may apply) and still need a usable answer."""
        return [qid for qid in dict.fromkeys(questions)
                if qid in self.scope.ids and self.state.value(qid) is UNKNOWN
                and self.state.visible(qid) is not False]

    def not_assessed(self, obligation: Obligation, waiting: list[str]) -> tuple:
        if not waiting:
            return Status.NOT_ASSESSED, [
                f"No answer in this assessment decides {obligation.reference}."], None, []
        names = "; ".join(f"{qid} ({self.bank.questions[qid].text})" for qid in waiting[:3])
        more = f" and {len(waiting) - 3} more" if len(waiting) > 3 else ""
        unknown = [q for q in waiting
                   if (a := self.answers.answers.get(q)) is not None and a.value == "unknown"]
        lead = ("Information was not available for" if len(unknown) == len(waiting)
                else "The assessment still needs an answer to")
        return Status.NOT_ASSESSED, [f"{lead}: {names}{more}."], None, []

    def by_rule(self, obligation: Obligation, rule: Rule) -> tuple:
        if rule.combine == "all":
            return self.by_rule_all(obligation, rule)
        for index, case in enumerate(rule.cases):
            holds = True if case.when is None else evaluate(case.when, self.state.value)
            if holds is None:
                waiting = self.pending([qid for qid, _ in questions_in(case.when or {})])
                return self.not_assessed(obligation, waiting)
            if holds:
                where = f"{obligation.id} (rule case {index + 1} in {rule.source})"
                status = Status(case.status)
                finding = self.render(case.finding, obligation, where, status=status.label)
                measures = ([self.render(case.measure, obligation, where, status=status.label)]
                            if case.measure else [])
                return status, [finding], case.option, measures
        return self.not_assessed(obligation, [])

    def by_rule_all(self, obligation: Obligation, rule: Rule) -> tuple:
        """Every case that holds adds its finding; the worst status wins."""
        holding, waiting, fallback = [], [], None
        for index, case in enumerate(rule.cases):
            if case.when is None:
                fallback = fallback or (index, case)
                continue
            holds = evaluate(case.when, self.state.value)
            if holds is None:
                waiting.extend(self.pending([qid for qid, _ in questions_in(case.when)]))
            elif holds:
                holding.append((index, case))
        if waiting:
            return self.not_assessed(obligation, list(dict.fromkeys(waiting)))
        if not holding:
            if fallback is None:
                return self.not_assessed(obligation, [])
            holding = [fallback]
        status = min((Status(c.status) for _, c in holding), key=_SEVERITY.index)
        findings, measures, option = [], [], None
        for index, case in holding:
            where = f"{obligation.id} (rule case {index + 1} in {rule.source})"
            findings.append(self.render(case.finding, obligation, where, status=status.label))
            if case.measure:
                measures.append(self.render(case.measure, obligation, where,
                                            status=status.label))
            option = option or case.option
        return status, findings, option, measures

    def by_default(self, obligation: Obligation, questions: list[Question]) -> tuple:
        tri = [q for q in questions if q.type == "yes_partly_no"]
        if not tri:
            return self.not_assessed(obligation, [])
        values = {q.id: self.state.value(q.id) for q in tri}
        shown = [q for q in tri if values[q.id] is not HIDDEN]
        if not shown:
            return (Status.NOT_APPLICABLE,
                    [f"The questions on {obligation.reference} do not apply to "
                     f"{self.answers.state} on its answers."], None, [])
        waiting = [q.id for q in shown if values[q.id] is UNKNOWN]
        if waiting:
            return self.not_assessed(obligation, self.pending(waiting) or waiting)
        given = [values[q.id] for q in shown]
        if all(v == "yes" for v in given):
            status = Status.MET
        elif all(v == "no" for v in given):
            status = Status.NOT_MET
        else:
            status = Status.PARTIALLY_MET
        findings = []
        for q in shown:
            template = q.findings.get(values[q.id])
            if template:
                findings.append(self.render(template, obligation, f"{q.id} findings",
                                            status=status.label))
            else:
                findings.append(f"{q.text} — {self.answers.state} answered: "
                                f"{q.label(values[q.id])}.")
        return status, findings, None, []

    def related_questions(self, obligation: Obligation) -> list[Question]:
        ids = [q.id for q in self.bank.informing(obligation.id)]
        rule = self.bank.rules.get(obligation.id)
        if rule:
            for case in rule.cases:
                ids.extend(qid for qid, _ in questions_in(case.when or {}))
        return [self.bank.questions[qid] for qid in dict.fromkeys(ids)
                if qid in self.scope.ids and self.state.visible(qid) is not False]

    def result(self, obligation: Obligation) -> ObligationResult:
        rule = self.bank.rules.get(obligation.id)
        related = self.related_questions(obligation)
        if rule is not None:
            status, findings, option, specific = self.by_rule(obligation, rule)
        else:
            status, findings, option, specific = self.by_default(
                obligation, [q for q in self.bank.informing(obligation.id)
                             if q.id in self.scope.ids])
        measures: list[str] = []
        if status.is_gap:
            measures.extend(specific or [])
            measures.append(self.render(obligation.recommended_measures, obligation,
                                        f"{obligation.id} recommended_measures",
                                        status=status.label, findings=findings))
        return ObligationResult(
            obligation=obligation, status=status, findings=tuple(findings),
            required_measures=tuple(measures),
            priority=priority_of(obligation) if status.is_gap else None, option=option,
            answers=tuple(answer_view(q, self.answers) for q in related),
            binding=self.answers.party(obligation.instrument) == "party")


def analyse(catalog: Catalog, bank: QuestionBank, answers: AnswersFile) -> GapAnalysis:
    """The status of every obligation in the assessment's scope, with findings and measures."""
    scope = scope_of(catalog, bank, answers.instruments)
    analyser = _Analyser(catalog, bank, answers, scope)
    results = tuple(analyser.result(ob) for ob in scope.obligations)
    shown = analyser.state.shown()
    views = tuple(answer_view(q, answers) for q in shown)
    instruments = tuple(scope.instruments)
    party = {i: answers.party(i) for i in instruments}
    for code in dict.fromkeys(o.instrument for o in scope.obligations):
        party.setdefault(code, answers.party(code))  # a convention a protocol pulls in
    return GapAnalysis(
        state=answers.state, instruments=instruments, party_status=party,
        assessor=answers.assessor, started=answers.started, updated=answers.updated,
        catalog_version=catalog.version, answers_catalog_version=answers.catalog_version,
        results=results, answers=views, source=answers.path,
        catalog_instruments=tuple(catalog.declared.values()))
