"""Speed and memory of the Word report, measured as a user runs it, against its targets.

    python benchmarks/reports.py [--repeat 5] [--count 200]

- the bundled example's DOCX: wall time of `palermo report EXAMPLE -o r.docx` (interpreter
  start included, median of several runs), against 0.3 s and against 0.3 × the wall time of
  pandoc turning the same report's Markdown into DOCX on the same machine in the same run;
- 200 DOCX reports with --output-dir: wall time, against 8 s;
- peak resident memory of those commands, against 150 MB;
- where the time of one report goes, in process (analysis, content, Word document).

It prints figures; it is not a test and does not fail a build.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import startup  # noqa: E402 - the phases of one report's start
from measure import banner, line, palermo, timed, timed_cpu  # noqa: E402 - the shared benchmark helpers

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "meridia.yaml"



def in_process(example: Path) -> str:
    """Where one report's time goes, in a warm process (second run of each step)."""
    from palermo.assessment import open_assessment
    from palermo.report.content import build_content
    from palermo.report.docx import render_docx
    from palermo.workspace import open_workspace

    ws = open_workspace()
    steps: dict[str, float] = {}
    for _ in range(2):
        start = time.perf_counter()
        analysis = open_assessment(ws, example).analyse()
        middle = time.perf_counter()
        content = build_content(analysis)
        made = time.perf_counter()
        render_docx(content)
        done = time.perf_counter()
        steps = {"analysis": middle - start, "content": made - middle, "docx": done - made}
    return ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in steps.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--count", type=int, default=200, help="assessments in the batch run")
    parser.add_argument("--example", type=Path, default=EXAMPLE, help="answers file to report")
    options = parser.parse_args()
    example = options.example
    cmd = palermo()
    print(banner("palermo report benchmarks"))
    # An installed palermo has its bytecode compiled (pip does it on install); a source
    # checkout run with PYTHONDONTWRITEBYTECODE would compile every module on every run.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")],  # noqa: S603
                   check=False, stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        docx_s, docx_mb, docx_cpu = timed_cpu(
            [*cmd, "report", str(example), "-o", str(work / "r.docx")], options.repeat)
        print(line("palermo report, bundled example, DOCX (wall)", docx_s, "s", 0.3))
        print(f"{'  its CPU time (user + system)':<52} {docx_cpu:8.3f} s")
        print(line("palermo report, bundled example (peak RSS)", docx_mb, "MB", 150))
        pandoc = shutil.which("pandoc")
        if pandoc:
            timed([*cmd, "report", str(example), "-o", str(work / "r.md")], 1)
            pandoc_s, _, pandoc_cpu = timed_cpu(
                [pandoc, str(work / "r.md"), "-o", str(work / "p.docx")], options.repeat)
            print(f"{'pandoc, the same report Markdown to DOCX (wall)':<52} {pandoc_s:8.3f} s")
            print(f"{'  its CPU time (user + system)':<52} {pandoc_cpu:8.3f} s")
            print(line("palermo DOCX / pandoc", docx_s / pandoc_s, "×", 0.3))
            print(f"{'  CPU time ratio':<52} {docx_cpu / pandoc_cpu:8.3f} ×")
        else:
            print("pandoc not installed: no comparison")
        states = work / "states"
        states.mkdir()
        text = example.read_text(encoding="utf-8")
        for n in range(options.count):
            (states / f"state-{n:03d}.yaml").write_text(
                text.replace("state: Meridia", f"state: Meridia {n}"), encoding="utf-8")
        files = sorted(str(p) for p in states.iterdir())
        batch_s, batch_mb, batch_cpu = timed_cpu(
            [*cmd, "report", *files, "--output-dir", str(work / "out")], 1)
        written = len(list((work / "out").glob("*.docx")))
        print(line(f"palermo report, {written} DOCX --output-dir (wall)", batch_s, "s", 8.0))
        print(f"{'  its CPU time (user + system, both workers)':<52} {batch_cpu:8.3f} s")
        print(line(f"palermo report, {written} DOCX (peak RSS)", batch_mb, "MB", 150))
    print(f"one report in a warm process: {in_process(example)}")
    with tempfile.TemporaryDirectory() as tmp:
        runs = [startup.run_once(example, Path(tmp) / "r.docx") for _ in range(options.repeat)]
    phases = ", ".join(f"{name} {statistics.median(run[i][1] for run in runs) * 1000:.0f} ms"
                       for i, (name, _, _) in enumerate(runs[0]))
    print(f"one report, from exec to exit (benchmarks/startup.py): {phases}")


if __name__ == "__main__":
    main()
