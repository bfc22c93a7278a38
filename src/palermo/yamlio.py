"""Strict, safe YAML reading with line numbers.

Files come from other people: only plain YAML is accepted (no Python tags),
duplicate keys are errors, keys are text, `yes`/`no`/`on`/`off` stay strings (YAML 1.2
booleans only) and dates stay strings, so answers round-trip exactly.

Every file is also bounded before anything is built from it, so that a hostile file fails
fast instead of taking minutes and gigabytes: its size, how deeply it nests, and how many
values it holds once aliases (`*name`) are expanded (the "billion laughs"). Answers files
may not use aliases at all.
"""

import hashlib
import os
import re
import stat
import sys
from typing import Any, NamedTuple

import yaml

from palermo.errors import InputError, cut, shown
from palermo.fsio import atomic_write as atomic_write  # re-exported: saves live in fsio
from palermo.fsio import open_regular

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


MAX_FILE_BYTES = 8 * 1024 * 1024  # the bundled catalog's largest file is 0.3 MB
MAX_DEPTH = 50                    # the bundled files nest at most 15 levels
MAX_VALUES = 250_000              # values in one file, aliases expanded (largest: 20,000)

_KEY_TYPES = {"tag:yaml.org,2002:int": "a number", "tag:yaml.org,2002:float": "a number",
              "tag:yaml.org,2002:null": "null", "tag:yaml.org,2002:bool": "true/false",
              "tag:yaml.org,2002:seq": "a list", "tag:yaml.org,2002:map": "a mapping"}


class _Refused(yaml.MarkedYAMLError):
    """Valid YAML that palermo does not accept (limits, aliases, keys that are not text)."""


def _construct_mapping(loader: StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, yaml.Node] = {}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue  # `<<: *defaults`, flattened by the safe constructor
        if key_node.tag != "tag:yaml.org,2002:str":
            kind = _KEY_TYPES.get(key_node.tag, "anything else")
            raise _Refused(
                None, None, f"a key must be text, not {kind} (write it in quotes if it is "
                "meant as text)", key_node.start_mark)
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None,
                f"duplicate key {shown(key)} (first at line {seen[key].start_mark.line + 1})",
                key_node.start_mark,
            )
        seen[key] = key_node
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


StrictLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)

MAX_NUMBER_DIGITS = 100  # Python refuses to convert more than 4,300 digits, with a traceback


def _construct_number(loader: StrictLoader, node: yaml.ScalarNode) -> Any:
    if len(node.value) > MAX_NUMBER_DIGITS:
        raise _Refused(None, None, f"a number of {len(node.value):,} characters is too long "
                       f"(at most {MAX_NUMBER_DIGITS}; quote it if it is meant as text)",
                       node.start_mark)
    if node.tag == "tag:yaml.org,2002:int":
        return yaml.SafeLoader.construct_yaml_int(loader, node)
    return yaml.SafeLoader.construct_yaml_float(loader, node)


StrictLoader.add_constructor("tag:yaml.org,2002:int", _construct_number)
StrictLoader.add_constructor("tag:yaml.org,2002:float", _construct_number)


class Document(NamedTuple):
    """A YAML file's data together with its node tree, to locate errors."""

    path: str
    data: Any
    node: yaml.Node | None
    digest: str  # sha256 of the text, to remember documents already found valid
    # Each mapping's keys (by the mapping node's id), indexed when first needed, so that
    # locating many errors stays linear; parse_yaml gives each document its own.
    keys: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]]

    def _child(self, node: yaml.MappingNode, step: Any) -> tuple[yaml.Node, yaml.Node] | None:
        index = self.keys.get(id(node))
        if index is None:
            index = {}
            for key_node, value_node in node.value:
                index.setdefault(str(key_node.value), (key_node, value_node))
            self.keys[id(node)] = index
        return index.get(str(step))

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
                pair = self._child(node, step)
                if pair is not None:
                    last = position == len(json_path) - 1
                    child = pair[0] if at_key and last else pair[1]
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
    if isinstance(exc, _Refused):
        return problem
    if "could not determine a constructor for the tag" in problem:
        tag = problem.split("tag", 1)[1].strip(" '")
        return (f"YAML tag '{cut(tag)}' is not allowed (only plain YAML: mappings, lists, "
                "strings, numbers, true/false and null)")
    context = getattr(exc, "context", None)
    return " ".join((f"invalid YAML: {problem}" + (f" ({context})" if context else "")).split())


class _Limits:
    """Counts a document's events as libyaml reads them, before any node is built."""

    def __init__(self, aliases: bool) -> None:
        self.aliases = aliases
        self.depth = 0
        self.values = 0
        self.sizes: dict[str, int] = {}           # anchor -> values it stands for
        self.open: list[tuple[str | None, int]] = []  # collections being read

    def refuse(self, message: str, event: yaml.Event) -> _Refused:
        return _Refused(problem=message,
                                    problem_mark=event.start_mark)  # type: ignore[arg-type]

    def take(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.AliasEvent):
            self.alias(event)
        elif isinstance(event, yaml.ScalarEvent):
            self.values += 1
            if event.anchor is not None:
                self.sizes[event.anchor] = 1
        elif isinstance(event, yaml.CollectionStartEvent):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.refuse(f"nested more than {MAX_DEPTH} levels deep", event)
            self.open.append((event.anchor, self.values))
            self.values += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            self.depth -= 1
            anchor, start = self.open.pop()
            if anchor is not None:
                self.sizes[anchor] = self.values - start
        if self.values > MAX_VALUES:
            raise self.refuse(f"more than {MAX_VALUES:,} values once aliases are expanded "
                              "(a file this large, or aliases that multiply, are refused)",
                              event)

    def alias(self, event: yaml.AliasEvent) -> None:
        if not self.aliases:
            raise self.refuse(f"alias *{cut(event.anchor or '', 40)} is not allowed in an "
                              "answers file (write the value out in full)", event)
        if any(anchor == event.anchor for anchor, _ in self.open):
            raise self.refuse(f"alias *{cut(event.anchor or '', 40)} refers to the value it "
                              "is inside (a recursive alias)", event)
        self.values += self.sizes.get(event.anchor or "", 1)


