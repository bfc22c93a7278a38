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
