"""Every command on the bundled catalog and examples, as a user runs it."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import docx
import jsonschema
import pytest
import yaml

from palermo.resources import schema

ROOT = Path(__file__).resolve().parents[1]
MERIDIA = ROOT / "examples" / "meridia.yaml"
ARVENIA = ROOT / "examples" / "arvenia.yaml"


def catalog_ids(instrument: str) -> list[str]:
    data = yaml.safe_load((ROOT / "obligations" / f"{instrument}.yaml").read_text())
    return [entry["id"] for entry in data["obligations"]]


def test_catalog_list_json_has_every_obligation(run):
    result = run("catalog", "list", "--format", "json")
    assert result.exit_code == 0
    listed = json.loads(result.output)
    expected = [i for inst in ("untoc", "tip", "som", "firearms") for i in catalog_ids(inst)]
    assert [o["id"] for o in listed] == expected
    first = next(o for o in listed if o["id"] == "som.6.1.a")
    assert first["strength"] == "mandatory" and first["category"] == "criminalization"
    assert first["text"] == "The smuggling of migrants;"
    assert first["reference"] == "art. 6(1)(a)"


def test_catalog_list_table_for_one_instrument(run):
    result = run("catalog", "list", "--instruments", "som")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["ID", "ARTICLE", "STRENGTH", "CATEGORY", "SUMMARY"]
    assert lines[2].startswith("som.5 ")
    assert lines[-1] == f"{len(catalog_ids('som'))} obligations · catalog 1.1.2"


def test_catalog_show(run):
    result = run("catalog", "show", "som.6.1.a")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == ("som.6.1.a — Smuggling of Migrants Protocol, art. 6(1)(a): "
                        "Criminalization")
    assert lines[1] == "Strength: mandatory · Category: criminalization"
    assert "   The smuggling of migrants;”" in lines
    assert any(line.startswith("Questions: som.smuggling_offence") for line in lines)


def test_catalog_show_json_gives_treaty_options(run):
    result = run("catalog", "show", "untoc.5.1.a.i", "--format", "json")
    shown = json.loads(result.output)
    assert shown["id"] == "untoc.5.1.a.i"
    assert {o["id"] for o in shown["options"]} >= {"conspiracy", "participation"}


def test_catalog_validate_bundled(run):
    result = run("catalog", "validate")
    assert result.exit_code == 0
    total = sum(len(catalog_ids(i)) for i in ("untoc", "tip", "som", "firearms"))
    assert result.output.startswith(f"Catalog 1.1.2: {total} obligations, ")
    assert result.output.endswith(" rules: valid.\n")


def test_questions_json_for_a_protocol_includes_shared_untoc_questions(run):
    result = run("questions", "--instruments", "som", "--format", "json")
    questions = {q["id"]: q for q in json.loads(result.output)}
    benefit = questions["som.benefit_element"]
    assert benefit["type"] == "choice"
    assert [o["value"] for o in benefit["options"]] == [
        "benefit_required", "benefit_money_only", "benefit_received_only", "benefit_direct_only",
        "benefit_aggravation_only", "no_purpose"]
    assert benefit["show_if"] == {"q": "som.smuggling_offence", "in": ["yes", "partly"]}
    assert "untoc.legal_person_liability" in questions      # shared with every Protocol
    assert "untoc.participation_model" not in questions     # Convention-only
    assert "tip.offence_exists" not in questions


def test_validate_and_status_of_the_example(run):
    result = run("validate", MERIDIA)
    assert result.exit_code == 0
    assert result.output.endswith("questions waiting).\n")
    status = run("status", MERIDIA)
    assert status.exit_code == 0
    assert status.output.splitlines()[0] == f"Meridia · som · {MERIDIA}"


def test_gaps_json_of_the_example(run):
    result = run("gaps", MERIDIA, "--format", "json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)  # notes (a newer catalog) go to stderr
    jsonschema.validate(report, schema("report"))
    status = {o["id"]: o["status"] for o in report["obligations"]}
    # No benefit element and no exemption: broader than required, so met, with an advisory.
    assert status["som.6.1.a"] == "met"
    assert status["som.6.1.c"] == "not_met"           # no illegal-stay offence
    assert status["som.8.6"] == "partially_met"       # designated, not notified
    assert status["untoc.12.1.b"] == "not_met"        # no confiscation of instrumentalities
    # Attempt is punishable, but cannot reach the missing illegal-stay offence (art. 6(2)(a)).
    assert status["som.6.2.a"] == "partially_met"


def test_gaps_table_and_markdown(run, tmp_path):
    table = run("gaps", MERIDIA, "--only-gaps")
    lines = table.stdout.splitlines()  # notes (a newer catalog) go to stderr
    assert lines[0].split() == ["OBLIGATION", "STATUS", "PRIORITY", "FINDING"]
    row = next(line for line in lines if line.startswith("som.6.1.c "))
    assert row.split()[1:5] == ["✗", "Not", "met", "High"]
    assert "✓ Met" not in table.output
    markdown = run("gaps", MERIDIA, "--format", "markdown")
    assert markdown.exit_code == 0
    assert markdown.stdout.startswith("# Legislative gap assessment: Meridia\n")
    out = tmp_path / "report.md"
    assert run("report", MERIDIA, "-o", out).exit_code == 0
    assert markdown.stdout == out.read_text(encoding="utf-8")  # the report's own Markdown


def test_gaps_only_gaps_is_for_the_table(run):
    result = run("gaps", MERIDIA, "--format", "json", "--only-gaps")
    assert result.exit_code == 2
    assert "--only-gaps applies to --format table" in result.output


def test_old_option_name_still_accepted(run):
    new = run("catalog", "list", "--instruments", "som")
    old = run("catalog", "list", "--instrument", "som")
    assert old.exit_code == 0 and old.output == new.output
    assert "--instrument " not in run("catalog", "list", "--help").output


def test_unknown_instrument_names_the_catalog_ones(run):
    result = run("questions", "--instruments", "asean")
    assert result.exit_code == 2
    assert ("'asean' is not an instrument of the catalog (expected one of: untoc, tip, som, "
            "firearms)") in result.output


def test_report_docx_of_the_example(run, tmp_path):
    out = tmp_path / "gap-report.docx"
    result = run("report", MERIDIA, "-o", out)
    assert result.exit_code == 0
    assert result.output == f"Wrote {out}\n"
    doc = docx.Document(str(out))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Executive summary", "Table of correspondence", "Detailed analysis",
                        "Prioritised action plan", "Annex A. Questionnaire answers",
                        "Annex B. Notifications still owed", "Annex C. Method and key"]
    h2 = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert h2[:4] == ["Top priorities", "Status at a glance", "Smuggling of Migrants Protocol",
                      "Organized Crime Convention (UNTOC)"]
    h3 = [p.text for p in doc.paragraphs if p.style.name == "Heading 3"]
    assert "Finding 4. Art. 6(1)(c): Criminalization" in h3
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert "✗ Not met" in cells
    assert any(c.startswith("Immigration and Borders Act 2011, s. 61(1); s. 16") for c in cells)
    full = tmp_path / "full.docx"
    assert run("report", MERIDIA, "-o", full, "--detail", "full").exit_code == 0
    h3 = [p.text for p in docx.Document(str(full)).paragraphs if p.style.name == "Heading 3"]
    assert "som.6.1.c — Art. 6(1)(c): Criminalization" in h3


def test_report_formats_from_the_extension(run, tmp_path):
    for name in ("r.md", "r.html", "r.json", "r.csv"):
        assert run("report", ARVENIA, "-o", tmp_path / name).exit_code == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "r.csv").read_text("utf-8-sig"))))
    by_id = {row["id"]: row for row in rows}
    assert by_id["firearms.15.1"]["status"] == "not_met"
    assert json.loads((tmp_path / "r.json").read_text())["state"] == "Arvenia"
    assert (tmp_path / "r.md").read_text().startswith("# ")
    assert "<html" in (tmp_path / "r.html").read_text()


def test_report_many_goes_on_past_a_bad_file(run, tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("palermo: 1\nstate: X\ninstruments: [som]\nanswers:\n  som.nope: {answer: 'yes'}\n")
    copy = tmp_path / "meridia.yaml"
    shutil.copy(MERIDIA, copy)
    out = tmp_path / "reports"
    result = run("report", copy, bad, ARVENIA, "--output-dir", out)
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == ["arvenia.docx", "meridia.docx"]
    assert f"Error: {bad}:5:3: som.nope: unknown question id" in result.output


def test_report_needs_an_output(run):
    result = run("report", MERIDIA)
    assert result.exit_code == 2
    assert "give one answers file with -o OUT, or several with --output-dir DIR" in result.output


def test_report_refuses_to_overwrite_the_answers_file(run, tmp_path):
    copy = tmp_path / "m.yaml"
    shutil.copy(MERIDIA, copy)
    before = copy.read_bytes()
    result = run("report", copy, "-o", copy, "--format", "json")
    assert result.exit_code == 1
    assert result.output == (f"Error: {copy}: the output would overwrite the answers file {copy}; "
                             "choose another output file\n")
    assert copy.read_bytes() == before


def test_reference_doc_and_templates_from_the_cli(run, tmp_path):
    reference = tmp_path / "letterhead.docx"
    styles = docx.Document()
    styles.styles["Normal"].font.name = "Garamond"
    styles.save(str(reference))
    templates = tmp_path / "wording"
    templates.mkdir()
    out = tmp_path / "r.docx"
    result = run("report", MERIDIA, "-o", out, "--templates", templates)
    assert result.exit_code == 1
    assert result.output == (f"Error: {templates}: the templates folder holds no report "
                             "template (expected files such as overall_assessment.j2 or "
                             "labels.yaml)\n")
    (templates / "title.j2").write_text("Gap analysis\n", encoding="utf-8")
    result = run("report", MERIDIA, "-o", out, "--reference-doc", reference,
                 "--templates", templates)
    assert result.exit_code == 0
    document = docx.Document(str(out))
    assert document.styles["Normal"].font.name == "Garamond"
    assert document.paragraphs[0].text == "Gap analysis"
    (templates / "overal_assessment.j2").write_text("x\n", encoding="utf-8")
    result = run("report", MERIDIA, "-o", out, "--templates", templates)
    assert result.exit_code == 1
    assert result.output.startswith(
        f"Error: {templates / 'overal_assessment.j2'}: 'overal_assessment.j2' is not a report "
        "template (did you mean overall_assessment.j2? expected one of: title.j2, ")


def test_catalog_validate_warns_of_an_uncovered_paragraph(run, tmp_path):
    folder = tmp_path / "obligations"
    shutil.copytree(ROOT / "obligations", folder)
    som = folder / "som.yaml"
    text = som.read_text()
    start = text.index("\n  - id: som.15.3\n")
    end = text.index("\n  - id: ", start + 1)
    som.write_text(text[:start] + text[end:])
    shutil.copytree(ROOT / "questionnaires", tmp_path / "questionnaires")
    questionnaire = tmp_path / "questionnaires" / "som.yaml"
    qtext = questionnaire.read_text()
    assert qtext.count("        obligations: [som.15.3]\n") == 1
    questionnaire.write_text(qtext.replace("        obligations: [som.15.3]\n", ""))
    result = run("catalog", "validate", folder)
    assert result.exit_code == 0
    assert (f"Warning: {som}: som.15.3: art. 15(3) says \"shall\" or \"may\" but has no entry "
            "(add one, or list it in exclusions.yaml with a reason)") in result.output


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice and poppler-utils are needed to open the report")
def test_bundled_example_report_opens_in_libreoffice(run, tmp_path):
    out = tmp_path / "gap-report.docx"
    assert run("report", MERIDIA, "-o", out).exit_code == 0
    subprocess.run(
        [shutil.which("soffice"), f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
         "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
        check=True, capture_output=True, timeout=300)
    text = subprocess.run([shutil.which("pdftotext"), "-enc", "UTF-8",
                           str(tmp_path / "gap-report.pdf"), "-"],
                          check=True, capture_output=True, timeout=60).stdout.decode("utf-8")
    pages = [page for page in text.split("\f") if page.strip()]
    flat = " ".join(text.split())
    # The report a ministry reads: 40 A4 pages at most, the contents with page numbers (a
    # Protocol assessment also covers the laundering of the proceeds of the Protocol offences
    # and UNTOC articles 28 to 31, 32(5) and 34(1), which apply to the Protocol).
    assert len(pages) <= 40
    contents = " ".join(pages[1].split())
    assert re.search(r"Executive summary ?\.+ ?3 ", contents)
    assert re.search(r"Table of correspondence ?\.+ ?5 ", contents)
    assert re.search(r"Annex C\. Method and key ?\.+ ?\d+ ", contents)
    for expected in ("Legislative gap assessment", "Meridia", "Executive summary",
                     "Overall assessment", "Top priorities", "Status at a glance",
                     "Table of correspondence", "Finding 4. Art. 6(1)(c): Criminalization",
                     "Prioritised action plan", "Annex B. Notifications still owed",
                     "Immigration and Borders Act 2011, s. 61(1)", f"Page 3 of {len(pages)}"):
        assert expected in flat, expected
    summary = next(n for n, page in enumerate(pages) if "Overall assessment" in page)
    table = next(n for n, page in enumerate(pages) if "Table of correspondence The table" in
                 " ".join(page.split()))
    assert table - summary <= 3                     # the executive summary: 3 pages at most
