"""`palermo gaps` on the bundled example, as a user runs it: cold and with the cache warm.

    python benchmarks/gaps.py [--repeat 15]

Wall time of the installed `palermo` command, interpreter start included (median of
--repeat runs), with compiled bytecode as an installed package has it. "Cold" is the first
run on an empty cache folder (everything loaded, checked and compiled); "warm" the runs that
follow (the checked workspace, the compiled templates, the answers file's check and its
analysis read back from the cache, see palermo.cache); "just edited" a run after the answers
file changed (the workspace and templates from the cache, the answers checked and analysed
anew). CPU is the child's user + system time: the wall time of an otherwise idle machine.
Also `palermo --help`, and the warm run with the cache off (PALERMO_NO_CACHE=1). Prints
figures; not a test.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import banner, line, palermo, timed_cpu  # noqa: E402 - the shared benchmark helpers

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "meridia.yaml"
TARGET = 0.15

CPU: list[float] = []  # user + system seconds of each run, what an idle machine's wall shows


def wall(args: list[str], env: dict[str, str]) -> float:
    seconds, _, cpu = timed_cpu(args, 1, env)
    CPU.append(cpu)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    options = parser.parse_args()
    import palermo as package

    compileall.compile_dir(Path(package.__file__).parent, quiet=1)  # as pip install does
    cmd = palermo()
    print(banner("palermo gaps"))
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.pop("PALERMO_NO_CACHE", None)
        env["PALERMO_CACHE_DIR"] = str(Path(tmp) / "cache")
        gaps = [*cmd, "gaps", str(EXAMPLE)]
        cold = wall(gaps, env)
        warm = statistics.median(wall(gaps, env) for _ in range(options.repeat))
        warm_cpu = statistics.median(CPU[-options.repeat:])
        best = min(wall(gaps, env) for _ in range(options.repeat))
        edited = Path(tmp) / "edited.yaml"
        text = EXAMPLE.read_text(encoding="utf-8")

        def after_an_edit(n: int) -> float:  # the answers file changed since the last run
            edited.write_text(text + f"# edit {n}\n", encoding="utf-8")
            return wall([*cmd, "gaps", str(edited)], env)

        after_edit = statistics.median(after_an_edit(n) for n in range(options.repeat))
        edit_cpu = statistics.median(CPU[-options.repeat:])
        off = statistics.median(wall(gaps, {**env, "PALERMO_NO_CACHE": "1"})
                                for _ in range(max(3, options.repeat // 3)))
        helped = statistics.median(wall([*cmd, "--help"], env) for _ in range(options.repeat))
    rows = [("palermo gaps, cache warm (median)", warm, TARGET),
            ("palermo gaps, cache warm (best)", best, TARGET),
            ("palermo gaps, cache warm, CPU user+sys (median)", warm_cpu, TARGET),
            ("palermo gaps, answers file just edited (median)", after_edit, None),
            ("palermo gaps, answers file just edited, CPU (median)", edit_cpu, None),
            ("palermo gaps, cold: first run on an empty cache", cold, None),
            ("palermo gaps, PALERMO_NO_CACHE=1 (median)", off, None),
            ("palermo --help (median)", helped, TARGET)]
    for name, value, target in rows:
        print(line(name, value, "s", target))


if __name__ == "__main__":
    main()
