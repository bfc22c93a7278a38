"""Jinja2 rendering of catalog and report wording, always in a sandbox.

Templates come from catalogs and organisations' folders we do not control, so they are
rendered by a SandboxedEnvironment with StrictUndefined: a typo in a variable name is an
error, not silently empty text, and no template can reach Python internals.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from palermo.errors import InputError


@cache
def _code_cache() -> Any:
    # Compiled templates are kept across runs (palermo.cache), saved once a command succeeded.
    from palermo import cache as usercache
    from palermo.templatecache import TemplateCodeCache

    store = TemplateCodeCache()
    usercache.on_success(store.save)
    return store


@cache
def _environment(search_path: str | None = None) -> Any:
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    loader = FileSystemLoader(search_path) if search_path else None
    # Output is plain text placed into DOCX/Markdown runs, never raw HTML: the HTML writer
    # escapes it itself, so autoescape here would double-escape.
    return ImmutableSandboxedEnvironment(  # noqa: S701 - plain text, escaped by each writer
        undefined=StrictUndefined, loader=loader, keep_trailing_newline=False,
        trim_blocks=True, lstrip_blocks=True, bytecode_cache=_code_cache(),
    )


@cache
def _compiled(source: str) -> Any:
    # The same catalog wording is rendered for every State: compile it once, and keep it.
    env = _environment()
    code = _code_cache().compiled(env, source)
    return env.template_class.from_code(env, code, env.make_globals(None), None)


# `{{ name }}` and nothing else: most catalog wording only names the State.
_PLAIN_NAME = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


@cache
def _pieces(source: str) -> tuple[str, ...] | None:
    """Text and variable names alternating, when the template is nothing more; else None."""
    if "{%" in source or "{#" in source:
        return None
    pieces = tuple(_PLAIN_NAME.split(source.replace("\r\n", "\n").replace("\r", "\n")))
    if any("{{" in text for text in pieces[::2]):
        return None
    return pieces


def _substituted(source: str, context: dict[str, Any]) -> str | None:
    """What Jinja would render for a template of plain names bound to text, without Jinja."""
    pieces = _pieces(source)
    if pieces is None:
        return None
    out = []
    for index, piece in enumerate(pieces):
        if index % 2:
            value = context.get(piece)
            if not isinstance(value, str):
                return None  # undefined, or not text: Jinja decides (and reports)
            piece = value
        out.append(piece)
    return "".join(out)


def render_string(source: str, context: dict[str, Any], *, where: str) -> str:
    """Render one template string; `where` names its origin for error messages."""
    quick = _substituted(source, context)
    if quick is not None:
        return quick.strip()
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
