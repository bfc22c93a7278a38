"""The catalog and questionnaires an invocation works with, loaded and checked once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from palermo.catalog import Catalog, load_catalog
from palermo.questionnaire import QuestionBank, load_questionnaires
from palermo.resources import bundled


@dataclass(frozen=True)
class Workspace:
    catalog: Catalog
    bank: QuestionBank


def _questionnaires_for(catalog_dir: Path | None) -> Path:
    # A ministry's own catalog usually sits beside its own questionnaires.
    if catalog_dir is not None:
        sibling = catalog_dir.resolve().parent / "questionnaires"
        if sibling.is_dir():
            return sibling
    return bundled("questionnaires")


@cache
def _open(catalog_dir: str | None, questionnaires_dir: str | None) -> Workspace:
    catalog = load_catalog(catalog_dir)
    qdir = Path(questionnaires_dir) if questionnaires_dir else _questionnaires_for(
        Path(catalog_dir) if catalog_dir else None)
    return Workspace(catalog, load_questionnaires(catalog, qdir))


def open_workspace(catalog_dir: Path | str | None = None,
                   questionnaires_dir: Path | str | None = None) -> Workspace:
    """Load (once per process) the catalog and the questionnaires that go with it."""
    return _open(str(catalog_dir) if catalog_dir else None,
                 str(questionnaires_dir) if questionnaires_dir else None)
