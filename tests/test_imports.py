"""`palermo --help` must stay fast: heavy libraries load only in the commands that use them."""

import subprocess
import sys


def test_cli_import_does_not_load_heavy_libraries():
    code = ("import sys, palermo.cli; "
            "print(sorted(m for m in ('docx', 'jinja2', 'jsonschema', 'lxml') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_help_lists_every_command(run):
    result = run("--help")
    assert result.exit_code == 0
    for command in ("assess", "answer", "catalog", "gaps", "questions", "report", "status",
                    "validate"):
        assert f"  {command} " in result.output
