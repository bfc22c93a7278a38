"""The bundled earlier and regional examples: valid on today's catalog, and what they show."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from palermo.answers import load_answers
from palermo.compare import compare_assessments, earlier_workspace
from palermo.matrix import build_matrix
from palermo.model import Status
from palermo.validate import validate_answers
from palermo.workspace import open_workspace

ROOT = Path(__file__).resolve().parents[1]
EARLIER = ROOT / "examples" / "earlier" / "meridia-2025.yaml"
REGION = ROOT / "examples" / "regional"
FILES = [EARLIER, *sorted(REGION.glob("*.yaml"))]


@pytest.fixture(scope="module")
def ws():
    return open_workspace()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_example_is_valid_on_the_current_catalog(ws, path):
    report = validate_answers(ws, load_answers(path))
    assert report.errors == []


def test_region_has_four_to_six_states():
    assert 4 <= len(list(REGION.glob("*.yaml"))) <= 6


def test_earlier_meridia_shows_gaps_closed_since(ws):
    comparison = compare_assessments(ws, load_answers(EARLIER),
                                     load_answers(ROOT / "examples" / "meridia.yaml"))
    assert comparison.old.date < comparison.new.date
    closed = comparison.of_kind("closed")
    assert len(closed) >= 2
    assert all(c.old_status.is_gap and not c.new_status.is_gap for c in closed)
    assert all(c.answers for c in comparison.changes)   # every change says which answer


def test_region_profiles(ws):
    grid = build_matrix(ws, [REGION])
    rows = {r.state: r for r in grid.rows}
    assert set(rows) == {"Ondara", "Velmora", "Kestria", "Miravel"}
    assert grid.failures == []
    # Kestria prepares to accede to the SOM Protocol: nothing of it binds it, nor is a gap.
    kestria = [c for oid, c in rows["Kestria"].cells.items() if oid.startswith("som.")]
    assert kestria and all(c.key == "not_binding" for c in kestria)
    # Velmora has no coast but a ship register: the flag-State articles still apply to it.
    sea = [c for oid, c in rows["Velmora"].cells.items() if oid.startswith("som.8.")]
    assert any(c.status is not Status.NOT_APPLICABLE for c in sea)
    # Miravel has only begun: most of what binds it is still open.
    totals = rows["Miravel"].totals(grid.columns)
    assert totals["open"] > totals["met"] + totals["partially_met"] + totals["not_met"]


def test_old_catalog_folder_reads_the_earlier_side_with_it(tmp_path):
    for name in ("obligations", "questionnaires"):
        shutil.copytree(ROOT / name, tmp_path / name)
    manifest = tmp_path / "obligations" / "catalog.yaml"
    text = manifest.read_text(encoding="utf-8")
    current = open_workspace().catalog.version
    manifest.write_text(text.replace(f"version: {current}", "version: 0.9.9", 1),
                        encoding="utf-8")
    old_ws = earlier_workspace(str(tmp_path / "obligations"))
    assert old_ws.catalog.version == "0.9.9"
    comparison = compare_assessments(open_workspace(), load_answers(EARLIER),
                                     load_answers(ROOT / "examples" / "meridia.yaml"),
                                     old_ws=old_ws)
    assert comparison.old.catalog_version == "0.9.9"
    assert comparison.new.catalog_version == current
    assert not comparison.of_kind("added") and not comparison.of_kind("retired")
