"""`palermo compare`: two assessments of one State, what changed and why."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import docx
import jsonschema
import pytest

from palermo.answers import load_answers, save_answers
from palermo.compare import _status_kind, compare_analyses, compare_assessments
from palermo.errors import InputError
from palermo.gaps import analyse
from palermo.model import Advisory, Priority, Status
from palermo.resources import schema
from palermo.revisions import read_assessment
from palermo.workspace import open_workspace
from palermo.writers import render_comparison

ROOT = Path(__file__).resolve().parents[1]
MERIDIA = ROOT / "examples" / "meridia.yaml"


@pytest.fixture(scope="module")
def ws():
    return open_workspace()


def earlier(tmp_path: Path, **answers: str) -> Path:
    """Meridia's answers with some answers as they were before, written to a file."""
    data = load_answers(MERIDIA)
    for qid, value in answers.items():
        if value is None:
            data.answers.pop(qid, None)
        else:
            data.answers[qid].value = value
            data.answers[qid].citations = []
    data.updated = "2025-10-15"
    out = tmp_path / "meridia-2025.yaml"
    save_answers(data, out)
    return out


def test_status_kinds():
    S = Status
    assert _status_kind(S.NOT_MET, S.MET) == "closed"
    assert _status_kind(S.PARTIALLY_MET, S.NOT_APPLICABLE) == "changed"
    assert _status_kind(S.NOT_APPLICABLE, S.NOT_MET) == "opened"
    assert _status_kind(S.MET, S.PARTIALLY_MET) == "opened"
    assert _status_kind(S.PARTIALLY_MET, S.NOT_MET) == "worsened"
    assert _status_kind(S.NOT_MET, S.PARTIALLY_MET) == "improved"
    assert _status_kind(S.NOT_ASSESSED, S.NOT_MET) == "newly_assessed"
    assert _status_kind(S.MET, S.NOT_ASSESSED) == "no_longer_assessed"
    assert _status_kind(S.MET, S.NOT_APPLICABLE) == "changed"
    assert _status_kind(S.MET, S.MET) is None


def test_identical_assessments_have_no_change(ws):
    answers = load_answers(MERIDIA)
    comparison = compare_assessments(ws, answers, load_answers(MERIDIA))
    assert comparison.changes == ()
    assert comparison.unchanged == len(analyse(ws.catalog, ws.bank, answers).results)
    table = render_comparison(comparison, "table").decode()
    assert "No obligation changed status, priority or advisories." in table


def test_a_gap_closed_lists_the_answer_and_its_citation(ws, tmp_path):
    old = read_assessment(earlier(tmp_path, **{"som.smuggling_offence": "no"}))
    comparison = compare_assessments(ws, old, load_answers(MERIDIA))
    change = comparison.by_obligation()["som.6.1.a"]
    assert change.old_status is Status.NOT_MET
    assert change.new_status is not Status.NOT_MET
    assert change.kind == ("closed" if not change.new_status.is_gap else "improved")
    first = change.answers[0]
    assert (first.question_id, first.old, first.new) == ("som.smuggling_offence", "No", "Yes")
    assert "Immigration and Borders Act 2011, s. 61(1)" in change.citations
    assert comparison.old.date == "2025-10-15"
    table = render_comparison(comparison, "table").decode()
    assert table.splitlines()[0] == "Meridia: progress since 15 October 2025"
    assert "som.smuggling_offence: No → Yes [Immigration and Borders Act 2011, s. 61(1)]" \
        in table.replace("\n        ", " ")
    assert max(len(line) for line in table.splitlines()) <= 80


def test_an_answer_left_open_before_is_newly_assessed(ws, tmp_path):
    old = read_assessment(earlier(tmp_path, **{"som.illegal_stay_offence": None}))
    comparison = compare_assessments(ws, old, load_answers(MERIDIA))
    change = comparison.by_obligation()["som.6.1.c"]
    assert change.kind == "newly_assessed"
    assert change.old_status is Status.NOT_ASSESSED
    assert [(a.question_id, a.old) for a in change.answers][0] == (
        "som.illegal_stay_offence", "Not answered")


