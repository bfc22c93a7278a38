"""Comparing two catalog versions: obligations, strengths, rules and questions that changed.

A version is a catalog folder, a git revision of the current repository, or a catalog version
("1.0.0", "v1.0.0"): that is resolved to the last commit whose obligations/catalog.yaml carried
it, so the comparison works from a clone without tags.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from palermo.catalog import Catalog, load_catalog
from palermo.errors import InputError
from palermo.model import PRIORITY_LABELS
from palermo.questionnaire import QuestionBank, Rule, load_questionnaires

_VERSION = re.compile(r"^v?(\d+\.\d+\.\d+)$")
_VERSION_LINE = re.compile(r"""^version:\s*["']?([0-9A-Za-z.+-]+)""", re.MULTILINE)
_STRENGTH_PRIORITY = {"mandatory": 1, "qualified": 2, "consider": 3, "optional": 3}


@dataclass
class Snapshot:
    """One side of a comparison: the catalog, and its questionnaires when they were found."""

    catalog: Catalog
    bank: QuestionBank | None
    source: str  # what was read: a folder, or "1.0.0 (commit 1a2b3c4)"
    note: str | None = None  # why the questionnaires are missing, when they are


@dataclass
class CatalogDiff:
    old_version: str
    new_version: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)  # id -> fields that differ
    strengths: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (old, new)
    rules_added: list[str] = field(default_factory=list)
    rules_removed: list[str] = field(default_factory=list)
    rules_changed: dict[str, list[str]] = field(default_factory=dict)  # id -> what changed
    questions_added: list[str] = field(default_factory=list)
    questions_removed: list[str] = field(default_factory=list)
    questions_retired: dict[str, str] = field(default_factory=dict)  # id -> reason
    questions_changed: dict[str, list[str]] = field(default_factory=dict)
    rules_compared: bool = False  # both sides had questionnaires
    rules_note: str | None = None  # why they were not compared

    def to_dict(self) -> dict:
        data: dict = {"old_version": self.old_version, "new_version": self.new_version,
                      "added": self.added, "removed": self.removed, "changed": self.changed,
                      "strengths": {k: {"old": a, "new": b}
                                    for k, (a, b) in self.strengths.items()}}
        if self.rules_compared:
            data["rules"] = {"added": self.rules_added, "removed": self.rules_removed,
                             "changed": self.rules_changed}
            data["questions"] = {"added": self.questions_added,
                                 "removed": self.questions_removed,
                                 "retired": self.questions_retired,
                                 "changed": self.questions_changed}
        return data


def _fields_differing(a: dict, b: dict) -> list[str]:
    return [k for k in dict.fromkeys([*a, *b]) if a.get(k) != b.get(k)]


def diff_catalogs(old: Catalog, new: Catalog) -> CatalogDiff:
    result = CatalogDiff(old.version, new.version)
    for oid, ob in new.obligations.items():
        before = old.obligations.get(oid)
        if before is None:
            result.added.append(oid)
        elif fields := _fields_differing(before.to_dict(), ob.to_dict()):
            result.changed[oid] = fields
        if before is not None and before.strength != ob.strength:
            result.strengths[oid] = (before.strength, ob.strength)
    result.removed = [oid for oid in old.obligations if oid not in new.obligations]
    return result


def _statuses(rule: Rule) -> list[str]:
    return list(dict.fromkeys(c.status for c in rule.cases))


def rule_changes(old: Rule, new: Rule) -> list[str]:
    """What differs between two rules of one obligation, in words."""
    changes = []
    if old.combine != new.combine:
        changes.append(f"combine {old.combine} → {new.combine}")
    if len(old.cases) != len(new.cases):
        changes.append(f"cases {len(old.cases)} → {len(new.cases)}")
    if set(_statuses(old)) != set(_statuses(new)):
        changes.append(f"can give {', '.join(_statuses(new))} (was {', '.join(_statuses(old))})")
    if [c.when for c in old.cases] != [c.when for c in new.cases]:
        changes.append("conditions")
    if [c.status for c in old.cases] != [c.status for c in new.cases]:
        changes.append("statuses")
    old_adv = [a.id for c in old.cases for a in c.advisories]
    new_adv = [a.id for c in new.cases for a in c.advisories]
    if added := [a for a in dict.fromkeys(new_adv) if a not in old_adv]:
        changes.append(f"advisories added: {', '.join(added)}")
    if dropped := [a for a in dict.fromkeys(old_adv) if a not in new_adv]:
        changes.append(f"advisories removed: {', '.join(dropped)}")
    wording = [(c.finding, c.measure, c.option, c.advisories) for c in old.cases]
    if not changes and wording != [(c.finding, c.measure, c.option, c.advisories)
                                   for c in new.cases]:
        changes.append("wording")
    return changes


