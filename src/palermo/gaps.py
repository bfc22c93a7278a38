"""Gap analysis: answers in, a status per obligation out, with findings and measures.

Pure: no printing, no files. Wording comes from the catalog and questionnaires (Jinja2,
sandboxed); this module only decides which wording applies.
"""

from __future__ import annotations

from typing import Any

from palermo.answers import AnswersFile, normalised
from palermo.catalog import Catalog
from palermo.conditions import HIDDEN, UNKNOWN, evaluate, questions_in
from palermo.findingtext import answer_helpers, listing, missing_options
from palermo.model import (
    CATEGORIES,
    PRIORITY_LABELS,
    STRENGTHS,
    Advisory,
    AnswerView,
    GapAnalysis,
    Obligation,
    ObligationResult,
    Priority,
    Status,
)
from palermo.questionnaire import (
    ADVISORY_PRIORITIES,
    AdvisorySpec,
    Case,
    Narrowing,
    Question,
    QuestionBank,
    Rule,
)
from palermo.scope import AnswerState, Scope, scope_of
from palermo.signoff import report_clearances
from palermo.templating import render_string
from palermo.terms import TERMS

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
    citations: tuple[str, ...]
    if answer is None:
        shown, value, citations, note = "Not answered", None, (), None
    elif answer.skipped:
        shown, value, citations, note = "Skipped", None, (), None
    else:
        shown, value = question.label(answer.value), answer.value
        citations, note = tuple(answer.citations), answer.note
    return AnswerView(question.id, question.text, question.section_title, shown, value,
                      citations, note, answer.answered if answer is not None else None)


class _Verdict:
    """What the rules decide for one obligation, before the catalog's measures are added.

    Built up case by case, then read into an ObligationResult. A plain class: nothing
    compares or prints it, and a data class would compile its methods at every start.
    """

    __slots__ = ("status", "findings", "option", "measures", "advisories", "open_questions",
                 "may_not_apply")

    def __init__(self, status: Status, findings: list[str], *,
                 open_questions: list[str] | None = None) -> None:
        self.status = status
        self.findings = findings
        self.option: str | None = None
        self.measures: list[str] = []
        self.advisories: list[Advisory] = []
        self.open_questions = open_questions if open_questions is not None else []
        # not assessed, and the open questions could make it not applicable
        self.may_not_apply = False


def _least_severe(statuses: list[Status]) -> Status:
    return max(statuses, key=_SEVERITY.index)


def _worst(statuses: list[Status]) -> Status:
    return min(statuses, key=_SEVERITY.index)


