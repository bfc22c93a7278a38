"""Shared fixtures: the CLI runner and paths to the bundled data."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from palermo.cli import cli

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


@pytest.fixture
def run():
    """Invoke the CLI like a user; an unexpected traceback fails the test."""

    def invoke(*args: str, input: str | None = None) -> Result:
        runner = CliRunner()
        return runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)

    return invoke