def diff_questionnaires(old: QuestionBank, new: QuestionBank, result: CatalogDiff) -> None:
    """Rules and questions added, removed and changed, into `result`."""
    result.rules_compared = True
    for oid, rule in new.rules.items():
        if oid not in old.rules:
            result.rules_added.append(oid)
        elif changes := rule_changes(old.rules[oid], rule):
            result.rules_changed[oid] = changes
    result.rules_removed = [oid for oid in old.rules if oid not in new.rules]
    for qid, question in new.questions.items():
        before = old.questions.get(qid)
        if before is None:
            result.questions_added.append(qid)
        elif fields := _fields_differing({**before.to_dict(), "narrows": before.narrows},
                                         {**question.to_dict(), "narrows": question.narrows}):
            result.questions_changed[qid] = fields
    for qid in old.questions:
        if qid not in new.questions:
            if qid in new.retired:
                result.questions_retired[qid] = new.retired[qid]
            else:
                result.questions_removed.append(qid)


def compare(old: Snapshot, new: Snapshot) -> CatalogDiff:
    result = diff_catalogs(old.catalog, new.catalog)
    if old.bank is not None and new.bank is not None:
        diff_questionnaires(old.bank, new.bank, result)
    else:
        result.rules_note = old.note or new.note or "no questionnaires beside a catalog"
    return result


def _priority(strength: str) -> str:
    return PRIORITY_LABELS[_STRENGTH_PRIORITY.get(strength, 3)]


def describe(diff: CatalogDiff) -> list[str]:
    """The comparison as lines of text, for `palermo catalog diff`."""
    lines = [f"Catalog {diff.old_version} → {diff.new_version}",
             f"Obligations: {len(diff.added)} added, {len(diff.removed)} removed, "
             f"{len(diff.changed)} changed"]
    lines += [f"+ {oid}" for oid in diff.added]
    lines += [f"- {oid}" for oid in diff.removed]
    lines += [f"~ {oid} ({', '.join(fields)})" for oid, fields in diff.changed.items()]
    lines.append(f"Strengths: {len(diff.strengths)} changed")
    lines += [f"~ {oid}: {a} → {b} (priority of a gap {_priority(a)} → {_priority(b)})"
              for oid, (a, b) in diff.strengths.items()]
    if not diff.rules_compared:
        lines.append(f"Rules and questions: not compared ({diff.rules_note})")
        return lines
    lines.append(f"Rules: {len(diff.rules_added)} added, {len(diff.rules_removed)} removed, "
                 f"{len(diff.rules_changed)} changed")
    lines += [f"+ {oid}" for oid in diff.rules_added]
    lines += [f"- {oid} (the default rule applies)" for oid in diff.rules_removed]
    lines += [f"~ {oid}: {'; '.join(changes)}" for oid, changes in diff.rules_changed.items()]
    lines.append(f"Questions: {len(diff.questions_added)} added, "
                 f"{len(diff.questions_retired)} retired, {len(diff.questions_removed)} removed, "
                 f"{len(diff.questions_changed)} changed")
    lines += [f"+ {qid}" for qid in diff.questions_added]
    lines += [f"- {qid} (retired: {reason})" for qid, reason in diff.questions_retired.items()]
    lines += [f"- {qid}" for qid in diff.questions_removed]
    lines += [f"~ {qid} ({', '.join(fields)})" for qid, fields in diff.questions_changed.items()]
    return lines


# --- reading a version -------------------------------------------------------------------

def _git(*args: str) -> str:
    try:
        done = subprocess.run(  # noqa: S603 - fixed argv, user values passed as arguments
            ["git", *args], check=True, capture_output=True, text=True)  # noqa: S607
    except FileNotFoundError:
        raise InputError("git is not installed; give two catalog folders instead") from None
    return done.stdout


def _git_ok(*args: str) -> str | None:
    try:
        return _git(*args)
    except subprocess.CalledProcessError:
        return None


def _version_at(commit: str, subdir: str) -> str | None:
    text = _git_ok("show", f"{commit}:{subdir}/catalog.yaml")
    match = _VERSION_LINE.search(text or "")
    return match.group(1) if match else None


