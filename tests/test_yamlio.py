import os

import pytest

from palermo.errors import InputError
from palermo.yamlio import atomic_write, dump_yaml, load_yaml, parse_yaml


def test_yes_and_dates_stay_strings():
    doc = parse_yaml("a: yes\nb: no\nc: 2026-01-31\nd: true\ne: on\n", "x.yaml")
    assert doc.data == {"a": "yes", "b": "no", "c": "2026-01-31", "d": True, "e": "on"}


def test_python_tag_is_refused_with_location():
    with pytest.raises(InputError) as err:
        parse_yaml("state: x\nevil: !!python/object/apply:os.system ['true']\n", "a.yaml")
    assert str(err.value) == (
        "a.yaml:2:7: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed "
        "(only plain YAML: mappings, lists, strings, numbers, true/false and null)")


def test_duplicate_key_is_an_error():
    with pytest.raises(InputError) as err:
        parse_yaml("a: 1\nb: 2\na: 3\n", "d.yaml")
    assert str(err.value) == "d.yaml:3:1: invalid YAML: duplicate key 'a' (first at line 1)"


def test_malformed_yaml_names_line_and_column():
    with pytest.raises(InputError) as err:
        parse_yaml("a: [1, 2\nb: 3\n", "m.yaml")
    assert str(err.value).startswith("m.yaml:2:2: invalid YAML: ")


def test_missing_file(tmp_path):
    with pytest.raises(InputError) as err:
        load_yaml(tmp_path / "nope.yaml")
    assert str(err.value) == f"{tmp_path / 'nope.yaml'}: file not found"


def test_locate_finds_nested_values():
    doc = parse_yaml("answers:\n  som.x:\n    answer: maybe\n", "f.yaml")
    assert doc.locate(["answers", "som.x", "answer"]) == (3, 13)
    assert doc.locate(["answers", "missing"]) == (2, 3)


def test_dump_is_block_style_and_round_trips():
    data = {"state": "Meridia", "answers": {"som.q": {"answer": "yes", "citations": ["A, s. 1"]}},
            "note": "two\nlines"}
    text = dump_yaml(data)
    assert "answer: 'yes'" in text and "{" not in text
    assert parse_yaml(text, "x").data == data


def test_atomic_write_replaces_and_leaves_no_temp(tmp_path):
    target = tmp_path / "out.yaml"
    target.write_text("old")
    atomic_write(target, "new")
    assert target.read_text() == "new"
    assert os.listdir(tmp_path) == ["out.yaml"]


def test_control_character_is_located():
    with pytest.raises(InputError) as err:
        parse_yaml("state: x\nnote: a\x00b\n", "c.yaml")
    assert str(err.value) == ("c.yaml:2:8: invalid YAML: character U+0000 is not allowed in YAML "
                              "text (remove it or write it as an escape in a quoted string)")


# Answers files are built from the node tree directly (yamlio._plain); anything unusual goes
# through PyYAML's constructor. Either way the data and the errors must be what PyYAML gives.
SAME_AS_PYYAML = [
    "state: Meridia\nanswers:\n  a: {answer: yes, citations: [Act 1, 'Act 2']}\n",
    "a: 1\nb: -2.5\nc: null\nd: ~\ne: true\nf: False\ng: 0x1F\nh: 1e3\ni: .inf\nj: ''\n",
    "a:\n  - [1, [2, {b: c}]]\n  - {}\n  - []\nk: |\n  two\n  lines\n",
    "base: {x: 1}\nm:\n  <<: {x: 2, y: 3}\n  z: 4\n",
    "a: !!str 12\nb: !!int '7'\n",
    "a: !!binary aGVsbG8=\n",
    "s: !!set {a, b}\n",
    "o: !!omap [a: 1, b: 2]\n",
    "1: one\n",
    "? [a]\n: b\n",
    "=: x\n",
    "a: 1\nb: [" + "9" * 101 + "]\na: 2\n",
    "a: [" + "9" * 101 + "]\nb: {x: 1, x: 2}\n",
    "a: {x: " + "9" * 101 + "}\n",
    "a: !custom x\n",
    "- a\n- b: c\n",
    "just text\n",
    "42\n",
]


def _with_pyyaml_constructor(text: str):
    import palermo.yamlio as yamlio

    direct = yamlio._construct
    yamlio._construct = lambda loader, node, aliases, text: loader.construct_document(node)
    try:
        return parse_yaml(text, "y.yaml").data
    finally:
        yamlio._construct = direct


def _outcome(read, text: str):
    try:
        return "data", read(text)
    except InputError as exc:
        return "error", str(exc)


@pytest.mark.parametrize("text", SAME_AS_PYYAML)
def test_direct_construction_gives_what_pyyaml_gives(text):
    ours = _outcome(lambda t: parse_yaml(t, "y.yaml").data, text)
    theirs = _outcome(_with_pyyaml_constructor, text)
    assert ours == theirs
    assert repr(ours) == repr(theirs)  # the same types too: 1 and True are equal, not alike


def test_catalog_words_are_shared_and_aliases_stay_one_value():
    doc = parse_yaml("a: [mandatory, mandatory]\nb: &x {strength: mandatory}\nc: *x\n",
                     "c.yaml", aliases=True)
    first, second = doc.data["a"]
    assert first == second == doc.data["b"]["strength"] == "mandatory"
    assert first is second is doc.data["b"]["strength"]  # one object, however often written
    assert doc.data["c"] is doc.data["b"]
    assert doc.data == {"a": ["mandatory", "mandatory"], "b": {"strength": "mandatory"},
                        "c": {"strength": "mandatory"}}
