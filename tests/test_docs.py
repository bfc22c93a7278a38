"""Every command has help text and is shown in the README."""

from pathlib import Path

import click
import pytest

from palermo.cli import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def commands(group: click.Group, prefix: str = "palermo") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            found.extend(commands(command, path))
        else:
            found.append((path, command))
    return found


@pytest.mark.parametrize("path, command", commands(cli))
def test_command_is_documented(path, command):
    assert command.help and command.help.strip(), f"{path} has no help"
    assert path in README, f"{path} is not shown in README.md"


def test_readme_gives_the_two_commands():
    assert "pip install . && palermo report examples/meridia.yaml -o gap-report.docx" in README
    assert "pip install -e '.[test]' && pytest" in README
