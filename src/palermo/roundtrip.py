"""Saving an answers file without losing what people wrote into it.

An answers file is read strictly (palermo.yamlio) and written here: the file as it is on disk
is parsed again with ruamel.yaml's round-trip loader and only the values that changed are
replaced, so comments, key order, quoting and layout written by hand survive every save and
git diffs show only the answers that changed. A new file is written in palermo's own layout.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import yaml

_RESOLVER = yaml.resolver.Resolver()  # YAML 1.1 rules: what PyYAML and most tools read


def _yaml() -> Any:
    from ruamel.yaml import YAML

    handler = YAML(typ="rt", pure=True)
    handler.preserve_quotes = True
    handler.indent(mapping=2, sequence=4, offset=2)
    handler.width = 100
    handler.allow_unicode = True
    return handler


def _scalar(value: str) -> Any:
    """A string as ruamel should write it: quoted where a YAML 1.1 reader would misread it."""
    from ruamel.yaml.scalarstring import LiteralScalarString, SingleQuotedScalarString

    if "\n" in value:
        return LiteralScalarString(value)
    if _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) != "tag:yaml.org,2002:str":
        return SingleQuotedScalarString(value)  # 'yes', 'no', '2026-01-01', '12'
    return value


def _node(value: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        mapping = CommentedMap()
        for key, item in value.items():
            mapping[key] = _node(item)
        return mapping
    if isinstance(value, list):
        return CommentedSeq([_node(item) for item in value])
    if isinstance(value, str):
        return _scalar(value)
    return value


def _same(old: Any, new: Any) -> bool:
    """Equal as data, whatever the quoting: an unchanged value keeps how it was written."""
    if isinstance(new, list):
        return (isinstance(old, list) and len(old) == len(new)
                and all(_same(a, b) for a, b in zip(old, new, strict=True)))
    if isinstance(new, dict):
        return (isinstance(old, dict) and list(old) == list(new)
                and all(_same(old[k], new[k]) for k in new))
    if isinstance(new, str):
        return isinstance(old, (str, dt.date)) and not isinstance(old, bool) and str(old) == new
    return type(old) is type(new) and old == new


def _update(target: Any, new: dict) -> None:
    """Make mapping `target` equal to `new`, touching only keys whose value changed."""
    if not target and new and hasattr(target, "fa"):
        target.fa.set_block_style()  # `answers: {}` grows into a block, not one long line
    for key in [k for k in target if k not in new]:
        del target[key]
    previous_key = None
    for key, value in new.items():
        if key in target:
            old = target[key]
            if isinstance(value, dict) and isinstance(old, dict):
                _update(old, value)
            elif not _same(old, value):
                target[key] = _node(value)
        else:
            keys = list(target)
            position = keys.index(previous_key) + 1 if previous_key in keys else 0
            target.insert(position, key, _node(value))
        previous_key = key


def render(data: dict, previous: str | None, header: str = "") -> str:
    """YAML text for `data`, keeping comments and layout of `previous` (the file on disk)."""
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.error import YAMLError

    handler = _yaml()
    tree = None
    if previous and previous.strip():
        try:
            tree = handler.load(previous)
        except (YAMLError, ValueError, TypeError, RecursionError):
            tree = None  # unreadable by the round-trip parser: write palermo's layout
    fresh = not isinstance(tree, CommentedMap)
    if fresh:
        tree = CommentedMap()
    _update(tree, data)
    out = io.StringIO()
    handler.dump(tree, out)
    return (header + out.getvalue()) if fresh else out.getvalue()
