"""Helpers that finding, measure and advisory templates call to name what the answers show.

A finding should name the elements the answers identify as missing, and only those: a
trafficking offence whose purpose element lacks forced labour gets a finding that says
"forced labour or services", not the whole list of article 3(a). Templates are rendered in
the sandbox; these helpers only read answers and option labels.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from palermo.conditions import questions_in
from palermo.questionnaire import QuestionBank


def _chosen(value: Any) -> list[str]:
    if value is None or value == "unknown":
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _lower_first(text: str) -> str:
    """'Forced labour' -> 'forced labour'; an acronym ('UNTOC offences') is kept."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def listing(items: Iterable[str], conjunction: str = "and", lower: bool = False) -> str:
    """'a', 'a and b', 'a, b and c' (no serial comma, as in the treaty texts)."""
    words = [_lower_first(i) if lower else i for i in items]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def answer_helpers(bank: QuestionBank, values: dict[str, Any]) -> dict[str, Callable[..., Any]]:
    """The functions templates can call, bound to one assessment's answers.

    - selected(qid, among=None): labels of the options chosen (choice or multi_choice);
    - not_selected(qid, among=None): labels of the options not chosen, in questionnaire order,
      limited to the values in `among` when given (the options the treaty requires); empty
      while the question is unanswered, so a finding never guesses;
    - label(qid): the answer as a reader sees it ("Partly", "Slavery; Servitude");
    - listing(items, conjunction="and", lower=False): "a, b and c".
    """

    def options(qid: str, among: Iterable[str] | None) -> list[tuple[str, str]]:
        question = bank.get(qid)
        wanted = None if among is None else {str(a) for a in among}
        return [(v, label) for v, label in question.options
                if (wanted is None and v != "none") or (wanted is not None and v in wanted)]

    def selected(qid: str, among: Iterable[str] | None = None) -> list[str]:
        chosen = set(_chosen(values.get(qid)))
        return [label for v, label in options(qid, among) if v in chosen]

    def not_selected(qid: str, among: Iterable[str] | None = None) -> list[str]:
        if values.get(qid) in (None, "unknown"):
            return []
        chosen = set(_chosen(values.get(qid)))
        return [label for v, label in options(qid, among) if v not in chosen]

    def label(qid: str) -> str:
        return bank.get(qid).label(values.get(qid))

    return {"selected": selected, "not_selected": not_selected, "label": label,
            "listing": listing}


def missing_options(bank: QuestionBank, values: dict[str, Any], condition: dict | None
                    ) -> list[str]:
    """Labels of the values an `includes_all` test in a case's condition asks for and the
    answer lacks: the `missing` variable of that case's templates."""
    found: list[str] = []
    for qid, atom in questions_in(condition or {}):
        if "includes_all" not in atom or qid not in bank.questions:
            continue
        if values.get(qid) in (None, "unknown"):
            continue
        chosen = _chosen(values.get(qid))
        labels = dict(bank.questions[qid].options)
        found.extend(labels.get(v, v) for v in atom["includes_all"] if v not in chosen)
    return list(dict.fromkeys(found))
