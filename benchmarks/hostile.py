"""Time and memory of palermo on hostile input: every bad file must fail within 5 s and 512 MB.

    python benchmarks/hostile.py

Runs the installed `palermo` on each hostile case of tests/test_hostile.py (the same files,
built the same way) as a user would, and prints wall time and peak resident memory of each
run, against the limits. This prints figures; it is not a test and does not fail a build.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import test_hostile as cases  # noqa: E402
from hostile_docx import bomb_docx, hostile_docx, macro_enabled_docx  # noqa: E402

LIMIT_SECONDS, LIMIT_MB = 5.0, 512.0


# ru_maxrss of a child counts the memory of the process it was forked from (this script,
# with the test modules loaded): the child reports its own high-water mark instead.
_MEASURED = """
import atexit, os, sys
def peak():
    with open("/proc/self/status") as status:
        kb = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    with open(os.environ["PALERMO_BENCH_PEAK"], "w") as out:
        out.write(kb)
atexit.register(peak)
from palermo.cli import main
sys.argv = ["palermo", *sys.argv[1:]]
main()
"""


def measure(args: list[str], scratch: Path) -> tuple[float, float, int]:
    """Wall seconds, peak resident MB and exit status of one palermo command."""
    peak_file = scratch / "peak"
    env = {**os.environ, "PALERMO_BENCH_PEAK": str(peak_file)}
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", _MEASURED, *map(str, args)],  # noqa: S603
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=env, check=False)
    seconds = time.perf_counter() - start
    return seconds, int(peak_file.read_text()) / 1024, result.returncode


def runs(work: Path) -> list[tuple[str, list]]:
    mini = [str(a) for a in cases.CAT]
    valid = work / "valid.yaml"
    valid.write_text(cases.VALID)
    found: list[tuple[str, list]] = []
    for name, _ in cases.ANSWERS_CASES:
        folder = work / name.replace(".", "_")
        folder.mkdir()
        path = cases._bad_answers(folder, name)
        found.append((f"answers {name} (gaps)", ["gaps", path, *mini]))
        found.append((f"answers {name} (report docx)",
                      ["report", path, "-o", folder / "out.docx", *mini]))
    for name, _ in cases.TEMPLATE_CASES:
        folder = work / ("t_" + name)
        folder.mkdir()
        shutil.copy(cases.BAD / "templates" / name, folder / "title.j2")
        found.append((f"template {name}", ["report", valid, "-o", folder / "out.md",
                                           "--templates", folder, *mini]))
    for name, build in (("hostile.docx (sanitised)", hostile_docx), ("macro.docm",
                        macro_enabled_docx), ("styles-bomb.docx",
                        lambda: bomb_docx("word/styles.xml")), ("image-bomb.docx", bomb_docx)):
        reference = work / name.split()[0]
        reference.write_bytes(build())
        found.append((f"reference {name}", ["report", valid, "-o", work / "r.docx",
                                            "--reference-doc", reference, *mini]))
    for name in ("som_alias_bomb.yaml", "som_recursive_alias.yaml"):
        folder = work / ("c_" + name)
        shutil.copytree(cases.MINI, folder)
        shutil.copy(cases.BAD / "catalog" / name, folder / "obligations" / "som.yaml")
        found.append((f"catalog {name}", ["catalog", "validate", folder / "obligations",
                                          "--questionnaires", folder / "questionnaires"]))
    chain = work / "chain"
    shutil.copytree(cases.MINI, chain)
    som = chain / "questionnaires" / "som.yaml"
    som.write_text(som.read_text().replace("sections:\n", "sections:\n" + cases._chain(3000), 1))
    found.append(("questionnaire show_if chain of 3,000", ["catalog", "validate",
                  chain / "obligations", "--questionnaires", chain / "questionnaires"]))
    return found


def main() -> None:
    print(f"palermo on hostile input · CPython {sys.version.split()[0]} · {os.cpu_count()} cores")
    print(f"{'case':<58} {'wall':>7} {'peak RSS':>10}  exit")
    worst_time = worst_mem = 0.0
    with tempfile.TemporaryDirectory() as folder:
        for name, args in runs(Path(folder)):
            seconds, mb, code = measure(args, Path(folder))
            worst_time, worst_mem = max(worst_time, seconds), max(worst_mem, mb)
            flag = "" if seconds < LIMIT_SECONDS and mb < LIMIT_MB else "  OVER LIMIT"
            print(f"{name[:58]:<58} {seconds:6.2f}s {mb:7.1f} MB  {code}{flag}")
    print(f"worst: {worst_time:.2f} s, {worst_mem:.1f} MB (limits {LIMIT_SECONDS:g} s, "
          f"{LIMIT_MB:g} MB)")


if __name__ == "__main__":
    main()
