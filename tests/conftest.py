"""Shared fixtures: the CLI runner and paths to the bundled data."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from palermo.cli import cli

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch):
    """Every test caches into a folder of its own, never into the real home directory."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder / "xdg"))
    monkeypatch.delenv("PALERMO_CACHE_DIR", raising=False)
    monkeypatch.delenv("PALERMO_NO_CACHE", raising=False)
    return folder / "xdg" / "palermo"


@pytest.fixture
def run():
    """Invoke the CLI like a user; an unexpected traceback fails the test."""

    def invoke(*args: str, input: str | None = None) -> Result:
        runner = CliRunner()
        return runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)

    return invoke
