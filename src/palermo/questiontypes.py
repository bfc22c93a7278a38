"""The question types: one table says what each type accepts, how it is parsed, asked and shown.

The questionnaire loader, the answers check (`answers.parse_value`), the interview's prompts,
the questionnaire schema and the format reference (docs/catalog-format.md) all follow
QUESTION_TYPES; a test keeps the schema and the docs in step with it. A new type is a row
here and, if it parses differently, a parse function.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from palermo.errors import InputError, shown

if TYPE_CHECKING:
    from palermo.questionnaire import Question

UNKNOWN_ANSWER = "unknown"
TRI_STATE = ("yes", "partly", "no")
TRI_STATE_LABELS = {"yes": "Yes", "partly": "Partly", "no": "No", "unknown": "Unknown"}
_TRI_SHORT = {"y": "yes", "p": "partly", "n": "no", "partially": "partly"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# (question, stripped text, raw value from the file or the prompt) -> canonical value
Parser = Callable[["Question", str, Any], Any]


class QuestionType(NamedTuple):
    """A kind of question: how it is asked, how its answers parse, what values it takes."""

    name: str
    summary: str                       # for the format reference
    prompt: str                        # what the interview asks
    parse: Parser
    fixed_values: tuple[str, ...] = () # values every question of the type takes
    has_options: bool = False          # values come from the question's `options`
    accepts_list: bool = False         # a YAML list is a valid answer in the file
    asks_citations: bool = False       # ask for domestic provisions by default

    def values(self, question: Question) -> tuple[str, ...]:
        """Valid answer values, 'unknown' included; empty for free answers."""
        if self.fixed_values:
            return (*self.fixed_values, UNKNOWN_ANSWER)
        if self.has_options:
            return (*(v for v, _ in question.options), UNKNOWN_ANSWER)
        return ()


def invalid(question: Question, text: str) -> InputError:
    return InputError(f"{shown(text)} is not a valid answer (expected one of: "
                      f"{', '.join(question.values)})", ident=question.id)


def _tri_state(question: Question, text: str, raw: Any) -> str:
    value = _TRI_SHORT.get(text.lower(), text.lower())
    if value not in question.values:
        raise invalid(question, text)
    return value


def _option(question: Question, text: str, raw: Any = None) -> str:
    values = [v for v, _ in question.options]
    if text.isdigit() and 1 <= int(text) <= len(values):
        return values[int(text) - 1]
    if text in values:
        return text
    for value, label in question.options:
        if text.lower() == label.lower():
            return value
    raise invalid(question, text)


def _options(question: Question, text: str, raw: Any) -> list[str] | str:
    """Several options; 'none' (no option applies) and 'unknown' only on their own."""
    items = raw if isinstance(raw, list) else [p for p in re.split(r"[,;]\s*", text) if p]
    items = [str(item).strip() for item in items]
    declared = [v for v, _ in question.options]
    values = []
    for item in items:
        if item.lower() in (UNKNOWN_ANSWER, "u"):
            values.append(UNKNOWN_ANSWER)
        elif item.lower() == "none" and "none" not in declared:
            values.append("none")
        else:
            values.append(_option(question, item))
    values = list(dict.fromkeys(values))
    alone = [v for v in ("none", UNKNOWN_ANSWER) if v in values]
    if alone and len(values) > 1:
        raise InputError(f"{shown(', '.join(items))} mixes '{alone[0]}' with other options; "
                         f"'{alone[0]}' stands alone (give it alone, or only the options that "
                         "apply)", ident=question.id)
    if values == [UNKNOWN_ANSWER]:
        return UNKNOWN_ANSWER
    if values == ["none"] and "none" not in declared:
        return []  # no "None of these" option: an empty list says the same
    return values


def _date(question: Question, text: str, raw: Any) -> str:
    if not _DATE.match(text):
        raise InputError(f"{shown(text)} is not a date (expected YYYY-MM-DD, or unknown)",
                         ident=question.id)
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{shown(text)} is not a real date (expected YYYY-MM-DD)",
                         ident=question.id) from None
    today = dt.date.today()
    if day > today:
        # Every date question asks when a notification was made: one cannot lie ahead.
        raise InputError(f"{shown(text)} is in the future (today is {today.isoformat()}): give "
                         "the date on which the notification was made, or unknown",
                         ident=question.id)
    return text


def _citations(question: Question, text: str, raw: Any) -> list[str]:
    items = raw if isinstance(raw, list) else [p.strip() for p in text.split(";")]
    items = [str(i).strip() for i in items if str(i).strip()]
    if not items:
        raise InputError("expected at least one citation of a domestic provision",
                         ident=question.id)
    return items


def _text(question: Question, text: str, raw: Any) -> str:
    if not text:
        raise InputError("expected some text (or 'unknown')", ident=question.id)
    return raw.strip() if isinstance(raw, str) else text


QUESTION_TYPES: dict[str, QuestionType] = {t.name: t for t in (
    QuestionType("yes_partly_no", "yes, partly or no (y, p, n), with the provisions cited",
                 "Answer [y]es/[p]artly/[n]o/[u]nknown", _tri_state,
                 fixed_values=TRI_STATE, asks_citations=True),
    QuestionType("choice", "one of the question's options (its value, label or number)",
                 "Choose a number or value", _option, has_options=True),
    QuestionType("multi_choice", "some of the question's options, or none",
                 "Choose numbers or values, separated by commas ('none' for none)", _options,
                 has_options=True, accepts_list=True),
    QuestionType("text", "free text", "Answer", _text),
    QuestionType("citations", "domestic provisions, separated by ';' or as a list",
                 "Provisions, separated by ';'", _citations, accepts_list=True),
    QuestionType("date", "a date, YYYY-MM-DD", "Date (YYYY-MM-DD)", _date),
)}


def question_type(name: str) -> QuestionType:
    return QUESTION_TYPES[name]