def test_advisories_and_priorities_compared_by_id(ws):
    answers = load_answers(MERIDIA)
    base = analyse(ws.catalog, ws.bank, answers)
    index = next(i for i, r in enumerate(base.results) if r.status is Status.MET)
    high = Priority(1, "High", (1, 0, 0))
    low = Priority(3, "Low", (3, 0, 0))
    results = list(base.results)
    results[index] = results[index]._replace(advisories=(
        Advisory("Exempt humanitarian assistance.", high, (), "x.safeguards"),
        Advisory("Train prosecutors.", low, (), "x.training")))
    old = base._replace(results=tuple(results))
    results[index] = results[index]._replace(advisories=(
        Advisory("Exempt humanitarian assistance (reworded).", low, (), "x.safeguards"),))
    new = base._replace(results=tuple(results))
    comparison = compare_analyses(old, new)
    (change,) = comparison.changes
    assert change.kind == "advisories"
    assert {(a.change, a.id, a.old_priority, a.new_priority) for a in change.advisories} == {
        ("removed", "x.training", "Low", None), ("priority", "x.safeguards", "High", "Low")}


def test_catalog_added_and_retired(ws):
    answers = load_answers(MERIDIA)
    base = analyse(ws.catalog, ws.bank, answers)
    first, last = base.results[0].obligation.id, base.results[-1].obligation.id
    old = base._replace(results=base.results[1:])          # the first did not exist yet
    new = base._replace(results=base.results[:-1])         # the last was retired
    comparison = compare_analyses(old, new, added={first}, retired={last})
    kinds = {c.obligation_id: c.kind for c in comparison.changes}
    assert kinds == {first: "added", last: "retired"}
    assert comparison.of_kind("added")[0].old_status is None


def test_another_state_is_refused_unless_forced(ws, tmp_path):
    other = load_answers(MERIDIA)
    other.state = "Arvenia"
    path = tmp_path / "other.yaml"
    save_answers(other, path)
    with pytest.raises(InputError) as caught:
        compare_assessments(ws, read_assessment(path), load_answers(MERIDIA))
    message = str(caught.value)
    assert "\n" not in message
    assert "Arvenia" in message and "Meridia" in message and "--force" in message
    forced = compare_assessments(ws, read_assessment(path), load_answers(MERIDIA), force=True)
    assert forced.forced and "two States" in forced.notes[0]


def test_state_names_compare_loosely(ws, tmp_path):
    other = load_answers(MERIDIA)
    other.state = "  meridia "
    path = tmp_path / "other.yaml"
    save_answers(other, path)
    assert compare_assessments(ws, read_assessment(path), load_answers(MERIDIA)).changes == ()


def test_every_format(ws, tmp_path):
    old = read_assessment(earlier(tmp_path, **{"som.smuggling_offence": "no",
                                               "som.illegal_stay_offence": None}))
    comparison = compare_assessments(ws, old, load_answers(MERIDIA))
    data = json.loads(render_comparison(comparison, "json"))
    jsonschema.validate(data, schema("compare"))
    assert data["summary"]["newly_assessed"] >= 1
    assert {c["obligation"] for c in data["changes"]} >= {"som.6.1.a", "som.6.1.c"}
    rows = list(csv.DictReader(io.StringIO(render_comparison(comparison, "csv")
                                           .decode("utf-8-sig"))))
    assert {r["obligation"]: r["kind"] for r in rows}["som.6.1.c"] == "newly_assessed"
    markdown = render_comparison(comparison, "markdown").decode()
    assert markdown.startswith("# Meridia: progress since 15 October 2025")
    assert "## Newly assessed (" in markdown
    document = docx.Document(io.BytesIO(render_comparison(comparison, "docx")))
    texts = [p.text for p in document.paragraphs]
    assert "Meridia: progress since 15 October 2025" in texts
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert any(c.startswith("som.6.1.c") for c in cells)
    assert any(": Not answered → No" in c and "remain" in c for c in cells)


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_file_at_a_git_revision(ws, tmp_path, monkeypatch):
    repo = tmp_path / "states"
    repo.mkdir()
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "drafting@meridia.example")
    _git(repo, "config", "user.name", "Drafting Unit")
    shutil.copy(earlier(tmp_path, **{"som.smuggling_offence": "no"}), repo / "meridia.yaml")
    _git(repo, "add", "meridia.yaml")
    _git(repo, "commit", "-q", "-m", "2025 assessment")
    _git(repo, "tag", "v2025")
    shutil.copy(MERIDIA, repo / "meridia.yaml")
    monkeypatch.chdir(repo)
    old = read_assessment("v2025:meridia.yaml")
    assert old.path == "v2025:meridia.yaml"
    assert old.answers["som.smuggling_offence"].value == "no"
    comparison = compare_assessments(ws, old, read_assessment("meridia.yaml"))
    assert comparison.by_obligation()["som.6.1.a"].old_status is Status.NOT_MET
    with pytest.raises(InputError) as caught:
        read_assessment("v1999:meridia.yaml")
    assert str(caught.value).startswith("v1999:meridia.yaml: neither a file nor a file at a git")
    with pytest.raises(InputError) as caught:
        read_assessment("v2025:missing.yaml")
    assert "\n" not in str(caught.value)