def _established_gap(outcomes: list[Status]) -> Status | None:
    """The gap every possible outcome shares (its least severe form), or None.

    A defect is known when whatever the open questions turn out to be, the status is a gap;
    the status reported is then the least the answers so far establish.
    """
    if outcomes and all(s.is_gap for s in outcomes):
        return _least_severe(outcomes)
    return None


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
        self.helpers = answer_helpers(bank, self.values)
        # Indexes built once: every obligation asks which questions inform or narrow it.
        self.informs: dict[str, list[Question]] = {}
        self.narrowers: dict[str, list[Question]] = {}
        for question in bank.questions.values():
            for oid in question.obligations:
                self.informs.setdefault(oid, []).append(question)
            for term in question.narrows.terms if question.narrows is not None else ():
                self.narrowers.setdefault(term, []).append(question)
        self.obligation_data: dict[str, dict[str, Any]] = {}
        self.views: dict[str, AnswerView] = {}  # one per question: many obligations cite it

    @staticmethod
    def _plain(value: Any) -> Any:
        return None if value is HIDDEN or value is UNKNOWN else value

    def context(self, obligation: Obligation, **extra: Any) -> dict[str, Any]:
        return {"state": self.answers.state, "answers": self.values, "citations": self.citations,
                "obligation": self.obligation_dict(obligation), **self.helpers, **extra}

    def obligation_dict(self, obligation: Obligation) -> dict[str, Any]:
        if obligation.id not in self.obligation_data:
            self.obligation_data[obligation.id] = obligation.to_dict()
        return self.obligation_data[obligation.id]

    def view(self, question: Question) -> AnswerView:
        found = self.views.get(question.id)
        if found is None:
            found = self.views[question.id] = answer_view(question, self.answers)
        return found

    def narrowing(self, obligation: Obligation) -> list[Question]:
        found = [q for term in obligation.terms for q in self.narrowers.get(term, [])]
        return list({q.id: q for q in found}.values())

    def render(self, source: str, obligation: Obligation, where: str, **extra: Any) -> str:
        return render_string(source, self.context(obligation, **extra), where=where)

    def pending(self, questions: list[str]) -> list[str]:
        """Questions that apply (or may apply) and still need a usable answer."""
        return [qid for qid in dict.fromkeys(questions)
                if qid in self.scope.ids and self.state.value(qid) is UNKNOWN
                and self.state.visible(qid) is not False]

    def pending_in(self, cases: list[tuple[int, Case]]) -> list[str]:
        """The open questions of undecided cases; those the interview would ask now first
        (a follow-up whose own question is open is named only when nothing else is)."""
        waiting = self.pending([qid for _, case in cases for qid in case.reads])
        return [q for q in waiting if self.state.visible(q) is True] or waiting

    def not_assessed(self, obligation: Obligation, waiting: list[str]) -> _Verdict:
        if not waiting:
            return _Verdict(Status.NOT_ASSESSED, [
                f"No answer in this assessment decides {obligation.reference}."])
        # The questions in words (a reader has no use for their ids): "... to the question
        # “Has an authority been designated ...?”".
        quoted = [f"“{' '.join(self.bank.questions[qid].text.split())}”" for qid in waiting[:3]]
        more = f" and {len(waiting) - 3} more" if len(waiting) > 3 else ""
        names = (f"the question {quoted[0]}" if len(quoted) == 1
                 else f"these questions: {'; '.join(quoted)}{more}")
        unknown = [q for q in waiting
                   if (a := self.answers.answers.get(q)) is not None and a.value == "unknown"]
        lead = ("Information was not available on" if len(unknown) == len(waiting)
                else "The assessment still needs an answer to")
        end = "" if names.endswith(("?”", ".”", "!”")) else "."
        return _Verdict(Status.NOT_ASSESSED, [f"{lead} {names}{end}"],
                        open_questions=list(waiting))

    def undecided(self, obligation: Obligation, cases: list[tuple[int, Case]]) -> _Verdict:
        verdict = self.not_assessed(obligation, self.pending_in(cases))
        verdict.may_not_apply = any(c.status == "not_applicable" for _, c in cases)
        return verdict

    def advisory(self, spec: AdvisorySpec, obligation: Obligation, where: str,
                 extra: dict[str, Any]) -> Advisory:
        rank = ADVISORY_PRIORITIES[spec.priority]
        key = (rank, _CATEGORY_ORDER.index(obligation.category),
               STRENGTHS.index(obligation.strength))
        text = self.render(spec.text, obligation, f"{where}, advisory {spec.id}", **extra)
        return Advisory(text=text, priority=Priority(rank, PRIORITY_LABELS[rank], key),
                        basis=spec.basis, id=spec.id)

    def verdict(self, obligation: Obligation, rule: Rule, status: Status,
                cases: list[tuple[int, Case]], open_questions: list[str]) -> _Verdict:
        """The findings, measures and advisories of the cases that decide `status`."""
        result = _Verdict(status, [], open_questions=open_questions)
        seen: set[str] = set()
        for index, case in cases:
            where = f"{obligation.id} (rule case {index + 1} in {rule.source})"
            extra = {"status": status.label,
                     "missing": missing_options(self.bank, self.values, case.when)}
            result.findings.append(self.render(case.finding, obligation, where, **extra))
            if case.measure:
                result.measures.append(self.render(case.measure, obligation, where, **extra))
            for spec in case.advisories:
                if spec.id not in seen:
                    seen.add(spec.id)
                    result.advisories.append(self.advisory(spec, obligation, where, extra))
            result.option = result.option or case.option
        return result

    def by_rule(self, obligation: Obligation, rule: Rule) -> _Verdict:
        """First match: the first case that holds decides.

        A case lower in the list is taken while earlier cases are undecided only when every
        status those earlier cases could give is a gap too: the defect is then known whatever
        the open questions turn out to be, and the least severe of the possible statuses is
        reported, with the open questions.
        """
        if rule.combine == "all":
            return self.by_rule_all(obligation, rule)
        undecided: list[tuple[int, Case]] = []
        for index, case in enumerate(rule.cases):
            holds = True if case.when is None else evaluate(case.when, self.state.value)
            if holds is None:
                undecided.append((index, case))
            elif holds:
                if not undecided:
                    return self.verdict(obligation, rule, Status(case.status),
                                        [(index, case)], [])
                outcomes = [Status(c.status) for _, c in undecided] + [Status(case.status)]
                known = _established_gap(outcomes)
                if known is None:
                    break
                return self.verdict(obligation, rule, known, [(index, case)],
                                    self.pending_in(undecided))
        return self.undecided(obligation, undecided)

    def by_rule_all(self, obligation: Obligation, rule: Rule) -> _Verdict:
        """Every case that holds adds its finding; the worst status wins.

        A not_applicable case that holds decides alone: a duty whose trigger is absent has no
        defects. A defect that holds counts even while other cases are undecided: the status
        is then the worst of the cases that hold (the open ones can only make it worse), with
        the open questions, unless an open case could still make the duty not applicable.
        Met needs every case decided.
        """
        holding: list[tuple[int, Case]] = []
        undecided: list[tuple[int, Case]] = []
        fallback: tuple[int, Case] | None = None
        for index, case in enumerate(rule.cases):
            if case.when is None:
                fallback = fallback or (index, case)
                continue
            holds = evaluate(case.when, self.state.value)
            if holds is None:
                undecided.append((index, case))
            elif holds:
                holding.append((index, case))
        inapplicable = [(i, c) for i, c in holding if c.status == "not_applicable"]
        if inapplicable:
            return self.verdict(obligation, rule, Status.NOT_APPLICABLE, inapplicable, [])
        if undecided:
            known = _worst([Status(c.status) for _, c in holding]) if holding else None
            if (known is None or not known.is_gap
                    or any(c.status == "not_applicable" for _, c in undecided)):
                return self.undecided(obligation, undecided)
            return self.verdict(obligation, rule, known, holding, self.pending_in(undecided))
        if not holding:
            if fallback is None:
                return self.not_assessed(obligation, [])
            holding = [fallback]
        status = _worst([Status(c.status) for _, c in holding])
        return self.verdict(obligation, rule, status, holding, [])

    def by_default(self, obligation: Obligation, questions: list[Question]) -> _Verdict:
        """From the yes/partly/no questions that inform the obligation.

        All yes: met; all no: not met; a mix: partially met. A "partly" or "no" already given
        is a known defect while other questions are open: partially met (the least the
        answers establish), with the open questions.
        """
        tri = [q for q in questions if q.type == "yes_partly_no"]
        if not tri:
            return self.not_assessed(obligation, [])
        values = {q.id: self.state.value(q.id) for q in tri}
        shown = [q for q in tri if values[q.id] is not HIDDEN]
        if not shown:
            return _Verdict(Status.NOT_APPLICABLE,
                            [f"The questions on {obligation.reference} do not apply to "
                             f"{self.answers.state} on its answers."])
        waiting = [q.id for q in shown if values[q.id] is UNKNOWN]
        answered = [q for q in shown if values[q.id] is not UNKNOWN]
        given = [values[q.id] for q in answered]
        if waiting and all(v == "yes" for v in given):
            verdict = self.not_assessed(obligation, self.pending(waiting) or waiting)
            verdict.may_not_apply = any(self.state.visible(q) is None for q in waiting)
            return verdict
        if waiting:
            status = Status.PARTIALLY_MET
        elif all(v == "yes" for v in given):
            status = Status.MET
        elif all(v == "no" for v in given):
            status = Status.NOT_MET
        else:
            status = Status.PARTIALLY_MET
        verdict = _Verdict(status, [], open_questions=self.pending(waiting) or waiting)
        for q in answered:
            template = q.findings.get(values[q.id])
            if template:
                verdict.findings.append(self.render(template, obligation, f"{q.id} findings",
                                                    status=status.label))
            else:
                verdict.findings.append(f"{q.text} — {self.answers.state} answered: "
                                        f"{q.label(values[q.id])}.")
            for spec in q.advisories.get(values[q.id], ()):
                if all(a.id != spec.id for a in verdict.advisories):
                    verdict.advisories.append(self.advisory(
                        spec, obligation, f"{q.id} advisories", {"status": status.label}))
        return verdict

    def deciding_questions(self, obligation: Obligation) -> list[str]:
        """The questions its rule (or, without one, the default rule) reads."""
        ids = [q.id for q in self.informs.get(obligation.id, [])]
        rule = self.bank.rules.get(obligation.id)
        if rule:
            for case in rule.cases:
                ids.extend(case.reads)
        return ids

    def narrowed(self, obligation: Obligation, verdict: _Verdict) -> _Verdict:
        """Carry every answer that narrows a defined term this obligation uses.

        A narrowed term is a defect of each obligation whose elements use it, unless the
        obligation does not apply; while the narrowing question is open, met waits for it.
        """
        if not obligation.terms or verdict.status is Status.NOT_APPLICABLE:
            return verdict
        # A rule that reads the question has judged the narrowing itself; without a rule,
        # the default rule judges the yes/partly/no questions that list the obligation.
        rule = self.bank.rules.get(obligation.id)
        handled = ({qid for case in rule.cases for qid in case.reads}
                   if rule else {q.id for q in self.informs.get(obligation.id, [])})
        for question in self.narrowing(obligation):
            spec = question.narrows
            if spec is None or question.id in handled or question.id not in self.scope.ids:
                continue
            holds = evaluate(spec.when, self.state.value)
            if holds is None:
                waiting = self.pending([qid for qid, _ in questions_in(spec.when)])
                if verdict.status is Status.MET:
                    verdict = self.not_assessed(obligation, waiting)
                else:
                    verdict.open_questions.extend(
                        q for q in waiting if q not in verdict.open_questions)
            elif holds:
                verdict = self.add_narrowing(obligation, verdict, question.id, spec)
        return verdict

    def add_narrowing(self, obligation: Obligation, verdict: _Verdict, qid: str,
                      spec: Narrowing) -> _Verdict:
        defect = Status(spec.status)
        if verdict.status is Status.NOT_ASSESSED:
            if verdict.may_not_apply:
                return verdict
            verdict = _Verdict(defect, [], open_questions=verdict.open_questions)
        elif verdict.status is Status.MET:
            verdict.status = defect
        else:
            verdict.status = _worst([verdict.status, defect])
        where = f"{qid} narrows {', '.join(spec.terms)}"
        used = [t for t in spec.terms if t in obligation.terms]
        extra = {"status": verdict.status.label, "term": listing(TERMS[t] for t in used)}
        verdict.findings.append(self.render(spec.finding, obligation, where, **extra))
        if spec.measure:
            verdict.measures.append(self.render(spec.measure, obligation, where, **extra))
        return verdict

    def related_questions(self, obligation: Obligation) -> list[Question]:
        ids = self.deciding_questions(obligation)
        ids.extend(q.id for q in self.narrowing(obligation))
        return [self.bank.questions[qid] for qid in dict.fromkeys(ids)
                if qid in self.scope.ids and self.state.visible(qid) is not False]

    def result(self, obligation: Obligation) -> ObligationResult:
        rule = self.bank.rules.get(obligation.id)
        related = self.related_questions(obligation)
        if rule is not None:
            verdict = self.by_rule(obligation, rule)
        else:
            verdict = self.by_default(obligation, [q for q in self.informs.get(obligation.id, [])
                                                   if q.id in self.scope.ids])
        verdict = self.narrowed(obligation, verdict)
        status = verdict.status
        measures: list[str] = []
        if status.is_gap:
            measures.extend(verdict.measures)
            measures.append(self.render(obligation.recommended_measures, obligation,
                                        f"{obligation.id} recommended_measures",
                                        status=status.label, findings=verdict.findings))
        return ObligationResult(
            obligation=obligation, status=status, findings=tuple(verdict.findings),
            required_measures=tuple(measures),
            priority=priority_of(obligation) if status.is_gap else None, option=verdict.option,
            answers=tuple(self.view(q) for q in related),
            binding=self.answers.party(obligation.instrument) == "party",
            advisories=tuple(verdict.advisories),
            open_questions=tuple(verdict.open_questions))


