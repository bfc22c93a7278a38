"""What the `palermo` process loads for good, told to the garbage collector.

The `palermo` command runs one command and ends. What it loads first (its modules, the
catalog and questionnaires, the report's writer and template sandbox) lives until then, and
the collections that loading sets off find almost nothing to free while each walks
everything loaded so far (the bundled example's report: 92 collections freed 482 of the
44,000 objects the collector tracks). So the command's entry point pauses the collector (`start`)
until the command has loaded them (`loaded`, from `palermo.cli.base.workspace`), then
freezes what is there, which later collections and the interpreter's own at exit leave
alone, and collects as usual for the rest: the answers, the analysis and the reports of
batch, matrix and interview commands.

Code that imports palermo as a library is untouched: nothing is paused unless `start` ran.
"""

from __future__ import annotations

import gc

_paused = False


def start() -> None:
    """Pause the collector while the command loads (the `palermo` entry point only)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def loaded() -> None:
    """What lives as long as the process is loaded: freeze it and collect again."""
    global _paused
    if _paused:
        gc.freeze()
        gc.enable()
        _paused = False
