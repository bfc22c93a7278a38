"""Jinja2 rendering of catalog and report wording, always in a sandbox.

Templates come from catalogs and organisations' folders we do not control, so they are
rendered by a SandboxedEnvironment with StrictUndefined: a typo in a variable name is an
error, not silently empty text, and no template can reach Python internals.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from palermo.errors import InputError


@cache
def _environment(search_path: str | None = None) -> Any:
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    loader = FileSystemLoader(search_path) if search_path else None
    # Output is plain text placed into DOCX/Markdown runs, never raw HTML: the HTML writer
    # escapes it itself, so autoescape here would double-escape.
    return ImmutableSandboxedEnvironment(  # noqa: S701 - plain text, escaped by each writer
        undefined=StrictUndefined, loader=loader, keep_trailing_newline=False,
        trim_blocks=True, lstrip_blocks=True,
    )


@cache
def _compiled(source: str) -> Any:
    # The same catalog wording is rendered for every State: compile it once per process.
    return _environment().from_string(source)


def render_string(source: str, context: dict[str, Any], *, where: str) -> str:
    """Render one template string; `where` names its origin for error messages."""
    from jinja2 import TemplateError

    try:
        return _compiled(source).render(**context).strip()
    except TemplateError as exc:
        raise InputError(f"template error: {exc}", ident=where) from None


def render_file(directory: Path, name: str, context: dict[str, Any]) -> str:
    """Render a named template from a folder (report wording)."""
    from jinja2 import TemplateError

    env = _environment(str(directory))
    try:
        return env.get_template(name).render(**context).strip()
    except TemplateError as exc:
        raise InputError(f"template error: {exc}", path=str(directory / name)) from None
