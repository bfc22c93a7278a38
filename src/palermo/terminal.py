"""What palermo prints reaches a terminal safely: control characters in it are escaped.

Answers files, catalogs and reference documents come from other people, and any text of
theirs that is printed (a State's name, a finding, a file name) could carry terminal escape
sequences that recolour, retitle or rewrite the screen. The CLI writes through these
streams, so nothing printed needs escaping one value at a time.
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from palermo.errors import printable


class EscapingStream(io.TextIOBase):
    """A text stream that writes control characters as escapes; newlines and tabs stay."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.raw_stream = stream

    def write(self, text: str) -> int:
        self.raw_stream.write(printable(text))
        return len(text)

    def flush(self) -> None:
        self.raw_stream.flush()

    def isatty(self) -> bool:
        return self.raw_stream.isatty()

    def fileno(self) -> int:
        return self.raw_stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.raw_stream, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self.raw_stream, "errors", None)


def raw(stream: Any) -> Any:
    """The stream under an EscapingStream: for palermo's own progress bar, nothing else."""
    return stream.raw_stream if isinstance(stream, EscapingStream) else stream


@contextlib.contextmanager
def escaped_output() -> Iterator[None]:
    """Escape control characters in everything written to stdout and stderr meanwhile."""
    saved = sys.stdout, sys.stderr
    if sys.stdout is not None and not isinstance(sys.stdout, EscapingStream):
        sys.stdout = EscapingStream(sys.stdout)  # type: ignore[assignment]
    if sys.stderr is not None and not isinstance(sys.stderr, EscapingStream):
        sys.stderr = EscapingStream(sys.stderr)  # type: ignore[assignment]
    try:
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()  # type: ignore[union-attr]
        sys.stdout, sys.stderr = saved


def stdin_usable() -> bool:
    """False when standard input is closed (`palermo assess FILE 0<&-`): Python has none."""
    return sys.stdin is not None and not sys.stdin.closed
