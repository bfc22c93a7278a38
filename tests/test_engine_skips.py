"""Skipping any one question of a finished assessment never invents a defect, never hides a
known one behind a better status, and always says what is open.

For every question of the bundled examples: skipped, each obligation either keeps its status,
waits (not assessed), or keeps a gap that is no worse than the full answers give, marked
incomplete with the skipped question among its open questions.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from palermo.answers import Answer, load_answers
from palermo.gaps import analyse
from palermo.model import Status
from palermo.workspace import open_workspace

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SEVERITY = {Status.PARTIALLY_MET: 1, Status.NOT_MET: 2}


@pytest.mark.parametrize("example", ["meridia.yaml", "arvenia.yaml"])
def test_one_skipped_question_at_a_time(example):
    ws = open_workspace()
    answers = load_answers(EXAMPLES / example)
    full = {r.obligation.id: r for r in analyse(ws.catalog, ws.bank, answers).results}
    checked = 0
    for qid, answer in answers.answers.items():
        if qid not in ws.bank.questions or not answer.usable:
            continue
        skipped = replace(answers, answers={**answers.answers, qid: Answer(skipped=True)})
        for result in analyse(ws.catalog, ws.bank, skipped).results:
            before = full[result.obligation.id]
            where = (qid, result.obligation.id, before.status.value, result.status.value)
            if result.status is Status.NOT_ASSESSED or result.status is before.status:
                pass
            else:
                assert result.status.is_gap and before.status.is_gap, where
                assert SEVERITY[result.status] <= SEVERITY[before.status], where
            if result.status is not Status.NOT_ASSESSED and result.open_questions:
                assert result.incomplete, where
            checked += 1
    assert checked > 1000
