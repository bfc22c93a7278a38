"""Speed of `palermo compare` and `palermo matrix`, measured as a user runs them.

    python benchmarks/regional.py [--repeat 5] [--count 200]

Wall-clock time of the installed `palermo` command, interpreter start and catalog loading
included, median of several runs; and, inside one process with the catalog loaded, the time
of the comparison itself. The matrix reads `--count` assessments made from the bundled
examples (six States of different profiles, renamed). Prints figures; not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import banner, line, palermo, timed_cpu  # noqa: E402 - the shared benchmark helpers

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
EARLIER = EXAMPLES / "earlier" / "meridia-2025.yaml"
NOW = EXAMPLES / "meridia.yaml"


def make_region(folder: Path, count: int) -> list[Path]:
    """`count` answers files: the bundled States in turn, each under a name of its own."""
    sources = [NOW, EXAMPLES / "arvenia.yaml", *sorted((EXAMPLES / "regional").glob("*.yaml"))]
    folder.mkdir()
    made = []
    for n in range(count):
        source = sources[n % len(sources)]
        text = source.read_text(encoding="utf-8")
        state = next(ln for ln in text.splitlines() if ln.startswith("state: "))
        out = folder / f"state-{n:03d}.yaml"
        out.write_text(text.replace(state, f"{state} {n}", 1), encoding="utf-8")
        made.append(out)
    return made


def library_comparison(repeat: int) -> float:
    """One comparison with the catalog already loaded, as a service or a notebook runs it."""
    from palermo.compare import compare_assessments
    from palermo.revisions import read_assessment
    from palermo.workspace import open_workspace
    from palermo.writers import render_comparison

    ws = open_workspace()
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(repeat + 1):
            # Fresh copies each time, so that nothing read before is remembered.
            old, new = Path(tmp) / f"old-{run}.yaml", Path(tmp) / f"new-{run}.yaml"
            old.write_text(EARLIER.read_text(encoding="utf-8") + f"# run {run}\n")
            new.write_text(NOW.read_text(encoding="utf-8") + f"# run {run}\n")
            start = time.perf_counter()
            comparison = compare_assessments(ws, read_assessment(old), read_assessment(new))
            render_comparison(comparison, "table")
            times.append(time.perf_counter() - start)
    return statistics.median(times[1:])  # the first run also compiles the catalog's wording


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--count", type=int, default=200, help="assessments in the matrix")
    options = parser.parse_args()
    cmd = palermo()
    print(banner("palermo compare/matrix benchmarks"))
    compare_s, _, compare_cpu = timed_cpu([*cmd, "compare", str(EARLIER), str(NOW)],
                                          options.repeat)
    print(f"load average: {os.getloadavg()[0]:.2f}")
    print(line("palermo compare, bundled examples (wall)", compare_s, "s", 0.3))
    print(line("  CPU time (idle-machine wall)", compare_cpu, "s", 0.3))
    print(line("comparison, catalog loaded (library)", library_comparison(options.repeat),
               "s", 0.3))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        region = work / "region"
        make_region(region, options.count)
        n = options.count
        cores = min(os.cpu_count() or 1, 8)
        print(f"load average before the matrix runs: {os.getloadavg()[0]:.2f}")
        for fmt in ("table", "xlsx", "html", "docx"):
            args = [*cmd, "matrix", str(region)]
            if fmt != "table":
                args += ["-o", str(work / f"region.{fmt}")]
            wall, peak, cpu = timed_cpu(args, max(1, options.repeat // 2))
            print(line(f"palermo matrix, {n} assessments, {fmt} (wall)", wall, "s", 5.0))
            print(line(f"  CPU time / {cores} cores (idle-machine wall)", cpu / cores, "s",
                       5.0))
            print(line("  peak RSS of one process", peak, "MB", 200))


if __name__ == "__main__":
    main()
