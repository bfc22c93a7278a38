"""Comparing two catalog versions: obligations added, removed and changed."""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from palermo.catalog import Catalog, load_catalog
from palermo.errors import InputError


@dataclass
class CatalogDiff:
    old_version: str
    new_version: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)  # id -> fields that differ

    def to_dict(self) -> dict:
        return {"old_version": self.old_version, "new_version": self.new_version,
                "added": self.added, "removed": self.removed, "changed": self.changed}


def diff_catalogs(old: Catalog, new: Catalog) -> CatalogDiff:
    result = CatalogDiff(old.version, new.version)
    for oid, ob in new.obligations.items():
        before = old.obligations.get(oid)
        if before is None:
            result.added.append(oid)
            continue
        a, b = before.to_dict(), ob.to_dict()
        fields = [k for k in dict.fromkeys([*a, *b]) if a.get(k) != b.get(k)]
        if fields:
            result.changed[oid] = fields
    result.removed = [oid for oid in old.obligations if oid not in new.obligations]
    return result


def _export_revision(revision: str, subdir: str, target: Path) -> Path:
    """Write a git revision's catalog folder into target, using git itself (no shell)."""
    try:
        listing = subprocess.run(  # noqa: S603 - fixed argv, revision passed as one argument
            ["git", "ls-tree", "--name-only", f"{revision}:{subdir}"],  # noqa: S607
            check=True, capture_output=True, text=True)
    except FileNotFoundError:
        raise InputError("git is not installed; give two catalog folders instead") from None
    except subprocess.CalledProcessError as exc:
        raise InputError(f"'{revision}' is neither a catalog folder nor a git revision with "
                         f"{subdir}/ ({exc.stderr.strip().splitlines()[-1] if exc.stderr else ''})"
                         ) from None
    for name in listing.stdout.split():
        if not name.endswith(".yaml") or "/" in name or name.startswith("."):
            continue  # only the catalog's own top-level YAML files; never a path from git
        blob = subprocess.run(  # noqa: S603
            ["git", "show", f"{revision}:{subdir}/{name}"],  # noqa: S607
            check=True, capture_output=True)
        (target / name).write_bytes(blob.stdout)
    return target


def load_version(spec: str, *, subdir: str = "obligations") -> Catalog:
    """A catalog from a folder, or from a git revision of the current repository."""
    path = Path(spec)
    if path.is_dir():
        return load_catalog(path)
    with tempfile.TemporaryDirectory(prefix="palermo-catalog-") as tmp:
        return load_catalog(_export_revision(spec, subdir, Path(tmp)))
