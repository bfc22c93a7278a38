"""The interview and the scripted answer command, driven as a user would."""

from __future__ import annotations

from pathlib import Path

import yaml

MINI = Path(__file__).parent / "fixtures" / "mini"
CAT = ["--catalog", str(MINI / "obligations")]


def saved(path: Path) -> dict:
    return yaml.safe_load(path.read_text())["answers"]


def test_full_interview_with_help_back_skip(run, tmp_path):
    file = tmp_path / "meridia.yaml"
    script = "\n".join([
        "?",                                   # help on the first question
        "y", "Immigration Act 2007, s. 12(1)", "Penal Code, s. 3", "", "",  # yes + 2 citations
        "maybe",                               # invalid choice: asked again
        "1", "",                               # benefit
        "b",                                   # back to som.purpose
        "2", "changed my mind",                # now 'No purpose', with a note
        "n", "",                               # no coastline: som.authority never shows
        "s",                                   # skip development
        "p", "", "",                           # legal persons partly, no citation, no note
        "y", "", "",                           # follow-up shown because of 'partly'
    ]) + "\n"
    result = run("assess", file, "--state", "Meridia", "--instruments", "som", *CAT,
                 input=script)
    assert result.exit_code == 0, result.output
    assert "1/7 · Criminalization" in result.output
    assert "Article 6(1)(a)." in result.output            # the help text
    assert "'maybe' is not a valid answer (expected one of: benefit, none, unknown)" in result.output
    assert "3/7 · Sea" in result.output and "4/6 · Sea" in result.output  # authority hidden by no
    assert "Every question that applies has an answer." in result.output
    answers = saved(file)
    assert answers["som.offence"]["answer"] == "yes"
    assert answers["som.offence"]["citations"] == ["Immigration Act 2007, s. 12(1)",
                                                   "Penal Code, s. 3"]
    assert answers["som.purpose"] == {"answer": "none", "note": "changed my mind",
                                      "answered": answers["som.purpose"]["answered"]}
    assert answers["som.development"]["skipped"] is True
    assert answers["untoc.legal_persons"]["answer"] == "partly"
    assert "som.authority" not in answers


def test_interrupted_interview_keeps_answers_and_resumes(run, tmp_path):
    file = tmp_path / "meridia.yaml"
    first = run("assess", file, "--state", "Meridia", "--instruments", "som", *CAT,
                input="n\n\n")  # answers som.offence, then input ends mid-interview
    assert first.exit_code == 130
    assert "Interview paused: your answers are saved in" in first.output
    assert saved(file)["som.offence"]["answer"] == "no"
    again = run("assess", file, *CAT, input="y\n\n")
    assert "2/6 · Sea" in again.output        # resumes at the first unanswered question
    assert "som.coast" in saved(file) and saved(file)["som.offence"]["answer"] == "no"


def test_answer_command_sets_one_value(run, tmp_path):
    file = tmp_path / "m.yaml"
    result = run("answer", file, "som.offence", "partly", "--citation", "Act 1, s. 2",
                 "--note", "only land borders", "--state", "Meridia", "--instruments", "som",
                 *CAT)
    assert result.exit_code == 0
    assert result.output == "som.offence: Partly\n"
    entry = saved(file)["som.offence"]
    assert (entry["answer"], entry["citations"], entry["note"]) == (
        "partly", ["Act 1, s. 2"], "only land borders")
    result = run("answer", file, "som.purpose", "benefit", *CAT)
    assert result.output == "som.purpose: Financial or other material benefit\n"


def test_answer_rejects_bad_values_without_touching_the_file(run, tmp_path):
    file = tmp_path / "m.yaml"
    run("answer", file, "som.offence", "yes", "--state", "Meridia", "--instruments", "som", *CAT)
    before = file.read_bytes()
    bad_value = run("answer", file, "som.offence", "perhaps", *CAT)
    assert bad_value.exit_code == 1
    assert bad_value.output == ("Error: som.offence: 'perhaps' is not a valid answer "
                                "(expected one of: yes, partly, no, unknown)\n")
    bad_id = run("answer", file, "som.ofence", "yes", *CAT)
    assert bad_id.exit_code == 1
    assert bad_id.output == "Error: unknown question id 'som.ofence' (did you mean: som.offence?)\n"
    assert file.read_bytes() == before


def test_status_shows_progress_per_section(run, tmp_path):
    file = tmp_path / "m.yaml"
    run("answer", file, "som.offence", "no", "--state", "Meridia", "--instruments", "som", *CAT)
    run("answer", file, "som.coast", "yes", *CAT)
    result = run("status", file, *CAT)
    assert result.exit_code == 0
    assert result.output.splitlines()[:5] == [
        f"Meridia · som · {file}",
        "INSTRUMENT  SECTION                      ANSWERED  SKIPPED",
        "----------  ---------------------------  --------  -------",
        "som         Criminalization              1/1",
        "som         Sea                          1/3",
    ]
    assert "2/5 questions answered" in result.output
