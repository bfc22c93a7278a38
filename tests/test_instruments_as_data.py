"""Instruments are data: a catalog folder of one's own adds a treaty without changing code."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from palermo.catalog import load_catalog
from palermo.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
TITLE = "Regional Protocol against the Smuggling of Migrants (a renamed copy for tests)"
SHORT = "Regional Smuggling Protocol"


def regional_catalog(tmp_path: Path) -> tuple[Path, Path]:
    """The bundled catalog plus `regsom`, a renamed copy of the Smuggling Protocol."""
    obligations = tmp_path / "obligations"
    questionnaires = tmp_path / "questionnaires"
    shutil.copytree(ROOT / "obligations", obligations)
    shutil.copytree(ROOT / "questionnaires", questionnaires)
    rename = re.compile(r"\bsom(?=\.|\b)")
    (obligations / "regsom.yaml").write_text(
        rename.sub("regsom", (obligations / "som.yaml").read_text(encoding="utf-8")),
        encoding="utf-8")
    (questionnaires / "regsom.yaml").write_text(
        rename.sub("regsom", (questionnaires / "som.yaml").read_text(encoding="utf-8")),
        encoding="utf-8")
    shutil.copy(obligations / "sources" / "smuggling-protocol.txt",
                obligations / "sources" / "regional-smuggling.txt")
    # The Convention's questions on provisions that apply to Protocol offences are asked
    # for the new protocol too.
    untoc = questionnaires / "untoc.yaml"
    untoc.write_text(untoc.read_text(encoding="utf-8").replace(
        "asked_for: [untoc, tip, som, firearms]", "asked_for: [untoc, tip, som, firearms, regsom]"),
        encoding="utf-8")
    manifest = obligations / "catalog.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("changelog:", (
        "  - id: regsom\n"
        "    kind: protocol\n"
        "    supplements: untoc\n"
        f"    title: {TITLE}\n"
        f"    short_title: {SHORT}\n"
        "    source: regional-smuggling.txt\n"
        "changelog:"), 1), encoding="utf-8")
    return obligations, questionnaires


def test_a_new_instrument_is_validated_assessed_and_reported(run, tmp_path):
    obligations, questionnaires = regional_catalog(tmp_path)
    cat = ["--catalog", obligations, "--questionnaires", questionnaires]
    checked = run("catalog", "validate", *cat)
    assert checked.exit_code == 0, checked.output
    assert checked.output.splitlines()[-1].endswith(": valid.")

    listed = run("catalog", "list", "--instruments", "regsom", *cat)
    assert listed.exit_code == 0
    assert listed.output.splitlines()[2].startswith("regsom.5 ")
    shown = run("catalog", "show", "regsom.6.1.a", *cat)
    assert shown.output.splitlines()[0].startswith(f"regsom.6.1.a — {SHORT}, art. 6(1)(a)")

    file = tmp_path / "testland.yaml"
    made = run("answer", file, "regsom.smuggling_offence", "no", "--state", "Testland",
               "--instruments", "regsom", *cat)
    assert made.exit_code == 0, made.output
    assert yaml.safe_load(file.read_text())["instruments"] == ["regsom"]
    assert run("validate", file, *cat).exit_code == 0

    gaps = run("gaps", file, "--format", "json", *cat)
    assert gaps.exit_code == 0, gaps.output
    report = json.loads(gaps.output)
    status = {o["id"]: o["status"] for o in report["obligations"]}
    assert status["regsom.6.1.a"] == "not_met"          # no smuggling offence
    assert "untoc.10.1" in status                        # the Convention's shared provisions
    assert not any(oid.startswith("som.") for oid in status)
    titles = {i["id"]: i["title"] for i in report["instruments"]}
    assert titles["regsom"] == TITLE

    out = tmp_path / "report.md"
    written = run("report", file, "-o", out, "--detail", "full", *cat)
    assert written.exit_code == 0, written.output
    text = out.read_text(encoding="utf-8")
    assert f"## {SHORT}" in text
    assert f"\n*{TITLE}*\n" in text                      # under the part's heading
    assert f"| {TITLE} | State Party |" in text          # the cover's table of instruments

    # The bundled catalog knows nothing of it.
    assert run("questions", "--instruments", "regsom").exit_code == 2


def _manifest(tmp_path: Path, instruments: str, strip_titles: bool = True) -> Path:
    folder = tmp_path / "obligations"
    shutil.copytree(ROOT / "tests" / "fixtures" / "mini" / "obligations", folder)
    (folder / "catalog.yaml").write_text(
        f"version: 0.9.0\ninstruments:\n{instruments}changelog: []\n", encoding="utf-8")
    if strip_titles:  # the new form declares titles once, in catalog.yaml
        for name in ("untoc.yaml", "som.yaml"):
            path = folder / name
            path.write_text("".join(line for line in path.read_text().splitlines(True)
                                    if not line.startswith(("title:", "short_title:"))))
    return folder


@pytest.mark.parametrize(("instruments", "message"), [
    ("  - {id: som, kind: protocol, title: S, short_title: S}\n",
     "catalog.yaml:3:5: protocol 'som' needs 'supplements': the id of the convention it "
     "supplements"),
    ("  - {id: som, kind: protocol, supplements: untoc, title: S, short_title: S}\n"
     "  - {id: untoc, kind: convention, title: U, short_title: U}\n",
     "catalog.yaml:3:44: 'som' supplements 'untoc', which is not a convention declared "
     "before it (expected one of: none declared)"),
    ("  - {id: untoc, kind: convention, title: U, short_title: U}\n"
     "  - {id: untoc, kind: convention, title: U, short_title: U}\n",
     "catalog.yaml:4:5: instrument 'untoc' is declared twice (first as item 1)"),
    ("  - {id: untoc, kind: convention, supplements: som, title: U, short_title: U}\n",
     "catalog.yaml:3:48: convention 'untoc' cannot supplement another instrument (only a "
     "protocol does)"),
    ("  - {id: untoc, kind: convention, title: U, short_title: U}\n"
     "  - {id: tip, kind: protocol, supplements: untoc, title: T, short_title: T}\n",
     "catalog.yaml:4:5: instrument 'tip' is declared but tip.yaml is missing"),
])
def test_declarations_are_cross_checked(tmp_path, instruments, message):
    folder = _manifest(tmp_path, instruments)
    with pytest.raises(InputError) as info:
        load_catalog(folder)
    assert str(info.value) == f"{folder}/{message}"


def test_an_instrument_file_may_not_contradict_the_declaration(tmp_path):
    folder = _manifest(tmp_path, strip_titles=False, instruments=(
        "  - {id: untoc, kind: convention, title: Another title, short_title: UNTOC}\n"
        "  - {id: som, kind: protocol, supplements: untoc, title: S, short_title: S}\n"))
    with pytest.raises(InputError) as info:
        load_catalog(folder)
    assert str(info.value) == (
        f"{folder}/untoc.yaml: title 'United Nations Convention against Transnational "
        "Organized Crime' differs from the one catalog.yaml declares ('Another title'); "
        "declare it once, in catalog.yaml")


def test_a_catalog_that_lists_ids_only_still_loads():
    # Catalog 1.0.0 listed ids and kept titles in each instrument's file.
    catalog = load_catalog(ROOT / "tests" / "fixtures" / "mini" / "obligations")
    assert catalog.instruments == ["untoc", "som"]
    som = catalog.instrument("som")
    assert (som.kind, som.supplements, som.short_title) == (
        "protocol", "untoc", "Smuggling of Migrants Protocol")
    assert catalog.instrument("untoc").kind == "convention"


def test_titles_come_from_the_catalog():
    catalog = load_catalog()
    assert catalog.instruments == ["untoc", "tip", "som", "firearms"]
    assert catalog.instrument("som").title == (
        "Protocol against the Smuggling of Migrants by Land, Sea and Air")
    assert all(catalog.instrument(i).supplements == "untoc" for i in ("tip", "som", "firearms"))
    with pytest.raises(InputError) as info:
        catalog.instrument("asean")
    assert "asean" in str(info.value)


def test_party_status_follows_the_declared_supplementation(run, tmp_path):
    obligations, questionnaires = regional_catalog(tmp_path)
    file = tmp_path / "t.yaml"
    file.write_text("palermo: 1\nstate: Testland\ninstruments: [regsom]\n"
                    "party_status:\n  untoc: signatory\n  regsom: party\nanswers: {}\n",
                    encoding="utf-8")
    result = run("validate", file, "--catalog", obligations, "--questionnaires", questionnaires)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {file}:5:3: party_status: regsom is 'party' but untoc is 'signatory'; a State "
        "must be a Party to the Convention to be a Party to a Protocol (UNTOC art. 37(2)): set "
        "untoc to party, or regsom to signatory or not_party\n")
