"""The catalog and questionnaires an invocation works with, loaded and checked once."""

import os
from functools import cache
from pathlib import Path
from typing import NamedTuple

from palermo import cache as usercache
from palermo.catalog import Catalog, load_catalog
from palermo.questionnaire import QuestionBank, load_questionnaires
from palermo.resources import bundled


class Workspace(NamedTuple):
    """A checked catalog and the questionnaires that go with it."""

    catalog: Catalog
    bank: QuestionBank
    # What it was loaded from (palermo.cache.content_key), when that could be read.
    key: str | None = None


def _questionnaires_for(catalog_dir: Path | None) -> Path:
    # A ministry's own catalog usually sits beside its own questionnaires.
    if catalog_dir is not None:
        sibling = catalog_dir.resolve().parent / "questionnaires"
        if sibling.is_dir():
            return sibling
    return bundled("questionnaires")


def _sources(folder: Path) -> list[Path]:
    try:
        with os.scandir(folder) as entries:
            names = sorted(e.name for e in entries  # as glob("*.yaml"): no hidden files
                           if e.name.endswith(".yaml") and not e.name.startswith(".")
                           and e.is_file())
    except OSError:
        return []
    return [folder / name for name in names]


@cache
def _open(catalog_dir: str | None, questionnaires_dir: str | None) -> Workspace:
    cfolder = Path(catalog_dir) if catalog_dir else bundled("obligations")
    qfolder = Path(questionnaires_dir) if questionnaires_dir else _questionnaires_for(
        Path(catalog_dir) if catalog_dir else None)
    try:
        key: str | None = usercache.content_key(str(cfolder), str(qfolder),
                                            files=[*_sources(cfolder), *_sources(qfolder)])
    except OSError:
        key = None  # unreadable or missing: the loader below says what is wrong
    if key is not None:
        found = usercache.load_object("workspace", key)
        if isinstance(found, Workspace):
            return found
    catalog = load_catalog(catalog_dir)
    ws = Workspace(catalog, load_questionnaires(catalog, qfolder), key)
    if key is not None:  # only now: everything above passed its checks
        usercache.store_object("workspace", key, ws)
    return ws


def open_workspace(catalog_dir: Path | str | None = None,
                   questionnaires_dir: Path | str | None = None) -> Workspace:
    """Load (once per process) the catalog and the questionnaires that go with it."""
    return _open(str(catalog_dir) if catalog_dir else None,
                 str(questionnaires_dir) if questionnaires_dir else None)
