"""The Trafficking in Persons questionnaire's rules, defect by defect.

Each test starts from a State whose law complies on every point, introduces one classic
defect a legal expert looks for first (UNODC Legislative Guide and Model Law against
Trafficking in Persons), and checks the exact status of the obligations it touches, and that
no other obligation moves.
"""

from __future__ import annotations

import pytest
from rulekit import assert_defect, assert_real_answers, assess, status_map

from palermo.workspace import open_workspace

ALL_ACTS = ["recruitment", "transportation", "transfer", "harbouring", "receipt"]
ALL_MEANS = ["threat", "use_of_force", "other_coercion", "abduction", "fraud", "deception",
             "abuse_of_power", "abuse_of_vulnerability", "payments_to_controller"]
# The minimum list of art. 3(a); "other_forms" goes beyond it.
MINIMUM_EXPLOITATION = ["prostitution_of_others", "other_sexual_exploitation",
                        "forced_labour_services", "slavery", "practices_similar_to_slavery",
                        "servitude", "organ_removal"]


def without(items: list[str], *removed: str) -> list[str]:
    return [i for i in items if i not in removed]


# Questions asked "does the law DOES require X" are compliant when answered "no"; every other
# yes/partly/no question of the TIP questionnaire is compliant when answered "yes".
COMPLIANT = {
    "tip.dispute_settlement_reservation": "not_declared",
    "tip.offence_exists": "yes",
    "tip.victims_covered": "all_persons",
    "tip.acts_covered": ALL_ACTS,
    "tip.adult_means_element": "listed_means",
    "tip.means_covered": ALL_MEANS,
    "tip.exploitation_forms": [*MINIMUM_EXPLOITATION, "other_forms"],
    "tip.actual_exploitation_required": "no",
    "tip.requires_profit": "no",
    "tip.consent_rule": "irrelevant",
    "tip.child_requires_means": "no",
    "tip.child_age": "under_18",
    "tip.requires_border_crossing": "no",
    "tip.requires_transnationality": "no",
    "tip.requires_organized_group": "no",
    "tip.assistance_forms": ["housing", "counselling_information", "medical", "psychological",
                             "material", "employment_education_training"],
    "tip.compensation_routes": ["criminal_court_order", "civil_claim", "state_scheme",
                                "confiscated_assets"],
    "tip.residence_types": ["reflection_period", "temporary_permit", "permanent_permit"],
    "tip.residence_cooperation_only": "no",
    "tip.training_content": ["prevention_methods", "prosecution", "victim_protection",
                             "human_rights", "child_sensitive", "gender_sensitive",
                             "civil_society"],
}


@pytest.fixture(scope="module")
def ws():
    return open_workspace()


def tip_questions(ws):
    return [q for q in ws.bank.questions.values() if q.instrument == "tip"]


def statuses(ws, changes: dict | None = None) -> dict[str, str]:
    values = {q.id: "yes" for q in tip_questions(ws) if q.type == "yes_partly_no"}
    values.update(COMPLIANT)
    values.update(changes or {})
    return status_map(assess(ws, ["tip"], values))


@pytest.fixture(scope="module")
def baseline(ws):
    return statuses(ws)


def test_compliant_law_meets_every_tip_obligation(ws, baseline):
    tip_ids = {o.id for o in ws.catalog.obligations.values() if o.instrument == "tip"}
    assert tip_ids <= set(baseline)
    # Reserving on, or withdrawing from, the arbitration clause is a choice, never a gap.
    reservation = {"tip.15.3": "not_applicable", "tip.15.4": "not_applicable"}
    assert {k: v for k, v in baseline.items() if k in tip_ids and v != "met"} == reservation
    assert baseline["untoc.34.2"] == "met"


def test_baseline_answers_are_real_questions_and_options(ws):
    assert_real_answers(ws, COMPLIANT)