def commit_of_version(version: str, subdir: str = "obligations") -> str | None:
    """The last commit (reachable from HEAD) whose catalog.yaml carries this version."""
    if _version_at("HEAD", subdir) == version:
        return _git("rev-parse", "HEAD").strip()
    history = _git_ok("rev-list", "HEAD", "--", f"{subdir}/catalog.yaml")
    for commit in (history or "").split():
        if _version_at(commit, subdir) == version:
            continue
        parents = _git("rev-list", "--parents", "-n", "1", commit).split()[1:]
        for parent in parents:
            if _version_at(parent, subdir) == version:
                return parent  # the state just before the version moved on
    return None


def _known_versions(subdir: str) -> list[str]:
    history = _git_ok("rev-list", "HEAD", "--", f"{subdir}/catalog.yaml") or ""
    found = [_version_at(c, subdir) for c in history.split()]
    return list(dict.fromkeys(v for v in found if v))


def resolve_revision(spec: str, subdir: str = "obligations") -> tuple[str, str]:
    """(commit, how it was found) for a git revision or a catalog version."""
    commit = _git_ok("rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}")
    if commit:
        return commit.strip(), spec
    match = _VERSION.match(spec)
    if match:
        found = commit_of_version(match.group(1), subdir)
        if found:
            return found, f"catalog {match.group(1)} (commit {found[:7]})"
        known = _known_versions(subdir)
        raise InputError(f"no commit of this repository has catalog version {match.group(1)} "
                         f"in {subdir}/catalog.yaml"
                         + (f" (versions found: {', '.join(known)})" if known else ""))
    inside = _git_ok("rev-parse", "--is-inside-work-tree")
    reason = "unknown revision" if inside else "not inside a git repository"
    raise InputError(f"'{spec}' is neither a catalog folder nor a git revision with "
                     f"{subdir}/ ({reason})")


def _export(commit: str, subdir: str, target: Path) -> bool:
    """Write a commit's folder of top-level YAML files into target; False if it has none."""
    listing = _git_ok("ls-tree", "--name-only", f"{commit}:{subdir}")
    if listing is None:
        return False
    target.mkdir(parents=True, exist_ok=True)
    for name in listing.split():
        if not name.endswith(".yaml") or "/" in name or name.startswith("."):
            continue  # only the folder's own top-level YAML files; never a path from git
        blob = subprocess.run(  # noqa: S603
            ["git", "show", f"{commit}:{subdir}/{name}"],  # noqa: S607
            check=True, capture_output=True)
        (target / name).write_bytes(blob.stdout)
    return True


def _folder_snapshot(path: Path) -> Snapshot:
    """A catalog folder (questionnaires/ beside it are read too), or a project root."""
    if not (path / "catalog.yaml").exists() and (path / "obligations" / "catalog.yaml").exists():
        path = path / "obligations"
    catalog = load_catalog(path)
    beside = path.parent / "questionnaires"
    if not beside.is_dir():
        return Snapshot(catalog, None, str(path))
    bank, note = _questionnaires(catalog, beside, str(path))
    return Snapshot(catalog, bank, str(path), note)


def _questionnaires(catalog: Catalog, folder: Path, label: str
                    ) -> tuple[QuestionBank | None, str | None]:
    """The questionnaires, or why they cannot be compared (the catalog still can)."""
    try:
        return load_questionnaires(catalog, folder), None
    except InputError as exc:
        return None, f"the questionnaires of {label} do not load: {exc.message}"


def load_snapshot(spec: str, *, subdir: str = "obligations",
                  questionnaires: str = "questionnaires") -> Snapshot:
    """A catalog version from a folder, a git revision or a catalog version number."""
    path = Path(spec)
    if path.is_dir():
        return _folder_snapshot(path)
    commit, label = resolve_revision(spec, subdir)
    with tempfile.TemporaryDirectory(prefix="palermo-catalog-") as tmp:
        folder = Path(tmp) / "obligations"
        if not _export(commit, subdir, folder):
            raise InputError(f"'{spec}' is neither a catalog folder nor a git revision with "
                             f"{subdir}/")
        catalog = load_catalog(folder)
        asked = Path(tmp) / "questionnaires"
        if not _export(commit, questionnaires, asked):
            return Snapshot(catalog, None, label, f"{label} has no {questionnaires}/")
        bank, note = _questionnaires(catalog, asked, label)
        return Snapshot(catalog, bank, label, note)


def load_version(spec: str, *, subdir: str = "obligations") -> Catalog:
    """A catalog from a folder, a git revision or a catalog version of this repository."""
    return load_snapshot(spec, subdir=subdir).catalog
