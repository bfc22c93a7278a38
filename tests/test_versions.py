"""Catalog versions: diff between two catalogs, and answers made with an older one."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

MINI = Path(__file__).parent / "fixtures" / "mini"


def make_new_version(tmp_path: Path) -> Path:
    new = tmp_path / "new"
    shutil.copytree(MINI, new)
    catalog = new / "obligations" / "catalog.yaml"
    catalog.write_text(catalog.read_text().replace("version: 0.9.0", "version: 0.10.0", 1))
    som = new / "obligations" / "som.yaml"
    text = som.read_text().replace("summary: Criminalize the smuggling of migrants.",
                                   "summary: Make smuggling of migrants a crime.")
    start = text.index("  - id: som.15.3")
    som.write_text(text[:start])  # drop som.15.3
    questions = new / "questionnaires" / "som.yaml"
    qtext = questions.read_text()
    qtext = qtext.replace("        obligations: [som.15.3]\n", "")
    qtext = qtext.replace("      - id: som.development\n", "      - id: som.root_causes\n")
    questions.write_text(qtext.replace("rules:\n", "retired:\n  - id: som.development\n"
                                       "    reason: replaced by som.root_causes\nrules:\n", 1))
    return new


def test_diff_two_folders(run, tmp_path):
    new = make_new_version(tmp_path)
    result = run("catalog", "diff", MINI / "obligations", new / "obligations")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "Catalog 0.9.0 → 0.10.0",
        "Obligations: 0 added, 1 removed, 1 changed",
        "- som.15.3",
        "~ som.6.1.a (summary)",
        "Strengths: 0 changed",
        "Rules: 0 added, 0 removed, 0 changed",
        "Questions: 1 added, 1 retired, 0 removed, 0 changed",
        "+ som.root_causes",
        "- som.development (retired: replaced by som.root_causes)",
    ]


def test_diff_two_git_revisions(run, tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    shutil.copytree(MINI, repo)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "-C", str(repo), "add", "."], check=True)
    subprocess.run([*git, "-C", str(repo), "commit", "-qm", "v0.9"], check=True)
    new = make_new_version(tmp_path)
    shutil.copy(new / "obligations" / "som.yaml", repo / "obligations" / "som.yaml")
    shutil.copy(new / "obligations" / "catalog.yaml", repo / "obligations" / "catalog.yaml")
    subprocess.run([*git, "-C", str(repo), "commit", "-qam", "v0.10"], check=True)
    monkeypatch.chdir(repo)
    result = run("catalog", "diff", "HEAD~1", "HEAD", "--format", "json")
    assert result.exit_code == 0, result.output
    assert '"removed": [\n    "som.15.3"\n  ]' in result.output
    bad = run("catalog", "diff", "no-such-rev", "HEAD")
    assert bad.exit_code == 1
    assert bad.output.startswith("Error: 'no-such-rev' is neither a catalog folder nor a git "
                                 "revision with obligations/")


def test_answers_from_an_older_catalog_are_kept_and_flagged(run, tmp_path):
    new = make_new_version(tmp_path)
    file = tmp_path / "m.yaml"
    run("answer", file, "som.development", "yes", "--state", "Meridia", "--instruments", "som",
        "--catalog", MINI / "obligations")
    run("answer", file, "som.offence", "no", "--catalog", MINI / "obligations")
    result = run("validate", file, "--catalog", new / "obligations")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        f"Note: {file}: som.development: answer kept, but the question was retired and no "
        "longer counts: replaced by som.root_causes",
        f"Note: {file}: answers were made with catalog 0.9.0; the catalog is now 0.10.0. "
        "3 question(s) wait for an answer: som.coast, som.root_causes, untoc.legal_persons.",
        f"{file}: valid (2 answers, 3 questions waiting).",
    ]
    assert "som.development" in file.read_text()


def _reread(new: Path) -> None:
    """A re-reading: som.15.3 binds fully, and the smuggling rule gets an advisory."""
    som = new / "obligations" / "som.yaml"
    text = som.read_text()
    som.write_text(text.replace("    strength: qualified\n", "    strength: mandatory\n", 1))
    rules = new / "questionnaires" / "som.yaml"
    rules.write_text(rules.read_text().replace(
        '        finding: "The offence follows article 6(1)(a)."\n',
        '        finding: "The offence follows article 6(1)(a)."\n'
        "        advisories:\n"
        "          - id: som.6.1.a.exemption\n"
        "            priority: high\n"
        "            text: Exempt humanitarian help.\n"
        "            basis: [SOM art. 19]\n", 1))


def test_diff_lists_strengths_and_rules_not_only_text(run, tmp_path):
    new = tmp_path / "new"
    shutil.copytree(MINI, new)
    _reread(new)
    result = run("catalog", "diff", MINI / "obligations", new / "obligations")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Catalog 0.9.0 → 0.9.0",
        "Obligations: 0 added, 0 removed, 1 changed",
        "~ som.15.3 (strength)",
        "Strengths: 1 changed",
        "~ som.15.3: qualified → mandatory (priority of a gap Medium → High)",
        "Rules: 0 added, 0 removed, 1 changed",
        "~ som.6.1.a: advisories added: som.6.1.a.exemption",
        "Questions: 0 added, 0 retired, 0 removed, 0 changed",
    ]
    data = run("catalog", "diff", MINI / "obligations", new / "obligations", "--format", "json")
    assert '"strengths": {\n    "som.15.3": {\n      "old": "qualified",\n      "new": ' \
           '"mandatory"\n    }\n  }' in data.output


def _repo_with_versions(tmp_path: Path) -> Path:
    """A repository without tags: 0.9.0, a later 0.9.0 commit, then 0.10.0."""
    repo = tmp_path / "repo"
    shutil.copytree(MINI, repo)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-C", str(repo)]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "0.9.0"], check=True)
    _reread(repo)  # still 0.9.0: the last commit of a version is the one compared
    subprocess.run([*git, "commit", "-qam", "0.9.0, re-read"], check=True)
    new = make_new_version(tmp_path)
    for name in ("obligations/som.yaml", "obligations/catalog.yaml", "questionnaires/som.yaml"):
        shutil.copy(new / name, repo / name)
    _reread(repo)
    subprocess.run([*git, "commit", "-qam", "0.10.0"], check=True)
    return repo


@pytest.mark.parametrize("spec", ["0.9.0", "v0.9.0"])
def test_diff_accepts_catalog_versions_without_tags(run, tmp_path, monkeypatch, spec):
    monkeypatch.chdir(_repo_with_versions(tmp_path))
    result = run("catalog", "diff", spec, "HEAD")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:5] == ["Catalog 0.9.0 → 0.10.0", "Obligations: 0 added, 1 removed, 1 changed",
                         "- som.15.3", "~ som.6.1.a (summary)", "Strengths: 0 changed"]
    # Compared with the last 0.9.0 commit, whose rule carried the advisory HEAD still has.
    assert "Rules: 0 added, 0 removed, 0 changed" in lines


def test_unknown_catalog_version_names_the_versions_found(run, tmp_path, monkeypatch):
    monkeypatch.chdir(_repo_with_versions(tmp_path))
    result = run("catalog", "diff", "2.0.0", "HEAD")
    assert result.exit_code == 1
    assert result.output == ("Error: no commit of this repository has catalog version 2.0.0 in "
                             "obligations/catalog.yaml (versions found: 0.10.0, 0.9.0)\n")


ROOT = Path(__file__).resolve().parents[1]


def test_readme_example_from_a_clone(run, monkeypatch):
    """`palermo catalog diff v1.0.0 HEAD` works in the project's own history, without tags."""
    history = subprocess.run(["git", "-C", str(ROOT), "log", "--format=%H", "--",
                              "obligations/catalog.yaml"], capture_output=True, text=True)
    if history.returncode != 0 or len(history.stdout.split()) < 2:
        pytest.skip("no git history of obligations/catalog.yaml (not a full clone)")
    monkeypatch.chdir(ROOT)
    result = run("catalog", "diff", "v1.0.0", "HEAD")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Catalog 1.0.0 → ")


