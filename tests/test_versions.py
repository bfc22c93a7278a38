"""Catalog versions: diff between two catalogs, and answers made with an older one."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

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
    assert result.output == ("Catalog 0.9.0 → 0.10.0\n- som.15.3\n~ som.6.1.a (summary)\n"
                             "0 added, 1 removed, 1 changed\n")


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
