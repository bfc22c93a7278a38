"""The Smuggling of Migrants questionnaire's rules, defect by defect.

Each test starts from a State whose law complies on every point, introduces one classic
defect described in the UNODC guidance, and checks the exact status that follows.
"""

from __future__ import annotations

import pytest
from rulekit import assert_defect, assess, status_map

from palermo.workspace import open_workspace

COMPLIANT = {
    "som.dispute_settlement_reservation": "not_declared",
    "som.maritime_profile": "coast_and_registry",
    "som.smuggling_offence": "yes", "som.smuggling_other_states": "yes",
    "som.benefit_element": "benefit_required",
    "som.requires_transnationality": "no", "som.requires_organized_group": "no",
    "som.document_requires_transnationality": "no", "som.document_requires_organized_group": "no",
    "som.stay_requires_transnationality": "no", "som.stay_requires_organized_group": "no",
    "som.document_offence": "yes",
    "som.document_conduct": ["producing", "procuring", "providing", "possessing"],
    "som.document_definition": "yes",
    "som.illegal_stay_offence": "yes", "som.illegal_stay_benefit": "benefit_required",
    "som.attempt": "yes",
    "som.accomplice_scope": ["smuggling", "document_production", "document_procuring_possessing",
                             "illegal_stay"],
    "som.organizing": "yes",
    "som.aggravating_circumstances": ["endangerment", "inhuman_treatment"],
    "som.aggravation_risk": "yes", "som.aggravation_scope": "yes",
    "som.aggravation_form": "aggravated_offence",
    "som.migrant_liability": "express_exemption",
    "som.sea_authority": "designated_notified",
    "som.sea_safeguards": ["safety_humane", "vessel_security", "flag_state_interests",
                           "environment", "coastal_flag_jurisdiction", "government_vessels_only"],
    "som.training_topics": ["document_security", "fraud_detection", "criminal_intelligence",
                            "detection_entry_points", "humane_treatment"],
    "som.technical_assistance": "provides",
}


@pytest.fixture(scope="module")
def ws():
    return open_workspace()


def som_questions(ws):
    return [q for q in ws.bank.questions.values() if q.instrument == "som"]


def statuses(ws, changes: dict | None = None) -> dict[str, str]:
    values = {q.id: "yes" for q in som_questions(ws) if q.type == "yes_partly_no"}
    values.update(COMPLIANT)
    values.update(changes or {})
    return status_map(assess(ws, ["som"], values))


def test_compliant_law_meets_every_som_obligation(ws):
    result = statuses(ws)
    # Reserving on, or withdrawing from, the arbitration clause is a choice, never a gap.
    reservation = {"som.20.3": "not_applicable", "som.20.4": "not_applicable"}
    assert {k: v for k, v in result.items() if k.startswith("som.") and v != "met"} == reservation


