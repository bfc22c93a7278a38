"""The engine on the bundled catalog: the defect a skipped question once hid (issue of the
document offence, SOM art. 6(1)(b)), as a user meets it."""

from __future__ import annotations

from palermo.answers import Answer, AnswersFile
from palermo.gaps import analyse
from palermo.workspace import open_workspace


def _document_offence(definition: Answer) -> tuple:
    ws = open_workspace()
    file = AnswersFile(state="Meridia", instruments=["som"], answers={
        "som.document_offence": Answer("yes", citations=["Passports Act 2003, s. 9"]),
        "som.document_conduct": Answer(["producing"]),
        "som.document_requires_transnationality": Answer("no"),
        "som.document_requires_organized_group": Answer("no"),
        "som.document_definition": definition})
    result = next(r for r in analyse(ws.catalog, ws.bank, file).results
                  if r.obligation.id == "som.6.1.b")
    return result.status.value, result.open_questions, result


def test_a_skipped_definition_no_longer_hides_missing_acts():
    status, open_questions, result = _document_offence(Answer(skipped=True))
    assert status == "partially_met"
    assert open_questions[0] == "som.document_definition"
    assert result.incomplete and result.priority is not None
    assert result.priority.label == "High"
    assert any("producing, procuring, providing and possessing" in f or "procuring" in f
               for f in result.findings)


def test_unknown_definition_is_the_same_known_defect():
    status, open_questions, _ = _document_offence(Answer("unknown"))
    assert (status, open_questions[0]) == ("partially_met", "som.document_definition")


def test_answered_definition_is_no_longer_open():
    status, open_questions, result = _document_offence(Answer("yes"))
    assert status == "partially_met"
    assert "som.document_definition" not in open_questions


def test_a_narrow_firearm_definition_reaches_records_marking_licensing_and_security():
    """Firearms art. 3(a): every measure built on the definition, not only the offences."""
    from dataclasses import replace
    from pathlib import Path

    from palermo.answers import load_answers

    ws = open_workspace()
    arvenia = load_answers(Path(__file__).resolve().parents[1] / "examples" / "arvenia.yaml")
    before = {r.obligation.id: r for r in analyse(ws.catalog, ws.bank, arvenia).results}
    narrowed = replace(arvenia, answers={**arvenia.answers,
                                         "firearms.firearm_definition": Answer("partly")})
    after = {r.obligation.id: r for r in analyse(ws.catalog, ws.bank, narrowed).results}
    reached = ["firearms.5.1.c", "firearms.6.1", "firearms.7", "firearms.8.1.a",
               "firearms.10.1", "firearms.11.a"]
    for oid in reached:
        assert after[oid].status.is_gap, oid
        assert any("defines a firearm more narrowly than article 3(a)" in f
                   for f in after[oid].findings), oid
        if before[oid].status.value == "met":
            assert after[oid].status.value == "partially_met", oid
    # Obligations that do not rest on the definition keep their status.
    assert after["firearms.13.2"].status is before["firearms.13.2"].status
    assert after["untoc.5.1.b"].status is before["untoc.5.1.b"].status
