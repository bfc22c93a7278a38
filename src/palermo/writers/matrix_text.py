"""The regional grid as text: a terminal overview, Markdown, CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from palermo import __version__
from palermo.matrix import (
    CELL_LABELS,
    CELL_SYMBOLS,
    TOTAL_LABELS,
    TOTALS,
    Cell,
    Column,
    Matrix,
    StateRow,
)
from palermo.report.content import clean
from palermo.report.markdown_writer import md


def column_label(column: Column) -> str:
    """'SOM 6(1)(a)': short enough for a column heading."""
    return f"{column.code or column.instrument.upper()} {column.reference.removeprefix('art. ')}"


def cell_text(cell: Cell | None) -> str:
    """Symbol and word: a status never rests on colour alone."""
    if cell is None:
        return ""
    return f"{CELL_SYMBOLS[cell.key]} {CELL_LABELS[cell.key]}"


def cell_symbol(cell: Cell | None) -> str:
    return "" if cell is None else CELL_SYMBOLS[cell.key] + ("*" if cell.incomplete else "")


def legend() -> str:
    return " · ".join(f"{CELL_SYMBOLS[k]} {CELL_LABELS[k]}" for k in CELL_SYMBOLS) + \
        " · * decided with questions still open · blank: outside the State's assessment"


def party_text(row: StateRow) -> str:
    return ", ".join(f"{i}: {row.party_status.get(i, 'party')}".replace("_", " ")
                     for i in row.instruments)


# --- terminal overview -----------------------------------------------------------------------

def _table(rows: list[list[str]], headers: list[str], left: tuple[int, ...] = (0,)) -> list[str]:
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) if i in left else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def render_table(matrix: Matrix, top: int = 15) -> bytes:
    """Row totals per State and the obligations with most gaps: the grid itself needs a file."""
    headers = ["STATE", *(TOTAL_LABELS[t].upper() for t in TOTALS)]
    rows = [[_short(clean(r.state), 24), *(str(v) for v in r.totals(matrix.columns).values())]
            for r in matrix.rows]
    lines = [f"{len(matrix.rows)} States × {len(matrix.columns)} obligations · catalog "
             f"{matrix.catalog_version} · {matrix.filters.describe()}", "",
             *_table(rows, headers)]
    ranked = sorted(((matrix.column_totals(c), c) for c in matrix.columns),
                    key=lambda item: (-item[0]["gap"], -item[0]["not_met"]))
    ranked = [(t, c) for t, c in ranked if t["gap"]][:top]
    if ranked:
        lines += ["", "Obligations with the most gaps (States partially or not meeting them):",
                  *_table([[c.id, column_label(c), str(t["gap"]), str(t["not_met"]),
                            _short(c.summary, 34)] for t, c in ranked],
                          ["OBLIGATION", "ARTICLE", "GAPS", "NOT MET", "SUMMARY"], left=(0, 1, 4))]
    lines += ["", "Write the grid with -o FILE (.xlsx, .html, .docx, .md, .csv, .json)."]
    return ("\n".join(lines) + "\n").encode("utf-8")


# --- Markdown --------------------------------------------------------------------------------

def render_markdown(matrix: Matrix) -> bytes:
    out = [f"# Regional picture: {len(matrix.rows)} States", "",
           md(f"Catalog {matrix.catalog_version} · {matrix.filters.describe()}"), "",
           md(legend()), ""]
    headers = [TOTAL_LABELS[t] for t in TOTALS]
    out += ["## Summary", "", "| State | " + " | ".join(headers) + " |",
            "|---|" + "---:|" * len(headers)]
    for row in matrix.rows:
        out.append(f"| {md(clean(row.state))} | "
                   + " | ".join(str(v) for v in row.totals(matrix.columns).values()) + " |")
    for instrument in matrix.instruments():
        columns = matrix.columns_of(instrument)
        out += ["", f"## {matrix.title(instrument)}", "",
                "| State | " + " | ".join(f"`{c.id}`" for c in columns) + " |",
                "|---|" + ":---:|" * len(columns)]
        for row in matrix.rows:
            out.append(f"| {md(clean(row.state))} | "
                       + " | ".join(cell_symbol(row.cells.get(c.id)) for c in columns) + " |")
        out.append("| **States with this gap** | "
                   + " | ".join(str(matrix.column_totals(c)["gap"]) for c in columns) + " |")
    return ("\n".join(out) + "\n").encode("utf-8")


# --- CSV -------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: str) -> str:
    value = clean(value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def render_csv(matrix: Matrix) -> bytes:
    """The grid: one row per State, one column per obligation (status codes), totals last."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["state", "file", *(c.id for c in matrix.columns), *TOTALS])
    for row in matrix.rows:
        writer.writerow([_safe(row.state), _safe(row.source),
                         *((row.cells[c.id].key if c.id in row.cells else "")
                           for c in matrix.columns),
                         *row.totals(matrix.columns).values()])
    writer.writerow(["States with this gap", "",
                     *(matrix.column_totals(c)["gap"] for c in matrix.columns)])
    return out.getvalue().encode("utf-8-sig")


# --- JSON ------------------------------------------------------------------------------------

def _cell(cell: Cell) -> dict[str, Any]:
    return {"status": cell.status.value, "binding": cell.binding, "shown": cell.key,
            "incomplete": cell.incomplete}


def render_json(matrix: Matrix) -> bytes:
    data = {
        "format": "palermo-matrix", "format_version": 1, "generator": f"palermo {__version__}",
        "catalog_version": matrix.catalog_version, "filters": matrix.filters.describe(),
        "obligations": [{**c.__dict__, "totals": matrix.column_totals(c)}
                        for c in matrix.columns],
        "states": [{"state": r.state, "file": r.source, "instruments": list(r.instruments),
                    "party_status": r.party_status, "updated": r.updated,
                    "answers_catalog_version": r.catalog_version,
                    "totals": r.totals(matrix.columns),
                    "cells": {c.id: _cell(r.cells[c.id]) for c in matrix.columns
                              if c.id in r.cells}} for r in matrix.rows],
        "skipped": list(matrix.failures),
    }
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
