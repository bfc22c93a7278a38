"""The user's cache: what was already loaded and checked, kept by content hash.

Loading the catalog and questionnaires (YAML, JSON Schema, cross-checks) and compiling their
wording templates costs far more than an assessment itself, and they rarely change. What
passed every check is kept here, under a key made of the exact bytes it came from and of
palermo's own code, so that any change to either is a miss, never a stale hit.

- Where: `$PALERMO_CACHE_DIR`, else `$XDG_CACHE_HOME/palermo`, else `~/.cache/palermo`.
- Off: `PALERMO_NO_CACHE=1` (nothing is read or written).
- Written only for input that passed every check; written atomically (temporary file,
  fsync, rename); a read-only, full or foreign cache folder only costs speed.
- Entries are read back with a restricted unpickler (palermo's own data classes only) and
  Jinja2's own bytecode format; the folder is created private to the user, and one that
  another user owns or can write to is not used.
"""

from __future__ import annotations

import contextlib
import enum
import hashlib
import io
import os
import pickle  # noqa: S403 - restricted to palermo's own classes, see _Unpickler
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

# Bump when the layout of cached entries changes.
_LAYOUT = "1"
# Entries kept per kind: a few catalogs and versions; many answers files (empty markers).
_KEEP = {"answers": 2000}
_KEEP_DEFAULT = 8


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is off."""
    if os.environ.get("PALERMO_NO_CACHE"):
        return None
    explicit = os.environ.get("PALERMO_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    # The XDG spec: a relative XDG_CACHE_HOME is invalid and ignored.
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "palermo"


def _usable(folder: Path) -> bool:
    """The folder exists (or was just made), is ours, and no one else can write to it."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return False
    return not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _entry(kind: str, key: str) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    return folder / f"{kind}-{key}"


def read(kind: str, key: str) -> bytes | None:
    """A cached entry, or None (missing, unreadable, cache off)."""
    path = _entry(kind, key)
    if path is None or not _usable(path.parent):
        return None
    try:
        return path.read_bytes()
    except OSError:
        return None


def write(kind: str, key: str, data: bytes) -> bool:
    """Store an entry atomically; False (and nothing left behind) when it cannot be."""
    path = _entry(kind, key)
    if path is None or not _usable(path.parent):
        return False
    import tempfile

    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{kind}-", suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
        tmp = None
    except OSError:
        return False  # read-only, full, or gone: only speed is lost
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    _prune(path)
    return True


def _prune(kept: Path) -> None:
    """Drop the oldest entries of the same kind: each code or catalog change makes a new one."""
    kind = kept.name.split("-", 1)[0]
    keep = _KEEP.get(kind, _KEEP_DEFAULT)
    try:
        names = [n for n in os.listdir(kept.parent) if n.startswith(kind + "-")]
        if len(names) <= keep + keep // 10:  # prune in batches, not on every write
            return
        entries = sorted((kept.parent / n for n in names if n != kept.name),
                         key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in entries[keep - 1:]:
            old.unlink()
    except OSError:
        return


@cache
def code_fingerprint() -> str:
    """palermo's own code and the Python running it: a change to either is a new cache."""
    digest = hashlib.sha256(f"{_LAYOUT}\0{sys.version}\0".encode())
    for name, size, mtime in sorted(_code_files(os.path.dirname(os.path.abspath(__file__)))):
        digest.update(f"{name}\0{size}\0{mtime}\0".encode())
    return digest.hexdigest()


def _code_files(package: str) -> Iterator[tuple[str, int, int]]:
    """(path inside the package, size, mtime) of every .py and .json file (no __pycache__)."""
    folders = [""]
    while folders:
        folder = folders.pop()
        try:
            entries = list(os.scandir(os.path.join(package, folder)))
        except OSError:
            continue
        for entry in entries:
            inside = os.path.join(folder, entry.name)
            with contextlib.suppress(OSError):
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        folders.append(inside)
                elif entry.name.endswith((".py", ".json")):
                    info = entry.stat()
                    yield inside, info.st_size, info.st_mtime_ns


def content_key(*parts: str | bytes, files: Iterable[Path] = ()) -> str:
    """A key for the exact bytes of `files` (by path and content), `parts` and the code."""
    # BLAKE2: as strong as SHA-256 and faster over the megabyte of a catalog read every run.
    digest = hashlib.blake2b(code_fingerprint().encode(), digest_size=32)
    for part in parts:
        digest.update(b"\0p" + (part if isinstance(part, bytes) else part.encode()))
    for path in files:
        digest.update(b"\0f" + str(path).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _palermo_record(found: type, module: str) -> bool:
    """A NamedTuple that palermo defines itself (the catalog's records), not one it imports."""
    return (issubclass(found, tuple) and isinstance(getattr(found, "_fields", None), tuple)
            and found.__module__ == module)


class _Unpickler(pickle.Unpickler):
    """Rebuilds palermo's own data, and nothing that could run other code."""

    _ALLOWED = {("builtins", "set"), ("builtins", "frozenset"), ("builtins", "tuple"),
                ("builtins", "list"), ("builtins", "dict")}
    _PATHS = frozenset({"PosixPath", "WindowsPath", "Path", "PurePosixPath", "PureWindowsPath",
                        "PurePath"})

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in self._ALLOWED:
            return super().find_class(module, name)
        # Python 3.13 pickles paths as pathlib._local.PosixPath: the same classes, taken from
        # pathlib itself, so that no other module is imported.
        if (module == "pathlib" or module.startswith("pathlib.")) and name in self._PATHS:
            import pathlib

            return getattr(pathlib, name)
        if module.startswith("palermo.") and module in sys.modules:
            found = getattr(sys.modules[module], name, None)
            if isinstance(found, type) and (hasattr(found, "__dataclass_fields__")
                                             or issubclass(found, enum.Enum)
                                             or _palermo_record(found, module)):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not palermo data")


def load_object(kind: str, key: str) -> Any | None:
    """A cached object, or None when missing or not readable as palermo data."""
    data = read(kind, key)
    if data is None:
        return None
    try:
        return _Unpickler(io.BytesIO(data)).load()
    except Exception:  # noqa: BLE001 - a damaged entry is a miss, whatever is wrong with it
        return None


def store_object(kind: str, key: str, value: Any) -> bool:
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return False
    return write(kind, key, data)


_ON_SUCCESS: list[Callable[[], None]] = []


def on_success(save: Callable[[], None]) -> None:
    """Register what `flush()` writes: kept in memory until the work has succeeded."""
    _ON_SUCCESS.append(save)


def flush() -> None:
    """Write what this process learnt (compiled templates); call after a command succeeded."""
    for save in _ON_SUCCESS:
        save()
