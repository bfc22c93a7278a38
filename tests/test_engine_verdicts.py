"""Verdicts: known defects are never hidden, advisories sit beside the status, findings name
what the answers show. On a small fixed catalog (tests/fixtures/verdicts)."""

from __future__ import annotations

from pathlib import Path

import pytest

from palermo.answers import Answer, AnswersFile
from palermo.gaps import analyse
from palermo.model import ObligationResult, Status
from palermo.workspace import open_workspace

FIXTURE = Path(__file__).parent / "fixtures" / "verdicts"
FORMS = ["prostitution", "forced_labour", "slavery", "organs"]
MEANS = ["force", "deception", "vulnerability"]


@pytest.fixture(scope="module")
def ws():
    return open_workspace(FIXTURE / "obligations", FIXTURE / "questionnaires")


def results(ws, answers: dict, instruments=("tip",)) -> dict[str, ObligationResult]:
    """`None` as a value records a skipped question; "unknown" is the answer unknown."""
    file = AnswersFile(state="Arvenia", instruments=list(instruments), answers={
        k: Answer(value=None, skipped=True) if v is None else Answer(value=v)
        for k, v in answers.items()})
    return {r.obligation.id: r for r in analyse(ws.catalog, ws.bank, file).results}


def verdict(result: ObligationResult) -> tuple[str, tuple[str, ...]]:
    return result.status.value, result.open_questions


# --- combine: all -------------------------------------------------------------------------

def test_established_defect_with_a_skipped_question_is_shown(ws):
    """The issue's case: a defect the answers establish survives one skipped question."""
    result = results(ws, {"tip.offence": "yes", "tip.forms": ["prostitution", "slavery",
                                                              "organs"],
                          "tip.means": None, "tip.consent": "irrelevant"})["tip.5.1"]
    assert verdict(result) == ("partially_met", ("tip.means",))
    assert result.incomplete
    assert result.findings == (
        "The purpose element of Arvenia's offence does not cover forced labour or services.",)
    assert result.required_measures == (
        "Arvenia should add forced labour or services to the purpose element.",
        "Arvenia should criminalize trafficking in persons as defined in article 3.")
    assert result.priority is not None and result.priority.label == "High"


def test_unknown_counts_like_skipped(ws):
    result = results(ws, {"tip.offence": "yes", "tip.forms": FORMS, "tip.means": ["force"],
                          "tip.consent": "unknown"})["tip.5.1"]
    assert verdict(result) == ("partially_met", ("tip.consent",))
    assert result.findings == ("The offence lists only threat or use of force.",)


def test_met_needs_every_deciding_question(ws):
    result = results(ws, {"tip.offence": "yes", "tip.forms": FORMS, "tip.means": MEANS,
                          "tip.consent": None})["tip.5.1"]
    assert verdict(result) == ("not_assessed", ("tip.consent",))
    assert not result.incomplete
    assert result.findings == (
        "The assessment still needs an answer to the question “What does the law say about "
        "the victim's consent?”",)
    assert result.priority is None and result.required_measures == ()


def test_every_missing_element_is_named_and_only_those(ws):
    result = results(ws, {"tip.offence": "partly", "tip.forms": ["prostitution"],
                          "tip.means": ["force", "deception", "vulnerability"],
                          "tip.consent": "irrelevant"})["tip.5.1"]
    assert verdict(result) == ("partially_met", ())
    assert not result.incomplete
    assert result.findings == (
        "The purpose element of Arvenia's offence does not cover forced labour or services, "
        "slavery and removal of organs.",)


def test_no_offence_hides_the_follow_up_questions(ws):
    result = results(ws, {"tip.offence": "no"})["tip.5.1"]
    assert verdict(result) == ("not_met", ())


def test_combine_all_shared_question_left_open(ws):
    result = results(ws, {"untoc.legal_persons": "partly", "untoc.lp_sanctions": None}
                     )["untoc.10.1"]
    assert verdict(result) == ("partially_met", ("untoc.lp_sanctions",))
    assert result.findings == ("Liability covers some offences only.",)


# --- advisories ---------------------------------------------------------------------------

