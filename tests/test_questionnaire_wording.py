"""Catalog and questionnaire wording that reports print: third person, legal reasons only."""

from __future__ import annotations

import re

from palermo.workspace import open_workspace

PERSONAL = re.compile(r"\b(your|yours|you|our|ours|we|us)\b", re.IGNORECASE)


def test_option_labels_speak_of_the_state_in_the_third_person() -> None:
    """A report prints the chosen option as the answer: "our own authorities" or "your State"
    would put the questionnaire's voice into a document signed by a ministry."""
    bank = open_workspace().bank
    found = [f"{q.id}: {label}" for q in bank.questions.values()
             for _, label in q.options if PERSONAL.search(label)]
    assert found == []
    assert bank.get("firearms.trafficking_authorization").label("own_state_only") == (
        "Only lack of a licence or authorization from the State's own authorities")


def test_strength_notes_give_the_legal_reason_not_the_catalog_history() -> None:
    """History ("classed qualified in catalog 1.0.0") belongs to the changelog."""
    catalog = open_workspace().catalog
    history = re.compile(r"\bcatalog(ued)? (since )?\d|\bsince \d+\.\d+|\bin \d+\.\d+\.\d+",
                         re.IGNORECASE)
    found = [o.id for o in catalog.obligations.values()
             if o.strength_note and history.search(o.strength_note)]
    assert found == []


# Verbs that opened measures addressed to the reader before catalog 1.1.2 ("Enact ...").
READER_VERBS = frozenset((
    "add", "adopt", "align", "allow", "amend", "build", "check", "complete", "consider",
    "define", "delete", "designate", "enact", "establish", "extend", "give", "include",
    "inform", "introduce", "make", "notify", "open", "provide", "redraft", "remove", "require",
    "review", "send", "set", "take"))
TAG = re.compile(r"\{%.*?%\}", re.DOTALL)
SENTENCE_END = re.compile(r"(?<=[.;])\s+")


def _sentence_openings(text: str) -> list[str]:
    """The first word of each sentence and clause, a Jinja tag ending one too."""
    flat = " ".join(TAG.sub(". ", text).split())
    return [part.strip(" .;").split()[0] for part in SENTENCE_END.split(flat)
            if part.strip(" .;")]


def test_measures_speak_of_the_state_in_the_third_person() -> None:
    """The action plan and the findings print each measure as written: "Meridia should
    introduce ..." in one row and "Introduce ..." in the next would mix the report's voice
    with instructions to its reader."""
    ws = open_workspace()
    measures = [(f"{o.id} recommended_measures", o.recommended_measures)
                for o in ws.catalog.obligations.values()]
    measures += [(f"{rule.obligation} case {n + 1}", case.measure)
                 for rule in ws.bank.rules.values()
                 for n, case in enumerate(rule.cases) if case.measure]
    measures += [(f"{q.id} narrows", q.narrows.measure)
                 for q in ws.bank.questions.values() if q.narrows and q.narrows.measure]
    assert len(measures) > 500
    found = [f"{where}: {word}" for where, text in measures
             for word in _sentence_openings(text) if word.lower() in READER_VERBS]
    assert found == []


def test_sentence_openings_see_every_branch_and_clause() -> None:
    text = "{% if missing %}Add {{ x }}.{% else %}{{ state }} should add; consider it.{% endif %}"
    assert _sentence_openings(text) == ["Add", "{{", "consider"]
