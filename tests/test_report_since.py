"""`palermo report NEW --since OLD`: a "Progress since <date>" section and marked rows."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import docx
import jsonschema

from palermo.resources import schema

ROOT = Path(__file__).resolve().parents[1]
EARLIER = ROOT / "examples" / "earlier" / "meridia-2025.yaml"
MERIDIA = ROOT / "examples" / "meridia.yaml"
ARVENIA = ROOT / "examples" / "arvenia.yaml"


def test_markdown_has_the_section_and_marks_rows(run, tmp_path):
    out = tmp_path / "report.md"
    result = run("report", MERIDIA, "--since", EARLIER, "-o", out)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    lines = text.splitlines()
    heading = lines.index("## Progress since 15 October 2025")
    assert lines.index("## Table of correspondence") > heading
    assert "Since the assessment of 15 October 2025, 2 gaps were closed" in text
    assert "| Smuggling of Migrants Protocol, art. 16(1) | Gap closed | ✗ Not met | ✓ Met |" \
        in text
    table = text[text.index("## Table of correspondence"):]
    assert table.count("improved since 15 October 2025") >= 3
    assert "new since 15 October 2025" in table
    assert "worsened since 15 October 2025" in table
    plain = tmp_path / "plain.md"
    assert run("report", MERIDIA, "-o", plain).exit_code == 0
    assert "since 15 October 2025" not in plain.read_text(encoding="utf-8")


def test_json_and_csv_carry_the_changes(run, tmp_path):
    out = tmp_path / "report.json"
    assert run("report", MERIDIA, "--since", EARLIER, "-o", out).exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(data, schema("report"))
    assert data["progress"]["since"] == "15 October 2025"
    kinds = {c["obligation"]: c["kind"] for c in data["progress"]["changes"]}
    assert kinds["som.16.1"] == "closed"
    marked = {o["id"]: o["change"] for o in data["obligations"] if "change" in o}
    assert marked["som.16.1"] == "improved since 15 October 2025"
    assert set(marked) == set(kinds)
    sheet = tmp_path / "report.csv"
    assert run("report", MERIDIA, "--since", EARLIER, "-o", sheet).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(sheet.read_text(encoding="utf-8-sig"))))
    assert {r["id"]: r["change"] for r in rows}["som.16.1"] == "improved since 15 October 2025"


def test_docx_section_read_back(run, tmp_path):
    out = tmp_path / "report.docx"
    assert run("report", MERIDIA, "--since", EARLIER, "-o", out).exit_code == 0
    document = docx.Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "Progress since 15 October 2025" in headings
    assert headings.index("Progress since 15 October 2025") < headings.index(
        "Table of correspondence")
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "Smuggling of Migrants Protocol, art. 16(1)" in cells
    assert any("improved since 15 October 2025" in c for c in cells)


def test_since_refuses_another_state_unless_forced(run, tmp_path):
    out = tmp_path / "report.md"
    refused = run("report", MERIDIA, "--since", ARVENIA, "-o", out)
    assert refused.exit_code == 1
    assert "compare two assessments of one State (or give --force)" in refused.output
    assert not out.exists()
    assert run("report", MERIDIA, "--since", ARVENIA, "--force", "-o", out).exit_code == 0
    assert run("report", MERIDIA, ARVENIA, "--since", EARLIER,
               "--output-dir", tmp_path / "out").exit_code == 2


def test_the_progress_part_takes_its_words_from_the_templates(run, tmp_path):
    wording = tmp_path / "wording"
    wording.mkdir()
    (wording / "labels.yaml").write_text(
        'progress:\n  heading: "Avances desde el {since}"\n  mark: "{mark} desde el {since}"\n'
        "changes:\n  closed: Brecha cerrada\nmarks:\n  improved: mejoró\n"
        "columns:\n  change: Cambio\n  before: Antes\n  now: Ahora\n", encoding="utf-8")
    (wording / "progress_intro.j2").write_text(
        "Desde la evaluación del {{ since }}, se cerraron {{ changes.closed }} brechas y "
        "{{ changes.worsened }} obligaciones empeoraron.\n\n"
        "Brechas que obligan a {{ state_display }}: {{ gaps_before }} antes, {{ gaps_now }} "
        "ahora.\n", encoding="utf-8")
    out = tmp_path / "report.md"
    result = run("report", MERIDIA, "--since", EARLIER, "--templates", wording, "-o", out)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "## Avances desde el 15 October 2025" in text
    assert "Desde la evaluación del 15 October 2025, se cerraron 2 brechas y 0 obligaciones " \
        "empeoraron." in text
    assert "Brechas que obligan a Meridia: " in text
    assert "| Treaty provision | Cambio | Antes | Ahora | Answers that changed |" in text
    assert "| Smuggling of Migrants Protocol, art. 16(1) | Brecha cerrada | ✗ Not met | ✓ Met |" \
        in text
    assert "mejoró desde el 15 October 2025" in text
    assert "Progress since" not in text and "Gap closed" not in text
