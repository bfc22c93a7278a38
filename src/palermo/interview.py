"""The interview: which question comes next, and recording answers as they are given.

The terminal side lives in palermo.cli; this module takes an `ask` and a `say` function so
that it can be driven by scripted input in tests. It saves after every answer (and after every
citation), so an interruption loses nothing, and a new run resumes at the first question
without one. Every prompt takes the same commands (COMMANDS); a backslash in front of a letter
types it as text.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from palermo.answers import Answer, AnswersFile, parse_value, skip, today
from palermo.conditions import questions_in
from palermo.errors import InputError, PalermoError
from palermo.layout import wrap
from palermo.progress import Progress, progress_of
from palermo.questionnaire import Question
from palermo.questiontypes import question_type
from palermo.scope import AnswerState, scope_of
from palermo.signoff import CLEARED, clearance_of, section_key
from palermo.store import AnswersStore, SaveConflict
from palermo.workspace import Workspace

Ask = Callable[[str], str]   # shows a prompt, returns the line typed; raises on end of input
Say = Callable[[str], None]

COMMANDS = ("At any prompt: ? help · s skip · b back · q save and quit · n note (type 'note' "
            "where n means No) · a backslash types a letter as text (\\b)")
COMMANDS_HELP = COMMANDS  # the name earlier versions exported

CITATION_PROMPT = "Citation (Enter when done)"
NOTE_PROMPT = "Note (Enter for none)"
_WORDS = {"?": "help", "help": "help", "h": "help", "s": "skip", "skip": "skip", "b": "back",
          "back": "back", "q": "quit", "quit": "quit", "note": "note"}


class _Quit(Exception):
    """q at any prompt: save and stop."""


class _Again(Exception):
    """b at a follow-up prompt, or a conflicting save: ask this question again."""


class Interview:
    def __init__(self, ws: Workspace, answers: AnswersFile, path: Path, *,
                 revisit_skipped: bool = False, sections: list[str] | None = None,
                 by: str | None = None, store: AnswersStore | None = None,
                 columns: int = 80) -> None:
        self.ws = ws
        self.answers = answers
        self.path = path
        self.revisit_skipped = revisit_skipped
        self.sections = set(sections) if sections is not None else None
        self.by = by
        self.columns = columns
        self.store = store if store is not None else AnswersStore(path)
        self.state = AnswerState(scope_of(ws.catalog, ws.bank, answers.instruments), ws.bank,
                                 answers)
        self.asked = 0
        self.unsaved: str | None = None   # why the last save failed, until one succeeds
        self._pending_note: str | None = None  # typed before the question had an answer
        self.order = [q.id for q in self.state.scope.questions]
        self.ask: Ask = input
        self.say: Say = print

    # --- which question -----------------------------------------------------------------

    def _in_scope(self, question: Question) -> bool:
        return self.sections is None or section_key(question) in self.sections

    def _open(self, question: Question) -> bool:
        entry = self.answers.answers.get(question.id)
        return entry is None or (self.revisit_skipped and entry.skipped)

    def shown(self) -> list[Question]:
        self.state.forget()
        gates = self.gates()
        return [q for q in self.state.shown() if self._in_scope(q) or q.id in gates]

    def gates(self) -> set[str]:
        """Questions of other sections that decide whether questions of ours apply.

        Answering only some sections (`--section`, `--as`), a question of another section
        that a condition of ours reads (a maritime profile, say) is asked too, while it has
        no answer; otherwise our questions could never show.
        """
        if self.sections is None:
            return set()
        found: set[str] = set()
        waiting = [q for q in self.state.scope.questions
                   if self._in_scope(q) and q.show_if and self.state.visible(q.id) is None]
        while waiting:
            question = waiting.pop()
            for qid, _ in questions_in(question.show_if or {}):
                gate = self.state.bank.questions.get(qid)
                if gate is None or qid in found or self._in_scope(gate):
                    continue
                if qid not in self.answers.answers:
                    found.add(qid)
                if gate.show_if and self.state.visible(qid) is None:
                    waiting.append(gate)
        return found

    def next_question(self) -> Question | None:
        return next((q for q in self.shown() if self._open(q)), None)

    def previous(self, question: Question) -> Question | None:
        rank = {qid: i for i, qid in enumerate(self.order)}
        before = [q for q in self.shown() if rank[q.id] < rank[question.id]]
        return before[-1] if before else None

    def progress(self) -> Progress:
        return progress_of(self.state, self.sections)

    # --- saving -------------------------------------------------------------------------

    def save(self) -> None:
        """Save now; what others changed meanwhile is merged, a clash raises _Again."""
        try:
            taken = self.store.save(self.answers, self.order)
        except SaveConflict as exc:
            self._say_wrapped(f"Not saved: {exc}")
            self.store.adopt(self.answers, [c.question for c in exc.clashes])
            self._say_wrapped("The file's answer is kept; the question is asked again.")
            raise _Again from None
        except PalermoError as exc:
            self.unsaved = str(exc)
            self._say_wrapped(f"Not saved: {exc}. Your answers are kept here and saved with "
                              "the next one once the file can be read again.")
            return
        self.unsaved = None
        if taken:
            self._say_wrapped("Taken from the file, changed meanwhile: " + ", ".join(taken))
        self.state.forget()

    # --- talking ------------------------------------------------------------------------

    def _say_wrapped(self, text: str, indent: str = "", hang: str | None = None) -> None:
        for line in wrap(text, self.columns, indent, hang):
            self.say(line)

    def _read(self, prompt: str, *, n_is_note: bool = True) -> tuple[str | None, str]:
        """(command or None, text) for one line typed."""
        text = self.ask(prompt).strip()
        if text.startswith("\\"):
            return None, text[1:].strip()
        word = text.lower()
        if word == "n" and n_is_note:
            return "note", text
        return _WORDS.get(word), text

    def _show(self, question: Question, current: Answer | None) -> None:
        self.say("")
        self.say(f"{self.progress().line()} · {question.section_title}")
        self._say_wrapped(f"[{question.id}] {question.text}")
        if not self._in_scope(question):
            self._say_wrapped(f"(Asked from {question.section_title} because it decides which "
                              "questions of your sections apply.)")
        for number, (value, label) in enumerate(question.options, start=1):
            self._say_wrapped(f"{number}. {label} ({value})", indent="  ", hang="     ")
        if current is not None:
            self._show_current(question, current)

    def _show_current(self, question: Question, current: Answer) -> None:
        self._say_wrapped(f"Current answer: {question.label(current.value)}"
                          + (f" (by {current.by})" if current.by else "") + " (Enter keeps it)")
        for citation in current.citations:
            self._say_wrapped(f"Citation: {citation}", indent="  ", hang="    ")
        if current.note:
            self._say_wrapped(f"Note: {current.note}", indent="  ", hang="    ")

    def _help(self, question: Question) -> None:
        self._say_wrapped(question.help.strip() if question.help else
                          "No further help for this question.")
        self._say_wrapped(COMMANDS)

    # --- one question -------------------------------------------------------------------

    def run(self, ask: Ask, say: Say) -> bool:
        """Ask until every shown question has an entry or the user quits; True when complete."""
        self.ask, self.say = ask, say
        forced: Question | None = None
        while True:
            question = forced or self.next_question()
            forced = None
            if question is None:
                return self.progress().complete
            outcome = self._ask_one(question)
            if outcome == "quit":
                return False
            if outcome == "again":
                forced = question
            if outcome == "back":
                forced = self.previous(question)
                if forced is None:
                    say("This is the first question; there is nothing to go back to.")
                    forced = question

    def _ask_one(self, question: Question) -> str:
        entry = self.answers.answers.get(question.id)
        current = entry if entry is not None and not entry.skipped else None
        self._show(question, current)
        try:
            return self._answer(question, current)
        except _Quit:
            self.save_quietly()
            return "quit"
        except _Again:
            return "again"

    def save_quietly(self) -> None:
        with contextlib.suppress(_Again):  # the clash is already told
            self.save()

    def _answer(self, question: Question, current: Answer | None) -> str:
        tri_state = question.type == "yes_partly_no"
        while True:
            command, text = self._read(question_type(question.type).prompt, n_is_note=not tri_state)
            if command == "help":
                self._help(question)
            elif command == "quit":
                raise _Quit
            elif command == "back":
                return "back"
            elif command == "skip":
                if current is not None:
                    self.say("Answer kept.")
                    return "kept"
                skip(self.answers, question)
                self.save()
                return "skipped"
            elif command == "note":
                self._note_command(question, current)
            elif not text:
                if current is not None:
                    return "kept"
                self._say_wrapped("An answer is needed (or s to skip, ? for help).")
            else:
                try:
                    value = parse_value(question, text)
                except InputError as exc:
                    self._say_wrapped(f"{exc.message}. Type ? for help.")
                    continue
                return self._record(question, current, value)

    def _note_command(self, question: Question, current: Answer | None) -> None:
        """`n`: write a note; on a question not answered yet it waits for the answer."""
        note = self._ask_note(question)
        if note is None:
            return
        if current is None:
            self._pending_note = note
            self.say("Noted; it is saved with the answer.")
            return
        current.note = note or None
        current.answered = today()
        self.answers.updated = today()
        self.save()
        self.say("Note saved.")

    def _ask_note(self, question: Question) -> str | None:
        command, text = self._read(NOTE_PROMPT, n_is_note=False)
        if command == "help":
            self._say_wrapped("A note is kept with the answer and shown in the report's annex "
                              "(e.g. 'Bill pending in Parliament'). Enter for none.")
            return self._ask_note(question)
        if command == "quit":
            raise _Quit
        if command == "back":
            raise _Again
        if command == "skip" or not text:
            return None
        return text

    def _record(self, question: Question, current: Answer | None, value: object) -> str:
        """Store a new or changed answer, then its citations and note."""
        key = section_key(question)
        cleared_before = clearance_of(self.answers, self.ws.bank, key).state == CLEARED
        if current is not None and value == current.value:
            if self._pending_note is not None:
                current.note, self._pending_note = self._pending_note, None
                self.save()
            return "kept"
        entry = Answer(value=value, answered=today(), by=self.by,
                       note=self._pending_note)
        self._pending_note = None
        self.answers.answers[question.id] = entry
        self.answers.updated = today()
        self.save()
        self.asked += 1
        if cleared_before and not clearance_of(self.answers, self.ws.bank, key).cleared:
            record = self.answers.clearances.get(key, {})
            self._say_wrapped(f"This change voids the clearance of {key} by "
                              f"{record.get('by')} ({record.get('date')}); the section is a "
                              "draft until it is signed off again.")
        asks_citations = question.ask_citations and value in ("yes", "partly")
        if current is not None and current.citations:
            self._say_wrapped("Citations of the earlier answer: " + "; ".join(current.citations))
            choice = self._keep_replace_clear("Citations")
            if choice == "keep":
                entry.citations = list(current.citations)
                self.save()
            asks_citations = choice == "replace"
        if asks_citations:
            self._ask_citations(question, entry)
        if current is not None and current.note and entry.note is None:
            self._say_wrapped(f"Note of the earlier answer: {current.note}")
            choice = self._keep_replace_clear("Note")
            if choice != "clear":
                entry.note = current.note if choice == "keep" else self._ask_note(question)
                self.save()
        return "answered"

    def _keep_replace_clear(self, what: str) -> str:
        while True:
            command, text = self._read(f"{what}: [k]eep, [r]eplace or [c]lear (Enter keeps)")
            if command == "help":
                self._say_wrapped(f"k keeps the {what.lower()} as they were, r gives new "
                                  f"ones, c removes them. {COMMANDS}")
                continue
            if command == "quit":
                raise _Quit
            if command == "back":
                raise _Again
            choice = {"": "keep", "k": "keep", "keep": "keep", "r": "replace",
                      "replace": "replace", "c": "clear", "clear": "clear"}.get(text.lower())
            if command == "skip":
                choice = "keep"
            if choice is not None:
                return choice
            self.say("Type k, r or c.")

    def _ask_citations(self, question: Question, entry: Answer) -> None:
        self._say_wrapped("Cite the domestic provisions (e.g. 'Immigration Act 2007, s. "
                          "12(1)'), one per line; an empty line ends.")
        while True:
            command, text = self._read(CITATION_PROMPT)
            if command == "help":
                self._say_wrapped("One provision per line: the act, its year and the section "
                                  f"(e.g. 'Penal Code 2015, s. 12(1)'). {COMMANDS}")
                continue
            if command == "quit":
                raise _Quit
            if command == "back":
                raise _Again
            if command == "note":
                note = self._ask_note(question)
                if note is not None:
                    entry.note = note
                    self.save()
                    self.say("Note saved.")
                continue
            if command == "skip" or not text:
                return
            if text not in entry.citations:
                entry.citations.append(text)
                self.save()

    def summary(self, columns: int = 80) -> list[str]:
        """What the interview leaves: skipped and open questions, named, one line each."""
        progress = self.progress()
        lines = []
        for label, found in (("skipped", progress.skipped), ("still open", progress.open)):
            if found:
                lines.append(f"{len(found)} question(s) {label}:")
                for q in found:
                    room = max(columns - len(q.id) - 4, 10)
                    text = q.text if len(q.text) <= room else q.text[:room - 1].rstrip() + "…"
                    lines.append(f"  {q.id}: {text}")
        return lines

