"""The Firearms Protocol questionnaire's rules, defect by defect.

Each test starts from a State whose law complies on every point, introduces one classic
defect (UNODC Legislative Guide and Model Law on the Firearms Protocol), and checks the
exact status of the obligations it touches, and that no other obligation moves.
"""

from __future__ import annotations

import pytest
from rulekit import assert_defect, assert_real_answers, assess, status_map

from palermo.answers import AnswersFile, set_answer
from palermo.workspace import open_workspace

# Multiple-choice answers default to every option except these, which record an absence.
ABSENT = {"none", "content_not_specified"}

COMPLIANT = {
    "firearms.dispute_settlement_reservation": "not_declared",
    "firearms.requires_transnationality": "no",
    "firearms.requires_organized_group": "no",
    "firearms.trafficking_authorization": "any_state",
    "firearms.other_disposal_conditions": ["official_authorization", "marked", "recorded"],
    "firearms.manufacture_marking_content": ["manufacturer_name", "country_or_place",
                                             "serial_number"],
    "firearms.import_marking_content": ["country_of_import", "year_of_import",
                                        "unique_if_unmarked"],
    "firearms.state_stock_marking": "marking_required",
    "firearms.industry_marking_measures": "encouraged",
    "firearms.records_retention": "ten_or_more",
    "firearms.deactivated_status": "not_firearms",
    "firearms.simplified_procedures": "with_verification",
    "firearms.contact_point": "designated_communicated",
    "firearms.brokering_measures": ["registration", "licensing", "disclosure"],
}


@pytest.fixture(scope="module")
def ws():
    return open_workspace()


def firearms_values(ws) -> dict:
    values: dict = {}
    for q in ws.bank.questions.values():
        if q.instrument != "firearms":
            continue
        if q.type == "yes_partly_no":
            values[q.id] = "yes"
        elif q.type == "multi_choice":
            values[q.id] = [v for v, _ in q.options if v not in ABSENT]
        elif q.type == "date":
            values[q.id] = "2019-06-03"
        elif q.type in ("text", "citations"):
            values[q.id] = "Testland Gazette No. 12"
    values.update(COMPLIANT)
    return values


def analysis(ws, changes: dict | None = None):
    values = firearms_values(ws)
    values.update(changes or {})
    return assess(ws, ["firearms"], values)


def statuses(ws, changes: dict | None = None) -> dict[str, str]:
    return status_map(analysis(ws, changes))


@pytest.fixture(scope="module")
def baseline(ws):
    return statuses(ws)


def test_compliant_law_meets_every_firearms_obligation(ws, baseline):
    ids = {o.id for o in ws.catalog.obligations.values() if o.instrument == "firearms"}
    assert ids <= set(baseline)
    # Reserving on, or withdrawing from, the arbitration clause is a choice, never a gap.
    reservation = {"firearms.16.3": "not_applicable", "firearms.16.4": "not_applicable"}
    assert {k: v for k, v in baseline.items() if k in ids and v != "met"} == reservation
    assert baseline["untoc.34.2"] == "met"


def test_baseline_answers_are_real_questions_and_options(ws):
    assert_real_answers(ws, COMPLIANT)


