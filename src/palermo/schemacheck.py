"""JSON Schema validation of YAML documents, with errors located at file:line:column."""

from __future__ import annotations

from typing import Any

from palermo.errors import MAX_ERRORS, SHOWN_LENGTH, InputError, capped, cut, printable, shown
from palermo.resources import schema
from palermo.yamlio import Document

_validators: dict[str, Any] = {}


def _validator(name: str) -> Any:
    # jsonschema is slow to import and to build validators: do both once, on first use.
    if name not in _validators:
        from jsonschema import Draft202012Validator

        _validators[name] = Draft202012Validator(inlined(schema(name)))
    return _validators[name]


def inlined(rules: Any) -> Any:
    """The same schema with each `{"$ref": "#/$defs/NAME"}` replaced by that definition.

    It validates exactly as the schema does, without a reference lookup for every value (one
    per answer of an answers file: most of jsonschema's time). A definition that refers to
    itself, directly or not, keeps its `$ref`; `$defs` stays, for those.
    """
    definitions = rules.get("$defs", {}) if isinstance(rules, dict) else {}

    def expand(node: Any, inside: tuple[str, ...]) -> Any:
        if isinstance(node, list):
            return [expand(item, inside) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if len(node) == 1 and isinstance(ref, str) and ref.startswith("#/$defs/"):
            target = ref[len("#/$defs/"):]
            if target in definitions and target not in inside and "/" not in target:
                return expand(definitions[target], (*inside, target))
            return node
        return {key: value if key == "$defs" else expand(value, inside)
                for key, value in node.items()}

    return expand(rules, ())


def _message(error: Any) -> str:
    """Rewrite jsonschema's messages into what a catalog maintainer or drafter can act on.

    jsonschema's own messages repeat the whole value (a 2 MB name, an alias bomb): every
    value shown here goes through `shown`, which keeps it to one short line.
    """
    names = [step for step in error.absolute_path if isinstance(step, str)]
    field = names[-1] if names else None
    where = f"field {shown(field)}: " if field and not field.count(".") else ""
    kind, limit, value = error.validator, error.validator_value, error.instance
    if "propertyNames" in error.schema_path:  # the error is in a key, not in its value
        where = f"key {shown(value)}" + (f" in {shown(field)}" if field else "") + ": "
    if kind == "required":
        missing = next((k for k in limit if not isinstance(value, dict) or k not in value), "")
        return f"missing required field {shown(missing)}"
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = [k for k in value if k not in allowed] if isinstance(value, dict) else []
        listed = ", ".join(shown(k) for k in extra[:3]) + (" ..." if len(extra) > 3 else "")
        return f"unknown field {listed} (expected one of: {', '.join(allowed)})"
    if kind == "enum":
        options = ", ".join(str(v) for v in limit)
        return f"{where}{shown(value)} is not valid (expected one of: {options})"
    if kind == "const":
        return f"{where}{shown(value)} is not valid (expected {limit!r})"
    if kind == "pattern":
        shown_value = "" if where.startswith("key ") else f"{shown(value)} "
        return f"{where}{shown_value}does not have the expected form ({limit})"
    if kind == "type":
        expected = " or ".join(limit) if isinstance(limit, list) else limit
        return f"{where}expected {expected}, got {type(value).__name__} {shown(value)}"
    if kind in ("oneOf", "anyOf"):
        return f"{where}not a valid form: {shown(value)}"
    return where + _limit_message(kind, limit, value, error.message)


_SIZES = {  # validator: (what is counted, too few or too many)
    "maxLength": ("characters", "too long", "at most"),
    "minLength": ("characters", "too short", "at least"),
    "maxItems": ("items", "too many items", "at most"),
    "minItems": ("items", "too few items", "at least"),
    "maxProperties": ("entries", "too many entries", "at most"),
    "minProperties": ("entries", "too few entries", "at least"),
}


def _limit_message(kind: str, limit: Any, value: Any, fallback: str) -> str:
    if kind in _SIZES and isinstance(value, (str, list, dict)):
        unit, problem, bound = _SIZES[kind]
        if kind == "minLength" and limit == 1:
            return "must not be empty"
        return f"{problem}: {len(value):,} {unit} ({bound} {limit:,})"
    if kind == "uniqueItems":
        return "lists the same item twice"
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return f"{shown(value)} is out of range ({kind} {limit})"
    return cut(printable(fallback, one_line=True), 2 * SHOWN_LENGTH)


def _ident(data: Any, path: list[Any]) -> str | None:
    """The obligation or question id the error is inside, for a message a person can find."""
    node = data
    found = None
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            found = node["id"]
        if isinstance(node, dict) and isinstance(node.get("obligation"), str):
            found = node["obligation"]
    return found


# Results for documents already validated in this process, by schema, path and text: opening
# an assessment checks its answers file twice (alone, then with the questions), and a
# matrix or batch of hundreds of files would pay for the second check every time.
_checked: dict[tuple[str, str, str], list[InputError]] = {}
_CHECKED_MAX = 4096


def value_errors(value: Any, name: str, *where: str) -> list[str]:
    """Messages for one value checked against a part of a schema, before it is written.

    `where` is the path into the schema, e.g. ("$defs", "answer") or ("properties", "state"),
    so that what a command is about to save meets the limits a later load will apply.
    """
    key = "\0".join((name, *where))
    if key not in _validators:
        from jsonschema import Draft202012Validator

        part: Any = schema(name)
        for step in where:
            part = part[step]
        _validators[key] = Draft202012Validator(part)
    return [_message(error) for error in _validators[key].iter_errors(value)]


def _oversized(doc: Document, rules: dict[str, Any]) -> list[InputError]:
    """Top-level fields over their maximum size, found without validating their content."""
    found = []
    data = doc.data if isinstance(doc.data, dict) else {}
    for key, rule in rules.get("properties", {}).items():
        value = data.get(key)
        for kind, types in (("maxProperties", dict), ("maxItems", list)):
            if kind in rule and isinstance(value, types) and len(value) > rule[kind]:
                message = f"field {shown(key)}: " + _limit_message(kind, rule[kind], value, "")
                found.append(doc.error(message, [key]))
    return found


def schema_errors(doc: Document, name: str) -> list[InputError]:
    """Every schema violation in a document, in file order; past MAX_ERRORS, a count."""
    if doc.digest and (name, doc.digest) in _PASSED:
        return []  # known valid: found so in this process, or by the user's cache
    key = (name, str(doc.path), doc.digest)
    if doc.digest and key in _checked:
        return list(_checked[key])
    result = _schema_errors(doc, name)
    if doc.digest:
        if len(_checked) >= _CHECKED_MAX:
            _checked.clear()
        _checked[key] = result
    return list(result)


def _schema_errors(doc: Document, name: str) -> list[InputError]:
    validator = _validator(name)
    oversized = _oversized(doc, schema(name))
    if oversized:
        return oversized  # checking 20,000 entries one by one would only repeat the point
    try:
        found = list(validator.iter_errors(doc.data))
    except RecursionError:
        return [doc.error("nested too deeply to check")]
    errors = sorted(found, key=lambda e: doc.locate(list(e.absolute_path)))
    result = []
    for error in errors[:MAX_ERRORS]:
        path = list(error.absolute_path)
        at_key = False
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            # Point at the unexpected key itself, not at the mapping that holds it.
            allowed = error.schema.get("properties", {})
            extra = next((k for k in error.instance if k not in allowed), None)
            if extra is not None:
                path, at_key = path + [extra], True
        ident = _ident(doc.data, path)
        if ident is None and len(path) >= 2 and path[0] == "answers":
            ident = path[1]  # answers are keyed by question id
        result.append(doc.error(_message(error), path, ident=ident, at_key=at_key))
    if not result:
        trust(doc, name)
    return capped(result, len(errors))


# (schema, sha256 of the text) of documents found valid in this process, or known valid from
# the user's cache (palermo.cache): a document is not validated twice.
_PASSED: set[tuple[str, str]] = set()


def trust(doc: Document, name: str) -> None:
    """Record that this exact text is known to pass this schema (a cache hit)."""
    if doc.digest:
        _PASSED.add((name, doc.digest))


def check_schema(doc: Document, name: str) -> None:
    """Raise the first schema violation, if any."""
    errors = schema_errors(doc, name)
    if errors:
        raise errors[0]