DEFECTS = [
    # --- The definition: act, means, purpose (art. 3(a)) ----------------------------------
    pytest.param({"tip.acts_covered": []}, {"tip.5.1": "partially_met"},
                 id="act-element-missing"),
    pytest.param({"tip.acts_covered": ["transportation"]}, {"tip.5.1": "partially_met"},
                 id="acts-only-transportation"),
    pytest.param({"tip.acts_covered": without(ALL_ACTS, "recruitment")},
                 {"tip.5.1": "partially_met"}, id="acts-no-recruitment"),
    pytest.param({"tip.means_covered": []}, {"tip.5.1": "partially_met"},
                 id="means-required-but-none-accepted"),
    pytest.param({"tip.means_covered": ["threat", "use_of_force"]},
                 {"tip.5.1": "partially_met"}, id="means-only-force-and-threat"),
    pytest.param({"tip.means_covered": without(ALL_MEANS, "abuse_of_vulnerability")},
                 {"tip.5.1": "partially_met"}, id="means-no-abuse-of-vulnerability"),
    # No means required even for adults: broader than the Protocol, allowed (UNTOC art. 34(3)).
    pytest.param({"tip.adult_means_element": "no_means"}, {"tip.5.1": "met"},
                 id="no-means-required-broader"),
    pytest.param({"tip.exploitation_forms": []}, {"tip.5.1": "partially_met"},
                 id="purpose-element-missing"),
    pytest.param({"tip.exploitation_forms": ["other_forms"]}, {"tip.5.1": "partially_met"},
                 id="purpose-none-of-the-minimum-forms"),
    pytest.param({"tip.offence_exists": "partly"}, {"tip.5.1": "partially_met"},
                 id="offence-partly"),
    pytest.param({"tip.offence_exists": "no"},
                 {"tip.5.1": "not_met", "tip.5.2.a": "not_met", "tip.5.2.b": "not_met",
                  "tip.5.2.c": "not_met",
                  # No offence to check against art. 34(2) in a TIP-only assessment.
                  "untoc.34.2": "not_applicable"}, id="no-offence"),
    pytest.param({"tip.victims_covered": "women_and_children"}, {"tip.5.1": "partially_met"},
                 id="victims-only-women-and-children"),
    pytest.param({"tip.actual_exploitation_required": "yes"}, {"tip.5.1": "partially_met"},
                 id="actual-exploitation-required"),
    pytest.param({"tip.requires_profit": "yes"}, {"tip.5.1": "partially_met"},
                 id="profit-required"),
    # --- Consent (art. 3(b)) -----------------------------------------------------------------
    # Silence on consent is no gap where a means must be proved: consent obtained by a means
    # does not defeat the charge (an express clause is an advisory, tests/cases).
    pytest.param({"tip.consent_rule": "silent"}, {"tip.5.1": "met"},
                 id="consent-silent"),
    pytest.param({"tip.consent_rule": "lack_of_consent_required"},
                 {"tip.5.1": "partially_met"}, id="consent-lack-of-consent-is-element"),
    pytest.param({"tip.consent_rule": "consent_defence"}, {"tip.5.1": "partially_met"},
                 id="consent-defence"),
    # --- Children (art. 3(c), (d)) -----------------------------------------------------------
    pytest.param({"tip.child_requires_means": "yes"}, {"tip.5.1": "partially_met"},
                 id="child-means-required"),
    pytest.param({"tip.child_requires_means": "partly"}, {"tip.5.1": "partially_met"},
                 id="child-means-required-for-some"),
    pytest.param({"tip.child_age": "lower_age"}, {"tip.5.1": "partially_met"},
                 id="child-below-18"),
    pytest.param({"tip.child_age": "not_defined"}, {"tip.5.1": "partially_met"},
                 id="child-not-defined"),
    # --- Exploitation narrower than art. 3(a) ------------------------------------------------
    pytest.param({"tip.exploitation_forms": without(MINIMUM_EXPLOITATION,
                                                    "forced_labour_services")},
                 {"tip.5.1": "partially_met"}, id="no-forced-labour"),
    pytest.param({"tip.exploitation_forms": without(MINIMUM_EXPLOITATION, "organ_removal")},
                 {"tip.5.1": "partially_met"}, id="no-organ-removal"),
    pytest.param({"tip.exploitation_forms": ["prostitution_of_others",
                                             "other_sexual_exploitation"]},
                 {"tip.5.1": "partially_met"}, id="sexual-exploitation-only"),
    # --- Elements the Protocol does not allow --------------------------------------------------
    pytest.param({"tip.requires_border_crossing": "yes"}, {"tip.5.1": "partially_met"},
                 id="border-crossing-required"),
    pytest.param({"tip.requires_transnationality": "yes"},
                 {"tip.5.1": "partially_met", "untoc.34.2": "not_met"},
                 id="transnationality-required"),
    pytest.param({"tip.requires_organized_group": "yes"},
                 {"tip.5.1": "partially_met", "untoc.34.2": "not_met"},
                 id="organized-group-required"),
    pytest.param({"tip.requires_organized_group": "partly"},
                 {"tip.5.1": "partially_met", "untoc.34.2": "partially_met"},
                 id="organized-group-required-for-some"),
    # --- Attempt, accomplices, organizing (art. 5(2)) ----------------------------------------
    pytest.param({"tip.attempt": "no", "tip.attempt_basic_concepts": "not_excluded"},
                 {"tip.5.2.a": "not_met"}, id="no-attempt"),
    pytest.param({"tip.attempt": "no", "tip.attempt_basic_concepts": "excluded"},
                 {"tip.5.2.a": "not_applicable"}, id="no-attempt-basic-concepts"),
    pytest.param({"tip.attempt": "partly"}, {"tip.5.2.a": "partially_met"},
                 id="attempt-partly"),
    pytest.param({"tip.accomplice": "no"}, {"tip.5.2.b": "not_met"}, id="no-accomplice"),
    pytest.param({"tip.accomplice": "partly"}, {"tip.5.2.b": "partially_met"},
                 id="accomplice-partly"),
    pytest.param({"tip.organizing_directing": "no"}, {"tip.5.2.c": "not_met"},
                 id="no-organizing-directing"),
    # --- Victims (art. 6) --------------------------------------------------------------------
    # Art. 6(3) is a duty to consider: never considered is a gap, considered and declined is not.
    pytest.param({"tip.victim_assistance": "no",
                  "tip.victim_assistance_considered": "not_considered"}, {"tip.6.3": "not_met"},
                 id="no-victim-assistance"),
    pytest.param({"tip.victim_assistance": "no",
                  "tip.victim_assistance_considered": "considered_declined"}, {"tip.6.3": "met"},
                 id="victim-assistance-considered-and-declined"),
    # No consideration on record: the duty is not shown to be discharged.
    pytest.param({"tip.victim_assistance": "no"}, {"tip.6.3": "not_met"},
                 id="victim-assistance-consideration-not-on-record"),
    pytest.param({"tip.assistance_forms": ["housing", "medical"]}, {"tip.6.3": "partially_met"},
                 id="assistance-incomplete"),
    pytest.param({"tip.identity_protection": "no"}, {"tip.6.1": "partially_met"},
                 id="no-identity-protection"),
    pytest.param({"tip.identity_protection": "no", "tip.confidential_proceedings": "no"},
                 {"tip.6.1": "not_met"}, id="no-identity-protection-no-confidentiality"),
    pytest.param({"tip.victim_information": "no"}, {"tip.6.2.a": "not_met"},
                 id="no-information-on-proceedings"),
    pytest.param({"tip.compensation_routes": []}, {"tip.6.6": "not_met"},
                 id="no-compensation"),
    pytest.param({"tip.compensation_all_victims": "no"}, {"tip.6.6": "partially_met"},
                 id="compensation-not-for-all-victims"),
    # --- Residence (art. 7) ------------------------------------------------------------------
    # No art. 7(1) measures: 7(2) has nothing to apply to; 7(1) turns on consideration.
    pytest.param({"tip.residence_possible": "no", "tip.residence_considered": "not_considered"},
                 {"tip.7.1": "not_met", "tip.7.2": "not_applicable"}, id="no-residence"),
    pytest.param({"tip.residence_possible": "no",
                  "tip.residence_considered": "considered_declined"},
                 {"tip.7.1": "met", "tip.7.2": "not_applicable"},
                 id="no-residence-considered-and-declined"),
    # A reflection period permits victims to remain temporarily: article 7(1) asks no more than
    # that such measures be considered; a residence permit is an advisory.
    pytest.param({"tip.residence_types": ["reflection_period"]}, {"tip.7.1": "met"},
                 id="reflection-period-only"),
    pytest.param({"tip.residence_humanitarian": "no"}, {"tip.7.2": "not_met"},
                 id="no-humanitarian-factors"),
    # Art. 7 does not forbid linking residence to cooperation: an advisory, not a gap.
    pytest.param({"tip.residence_cooperation_only": "yes"}, {"tip.7.2": "met"},
                 id="residence-only-for-cooperation"),
    # --- Repatriation (art. 8) ---------------------------------------------------------------
    pytest.param({"tip.accept_return": "no"}, {"tip.8.1": "not_met"},
                 id="no-acceptance-of-own-nationals"),
    pytest.param({"tip.return_safety": "no"}, {"tip.8.2": "not_met"},
                 id="return-without-safety"),
    pytest.param({"tip.return_safety": "partly"}, {"tip.8.2": "partially_met"},
                 id="return-safety-partly"),
    pytest.param({"tip.return_proceedings": "no"}, {"tip.8.2": "partially_met"},
                 id="return-ignores-proceedings"),
    # "Shall preferably be voluntary" is a preference: an advisory, not a gap.
    pytest.param({"tip.return_voluntary": "no"}, {"tip.8.2": "met"},
                 id="return-not-preferably-voluntary"),
    pytest.param({"tip.nationality_verification": "no"}, {"tip.8.3": "not_met"},
                 id="no-nationality-verification"),
    pytest.param({"tip.return_travel_documents": "no"}, {"tip.8.4": "not_met"},
                 id="no-travel-documents"),
]


