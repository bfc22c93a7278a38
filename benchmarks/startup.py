"""Where `palermo report` goes, from exec to the process's exit, in phases.

    python benchmarks/startup.py [--repeat 20] [--example FILE]

Each run is a fresh interpreter doing what `palermo report FILE -o r.docx` does, in the same
order: the console script's start (`palermo.lifetime.start`: no garbage collection until
what lasts as long as the process is loaded) and its import of the command-line layer, the
`report` command (its module only), the batch and workspace imports, the Word writer,
content model and template sandbox (`batch.preload`), the workspace from the user's cache
(then frozen, and collection resumes), the checked assessment and its analysis, the
report's content, the Word document, its atomic write
(with its two fsyncs) and the cache's flush, then the interpreter's own exit. Times are read
on the monotonic clock the parent started from, so the first phase includes the
interpreter's start and the last is seen from the parent. Medians over the runs; the second
figure of each phase is its CPU share measured in the child (process time; none for the
exit). It prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "meridia.yaml"

# The child: the same imports and calls as the command, a clock reading after each phase.
CHILD = """
import json, sys, time
marks = []
def mark(name):
    marks.append((name, time.monotonic(), time.process_time()))
from palermo import lifetime
lifetime.start()  # as the console script's main() does
from palermo.cli.base import cli
mark("interpreter, click and palermo.cli")
cli.commands["report"]
mark("the report command's module")
from palermo.batch import preload, report_one
from palermo.cli.base import workspace
mark("batch and workspace imports")
preload("docx")
mark("writer, content and templates (preload)")
ws = workspace(None, None)
mark("open_workspace (from the cache)")
from palermo.assessment import open_assessment
analysis = open_assessment(ws, sys.argv[1]).analyse()
mark("assessment and analysis")
from palermo.report.content import build_content  # loaded by preload
content = build_content(analysis)
mark("content")
from palermo.report.docx import render_docx  # loaded by preload
data = render_docx(content)
mark("Word document")
from pathlib import Path
from palermo.writers import write_output
from palermo import cache
write_output(Path(sys.argv[2]), data)
cache.flush()
mark("atomic write and cache flush")
print(json.dumps(marks), flush=True)
"""


def run_once(example: Path, output: Path) -> list[tuple[str, float, float]]:
    start = time.monotonic()
    out = subprocess.run([sys.executable, "-c", CHILD, str(example), str(output)],  # noqa: S603
                         capture_output=True, text=True, check=True)
    end = time.monotonic()
    marks = json.loads(out.stdout)
    phases, last, last_cpu = [], start, 0.0
    for name, at, cpu in marks:
        phases.append((name, at - last, cpu - last_cpu))
        last, last_cpu = at, cpu
    phases.append(("interpreter exit (seen from the parent)", end - last, 0.0))
    return phases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--example", type=Path, default=EXAMPLE)
    options = parser.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")],  # noqa: S603
                   check=False, stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory() as tmp:  # fills the user's cache, as an earlier run would
        output = Path(tmp) / "r.docx"
        subprocess.run([sys.executable, "-m", "palermo", "report", str(options.example),  # noqa: S603
                        "-o", str(output)], check=True, stdout=subprocess.DEVNULL)
        runs = [run_once(options.example, output) for _ in range(options.repeat)]
    names = [name for name, _, _ in runs[0]]
    heading = f"phase (median of {options.repeat} runs)"
    print(f"{heading:<40} {'wall ms':>8} {'cpu ms':>8}")
    for index, name in enumerate(names):
        wall = statistics.median(run[index][1] for run in runs) * 1000
        cpu = statistics.median(run[index][2] for run in runs) * 1000
        print(f"{name:<40} {wall:8.1f} {cpu:8.1f}")
    done = statistics.median(sum(p[1] for p in run) for run in runs) * 1000
    print(f"{'exec to exit (median)':<40} {done:8.1f}")


if __name__ == "__main__":
    main()