def analyse(catalog: Catalog, bank: QuestionBank, answers: AnswersFile) -> GapAnalysis:
    """The status of every obligation in the assessment's scope, with findings and measures."""
    answers = normalised(answers, bank)  # "y" and "yes" give one verdict, however it is opened
    scope = scope_of(catalog, bank, answers.instruments)
    analyser = _Analyser(catalog, bank, answers, scope)
    results = tuple(analyser.result(ob) for ob in scope.obligations)
    shown = analyser.state.shown()
    views = tuple(analyser.view(q) for q in shown)
    instruments = tuple(scope.instruments)
    party = {i: answers.party(i) for i in instruments}
    for code in dict.fromkeys(o.instrument for o in scope.obligations):
        party.setdefault(code, answers.party(code))  # a convention a protocol pulls in
    cleared, drafts = report_clearances(answers, bank, scope)
    return GapAnalysis(
        state=answers.state, instruments=instruments, party_status=party,
        assessor=answers.assessor, started=answers.started, updated=answers.updated,
        catalog_version=catalog.version, answers_catalog_version=answers.catalog_version,
        results=results, answers=views, source=answers.path,
        catalog_instruments=tuple(catalog.declared.values()), formal_name=answers.formal_name,
        clearances=cleared, drafts=drafts)
