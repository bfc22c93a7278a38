"""Writing files safely: atomically, through symbolic links, and only onto regular files.

Answers files and reports are written here and nowhere else, so that every save has the same
guarantees: readers see the old content or the new, never a mix; a failed write (no space, no
permission) leaves the original as it was; a symbolic link is written through to the file it
points at (the link stays a link); and nothing is ever written over a FIFO, a device or a
directory (as root, `-o /dev/null` must not replace /dev/null with a regular file).
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from palermo.errors import InputError

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def write_target(path: str | os.PathLike[str]) -> Path:
    """The file a write to `path` lands in: the path itself, or the end of its links.

    Raises InputError when that is anything but a regular file or a new name in an existing
    folder.
    """
    shown = str(path)
    target = Path(os.path.realpath(path))
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        if os.path.islink(path):
            raise InputError("is a symbolic link to a missing file; give the file itself",
                             path=shown) from None
        if not target.parent.is_dir():
            raise InputError("folder does not exist", path=str(Path(shown).parent)) from None
        return target
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", path=shown) from None
    if not stat.S_ISREG(mode):
        raise InputError(f"is {_kind(mode)}, not a regular file; palermo writes only to a "
                         "regular file or a new path", path=shown)
    return target


def atomic_write(path: str | os.PathLike[str], data: bytes | str) -> None:
    """Replace the content of `path` atomically (temp file, fsync, rename).

    A symbolic link is written through to its target, which keeps its permissions. On any
    failure the original file is left as it was and an InputError names the cause.
    """
    target = write_target(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    existed = target.exists()
    tmp: str | None = None
    import tempfile  # here: most commands write nothing

    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, target.stat().st_mode & 0o7777 if existed else 0o644)
        os.replace(tmp, target)
        tmp = None
        _sync_folder(target.parent)
    except OSError as exc:
        kept = "the file is unchanged" if existed else "nothing was written"
        reason = exc.strerror or exc.__class__.__name__
        raise InputError(f"cannot write: {reason} ({kept})", path=str(path)) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def make_folder(path: str | os.PathLike[str]) -> None:
    """Create an output folder (and its parents) or fail with one line saying why."""
    try:
        os.makedirs(path, exist_ok=True)
    except FileExistsError:
        raise InputError("is not a folder", path=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot create the folder: {exc.strerror}", path=str(path)) from None


def _sync_folder(folder: Path) -> None:
    # The rename is durable only once the folder's entry is on disk; not every system allows it.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """Open a file to read without blocking on a FIFO (the caller checks the kind by fstat)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    return os.fdopen(fd, "rb")


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino) if stat.S_ISREG(info.st_mode) else None


def files_in(folder: str | os.PathLike[str] | None, limit: int = 5000) -> list[Path]:
    """The regular files in a folder and its subfolders (at most `limit`), for input checks."""
    if folder is None or not os.path.isdir(folder):
        return []
    found: list[Path] = []
    for root, _dirs, names in os.walk(folder):
        for name in names:
            found.append(Path(root) / name)
            if len(found) >= limit:
                return found
    return found


def refuse_overwriting_inputs(output: str | os.PathLike[str],
                              inputs: Iterable[tuple[str, str | os.PathLike[str]]]) -> None:
    """Fail if writing `output` would replace a file the command reads.

    `inputs` are (what, path) pairs, e.g. ("the answers file", "meridia.yaml"); links and
    hard links are seen through by comparing device and inode.
    """
    written = _identity(Path(output))
    if written is None:
        return
    for what, source in inputs:
        if _identity(Path(source)) == written:
            raise InputError(f"the output would overwrite {what} {source}; choose another "
                             "output file", path=str(output))
