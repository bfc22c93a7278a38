"""Options every command shares: --catalog, --questionnaires, --instruments."""

from __future__ import annotations

from pathlib import Path

import click

from palermo.cli import cli

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini"

# `catalog diff`: its --catalog and --questionnaires are the NEW side.
NO_QUESTIONNAIRES: set[str] = set()


def commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += commands(command, f"{prefix}{name} ")
        else:
            found.append((f"{prefix}{name}", command))
    return found


def test_every_command_takes_catalog_and_questionnaires():
    for name, command in commands(cli):
        options = {opt for param in command.params for opt in getattr(param, "opts", ())}
        assert "--catalog" in options, name
        if name not in NO_QUESTIONNAIRES:
            assert "--questionnaires" in options, name


def test_instrument_options_have_one_name():
    for name, command in commands(cli):
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                assert "--instrument" not in param.opts, name


def test_catalog_validate_with_catalog_option(run, tmp_path):
    by_option = run("catalog", "validate", "--catalog", MINI / "obligations",
                    "--questionnaires", MINI / "questionnaires")
    by_argument = run("catalog", "validate", MINI / "obligations",
                      "--questionnaires", MINI / "questionnaires")
    assert by_option.exit_code == by_argument.exit_code
    assert by_option.output == by_argument.output
    assert "0.9.0" in by_option.output
    both = run("catalog", "validate", ROOT / "obligations", "--catalog", MINI / "obligations")
    assert both.exit_code == 2
    assert "give the catalog folder once: DIRECTORY or --catalog DIR" in both.output


def test_catalog_diff_new_side_defaults_to_the_catalog_option(run):
    result = run("catalog", "diff", MINI / "obligations", "--catalog", MINI / "obligations")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "Catalog 0.9.0 → 0.9.0", "Obligations: 0 added, 0 removed, 0 changed",
        "Strengths: 0 changed", "Rules: 0 added, 0 removed, 0 changed",
        "Questions: 0 added, 0 retired, 0 removed, 0 changed"]


def test_questions_on_another_catalog(run):
    result = run("questions", "--catalog", MINI / "obligations",
                 "--questionnaires", MINI / "questionnaires", "--format", "json")
    assert result.exit_code == 0, result.output
