"""Schemas are validated with their local definitions written in place: the same verdicts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from palermo import schemacheck
from palermo.errors import InputError
from palermo.resources import schema
from palermo.schemacheck import inlined
from palermo.yamlio import load_yaml

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = sorted(p.name.split(".")[0] for p in (ROOT / "src" / "palermo" / "schemas").glob(
    "*.schema.json"))
DOCUMENTS = sorted([*ROOT.glob("tests/bad/*.yaml"), *ROOT.glob("tests/fixtures/**/*.yaml"),
                    *ROOT.glob("examples/**/*.yaml"), *ROOT.glob("tests/cases/*.yaml")])


def _refs(node: object) -> list[str]:
    if isinstance(node, dict):
        return [ref for key, value in node.items() if key != "$defs"
                for ref in ([value] if key == "$ref" else _refs(value))]
    if isinstance(node, list):
        return [ref for item in node for ref in _refs(item)]
    return []


def _errors(doc, name: str, plain: bool) -> list[str]:
    schemacheck._validators.clear()
    schemacheck._checked.clear()
    schemacheck._PASSED.clear()
    if plain:  # the schema as published, every $ref looked up by jsonschema
        schemacheck._validators[name] = Draft202012Validator(schema(name))
    try:
        return [str(e) for e in schemacheck._schema_errors(doc, name)]
    finally:
        schemacheck._validators.clear()
        schemacheck._PASSED.clear()


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_document_gets_the_same_errors_from_either_form(path):
    try:
        doc = load_yaml(path, aliases=True)
    except InputError:
        pytest.skip("not YAML: the schema is never reached")
    for name in SCHEMAS:  # the wrong schemas too: many errors of many kinds
        assert _errors(doc, name, plain=False) == _errors(doc, name, plain=True), name


def test_the_answers_schema_needs_no_reference_lookup():
    assert _refs(schema("answers"))  # as published it refers to its definitions...
    assert _refs(inlined(schema("answers"))) == []  # ...validated, it holds them in place


def test_a_definition_that_refers_to_itself_keeps_its_reference():
    rules = {"$defs": {"cond": {"type": "object",
                                "properties": {"all": {"type": "array",
                                                       "items": {"$ref": "#/$defs/cond"}}}},
                       "name": {"type": "string"}},
             "properties": {"when": {"$ref": "#/$defs/cond"}, "id": {"$ref": "#/$defs/name"}}}
    before = json.dumps(rules, sort_keys=True)
    result = inlined(rules)
    assert json.dumps(rules, sort_keys=True) == before  # the schema given is left as it was
    assert result["properties"]["id"] == {"type": "string"}
    when = result["properties"]["when"]
    assert when["type"] == "object"
    assert when["properties"]["all"]["items"] == {"$ref": "#/$defs/cond"}
    assert result["$defs"] == rules["$defs"]
    validator = Draft202012Validator(result)
    assert validator.is_valid({"when": {"all": [{"all": []}]}, "id": "x"})
    assert not validator.is_valid({"when": {"all": [{"all": 3}]}})
