"""How far an assessment is: one count for the interview and for `palermo status`.

A question counts once it applies (its conditions hold on the answers given so far): answered
(an answer, 'unknown' included), skipped, or open (no entry yet). The totals move while
answers are given, as conditions show or hide questions; both places count the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from palermo.questionnaire import Question
from palermo.scope import AnswerState


@dataclass
class Tally:
    key: str                    # section key, 'som.sea'
    instrument: str
    title: str
    applying: int = 0
    answered: int = 0
    skipped: int = 0


@dataclass
class Progress:
    applying: list[Question] = field(default_factory=list)
    answered: list[Question] = field(default_factory=list)
    skipped: list[Question] = field(default_factory=list)
    open: list[Question] = field(default_factory=list)
    sections: dict[str, Tally] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not self.skipped and not self.open

    def line(self) -> str:
        """'12/57 answered' or '12/57 answered, 2 skipped'."""
        text = f"{len(self.answered)}/{len(self.applying)} answered"
        return text + (f", {len(self.skipped)} skipped" if self.skipped else "")


def progress_of(state: AnswerState, sections: set[str] | None = None) -> Progress:
    """Count the questions that apply, optionally only those of some sections."""
    state.forget()
    result = Progress()
    for question in state.shown():
        key = f"{question.instrument}.{question.section_id}"
        if sections is not None and key not in sections:
            continue
        tally = result.sections.setdefault(
            key, Tally(key, question.instrument, question.section_title))
        tally.applying += 1
        result.applying.append(question)
        entry = state.answers.answers.get(question.id)
        if entry is None:
            result.open.append(question)
        elif entry.skipped:
            tally.skipped += 1
            result.skipped.append(question)
        else:
            tally.answered += 1
            result.answered.append(question)
    return result
