"""Every kind of bad input: one line naming file, place and fix; exit non-zero; no file touched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

BAD = Path(__file__).parent / "bad"
MINI = Path(__file__).parent / "fixtures" / "mini"
CAT = ["--catalog", str(MINI / "obligations")]


@pytest.mark.parametrize("name, message", [
    ("malformed.yaml", "malformed.yaml:4:8: invalid YAML: did not find expected ',' or ']' "
                       "(while parsing a flow sequence)"),
    ("bad_instrument.yaml", "bad_instrument.yaml:3:15: instrument 'smuggling' is not in the "
                            "catalog (expected one of: untoc, som)"),
    ("unknown_question.yaml", "unknown_question.yaml:5:3: som.ofence: unknown question id "
                              "(did you mean: som.offence?)"),
    ("bad_value.yaml", "bad_value.yaml:6:13: som.purpose: 'profit' is not a valid answer "
                       "(expected one of: benefit, none, unknown)"),
    ("python_tag.yaml", "python_tag.yaml:4:10: YAML tag "
                        "'tag:yaml.org,2002:python/object/apply:os.system' is not allowed "
                        "(only plain YAML: mappings, lists, strings, numbers, true/false and null)"),
    ("unknown_field.yaml", "unknown_field.yaml:7:5: som.offence: unknown field 'citation' (expected one of: "
                           "answer, answered, by, citations, note, skipped)"),
    ("duplicate.yaml", "duplicate.yaml:7:3: invalid YAML: duplicate key 'som.offence' "
                       "(first at line 5)"),
])
@pytest.mark.parametrize("command", ["validate", "gaps", "status", "report"])
def test_bad_answers_file(run, tmp_path, name, message, command):
    source = tmp_path / name
    shutil.copy(BAD / name, source)
    before = source.read_bytes()
    args = [command, source, *CAT] + (["-o", tmp_path / "out.docx"] if command == "report" else [])
    result = run(*args)
    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path}/{message}\n"
    assert source.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_missing_answers_file(run, tmp_path):
    result = run("gaps", tmp_path / "nope.yaml", *CAT)
    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path}/nope.yaml: file not found\n"


def test_unknown_obligation_suggests_closest(run):
    result = run("catalog", "show", "som.6.1.x", *CAT)
    assert result.exit_code == 1
    assert result.output == "Error: unknown obligation id 'som.6.1.x' (did you mean: som.6.1.a?)\n"


def test_catalog_entry_missing_a_field(run, tmp_path):
    folder = tmp_path / "obligations"
    shutil.copytree(MINI / "obligations", folder)
    path = folder / "som.yaml"
    path.write_text(path.read_text().replace(
        "    summary: Criminalize the smuggling of migrants.\n", ""))
    result = run("catalog", "validate", folder, "--questionnaires", MINI / "questionnaires")
    assert result.exit_code == 1
    assert result.output == f"Error: {path}:5:5: som.6.1.a: missing required field 'summary'\n"


def test_catalog_with_bad_strength(run, tmp_path):
    folder = tmp_path / "obligations"
    shutil.copytree(MINI / "obligations", folder)
    path = folder / "som.yaml"
    path.write_text(path.read_text().replace("strength: qualified", "strength: must"))
    result = run("catalog", "list", "--catalog", folder)
    assert result.exit_code == 1
    assert result.output == (f"Error: {path}:40:15: som.15.3: field 'strength': 'must' is not "
                             "valid (expected one of: mandatory, qualified, consider, optional)\n")


def test_new_assessment_needs_state_and_instruments(run, tmp_path):
    result = run("assess", tmp_path / "new.yaml", *CAT, input="")
    assert result.exit_code == 1
    assert result.output == (f"Error: {tmp_path}/new.yaml: file not found; to start a new "
                             "assessment give --state NAME and --instruments (untoc, som)\n")
    assert not (tmp_path / "new.yaml").exists()
