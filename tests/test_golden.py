"""Golden files: the bundled example's Markdown report and `gaps` table, word for word.

A change to what a reader sees must be deliberate. When it is, regenerate the files and
commit them with the change:

    PALERMO_UPDATE_GOLDEN=1 pytest tests/test_golden.py

and read the diff (`git diff tests/golden/`) as a reviewer would.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
MERIDIA = ROOT / "examples" / "meridia.yaml"
UPDATE = bool(os.environ.get("PALERMO_UPDATE_GOLDEN"))


def check(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(actual, encoding="utf-8")
        return
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(list(difflib.unified_diff(
            expected.splitlines(True), actual.splitlines(True), f"golden/{name}", "now", n=1))[:60])
        pytest.fail(f"{name} differs from the golden file (if on purpose: "
                    f"PALERMO_UPDATE_GOLDEN=1 pytest tests/test_golden.py):\n{diff}",
                    pytrace=False)


def test_markdown_report_of_the_example(run, tmp_path):
    out = tmp_path / "meridia.md"
    result = run("report", MERIDIA, "-o", out)
    assert result.exit_code == 0, result.output
    check("meridia-report.md", out.read_text(encoding="utf-8"))


def test_gaps_table_of_the_example(run, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")  # the table fits the terminal: make it a known one
    result = run("gaps", MERIDIA)
    assert result.exit_code == 0, result.output
    check("meridia-gaps.txt", result.stdout)
