"""Whole interviews with the bundled questionnaires, one instrument at a time.

A scripted respondent answers whatever question the interview shows last. Its replies are
collected by driving `Interview.run` directly, then typed into `palermo assess` through the
CLI; the answers file must then validate and `palermo gaps` must give every obligation in
scope a status, with nothing left `not_assessed`.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from palermo.answers import new_answers
from palermo.gaps import analyse
from palermo.interview import Interview
from palermo.scope import scope_of
from palermo.workspace import open_workspace

INSTRUMENTS = ["untoc", "tip", "som", "firearms"]
STATUSES = {"met", "partially_met", "not_met", "not_applicable"}
QUESTION_LINE = re.compile(r"^\[([a-z0-9_.]+)\] ")
CITATION = "Testland Penal Code 2015, s. 1"


@pytest.fixture(scope="module")
def ws():
    return open_workspace()


class Respondent:
    """Answers the last question shown, by its type, with one strategy throughout.

    yes: 'y', the first option, the first option of a multiple choice;
    partly: 'p', the second option, the first two options;
    no: 'n', the last option, 'none'.
    """

    def __init__(self, ws, strategy: str) -> None:
        self.ws = ws
        self.strategy = strategy
        self.question = None
        self.cited = False
        self.inputs: list[str] = []
        self.shown: list[str] = []
        self.messages: list[str] = []

    def say(self, line: str) -> None:
        self.messages.append(line)
        match = QUESTION_LINE.match(line)
        if match:
            self.question = self.ws.bank.get(match[1])
            self.shown.append(self.question.id)
            self.cited = False

    def reply(self, prompt: str) -> str:
        q = self.question
        if prompt.startswith("Citation"):
            reply, self.cited = ("" if self.cited else CITATION), True
            return reply
        assert not prompt.startswith("Note"), "a note is asked only on the key n"
        last = len(q.options)
        return {
            "yes_partly_no": {"yes": "y", "partly": "p", "no": "n"}[self.strategy],
            "choice": {"yes": "1", "partly": str(min(2, last)), "no": str(last)}[self.strategy],
            "multi_choice": {"yes": "1", "partly": "1,2" if last > 1 else "1",
                             "no": "none"}[self.strategy],
            "date": "2019-06-03",
            "citations": "Testland Penal Code 2015, s. 2; Testland Criminal Procedure Code, s. 3",
            "text": "Testland Official Gazette No. 12 of 2019",
        }[q.type]

    def ask(self, prompt: str) -> str:
        answer = self.reply(prompt)
        self.inputs.append(answer)
        assert len(self.inputs) < 5000, "the interview does not end"
        return answer


def interview(ws, instrument: str, strategy: str, path: Path):
    """Run a whole interview in memory; returns (complete, answers, respondent, interview)."""
    answers = new_answers("Testland", [instrument], catalog_version=ws.catalog.version)
    run = Interview(ws, answers, path)
    run.save = lambda: None   # the CLI run below exercises saving; this one only scripts
    respondent = Respondent(ws, strategy)
    complete = run.run(respondent.ask, respondent.say)
    return complete, answers, respondent, run


def check_interview(ws, instrument, complete, answers, respondent, run):
    assert complete
    assert not [m for m in respondent.messages if "is not a valid answer" in m]
    # Each question shown once, and every question that applies was shown and answered.
    assert [qid for qid, n in Counter(respondent.shown).items() if n > 1] == []
    run.state.forget()
    applies = [q.id for q in run.state.shown()]
    assert sorted(respondent.shown) == sorted(applies)
    assert set(answers.answers) == set(applies)
    assert all(a.usable for a in answers.answers.values())
    scope = scope_of(ws.catalog, ws.bank, [instrument])
    assert set(applies) <= scope.ids


@pytest.mark.parametrize("instrument", INSTRUMENTS)
def test_cli_interview_answers_every_question(ws, run, tmp_path, instrument):
    complete, expected, respondent, script = interview(ws, instrument, "yes",
                                                       tmp_path / "script.yaml")
    check_interview(ws, instrument, complete, expected, respondent, script)

    file = tmp_path / "testland.yaml"
    result = run("assess", file, "--state", "Testland", "--instruments", instrument,
                 input="\n".join(respondent.inputs) + "\n")
    assert result.exit_code == 0, result.output[-2000:]
    assert "Every question that applies has an answer." in result.output
    assert "is not a valid answer" not in result.output
    shown = [m[1] for line in result.output.splitlines() if (m := QUESTION_LINE.match(line))]
    assert shown == respondent.shown

    saved = yaml.safe_load(file.read_text())
    assert saved["state"] == "Testland" and saved["instruments"] == [instrument]
    assert {qid: entry["answer"] for qid, entry in saved["answers"].items()} == \
        {qid: a.value for qid, a in expected.answers.items()}
    cited = [qid for qid, entry in saved["answers"].items() if entry.get("citations")]
    assert cited and all(saved["answers"][q]["citations"] == [CITATION] for q in cited)

    valid = run("validate", file)
    assert valid.exit_code == 0, valid.output
    assert "0 questions waiting" in valid.output

    gaps = run("gaps", file, "--format", "json")
    assert gaps.exit_code == 0, gaps.output
    report = json.loads(gaps.output)
    statuses = {o["id"]: o["status"] for o in report["obligations"]}
    in_scope = {o.id for o in scope_of(ws.catalog, ws.bank, [instrument]).obligations}
    assert len(report["obligations"]) == len(statuses) == len(in_scope)
    assert set(statuses) == in_scope
    assert {k: v for k, v in statuses.items() if v not in STATUSES} == {}
    assert report["summary"]["not_assessed"] == 0
    # The CLI's report agrees with the analysis of the scripted answers.
    direct = analyse(ws.catalog, ws.bank, expected)
    assert statuses == {r.obligation.id: r.status.value for r in direct.results}


@pytest.mark.parametrize("strategy", ["partly", "no"])
@pytest.mark.parametrize("instrument", INSTRUMENTS)
def test_other_answer_paths_leave_nothing_unassessed(ws, tmp_path, instrument, strategy):
    complete, answers, respondent, script = interview(ws, instrument, strategy,
                                                      tmp_path / "script.yaml")
    check_interview(ws, instrument, complete, answers, respondent, script)
    results = analyse(ws.catalog, ws.bank, answers).results
    left = {r.obligation.id: r.findings for r in results if r.status.value not in STATUSES}
    assert left == {}