def test_status_names_the_questions_added_since_the_answers_were_made(run, tmp_path):
    new = make_new_version(tmp_path)
    questions = new / "questionnaires" / "som.yaml"
    questions.write_text(questions.read_text().replace(
        "      - id: som.root_causes\n", "      - id: som.root_causes\n        since: 0.10.0\n"))
    file = tmp_path / "m.yaml"
    run("answer", file, "som.development", "yes", "--state", "Meridia", "--instruments", "som",
        "--catalog", MINI / "obligations")
    run("answer", file, "som.offence", "no", "--catalog", MINI / "obligations")
    note = (f"Note: {file}: answers were made with catalog 0.9.0; the catalog is now 0.10.0. "
            "1 question(s) added since 0.9.0 wait for an answer: som.root_causes. 2 other "
            "question(s) wait for an answer: som.coast, untoc.legal_persons.")
    result = run("status", file, "--catalog", new / "obligations")
    assert result.exit_code == 0, result.output
    assert note in result.output.splitlines()
    result = run("validate", file, "--catalog", new / "obligations")
    assert note in result.output.splitlines()


@pytest.mark.parametrize("example", ["meridia.yaml", "arvenia.yaml"])
def test_answers_made_with_1_0_0_keep_working(run, tmp_path, monkeypatch, example):
    """The bundled examples as published with catalog 1.0.0 still validate and report."""
    from palermo.versions import commit_of_version

    monkeypatch.chdir(ROOT)
    try:
        commit = commit_of_version("1.0.0") if (ROOT / ".git").exists() else None
    except Exception:  # noqa: BLE001 - no git: nothing to compare with
        commit = None
    if commit is None:
        pytest.skip("no git history with catalog 1.0.0")
    shown = subprocess.run(["git", "-C", str(ROOT), "show", f"{commit}:examples/{example}"],
                           capture_output=True, check=True)
    old = tmp_path / example
    old.write_bytes(shown.stdout)
    result = run("validate", old)
    assert result.exit_code == 0, result.output
    assert "answers were made with catalog 1.0.0" in result.output
    assert run("gaps", old).exit_code == 0
