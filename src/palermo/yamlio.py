"""Strict, safe YAML reading with line numbers.

Files come from other people: only plain YAML is accepted (no Python tags),
duplicate keys are errors, `yes`/`no`/`on`/`off` stay strings (YAML 1.2 booleans
only) and dates stay strings, so answers round-trip exactly.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from palermo.errors import InputError
from palermo.fsio import atomic_write as atomic_write  # re-exported: saves live in fsio

# libyaml's C parser is ten times faster on the catalogs; its safe loader is as safe.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StrictLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """SafeLoader without YAML 1.1 surprises and with duplicate-key errors."""


# Rebuild the implicit resolvers: drop timestamps and YAML 1.1 booleans.
StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def _construct_mapping(loader: StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, yaml.Node] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None,
                f"duplicate key '{key}' (first at line {seen[key].start_mark.line + 1})",
                key_node.start_mark,
            )
        seen[key] = key_node
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


StrictLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


@dataclass
class Document:
    """A YAML file's data together with its node tree, to locate errors."""

    path: str
    data: Any
    node: yaml.Node | None
    digest: str = ""  # sha256 of the text, to remember documents already found valid

    def locate(self, json_path: list[Any] | tuple[Any, ...], *, at_key: bool = False,
               ) -> tuple[int | None, int | None]:
        """Line and column (1-based) of the value at a JSON path, or of its nearest parent.

        With at_key, the position of the last step's key instead of its value.
        """
        node = self.node
        if node is None:
            return None, None
        for position, step in enumerate(json_path):
            child = None
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if key_node.value == str(step):
                        last = position == len(json_path) - 1
                        child = key_node if at_key and last else value_node
                        break
            elif (isinstance(node, yaml.SequenceNode) and isinstance(step, int)
                  and 0 <= step < len(node.value)):
                child = node.value[step]
            if child is None:
                break
            node = child
        return node.start_mark.line + 1, node.start_mark.column + 1

    def error(self, message: str, json_path: list[Any] | tuple[Any, ...] = (),
              ident: str | None = None, *, at_key: bool = False) -> InputError:
        line, column = self.locate(json_path, at_key=at_key)
        return InputError(message, path=self.path, line=line, column=column, ident=ident)


def _describe(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None) or str(exc)
    if "could not determine a constructor for the tag" in problem:
        tag = problem.split("tag", 1)[1].strip(" '")
        return (f"YAML tag '{tag}' is not allowed (only plain YAML: mappings, lists, "
                "strings, numbers, true/false and null)")
    context = getattr(exc, "context", None)
    return " ".join((f"invalid YAML: {problem}" + (f" ({context})" if context else "")).split())


def parse_yaml(text: str, path: str) -> Document:
    """Parse YAML text strictly, turning every parser error into a located InputError."""
    loader = StrictLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        raise InputError(_describe(exc), path=path, line=line, column=column) from None
    except yaml.reader.ReaderError as exc:
        # Raised before any mark exists: locate the bad character from its offset.
        at = exc.position
        line = text.count("\n", 0, at) + 1
        column = at - text.rfind("\n", 0, at)
        char = exc.character if isinstance(exc.character, str) else chr(exc.character or 0)
        raise InputError(f"invalid YAML: character U+{ord(char):04X} is not allowed in YAML "
                         "text (remove it or write it as an escape in a quoted string)",
                         path=path, line=line, column=column) from None
    except yaml.YAMLError as exc:
        raise InputError(" ".join(_describe(exc).split()), path=path) from None
    except RecursionError:
        raise InputError("invalid YAML: nesting too deep", path=path) from None
    finally:
        loader.dispose()
    return Document(path=path, data=data, node=node,
                    digest=hashlib.sha256(text.encode("utf-8")).hexdigest())


def load_yaml(path: str | os.PathLike[str]) -> Document:
    """Read and parse a YAML file, with a one-line error if it is missing or unreadable."""
    shown = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", path=shown) from None
    except IsADirectoryError:
        raise InputError("is a directory, expected a YAML file", path=shown) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path=shown) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", path=shown) from None
    return parse_yaml(text, shown)


class _BlockDumper(yaml.SafeDumper):
    """Block style, multi-line strings as literal blocks, lists indented under keys."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        return super().increase_indent(flow, False)


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_BlockDumper.add_representer(str, _str_representer)


def dump_yaml(data: Any) -> str:
    """YAML text in block style with keys in the order given, for readable git diffs."""
    return yaml.dump(data, Dumper=_BlockDumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=100)
