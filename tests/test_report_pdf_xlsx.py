"""PDF (the Word report through LibreOffice) and the Excel workbook, read back."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
import report_fixture as fx

from palermo.errors import PalermoError
from palermo.report import render_report, write_report

HAVE_SOFFICE = shutil.which("soffice") is not None
HAVE_POPPLER = shutil.which("pdftotext") is not None


@pytest.fixture(scope="module")
def book() -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(render_report(fx.analysis(), "xlsx")))


def test_xlsx_sheets_and_headers(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == ["Obligations", "Answers", "Action plan"]
    headers = {name: [c.value for c in book[name][1]] for name in book.sheetnames}
    assert headers["Obligations"] == [
        "Id", "Instrument", "Article", "Strength", "Category", "Status", "Priority",
        "Incomplete", "Finding", "Required measures", "Recommended measures",
        "Provisions cited"]
    assert headers["Answers"] == ["Question id", "Question", "Answer", "Provisions cited",
                                  "Note", "Answered on"]
    assert headers["Action plan"] == ["No.", "Priority", "Type", "Id", "Treaty provision",
                                      "Action", "Status", "See"]
    for sheet in book:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}" \
                                        f"{sheet.max_row}"
        assert sheet.column_dimensions["A"].width >= 6


def test_xlsx_obligation_row(book: openpyxl.Workbook) -> None:
    sheet = book["Obligations"]
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    assert len(rows) == 17
    row = rows["som.6.1.a"]
    assert [c.value for c in row[:8]] == [
        "som.6.1.a", "Smuggling of Migrants Protocol", "art. 6(1)(a)", "Mandatory (“shall”)",
        "Criminalization", "◐ Partially met", "High", None]
    assert row[5].fill.fgColor.rgb.endswith("FCE8B2")           # status colour with its word
    assert row[5].font.bold and row[8].alignment.wrap_text
    assert row[11].value == f"Immigration Act 2010, s. 41 & s. 42\n{fx.CHINESE_CITATION}"


def test_xlsx_neutralises_formulas() -> None:
    first = fx.results()[0]
    results = (first._replace(findings=('=HYPERLINK("x")',)), *fx.results()[1:])
    book = openpyxl.load_workbook(io.BytesIO(render_report(fx.analysis(results=results),
                                                           "xlsx")))
    assert book["Obligations"]["I2"].value == "'=HYPERLINK(\"x\")"
    assert book["Obligations"]["I2"].data_type == "s"


@pytest.mark.skipif(not HAVE_SOFFICE, reason="LibreOffice Calc is needed to open the workbook")
def test_xlsx_opens_in_libreoffice_calc(tmp_path: Path) -> None:
    source = tmp_path / "veridia.xlsx"
    write_report(fx.analysis(), source)
    subprocess.run(  # noqa: S603 - fixed arguments, our own temporary files
        [shutil.which("soffice"), f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
         "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1",
         "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=300)
    rows = list(csv.reader(io.StringIO((tmp_path / "veridia.csv").read_text("utf-8"))))
    assert rows[0][:6] == ["Id", "Instrument", "Article", "Strength", "Category", "Status"]
    by_id = {row[0]: row for row in rows[1:]}
    assert by_id["som.6.1.a"][5] == "◐ Partially met"
    assert by_id["tip.6.6"][5] == "? Not assessed"


@pytest.mark.skipif(not (HAVE_SOFFICE and HAVE_POPPLER),
                    reason="LibreOffice and poppler-utils are needed for the PDF")
def test_pdf_has_contents_with_page_numbers(tmp_path: Path) -> None:
    out = tmp_path / "veridia.pdf"
    write_report(fx.analysis(), out)
    assert out.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(  # noqa: S603 - fixed arguments, our own temporary files
        [shutil.which("pdftotext"), "-layout", "-enc", "UTF-8", str(out), "-"],
        check=True, capture_output=True, timeout=60).stdout.decode("utf-8")
    pages = text.split("\f")
    contents = pages[1]
    assert "Contents" in contents
    found = dict(re.findall(r"^\s*(\S.*?)\s*\.{3,}\s*(\d+)\s*$", contents, re.MULTILINE))
    assert found["Executive summary"] == "3"
    assert list(found)[:3] == ["Executive summary", "Top priorities", "Status at a glance"]
    # Each number is the page its heading is on.
    for heading in ("Table of correspondence", "Detailed analysis", "Prioritised action plan"):
        number = int(found[heading])
        assert heading in pages[number - 1], heading


def test_pdf_without_libreoffice_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PALERMO_SOFFICE", "no-such-soffice-here")
    with pytest.raises(PalermoError) as err:
        render_report(fx.analysis(), "pdf")
    assert str(err.value) == (
        "PDF output needs LibreOffice: install the Debian package libreoffice-writer-nogui "
        "(or LibreOffice from libreoffice.org) so that the soffice command is on the PATH")
