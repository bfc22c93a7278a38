"""Errors that palermo reports to its users as one line each."""

from __future__ import annotations

import re
import reprlib
from collections.abc import Iterable
from typing import Any

# Characters that must never reach a terminal raw: C0 and C1 controls (escape sequences start
# with ESC or CSI) and the bidirectional overrides that reorder what a reader sees.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROLS_AND_NEWLINES = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SHOWN_LENGTH = 80  # the most of a user's value a message repeats
MESSAGE_LENGTH = 1000
_SHORT_NAMES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _SHORT_NAMES:
        return _SHORT_NAMES[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def printable(text: str, *, one_line: bool = False) -> str:
    """Text safe to print on a terminal: control characters written as escapes.

    Tabs and (unless one_line) newlines are kept; everything else that a terminal would
    interpret (ESC, CSI, carriage return, bidirectional overrides) is shown as \\x1b, \\u202e...
    """
    pattern = _CONTROLS_AND_NEWLINES if one_line else _CONTROLS
    return pattern.sub(_escape, text)


def cut(text: str, limit: int = SHOWN_LENGTH) -> str:
    """At most `limit` characters of a text, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


_bounded = reprlib.Repr()
_bounded.maxlevel, _bounded.maxdict, _bounded.maxlist = 2, 4, 6
_bounded.maxstring = _bounded.maxother = SHOWN_LENGTH


def shown(value: Any, limit: int = SHOWN_LENGTH) -> str:
    """A value as a message repeats it: quoted like repr, on one line, at most `limit` long.

    Of a text, only its first line. The work is bounded too: a huge string is sliced before
    it is escaped, and a nested value (an alias bomb expands to billions of items) is
    summarised, never walked whole.
    """
    if isinstance(value, str):
        # Only the first line: a catalog file that links to /etc/passwd shows one line of it.
        first, newline, _ = value[: limit + 1].partition("\n")
        text = repr(first) + ("…" if newline else "")
    else:
        text = _bounded.repr(value)
    return cut(printable(text, one_line=True), limit)


class PalermoError(Exception):
    """Base of every error palermo reports without a traceback."""


class InputError(PalermoError):
    """A problem in a file or value a user gave, located as precisely as we can."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
        ident: str | None = None,
    ) -> None:
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.ident = ident
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = str(self.path)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        ident = f"{cut(str(self.ident))}: " if self.ident else ""
        # One line, nothing a terminal would interpret, whatever the file contained.
        return cut(printable(f"{where}{ident}{self.message}", one_line=True), MESSAGE_LENGTH)


class MoreErrors(InputError):
    """Stands for the errors left out of a long list: "… and 19,950 more errors"."""

    def __init__(self, count: int, *, path: str | None = None) -> None:
        self.count = count
        super().__init__(f"… and {count:,} more error{'s' if count != 1 else ''}", path=path)


MAX_ERRORS = 50  # errors listed from one file; the rest are counted


def capped(errors: list[InputError], total: int | None = None,
           limit: int = MAX_ERRORS) -> list[InputError]:
    """The first `limit` errors, then one MoreErrors counting the rest (of `total`)."""
    total = len(errors) if total is None else total
    if total <= limit:
        return errors
    return [*errors[:limit], MoreErrors(total - limit, path=errors[0].path if errors else None)]


def error_count(errors: Iterable[InputError]) -> int:
    """How many errors a (possibly capped) list stands for."""
    return sum(e.count if isinstance(e, MoreErrors) else 1 for e in errors)


class UnknownIdError(InputError):
    """An obligation or question id that does not exist; suggests the closest ones."""

    def __init__(
        self, kind: str, ident: str, known: Iterable[str], *, path: str | None = None,
        line: int | None = None, column: int | None = None,
    ) -> None:
        self.suggestions = closest(ident[:200], known)
        hint = f" (did you mean: {', '.join(self.suggestions)}?)" if self.suggestions else ""
        super().__init__(
            f"unknown {kind} id {shown(ident)}{hint}", path=path, line=line, column=column
        )


def closest(ident: str, known: Iterable[str], n: int = 3) -> list[str]:
    """The known ids nearest to a mistyped one, best first."""
    known = list(known)
    # Siblings first: for "som.6.1.x" the entries under som.6.1 are what the user meant.
    parent = ident.rsplit(".", 1)[0]
    siblings = [k for k in known if k.startswith(parent + ".")] if "." in ident else []
    import difflib  # here: only a misspelt id asks for suggestions

    found = difflib.get_close_matches(ident, siblings or known, n=n, cutoff=0.6)
    if not found:
        # An id cut short ("som.6") should still point at its children.
        found = [k for k in known if k.startswith(ident + ".")][:n]
    return found
