"""The Smuggling of Migrants questionnaire's rules, defect by defect.

Each test starts from a State whose law complies on every point, introduces one classic
defect described in the UNODC guidance, and checks the exact status that follows.
"""

from __future__ import annotations

import pytest
from rulekit import assess, status_map

from palermo.workspace import open_workspace

COMPLIANT = {
    "som.dispute_settlement_reservation": "not_declared",
    "som.maritime_profile": "coast_and_registry",
    "som.smuggling_offence": "yes", "som.smuggling_other_states": "yes",
    "som.benefit_element": "benefit_required",
    "som.requires_transnationality": "no", "som.requires_organized_group": "no",
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
    # No "financial or other material benefit" purpose: sweeps in humanitarian helpers.
    ({"som.benefit_element": "no_purpose", "som.humanitarian_exemption": "no"},
     {"som.6.1.a": "partially_met"}),
    ({"som.benefit_element": "no_purpose", "som.humanitarian_exemption": "yes"},
     {"som.6.1.a": "met"}),
    # Transnationality or an organized criminal group required (UNTOC art. 34(2)).
    ({"som.requires_transnationality": "yes"}, {"som.6.1.a": "partially_met"}),
    ({"som.requires_organized_group": "yes"}, {"som.6.1.a": "partially_met"}),
    # Migrants liable to prosecution for having been smuggled (art. 5).
    ({"som.migrant_liability": "liable"}, {"som.5": "not_met"}),
    # Aggravating circumstances (art. 6(3)).
    ({"som.aggravating_circumstances": ["endangerment"]}, {"som.6.3": "partially_met"}),
    ({"som.aggravating_circumstances": ["inhuman_treatment"]}, {"som.6.3": "partially_met"}),
    ({"som.aggravating_circumstances": []}, {"som.6.3": "not_met"}),
    # Documents, illegal stay, attempt, accomplices, organizing (art. 6(1)(b), (c), 6(2)).
    ({"som.document_offence": "no"}, {"som.6.1.b": "not_met"}),
    ({"som.illegal_stay_offence": "no"}, {"som.6.1.c": "not_met"}),
    ({"som.attempt": "no", "som.attempt_basic_concepts": "no"}, {"som.6.2.a": "not_met"}),
    ({"som.accomplice_scope": []}, {"som.6.2.b": "not_met"}),
    ({"som.organizing": "no"}, {"som.6.2.c": "not_met"}),
    # Authority under art. 8(6): designated and notified through the Secretary-General.
    ({"som.sea_authority": "not_designated"}, {"som.8.6": "not_met"}),
    ({"som.sea_authority": "designated_not_notified"}, {"som.8.6": "partially_met"}),
    ({"som.maritime_profile": "neither"}, {"som.8.6": "not_applicable",
                                           "som.9.1.a": "not_applicable"}),
    # Optional provisions ("may") that the State does not use are not gaps (arts. 8(2), 18(6)).
    ({"som.sea_boarding_powers": "no"}, {"som.8.2": "not_applicable"}),
    ({"som.sea_boarding_powers": "partly"}, {"som.8.2": "met"}),
    ({"som.return_international_organizations": "no"}, {"som.18.6": "not_applicable"}),
    # No protection and assistance measures (art. 16).
    ({"som.protection_framework": "no"}, {"som.16.1": "not_met", "som.16.2": "not_met",
                                          "som.16.3": "not_met", "som.16.4": "not_met"}),
])
def test_classic_defects(ws, defect, expected):
    result = statuses(ws, defect)
    assert {k: result[k] for k in expected} == expected


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
