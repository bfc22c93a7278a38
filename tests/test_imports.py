"""`palermo --help` must stay fast: heavy libraries load only in the commands that use them."""

import subprocess
import sys
from pathlib import Path


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


def test_only_the_palermo_process_keeps_its_workspace_out_of_garbage_collections(run):
    import gc

    example = Path(__file__).resolve().parents[1] / "examples" / "meridia.yaml"
    frozen = gc.get_freeze_count()
    assert run("gaps", example).exit_code == 0
    assert gc.get_freeze_count() == frozen  # called from other code: the collector untouched
    code = ("import gc, sys\nfrom palermo.cli import main\n"
            "sys.argv = ['palermo', 'gaps', sys.argv[1]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('FROZEN', gc.get_freeze_count())")
    out = subprocess.run([sys.executable, "-c", code, str(example)], capture_output=True,
                         text=True, check=True)
    assert int(out.stdout.rpartition("FROZEN ")[2]) > 10_000  # modules and the workspace
