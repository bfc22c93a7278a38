"""The small declarative condition language of questionnaires, evaluated in three values.

A condition is data (`{q: ID, is: V}`, `{all: [...]}`, ...), never code. Evaluation returns
True, False or None (unknown): a question that is unanswered or answered "unknown" is unknown;
a question hidden by its own `show_if`, or outside the assessment, counts as false.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

HIDDEN = object()   # the question does not apply
UNKNOWN = object()  # the question applies but has no usable answer yet

Lookup = Callable[[str], Any]  # question id -> value, HIDDEN or UNKNOWN


def _fold(values: Iterator[bool | None], decisive: bool) -> bool | None:
    """all (decisive False) or any (decisive True) in three values: one decisive value
    decides; otherwise an unknown one leaves the whole unknown."""
    result: bool | None = not decisive
    for value in values:
        if value is decisive:
            return decisive
        if value is None:
            result = None
    return result


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


_ATOMS: dict[str, Callable[[Any, Any], bool]] = {
    "is": lambda value, arg: value == arg,
    "in": lambda value, arg: value in arg,
    "includes": lambda value, arg: arg in _as_list(value),
    "includes_all": lambda value, arg: all(a in _as_list(value) for a in arg),
    "includes_any": lambda value, arg: any(a in _as_list(value) for a in arg),
}


def evaluate(condition: dict, lookup: Lookup) -> bool | None:
    """True, False or None (cannot be decided from the answers so far)."""
    if "all" in condition:
        return _fold((evaluate(c, lookup) for c in condition["all"]), decisive=False)
    if "any" in condition:
        return _fold((evaluate(c, lookup) for c in condition["any"]), decisive=True)
    if "not" in condition:
        inner = evaluate(condition["not"], lookup)
        return None if inner is None else not inner
    value = lookup(condition["q"])
    if "answered" in condition:
        return value is not HIDDEN and value is not UNKNOWN
    if value is HIDDEN:
        return False
    if value is UNKNOWN:
        return None
    for operator, test in _ATOMS.items():
        if operator in condition:
            return test(value, condition[operator])
    raise ValueError(f"unknown condition form: {condition!r}")  # the schema prevents this


def questions_in(condition: dict) -> Iterator[tuple[str, dict]]:
    """Every (question id, atom) a condition refers to."""
    if not condition:
        return
    for key in ("all", "any"):
        if key in condition:
            for inner in condition[key]:
                yield from questions_in(inner)
            return
    if "not" in condition:
        yield from questions_in(condition["not"])
        return
    yield condition["q"], condition


def compared_values(atom: dict) -> list[str]:
    """The answer values an atom compares against, to check them against the options."""
    for key in ("is", "includes"):
        if key in atom:
            return [atom[key]]
    for key in ("in", "includes_all", "includes_any"):
        if key in atom:
            return list(atom[key])
    return []
