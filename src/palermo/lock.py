"""One interview at a time on an answers file: an advisory lock beside it.

`palermo assess meridia.yaml` holds `meridia.yaml.lock` (an operating-system lock through the
filelock library) while it runs. The lock file says who holds it and since when, so that a
second interview can refuse with a message a person can act on. The operating system releases
the lock when the process ends, however it ends (kill -9 included), so a lock never outlives
its interview. `palermo answer` and editors do not take it: their changes are merged by the
interview before its next save (palermo.store).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import json
import os
import socket
from pathlib import Path
from types import TracebackType

from palermo.errors import PalermoError


class LockedError(PalermoError):
    """The answers file is held by another interview."""


def lock_path(answers_path: str | os.PathLike[str]) -> Path:
    # Beside the file itself, not beside a symbolic link to it: two links, one lock.
    target = Path(os.path.realpath(answers_path))
    return target.with_name(target.name + ".lock")


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown user"


def describe(holder: dict) -> str:
    """'Ministry of the Interior (jdoe on host1, process 4242) since 2026-12-01 09:30 UTC'."""
    where = (f"{holder['user']} on {holder['host']}" if holder.get("user") and holder.get("host")
             else "")
    process = f"process {holder['pid']}" if holder.get("pid") else ""
    if holder.get("by"):
        who, details = str(holder["by"]), ", ".join(x for x in (where, process) if x)
    else:
        who, details = where or "another interview", process
    since = holder.get("since", "")
    return who + (f" ({details})" if details else "") + (f" since {since}" if since else "")


class InterviewLock:
    """`with InterviewLock(path, by=...):` holds the lock or raises LockedError at once."""

    def __init__(self, answers_path: str | os.PathLike[str], *, by: str | None = None) -> None:
        self.answers_path = str(answers_path)
        self.path = lock_path(answers_path)
        self.by = by
        self._lock: object | None = None

    def holder(self) -> dict:
        """What the lock file says about its holder ({} when unreadable or empty)."""
        try:
            text = self.path.read_text(encoding="utf-8")[:4096]
            data = json.loads(text) if text.strip() else {}
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def acquire(self) -> None:
        from filelock import FileLock, Timeout

        seen = self.holder()  # read before trying: a failed attempt must not hide the holder
        lock = FileLock(str(self.path), timeout=0)
        try:
            lock.acquire()
        except Timeout:
            holder = self.holder() or seen
            raise LockedError(
                f"{self.answers_path}: an interview is already running on this file: "
                f"{describe(holder)}. Wait until it ends (its answers are saved as they are "
                "given), or work on a copy and combine the files with `palermo merge`"
            ) from None
        except OSError as exc:
            raise LockedError(f"{self.path}: cannot create the lock beside the answers file: "
                              f"{exc.strerror}") from None
        self._lock = lock
        now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        record = {"by": self.by, "user": _user(), "host": socket.gethostname(),
                  "pid": os.getpid(), "since": now}
        with contextlib.suppress(OSError), open(self.path, "r+", encoding="utf-8") as handle:
            handle.truncate(0)
            handle.write(json.dumps(record))
            handle.flush()

    def release(self) -> None:
        lock, self._lock = self._lock, None
        if lock is None:
            return
        with contextlib.suppress(OSError), open(self.path, "r+", encoding="utf-8") as handle:
            handle.truncate(0)
        # The file is removed while still held, so no one else can be holding it.
        with contextlib.suppress(OSError):
            os.unlink(self.path)
        lock.release()  # type: ignore[attr-defined]

    def __enter__(self) -> InterviewLock:
        self.acquire()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()
