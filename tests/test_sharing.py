"""Answers files shared by people: comments kept, one interview at a time, edits made meanwhile
merged, ministries' files combined, sections signed off, and nothing lost to a kill -9."""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from palermo.answers import load_answers
from palermo.interview import Interview
from palermo.workspace import open_workspace

MINI = Path(__file__).parent / "fixtures" / "mini"
CAT = ["--catalog", str(MINI / "obligations")]

HAND_WRITTEN = """\
# Meridia: answers of the Ministry of Justice, reviewed 30 November 2026.
palermo: 1
state: Meridia
instruments: [som]   # TIP next year
assignments:
  som.crime: Ministry of Justice
  som.sea: Maritime Authority
answers:
  # Offences: checked with the Attorney General's office
  som.offence:
    answer: 'yes'    # in force since 2012
    citations:
      - Penal Code 2015, s. 12
"""


def palermo(*args: str, input: str | None = None, env: dict | None = None,
            ) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "palermo", *map(str, args)], input=input,
                          capture_output=True, text=True, timeout=120, env=env)


def test_comments_key_order_and_layout_survive_every_save(run, tmp_path):
    file = tmp_path / "m.yaml"
    file.write_text(HAND_WRITTEN)
    result = run("assess", file, *CAT, input="1\nn\n")          # two answers, two saves
    assert result.exit_code == 0, result.output
    assert run("answer", file, "som.development", "partly", "--note", "one programme",
               *CAT).exit_code == 0
    text = file.read_text()
    for kept in ("# Meridia: answers of the Ministry of Justice, reviewed 30 November 2026.\n",
                 "instruments: [som]   # TIP next year\n",
                 "  # Offences: checked with the Attorney General's office\n",
                 "    answer: 'yes'    # in force since 2012\n"):
        assert kept in text
    assert list(yaml.safe_load(text)) == ["palermo", "state", "instruments", "updated",
                                          "assignments", "answers"]
    answers = list(yaml.safe_load(text)["answers"])
    assert answers == ["som.offence", "som.purpose", "som.coast", "som.development"]
    assert yaml.safe_load(text)["answers"]["som.coast"]["answer"] == "no"  # 'no' stays text
    before = text
    run("answer", file, "som.development", "partly", "--note", "one programme", *CAT)
    assert file.read_text().replace(
        yaml.safe_load(file.read_text())["updated"], "X") == before.replace(
        yaml.safe_load(before)["updated"], "X")            # the same answer changes nothing


def _start_interview(file: Path, *extra: str, marker: str) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-m", "palermo", "assess", str(file), *extra,
                                *CAT], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    _read_until(process, marker)
    return process


def _read_until(process: subprocess.Popen, marker: str, timeout: float = 60) -> str:
    seen = ""
    deadline = time.monotonic() + timeout
    fd = process.stdout.fileno()
    while marker not in seen:
        assert time.monotonic() < deadline, f"no {marker!r} in {seen!r}"
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            chunk = os.read(fd, 65536).decode()
            assert chunk, f"the interview ended: {seen!r}"
            seen += chunk
    return seen


def test_a_second_interview_on_the_same_file_is_refused(tmp_path):
    file = tmp_path / "m.yaml"
    file.write_text(HAND_WRITTEN)
    first = _start_interview(file, "--as", "Ministry of Justice", marker="Choose a number")
    try:
        second = palermo("assess", file, "--as", "Maritime Authority", *CAT, input="y\n")
        assert second.returncode == 1
        message = second.stderr.strip()
        assert message.startswith(f"Error: {file}: an interview is already running on this "
                                  "file: Ministry of Justice (")
        assert f"process {first.pid}) since 20" in message and " UTC." in message
        assert (tmp_path / "m.yaml.lock").exists()
    finally:
        first.stdin.close()
        first.wait(timeout=60)
        first.stdout.close()
    assert first.returncode == 0
    assert not (tmp_path / "m.yaml.lock").exists()      # released and removed at the end
    again = palermo("assess", file, "--as", "Maritime Authority", *CAT, input="")
    assert again.returncode == 0, again.stderr


def test_an_edit_made_during_an_interview_is_merged_not_wiped(tmp_path):
    ws = open_workspace(MINI / "obligations")
    file = tmp_path / "m.yaml"
    file.write_text(HAND_WRITTEN)
    answers = load_answers(file)
    interview = Interview(ws, answers, file)
    said: list[str] = []

    def respond(prompt: str) -> str:
        if not [m for m in said if m.startswith("[som.purpose]")]:
            return "q"
        if "edited" not in respond.__dict__:
            respond.edited = True
            # Meanwhile someone else answers another question, and comments the file.
            other = palermo("answer", file, "som.coast", "yes", *CAT)
            assert other.returncode == 0, other.stderr
            file.write_text(file.read_text() + "# reviewed by the Maritime Authority\n")
            return "1"
        return "q"

    interview.run(respond, said.append)
    assert any(m.startswith("[som.purpose]") for m in said)
    saved = yaml.safe_load(file.read_text())["answers"]
    assert saved["som.purpose"]["answer"] == "benefit"       # ours
    assert saved["som.coast"]["answer"] == "yes"             # theirs, kept
    assert "# reviewed by the Maritime Authority" in file.read_text()
    assert "Taken from the file, changed meanwhile: som.coast" in said


