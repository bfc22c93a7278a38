"""Markdown, HTML, JSON and CSV reports, format choice, wording templates and light imports."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
import report_fixture as fx

from palermo.errors import InputError
from palermo.model import ObligationResult, Status
from palermo.report import FORMATS, format_for, render_report, write_report
from palermo.resources import schema


def text(fmt: str, detail: str = "full", **changes: object) -> str:
    return render_report(fx.analysis(**changes), fmt, detail=detail).decode("utf-8-sig")


# -- choosing the format ------------------------------------------------------------------------


@pytest.mark.parametrize("name, fmt", [
    ("r.docx", "docx"), ("R.DOCX", "docx"), ("r.md", "markdown"), ("r.markdown", "markdown"),
    ("r.html", "html"), ("r.htm", "html"), ("r.json", "json"), ("r.csv", "csv"),
])
def test_format_from_extension(name: str, fmt: str) -> None:
    assert format_for(Path(name), None) == fmt


def test_explicit_format_wins() -> None:
    assert format_for(Path("report.txt"), "markdown") == "markdown"
    assert format_for(Path("report.docx"), "JSON") == "json"


def test_unknown_extension_names_the_valid_ones() -> None:
    with pytest.raises(InputError) as err:
        format_for(Path("out/report.odt"), None)
    assert str(err.value) == (
        "out/report.odt: cannot tell the report format from extension '.odt' (use one of: "
        ".docx, .md, .markdown, .html, .htm, .json, .csv, .pdf, .xlsx, or choose a format: "
        "docx, markdown, html, json, csv, pdf, xlsx)")


def test_unknown_explicit_format() -> None:
    with pytest.raises(InputError) as err:
        format_for(Path("r.docx"), "odt")
    assert str(err.value) == ("unknown report format 'odt' (expected one of: docx, markdown, "
                              "html, json, csv, pdf, xlsx)")


def test_missing_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        write_report(fx.analysis(), tmp_path / "nowhere" / "r.json")
    assert err.value.path == str(tmp_path / "nowhere")


def test_reference_doc_only_for_docx(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="only applies to the docx and pdf formats"):
        render_report(fx.analysis(), "html", reference_doc=tmp_path / "ref.docx")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_writes_a_file(tmp_path: Path, fmt: str) -> None:
    ext = {"markdown": "md"}.get(fmt, fmt)
    out = tmp_path / f"veridia.{ext}"
    write_report(fx.analysis(), out)
    assert out.stat().st_size > 1000
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]     # no temporary left


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_empty_analysis_still_renders(fmt: str) -> None:
    empty = fx.analysis(results=(), answers=())
    assert render_report(empty, fmt)


# -- JSON -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def report_json() -> dict:
    return json.loads(text("json"))


def test_json_matches_its_schema(report_json: dict) -> None:
    jsonschema.validate(report_json, schema("report"))


def test_json_content(report_json: dict) -> None:
    assert report_json["state"] == fx.STATE
    assert report_json["summary"]["total"] == 17
    assert report_json["summary"]["by_status"] == {
        "met": 6, "partially_met": 3, "not_met": 4, "not_applicable": 1, "not_assessed": 3}
    assert report_json["summary"]["gaps"] == 7
    assert report_json["summary"]["notifications_owed"] == 2
    assert report_json["action_plan"] == ["som.6.1.a", "tip.5.1", "untoc.10.1", "untoc.34.2",
                                          "som.8.6", "som.6.2.a", "tip.6.3"]
    by_id = {o["id"]: o for o in report_json["obligations"]}
    assert len(by_id) == 17
    smuggling = by_id["som.6.1.a"]
    assert smuggling["status"] == "partially_met"
    assert smuggling["symbol"] == "◐"
    assert smuggling["priority"] == {"rank": 1, "label": "High", "order": 1}
    assert smuggling["citations"] == ["Immigration Act 2010, s. 41 & s. 42", fx.CHINESE_CITATION]
    assert smuggling["required_measures"][0].startswith("Amend section 41")
    assert smuggling["chapeau"] == fx.SOM_6_1
    assert smuggling["text"] == "The smuggling of migrants;"
    assert by_id["untoc.5.1.a"]["option"] == {
        "id": "conspiracy", "label": "agreement to commit a serious crime (art. 5(1)(a)(i))"}
    assert by_id["som.8.1"]["priority"] is None
    assert by_id["tip.5.1"]["binding"] is False
    tip = next(i for i in report_json["instruments"] if i["id"] == "tip")
    assert tip["party_status"] == "not_party" and tip["binding"] is False
    answers = {a["question_id"]: a for a in report_json["answers"]}
    assert answers["tip.recovery_measures"]["value"] == ["housing", "medical"]
    assert answers["untoc.central_authority"] == {
        "question_id": "untoc.central_authority", "instrument": "untoc",
        "section": "International cooperation",
        "question": "Has a central authority for mutual legal assistance been designated and "
                    "notified?",
        "answered": False, "answer": "Not answered", "value": None, "citations": [],
        "note": None}
    assert answers["som.document_offences"]["note"] == fx.CONTROL_CLEAN
    assert answers["untoc.legal_persons"]["note"] == fx.LONG_NOTE.strip()


def test_json_schema_rejects_a_wrong_status(report_json: dict) -> None:
    broken = json.loads(json.dumps(report_json))
    broken["obligations"][0]["status"] = "done"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema("report"))


# -- CSV ------------------------------------------------------------------------------------------


def test_csv_one_row_per_obligation() -> None:
    data = render_report(fx.analysis(), "csv")
    assert data.startswith("\ufeff".encode())                      # BOM for spreadsheets
    reader = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(reader) == 17
    assert list(reader[0]) == [
        "instrument", "id", "reference", "article_title", "category", "strength", "status",
        "status_label", "symbol", "priority", "action_order", "option", "binding", "summary",
        "findings", "citations", "recommended_measures"]
    row = next(r for r in reader if r["id"] == "untoc.10.1")
    assert (row["status"], row["priority"], row["action_order"], row["binding"]) == \
        ("partially_met", "High", "3", "yes")
    assert row["recommended_measures"].split("\n")[0].startswith("Provide for the liability")
    conspiracy = next(r for r in reader if r["id"] == "untoc.5.1.a")
    assert conspiracy["option"] == "agreement to commit a serious crime (art. 5(1)(a)(i))"
    smuggling = next(r for r in reader if r["id"] == "som.6.1.a")
    assert smuggling["citations"] == f"Immigration Act 2010, s. 41 & s. 42\n{fx.CHINESE_CITATION}"


def test_csv_neutralises_formulas() -> None:
    results = list(fx.results())
    first = results[0]
    results[0] = ObligationResult(
        obligation=first.obligation, status=first.status, findings=("=HYPERLINK(\"x\")",),
        required_measures=(), priority=None, option=None, answers=(), binding=True)
    data = render_report(fx.analysis(results=tuple(results)), "csv").decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(data, newline="")))
    assert row["findings"] == "'=HYPERLINK(\"x\")"


# -- HTML -----------------------------------------------------------------------------------------


class _Tags(HTMLParser):
    VOID = {"meta", "br", "link", "img", "hr", "input"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else ''}>")
        else:
            self.stack.pop()


@pytest.fixture(scope="module")
def page() -> str:
    return text("html")


def test_html_is_well_formed_and_standalone(page: str) -> None:
    parser = _Tags()
    parser.feed(page)
    assert parser.errors == [] and parser.stack == []
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    names = [t for t, _ in parser.tags]
    assert "script" not in names and "link" not in names and "img" not in names
    for _, attrs in parser.tags:
        for key in ("src", "href"):
            assert not (attrs.get(key) or "").startswith(("http:", "https:", "//"))
    assert "@media print" in page and "@page" in page


def test_html_escapes_user_text(page: str) -> None:
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "Immigration Act 2010, s. 41 &amp; s. 42" in page
    assert "\x00" not in page and "\x07" not in page


def test_html_structure_and_accessibility(page: str) -> None:
    parser = _Tags()
    parser.feed(page)
    headings = [t for t, _ in parser.tags if t in ("h1", "h2", "h3", "h4")]
    assert headings[0] == "h1" and headings.count("h1") == 1
    assert '<h4 id="som.6.1.a">som.6.1.a — Art. 6(1)(a): Criminalization</h4>' in page
    assert ('<span class="status st-partially_met"><span aria-hidden="true">◐</span> '
            "Partially met</span>") in page
    assert f'<li dir="auto">{fx.ARABIC_CITATION}</li>' in page
    assert '<div class="bar" role="img" aria-label="Smuggling of Migrants Protocol: met 3, ' \
           'partially met 1, not met 2, not applicable 1, not assessed 1">' in page
    assert page.count('<th scope="col">') >= 10
    assert '<nav aria-label="Contents">' in page
    assert "would bind Republic of Veridia on accession" in page


# -- Markdown -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def markdown() -> str:
    return text("markdown")


def test_markdown_structure(markdown: str) -> None:
    lines = markdown.split("\n")
    assert lines[0] == "# Legislative gap assessment: Republic of Veridia"
    assert [line for line in lines if line.startswith("## ")] == [
        "## Executive summary", "## Status at a glance", "## Organized Crime Convention (UNTOC)",
        "## Trafficking in Persons Protocol", "## Smuggling of Migrants Protocol",
        "## Prioritised action plan", "## Annex A. Questionnaire answers",
        "## Annex B. Notifications still owed", "## Annex C. Method and key"]
    assert "#### som.6.1.a — Art. 6(1)(a): Criminalization" in lines
    assert "> (a) The smuggling of migrants;" in lines
    assert "| 1 | High | `som.6.1.a`<br>Smuggling of Migrants Protocol, art. 6(1)(a) | Make the " \
           "smuggling of migrants for a financial or other material benefit a crime. | ◐ " \
           "Partially met | Amend section 41 of the Immigration Act 2010 so that the offence " \
           "requires the purpose of obtaining a financial or other material benefit. |" in lines
    assert "| All obligations | 6 | 3 | 4 | 1 | 3 | 17 |" in lines


def test_markdown_escapes_user_text(markdown: str) -> None:
    assert "<script>" not in markdown
    assert r"\<script\>alert('x')\</script\>" in markdown
    assert r"s. 41 \& s. 42" in markdown
    # A note line starting "2." stays a paragraph, not a numbered list.
    assert "\n2\\. The draft Organized Crime" in markdown


# -- wording templates -------------------------------------------------------------------------


def test_templates_dir_overrides_one_template(tmp_path: Path) -> None:
    (tmp_path / "executive_summary.j2").write_text(
        "{{ state }}: {{ counts.gaps }} gaps, {{ criminalization_gaps | length }} of them in "
        "criminalization.\n", encoding="utf-8")
    out = render_report(fx.analysis(), "markdown", templates_dir=tmp_path,
                        detail="full").decode()
    summary = out.split("## Executive summary\n\n", 1)[1].split("\n\n")[2]
    # The gap lists hold the law in force: the Trafficking Protocol's would bind on accession.
    assert summary == "Republic of Veridia: 7 gaps, 3 of them in criminalization."
    assert "This part assesses the law of Republic of Veridia" in out    # bundled ones still


def test_template_error_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "not_binding.j2"
    bad.write_text("{{ stat }} is not bound.\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        render_report(fx.analysis(), "docx", templates_dir=tmp_path)
    assert err.value.path == str(bad)
    assert "'stat' is undefined" in str(err.value)


def test_templates_dir_must_exist(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="templates folder not found"):
        render_report(fx.analysis(), "html", templates_dir=tmp_path / "missing")


def test_templates_are_sandboxed(tmp_path: Path) -> None:
    (tmp_path / "title.j2").write_text("{{ state.__class__.__mro__ }}", encoding="utf-8")
    with pytest.raises(InputError, match="template error"):
        render_report(fx.analysis(), "markdown", templates_dir=tmp_path)


def test_signatory_would_be_bound_on_ratification() -> None:
    out = text("markdown", party_status={"untoc": "party", "som": "party",
                                         "tip": "signatory"})
    assert ("Republic of Veridia has signed the Trafficking in Persons Protocol but is not yet "
            "a Party.") in out
    assert "would bind Republic of Veridia on ratification" in out


def test_convention_pulled_into_a_protocol_assessment() -> None:
    shared = tuple(r for r in fx.results()
                   if r.obligation.instrument == "som" or r.obligation.applies_to_protocol_offences)
    out = text("markdown", instruments=("som",), party_status={"som": "party"}, results=shared)
    assert ("This part covers the provisions of the United Nations Convention against "
            "Transnational Organized Crime that apply to the offences established under the "
            "Protocols assessed") in out
    assert "| United Nations Convention against Transnational Organized Crime | Provisions " \
           "applying to the Protocol offences |" in out
    parts = [line for line in out.split("\n") if line.startswith("## ")]
    assert parts[2:4] == ["## Smuggling of Migrants Protocol",
                          "## Organized Crime Convention (UNTOC)"]       # assessed one first


def test_every_status_is_reported() -> None:
    statuses = {o["status"] for o in json.loads(text("json"))["obligations"]}
    assert statuses == {s.value for s in Status}


def test_reports_do_not_import_heavy_libraries_until_used() -> None:
    code = ("import sys, palermo.report, palermo.report.content; "
            "heavy = [m for m in ('docx', 'jinja2', 'jsonschema', 'lxml') if m in sys.modules]; "
            "print(heavy)")
    result = subprocess.run(  # noqa: S603 - this Python, fixed code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# -- the content model's small pieces -------------------------------------------------------------


def test_wording_blocks() -> None:
    from palermo.report.content import Block, blocks

    assert blocks("One\nparagraph.\n\nTwo:\n- first\n  continued\n- second\n\n\nThree.") == (
        Block("para", text="One paragraph."),
        Block("para", text="Two:"),
        Block("bullets", items=("first continued", "second")),
        Block("para", text="Three."),
    )


@pytest.mark.parametrize("counts, widths", [
    ([2, 1, 1, 0, 1], [16, 8, 8, 0, 8]),
    ([150, 0, 0, 0, 0], [40, 0, 0, 0, 0]),
    ([1, 0, 0, 0, 149], [3, 0, 0, 0, 37]),
    ([0, 0, 0, 0, 0], [0, 0, 0, 0, 0]),
    ([30, 30, 30, 30, 30], [8, 8, 8, 8, 8]),
])
def test_bar_segments_are_proportional_and_wide_enough(counts: list[int],
                                                       widths: list[int]) -> None:
    from palermo.report.docx.layout import bar_units

    assert bar_units(counts, 40) == widths
