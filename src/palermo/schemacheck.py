"""JSON Schema validation of YAML documents, with errors located at file:line:column."""

from __future__ import annotations

from typing import Any

from palermo.errors import InputError
from palermo.resources import schema
from palermo.yamlio import Document

_validators: dict[str, Any] = {}


def _validator(name: str) -> Any:
    # jsonschema is slow to import and to build validators: do both once, on first use.
    if name not in _validators:
        from jsonschema import Draft202012Validator

        _validators[name] = Draft202012Validator(schema(name))
    return _validators[name]


def _message(error: Any) -> str:
    """Rewrite jsonschema's messages into what a catalog maintainer or drafter can act on."""
    names = [step for step in error.absolute_path if isinstance(step, str)]
    field = names[-1] if names else None
    where = f"field '{field}': " if field and not field.count(".") else ""
    if error.validator == "required":
        missing = error.message.split("'")[1]
        return f"missing required field '{missing}'"
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = error.message.split("(")[-1].split(" was")[0].split(" were")[0]
        return f"unknown field {extra} (expected one of: {', '.join(allowed)})"
    if error.validator == "enum":
        options = ", ".join(str(v) for v in error.validator_value)
        return f"{where}{error.instance!r} is not valid (expected one of: {options})"
    if error.validator == "const":
        return f"{where}{error.instance!r} is not valid (expected {error.validator_value!r})"
    if error.validator == "pattern":
        return (f"{where}{error.instance!r} does not have the expected form "
                f"({error.validator_value})")
    if error.validator == "type":
        expected = error.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        return f"{where}expected {expected}, got {type(error.instance).__name__} {error.instance!r}"
    if error.validator in ("oneOf", "anyOf"):
        return f"{where}not a valid form: {_short(error.instance)}"
    return f"{where}{error.message}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


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


def schema_errors(doc: Document, name: str) -> list[InputError]:
    """Every schema violation in a document, in file order."""
    if doc.digest and (name, doc.digest) in _PASSED:
        return []
    validator = _validator(name)
    errors = sorted(validator.iter_errors(doc.data),
                    key=lambda e: doc.locate(list(e.absolute_path)))
    result = []
    for error in errors:
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
    return result


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