def test_the_same_question_changed_on_disk_is_refused_and_asked_again(tmp_path):
    ws = open_workspace(MINI / "obligations")
    file = tmp_path / "m.yaml"
    file.write_text(HAND_WRITTEN.replace("  som.offence:", "  som.purpose:\n    answer: none\n"
                                         "  som.offence:"))
    answers = load_answers(file)
    interview = Interview(ws, answers, file)
    replies = iter(["n", "b", "", "q"])
    said: list[str] = []

    def respond(prompt: str) -> str:
        reply = next(replies)
        if reply == "n" and "changed" not in respond.__dict__:
            respond.changed = True     # someone sets the same question while it is asked
            assert palermo("answer", file, "som.coast", "partly", *CAT).returncode == 0
        return reply

    interview.run(respond, said.append)
    text = " ".join(said)
    assert ("changed meanwhile by someone else, and the same question was answered "
            "differently here, so nothing was saved: som.coast: in the file partly, here no"
            ) in text
    assert "The file's answer is kept; the question is asked again." in text
    assert yaml.safe_load(file.read_text())["answers"]["som.coast"]["answer"] == "partly"
    assert "Current answer: Partly (Enter keeps it)" in said


def test_answering_as_a_ministry_asks_its_sections_and_records_it(run, tmp_path):
    file = tmp_path / "m.yaml"
    file.write_text(HAND_WRITTEN)
    result = run("assess", file, "--as", "maritime authority", *CAT, input="y\n1\ns\n")
    assert result.exit_code == 0, result.output
    assert "[som.purpose]" not in result.output and "[untoc.legal_persons]" not in result.output
    saved = yaml.safe_load(file.read_text())["answers"]
    assert saved["som.coast"]["by"] == "Maritime Authority"
    assert saved["som.authority"] == {"answer": "notified", "by": "Maritime Authority",
                                      "answered": saved["som.authority"]["answered"]}
    assert "Every question of som.sea that applies" not in result.output   # one was skipped
    unknown = run("assess", file, "--as", "Ministry of Finance", *CAT)
    assert unknown.exit_code == 1
    assert unknown.output == (f"Error: {file}: no section is assigned to 'Ministry of "
                              "Finance' (assigned to: Maritime Authority; Ministry of "
                              "Justice)\n")


def _part(tmp_path: Path, name: str, body: str, answers: dict) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump({"palermo": 1, "state": "Meridia", "instruments": ["som"],
                                    "answers": {q: {**a, "by": body} for q, a in
                                                answers.items()}}, sort_keys=False))
    return path


def test_merge_lists_conflicts_writes_nothing_then_prefer_settles(run, tmp_path):
    justice = _part(tmp_path, "justice.yaml", "Ministry of Justice", {
        "som.offence": {"answer": "yes", "citations": ["Penal Code, s. 12"], "note": "In force."},
        "som.purpose": {"answer": "benefit"}})
    interior = _part(tmp_path, "interior.yaml", "Ministry of the Interior", {
        "som.offence": {"answer": "yes", "citations": ["Penal Code, s. 12", "Immigration Act, "
                                                       "s. 4"], "note": "In force."},
        "som.purpose": {"answer": "none"},
        "som.coast": {"answer": "no"}})
    out = tmp_path / "meridia.yaml"
    result = run("merge", justice, interior, "-o", out, *CAT)
    assert result.exit_code == 1
    assert not out.exists()
    assert result.output.splitlines() == [
        "Error: 1 question(s) answered differently, so nothing was written:",
        "  som.purpose: Which purpose must be proved?",
        f"    1. benefit, by Ministry of Justice ({justice})",
        f"    2. none, by Ministry of the Interior ({interior})",
        "Settle them with --prefer FILE (that file's answer wins), --interactive (choose one "
        "by one), or by changing the files.",
    ]
    settled = run("merge", justice, interior, "-o", out, "--prefer", interior, *CAT)
    assert settled.exit_code == 0, settled.output
    merged = yaml.safe_load(out.read_text())["answers"]
    assert merged["som.purpose"]["answer"] == "none"
    assert merged["som.offence"]["citations"] == ["Penal Code, s. 12", "Immigration Act, s. 4"]
    assert merged["som.offence"]["note"] == "In force."
    assert merged["som.offence"]["by"] == "Ministry of Justice; Ministry of the Interior"
    assert merged["som.coast"]["answer"] == "no"
    chosen = run("merge", justice, interior, "-o", tmp_path / "chosen.yaml", "--interactive",
                 *CAT, input="1\n")
    assert chosen.exit_code == 0, chosen.output
    assert yaml.safe_load((tmp_path / "chosen.yaml").read_text())["answers"][
        "som.purpose"]["answer"] == "benefit"


