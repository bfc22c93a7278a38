"""One way to open an assessment: the library and the CLI give the same verdicts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from palermo.answers import check_answers, load_answers
from palermo.assessment import AnswersFileProblems, open_assessment
from palermo.gaps import analyse
from palermo.workspace import open_workspace

ROOT = Path(__file__).resolve().parents[1]
MERIDIA = ROOT / "examples" / "meridia.yaml"
SHORT = {"yes": "y", "no": "n", "partly": "p"}


def shorthand_copy(tmp_path: Path) -> Path:
    """Meridia's answers as a hurried user types them: y/n/p, and option numbers."""
    ws = open_workspace()
    data = yaml.safe_load(MERIDIA.read_text(encoding="utf-8"))
    changed = 0
    for qid, entry in data["answers"].items():
        question = ws.bank.questions[qid]
        value = entry.get("answer")
        if question.type == "yes_partly_no" and value in SHORT:
            entry["answer"] = SHORT[value]
            changed += 1
        elif question.type == "choice" and value in question.values[:-1]:
            entry["answer"] = str([v for v, _ in question.options].index(value) + 1)
            changed += 1
    assert changed > 20
    path = tmp_path / "meridia-short.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def statuses(analysis) -> dict[str, str]:
    return {r.obligation.id: r.status.value for r in analysis.results}


def test_library_and_cli_agree_on_shorthand_answers(run, tmp_path):
    ws = open_workspace()
    short = shorthand_copy(tmp_path)
    expected = statuses(open_assessment(ws, MERIDIA).analyse())
    # No benefit element: broader than required, met (SOM art. 6(4)); no illegal-stay offence.
    assert expected["som.6.1.a"] == "met" and expected["som.6.1.c"] == "not_met"

    assert statuses(open_assessment(ws, short).analyse()) == expected
    # Even without open_assessment, a file read as it is gives the same verdicts.
    assert statuses(analyse(ws.catalog, ws.bank, load_answers(short))) == expected
    cli = json.loads(run("gaps", short, "--format", "json").stdout)
    assert {o["id"]: o["status"] for o in cli["obligations"]} == expected


def test_opening_changes_nothing_it_reads(tmp_path):
    ws = open_workspace()
    short = shorthand_copy(tmp_path)
    before = short.read_bytes()
    answers = load_answers(short)
    values = {qid: a.value for qid, a in answers.answers.items()}
    assert check_answers(answers, ws.bank) == []
    assert {qid: a.value for qid, a in answers.answers.items()} == values   # checks are pure
    opened = open_assessment(ws, short)
    assert opened.answers.answers["som.smuggling_offence"].value == "yes"
    assert answers.answers["som.smuggling_offence"].value == "y"
    assert short.read_bytes() == before


def test_every_problem_is_collected(run, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "palermo: 1\n"
        "state: Meridia\n"
        "instruments: [som]\n"
        "answers:\n"
        "  som.smuggling_offence:\n"
        "    answer: maybe\n"
        "  som.ofence:\n"
        "    answer: 'yes'\n"
        "  som.benefit_element:\n"
        "    answer: sometimes\n", encoding="utf-8")
    with pytest.raises(AnswersFileProblems) as info:
        open_assessment(open_workspace(), path)
    problems = info.value.problems
    assert len(problems) == 3
    assert str(info.value) == (f"{path}:6:13: som.smuggling_offence: 'maybe' is not a valid "
                               "answer (expected one of: yes, partly, no, unknown) (and 2 more "
                               "problems in this file)")
    result = run("validate", path)
    assert result.exit_code == 1
    assert result.output.splitlines() == [f"Error: {p}" for p in problems]
    assert result.output.splitlines()[1].startswith(f"Error: {path}:7:3: som.ofence: unknown "
                                                    "question id")


def test_every_schema_problem_is_collected(run, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("palermo: 2\nstate: ''\ninstruments: [som]\nanswers: {}\n",
                    encoding="utf-8")
    result = run("validate", path)
    assert result.exit_code == 1
    assert len(result.output.splitlines()) == 2
    assert result.output.splitlines()[0].startswith(f"Error: {path}:1:10: ")
    assert result.output.splitlines()[1].startswith(f"Error: {path}:2:8: ")
