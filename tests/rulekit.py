"""What the rule tests share: answers in, statuses out, and the checks every defect table makes."""

from __future__ import annotations

from palermo.answers import Answer, AnswersFile
from palermo.gaps import analyse
from palermo.model import GapAnalysis
from palermo.workspace import Workspace


def assess(ws: Workspace, instruments: list[str], values: dict) -> GapAnalysis:
    """Analyse a State whose answers are `values` (None leaves a question unanswered)."""
    file = AnswersFile(state="Meridia", instruments=instruments,
                       answers={k: Answer(value=v) for k, v in values.items() if v is not None})
    return analyse(ws.catalog, ws.bank, file)


def status_map(analysis: GapAnalysis) -> dict[str, str]:
    return {r.obligation.id: r.status.value for r in analysis.results}


def assert_real_answers(ws: Workspace, compliant: dict) -> None:
    """Every baseline answer names a real question and one of its real answer values."""
    for qid, value in compliant.items():
        question = ws.bank.get(qid)
        for item in value if isinstance(value, list) else [value]:
            assert item in question.values, (qid, item)


def assert_defect(result: dict[str, str], baseline: dict[str, str], expected: dict) -> None:
    """The defect gives exactly the expected statuses and moves nothing else."""
    assert {k: result[k] for k in expected} == expected
    moved = {k: v for k, v in result.items() if v != baseline[k]}
    assert set(moved) <= set(expected), f"unexpected changes: {moved}"
