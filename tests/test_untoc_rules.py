"""The Convention questionnaire's rules, defect by defect, and how UNTOC combines with the
Protocols.

Each defect test starts from a State whose law complies on every point (UNTOC assessment),
introduces one classic defect, and checks the exact status of the obligations it touches and
that no other obligation moves.
"""

from __future__ import annotations

from collections import Counter

import pytest
from rulekit import assert_defect, assert_real_answers, assess, status_map

from palermo.answers import parse_value
from palermo.scope import scope_of
from palermo.workspace import open_workspace

# Multiple-choice answers default to every option except these, which record an absence.
ABSENT = {"none", "content_not_specified"}

COMPLIANT = {
    "untoc.requires_transnationality": "no",
    "untoc.requires_organized_group": "no",
    # Art. 5(1)(a): both models; conspiracy to commit any serious crime, no overt act or
    # organized-group requirement (so no art. 5(3) notification is owed).
    "untoc.participation_model": "both",
    "untoc.conspiracy_scope": "all_serious",
    "untoc.conspiracy_requirements": ["agreement_only"],
    "untoc.laundering_predicate_approach": "all_crimes",
    "untoc.self_laundering": "covered",
    "untoc.fiu": "operational",
    "untoc.legal_person_liability_type": ["criminal"],
    "untoc.confiscation_proceeds": "object_and_value",
    "untoc.foreign_confiscation": "both",
    "untoc.confiscation_treaty_basis": "convention_accepted",
    "untoc.jurisdiction_optional": ["victim_nationality", "offender_nationality",
                                    "stateless_residents", "preparatory_acts"],
    "untoc.extradite_nationals": "extradites",
    # Extradition on a treaty basis, the Convention accepted as that basis and notified
    # (art. 16(4), 16(5)(a)).
    "untoc.extradition_treaty_required": "treaty_required",
    "untoc.dispute_settlement_reservation": "not_declared",
    "untoc.mla_legal_basis": "convention",
    "untoc.mla_bank_secrecy": "no_obstacle",
    "untoc.mla_dual_criminality": "not_required",
    "untoc.mla_refusal_grounds": ["nonconformity", "essential_interests",
                                  "domestic_prohibition", "legal_system", "double_jeopardy"],
    "untoc.mla_central_authority_notified": "notified_current",
    "untoc.mla_languages_notified": "notified",
    "untoc.prevention_authority_notified": "notified_current",
    "untoc.third_party_rights": "procedure",
}

# In the compliant State these provisions are not applicable, each for a reason of its own.
BASELINE_NOT_APPLICABLE = {
    "untoc.5.3",     # conspiracy needs no overt act or organized group: nothing to notify
    "untoc.6.2.e",   # self-laundering is an offence: the exception is not used
    "untoc.15.3",    # nationals are extradited
    "untoc.16.5.b",  # the Convention is accepted as the legal basis for extradition
    "untoc.16.6",    # extradition requires a treaty
    "untoc.16.10",   # nationals are extradited
    "untoc.16.11",
    "untoc.16.12",
    "untoc.35.3",    # no reservation to art. 35(2)
    "untoc.35.4",
}


@pytest.fixture(scope="module")
def ws():
    return open_workspace()


def compliant_values(ws, instruments: list[str]) -> dict:
    """A compliant answer to every question an assessment of `instruments` asks."""
    values: dict = {}
    for q in scope_of(ws.catalog, ws.bank, instruments).questions:
        if q.type == "yes_partly_no":
            values[q.id] = "yes"
        elif q.type == "multi_choice":
            values[q.id] = [v for v, _ in q.options if v not in ABSENT]
        elif q.type == "date":
            values[q.id] = "2019-06-03"
        elif q.type == "citations":
            values[q.id] = ["Testland Gazette No. 12"]
        elif q.type == "text":
            values[q.id] = "Testland Gazette No. 12"
    values.update({k: v for k, v in COMPLIANT.items()
                   if k in scope_of(ws.catalog, ws.bank, instruments).ids})
    return values


