"""UNTOC art. 37(2): a Party to a Protocol must be a Party to the Convention."""

from __future__ import annotations

import pytest

TEMPLATE = """palermo: 1
state: Republic of Meridia
instruments: [{instruments}]
party_status:
{party}answers: {{}}
"""


def _file(tmp_path, instruments: str, party: dict[str, str]):
    path = tmp_path / "meridia.yaml"
    lines = "".join(f"  {k}: {v}\n" for k, v in party.items())
    path.write_text(TEMPLATE.format(instruments=instruments, party=lines))
    return path


@pytest.mark.parametrize("command", ["validate", "gaps", "status"])
def test_protocol_party_without_the_convention_is_refused(run, tmp_path, command):
    path = _file(tmp_path, "som", {"untoc": "not_party", "som": "party"})
    before = path.read_bytes()
    result = run(command, str(path))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {path}:5:3: party_status: som is 'party' but untoc is 'not_party'; a State "
        "must be a Party to the Convention to be a Party to a Protocol (UNTOC art. 37(2)): "
        "set untoc to party, or som to signatory or not_party\n")
    assert path.read_bytes() == before


def test_every_protocol_concerned_is_named(run, tmp_path):
    path = _file(tmp_path, "untoc, tip, firearms",
                 {"untoc": "signatory", "tip": "party", "firearms": "party"})
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert "tip and firearms are 'party' but untoc is 'signatory'" in result.output


@pytest.mark.parametrize("party", [
    {"untoc": "party", "som": "party"},
    {"som": "party"},                                  # untoc defaults to party
    {"untoc": "not_party", "som": "signatory"},        # signing needs no Convention party
    {"untoc": "signatory", "som": "not_party"},
])
def test_combinations_the_convention_allows(run, tmp_path, party):
    result = run("validate", str(_file(tmp_path, "som", party)))
    assert result.exit_code == 0, result.output