def test_advisory_on_a_met_result(ws):
    result = results(ws, {"tip.offence": "yes", "tip.forms": FORMS, "tip.means": MEANS,
                          "tip.consent": "silent"})["tip.5.1"]
    assert verdict(result) == ("met", ())
    assert result.required_measures == () and result.priority is None
    (advisory,) = result.advisories
    assert advisory.id == "tip.5.1.consent_clause"
    assert advisory.text == ("Arvenia could state expressly that the consent of a victim is "
                             "irrelevant where any of the means has been used (Met).")
    assert (advisory.priority.rank, advisory.priority.label) == (2, "Medium")
    assert advisory.basis == ("TIP art. 3(b)",
                              "UNODC Model Law against Trafficking in Persons (2009), art. 8")


def test_advisory_kept_beside_a_gap(ws):
    result = results(ws, {"tip.offence": "yes", "tip.forms": FORMS, "tip.means": ["force"],
                          "tip.consent": "silent"})["tip.5.1"]
    assert result.status.value == "partially_met"
    assert [a.id for a in result.advisories] == ["tip.5.1.consent_clause"]
    assert result.advisories[0].text.endswith("(Partially met).")
    # The advisory is a recommendation, never a required measure.
    assert all("consent" not in m for m in result.required_measures)


def test_no_advisory_when_its_case_does_not_hold(ws):
    result = results(ws, {"tip.offence": "yes", "tip.forms": FORMS, "tip.means": MEANS,
                          "tip.consent": "irrelevant"})["tip.5.1"]
    assert (result.status.value, result.advisories) == ("met", ())


# --- first match --------------------------------------------------------------------------

@pytest.mark.parametrize("answers, expected", [
    # An earlier undecided case could only make it worse: the defect is known.
    ({"tip.policy": None, "tip.research": "no"}, ("partially_met", ("tip.policy",))),
    ({"tip.policy": "unknown", "tip.research": "no"}, ("partially_met", ("tip.policy",))),
    # The fallback gap is taken once no earlier case could lead to met.
    ({"tip.policy": "partly", "tip.research": None}, ("partially_met", ("tip.research",))),
    # An earlier undecided case could still give met: nothing is established.
    ({"tip.policy": "yes", "tip.research": None}, ("not_assessed", ("tip.research",))),
    ({"tip.policy": "yes", "tip.research": "yes"}, ("met", ())),
    ({"tip.policy": "no", "tip.research": None}, ("not_met", ())),
    ({}, ("not_assessed", ("tip.policy", "tip.research"))),
])
def test_first_match_takes_a_lower_case_only_when_the_defect_is_certain(ws, answers, expected):
    assert verdict(results(ws, answers)["tip.9.1"]) == expected


def test_first_match_known_defect_reports_the_least_it_establishes(ws):
    result = results(ws, {"tip.policy": None, "tip.research": "no"})["tip.9.1"]
    assert result.findings == ("Arvenia supports no research or campaigns.",)
    assert result.required_measures == ("Fund research and campaigns.",
                                        "Arvenia should adopt a prevention policy.")


@pytest.mark.parametrize("answers, expected", [
    # The trigger (art. 7(1) measures) is unknown: not applicable is still possible.
    ({"tip.residence_measures": None}, ("not_assessed", ("tip.residence_measures",))),
    ({"tip.residence_measures": "no"}, ("not_applicable", ())),
    ({"tip.residence_measures": "yes", "tip.humanitarian": "no"}, ("not_met", ())),
    ({"tip.residence_measures": "yes", "tip.humanitarian": None},
     ("not_assessed", ("tip.humanitarian",))),
])
def test_conditional_duty_with_its_trigger_open_is_not_a_gap(ws, answers, expected):
    assert verdict(results(ws, answers)["tip.7.2"]) == expected


# --- default rule -------------------------------------------------------------------------

