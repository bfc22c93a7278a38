"""Errors that palermo reports to its users as one line each."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


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
        ident = f"{self.ident}: " if self.ident else ""
        return f"{where}{ident}{self.message}"


class UnknownIdError(InputError):
    """An obligation or question id that does not exist; suggests the closest ones."""

    def __init__(
        self, kind: str, ident: str, known: Iterable[str], *, path: str | None = None,
        line: int | None = None, column: int | None = None,
    ) -> None:
        self.suggestions = closest(ident, known)
        hint = f" (did you mean: {', '.join(self.suggestions)}?)" if self.suggestions else ""
        super().__init__(
            f"unknown {kind} id '{ident}'{hint}", path=path, line=line, column=column
        )


def closest(ident: str, known: Iterable[str], n: int = 3) -> list[str]:
    """The known ids nearest to a mistyped one, best first."""
    known = list(known)
    # Siblings first: for "som.6.1.x" the entries under som.6.1 are what the user meant.
    parent = ident.rsplit(".", 1)[0]
    siblings = [k for k in known if k.startswith(parent + ".")] if "." in ident else []
    found = difflib.get_close_matches(ident, siblings or known, n=n, cutoff=0.6)
    if not found:
        # An id cut short ("som.6") should still point at its children.
        found = [k for k in known if k.startswith(ident + ".")][:n]
    return found
