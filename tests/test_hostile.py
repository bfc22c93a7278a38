"""Hostile input: every file from someone else fails with one line, in bounded time and memory.

Each case is one bad file (in tests/bad/, or built here when it is too large or too odd to
keep in git: 2 MB names, 100,000 brackets, FIFOs, links) and the exact message it gives.
Every case also checks that the command exits non-zero, prints no traceback (the `run`
fixture raises on one) and leaves every file as it was. Time and memory of each case are
measured by benchmarks/hostile.py.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hostile_docx import (
    bomb_docx,
    entity_bomb_docx,
    external_entity_docx,
    hostile_docx,
    macro_enabled_docx,
    plain_docx,
)

BAD = Path(__file__).parent / "bad"
MINI = Path(__file__).parent / "fixtures" / "mini"
CAT = ["--catalog", MINI / "obligations", "--questionnaires", MINI / "questionnaires"]
VALID = "palermo: 1\nstate: Meridia\ninstruments: [som]\nanswers: {}\n"


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry under a folder with its content, to show that nothing was touched."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        mode = path.lstat().st_mode
        name = str(path.relative_to(folder))
        if stat.S_ISLNK(mode):
            found[name] = "link to " + os.readlink(path)
        elif stat.S_ISREG(mode):
            found[name] = path.read_bytes()
        else:
            found[name] = stat.filemode(mode)
    return found


# --- answers files ---------------------------------------------------------------------------

def _generated(name: str, text: str | bytes):
    return name, text


GENERATED = dict([
    _generated("long_state.yaml", VALID.replace("Meridia", "M" * 2_000_000)),
    _generated("long_note.yaml", VALID.replace(
        "answers: {}", "answers:\n  som.offence:\n    answer: 'yes'\n    note: " + "n" * 30_000)),
    _generated("long_citation.yaml", VALID.replace(
        "answers: {}", "answers:\n  som.offence:\n    answer: 'yes'\n    citations: [" + "c" * 5000
        + "]")),
    _generated("long_question_id.yaml", VALID.replace(
        "answers: {}", "answers:\n  ? som." + "x" * 1_000_000 + "\n  : {answer: 'yes'}")),
    _generated("deep_nesting.yaml", VALID.replace("answers: {}", "answers: " + "[" * 100_000
                                                  + "]" * 100_000)),
    _generated("deep_mapping.yaml", VALID.replace("answers: {}", "answers: " + "{a: " * 100_000
                                                  + "b" + "}" * 100_000)),
    _generated("too_many_values.yaml", VALID.replace("answers: {}", "notes: [" + "1, " * 300_000
                                                     + "1]")),
    _generated("too_large.yaml", VALID + "# " + "x" * (8 * 2**20) + "\n"),
    _generated("huge_number.yaml", VALID.replace("Meridia", "9" * 5000)),
    _generated("unknown_ids.yaml", VALID.replace("answers: {}", "answers:\n" + "".join(
        f"  som.nope{i}: {{answer: 'yes'}}\n" for i in range(20_000)))),
    _generated("unknown_ids_1900.yaml", VALID.replace("answers: {}", "answers:\n" + "".join(
        f"  som.nope{i}: {{answer: 'yes'}}\n" for i in range(1900)))),
])


ANSWERS_CASES = [
    ("alias_bomb.yaml", "alias_bomb.yaml:3:15: alias *a is not allowed in an answers file (write "
                        "the value out in full)"),
    ("integer_key.yaml", "integer_key.yaml:5:3: a key must be text, not a number (write it in "
                         "quotes if it is meant as text)"),
    ("null_key.yaml", "null_key.yaml:5:3: a key must be text, not null (write it in quotes if it "
                      "is meant as text)"),
    ("list_key.yaml", "list_key.yaml:5:5: a key must be text, not a list (write it in quotes if "
                      "it is meant as text)"),
    ("answer_not_text.yaml", "answer_not_text.yaml:6:13: som.offence: field 'answer': expected "
                             "string or array, got int 5"),
    ("too_many_citations.yaml", "too_many_citations.yaml:7:16: som.offence: field 'citations': "
                                "too many items: 101 items (at most 100)"),
    ("not_utf8.yaml", "not_utf8.yaml: not UTF-8 text (byte 57)"),
    ("long_state.yaml", "long_state.yaml:2:8: field 'state': too long: 2,000,000 characters (at "
                        "most 200)"),
    ("long_note.yaml", "long_note.yaml:7:11: som.offence: field 'note': too long: 30,000 "
                       "characters (at most 20,000)"),
    ("long_citation.yaml", "long_citation.yaml:7:17: som.offence: field 'citations': too long: "
                           "5,000 characters (at most 1,000)"),
    ("long_question_id.yaml", "long_question_id.yaml:5:3: key 'som.xxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                              "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… in 'answers': too "
                              "long: 1,000,004 characters (at most 100)"),
    ("deep_nesting.yaml", "deep_nesting.yaml:4:1009: invalid YAML: exceeded maximum nesting "
                          "depth (while increasing flow level)"),
    ("deep_mapping.yaml", "deep_mapping.yaml:4:206: nested more than 50 levels deep"),
    ("too_many_values.yaml", "too_many_values.yaml:4:749979: more than 250,000 values once aliases "
                             "are expanded (a file this large, or aliases that multiply, are "
                             "refused)"),
    ("unknown_ids.yaml", "unknown_ids.yaml:5:3: field 'answers': too many entries: 20,000 "
                         "entries (at most 2,000)"),
    ("huge_number.yaml", "huge_number.yaml:2:8: a number of 5,000 characters is too long (at "
                         "most 100; quote it if it is meant as text)"),
    ("too_large.yaml", "too_large.yaml: file too large (8,388,668 bytes; at most 8,388,608)"),
]


def _bad_answers(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / name
    if name in GENERATED:
        text = GENERATED[name]
        path.write_bytes(text.encode() if isinstance(text, str) else text)
    else:
        shutil.copy(BAD / name, path)
    return path


@pytest.mark.parametrize("name, message", ANSWERS_CASES, ids=[c[0] for c in ANSWERS_CASES])
@pytest.mark.parametrize("command", ["validate", "gaps", "report", "answer"])
def test_bad_answers_file(run, tmp_path, name, message, command):
    path = _bad_answers(tmp_path, name)
    before = snapshot(tmp_path)
    extra = {"report": ["-o", tmp_path / "out.md"],
             "answer": ["som.offence", "yes"]}.get(command, [])
    result = run(command, path, *extra, *CAT)
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    if command in ("gaps", "report", "answer") and "(and " in first:
        first = first[: first.index(" (and ")]
    assert first == f"Error: {tmp_path}/in/{message}"
    assert snapshot(tmp_path) == before


def test_many_errors_are_counted_not_listed(run, tmp_path):
    path = _bad_answers(tmp_path, "unknown_ids_1900.yaml")
    result = run("validate", path, *CAT)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert len(lines) == 51
    assert lines[0] == (f"Error: {path}:5:3: som.nope0: unknown question id (did you mean: "
                        "som.purpose, som.offence?)")
    assert lines[-1] == f"Error: {path}: … and 1,850 more errors"


def test_unknown_ids_within_the_limit_are_counted(run, tmp_path):
    path = tmp_path / "typos.yaml"
    path.write_text(VALID.replace("answers: {}", "answers:\n" + "".join(
        f"  som.nope{i}: {{answer: 'yes'}}\n" for i in range(1900))))
    result = run("gaps", path, *CAT)
    assert result.exit_code == 1
    assert result.output == (f"Error: {path}:5:3: som.nope0: unknown question id (did you mean: "
                             "som.purpose, som.offence?) (and 1899 more problems in this file)\n")


def test_escape_sequences_are_not_printed_raw(run, tmp_path):
    path = tmp_path / "escape.yaml"
    shutil.copy(BAD / "escape_sequences.yaml", path)
    for command in ("status", "gaps", "validate"):
        result = run(command, path, *CAT)
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.output and "\x07" not in result.output
    status = run("status", path, *CAT).output
    # The CSI sequence is dropped by click off a terminal; the OSC one would pass: escaped.
    assert status.splitlines()[0] == (f"Meri\\x1b]0;owned\\x07dia · som · {path}")


def test_escape_sequences_in_an_error_are_escaped(run, tmp_path):
    path = tmp_path / "escape.yaml"
    path.write_text(VALID.replace("answers: {}", "answers:\n  som.offence: {answer: \"\\e[31mno"
                                  "\\rpe\"}"))
    result = run("validate", path, *CAT)
    assert result.exit_code == 1
    assert result.output == (f"Error: {path}:5:25: som.offence: '\\x1b[31mno\\rpe' is not a valid "
                             "answer (expected one of: yes, partly, no, unknown)\n")


@pytest.mark.parametrize("command", ["validate", "gaps"])
def test_answers_file_that_is_a_fifo(run, tmp_path, command):
    fifo = tmp_path / "answers.yaml"
    os.mkfifo(fifo)
    result = run(command, fifo, *CAT)
    assert result.exit_code == 1
    assert result.output == f"Error: {fifo}: is not a regular file, expected a YAML file\n"


# --- catalog and questionnaire files ----------------------------------------------------------

@pytest.fixture
def catalog(tmp_path):
    """A copy of the small test catalog and questionnaires, to spoil one file of."""
    shutil.copytree(MINI, tmp_path / "mini")
    return tmp_path / "mini"


def _catalog_run(run, folder: Path, *args: str):
    return run("catalog", "validate", folder / "obligations", "--questionnaires",
               folder / "questionnaires", *args)


@pytest.mark.parametrize("name, message", [
    ("som_alias_bomb.yaml", "som.yaml:7:16: more than 250,000 values once aliases are expanded "
                            "(a file this large, or aliases that multiply, are refused)"),
    ("som_recursive_alias.yaml", "som.yaml:2:15: alias *loop refers to the value it is inside "
                                 "(a recursive alias)"),
])
def test_bad_catalog_file(run, catalog, name, message):
    shutil.copy(BAD / "catalog" / name, catalog / "obligations" / "som.yaml")
    before = snapshot(catalog)
    result = _catalog_run(run, catalog)
    assert result.exit_code == 1
    assert result.output == f"Error: {catalog}/obligations/{message}\n"
    assert snapshot(catalog) == before


def test_catalog_file_linked_to_a_secret_shows_one_line_of_it(run, catalog, tmp_path):
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n" + "".join(
        f"user{i}:x:{1000 + i}:{1000 + i}::/home/user{i}:/bin/sh\n" for i in range(50)))
    target = catalog / "obligations" / "som.yaml"
    target.unlink()
    target.symlink_to(secret)
    result = _catalog_run(run, catalog)
    assert result.exit_code == 1
    assert result.output == (f"Error: {target}:1:1: expected object, got str "
                             "'root:x:0:0:root:/root:/bin/bash user0:x:1000:1000::/home/user0:"
                             "/bin/sh user1:x…\n")
    assert "user2:" not in result.output


def test_questionnaire_with_200_nested_all(run, catalog):
    path = catalog / "questionnaires" / "som.yaml"
    condition = "{all: [" * 200 + "{q: som.offence, is: 'yes'}" + "]}" * 200
    path.write_text(path.read_text().replace(
        "show_if: {q: som.offence, in: [\"yes\", \"partly\"]}", f"show_if: {condition}"))
    result = _catalog_run(run, catalog)
    assert result.exit_code == 1
    assert result.output == f"Error: {path}:18:178: nested more than 50 levels deep\n"


def _chain(count: int) -> str:
    questions = ["      - id: som.q0\n        text: Question 0?\n        type: yes_partly_no\n"]
    for i in range(1, count):
        questions.append(f"      - id: som.q{i}\n        text: Question {i}?\n        type: "
                         f"yes_partly_no\n        show_if: {{q: som.q{i - 1}, is: 'yes'}}\n")
    return "  - id: chain\n    title: Chain\n    questions:\n" + "".join(questions)


@pytest.mark.parametrize("count", [60, 3000])
def test_questionnaire_with_an_endless_show_if_chain(run, catalog, count):
    path = catalog / "questionnaires" / "som.yaml"
    path.write_text(path.read_text().replace("sections:\n", "sections:\n" + _chain(count), 1))
    result = _catalog_run(run, catalog)
    assert result.exit_code == 1
    assert result.output == (f"Error: {path}:{13 + 4 * 39}:18: som.q40: depends on more than 40 "
                             "questions in turn through show_if\n")


def test_show_if_cycle_across_questionnaires(run, catalog):
    som = catalog / "questionnaires" / "som.yaml"
    untoc = catalog / "questionnaires" / "untoc.yaml"
    first_untoc = next(line.split("id: ")[1] for line in untoc.read_text().splitlines()
                       if line.strip().startswith("- id: untoc."))
    som.write_text(som.read_text().replace(
        "        obligations: [som.6.1.a]\n",
        f"        obligations: [som.6.1.a]\n        show_if: {{q: {first_untoc}, is: 'yes'}}\n", 1))
    text = untoc.read_text()
    at = text.index(f"- id: {first_untoc}\n")
    end = text.index("\n", text.index("type:", at)) + 1
    untoc.write_text(text[:end] + "        show_if: {q: som.offence, is: 'yes'}\n" + text[end:])
    result = _catalog_run(run, catalog)
    assert result.exit_code == 1
    assert "show_if conditions form a cycle: " in result.output
    assert f"{first_untoc} → som.offence → {first_untoc}" in result.output or (
        f"som.offence → {first_untoc} → som.offence" in result.output)
    assert len(result.output.splitlines()) == 1


@pytest.mark.parametrize("where", ["untoc", "som"])
def test_retired_question_still_asked_whatever_the_order(run, catalog, where):
    """som.offence is asked in som.yaml; retiring it in either file is refused."""
    path = catalog / "questionnaires" / f"{where}.yaml"
    path.write_text(path.read_text() + "retired:\n  - id: som.offence\n    reason: Merged.\n")
    lines = path.read_text().count("\n")
    result = _catalog_run(run, catalog)
    assert result.exit_code == 1
    assert result.output == (f"Error: {path}:{lines - 1}:9: som.offence: a retired question id "
                             "cannot be used again (it is asked in som.yaml)\n")


@pytest.mark.parametrize("name, message", [
    ("exclusions_a_list.yaml", "1:1: expected a mapping with 'exclusions', a list of entries with "
                               "id and reason"),
    ("exclusions_without_id.yaml", "4:5: missing required field 'id'"),
])
def test_bad_exclusions(run, catalog, name, message):
    path = catalog / "obligations" / "exclusions.yaml"
    shutil.copy(BAD / "catalog" / name, path)
    (catalog / "obligations" / "sources").mkdir(exist_ok=True)
    result = _catalog_run(run, catalog)
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == f"Error: {path}:{message}"


# --- report templates --------------------------------------------------------------------------

TEMPLATE_CASES = [
    ("huge_range.j2", "template error: the number 1000000000 is larger than a template may use "
                      "(100,000)"),
    ("recursive_macro.j2", "template error: nested too deeply, or a macro that calls itself "
                           "without end"),
    ("repeat_bomb.j2", "template error: repeats a text or list beyond 1,000,000 characters"),
    ("format_width.j2", "template error: a format width of 999999999 is larger than a template "
                        "may use"),
    ("percent_width.j2", "template error: a format width of 999999999 is larger than a template "
                         "may use"),
    ("format_attribute.j2", "template error: access to attribute '__class__' of 'str' object is "
                            "unsafe."),
    ("endless_loop.j2", "template error: takes longer than 1 s to render (a loop without end?)"),
    ("output_bomb.j2", "template error: renders more than 1,000,000 characters"),
    ("doubling.j2", "template error: uses more than 256 MB of memory"),
    ("sandbox_escape.j2", "template error: access to attribute '__class__' of 'str' object is "
                          "unsafe."),
    ("division_by_zero.j2", "template error: ZeroDivisionError: division by zero"),
    ("syntax_error.j2", "template error: Expected an expression, got 'end of statement block'"),
]


@pytest.fixture
def answers(tmp_path):
    path = tmp_path / "meridia.yaml"
    path.write_text(VALID)
    return path


@pytest.mark.parametrize("name, message", TEMPLATE_CASES, ids=[c[0] for c in TEMPLATE_CASES])
def test_bad_report_template(run, tmp_path, answers, name, message):
    folder = tmp_path / "templates"
    folder.mkdir()
    shutil.copy(BAD / "templates" / name, folder / "title.j2")
    before = snapshot(tmp_path)
    result = run("report", answers, "-o", tmp_path / "out.md", "--templates", folder, *CAT)
    assert result.exit_code == 1
    line = 1 if name == "syntax_error.j2" else None
    where = f"{folder}/title.j2" + (f":{line}" if line else "")
    assert result.output == f"Error: {where}: {message}\n"
    assert snapshot(tmp_path) == before


def test_template_linked_outside_its_folder(run, tmp_path, answers):
    folder = tmp_path / "templates"
    folder.mkdir()
    secret = tmp_path / "id_rsa"
    secret.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n")
    (folder / "title.j2").symlink_to(secret)
    result = run("report", answers, "-o", tmp_path / "out.md", "--templates", folder, *CAT)
    assert result.exit_code == 1
    assert result.output == (f"Error: {folder}/title.j2: is a link to a file outside the "
                             "templates folder; templates are read only from inside it\n")
    assert not (tmp_path / "out.md").exists()


def test_template_fifo_is_not_read(run, tmp_path, answers):
    """A FIFO in the folder is not a template: the bundled wording is used, nothing blocks."""
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "title.j2").write_text("Gap report for {{ state }}")
    os.mkfifo(folder / "subtitle.j2")
    result = run("report", answers, "-o", tmp_path / "out.md", "--templates", folder, *CAT)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out.md").read_text().startswith("# Gap report for Meridia")


# --- reference documents -------------------------------------------------------------------------

def test_reference_doc_keeps_styles_and_drops_links_and_macros(run, tmp_path, answers):
    reference = tmp_path / "letterhead.docx"
    reference.write_bytes(hostile_docx())
    out = tmp_path / "report.docx"
    result = run("report", answers, "-o", out, "--reference-doc", reference, *CAT)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"Note: {reference}: left out 2 external links (attachedTemplate, hyperlink; e.g. "
        "http://evil.example/t.dotm): Word would fetch them on opening",
        f"Note: {reference}: left out macros and embedded objects (word/vbaProject.bin)"]
    assert result.stdout == f"Wrote {out}\n"
    with zipfile.ZipFile(out) as report:
        names = report.namelist()
        text = b"".join(report.read(n) for n in names)
        headers = b"".join(report.read(n) for n in names if n.startswith("word/header"))
    assert not [n for n in names if "vba" in n.lower()]
    for banned in (b'TargetMode="External"', b"evil.example", b"attachedTemplate", b"DDEAUTO",
                   b"linkStyles"):
        assert banned not in text
    assert b"Ministry of Justice letterhead" in headers


@pytest.mark.parametrize("build, message", [
    (macro_enabled_docx, "is a macro-enabled Word file (.docm or .dotm); palermo never takes "
                         "macros into a report: save it as a Word document (.docx) or template "
                         "(.dotx) and give that"),
    (lambda: bomb_docx("word/styles.xml"), "reference document part word/styles.xml unpacks to "
                                           "41,943,040 bytes (at most 33,554,432)"),
    (lambda: b"PK\x03\x04 not really a zip", "not a Word .docx document (not a zip archive)"),
    (lambda: plain_docx()[:5000], "not a Word .docx document (not a zip archive)"),
], ids=["docm", "styles-bomb", "not-zip", "truncated"])
def test_bad_reference_doc(run, tmp_path, answers, build, message):
    reference = tmp_path / "reference.docx"
    reference.write_bytes(build())
    before = snapshot(tmp_path)
    result = run("report", answers, "-o", tmp_path / "out.docx", "--reference-doc", reference,
                 *CAT)
    assert result.exit_code == 1
    assert result.output == f"Error: {reference}: {message}\n"
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("build", [entity_bomb_docx, external_entity_docx],
                         ids=["entity-bomb", "external-entity"])
def test_reference_doc_with_xml_entities(run, tmp_path, answers, build):
    reference = tmp_path / "reference.docx"
    reference.write_bytes(build())
    result = run("report", answers, "-o", tmp_path / "out.docx", "--reference-doc", reference,
                 *CAT)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {reference}: not a Word .docx document "
                                    "(word/styles.xml is not valid XML: ")
    assert "root:" not in result.output and len(result.output.splitlines()) == 1
    assert not (tmp_path / "out.docx").exists()


def test_output_folder_that_cannot_be_made(run, tmp_path, answers):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run("report", answers, "--output-dir", blocker / "reports", *CAT)
    assert result.exit_code == 1
    assert result.output == f"Error: {blocker}/reports: cannot create the folder: Not a directory\n"


def test_merge_keys_are_plain_yaml(run, tmp_path):
    path = tmp_path / "merged.yaml"
    path.write_text("palermo: 1\nstate: Meridia\n<<: {instruments: [som], answers: {}}\n")
    result = run("validate", path, *CAT)
    assert result.exit_code == 0, result.output


def test_reference_doc_with_an_unused_huge_image_is_not_unpacked(run, tmp_path, answers):
    reference = tmp_path / "reference.docx"
    reference.write_bytes(bomb_docx("word/media/image1.png"))
    result = run("report", answers, "-o", tmp_path / "out.docx", "--reference-doc", reference,
                 *CAT)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "out.docx") as report:
        assert not [n for n in report.namelist() if n.startswith("word/media/")]


# --- where reports and answers are written -------------------------------------------------------

def test_report_onto_a_fifo(run, tmp_path, answers):
    fifo = tmp_path / "out.md"
    os.mkfifo(fifo)
    result = run("report", answers, "-o", fifo, *CAT)
    assert result.exit_code == 1
    assert result.output == (f"Error: {fifo}: is a named pipe (FIFO), not a regular file; "
                             "palermo writes only to a regular file or a new path\n")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_report_onto_a_device(run, answers):
    before = os.stat("/dev/null")
    result = run("report", answers, "-o", "/dev/null", "--format", "markdown", *CAT)
    assert result.exit_code == 1
    assert result.output == ("Error: /dev/null: is a character device, not a regular file; "
                             "palermo writes only to a regular file or a new path\n")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


@pytest.mark.parametrize("role", ["reference", "template", "catalog", "questionnaire"])
def test_report_may_not_overwrite_an_input(run, tmp_path, answers, role):
    reference = tmp_path / "reference.docx"
    reference.write_bytes(plain_docx())
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "title.j2").write_text("Gap report for {{ state }}")
    shutil.copytree(MINI, tmp_path / "mini")
    catalog = ["--catalog", tmp_path / "mini" / "obligations", "--questionnaires",
               tmp_path / "mini" / "questionnaires"]
    target, what = {
        "reference": (reference, "the reference document"),
        "template": (templates / "title.j2", "a template"),
        "catalog": (tmp_path / "mini" / "obligations" / "som.yaml", "a catalog file"),
        "questionnaire": (tmp_path / "mini" / "questionnaires" / "som.yaml",
                          "a questionnaire file"),
    }[role]
    before = snapshot(tmp_path)
    result = run("report", answers, "-o", target, "--format", "docx", "--reference-doc",
                 reference, "--templates", templates, *catalog)
    assert result.exit_code == 1
    assert result.output == (f"Error: {target}: the output would overwrite {what} {target}; "
                             "choose another output file\n")
    assert snapshot(tmp_path) == before


def test_report_since_may_not_overwrite_the_earlier_assessment(run, tmp_path, answers):
    earlier = tmp_path / "earlier.yaml"
    earlier.write_text(Path(answers).read_text())
    before = snapshot(tmp_path)
    result = run("report", answers, "--since", earlier, "-o", earlier, "--format", "json", *CAT)
    assert result.exit_code == 1
    assert result.output == (f"Error: {earlier}: the output would overwrite the earlier "
                             f"assessment {earlier}; choose another output file\n")
    assert snapshot(tmp_path) == before


def test_batch_names_are_unique_and_the_count_true(run, tmp_path):
    files = []
    for folder, name in (("a", "x"), ("b", "x"), ("c", "x-2"), ("d", "X")):
        (tmp_path / folder).mkdir()
        path = tmp_path / folder / f"{name}.yaml"
        path.write_text(VALID)
        files.append(path)
    out = tmp_path / "out"
    result = run("report", *files, "--output-dir", out, "--format", "markdown", *CAT)
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote 4 report(s) to {out}\n"
    assert sorted(p.name for p in out.iterdir()) == ["X-3.md", "x-2-2.md", "x-2.md", "x.md"]


def test_batch_may_not_overwrite_one_of_its_answers_files(run, tmp_path):
    first = tmp_path / "x.md"       # an answers file, oddly named
    first.write_text(VALID)
    second = tmp_path / "y.yaml"
    second.write_text(VALID)
    result = run("report", first, second, "--output-dir", tmp_path, "--format", "markdown", *CAT)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Wrote 1 report(s) to {tmp_path}",
        f"Error: {tmp_path}/x.md: the output would overwrite the answers file {first}; choose "
        "another output file"]
    assert first.read_text() == VALID


def test_answer_through_a_symlink_writes_the_target(run, tmp_path):
    real = tmp_path / "shared" / "meridia.yaml"
    real.parent.mkdir()
    real.write_text(VALID)
    link = tmp_path / "meridia.yaml"
    link.symlink_to(real)
    result = run("answer", link, "som.offence", "yes", *CAT)
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert "som.offence" in real.read_text()
    assert sorted(p.name for p in real.parent.iterdir()) == ["meridia.yaml"]


@pytest.mark.parametrize("code, reason", [(28, "No space left on device"),
                                          (13, "Permission denied")])
def test_answer_that_cannot_be_saved(run, tmp_path, monkeypatch, code, reason):
    path = tmp_path / "meridia.yaml"
    path.write_text(VALID)

    def fail(fd):
        raise OSError(code, reason)

    monkeypatch.setattr(os, "fsync", fail)
    result = run("answer", path, "som.offence", "yes", *CAT)
    assert result.exit_code == 1
    assert result.output == f"Error: {path}: cannot write: {reason} (the file is unchanged)\n"
    assert path.read_text() == VALID
    assert [p.name for p in tmp_path.iterdir()] == ["meridia.yaml"]


def test_assess_with_standard_input_closed(tmp_path):
    path = tmp_path / "new.yaml"
    mini = [str(a) for a in CAT]
    command = [sys.executable, "-m", "palermo", "assess", str(path), "--state", "Meridia",
               "--instruments", "som", *mini]
    result = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                            preexec_fn=lambda: os.close(0), timeout=60)  # noqa: PLW1509
    assert result.returncode == 1
    assert result.stderr == (f"Error: {path}: standard input is closed, so no answer can be "
                             "typed; run the interview in a terminal, or set answers with "
                             "palermo answer\n")
    assert not path.exists()


@pytest.mark.parametrize("option, value, message", [
    ("--note", "n" * 30_000, "som.offence: field 'note': too long: 30,000 characters (at most "
                             "20,000)"),
    ("--citation", "c" * 3000, "som.offence: field 'citations': too long: 3,000 characters (at "
                               "most 1,000)"),
])
def test_answer_too_long_to_keep_is_not_saved(run, tmp_path, option, value, message):
    """What palermo writes, palermo must be able to read back: the limits apply on saving."""
    path = tmp_path / "meridia.yaml"
    path.write_text(VALID)
    result = run("answer", path, "som.offence", "yes", option, value, *CAT)
    assert result.exit_code == 1
    assert result.output == f"Error: {message}\n"
    assert path.read_text() == VALID


def test_new_assessment_with_a_name_too_long(run, tmp_path):
    path = tmp_path / "new.yaml"
    result = run("answer", path, "som.offence", "yes", "--state", "S" * 300, "--instruments",
                 "som", *CAT)
    assert result.exit_code == 1
    assert result.output == "Error: the State's name: too long: 300 characters (at most 200)\n"
    assert not path.exists()
