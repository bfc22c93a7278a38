"""Opening an assessment: the one way from an answers file to checked, normalised answers.

`open_assessment` reads the file, checks it against its schema, the catalog and the
questionnaires, and collects *every* problem before it refuses the file; what it returns
holds a normalised copy of the answers (shorthands written out), so the library, the CLI,
the batch and the interview reach the same verdict on the same file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from palermo import cache as usercache
from palermo.answers import AnswersFile, answers_from_document, normalised
from palermo.errors import InputError, error_count
from palermo.schemacheck import schema_errors, trust
from palermo.validate import validate_answers
from palermo.workspace import Workspace
from palermo.yamlio import load_yaml

if TYPE_CHECKING:
    from palermo.model import GapAnalysis


class AnswersFileProblems(InputError):
    """An answers file that cannot be used, with every problem found in it.

    Reads as its first problem (one line, located), followed by how many more there are.
    """

    def __init__(self, problems: Sequence[InputError]) -> None:
        self.problems = tuple(problems)
        first = self.problems[0]
        more = error_count(self.problems) - 1
        message = first.message + (f" (and {more} more problem{'s' if more > 1 else ''} "
                                   "in this file)" if more else "")
        super().__init__(message, path=first.path, line=first.line, column=first.column,
                         ident=first.ident)


class Assessment(NamedTuple):
    """A checked assessment: normalised answers, and what a user should be told about them."""

    workspace: Workspace
    answers: AnswersFile
    notes: tuple[str, ...] = ()     # the catalog moved on, answers to retired questions
    waiting: tuple[str, ...] = ()   # questions that apply and have no answer yet

    def analyse(self, *, remember: bool = False) -> GapAnalysis:
        """The gap analysis. With `remember`, it is kept in the user's cache for the next run
        on the same file and catalog (for one-file commands; a batch would only fill it)."""
        from palermo.gaps import analyse

        key = self._key() if remember else None
        if key is not None:
            from palermo.model import GapAnalysis

            found = usercache.load_object("analysis", key)
            if isinstance(found, GapAnalysis):
                return found
        result = analyse(self.workspace.catalog, self.workspace.bank, self.answers)
        if key is not None:
            usercache.store_object("analysis", key, result)
        return result

    def _key(self) -> str | None:
        doc = self.answers.document
        if self.workspace.key is None or doc is None or not doc.digest:
            return None
        return usercache.content_key("analysis", self.workspace.key, doc.digest,
                                     str(self.answers.path))


def check_assessment(ws: Workspace, path: str | Path) -> tuple[Assessment | None,
                                                               list[InputError]]:
    """The assessment and no problem, or no assessment and every problem found."""
    try:
        doc = load_yaml(path)
    except InputError as exc:   # unreadable, not YAML: nothing more can be checked
        return None, [exc]
    if not isinstance(doc.data, dict):
        return None, [doc.error("expected a mapping with state, instruments and answers")]
    # A text that passed before needs no schema check again (JSON Schema is the slow part).
    key = usercache.content_key("answers", doc.digest)
    known = usercache.read("answers", key) is not None
    if known:
        trust(doc, "answers")
    problems = schema_errors(doc, "answers")
    if problems:
        return None, list(problems)
    answers = answers_from_document(doc)
    report = validate_answers(ws, answers)
    if report.errors:
        return None, list(report.errors)
    if not known:  # only now: the file passed every check
        usercache.write("answers", key, b"")
    return Assessment(ws, normalised(answers, ws.bank), tuple(report.notes),
                      tuple(report.waiting)), []


def open_assessment(ws: Workspace, path: str | Path) -> Assessment:
    """Load, check and normalise an answers file; AnswersFileProblems lists every problem."""
    assessment, problems = check_assessment(ws, path)
    if assessment is None:
        raise AnswersFileProblems(problems)
    return assessment