def analysis(ws, changes: dict | None = None, instruments: list[str] | None = None):
    instruments = instruments or ["untoc"]
    values = compliant_values(ws, instruments)
    values.update(changes or {})
    return assess(ws, instruments, values)


def statuses(ws, changes: dict | None = None, instruments: list[str] | None = None,
             ) -> dict[str, str]:
    return status_map(analysis(ws, changes, instruments))


def result_of(ws, obligation_id: str, changes: dict | None = None):
    return next(r for r in analysis(ws, changes).results if r.obligation.id == obligation_id)


@pytest.fixture(scope="module")
def baseline(ws):
    return statuses(ws)


def test_compliant_law_has_no_gap(ws, baseline):
    untoc_ids = {o.id for o in ws.catalog.obligations.values() if o.instrument == "untoc"}
    assert set(baseline) == untoc_ids
    not_met = {k: v for k, v in baseline.items() if v != "met"}
    assert not_met == {k: "not_applicable" for k in BASELINE_NOT_APPLICABLE}


def test_baseline_answers_are_real_questions_and_options(ws):
    assert_real_answers(ws, COMPLIANT)


DEFECTS = [
    # --- Participation in an organized criminal group (art. 5(1)(a)) --------------------------
    pytest.param({"untoc.participation_model": "neither"},
                 {"untoc.5.1.a.i": "not_met", "untoc.5.1.a.ii": "not_met"},
                 id="participation-neither-model"),
    pytest.param({"untoc.participation_model": "conspiracy", "untoc.conspiracy_scope": "listed"},
                 {"untoc.5.1.a.i": "partially_met", "untoc.5.1.a.ii": "partially_met"},
                 id="conspiracy-only-for-listed-offences"),
    pytest.param({"untoc.participation_model": "participation",
                  "untoc.participation_other_activities": "no"},
                 {"untoc.5.1.a.i": "partially_met", "untoc.5.1.a.ii": "partially_met"},
                 id="association-without-other-activities"),
    # --- Predicate offences of laundering (art. 6(2)(a), (b)) --------------------------------
    pytest.param({"untoc.laundering_predicate_approach": "higher_threshold",
                  "untoc.laundering_predicates_included": ["participation", "corruption",
                                                           "obstruction", "protocol_offences"]},
                 {"untoc.6.2.a": "partially_met", "untoc.6.2.b": "partially_met"},
                 id="predicates-threshold-above-serious-crime"),
    pytest.param({"untoc.laundering_predicate_approach": "list",
                  "untoc.laundering_list_comprehensive": "partly",
                  "untoc.laundering_predicates_included": ["participation", "corruption"]},
                 {"untoc.6.2.a": "partially_met", "untoc.6.2.b": "partially_met"},
                 id="predicates-list-narrower-than-serious-crime"),
    pytest.param({"untoc.laundering_predicate_approach": "list",
                  "untoc.laundering_list_comprehensive": "no",
                  "untoc.laundering_predicates_included": []},
                 {"untoc.6.2.a": "partially_met", "untoc.6.2.b": "not_met"},
                 id="predicates-list-not-comprehensive"),
    # Article 6(2)(b) names the offences of arts. 5, 8 and 23; Protocol offences count only
    # where a Protocol is assessed (each Protocol's art. 1(3)), not in a UNTOC assessment.
    pytest.param({"untoc.laundering_predicate_approach": "serious_threshold",
                  "untoc.laundering_predicates_included": ["participation", "corruption",
                                                           "obstruction"]},
                 {"untoc.6.2.b": "met"},
                 id="predicates-serious-crime-protocol-offences-not-asked-for-untoc"),
    pytest.param({"untoc.laundering_predicate_approach": "serious_threshold",
                  "untoc.laundering_predicates_included": ["participation", "corruption"]},
                 {"untoc.6.2.b": "partially_met"},
                 id="predicates-serious-crime-without-obstruction"),
    # A comprehensive list meets 6(2)(b) ("at a minimum"); 6(2)(a) stays a duty of effort.
    pytest.param({"untoc.laundering_predicate_approach": "list",
                  "untoc.laundering_list_comprehensive": "yes"},
                 {"untoc.6.2.a": "partially_met", "untoc.6.2.b": "met"},
                 id="predicates-comprehensive-list"),
    # --- Legal persons (art. 10) -------------------------------------------------------------
    # 10(2)-(4) presuppose that legal persons can be held liable; their questions are not asked.
    pytest.param({"untoc.legal_person_liability": "no"},
                 {"untoc.10.1": "not_met", "untoc.10.2": "not_applicable",
                  "untoc.10.3": "not_applicable", "untoc.10.4": "not_applicable"},
                 id="no-liability-of-legal-persons"),
    # --- Confiscation (art. 12(1)) -----------------------------------------------------------
    pytest.param({"untoc.confiscation_instrumentalities": "no"}, {"untoc.12.1.b": "not_met"},
                 id="no-confiscation-of-instrumentalities"),
    pytest.param({"untoc.confiscation_proceeds": "object_only"},
                 {"untoc.12.1.a": "partially_met"}, id="no-value-confiscation"),
    # --- Mutual legal assistance: central authority (art. 18(13)) ------------------------------
    pytest.param({"untoc.mla_central_authority": "no"}, {"untoc.18.13": "not_met"},
                 id="no-central-authority"),
    pytest.param({"untoc.mla_central_authority_notified": "not_notified"},
                 {"untoc.18.13": "partially_met"}, id="central-authority-not-notified"),
    pytest.param({"untoc.mla_central_authority_notified": "notified_outdated"},
                 {"untoc.18.13": "partially_met"}, id="central-authority-notification-outdated"),
    # --- Extradition on a treaty basis (art. 16(4), (5)) -------------------------------------
    pytest.param({"untoc.extradition_notification": "no"}, {"untoc.16.5.a": "not_met"},
                 id="no-16-5-a-notification"),
    pytest.param({"untoc.extradition_treaty_required": "no_treaty_required"},
                 {"untoc.16.4": "not_applicable", "untoc.16.5.a": "not_applicable",
                  "untoc.16.6": "met"}, id="no-treaty-required"),
    # --- Article 34(2) -----------------------------------------------------------------------
    pytest.param({"untoc.requires_transnationality": "yes"}, {"untoc.34.2": "not_met"},
                 id="transnationality-required"),
    pytest.param({"untoc.requires_organized_group": "partly"}, {"untoc.34.2": "partially_met"},
                 id="organized-group-required-for-some"),
]


