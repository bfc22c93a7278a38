"""What an assessment covers: obligations and questions in scope, and which questions show.

Protocol offences are Convention offences (UNTOC art. 37; each Protocol's art. 1), so any
assessment of a protocol also covers the provisions of the convention it supplements (as
catalog.yaml declares) that are marked `applies_to_protocol_offences`.
"""

from typing import Any, NamedTuple

from palermo.answers import AnswersFile
from palermo.catalog import Catalog
from palermo.conditions import HIDDEN, UNKNOWN, evaluate
from palermo.errors import InputError
from palermo.model import Obligation
from palermo.questionnaire import Question, QuestionBank


class Scope(NamedTuple):
    """The instruments, obligations and questions one assessment covers."""

    instruments: tuple[str, ...]
    obligations: list[Obligation]
    questions: list[Question]      # in interview order
    ids: set[str]                  # the questions' ids


def scope_of(catalog: Catalog, bank: QuestionBank, instruments: list[str] | tuple[str, ...],
             ) -> Scope:
    for instrument in instruments:
        if instrument not in catalog.declared:
            raise InputError(f"instrument '{instrument}' is not in the catalog (expected one of: "
                             f"{', '.join(catalog.instruments)})")
    chosen = tuple(i for i in catalog.instruments if i in instruments)
    supplemented = {catalog.declared[i].supplements for i in chosen} - {None}
    obligations = [o for o in catalog.obligations.values()
                   if o.instrument in chosen
                   or (o.instrument in supplemented and o.applies_to_protocol_offences)]
    # The assessed instruments' own questionnaires first; shared convention questions close
    # a protocol-only interview rather than open it.
    order = list(chosen) + [i for i in catalog.instruments if i not in chosen]
    questions = []
    for instrument in order:
        for section in (s for s in bank.sections if s.instrument == instrument):
            for qid in section.question_ids:
                question = bank.questions[qid]
                if set(question.asked_for) & set(chosen):
                    questions.append(question)
    return Scope(chosen, obligations, questions, {q.id for q in questions})


class AnswerState:
    """Answers seen through the questionnaire: which questions show, which values count."""

    def __init__(self, scope: Scope, bank: QuestionBank, answers: AnswersFile) -> None:
        self.scope = scope
        self.bank = bank
        self.answers = answers
        self._visible: dict[str, bool | None] = {}

    def visible(self, qid: str) -> bool | None:
        """True: asked; False: does not apply; None: depends on an answer not yet given."""
        if qid in self._visible:
            return self._visible[qid]
        if qid not in self.scope.ids:
            result: bool | None = False
        else:
            condition = self.bank.questions[qid].show_if
            self._visible[qid] = False  # guards against a cycle the loader would have refused
            result = True if condition is None else evaluate(condition, self.value)
        self._visible[qid] = result
        return result

    def value(self, qid: str) -> Any:
        visible = self.visible(qid)
        if visible is False:
            return HIDDEN
        if visible is None:
            return UNKNOWN
        answer = self.answers.answers.get(qid)
        if answer is None or not answer.usable:
            return UNKNOWN
        return answer.value

    def forget(self) -> None:
        """Drop cached visibility after an answer changes."""
        self._visible.clear()

    def shown(self) -> list[Question]:
        return [q for q in self.scope.questions if self.visible(q.id) is True]