@pytest.mark.parametrize("answers, expected", [
    ({"tip.housing": "no", "tip.counselling": None},
     ("partially_met", ("tip.counselling",))),
    ({"tip.housing": "partly"}, ("partially_met", ("tip.counselling",))),
    ({"tip.housing": "yes", "tip.counselling": None}, ("not_assessed", ("tip.counselling",))),
    ({"tip.housing": "no", "tip.counselling": "no"}, ("not_met", ())),
    ({"tip.housing": "yes", "tip.counselling": "yes"}, ("met", ())),
])
def test_default_rule_known_defect(ws, answers, expected):
    assert verdict(results(ws, answers)["tip.6.3"]) == expected


def test_default_rule_findings_name_only_the_answers_given(ws):
    result = results(ws, {"tip.housing": "no", "tip.counselling": None})["tip.6.3"]
    assert result.findings == ("Arvenia provides no housing to victims.",)
    assert result.priority is not None and result.priority.label == "Low"


def test_incomplete_results_count_in_summary_and_action_plan(ws):
    file = AnswersFile(state="Arvenia", instruments=["tip"], answers={
        "tip.policy": Answer(skipped=True), "tip.research": Answer("no"),
        "tip.housing": Answer("no")})
    analysis = analyse(ws.catalog, ws.bank, file)
    assert analysis.counts()[Status.PARTIALLY_MET] == 2
    assert [r.obligation.id for r in analysis.gaps()] == ["tip.9.1", "tip.6.3"]
    assert [r.obligation.id for r in analysis.results if r.incomplete] == ["tip.6.3", "tip.9.1"]


# --- narrowed defined terms ---------------------------------------------------------------

NARROW = ("Arvenia's definition of “organized criminal group” (UNTOC art. 2(a)) is narrower "
          "than the Convention's, so this provision reaches fewer groups than it must "
          "(Partially met).")
ALIGN = "Arvenia should align its definition of an organized criminal group with article 2(a)."


def test_a_narrowed_term_reaches_every_obligation_that_uses_it(ws):
    found = results(ws, {"untoc.ocg_definition": "partly", "untoc.participation": "yes",
                         "untoc.legal_persons": "yes", "untoc.lp_sanctions": "yes"},
                    instruments=("untoc",))
    assert verdict(found["untoc.10.1"]) == ("partially_met", ())
    assert found["untoc.10.1"].findings == (
        "Legal persons are liable with adequate sanctions.", NARROW)
    assert found["untoc.10.1"].required_measures == (
        ALIGN, "Arvenia should provide for the liability of legal persons.")
    assert verdict(found["untoc.5.1.a.ii"]) == ("partially_met", ())
    assert found["untoc.5.1.a.ii"].findings[-1] == NARROW.replace(
        "“organized criminal group” (UNTOC art. 2(a))",
        "“organized criminal group” (UNTOC art. 2(a)) and “structured group” (UNTOC art. 2(c))")
    assert "untoc.ocg_definition" in [a.question_id for a in found["untoc.5.1.a.ii"].answers]


def test_a_narrowed_term_makes_a_gap_worse_never_better(ws):
    found = results(ws, {"untoc.ocg_definition": "no", "untoc.legal_persons": "no"},
                    instruments=("untoc",))
    assert verdict(found["untoc.10.1"]) == ("not_met", ())
    assert found["untoc.10.1"].findings[0] == "No liability of legal persons."


def test_a_narrowed_term_is_a_known_defect_while_the_rule_waits(ws):
    found = results(ws, {"untoc.ocg_definition": "partly", "untoc.legal_persons": None},
                    instruments=("untoc",))
    assert verdict(found["untoc.10.1"]) == ("partially_met", ("untoc.legal_persons",))
    assert found["untoc.10.1"].findings == (NARROW,)


def test_met_waits_for_an_open_narrowing_question(ws):
    found = results(ws, {"untoc.ocg_definition": None, "untoc.participation": "yes",
                         "untoc.legal_persons": "yes", "untoc.lp_sanctions": "yes"},
                    instruments=("untoc",))
    assert verdict(found["untoc.10.1"]) == ("not_assessed", ("untoc.ocg_definition",))
    assert verdict(found["untoc.5.1.a.ii"]) == ("not_assessed", ("untoc.ocg_definition",))