def test_merge_reads_a_file_git_left_with_conflict_markers(run, tmp_path):
    file = tmp_path / "meridia.yaml"
    file.write_text(HAND_WRITTEN + "  som.coast:\n"
                    "<<<<<<< HEAD\n    answer: 'yes'\n    by: Maritime Authority\n"
                    "=======\n    answer: 'yes'\n    note: Two ports.\n"
                    ">>>>>>> interior\n")
    result = run("merge", file, "-o", file, *CAT)
    assert result.exit_code == 0, result.output
    coast = yaml.safe_load(file.read_text())["answers"]["som.coast"]
    assert coast == {"answer": "yes", "note": "Two ports.", "by": "Maritime Authority"}
    assert "<<<<<<<" not in file.read_text()
    differ = tmp_path / "differ.yaml"
    differ.write_text(HAND_WRITTEN + "  som.coast:\n<<<<<<< HEAD\n    answer: 'yes'\n=======\n"
                      "    answer: 'no'\n>>>>>>> interior\n")
    refused = run("merge", differ, "-o", differ, *CAT)
    assert refused.exit_code == 1
    assert f"    1. yes ({differ} (HEAD))" in refused.output
    assert f"    2. no ({differ} (interior))" in refused.output


def test_merge_refuses_files_of_different_states(run, tmp_path):
    a = _part(tmp_path, "a.yaml", "X", {})
    b = tmp_path / "b.yaml"
    b.write_text(a.read_text().replace("Meridia", "Arvenia"))
    result = run("merge", a, b, "-o", tmp_path / "out.yaml", *CAT)
    assert result.exit_code == 1
    assert result.output == ("Error: these files assess different States, so they cannot be "
                             f"merged: Meridia ({a}); Arvenia ({b})\n")


def test_a_sign_off_is_voided_by_a_later_change(run, tmp_path):
    file = tmp_path / "m.yaml"
    file.write_text(HAND_WRITTEN)
    signed = run("sign-off", file, "--section", "crime", "--by", "National focal point", *CAT)
    assert signed.exit_code == 0, signed.output
    assert signed.output.startswith("som.crime: cleared by National focal point, 20")
    status = run("status", file, *CAT).output
    assert "Criminalization              som.crime     1/2                yes" in status
    assert "som.crime: cleared by National focal point, 20" in status
    record = yaml.safe_load(file.read_text())["clearances"]["som.crime"]
    assert record["by"] == "National focal point" and record["fingerprint"].startswith("sha256:")
    run("answer", file, "som.offence", "partly", *CAT)
    status = run("status", file, *CAT).output
    assert "Criminalization              som.crime     1/2                void" in status
    assert "som.crime: draft: cleared by National focal point" in status
    assert "but an answer changed since" in status
    again = run("sign-off", file, "--section", "som.crime", "--by", "National focal point",
                *CAT)
    assert "som.crime: cleared by" in again.output
    told = run("assess", file, *CAT, input="b\nn\n")
    assert "This change voids the clearance of som.crime by National focal point" in told.output


