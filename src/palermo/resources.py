"""Where the bundled obligations, questionnaires, templates and schemas are."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any


def bundled(kind: str) -> Path:
    """The folder of a bundled data kind: inside the wheel, or at the checkout's root."""
    packaged = Path(str(files("palermo"))) / "data" / kind
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / kind


@cache
def schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped with the package, by file stem ('obligations', 'answers', ...)."""
    text = (files("palermo") / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
    return json.loads(text)
