"""Saving an answers file that others may change meanwhile.

An interview keeps the file as it last read or wrote it (the base). Before each save it reads
the file again: what others changed meanwhile (`palermo answer`, an editor, `git pull`) is
taken into the interview where it concerns other questions; where the same question was
changed on disk and in the interview, nothing is written and SaveConflict names the question
and both answers. The write itself goes through palermo.fsio (atomic, through links) and keeps
the comments and layout of the file on disk (palermo.roundtrip).
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from palermo.answers import HEADER, Answer, AnswersFile, load_answers
from palermo.errors import PalermoError
from palermo.yamlio import read_text

# Fields of the file merged one by one; `updated` and `started` follow the others.
_FIELDS = ("state", "formal_name", "instruments", "party_status", "assessor", "catalog_version")
_KEYED = ("assignments", "clearances")


@dataclass(frozen=True)
class Clash:
    question: str
    mine: Answer | None
    theirs: Answer | None


def describe_answer(entry: Answer | None) -> str:
    if entry is None:
        return "no answer (removed)"
    if entry.skipped:
        text = "skipped"
    elif isinstance(entry.value, list):
        text = ", ".join(entry.value) or "none"
    else:
        text = str(entry.value)
    return text + (f" by {entry.by}" if entry.by else "")


class SaveConflict(PalermoError):
    """The same question was changed on disk and here: nothing was written."""

    def __init__(self, path: str, clashes: list[Clash]) -> None:
        self.clashes = clashes
        listed = "; ".join(f"{c.question}: in the file {describe_answer(c.theirs)}, here "
                           f"{describe_answer(c.mine)}" for c in clashes)
        super().__init__(f"{path}: changed meanwhile by someone else, and the same question "
                         f"was answered differently here, so nothing was saved: {listed}")


def _content(entry: Answer | None) -> dict | None:
    """What an answer says, without the date it was given."""
    if entry is None:
        return None
    data = entry.to_dict()
    data.pop("answered", None)
    return data


def snapshot(answers: AnswersFile) -> dict[str, Any]:
    """Everything that can be merged, as plain comparable data."""
    data: dict[str, Any] = {name: getattr(answers, name) for name in _FIELDS}
    data["instruments"] = sorted(answers.instruments)
    data["party_status"] = dict(answers.party_status)
    for name in _KEYED:
        data[name] = {k: (dict(v) if isinstance(v, dict) else v)
                      for k, v in getattr(answers, name).items()}
    data["answers"] = {qid: _content(a) for qid, a in answers.answers.items()}
    return data


def _changed_keys(base: dict, other: dict) -> set[str]:
    return {k for k in set(base) | set(other) if base.get(k) != other.get(k)}


def merge_into(mine: AnswersFile, base: dict, disk: AnswersFile) -> tuple[list[str], list[Clash]]:
    """Take into `mine` what changed on disk since `base`; return (taken, clashes).

    `mine` is left as it was when there are clashes.
    """
    now, theirs = snapshot(mine), snapshot(disk)
    clashes = []
    taken_answers = []
    for qid in sorted(_changed_keys(base["answers"], theirs["answers"])):
        mine_changed = now["answers"].get(qid) != base["answers"].get(qid)
        if not mine_changed:
            taken_answers.append(qid)
        elif now["answers"].get(qid) != theirs["answers"].get(qid):
            clashes.append(Clash(qid, mine.answers.get(qid), disk.answers.get(qid)))
    if clashes:
        return [], clashes
    for qid in taken_answers:
        if qid in disk.answers:
            mine.answers[qid] = disk.answers[qid]
        else:
            mine.answers.pop(qid, None)
    taken = list(taken_answers)
    for name in _FIELDS:
        if theirs[name] != base[name] and now[name] == base[name]:
            setattr(mine, name, getattr(disk, name))
            taken.append(name)
    for name in _KEYED:
        mapping = getattr(mine, name)
        for key in _changed_keys(base[name], theirs[name]):
            if now[name].get(key) == base[name].get(key):
                if key in getattr(disk, name):
                    mapping[key] = getattr(disk, name)[key]
                else:
                    mapping.pop(key, None)
                taken.append(f"{name}.{key}")
    mine.updated = max(filter(None, (mine.updated, disk.updated)), default=None)
    return taken, []


def _empty(answers: AnswersFile) -> dict[str, Any]:
    """The base of a file that did not exist: these fields, no answers."""
    return {**snapshot(answers), "answers": {}, "assignments": {}, "clearances": {}}


def stale_temp_files(path: str | os.PathLike[str]) -> list[Path]:
    """Temp files a save killed mid-way left beside the answers file (see palermo.fsio)."""
    target = Path(os.path.realpath(path))
    folder = target.parent
    if not folder.is_dir():
        return []
    prefix = f".{target.name}."
    return [p for p in folder.iterdir()
            if p.name.startswith(prefix) and p.name.endswith(".tmp") and p.is_file()]


def remove_stale_temp_files(path: str | os.PathLike[str]) -> list[Path]:
    """Remove them; only while holding the interview lock, so no save is in flight."""
    removed = []
    for stale in stale_temp_files(path):
        with contextlib.suppress(OSError):
            stale.unlink()
            removed.append(stale)
    return removed


class AnswersStore:
    """The answers file on disk, as this process last read or wrote it."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        """Remember the file as it is now (read before anything is changed in memory)."""
        self.path = Path(path)
        # None: the file does not exist yet; whatever appears there meanwhile is someone else's.
        self.base = snapshot(load_answers(self.path)) if self.path.exists() else None

    def save(self, answers: AnswersFile, order: list[str] | None = None) -> list[str]:
        """Merge what changed on disk, then write; the names of what was taken from disk.

        Raises SaveConflict (nothing written, `answers` unchanged) when the same question
        changed on both sides, and InputError when the file on disk cannot be read.
        """
        from palermo.fsio import atomic_write
        from palermo.roundtrip import render

        previous = None
        taken: list[str] = []
        if self.path.exists():
            previous = read_text(self.path, what="an answers file")
            disk = load_answers(self.path)
            base = self.base if self.base is not None else _empty(answers)
            if snapshot(disk) != base:
                taken, clashes = merge_into(answers, base, disk)
                if clashes:
                    raise SaveConflict(str(self.path), clashes)
        atomic_write(self.path, render(answers.to_dict(order), previous, HEADER))
        self.base = snapshot(answers)
        return taken

    def adopt(self, answers: AnswersFile, question_ids: list[str]) -> None:
        """After a conflict: take the file's version of these questions, to ask them again."""
        disk = load_answers(self.path)
        for qid in question_ids:
            if qid in disk.answers:
                answers.answers[qid] = disk.answers[qid]
            else:
                answers.answers.pop(qid, None)
        if self.base is not None:
            for qid in question_ids:
                self.base["answers"][qid] = _content(disk.answers.get(qid))
