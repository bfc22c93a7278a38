"""One table of report formats and one of question types, followed everywhere."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click

from palermo.cli import cli
from palermo.questiontypes import QUESTION_TYPES
from palermo.report import FORMAT_TABLE, FORMATS, TEXT_FORMATS, format_for, report_format
from palermo.resources import schema

ROOT = Path(__file__).resolve().parents[1]


def option_choices(command: click.Command, name: str) -> list[str]:
    option = next(p for p in command.params if p.name == name)
    assert isinstance(option.type, click.Choice)
    return list(option.type.choices)


def test_cli_formats_come_from_the_table():
    report = cli.commands["report"]
    gaps = cli.commands["gaps"]
    assert option_choices(report, "fmt") == list(FORMATS)
    assert option_choices(gaps, "fmt") == ["table", *TEXT_FORMATS]
    assert "docx" not in TEXT_FORMATS and "markdown" in TEXT_FORMATS


def test_every_extension_names_its_format():
    for row in FORMAT_TABLE:
        for extension in row.extensions:
            assert format_for(Path(f"out/report{extension.upper()}"), None) == row.name
        assert report_format(row.name) is row


def test_output_dir_names_use_the_first_extension(run, tmp_path):
    result = run("report", ROOT / "examples" / "meridia.yaml", "--output-dir", tmp_path / "out",
                 "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["meridia.md"]


def test_question_types_match_the_schema_and_the_docs():
    definition = schema("questionnaire")["$defs"]["question"]
    assert definition["properties"]["type"]["enum"] == list(QUESTION_TYPES)
    needs_options = next(rule for rule in definition["allOf"]
                         if "options" in rule["then"].get("required", []))
    assert needs_options["if"]["properties"]["type"]["enum"] == [
        t.name for t in QUESTION_TYPES.values() if t.has_options]
    docs = (ROOT / "docs" / "catalog-format.md").read_text(encoding="utf-8")
    for kind in QUESTION_TYPES.values():
        assert f"| `{kind.name}` | {kind.summary} |" in docs


def test_the_interview_prompts_from_the_table(tmp_path):
    from palermo.answers import new_answers
    from palermo.interview import Interview
    from palermo.workspace import open_workspace

    ws = open_workspace()
    answers = new_answers("Testland", ["som"], catalog_version=ws.catalog.version)
    prompts: list[str] = []

    def ask(prompt: str) -> str:
        prompts.append(prompt)
        return "q"

    interview = Interview(ws, answers, tmp_path / "t.yaml")
    first = interview.next_question()
    assert first is not None
    interview.run(ask, lambda _line: None)
    assert prompts == [QUESTION_TYPES[first.type].prompt]


def test_the_library_imports_no_click():
    code = ("import sys, palermo.assessment, palermo.batch, palermo.gaps, palermo.report, "
            "palermo.interview, palermo.validate; print('click' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_formats_table_is_json_safe():
    # What `--format` accepts is also what the report JSON Schema's readers see named.
    assert json.loads(json.dumps(FORMATS)) == list(FORMATS)