DEFECTS = [
    # --- Offences (art. 5(1)) ----------------------------------------------------------------
    pytest.param({"firearms.manufacturing_offence": "no"}, {"firearms.5.1.a": "not_met"},
                 id="no-illicit-manufacturing-offence"),
    pytest.param({"firearms.manufacturing_forms": ["no_licence"]},
                 {"firearms.5.1.a": "partially_met"}, id="manufacturing-only-unlicensed"),
    pytest.param({"firearms.manufacturing_items": ["firearms"]},
                 {"firearms.5.1.a": "partially_met"}, id="manufacturing-not-parts-ammunition"),
    pytest.param({"firearms.trafficking_offence": "no"}, {"firearms.5.1.b": "not_met"},
                 id="no-illicit-trafficking-offence"),
    pytest.param({"firearms.trafficking_authorization": "own_state_only"},
                 {"firearms.5.1.b": "partially_met"}, id="trafficking-own-authorization-only"),
    pytest.param({"firearms.trafficking_acts": ["import", "export"]},
                 {"firearms.5.1.b": "partially_met"}, id="trafficking-only-import-export"),
    pytest.param({"firearms.marking_offence": "no"}, {"firearms.5.1.c": "not_met"},
                 id="no-marking-offence"),
    pytest.param({"firearms.marking_offence_acts": ["obliterating", "removing"]},
                 {"firearms.5.1.c": "partially_met"}, id="marking-offence-incomplete"),
    pytest.param({"firearms.requires_transnationality": "yes"},
                 {"firearms.5.1.a": "partially_met", "firearms.5.1.b": "partially_met",
                  "firearms.5.1.c": "partially_met", "untoc.34.2": "not_met"},
                 id="transnationality-required"),
    # A narrow definition narrows every measure built on it (Firearms art. 3(b), (c)):
    # confiscation, licensing and security as well as the offences.
    pytest.param({"firearms.parts_ammunition_definition": "no"},
                 {"firearms.5.1.a": "partially_met", "firearms.5.1.b": "partially_met",
                  "firearms.6.1": "partially_met", "firearms.6.2": "partially_met",
                  "firearms.10.1": "partially_met", "firearms.10.2.a": "partially_met",
                  "firearms.11.a": "partially_met"},
                 id="no-parts-ammunition-definition"),
    pytest.param({"firearms.attempt": "no", "firearms.accomplice": "no",
                  "firearms.ancillary_basic_concepts": "not_excluded"},
                 {"firearms.5.2.a": "not_met"}, id="no-attempt-no-accomplice"),
    pytest.param({"firearms.attempt": "no", "firearms.ancillary_basic_concepts": "not_excluded"},
                 {"firearms.5.2.a": "partially_met"}, id="no-attempt"),
    # Art. 5(2)(a) applies "subject to the basic concepts of its legal system".
    pytest.param({"firearms.attempt": "no", "firearms.accomplice": "no",
                  "firearms.ancillary_basic_concepts": "excluded"},
                 {"firearms.5.2.a": "not_applicable"}, id="attempt-accomplice-basic-concepts"),
    pytest.param({"firearms.attempt": "no", "firearms.ancillary_basic_concepts": "excluded"},
                 {}, id="attempt-excluded-by-basic-concepts"),
    pytest.param({"firearms.ancillary_forms": ["none"]}, {"firearms.5.2.b": "not_met"},
                 id="no-organizing-directing-aiding"),
    # --- Marking (art. 8) --------------------------------------------------------------------
    pytest.param({"firearms.marking_at_manufacture": "no"}, {"firearms.8.1.a": "not_met"},
                 id="no-marking-at-manufacture"),
    pytest.param({"firearms.manufacture_marking_content": ["manufacturer_name",
                                                           "serial_number"]},
                 {"firearms.8.1.a": "partially_met"}, id="manufacture-marking-no-country"),
    pytest.param({"firearms.manufacture_marking_content": ["content_not_specified"]},
                 {"firearms.8.1.a": "partially_met"}, id="manufacture-marking-unspecified"),
    pytest.param({"firearms.marking_at_import": "no"}, {"firearms.8.1.b": "not_met"},
                 id="no-marking-at-import"),
    pytest.param({"firearms.import_marking_content": ["country_of_import"]},
                 {"firearms.8.1.b": "partially_met"}, id="import-marking-not-unique"),
    pytest.param({"firearms.import_marking_content": ["year_of_import", "unique_if_unmarked"]},
                 {"firearms.8.1.b": "partially_met"}, id="import-marking-no-country"),
    # --- Record-keeping (art. 7) -------------------------------------------------------------
    pytest.param({"firearms.records_retention": "five_to_nine"}, {"firearms.7": "partially_met"},
                 id="records-five-to-nine-years"),
    pytest.param({"firearms.records_retention": "less_than_five"},
                 {"firearms.7": "partially_met"}, id="records-under-five-years"),
    pytest.param({"firearms.records_kept": "no"}, {"firearms.7": "not_met"},
                 id="no-records"),
    pytest.param({"firearms.records_retention": "none"}, {"firearms.7": "not_met"},
                 id="records-not-retained"),
    # --- Export, import and transit licensing (art. 10) --------------------------------------
    pytest.param({"firearms.transfer_licensing": "no"},
                 {"firearms.10.1": "not_met", "firearms.10.2.a": "not_met",
                  "firearms.10.2.b": "not_met", "firearms.10.3": "not_met",
                  "firearms.10.5": "not_met"}, id="no-transfer-licensing"),
    pytest.param({"firearms.licensing_scope": ["export", "import"]},
                 {"firearms.10.1": "partially_met"}, id="no-transit-licensing"),
    pytest.param({"firearms.licensing_scope": ["export"]}, {"firearms.10.1": "partially_met"},
                 id="export-licensing-only"),
    pytest.param({"firearms.licensing_items": ["firearms"]}, {"firearms.10.1": "partially_met"},
                 id="licensing-not-parts-ammunition"),
    pytest.param({"firearms.verify_import_licence": "no"}, {"firearms.10.2.a": "not_met"},
                 id="no-import-licence-verification"),
    pytest.param({"firearms.verify_transit": "no"}, {"firearms.10.2.b": "not_met"},
                 id="no-transit-verification"),
    pytest.param({"firearms.licence_content": ["place_date_issue", "expiry_date",
                                               "export_country", "import_country"]},
                 {"firearms.10.3": "partially_met"}, id="licence-content-incomplete"),
    # --- Brokering (art. 15) -----------------------------------------------------------------
    pytest.param({"firearms.brokering_regulated": "no"},
                 {"firearms.15.1": "not_met", "firearms.15.2": "not_applicable"},
                 id="brokering-unregulated"),
    # Art. 15(2) only encourages: not keeping brokering records is not a gap.
    pytest.param({"firearms.brokering_info_records": "no"},
                 {"firearms.15.2": "not_applicable"}, id="brokering-records-not-kept"),
]


