"""Text for a terminal: wrapped at word boundaries to its width, tables that fit 80 columns."""

from __future__ import annotations

import shutil
import textwrap


def width(default: int = 80) -> int:
    """The terminal's width in columns (80 when it cannot be told), never below 40."""
    return max(40, shutil.get_terminal_size((default, 24)).columns)


def wrap(text: str, columns: int, indent: str = "", hang: str | None = None) -> list[str]:
    """Lines of at most `columns` characters, broken between words only.

    A word longer than a line (a URL) stays whole on a line of its own.
    """
    follow = indent if hang is None else hang
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if not paragraph.strip():
            lines.append("")
            continue
        lines.extend(textwrap.wrap(paragraph, width=columns, initial_indent=indent,
                                   subsequent_indent=follow, break_long_words=False,
                                   break_on_hyphens=False) or [""])
    return lines


def fit_table(rows: list[list[str]], headers: list[str], columns: int = 80,
              shrink: tuple[int, ...] | None = None) -> str:
    """A plain-text table no wider than `columns`.

    The columns in `shrink` (the last one by default) give way in that order, each down to
    its header or 8 characters, their cells cut with '…'.
    """
    cells = [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in [headers, *cells]) for i in range(len(headers))]
    for flexible in shrink if shrink is not None else (len(headers) - 1,):
        excess = sum(widths) + 2 * (len(widths) - 1) - columns
        if excess <= 0:
            break
        widths[flexible] = max(len(headers[flexible]), 8, widths[flexible] - excess)

    def cut(text: str, size: int) -> str:
        return text if len(text) <= size else text[: size - 1].rstrip() + "…"

    def line(values: list[str]) -> str:
        return "  ".join(cut(v, w).ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    out += [line(row) for row in cells]
    return "\n".join(out)
