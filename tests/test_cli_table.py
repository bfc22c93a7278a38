"""The command table: `palermo NAME` imports NAME's module alone, and the table tells the truth."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from palermo.cli import cli
from palermo.cli.base import COMMANDS, LazyCommands

CLI_PACKAGE = Path(__file__).resolve().parents[1] / "src" / "palermo" / "cli"
COMMAND_MODULES = sorted(p.stem for p in CLI_PACKAGE.glob("*.py")
                         if not p.stem.startswith("_") and p.stem != "base")


def loaded_modules(*args: str) -> tuple[str, list[str]]:
    """What `palermo ARGS` prints, and which command modules it imported."""
    code = ("import json, sys\nfrom palermo.cli import main\n"
            "sys.argv = ['palermo', *sys.argv[1:]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('MODULES', json.dumps(sorted(m for m in sys.modules\n"
            "                                   if m.startswith('palermo.cli.'))))")
    env = {**os.environ, "COLUMNS": "80"}  # click's help is then 78 columns wide
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         check=True, env=env)
    text, _, modules = out.stdout.rpartition("MODULES ")
    return text + out.stderr, json.loads(modules)


def test_the_table_names_every_command_of_every_module_and_its_module():
    defined: dict[str, str] = {}
    for module in COMMAND_MODULES:
        importlib.import_module(f"palermo.cli.{module}")
    for name, command in cli.commands.loaded.items():
        callback = command.callback
        defined[name] = (callback.__module__ if callback else "").rpartition(".")[2]
    assert defined == {name: module for name, (module, _) in COMMANDS.items()}
    assert set(COMMAND_MODULES) == {module for module, _ in COMMANDS.values()}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_table_help_is_the_commands_own_first_paragraph(name):
    real = cli.commands[name]
    stand_in = click.Command(name, help=COMMANDS[name][1])
    assert real.short_help is None  # else the listing must show it, not the table's text
    for limit in range(10, 200, 7):
        assert stand_in.get_short_help_str(limit) == real.get_short_help_str(limit)


def test_help_lists_every_command_without_importing_one():
    output, modules = loaded_modules("--help")
    assert modules == ["palermo.cli.base"]
    for name in COMMANDS:
        assert f"  {name} " in output
    assert "  report     Write the gap report (Word by default; PDF, Excel," in output


def test_help_is_what_click_lists_with_every_command_loaded():
    for name in COMMANDS:
        cli.commands[name]  # load them all: click's own listing then sees the real commands
    with click.Context(cli, info_name="palermo") as ctx:
        ours = click.HelpFormatter(width=78)
        cli.format_commands(ctx, ours)
        clicks = click.HelpFormatter(width=78)
        click.Group.format_commands(cli, ctx, clicks)
    assert ours.getvalue() == clicks.getvalue()
    output, _ = loaded_modules("--help")
    assert ours.getvalue() in output


def test_a_command_imports_its_own_module_only():
    output, modules = loaded_modules("report", "--help")
    assert "Write the gap report" in output
    assert modules == ["palermo.cli.base", "palermo.cli.report"]
    _, modules = loaded_modules("status", "--help")
    assert modules == ["palermo.cli.base", "palermo.cli.checking"]
    _, modules = loaded_modules("catalog", "list", "--help")
    assert modules == ["palermo.cli.base", "palermo.cli.catalog"]


def test_a_misspelt_command_is_refused_with_a_suggestion(run):
    result = run("reprot", "x.yaml")
    assert result.exit_code == 2
    assert "No such command 'reprot'. Did you mean 'report'?" in result.output
    output, modules = loaded_modules("reprot")
    assert "Error: No such command 'reprot'. Did you mean 'report'?" in output
    assert modules == ["palermo.cli.base"]


def test_the_lazy_table_behaves_as_a_mapping():
    commands = LazyCommands({"report": ("report", "Write the gap report.")})
    assert "report" in commands and "nothing" not in commands
    assert list(commands) == ["report"] and len(commands) == 1
    assert commands.loaded == {}
    extra = click.Command("extra")
    commands["extra"] = extra
    assert list(commands) == ["report", "extra"] and len(commands) == 2
    assert commands.get("extra") is extra and commands.get("nothing") is None
    del commands["extra"]
    assert "extra" not in commands
    with pytest.raises(KeyError):
        commands["nothing"]