@pytest.mark.parametrize("defect, expected", DEFECTS)
def test_classic_defects(ws, baseline, defect, expected):
    assert_defect(statuses(ws, defect), baseline, expected)


def test_consent_silence_is_no_gap_when_no_means_is_required(ws):
    # Art. 3(b) speaks of consent "where any of the means ... have been used"; with no means
    # element at all, silence on consent does not by itself narrow the offence.
    assert statuses(ws, {"tip.adult_means_element": "no_means",
                         "tip.consent_rule": "silent"})["tip.5.1"] == "met"
    assert statuses(ws, {"tip.adult_means_element": "no_means",
                         "tip.consent_rule": "consent_defence"})["tip.5.1"] == "partially_met"


def test_child_questions_follow_the_means_element(ws):
    # With no means required for anyone, the child-specific questions do not apply: the
    # offence already covers children without proof of means.
    result = statuses(ws, {"tip.adult_means_element": "no_means",
                           "tip.child_requires_means": "yes", "tip.child_age": "lower_age"})
    assert result["tip.5.1"] == "met"


def test_transnationality_requirement_breaks_untoc_34_2(ws, baseline):
    assert baseline["untoc.34.2"] == "met"
    assert statuses(ws, {"tip.requires_transnationality": "yes"})["untoc.34.2"] == "not_met"
    assert statuses(ws, {"tip.requires_transnationality": "partly"})["untoc.34.2"] == \
        "partially_met"