def test_a_temp_file_left_by_a_killed_save_is_removed_at_the_next_start(run, tmp_path):
    file = tmp_path / "m.yaml"
    file.write_text(HAND_WRITTEN)
    stale = tmp_path / ".m.yaml.k3x9q1.tmp"
    stale.write_text("palermo: 1\nstate: Mer")
    other = tmp_path / ".other.yaml.aaaa.tmp"
    other.write_text("not ours")
    result = run("assess", file, *CAT, input="q\n")
    assert result.exit_code == 0
    assert not stale.exists() and other.exists()
    assert "Removed .m.yaml.k3x9q1.tmp, left by a save that was interrupted." in result.output


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs kill -9")
def test_kill_9_never_loses_an_answer_once_saved(tmp_path):
    """An answer is saved once the next question shows; kill -9 at random moments after."""
    rng = random.Random(11)
    for trial in range(6):
        file = tmp_path / f"t{trial}.yaml"
        process = subprocess.Popen([sys.executable, "-m", "palermo", "assess", str(file),
                                    "--state", "Meridia", "--instruments", "som", *CAT],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
        _read_until(process, "[som.offence]")
        process.stdin.write("n\n")
        process.stdin.flush()
        _read_until(process, "[som.coast]")        # som.offence is saved now
        process.stdin.write("y\n1\n")              # more saves under way when killed
        process.stdin.flush()
        time.sleep(rng.uniform(0, 0.3))
        process.kill()
        process.wait()
        process.stdin.close()
        process.stdout.close()
        data = yaml.safe_load(file.read_text())
        assert data["answers"]["som.offence"]["answer"] == "no"
        again = palermo("assess", file, *CAT, input="q\n")
        assert again.returncode == 0, again.stderr
        assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_reports_mark_sections_not_cleared_as_draft(run, tmp_path):
    file = tmp_path / "m.yaml"
    file.write_text(HAND_WRITTEN)
    run("answer", file, "som.purpose", "benefit", *CAT)
    run("sign-off", file, "--section", "som.crime", "--by", "National focal point", *CAT)
    out = tmp_path / "r.md"
    assert run("report", file, "-o", out, *CAT).exit_code == 0
    text = out.read_text()
    assert ("**Draft. 2 of 3 sections of this assessment are not cleared by the focal point, "
            "and the obligations they decide are marked \"draft\" in the table of "
            "correspondence: Sea (som.sea); Provisions for all offences (untoc.shared).**"
            ) in text
    rows = {line.split("|")[1].strip(): line for line in text.splitlines()
            if line.startswith("| Art.")}
    assert "draft: section not cleared" not in rows["Art. 6(1)(a)"]   # cleared: som.crime
    assert "draft: section not cleared" in rows["Art. 8(6)"]          # som.sea, not cleared
    for key in ("som.sea", "untoc.shared"):
        run("sign-off", file, "--section", key, "--by", "National focal point", *CAT)
    assert run("report", file, "-o", out, *CAT).exit_code == 0
    assert "draft" not in out.read_text().lower()
    run("answer", file, "som.coast", "no", *CAT)                       # voids som.sea
    assert run("report", file, "-o", out, *CAT).exit_code == 0
    assert ("Sea (som.sea) (cleared by National focal point on "
            in out.read_text())


def test_json_csv_and_xlsx_reports_carry_the_draft_state(run, tmp_path):
    """Dashboards and spreadsheets must not publish a status no focal point has cleared."""
    import csv
    import json

    import jsonschema
    from openpyxl import load_workbook

    from palermo.resources import schema

    file = tmp_path / "m.yaml"
    file.write_text(HAND_WRITTEN)
    run("answer", file, "som.purpose", "benefit", *CAT)
    run("sign-off", file, "--section", "som.crime", "--by", "National focal point", *CAT)
    for name in ("r.json", "r.csv", "r.xlsx"):
        assert run("report", file, "-o", tmp_path / name, *CAT).exit_code == 0
    data = json.loads((tmp_path / "r.json").read_text())
    jsonschema.validate(data, schema("report"))
    states = {c["section"]: (c["state"], c["by"]) for c in data["clearances"]}
    assert states == {"som.crime": ("cleared", "National focal point"),
                      "som.sea": ("uncleared", None), "untoc.shared": ("uncleared", None)}
    drafts = {o["id"]: o.get("draft", False) for o in data["obligations"]}
    assert drafts["som.6.1.a"] is False and drafts["som.8.6"] is True
    with (tmp_path / "r.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["id"]: row for row in csv.DictReader(handle)}
    assert (rows["som.6.1.a"]["draft"], rows["som.8.6"]["draft"]) == ("", "yes")
    sheet = load_workbook(tmp_path / "r.xlsx").worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header[-1] == "Draft"
    by_id = {row[0]: row[-1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert by_id["som.8.6"] == "draft: section not cleared" and by_id["som.6.1.a"] is None


def test_a_file_without_assignments_or_clearances_has_no_draft_marks(run, tmp_path):
    file = tmp_path / "m.yaml"
    file.write_text(HAND_WRITTEN.replace("assignments:\n  som.crime: Ministry of Justice\n"
                                         "  som.sea: Maritime Authority\n", ""))
    out = tmp_path / "r.md"
    assert run("report", file, "-o", out, *CAT).exit_code == 0
    assert "draft" not in out.read_text().lower()
    assert run("report", file, "-o", tmp_path / "r.json", *CAT).exit_code == 0
    assert '"draft"' not in (tmp_path / "r.json").read_text()
    assert "clearances" not in (tmp_path / "r.json").read_text()


def test_an_assignment_to_an_unknown_section_is_a_located_error(run, tmp_path):
    file = tmp_path / "m.yaml"
    file.write_text(HAND_WRITTEN.replace("  som.sea: Maritime Authority", "  som.seas: Maritime "
                                         "Authority"))
    result = run("validate", file, *CAT)
    assert result.exit_code == 1
    assert result.output == (f"Error: {file}:7:3: som.seas: unknown section 'som.seas' (did "
                             "you mean: som.sea?) (sections are INSTRUMENT.SECTION, e.g. "
                             "som.criminalization; see `palermo status`)\n")