@pytest.mark.parametrize("defect, expected", DEFECTS)
def test_classic_defects(ws, baseline, defect, expected):
    assert_defect(statuses(ws, defect), baseline, expected)


@pytest.mark.parametrize("model", ["conspiracy", "participation", "both"])
def test_either_participation_model_complies(ws, model):
    results = analysis(ws, {"untoc.participation_model": model}).results
    chosen = {r.obligation.id: (r.status.value, r.option) for r in results
              if r.obligation.id in ("untoc.5.1.a.i", "untoc.5.1.a.ii")}
    assert chosen == {"untoc.5.1.a.i": ("met", model), "untoc.5.1.a.ii": ("met", model)}
    declared = {o["id"] for o in ws.catalog.get("untoc.5.1.a.i").options}
    assert model in declared


def test_instrumentalities_gap_leaves_proceeds_met(ws):
    result = statuses(ws, {"untoc.confiscation_instrumentalities": "no"})
    assert (result["untoc.12.1.a"], result["untoc.12.1.b"]) == ("met", "not_met")


def test_optional_jurisdiction_not_taken_is_no_gap(ws):
    question = ws.bank.get("untoc.jurisdiction_optional")
    # As typed at the prompt ("none") and as written in a file (an empty list).
    for value in (parse_value(question, "none"), []):
        result = result_of(ws, "untoc.15.2", {"untoc.jurisdiction_optional": value})
        assert result.status.value not in ("partially_met", "not_met")
        assert result.status.value == "not_applicable"
        assert result.priority is None


