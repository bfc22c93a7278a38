"""Where the bundled obligations, questionnaires, templates and schemas are."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

# The package's own folder. palermo runs from files on disk (a wheel installed, or a checkout),
# which is what importlib.resources would give too, without its import on every start.
_PACKAGE = Path(__file__).parent


def bundled(kind: str) -> Path:
    """The folder of a bundled data kind: inside the wheel, or at the checkout's root."""
    packaged = _PACKAGE / "data" / kind
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / kind


@cache
def schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped with the package, by file stem ('obligations', 'answers', ...)."""
    import json

    text = (_PACKAGE / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
    return json.loads(text)