def test_a_broad_definition_changes_nothing(ws):
    found = results(ws, {"untoc.ocg_definition": "yes", "untoc.participation": "yes",
                         "untoc.legal_persons": "yes", "untoc.lp_sanctions": "yes"},
                    instruments=("untoc",))
    assert verdict(found["untoc.10.1"]) == ("met", ())
    assert found["untoc.10.1"].findings == ("Legal persons are liable with adequate sanctions.",)


# --- loader messages for the new keys -----------------------------------------------------

def _copy(tmp_path):
    import shutil

    target = tmp_path / "verdicts"
    shutil.copytree(FIXTURE, target)
    return target


def _load_error(folder) -> str:
    from palermo.errors import InputError

    with pytest.raises(InputError) as caught:
        open_workspace(folder / "obligations", folder / "questionnaires")
    return str(caught.value)


@pytest.mark.parametrize("old, new, message", [
    ("terms: [organized_criminal_group, structured_group]",
     "terms: [organised_criminal_group, structured_group]",
     "obligations/untoc.yaml:{line}:13: untoc.5.1.a.ii: unknown defined term "
     "'organised_criminal_group' (did you mean: organized_criminal_group?)"),
])
def test_unknown_term_in_the_catalog(tmp_path, old, new, message):
    folder = _copy(tmp_path)
    path = folder / "obligations" / "untoc.yaml"
    text = path.read_text()
    line = text[:text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new))
    assert _load_error(folder) == f"{folder}/" + message.format(line=line)


@pytest.mark.parametrize("old, new, message", [
    ("term: [organized_criminal_group, structured_group]", "term: [criminal_group]",
     "unknown defined term 'criminal_group' (did you mean: organized_criminal_group?)"),
    ('        finding: "Legal persons are liable',
     '        measure: Do more.\n        finding: "Legal persons are liable',
     "'measure' is a required measure: only for partially_met or not_met "
     "(put a recommendation under 'advisories')"),
    ("            priority: medium", "            priority: urgent",
     "'urgent' is not valid (expected one of: high, medium, low)"),
])
def test_bad_rule_keys(tmp_path, old, new, message):
    folder = _copy(tmp_path)
    for name in ("untoc.yaml", "tip.yaml"):
        path = folder / "questionnaires" / name
        text = path.read_text()
        if old in text:
            path.write_text(text.replace(old, new, 1))
    error = _load_error(folder)
    assert message in error
    assert error.startswith(f"{folder}/questionnaires/")


# --- not applicable in combine: all -------------------------------------------------------

@pytest.mark.parametrize("answers, expected, findings", [
    # The trigger is absent: no defect counts, whatever else was answered.
    ({"tip.border_controls": "no", "tip.border_checks": [], "tip.border_training": "no"},
     ("not_applicable", ()), ("Arvenia does not control borders of its own.",)),
    # The trigger is open: a defect that holds is not yet established.
    ({"tip.border_controls": None, "tip.border_checks": ["documents"],
      "tip.border_training": "yes"},
     ("not_assessed", ("tip.border_controls",)),
     ("The assessment still needs an answer to the question “Does the State control "
      "its own borders?”",)),
    ({"tip.border_controls": "yes", "tip.border_checks": ["documents"],
      "tip.border_training": None},
     ("partially_met", ("tip.border_training",)),
     ("Border checks do not look for indicators of trafficking.",)),
])
def test_not_applicable_decides_alone(ws, answers, expected, findings):
    result = results(ws, answers)["tip.11.1"]
    assert (verdict(result), result.findings) == (expected, findings)


def test_default_rule_advisories_follow_the_answer(ws):
    found = results(ws, {"tip.housing": "yes", "tip.counselling": "yes"})["tip.6.3"]
    assert found.status.value == "met"
    assert [(a.id, a.text, a.priority.label, a.basis) for a in found.advisories] == [
        ("tip.6.3.shelters", "Arvenia could open shelters run with non-governmental "
         "organizations (Met).", "Low", ("TIP art. 6(3)(a)",))]
    assert results(ws, {"tip.housing": "no", "tip.counselling": "yes"})["tip.6.3"] \
        .advisories == ()
