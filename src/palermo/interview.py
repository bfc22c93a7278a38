"""The interview: which question comes next, and recording answers as they are given.

The terminal side (prompts, colours) lives in cli.py; this module takes an `ask` and a `say`
function so that it can be driven by scripted input in tests. It saves after every answer,
so an interruption loses nothing, and a new run resumes at the first question without one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from palermo.answers import AnswersFile, save_answers, set_answer, skip
from palermo.errors import InputError
from palermo.questionnaire import Question
from palermo.questiontypes import question_type
from palermo.scope import AnswerState, scope_of
from palermo.workspace import Workspace

Ask = Callable[[str], str]   # shows a prompt, returns the line typed; raises on end of input
Say = Callable[[str], None]

COMMANDS_HELP = "Enter an answer, or: ? help · s skip · b back · q save and quit"


class Interview:
    def __init__(self, ws: Workspace, answers: AnswersFile, path: Path, *,
                 revisit_skipped: bool = False) -> None:
        self.ws = ws
        self.answers = answers
        self.path = path
        self.revisit_skipped = revisit_skipped
        self.state = AnswerState(scope_of(ws.catalog, ws.bank, answers.instruments), ws.bank,
                                 answers)
        self.order = [q.id for q in self.state.scope.questions]

    def _open(self, question: Question) -> bool:
        entry = self.answers.answers.get(question.id)
        return entry is None or (self.revisit_skipped and entry.skipped)

    def next_question(self) -> Question | None:
        self.state.forget()
        return next((q for q in self.state.shown() if self._open(q)), None)

    def position(self, question: Question) -> tuple[int, int]:
        """Place among the questions that apply or may still apply, as '12/57'."""
        possible = [q for q in self.state.scope.questions if self.state.visible(q.id) is not False]
        return possible.index(question) + 1, len(possible)

    def previous(self, question: Question) -> Question | None:
        shown = self.state.shown()
        index = shown.index(question)
        return shown[index - 1] if index > 0 else None

    def save(self) -> None:
        save_answers(self.answers, self.path, self.order)

    def run(self, ask: Ask, say: Say) -> bool:
        """Ask until every shown question has an entry or the user quits; True when complete."""
        forced: Question | None = None
        while True:
            question = forced or self.next_question()
            forced = None
            if question is None:
                return True
            outcome = self._ask_one(question, ask, say)
            if outcome == "quit":
                return False
            if outcome == "back":
                forced = self.previous(question)
                if forced is None:
                    say("This is the first question; there is nothing to go back to.")
                    forced = question

    def _ask_one(self, question: Question, ask: Ask, say: Say) -> str:
        self.state.forget()
        index, total = self.position(question)
        say("")
        say(f"{index}/{total} · {question.section_title}")
        say(f"[{question.id}] {question.text}")
        for number, (value, label) in enumerate(question.options, start=1):
            say(f"  {number}. {label} ({value})")
        current = self.answers.answers.get(question.id)
        if current is not None and not current.skipped:
            say(f"Current answer: {question.label(current.value)} (Enter keeps it)")
        prompt = question_type(question.type).prompt
        while True:
            raw = ask(prompt).strip()
            command = raw.lower()
            if command in ("?", "help", "h"):
                say(question.help.strip() if question.help else "No further help for this "
                    "question.")
                say(COMMANDS_HELP)
                continue
            if command in ("s", "skip"):
                skip(self.answers, question)
                self.save()
                return "skipped"
            if command in ("b", "back"):
                return "back"
            if command in ("q", "quit"):
                self.save()
                return "quit"
            if not raw and current is not None and not current.skipped:
                return "kept"
            if not raw:
                say(f"An answer is needed. {COMMANDS_HELP}")
                continue
            try:
                set_answer(self.answers, question, raw)
            except InputError as exc:
                say(f"{exc.message}. {COMMANDS_HELP}")
                continue
            self.save()
            break
        value = self.answers.answers[question.id].value
        if question.ask_citations and value in ("yes", "partly"):
            citations = []
            say("Cite the domestic provisions (e.g. 'Immigration Act 2007, s. 12(1)'), "
                "one per line; an empty line ends.")
            while True:
                line = ask("Citation").strip()
                if not line:
                    break
                citations.append(line)
                set_answer(self.answers, question, value, citations=citations)
                self.save()
        note = ask("Note (Enter for none)").strip()
        if note:
            set_answer(self.answers, question, value, note=note)
            self.save()
        return "answered"
