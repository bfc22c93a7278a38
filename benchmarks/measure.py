"""What every benchmark script shares: how to run palermo and measure one command.

The scripts run as `python benchmarks/NAME.py`, so this module is found beside them.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import time


def palermo() -> list[str]:
    """The installed command, or this interpreter's palermo module."""
    found = shutil.which("palermo")
    return [found] if found else [sys.executable, "-m", "palermo"]


def banner(title: str) -> str:
    """The first line every script prints: what runs, on which interpreter and machine, how busy."""
    return (f"{title} · {platform.python_implementation()} {platform.python_version()} · "
            f"{os.cpu_count()} cores · {platform.machine()} · "
            f"load average {os.getloadavg()[0]:.2f}")


def line(name: str, value: float, unit: str, target: float | None = None) -> str:
    """One figure, against its target when it has one."""
    verdict = "" if target is None else (
        f"(target <= {target:g} {unit})  " + ("ok" if value <= target else "OVER TARGET"))
    return f"{name:<52} {value:8.3f} {unit:<3} {verdict}".rstrip()


def timed_cpu(args: list[str], repeat: int,
              env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Median wall seconds, largest peak RSS (MB) and median CPU seconds over `repeat` runs.

    The CPU time (the command's and its worker processes', read from wait4 because
    /usr/bin/time is not always installed) does not grow with other work on the machine the
    way wall time does: it is what the same run takes on an idle machine.
    """
    times, peaks, cpus = [], [], []
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL,  # noqa: S603 - our commands
                                stderr=subprocess.PIPE, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        if os.waitstatus_to_exitcode(status) != 0:
            error = proc.stderr.read().decode() if proc.stderr else ""
            sys.exit(f"failed: {' '.join(args)}\n{error}")
        proc.returncode = 0
        peaks.append(usage.ru_maxrss / 1024)  # KiB on Linux
        cpus.append(usage.ru_utime + usage.ru_stime)
    return statistics.median(times), max(peaks), statistics.median(cpus)


def timed(args: list[str], repeat: int) -> tuple[float, float]:
    """Median wall seconds and the largest peak RSS (MB) over `repeat` runs."""
    wall, peak, _ = timed_cpu(args, repeat)
    return wall, peak