def test_cli_compare(run, tmp_path):
    old = earlier(tmp_path, **{"som.smuggling_offence": "no"})
    result = run("compare", old, MERIDIA)
    assert result.exit_code == 0, result.output
    assert "Meridia: progress since 15 October 2025" in result.output
    out = tmp_path / "progress.docx"
    result = run("compare", old, MERIDIA, "-o", out)
    assert result.exit_code == 0 and out.exists()
    assert run("compare", old, MERIDIA, "--format", "docx").exit_code != 0
    bad = run("compare", tmp_path / "none.yaml", MERIDIA)
    assert bad.exit_code == 1
    assert bad.output.strip().splitlines() == [f"Error: {tmp_path / 'none.yaml'}: file not found"]
    wrong = run("compare", old, MERIDIA, "-o", tmp_path / "progress.pdf")
    assert wrong.exit_code == 1 and "cannot tell the format from extension '.pdf'" in wrong.output


def test_cli_compare_never_writes_over_what_it_reads(run, tmp_path):
    old = earlier(tmp_path, **{"som.smuggling_offence": "no"})
    before = old.read_bytes()
    result = run("compare", old, MERIDIA, "-o", old, "--format", "csv")
    assert result.exit_code == 1
    assert result.output.strip() == (f"Error: {old}: the output would overwrite the answers "
                                     f"file {old}; choose another output file")
    assert old.read_bytes() == before


def test_acceding_to_a_protocol_changes_binding_force(ws, tmp_path):
    arvenia = ROOT / "examples" / "arvenia.yaml"
    now = load_answers(arvenia)
    assert now.party_status["firearms"] == "not_party"
    now.party_status["firearms"] = "party"
    after = tmp_path / "arvenia-acceded.yaml"
    save_answers(now, after)
    comparison = compare_assessments(ws, load_answers(arvenia), read_assessment(after))
    firearms = [c for c in comparison.changes if c.instrument == "firearms"]
    assert firearms
    assert all(c.old_binding is False and c.new_binding is True for c in firearms)
    assert {c.kind for c in firearms if c.old_status is c.new_status} <= {"binding", "priority"}
    unchanged_elsewhere = [c for c in comparison.changes if c.instrument != "firearms"]
    assert all(c.old_binding == c.new_binding for c in unchanged_elsewhere)
    # Before accession the Firearms obligations were not counted among binding ones.
    assert comparison.new.counts["met"] > comparison.old.counts["met"] or \
        comparison.new.counts["not_met"] > comparison.old.counts["not_met"]


def test_a_revision_is_never_passed_to_git_as_an_option(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "written"
    with pytest.raises(InputError) as caught:
        read_assessment(f"--output={target}:meridia.yaml")
    assert "a revision cannot start with '-'" in str(caught.value)
    assert not list(tmp_path.iterdir())