@pytest.mark.parametrize("defect, expected", [
    # No benefit element: broader than article 6(1)(a), so met (art. 6(4); UNTOC art. 34(3));
    # the missing safeguard for humanitarian and family helpers is an advisory, not a gap.
    ({"som.benefit_element": "no_purpose", "som.humanitarian_exemption": "no"},
     {"som.6.1.a": "met"}),
    ({"som.benefit_element": "no_purpose", "som.humanitarian_exemption": "yes"},
     {"som.6.1.a": "met"}),
    ({"som.illegal_stay_benefit": "neither"}, {"som.6.1.c": "met"}),
    # A benefit element narrower than "directly or indirectly, a financial or other material
    # benefit" leaves smugglers out.
    ({"som.benefit_element": "benefit_money_only"}, {"som.6.1.a": "partially_met"}),
    ({"som.benefit_element": "benefit_received_only"}, {"som.6.1.a": "partially_met"}),
    ({"som.benefit_element": "benefit_direct_only"}, {"som.6.1.a": "partially_met"}),
    ({"som.illegal_stay_benefit": "benefit_money_only"}, {"som.6.1.c": "partially_met"}),
    # Transnationality or an organized criminal group required (UNTOC art. 34(2)), per offence.
    ({"som.requires_transnationality": "yes"}, {"som.6.1.a": "partially_met",
                                                "untoc.34.2": "not_met"}),
    ({"som.requires_organized_group": "yes"}, {"som.6.1.a": "partially_met",
                                               "untoc.34.2": "not_met"}),
    ({"som.document_requires_organized_group": "yes"}, {"som.6.1.b": "partially_met",
                                                        "untoc.34.2": "not_met"}),
    ({"som.stay_requires_transnationality": "partly"}, {"som.6.1.c": "partially_met",
                                                        "untoc.34.2": "partially_met"}),
    # Migrants liable to prosecution for having been smuggled (art. 5).
    ({"som.migrant_liability": "liable"}, {"som.5": "not_met"}),
    # Aggravating circumstances (art. 6(3)): both, for risk, for lives or safety, in a form
    # that binds the court (an aggravated offence and a sentencing factor both comply).
    ({"som.aggravating_circumstances": ["endangerment"]}, {"som.6.3": "partially_met"}),
    ({"som.aggravating_circumstances": ["inhuman_treatment"]}, {"som.6.3": "partially_met"}),
    ({"som.aggravating_circumstances": []}, {"som.6.3": "not_met"}),
    ({"som.aggravation_lives_safety": "no"}, {"som.6.3": "partially_met"}),
    ({"som.aggravation_form": "sentencing_factor"}, {}),
    ({"som.aggravation_form": "general_discretion"}, {"som.6.3": "partially_met"}),
    # Documents, illegal stay, attempt, accomplices, organizing (art. 6(1)(b), (c), 6(2)).
    # Article 6(2) and 6(3) attach to each 6(1) offence: one missing offence is a gap there too.
    ({"som.document_offence": "no"}, {"som.6.1.b": "not_met", "som.6.2.a": "partially_met",
                                      "som.6.2.b": "partially_met", "som.6.2.c": "partially_met",
                                      "som.6.3": "partially_met"}),
    ({"som.illegal_stay_offence": "no"}, {"som.6.1.c": "not_met", "som.6.2.a": "partially_met",
                                          "som.6.2.b": "partially_met",
                                          "som.6.2.c": "partially_met",
                                          "som.6.3": "partially_met"}),
    ({"som.attempt": "no", "som.attempt_basic_concepts": "no"}, {"som.6.2.a": "not_met"}),
    ({"som.attempt": "no", "som.attempt_basic_concepts": "yes"},
     {"som.6.2.a": "not_applicable"}),
    ({"som.accomplice_scope": []}, {"som.6.2.b": "not_met"}),
    ({"som.organizing": "no"}, {"som.6.2.c": "not_met"}),
    # Authority under art. 8(6): designated and notified through the Secretary-General; every
    # State Party designates one, with or without a coast.
    ({"som.sea_authority": "not_designated"}, {"som.8.6": "not_met"}),
    ({"som.sea_authority": "designated_not_notified"}, {"som.8.6": "partially_met"}),
    ({"som.maritime_profile": "neither"}, {f"som.{n}": "not_applicable" for n in (
        "7", "8.1", "8.2", "8.3", "8.4", "8.5", "8.7", "9.1.a", "9.1.b", "9.1.c", "9.1.d",
        "9.2", "9.3", "9.4")}),
    # Optional provisions ("may") that the State does not use are not gaps (arts. 8(2), 8(7),
    # 18(6)); the duties that follow from using them are not applicable either.
    ({"som.sea_boarding_powers": "no"}, {"som.8.2": "not_applicable", "som.8.3": "not_applicable",
                                         "som.8.5": "not_applicable"}),
    ({"som.sea_boarding_powers": "partly"}, {"som.8.2": "met"}),
    ({"som.sea_stateless_vessels": "no"}, {"som.8.7": "not_applicable"}),
    ({"som.sea_stateless_vessels": "partly", "som.sea_stateless_gap": "boarding_reach"},
     {"som.8.7": "met"}),
    ({"som.sea_stateless_vessels": "partly", "som.sea_stateless_gap": "measures"},
     {"som.8.7": "partially_met"}),
    ({"som.sea_boarding_powers": "no", "som.sea_stateless_vessels": "no",
      "som.sea_inform_flag_state": "no", "som.sea_limits_authorization": "no",
      "som.sea_safeguards": [], "som.sea_compensation": "no"},
     {"som.8.2": "not_applicable", "som.8.7": "not_applicable"}
     | {f"som.{n}": "not_applicable" for n in (
         "8.3", "8.5", "9.1.a", "9.1.b", "9.1.c", "9.1.d", "9.2", "9.3", "9.4")}),
    ({"som.return_international_organizations": "no"}, {"som.18.6": "not_applicable"}),
    # Duties to consider: considered and decided against, for reasons cited, is met.
    ({"som.entry_denial": "no", "som.entry_denial_considered": "considered_declined"}, {}),
    ({"som.entry_denial": "no", "som.entry_denial_considered": "not_considered"},
     {"som.11.5": "not_met"}),
    ({"som.border_agency_channels": "partly",
      "som.border_channels_considered": "not_considered"}, {"som.11.6": "partially_met"}),
    ({"som.technical_assistance": "considered"}, {}),
    # No protection and assistance measures (art. 16); discrimination (art. 19(2)).
    ({"som.protection_framework": "no"}, {"som.16.1": "not_met", "som.16.2": "not_met",
                                          "som.16.3": "not_met", "som.16.4": "not_met"}),
    ({"som.non_discrimination": "partly"}, {"som.19.2": "partially_met"}),
    # A return without access to protection is not made "with due regard for the safety" of
    # the person (art. 18(5)), read with the non-refoulement art. 19(1) preserves: a gap.
    ({"som.return_non_refoulement": "no"}, {"som.18.5": "partially_met"}),
])
def test_classic_defects(ws, defect, expected):
    baseline = statuses(ws)
    result = statuses(ws, defect)
    assert_defect(result, baseline, expected)


