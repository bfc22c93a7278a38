"""What the summary and the action plan ask of the State, and how one-line findings are cut."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from palermo.assessment import open_assessment
from palermo.report.content import _one_line, build_content
from palermo.workspace import open_workspace

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def meridia():
    return build_content(open_assessment(open_workspace(), ROOT / "examples/meridia.yaml")
                         .analyse())


@pytest.fixture(scope="module")
def arvenia():
    return build_content(open_assessment(open_workspace(), ROOT / "examples/arvenia.yaml")
                         .analyse())


def test_plan_asks_for_the_measure_the_answers_call_for_not_the_catalog_summary(meridia):
    rows = {row.item.id: row for row in meridia.action_plan if row.kind == "required"}
    # Meridia criminalizes producing and possessing fraudulent documents already: the plan asks
    # for the acts missing, not for the whole offence.
    assert rows["som.6.1.b"].action.startswith("Meridia should add the missing acts to its "
                                               "document offences")
    assert "Make it a crime" not in rows["som.6.1.b"].action
    # A list State is asked to complete its list, not to make all serious crime predicate.
    assert rows["untoc.6.2.b"].action.startswith("Meridia should make the offences of the "
                                                 "Protocols")
    # The central authority exists: it is to be notified, not designated.
    assert rows["untoc.18.13"].action == ("Meridia should send the Secretary-General of the "
                                          "United Nations the current name and contact details "
                                          "of its central authority.")
    # Several measures: the first ones, then how many more the finding sets out.
    assert rows["som.6.3"].action.endswith(" to it. 3 further measures are set out in the finding.")
    assert [row.item.id for row in meridia.required.top][:2] == ["som.5", "som.6.1.b"]


def test_instrument_not_yet_binding_is_counted_apart(arvenia):
    overall = " ".join(block.text for block in arvenia.prose["overall"])
    required = [row.item for row in arvenia.action_plan if row.kind == "required"]
    in_force = [i for i in required if i.binding]
    pending = [i for i in required if not i.binding]
    assert pending and {i.instrument for i in pending} == {"firearms"}
    mandatory = sum(1 for i in in_force if i.strength == "mandatory")
    assert (f"but {len(in_force)} obligations in force for it are not yet met in full, "
            f"{mandatory} of them mandatory") in overall
    assert (f"A further {len(pending)} obligations of the Firearms Protocol, which would bind "
            f"Arvenia on accession, are not yet met in full "
            f"({sum(1 for i in pending if i.strength == 'mandatory')} mandatory).") in overall
    firearms = [row for row in arvenia.action_plan if row.item.instrument == "firearms"
                and row.kind == "required"]
    assert firearms and {row.kind_label for row in firearms} == {"Would bind on accession"}
    assert firearms[0].about.endswith("; would bind on accession")
    binding = [row for row in arvenia.action_plan if row.item.binding and row.kind == "required"]
    assert {row.kind_label for row in binding} == {"Required"}
    intro = " ".join(block.text for block in arvenia.prose["action_plan"])
    assert (f"{len(pending)} of them, under the Firearms Protocol, would bind Arvenia only once "
            "it becomes a Party, and are marked so.") in intro


def test_not_assessed_findings_name_the_question_in_words(meridia):
    item = next(i for i in meridia.items if i.id == "som.9.2")
    assert item.findings == (
        "Information was not available on the question “Can the owner or operator of a vessel "
        "claim compensation for loss or damage when measures taken against it under article 8 "
        "prove to have been unfounded?”",)
    assert item.one_line == item.findings[0]
    for item in meridia.items:
        for text in (*item.findings, item.one_line):
            assert not re.search(r"\b(som|untoc|tip|firearms)\.[a-z_]+\b", text), text


@pytest.mark.parametrize("text, expected", [
    # A sentence that fits is printed whole, without an ellipsis.
    ("Meridia has no such offence. The penal code is silent.", "Meridia has no such offence."),
    # An abbreviation inside parentheses does not end the sentence.
    ("Meridia's offence omits the benefit (art. 6(1)). It also reaches helpers.",
     "Meridia's offence omits the benefit (art. 6(1))."),
    # A semicolon is a clause boundary: cut there only when the sentence is too long, with an
    # ellipsis.
    ("The laundering offences of Arvenia apply to the person who committed the predicate "
     "offence; this is what article 6(2)(e) allows unless fundamental principles require "
     "otherwise.",
     "The laundering offences of Arvenia apply to the person who committed the predicate "
     "offence …"),
    ("Short clause; another one.", "Short clause; another one."),
    # Never inside parentheses: the cut falls before the parenthesis that straddles the limit.
    ("Meridia's law reaches only some of the acts listed in the Protocol, for example "
     "producing (but not procuring, providing or possessing in any form whatever) documents.",
     "Meridia's law reaches only some of the acts listed in the Protocol …"),
])
def test_one_line_cuts_at_a_sentence_or_clause(text, expected):
    assert _one_line(text) == expected


def test_method_names_the_assessor_as_a_label(arvenia):
    method = " ".join(block.text for block in arvenia.prose["annex_method"] if block.kind == "para")
    assert re.search(r"last updated on \d{1,2} [A-Z][a-z]+ \d{4} \(assessor: Parliamentary "
                     r"Committee on Justice and Security, with the Law Reform Commission\)\.",
                     method), method
    assert "recorded by" not in method


def test_plan_line_names_the_offence_the_finding_names(arvenia):
    # Arvenia's list lacks obstruction of justice and is only partly comprehensive: the plan,
    # the top priorities and the overall assessment name the offence, as the finding does;
    # the general measure on completing the list follows in the finding.
    named = ("Arvenia should add obstruction of justice (art. 23) to its list of predicate "
             "offences, or adopt an all-crimes or serious-crime threshold approach that covers it.")
    row = next(r for r in arvenia.action_plan if r.item.id == "untoc.6.2.b")
    assert row.action == f"{named} One further measure is set out in the finding."
    assert row.item.one_line.startswith("Obstruction of justice (art. 23) is not on the list")
    assert row.item.measures[0] == named
    assert row.item.measures[1].startswith("Arvenia should add to the list the offences "
                                            "associated with")
    assert row in arvenia.required.top
    overall = " ".join(block.text for block in arvenia.prose["overall"])
    assert ("and to add obstruction of justice (art. 23) to its list of predicate offences"
            in overall)


@pytest.mark.parametrize("fmt", ["markdown", "html", "docx", "xlsx"])
def test_every_writer_prints_that_plan_line(fmt):
    import io
    import zipfile

    from openpyxl import load_workbook

    from palermo.report import render_report

    analysis = open_assessment(open_workspace(), ROOT / "examples/arvenia.yaml").analyse()
    data = render_report(analysis, fmt)
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(data))["Action plan"]
        text = "\n".join(str(cell.value) for row in sheet.iter_rows() for cell in row)
    elif fmt == "docx":
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            xml = package.read("word/document.xml").decode("utf-8")
        text = re.sub(r"<[^>]+>", "", xml).replace("&apos;", "'").replace("&#39;", "'")
    else:
        text = data.decode("utf-8-sig").replace("&#x27;", "'")
    assert ("Arvenia should add obstruction of justice (art. 23) to its list of predicate "
            "offences, or adopt an all-crimes or serious-crime threshold approach that covers it. "
            "One further measure is set out in the finding.") in text