def test_optional_jurisdiction_names_the_ground_taken(ws):
    result = result_of(ws, "untoc.15.2", {"untoc.jurisdiction_optional": ["victim_nationality"]})
    assert (result.status.value, result.option) == ("met", "victim_nationality")


def test_16_5_a_notification_only_owed_when_a_treaty_is_required(ws):
    owed = statuses(ws, {"untoc.extradition_notification": "no"})
    assert owed["untoc.16.5.a"] == "not_met"
    not_owed = statuses(ws, {"untoc.extradition_treaty_required": "no_treaty_required",
                             "untoc.extradition_notification": "no"})
    assert not_owed["untoc.16.5.a"] == "not_applicable"


# --- UNTOC with the Protocols ----------------------------------------------------------------

def test_shared_untoc_provisions_are_assessed_in_a_protocol_only_assessment(ws, baseline):
    scope = scope_of(ws.catalog, ws.bank, ["som"])
    shared = {o.id for o in ws.catalog.obligations.values()
              if o.instrument == "untoc" and o.applies_to_protocol_offences}
    in_scope = {o.id for o in scope.obligations if o.instrument == "untoc"}
    assert in_scope == shared
    # Article 23 covers obstruction "in relation to the commission of offences covered by this
    # Convention", which include the Protocol offences.
    assert {"untoc.10.1", "untoc.12.1.b", "untoc.16.5.a", "untoc.18.13", "untoc.23.a"} <= shared
    # The laundering of the proceeds of Protocol offences, articles 29 to 31 (to which the
    # Protocols refer), 32(5) and 34(1) apply to the Protocols too (art. 37; SOM art. 1(2)-(3)).
    assert {"untoc.6.1.a.i", "untoc.6.2.b", "untoc.29.2", "untoc.30.2", "untoc.31.2.a",
            "untoc.31.6", "untoc.32.5", "untoc.34.1"} <= in_scope
    # Convention-only offences stay out of a SOM assessment.
    assert {"untoc.5.1.a.i", "untoc.8.1.a"}.isdisjoint(in_scope)
    assert "untoc.participation_model" not in scope.ids
    assert "untoc.legal_person_liability" in scope.ids

    som_result = statuses(ws, {"untoc.legal_person_liability": "no",
                               "untoc.mla_central_authority": "no"}, instruments=["som"])
    assert som_result["untoc.10.1"] == "not_met"
    assert som_result["untoc.18.13"] == "not_met"
    # The shared provisions get the same statuses as in a Convention assessment.
    som_baseline = statuses(ws, instruments=["som"])
    assert {k: v for k, v in som_baseline.items() if k in shared and k != "untoc.34.2"} == \
        {k: baseline[k] for k in shared if k != "untoc.34.2"}


def test_convention_and_two_protocols_ask_each_question_once(ws):
    scope = scope_of(ws.catalog, ws.bank, ["untoc", "tip", "som"])
    ids = [q.id for q in scope.questions]
    assert [qid for qid, n in Counter(ids).items() if n > 1] == []
    assert "untoc.legal_person_liability" in ids
    assert "firearms.marking_at_manufacture" not in ids

    results = analysis(ws, instruments=["untoc", "tip", "som"]).results
    counted = Counter(r.obligation.id for r in results)
    assert [oid for oid, n in counted.items() if n > 1] == []
    untoc_ids = {o.id for o in ws.catalog.obligations.values() if o.instrument == "untoc"}
    assert {oid for oid in counted if oid.startswith("untoc.")} == untoc_ids
    assert {oid.split(".")[0] for oid in counted} == {"untoc", "tip", "som"}


def test_transfer_and_safe_conduct_of_persons_are_cooperation(ws):
    # Articles 18(10)-(12) and 18(27) serve mutual legal assistance between States.
    assert {ws.catalog.get(i).category for i in ("untoc.18.12", "untoc.18.27")} == {"cooperation"}
