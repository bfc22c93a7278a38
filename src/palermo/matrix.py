"""Where a region stands: many assessments, one per State, as a States × obligations grid.

A planner's question is "which assistance is needed where": each row is a State with its
totals, each column an obligation with the number of States that have this gap. Party status
shapes the grid: an obligation that does not bind a State (not a party, or a signatory) is
shown as not binding, never as a gap. A bad file, or a second assessment of a State already
in the grid, is reported in one line and left out; the others still make the grid.

The catalog is loaded once; with many files the analyses run in worker processes that
inherit it (fork). Progress goes to an optional callback, so the library never prints.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from palermo.errors import InputError, PalermoError
from palermo.model import Status
from palermo.workspace import Workspace

# What a cell shows. "not_binding" replaces the status of an obligation that does not bind
# the State; a cell outside the State's assessment is None (blank).
NOT_BINDING = "not_binding"
CELL_KEYS = (*(s.value for s in Status), NOT_BINDING)
CELL_LABELS = {**{s.value: s.label for s in Status}, NOT_BINDING: "Not binding"}
CELL_SYMBOLS = {**{s.value: s.symbol for s in Status}, NOT_BINDING: "○"}
# Row totals, in the order a planner reads them: "open" is binding and not yet assessed.
TOTALS = ("met", "partially_met", "not_met", "open", "not_applicable", "not_binding")
TOTAL_LABELS = {"met": "Met", "partially_met": "Partial", "not_met": "Not met", "open": "Open",
                "not_applicable": "N/A", "not_binding": "Not binding"}

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Cell:
    status: Status                          # the status on the answers, binding or not
    binding: bool
    incomplete: bool = False                # decided while questions are still open

    @property
    def key(self) -> str:
        return self.status.value if self.binding else NOT_BINDING

    @property
    def is_gap(self) -> bool:
        return self.binding and self.status.is_gap


@dataclass(frozen=True)
class Column:
    """An obligation as a column heading."""

    id: str
    instrument: str
    reference: str
    category: str
    strength: str
    summary: str
    code: str = ""   # the instrument's abbreviation: "SOM"


def _tally(cells: Iterable[Cell | None]) -> dict[str, int]:
    """Cells counted under TOTALS: not binding first, then open, then by status."""
    tally = dict.fromkeys(TOTALS, 0)
    for cell in cells:
        if cell is None:
            continue
        if not cell.binding:
            tally["not_binding"] += 1
        elif cell.status is Status.NOT_ASSESSED:
            tally["open"] += 1
        else:
            tally[cell.status.value] += 1
    return tally


@dataclass(frozen=True)
class StateRow:
    state: str
    source: str
    party_status: dict[str, str]
    instruments: tuple[str, ...]
    updated: str | None
    catalog_version: str | None             # the catalog the answers file was made with
    cells: dict[str, Cell]                  # obligation id -> cell, for obligations in scope

    def totals(self, columns: Iterable[Column]) -> dict[str, int]:
        return _tally(self.cells.get(column.id) for column in columns)


@dataclass(frozen=True)
class Filters:
    instruments: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    strengths: tuple[str, ...] = ()
    binding_only: bool = False

    def describe(self) -> str:
        parts = [f"{name}: {', '.join(values)}" for name, values in (
            ("instruments", self.instruments), ("categories", self.categories),
            ("strengths", self.strengths)) if values]
        if self.binding_only:
            parts.append("binding obligations only")
        return "; ".join(parts) or "every obligation in the assessments"


@dataclass
class Matrix:
    catalog_version: str
    columns: list[Column]
    rows: list[StateRow]
    failures: list[str] = field(default_factory=list)   # one line each, in file order
    filters: Filters = field(default_factory=Filters)
    titles: dict[str, str] = field(default_factory=dict)  # instrument -> catalog short title

    def title(self, instrument: str) -> str:
        return self.titles.get(instrument, instrument)

    def cell(self, row: StateRow, column: Column) -> Cell | None:
        return row.cells.get(column.id)

    def instruments(self) -> list[str]:
        return list(dict.fromkeys(c.instrument for c in self.columns))

    def columns_of(self, instrument: str | None = None, category: str | None = None,
                   ) -> list[Column]:
        return [c for c in self.columns if instrument in (None, c.instrument)
                and category in (None, c.category)]

    def column_totals(self, column: Column) -> dict[str, int]:
        """How many States have this gap, and how the others stand."""
        tally = _tally(row.cells.get(column.id) for row in self.rows)
        return {"gap": tally["partially_met"] + tally["not_met"], **tally}


# --- reading the files ---------------------------------------------------------------------

def expand(paths: Sequence[Path]) -> list[Path]:
    """Files as given; a folder stands for the .yaml/.yml files directly in it, sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir()
                                if p.suffix.lower() in (".yaml", ".yml") and p.is_file()))
        else:
            found.append(path)
    return found


