"""The interview and the scripted answer command, driven as a user would."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from palermo.answers import load_answers, new_answers
from palermo.interview import Interview
from palermo.workspace import open_workspace

MINI = Path(__file__).parent / "fixtures" / "mini"
CAT = ["--catalog", str(MINI / "obligations")]


def saved(path: Path) -> dict:
    return yaml.safe_load(path.read_text())["answers"]


def script(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def start(run, file: Path, *lines: str, extra: tuple[str, ...] = ()):
    return run("assess", file, "--state", "Meridia", "--instruments", "som", *extra, *CAT,
               input=script(*lines))


def test_full_interview_with_help_back_skip(run, tmp_path):
    file = tmp_path / "meridia.yaml"
    result = start(run, file,
                   "?",                                   # help on the first question
                   "y", "Immigration Act 2007, s. 12(1)", "Penal Code, s. 3", "",  # 2 citations
                   "maybe",                               # invalid choice: asked again
                   "1",                                   # benefit
                   "b",                                   # back to som.purpose
                   "2", "c",                              # now 'No purpose'; its note? none
                   "n",                                   # no coastline: som.authority hidden
                   "s",                                   # skip development
                   "p", "",                               # legal persons partly, no citation
                   "y", "",                               # shown because of 'partly'
                   "n")                                   # untoc.ocg_required
    assert result.exit_code == 0, result.output
    out = result.output
    assert "0/4 answered · Criminalization" in out
    assert "Article 6(1)(a)." in out            # the help text
    assert "'maybe' is not a valid answer (expected one of: benefit, none, unknown)" in out
    assert "Current answer: Financial or other material benefit (Enter keeps it)" in out
    assert "3/5 answered · Sea" in out          # som.authority hidden once the coast is 'no'
    assert "Note (Enter for none)" not in out   # no note prompt after every answer
    assert "1 question(s) skipped:\n  som.development: Does the State run development" in out
    assert "Every question that applies has an answer" not in out
    answers = saved(file)
    assert answers["som.offence"]["answer"] == "yes"
    assert answers["som.offence"]["citations"] == ["Immigration Act 2007, s. 12(1)",
                                                   "Penal Code, s. 3"]
    assert answers["som.purpose"]["answer"] == "none"
    assert answers["som.development"]["skipped"] is True
    assert answers["untoc.legal_persons"]["answer"] == "partly"
    assert "som.authority" not in answers


def test_every_question_answered_says_so(run, tmp_path):
    file = tmp_path / "m.yaml"
    result = start(run, file, "n", "n", "n", "n")
    assert result.exit_code == 0, result.output
    assert "4/4 answered (4 questions apply)." in result.output
    assert "Every question that applies has an answer. Next: palermo gaps" in result.output
    status = run("status", file, *CAT)
    assert "4/4 questions answered" in status.output   # the interview and status agree


def test_end_of_input_saves_and_exits_0_and_resumes(run, tmp_path):
    file = tmp_path / "meridia.yaml"
    first = start(run, file, "n")               # answers som.offence, then input ends
    assert first.exit_code == 0
    assert "End of input: your answers are saved in" in first.output
    assert saved(file)["som.offence"]["answer"] == "no"
    again = run("assess", file, *CAT, input="y\n")
    assert "1/4 answered · Sea" in again.output   # resumes at the first unanswered question
    assert "som.coast" in saved(file) and saved(file)["som.offence"]["answer"] == "no"


def test_commands_work_at_the_citation_prompt_and_backslash_types_a_letter(run, tmp_path):
    file = tmp_path / "m.yaml"
    result = start(run, file, "y", "?", "\\b", "n", "Bill before Parliament", "b",
                   "", "q")
    assert result.exit_code == 0, result.output
    assert "One provision per line" in result.output          # ? is help, not a citation
    entry = saved(file)["som.offence"]
    assert entry["citations"] == ["b"]                          # \b typed a literal b
    assert entry["note"] == "Bill before Parliament"            # n at a citation: a note
    assert "Current answer: Yes (Enter keeps it)" in result.output  # b went back to it
    assert "  Citation: b" in result.output and "  Note: Bill before Parliament" in result.output
    assert "som.purpose" not in saved(file)                     # q saved and stopped


def test_note_on_a_yes_no_question_and_quit_at_the_note(run, tmp_path):
    file = tmp_path / "m.yaml"
    result = start(run, file, "note", "Draft bill in preparation", "n", "note", "q")
    assert result.exit_code == 0, result.output
    assert saved(file)["som.offence"] == {"answer": "no", "note": "Draft bill in preparation",
                                          "answered": saved(file)["som.offence"]["answered"]}
    assert "som.coast" not in saved(file)


def test_changing_an_answer_offers_to_keep_replace_or_clear(run, tmp_path):
    file = tmp_path / "m.yaml"
    run("answer", file, "som.offence", "yes", "--citation", "Act 1, s. 2", "--note", "old note",
        "--state", "Meridia", "--instruments", "som", *CAT)
    result = run("assess", file, "--section", "crime", *CAT,
                 input=script("b", "p", "r", "Act 9, s. 1", "", "c"))
    assert result.exit_code == 0, result.output
    assert "Citations of the earlier answer: Act 1, s. 2" in result.output
    assert "Note of the earlier answer: old note" in result.output
    entry = saved(file)["som.offence"]
    assert entry["answer"] == "partly"
    assert entry["citations"] == ["Act 9, s. 1"]
    assert "note" not in entry
    kept = run("assess", file, "--section", "crime", *CAT,
               input=script("b", "y", "k"))
    assert kept.exit_code == 0, kept.output
    assert saved(file)["som.offence"]["citations"] == ["Act 9, s. 1"]
    assert saved(file)["som.offence"]["answer"] == "yes"


def test_section_option_asks_one_section(run, tmp_path):
    file = tmp_path / "m.yaml"
    result = start(run, file, "y", "", extra=("--section", "som.sea"))
    assert result.exit_code == 0, result.output
    assert "[som.offence]" not in result.output
    assert "[som.coast]" in result.output
    bad = start(run, file, extra=("--section", "seas"))
    assert bad.exit_code == 1
    assert bad.output == ("Error: unknown section 'seas' (did you mean: som.sea?); the sections "
                          "are: som.crime, som.sea, untoc.shared\n")


def test_multiple_choice_refuses_none_or_unknown_mixed_with_options(run, tmp_path):
    file = tmp_path / "t.yaml"
    run("answer", file, "som.document_offence", "yes", "--state", "Testland",
        "--instruments", "som")
    mixed = run("answer", file, "som.document_conduct", "none,1")
    assert mixed.exit_code == 1
    assert mixed.output == ("Error: som.document_conduct: 'none, 1' mixes 'none' with other "
                            "options; 'none' stands alone (give it alone, or only the options "
                            "that apply)\n")
    unknown = run("answer", file, "som.document_conduct", "producing,unknown")
    assert "mixes 'unknown' with other options" in unknown.output
    assert run("answer", file, "som.document_conduct", "1,2").exit_code == 0
    text = file.read_text().replace("- producing\n", "- none\n      - producing\n", 1)
    file.write_text(text)
    check = run("validate", file)
    assert check.exit_code == 1
    assert "som.document_conduct: " in check.output and "mixes 'none'" in check.output


def test_answer_command_sets_one_value(run, tmp_path):
    file = tmp_path / "m.yaml"
    result = run("answer", file, "som.offence", "partly", "--citation", "Act 1, s. 2",
                 "--note", "only land borders", "--by", "Ministry of Justice",
                 "--state", "Meridia", "--instruments", "som", *CAT)
    assert result.exit_code == 0
    assert result.output == "som.offence: Partly\n"
    entry = saved(file)["som.offence"]
    assert (entry["answer"], entry["citations"], entry["note"], entry["by"]) == (
        "partly", ["Act 1, s. 2"], "only land borders", "Ministry of Justice")
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


def test_status_shows_progress_per_section_within_80_columns(run, tmp_path):
    file = tmp_path / "m.yaml"
    run("answer", file, "som.offence", "no", "--state", "Meridia", "--instruments", "som", *CAT)
    run("answer", file, "som.coast", "yes", *CAT)
    result = run("status", file, *CAT)
    assert result.exit_code == 0
    assert result.output.splitlines()[:5] == [
        f"Meridia · som · {file}",
        "SECTION                      ID            ANSWERED  SKIPPED  CLEARED",
        "---------------------------  ------------  --------  -------  -------",
        "Criminalization              som.crime     1/1",
        "Sea                          som.sea       1/3",
    ]
    assert "2/5 questions answered" in result.output
    for command in (["status", file, *CAT], ["questions", "-i", "som,untoc,tip,firearms"]):
        lines = run(*command).output.splitlines()
        widest = max(len(line) for line in lines if str(file) not in line)
        assert widest <= 80, command


def test_removing_an_instrument_asks_first_and_says_whose_answers_stay(run, tmp_path):
    file = tmp_path / "t.yaml"
    run("answer", file, "tip.offence_exists", "yes", "--by", "Ministry of Labour",
        "--state", "Testland", "--instruments", "som,tip")
    refused = run("assess", file, "--instruments", "som", input="n\n")
    assert "The 1 answer(s) already given to questions only tip asks (by Ministry of Labour) " \
           "stay in" in refused.output
    assert "Kept tip." in refused.output
    assert yaml.safe_load(file.read_text())["instruments"] == ["som", "tip"]
    removed = run("assess", file, "--instruments", "som", input="y\nq\n")
    assert "Removed tip." in removed.output
    data = yaml.safe_load(file.read_text())
    assert data["instruments"] == ["som"]
    assert data["answers"]["tip.offence_exists"]["answer"] == "yes"   # kept in the file


def test_text_is_wrapped_at_word_boundaries():
    ws = open_workspace()
    answers = new_answers("Testland", ["som"], catalog_version=ws.catalog.version)
    for columns in (80, 50):
        lines: list[str] = []
        interview = Interview(ws, answers, Path("unused.yaml"), columns=columns)
        interview.save = lambda: None  # type: ignore[method-assign]
        interview.run(lambda prompt: "q", lines.append)
        text = " ".join(line.strip() for line in lines)
        assert all(len(line) <= columns for line in lines)
        question = ws.bank.get("som.maritime_profile").text
        assert question in text          # every word whole: joining the lines gives the text


def test_interview_library_counts_like_status(tmp_path):
    ws = open_workspace(MINI / "obligations")
    answers = new_answers("Meridia", ["som"], catalog_version=ws.catalog.version)
    interview = Interview(ws, answers, tmp_path / "m.yaml")
    replies = iter(["y", "", "1", "s"])
    said: list[str] = []
    with pytest.raises(StopIteration):   # the script ends, as input would
        interview.run(lambda prompt: next(replies), said.append)
    progress = interview.progress()
    assert progress.line() == "2/5 answered, 1 skipped"
    assert [q.id for q in progress.skipped] == ["som.coast"]
    assert load_answers(tmp_path / "m.yaml").answers["som.coast"].skipped


def test_one_section_also_asks_the_question_elsewhere_that_decides_it(run, tmp_path):
    file = tmp_path / "t.yaml"
    result = run("assess", file, "--state", "Testland", "--instruments", "som",
                 "--section", "som.sea", input="1\n")
    assert result.exit_code == 0, result.output
    asked = [line.split("]")[0][1:] for line in result.output.splitlines()
             if line.startswith("[som.")]
    bank = open_workspace().bank
    assert asked[0] == "som.maritime_profile"            # a Context question the sea ones read
    assert bank.get(asked[1]).section_id == "sea"
    assert ("(Asked from Context because it decides which questions of your sections apply.)"
            in result.output)
    assert re.search(r"\n0/\d+ answered · Smuggling of migrants by sea", result.output)


def test_formal_name_is_recorded_and_can_be_changed(run, tmp_path):
    file = tmp_path / "m.yaml"
    result = run("answer", file, "som.offence", "yes", "--state", "Meridia",
                 "--formal-name", "the  Republic of Meridia", "--instruments", "som", *CAT)
    assert result.exit_code == 0
    data = yaml.safe_load(file.read_text())
    assert (data["state"], data["formal_name"]) == ("Meridia", "the Republic of Meridia")
    run("answer", file, "som.offence", "no", "--formal-name", "the Kingdom of Meridia", *CAT)
    assert yaml.safe_load(file.read_text())["formal_name"] == "the Kingdom of Meridia"
    before = file.read_bytes()
    too_long = run("answer", file, "som.offence", "yes", "--formal-name", "x" * 300, *CAT)
    assert too_long.exit_code == 1
    assert too_long.output == "Error: --formal-name: too long: 300 characters (at most 200)\n"
    assert file.read_bytes() == before


def test_a_new_assessment_in_a_terminal_asks_for_the_state_and_the_instruments(tmp_path):
    """`palermo assess new.yaml` typed at a terminal without --state or --instruments asks
    for them (a misspelt instrument is asked again) instead of stopping with an error."""
    import os
    import subprocess
    import sys
    import threading

    file = tmp_path / "new.yaml"
    primary, secondary = os.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "palermo", "assess", str(file), *CAT],
                            stdin=secondary, stdout=secondary, stderr=secondary,
                            env={**os.environ, "COLUMNS": "80"})
    os.close(secondary)
    shown = bytearray()

    def read() -> None:
        while True:
            try:
                chunk = os.read(primary, 4096)
            except OSError:   # the command ended and closed the terminal
                return
            if not chunk:
                return
            shown.extend(chunk)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    os.write(primary, b"Testland\nthe Republic of Testland\nsmuggling\nsom\nq\n")
    assert proc.wait(timeout=60) == 0
    reader.join(timeout=5)
    os.close(primary)
    output = shown.decode("utf-8", "replace").replace("\r\n", "\n")
    assert "  untoc  Organized Crime Convention (UNTOC)\n  som    Smuggling of Migrants Protocol\n" in output
    assert "'smuggling' is not an instrument of the catalog" in output
    data = yaml.safe_load(file.read_text())
    assert (data["state"], data["formal_name"], data["instruments"]) == (
        "Testland", "the Republic of Testland", ["som"])
