"""`palermo --help` must stay fast: heavy libraries load only in the commands that use them."""

import subprocess
import sys
import tempfile
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
    # Called from other code, the collector is untouched: never paused, nothing frozen.
    assert gc.get_freeze_count() == frozen
    assert gc.isenabled()
    code = ("import gc, sys\nfrom palermo.cli import main\n"
            "print('CLICK', 'click' in sys.modules)\n"
            "sys.argv = ['palermo', sys.argv[1], sys.argv[2], *sys.argv[3:]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('FROZEN', gc.get_freeze_count(), 'COLLECTING', gc.isenabled())\n"
            "if 'palermo.templating' in sys.modules:\n"
            "    env = sys.modules['palermo.templating']._environment()\n"
            "    print('SANDBOX', 'collected' if any(o is env for o in gc.get_objects())"
            " else 'frozen')\n")

    def palermo_process(*args: str) -> str:
        return subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                              text=True, check=True).stdout

    out = palermo_process("gaps", str(example))
    assert "CLICK False" in out  # main() pauses the collector before click loads
    frozen_count, _, collecting = out.rpartition("FROZEN ")[2].partition(" COLLECTING ")
    assert int(frozen_count) > 10_000  # modules and the workspace
    assert collecting.split()[0] == "True"  # the command's own work is collected as usual
    with tempfile.TemporaryDirectory() as tmp:
        # The report's writer and template sandbox are loaded before the workspace, and
        # frozen with it.
        out = palermo_process("report", str(example), "-o", str(Path(tmp) / "r.docx"))
    assert "COLLECTING True\nSANDBOX frozen" in out