@pytest.mark.parametrize("defect, expected", DEFECTS)
def test_classic_defects(ws, baseline, defect, expected):
    assert_defect(statuses(ws, defect), baseline, expected)


def test_marking_options_name_the_alternative_taken(ws):
    def marking(content):
        return next((r.status.value, r.option) for r in analysis(
            ws, {"firearms.manufacture_marking_content": content}).results
            if r.obligation.id == "firearms.8.1.a")

    assert marking(["manufacturer_name", "country_or_place", "serial_number"]) == \
        ("met", "unique_marking")
    assert marking(["geometric_symbol_code"]) == ("met", "alternative_marking")


def test_unregulated_brokering_is_a_low_priority_gap(ws):
    obligation = ws.catalog.get("firearms.15.1")
    assert obligation.strength == "consider"
    result = next(r for r in analysis(ws, {"firearms.brokering_regulated": "no"}).results
                  if r.obligation.id == "firearms.15.1")
    assert result.status.value == "not_met"
    assert result.priority is not None and result.priority.label == "Low"
    assert result.required_measures


def test_mandatory_offence_gap_is_high_priority(ws):
    result = next(r for r in analysis(ws, {"firearms.marking_offence": "no"}).results
                  if r.obligation.id == "firearms.5.1.c")
    assert (result.status.value, result.priority.label) == ("not_met", "High")


@pytest.mark.parametrize("qid, obligation", [
    ("firearms.ancillary_forms", "firearms.5.2.b"),
    ("firearms.security_requirements", "firearms.11.a"),
])
def test_none_typed_at_the_prompt_counts_as_none(ws, qid, obligation):
    question = ws.bank.get(qid)
    by_number = AnswersFile(state="Meridia", instruments=["firearms"])
    typed = AnswersFile(state="Meridia", instruments=["firearms"])
    set_answer(by_number, question, str(len(question.options)))   # the "None of these" option
    set_answer(typed, question, "none")
    values = [statuses(ws, {qid: f.answers[qid].value})[obligation]
              for f in (by_number, typed)]
    assert values == ["not_met", "not_met"]