def row_of(ws: Workspace, file: Path) -> StateRow:
    from palermo.assessment import open_assessment

    analysis = open_assessment(ws, file).analyse()
    cells = {r.obligation.id: Cell(r.status, r.binding, r.incomplete) for r in analysis.results}
    return StateRow(state=analysis.state, source=str(file), party_status=analysis.party_status,
                    instruments=analysis.instruments, updated=analysis.updated or
                    analysis.started, catalog_version=analysis.answers_catalog_version,
                    cells=cells)


_JOB: dict[str, Any] = {}  # set before forking: the workers inherit the loaded catalog


def _work(file: Path) -> StateRow | str:
    try:
        return row_of(_JOB["ws"], file)
    except PalermoError as exc:
        return str(exc)


def _rows(ws: Workspace, files: list[Path], progress: Progress | None,
          workers: int) -> list[StateRow | str]:
    done: list[StateRow | str] = []
    _JOB["ws"] = ws
    tick = progress or (lambda _done, _total: None)
    if workers > 1 and len(files) > 8 and "fork" in multiprocessing.get_all_start_methods():
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for outcome in pool.imap(_work, files, chunksize=8):
                done.append(outcome)
                tick(len(done), len(files))
    else:
        for file in files:
            done.append(_work(file))
            tick(len(done), len(files))
    return done


def _keep(column: Column, filters: Filters) -> bool:
    return ((not filters.instruments or column.instrument in filters.instruments)
            and (not filters.categories or column.category in filters.categories)
            and (not filters.strengths or column.strength in filters.strengths))


def check_filters(ws: Workspace, filters: Filters) -> None:
    from palermo.model import CATEGORIES, STRENGTHS

    for name, values, known in (("instrument", filters.instruments, ws.catalog.instruments),
                                ("category", filters.categories, CATEGORIES),
                                ("strength", filters.strengths, STRENGTHS)):
        for value in values:
            if value not in known:
                raise InputError(f"'{value}' is not a {name} (expected one of: "
                                 f"{', '.join(known)})")


def build_matrix(ws: Workspace, files: Sequence[Path], *, filters: Filters | None = None,
                 progress: Progress | None = None, workers: int | None = None) -> Matrix:
    """The grid of every readable file; the others are in `failures`, one line each."""
    filters = filters or Filters()
    check_filters(ws, filters)
    paths = expand(files)
    if workers is None:
        workers = min(os.cpu_count() or 1, 8)
    rows: list[StateRow] = []
    failures: list[str] = []
    seen: dict[str, str] = {}
    for outcome in _rows(ws, paths, progress, workers):
        if isinstance(outcome, str):
            failures.append(outcome)
            continue
        key = " ".join(outcome.state.split()).casefold()
        if key in seen:
            failures.append(f"{outcome.source}: a second assessment of {outcome.state} (the "
                            f"first is {seen[key]}); left out of the grid")
            continue
        seen[key] = outcome.source
        if filters.binding_only:
            outcome = replace(outcome, cells={oid: c for oid, c in outcome.cells.items()
                                              if c.binding})
        rows.append(outcome)
    in_scope = {oid for row in rows for oid in row.cells}
    codes = {i.id: i.code for i in ws.catalog.declared.values()}
    columns = [Column(ob.id, ob.instrument, ob.reference, ob.category, ob.strength, ob.summary,
                      codes.get(ob.instrument, ob.instrument.upper()))
               for ob in ws.catalog.obligations.values() if ob.id in in_scope]
    columns = [c for c in columns if _keep(c, filters)]
    titles = {i.id: i.short_title for i in ws.catalog.declared.values()}
    return Matrix(ws.catalog.version, columns, rows, failures, filters, titles)
