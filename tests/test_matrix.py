"""`palermo matrix`: many assessments as a States × obligations grid, read back from files."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.enum.section import WD_ORIENT

from palermo.answers import load_answers, save_answers
from palermo.gaps import analyse
from palermo.matrix import Filters, build_matrix
from palermo.workspace import open_workspace
from palermo.writers import render_matrix
from palermo.writers.matrix_docx import COLUMNS_PER_TABLE

ROOT = Path(__file__).resolve().parents[1]
MERIDIA = ROOT / "examples" / "meridia.yaml"
ARVENIA = ROOT / "examples" / "arvenia.yaml"


@pytest.fixture(scope="module")
def ws():
    return open_workspace()


@pytest.fixture(scope="module")
def grid(ws):
    return build_matrix(ws, [MERIDIA, ARVENIA])


def analysis_of(ws, path):
    return analyse(ws.catalog, ws.bank, load_answers(path))


def test_rows_and_totals_follow_the_analysis(ws, grid):
    assert [r.state for r in grid.rows] == ["Meridia", "Arvenia"]
    for row, path in zip(grid.rows, (MERIDIA, ARVENIA), strict=True):
        results = analysis_of(ws, path).results
        totals = row.totals(grid.columns)
        binding = [r for r in results if r.binding]
        assert totals["not_binding"] == len(results) - len(binding)
        assert totals["met"] == sum(r.status.value == "met" for r in binding)
        assert totals["not_met"] == sum(r.status.value == "not_met" for r in binding)
        assert totals["open"] == sum(r.status.value == "not_assessed" for r in binding)
        assert sum(totals.values()) == len(results)


def test_a_state_not_bound_shows_not_binding_never_a_gap(ws, grid):
    arvenia = grid.rows[1]
    assert arvenia.party_status["firearms"] != "party"
    firearms = grid.columns_of("firearms")
    assert firearms
    for column in firearms:
        assert arvenia.cells[column.id].key == "not_binding"
        assert grid.column_totals(column)["gap"] == 0
        assert grid.column_totals(column)["not_binding"] == 1
    # A binding gap counts in its column: som.6.1.c is a gap of Meridia's (no offence).
    gaps = {c.id: grid.column_totals(c)["gap"] for c in grid.columns}
    meridia = grid.rows[0]
    expected = {c.id: sum(1 for r in grid.rows if (x := r.cells.get(c.id)) and x.is_gap)
                for c in grid.columns}
    assert gaps == expected
    assert any(cell.is_gap for cell in meridia.cells.values())


def test_filters(ws):
    som = build_matrix(ws, [MERIDIA, ARVENIA], filters=Filters(instruments=("som",)))
    assert som.columns and {c.instrument for c in som.columns} == {"som"}
    mandatory = build_matrix(ws, [MERIDIA], filters=Filters(strengths=("mandatory",),
                                                             categories=("criminalization",)))
    assert {(c.strength, c.category) for c in mandatory.columns} == {
        ("mandatory", "criminalization")}
    binding = build_matrix(ws, [MERIDIA, ARVENIA], filters=Filters(binding_only=True))
    assert all(cell.binding for row in binding.rows for cell in row.cells.values())
    assert not binding.columns_of("firearms")
    with pytest.raises(Exception, match="'treaty' is not a category"):
        build_matrix(ws, [MERIDIA], filters=Filters(categories=("treaty",)))


def test_bad_and_duplicate_files_are_reported_and_skipped(ws, tmp_path):
    (tmp_path / "broken.yaml").write_text("state: [unclosed\n")
    copy = load_answers(MERIDIA)
    copy.state = "MERIDIA"
    save_answers(copy, tmp_path / "meridia-copy.yaml")
    seen = []
    grid = build_matrix(ws, [MERIDIA, tmp_path], progress=lambda d, t: seen.append((d, t)),
                        workers=1)
    assert [r.state for r in grid.rows] == ["Meridia"]
    assert len(grid.failures) == 2
    assert grid.failures[0].startswith(f"{tmp_path / 'broken.yaml'}:2:1: invalid YAML")
    assert "a second assessment of MERIDIA" in grid.failures[1]
    assert all("\n" not in f for f in grid.failures)
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_many_files_in_worker_processes_give_the_same_grid(ws, tmp_path):
    for number in range(10):
        answers = load_answers(ARVENIA if number % 2 else MERIDIA)
        answers.state = f"State {number}"
        save_answers(answers, tmp_path / f"s{number:02d}.yaml")
    parallel = build_matrix(ws, [tmp_path], workers=2)
    serial = build_matrix(ws, [tmp_path], workers=1)
    assert [r.state for r in parallel.rows] == [f"State {n}" for n in range(10)]
    assert [r.cells for r in parallel.rows] == [r.cells for r in serial.rows]


def fill(cell) -> str:
    return cell.fill.fgColor.rgb[-6:]


def test_xlsx_read_back(grid):
    book = openpyxl.load_workbook(io.BytesIO(render_matrix(grid, "xlsx")))
    assert book.sheetnames == ["Summary", "UNTOC", "Trafficking in Persons Protocol",
                               "Smuggling of Migrants Protocol", "Firearms Protocol"]
    summary = book["Summary"]
    header = [c.value for c in summary[5]]
    assert header[:4] == ["State", "Party status", "Answers of", "Met"]
    assert summary["A6"].value == "Meridia" and summary["A7"].value == "Arvenia"
    assert summary.cell(6, 4).value == grid.rows[0].totals(grid.columns)["met"]
    assert summary.freeze_panes == "B6"
    som = book["Smuggling of Migrants Protocol"]
    assert som.freeze_panes == "B3"
    assert som.auto_filter.ref.startswith("A2:")
    columns = grid.columns_of("som")
    assert som.cell(2, 2).value.split("\n")[0] == columns[0].id
    for col, column in enumerate(columns, 2):
        cell = som.cell(3, col)
        expected = grid.rows[0].cells[column.id]
        assert cell.value.split(" ")[0] in "✓◐✗–?○"
        assert expected.status.label in cell.value
        assert fill(cell) != "000000"
    assert som.cell(4, 2).value is None            # Arvenia does not assess the SOM
    totals_row = 2 + len(grid.rows) + 2
    assert som.cell(totals_row, 1).value == "States with this gap"
    assert [som.cell(totals_row, c).value for c in range(2, len(columns) + 2)] == [
        grid.column_totals(c)["gap"] for c in columns]
    firearms = book["Firearms Protocol"]
    assert firearms.cell(4, 2).value == "○ Not binding"


def test_docx_read_back_fits_the_page(grid):
    document = docx.Document(io.BytesIO(render_matrix(grid, "docx")))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height
    text_width = section.page_width - section.left_margin - section.right_margin
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading 2")]
    assert headings[0] == "Summary"
    assert any(h.startswith("Criminalization — Smuggling of Migrants Protocol") for h in headings)
    tables = document.tables[1:]
    assert len(tables) == len(headings) - 1
    for table in tables:
        widths = [int(w) for w in re.findall(r'w:gridCol w:w="(\d+)"', table._tbl.xml)]
        assert len(widths) <= COLUMNS_PER_TABLE + 2
        assert sum(widths) * 635 <= text_width           # dxa to EMU
        assert table.rows[0].cells[0].text == "State"
        assert [r.cells[0].text for r in table.rows[1:-1]] == ["Meridia", "Arvenia"]
        assert table.rows[-1].cells[0].text == "States with this gap"
    covered = sum(len(t.columns) - 2 for t in tables)
    assert covered == len(grid.columns)


def test_html_is_standalone_and_sortable(grid):
    page = render_matrix(grid, "html").decode()
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert page.count('<table class="sortable">') == 1 + len(grid.instruments())
    assert "addEventListener(\"click\"" in page
    assert '<span class="sr">Not binding</span>' in page
    assert "States with this gap" in page


def test_csv_markdown_json(grid):
    rows = list(csv.reader(io.StringIO(render_matrix(grid, "csv").decode("utf-8-sig"))))
    assert rows[0][:2] == ["state", "file"] and rows[0][2] == grid.columns[0].id
    assert [r[0] for r in rows[1:]] == ["Meridia", "Arvenia", "States with this gap"]
    firearms = rows[0].index(grid.columns_of("firearms")[0].id)
    assert rows[2][firearms] == "not_binding"
    markdown = render_matrix(grid, "markdown").decode()
    assert "## Smuggling of Migrants Protocol" in markdown
    data = json.loads(render_matrix(grid, "json"))
    assert [s["state"] for s in data["states"]] == ["Meridia", "Arvenia"]
    assert data["skipped"] == []


def test_cli_matrix(run, tmp_path):
    (tmp_path / "bad.yaml").write_text("palermo: 1\nstate: X\n")
    out = tmp_path / "region.xlsx"
    result = run("matrix", MERIDIA, ARVENIA, tmp_path / "bad.yaml", "-o", out)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0] == f"Wrote {out}: 2 States × {len(build_matrix(open_workspace(), [MERIDIA, ARVENIA]).columns)} obligations"
    assert len(lines) == 2 and lines[1].startswith(f"Error: {tmp_path / 'bad.yaml'}")
    assert openpyxl.load_workbook(out).sheetnames[0] == "Summary"
    table = run("matrix", MERIDIA, ARVENIA)
    assert table.exit_code == 0
    assert table.output.splitlines()[2].split() == [
        "STATE", "MET", "PARTIAL", "NOT", "MET", "OPEN", "N/A", "NOT", "BINDING"]
    assert max(len(line) for line in table.output.splitlines()) <= 80
    nothing = run("matrix", tmp_path / "bad.yaml")
    assert nothing.exit_code == 1 and "no assessment could be read" in nothing.output
    assert run("matrix", MERIDIA, "--format", "xlsx").exit_code == 2


def test_cli_matrix_never_writes_over_an_input(run, tmp_path):
    copy = tmp_path / "meridia.yaml"
    copy.write_bytes(MERIDIA.read_bytes())
    result = run("matrix", tmp_path, "-o", copy, "--format", "csv")
    assert result.exit_code == 1
    assert "the output would overwrite the answers file" in result.output
    assert copy.read_bytes() == MERIDIA.read_bytes()


def test_cli_matrix_bad_filter_is_one_line(run):
    result = run("matrix", MERIDIA, "--strength", "must")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: 'must' is not a strength (expected one of: mandatory, qualified, consider, "
        "optional)"]


def test_column_headings_use_the_abbreviation_the_catalog_declares(grid):
    html = render_matrix(grid, "html").decode()
    assert "SOM 6(1)(a)" in html and "Firearms 5(1)(a)" in html
    assert {c.instrument: c.code for c in grid.columns} == {
        "untoc": "UNTOC", "tip": "TIP", "som": "SOM", "firearms": "Firearms"}
