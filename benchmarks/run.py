"""Speed and memory of palermo against its targets, measured as a user runs it.

    python benchmarks/run.py [--repeat 5] [--count 200]

Each figure is wall-clock time of the installed `palermo` command, interpreter start
included, as the median of several runs; memory is the peak resident size of the process.
This prints figures; it is not a test and does not fail a build.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import banner, line, palermo, timed  # noqa: E402 - the shared benchmark helpers

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "meridia.yaml"



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--count", type=int, default=200, help="assessments in the batch run")
    options = parser.parse_args()
    cmd = palermo()
    print(banner("palermo benchmarks"))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        help_s, help_mb = timed([*cmd, "--help"], options.repeat * 2)
        print(line("palermo --help (wall)", help_s, "s", 0.15))
        report_s, report_mb = timed([*cmd, "report", str(EXAMPLE), "-o",
                                     str(work / "one.docx")], options.repeat)
        print(line("palermo report, bundled example (wall)", report_s, "s", 1.0))
        print(line("palermo report, bundled example (peak RSS)", report_mb, "MB", 200))
        states = work / "states"
        states.mkdir()
        text = EXAMPLE.read_text(encoding="utf-8")
        for n in range(options.count):
            (states / f"state-{n:03d}.yaml").write_text(
                text.replace("state: Meridia", f"state: Meridia {n}"),
                encoding="utf-8")
        files = sorted(str(p) for p in states.iterdir())
        batch_s, batch_mb = timed([*cmd, "report", *files, "--output-dir", str(work / "out")], 1)
        written = len(list((work / "out").glob("*.docx")))
        print(line(f"palermo report, {written} assessments --output-dir (wall)", batch_s, "s",
                   20.0))
        print(line(f"palermo report, {written} assessments (peak RSS)", batch_mb, "MB", 200))
        print(f"{'per assessment in the batch':<46} {batch_s / max(written, 1) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