def _check_limits(text: str, aliases: bool) -> None:
    limits = _Limits(aliases)
    for event in yaml.parse(text, Loader=StrictLoader):
        limits.take(event)


_STR, _MAP, _SEQ = ("tag:yaml.org,2002:str", "tag:yaml.org,2002:map",
                    "tag:yaml.org,2002:seq")


class _NotPlain(Exception):
    """A node the direct construction leaves to PyYAML's constructor (tags, merges, errors)."""


def _plain(loader: StrictLoader, node: yaml.Node) -> Any:
    """The data of a node tree of text-keyed mappings, lists and scalars, built directly.

    What PyYAML's safe constructor builds from the same tree, without its per-node
    bookkeeping (which serves aliases, refused in these files). Anything else (a merge key,
    a key that is not text, a duplicate key, an explicit tag, a value that fails) raises
    _NotPlain, and the caller builds the document with PyYAML's constructor instead, which
    then reports the problems as it always has, in the order it finds them.
    """
    kind, tag = type(node), node.tag
    if kind is yaml.ScalarNode:
        if tag == _STR:
            return node.value
        try:
            return loader.construct_object(node, deep=True)
        except Exception:  # noqa: BLE001 - PyYAML's own construction reports it, in its order
            raise _NotPlain from None
    if kind is yaml.SequenceNode and tag == _SEQ:
        return [_plain(loader, item) for item in node.value]
    if kind is yaml.MappingNode and tag == _MAP:
        data: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if type(key_node) is not yaml.ScalarNode or key_node.tag != _STR:
                raise _NotPlain
            key = key_node.value
            if key in data:
                raise _NotPlain
            data[key] = _plain(loader, value_node)
        return data
    raise _NotPlain


_SHARED_LENGTH = 40  # ids, statuses, answer values: the words a catalog repeats


def _share_words(data: Any, seen: set[int]) -> Any:
    """The same data, each short text one shared object (sys.intern), changed in place.

    A catalog repeats the same few words thousands of times ("q", "is", "untoc", "yes",
    "mandatory"); shared, the cached workspace is smaller and quicker to read back.
    """
    if type(data) is str:
        return sys.intern(data) if len(data) <= _SHARED_LENGTH else data
    if id(data) in seen:  # a value an alias repeats: done once
        return data
    if type(data) is dict:
        seen.add(id(data))
        items = [(_share_words(k, seen), _share_words(v, seen)) for k, v in data.items()]
        data.clear()
        data.update(items)
    elif type(data) is list:
        seen.add(id(data))
        data[:] = [_share_words(item, seen) for item in data]
    return data


def _construct(loader: StrictLoader, node: yaml.Node, aliases: bool, text: str) -> Any:
    if aliases:  # catalogs and questionnaires: read once, kept in the cache
        return _share_words(loader.construct_document(node), set())
    try:  # answers files: no node is shared, so each can be built once, directly
        return _plain(loader, node)
    except _NotPlain:
        pass
    # A fresh loader: the first may hold a value that failed half-built. Reading the text
    # again costs only these unusual files.
    fresh = StrictLoader(text)
    try:
        return fresh.construct_document(fresh.get_single_node())
    finally:
        fresh.dispose()


def parse_yaml(text: str, path: str, *, aliases: bool = False) -> Document:
    """Parse YAML text strictly, turning every parser error into a located InputError.

    With aliases=False (answers files), `*name` aliases are refused; with aliases=True
    (catalogs, questionnaires) they are allowed up to MAX_VALUES values expanded.
    """
    loader = None
    try:
        _check_limits(text, aliases)
        loader = StrictLoader(text)
        node = loader.get_single_node()
        data = _construct(loader, node, aliases, text) if node is not None else None
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
        if loader is not None:
            loader.dispose()
    return Document(path, data, node, hashlib.sha256(text.encode("utf-8")).hexdigest(), {})


def read_text(path: str | os.PathLike[str], *, what: str = "a YAML file",
              max_bytes: int = MAX_FILE_BYTES) -> str:
    """A regular file's UTF-8 text, refused when it is too large or not a regular file.

    A FIFO or a device (`/dev/zero`) would block or never end; the size is checked before
    anything is read.
    """
    shown_path = str(path)
    try:
        with open_regular(path) as handle:
            info = os.fstat(handle.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise InputError(f"is a directory, expected {what}", path=shown_path)
            if not stat.S_ISREG(info.st_mode):
                raise InputError(f"is not a regular file, expected {what}", path=shown_path)
            if info.st_size > max_bytes:
                raise InputError(f"file too large ({info.st_size:,} bytes; at most "
                                 f"{max_bytes:,})", path=shown_path)
            raw = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError("file not found", path=shown_path) from None
    except IsADirectoryError:
        raise InputError(f"is a directory, expected {what}", path=shown_path) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path=shown_path) from None
    if len(raw) > max_bytes:
        raise InputError(f"file too large (more than {max_bytes:,} bytes)", path=shown_path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", path=shown_path) from None


def load_yaml(path: str | os.PathLike[str], *, aliases: bool = False) -> Document:
    """Read and parse a YAML file, with a one-line error if it is missing or unreadable.

    aliases: allow `*name` aliases (catalog and questionnaire files), within MAX_VALUES.
    """
    return parse_yaml(read_text(path), str(path), aliases=aliases)


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
