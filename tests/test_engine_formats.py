"""A defect the answers establish, with one question skipped, shows in every report format:
the status, the incomplete marker and its place in the action plan."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

ANSWERS = """palermo: 1
state: Republic of Meridia
instruments: [som]
answers:
  som.document_offence: {answer: 'yes', citations: ["Passports Act 2003, s. 9"]}
  som.document_conduct: {answer: [producing]}
  som.document_definition: {skipped: true}
"""


def _open_questions(source: Path) -> tuple[str, ...]:
    """What the library says is still open for som.6.1.b (the questionnaire may add more)."""
    from palermo.answers import load_answers
    from palermo.gaps import analyse
    from palermo.workspace import open_workspace

    ws = open_workspace()
    result = next(r for r in analyse(ws.catalog, ws.bank, load_answers(source)).results
                  if r.obligation.id == "som.6.1.b")
    assert result.status.value == "partially_met" and result.incomplete
    assert "som.document_definition" in result.open_questions
    return result.open_questions


def _mark(count: int) -> str:
    return f"incomplete: {count} question{'s' if count > 1 else ''} open"


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    from click.testing import CliRunner

    from palermo.cli import cli

    folder = tmp_path_factory.mktemp("formats")
    source = folder / "meridia.yaml"
    source.write_text(ANSWERS, encoding="utf-8")
    written = {}
    for ext in ("md", "html", "json", "csv", "docx"):
        target = folder / f"report.{ext}"
        result = CliRunner().invoke(cli, ["report", str(source), "-o", str(target)])
        assert result.exit_code == 0, result.output
        written[ext] = target
    written["answers"] = source
    return written


def _docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


@pytest.mark.parametrize("ext", ["md", "html", "docx"])
def test_documents_show_the_defect_and_that_it_is_incomplete(reports, ext):
    text = (_docx_text(reports[ext]) if ext == "docx"
            else reports[ext].read_text(encoding="utf-8"))
    assert "som.6.1.b" in text
    assert "Partially met" in text
    assert _mark(len(_open_questions(reports["answers"]))) in text
    assert "could not yet be assessed and 1 finding is incomplete" in text


def test_json_carries_status_open_questions_and_plan(reports):
    data = json.loads(reports["json"].read_text(encoding="utf-8"))
    item = next(o for o in data["obligations"] if o["id"] == "som.6.1.b")
    assert (item["status"], item["incomplete"], item["open_questions"]) == (
        "partially_met", True, list(_open_questions(reports["answers"])))
    assert item["priority"] == {"rank": 1, "label": "High", "order": 1}
    assert data["action_plan"] == ["som.6.1.b"]
    assert (data["summary"]["gaps"], data["summary"]["incomplete"]) == (1, 1)


def test_csv_row_counts_the_defect(reports):
    rows = list(csv.DictReader(io.StringIO(reports["csv"].read_text(encoding="utf-8-sig"))))
    row = next(r for r in rows if r["id"] == "som.6.1.b")
    assert (row["status"], row["priority"], row["action_order"]) == ("partially_met", "High", "1")


def test_gaps_table_marks_the_incomplete_gap(run, reports):
    count = len(_open_questions(reports["answers"]))
    result = run("gaps", reports["answers"], "--only-gaps")
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if line.startswith("som.6.1.b"))
    assert f"◐ Partially met ({count} open)" in row
    assert result.output.rstrip().endswith("· incomplete (questions open): 1")


def test_csv_action_order_is_for_gaps_only(tmp_path, run):
    """An advisory on a met obligation gives it no place in the action plan's order."""
    fixture = Path(__file__).parent / "fixtures" / "verdicts"
    source = tmp_path / "arvenia.yaml"
    source.write_text("""palermo: 1
state: Arvenia
instruments: [tip]
answers:
  tip.offence: {answer: 'yes'}
  tip.forms: {answer: [prostitution, forced_labour, slavery, organs]}
  tip.means: {answer: [force, deception, vulnerability]}
  tip.consent: {answer: silent}
  tip.policy: {answer: 'no'}
""", encoding="utf-8")
    target = tmp_path / "r.csv"
    result = run("report", source, "-o", target, "--catalog", fixture / "obligations",
                 "--questionnaires", fixture / "questionnaires")
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(target.read_text("utf-8-sig")))}
    assert (rows["tip.5.1"]["status"], rows["tip.5.1"]["action_order"]) == ("met", "")
    assert (rows["tip.9.1"]["status"], rows["tip.9.1"]["action_order"]) == ("not_met", "1")
