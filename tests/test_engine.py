"""The gap-analysis engine on a small fixed catalog: rules, defaults, scope, priorities."""

from __future__ import annotations

from pathlib import Path

import pytest

from palermo.answers import Answer, AnswersFile
from palermo.gaps import analyse
from palermo.scope import scope_of
from palermo.workspace import open_workspace

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture(scope="module")
def ws():
    return open_workspace(MINI / "obligations", MINI / "questionnaires")


def statuses(ws, answers: dict, instruments=("som",)) -> dict[str, str]:
    file = AnswersFile(state="Meridia", instruments=list(instruments),
                       answers={k: Answer(value=v) for k, v in answers.items()})
    return {r.obligation.id: r.status.value for r in analyse(ws.catalog, ws.bank, file).results}


def test_protocol_assessment_pulls_in_shared_untoc_provisions_only(ws):
    scope = scope_of(ws.catalog, ws.bank, ["som"])
    assert [o.id for o in scope.obligations] == ["untoc.10.1", "som.6.1.a", "som.8.6", "som.15.3"]
    assert [q.id for q in scope.questions] == [
        "som.offence", "som.purpose", "som.coast", "som.authority", "som.development",
        "untoc.legal_persons", "untoc.lp_sanctions"]


def test_nothing_answered_is_not_assessed(ws):
    assert set(statuses(ws, {}).values()) == {"not_assessed"}


@pytest.mark.parametrize("answers, expected", [
    ({"som.offence": "no"}, "not_met"),
    ({"som.offence": "yes", "som.purpose": "benefit"}, "met"),
    ({"som.offence": "yes", "som.purpose": "none"}, "partially_met"),
    ({"som.offence": "partly", "som.purpose": "benefit"}, "partially_met"),
    ({"som.offence": "yes"}, "not_assessed"),
    ({"som.offence": "yes", "som.purpose": "unknown"}, "not_assessed"),
    ({"som.offence": "unknown"}, "not_assessed"),
])
def test_rule_cases_in_order(ws, answers, expected):
    assert statuses(ws, answers)["som.6.1.a"] == expected


@pytest.mark.parametrize("answers, expected", [
    ({"som.coast": "no"}, "not_applicable"),
    ({"som.coast": "no", "som.authority": "none"}, "not_applicable"),
    ({"som.coast": "yes", "som.authority": "notified"}, "met"),
    ({"som.coast": "yes", "som.authority": "designated"}, "partially_met"),
    ({"som.coast": "yes", "som.authority": "none"}, "not_met"),
    ({"som.coast": "yes"}, "not_assessed"),
])
def test_hidden_questions_count_as_false(ws, answers, expected):
    assert statuses(ws, answers)["som.8.6"] == expected


@pytest.mark.parametrize("value, expected", [
    ("yes", "met"), ("partly", "partially_met"), ("no", "not_met"), ("unknown", "not_assessed"),
])
def test_default_rule_from_yes_partly_no(ws, value, expected):
    assert statuses(ws, {"som.development": value})["som.15.3"] == expected


def test_findings_measures_and_priority(ws):
    file = AnswersFile(state="Meridia", instruments=["som"], answers={
        "som.offence": Answer("yes", citations=["Immigration Act 2007, s. 12(1)"]),
        "som.purpose": Answer("none"), "som.development": Answer("partly"),
        "som.coast": Answer("yes")})
    analysis = analyse(ws.catalog, ws.bank, file)
    by_id = {r.obligation.id: r for r in analysis.results}
    smuggling = by_id["som.6.1.a"]
    assert smuggling.findings == ("The offence has no benefit element.",)
    assert smuggling.required_measures == (
        "Add the benefit element.",
        "Meridia should criminalize the smuggling of migrants (Partially met).")
    assert smuggling.priority.label == "High"
    assert [a.question_id for a in smuggling.answers] == ["som.offence", "som.purpose"]
    assert smuggling.answers[0].citations == ("Immigration Act 2007, s. 12(1)",)
    assert by_id["som.15.3"].findings == ("Meridia runs some programmes.",)
    assert by_id["som.15.3"].priority.label == "Medium"
    assert by_id["som.8.6"].findings == (
        "The assessment still needs an answer to the question “Has an authority been "
        "designated under article 8(6) and notified?”",)
    # Action plan: mandatory criminalization first, then qualified.
    assert [r.obligation.id for r in analysis.gaps()] == ["som.6.1.a", "som.15.3"]


def test_party_status_marks_obligations_not_yet_binding(ws):
    file = AnswersFile(state="Meridia", instruments=["som"], party_status={"som": "not_party"},
                       answers={})
    analysis = analyse(ws.catalog, ws.bank, file)
    binding = {r.obligation.id: r.binding for r in analysis.results}
    assert binding == {"untoc.10.1": True, "som.6.1.a": False, "som.8.6": False,
                       "som.15.3": False}


@pytest.mark.parametrize("answers, status, findings", [
    ({"untoc.legal_persons": "no"}, "not_met", ["No liability of legal persons."]),
    ({"untoc.legal_persons": "partly", "untoc.lp_sanctions": "no"}, "partially_met",
     ["Liability covers some offences only.", "Sanctions are too weak."]),
    ({"untoc.legal_persons": "yes", "untoc.lp_sanctions": "yes"}, "met",
     ["Legal persons are liable with adequate sanctions."]),
    ({"untoc.legal_persons": "yes"}, "not_assessed",
     ["The assessment still needs an answer to the question “Are the sanctions for legal "
      "persons effective, proportionate and dissuasive?”"]),
])
def test_combine_all_reports_every_defect(ws, answers, status, findings):
    file = AnswersFile(state="Meridia", instruments=["som"],
                       answers={k: Answer(value=v) for k, v in answers.items()})
    result = next(r for r in analyse(ws.catalog, ws.bank, file).results
                  if r.obligation.id == "untoc.10.1")
    assert (result.status.value, list(result.findings)) == (status, findings)
    if status == "partially_met":
        assert result.required_measures[:2] == ("Extend liability to every offence.",
                                                   "Raise the fines.")