def test_transnationality_requirement_breaks_untoc_34_2(ws):
    assert statuses(ws)["untoc.34.2"] == "met"
    assert statuses(ws, {"som.requires_transnationality": "yes"})["untoc.34.2"] == "not_met"
    assert statuses(ws, {"som.requires_organized_group": "partly"})["untoc.34.2"] == "partially_met"


def test_parallel_provisions_get_the_same_strength_and_category(ws):
    """The same treaty words must be read the same way in every instrument."""
    pairs = [(f"tip.11.{n}", f"som.11.{n}") for n in range(1, 7)] + [
        ("tip.12.a", "som.12.a"), ("tip.12.b", "som.12.b"), ("tip.13", "som.13"),
        ("tip.10.3", "som.10.2"), ("tip.10.2", "som.14.1"), ("tip.8.3", "som.18.3"),
        ("tip.8.4", "som.18.4"), ("tip.5.2.a", "som.6.2.a"), ("som.6.2.a", "firearms.5.2.a"),
        # "consistent with their respective domestic legal and administrative systems"
        ("som.10.1", "firearms.12.1"), ("som.10.1", "firearms.12.2"),
    ]
    for a, b in pairs:
        oa, ob = ws.catalog.get(a), ws.catalog.get(b)
        assert (oa.strength, oa.category) == (ob.strength, ob.category), (a, b)


def test_duty_to_inform_the_flag_state_is_a_notification(ws):
    obligation = ws.catalog.get("som.8.3")
    assert obligation.category == "notification"
    assert obligation.notification["to"] == "the flag State concerned"


def test_help_texts_follow_the_treaty_words(ws):
    """What the assessor reads decides the answer: the help must not lead to a false gap."""
    # The Protocol sets no penalty level; penalties belong to UNTOC art. 11(1) (review 2.5).
    smuggling = ws.bank.get("som.smuggling_offence").help
    assert "too low" not in smuggling and "article 11(1)" in smuggling
    # Article 5 bars liability "under this Protocol"; art. 6(4) keeps general offences (2.17).
    liability = ws.bank.get("som.migrant_liability").help
    assert "6(1)(b)" in liability and "general" in liability and "6(4)" in liability
    # Return measures recall non-refoulement (SOM art. 19(1)).
    for oid in ("som.18.1", "som.18.5"):
        assert "non-refoulement" in ws.catalog.get(oid).recommended_measures
    assert "non-refoulement" in ws.bank.get("som.return_nationals").help


def test_conditional_and_reclassified_strengths(ws):
    """som.8.7 may be used (its second sentence binds only after boarding); som.11.2 binds."""
    assert ws.catalog.get("som.8.7").strength == "optional"
    assert "shall take appropriate measures" in ws.catalog.get("som.8.7").strength_note
    assert ws.catalog.get("som.11.2").strength == "mandatory"
    assert ws.catalog.get("som.19.2").strength == "mandatory"
    assert ws.catalog.get("som.19.2").category == "protection"
