"""The Word report: structure, styles, tables, fields, sections, scripts, reference documents."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
import report_fixture as fx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Cm
from lxml import etree

from palermo.errors import InputError
from palermo.report import render_report, write_report

ROOT = Path(__file__).resolve().parents[1]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ALLOWED_STYLES = {"Title", "Heading 1", "Heading 2", "Heading 3", "Normal", "Quote", "Caption",
                  "List Bullet"}


@pytest.fixture(scope="module")
def data() -> bytes:
    return render_report(fx.analysis(), "docx", detail="full")


@pytest.fixture(scope="module")
def doc(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read(name).decode("utf-8")


def is_toc_line(paragraph: etree._Element) -> bool:
    return paragraph.find(f".//{W}instrText") is not None


def body_paragraphs(doc: docx.document.Document) -> list[docx.text.paragraph.Paragraph]:
    """The paragraphs after the contents, whose lines repeat the headings."""
    paragraphs = doc.paragraphs
    end = max(n for n, p in enumerate(paragraphs) if is_toc_line(p._p))
    return paragraphs[end + 1:]


def texts(doc: docx.document.Document) -> list[str]:
    return [p.text for p in body_paragraphs(doc)]


def headings(doc: docx.document.Document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in body_paragraphs(doc)
            if p.style.name.startswith("Heading")]


def table_after(doc: docx.document.Document, heading: str) -> docx.table.Table:
    """The first table after the (non-TOC) paragraph with this exact text."""
    in_body = found = False
    for child in doc.element.body.iterchildren():
        if child.tag == W + "p" and not in_body:
            in_body = is_toc_line(child) and not is_toc_line(child.getnext())
        elif child.tag == W + "p" and child.xpath("string(.)") == heading:
            found = True
        elif found and child.tag == W + "tbl":
            return docx.table.Table(child, doc._body)
    raise AssertionError(f"no table after {heading!r}")


def rows(table: docx.table.Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_headings_are_exact_and_in_order(doc: docx.document.Document) -> None:
    h1, h2, h3 = "Heading 1", "Heading 2", "Heading 3"
    assert headings(doc) == [
        (h1, "Executive summary"),
        (h1, "Status at a glance"),
        (h1, "Organized Crime Convention (UNTOC)"),
        (h2, "Criminalization"),
        (h3, "untoc.5.1.a — Art. 5(1)(a): Criminalization of participation in an organized "
             "criminal group"),
        (h3, "untoc.10.1 — Art. 10(1): Liability of legal persons"),
        (h3, "untoc.34.2 — Art. 34(2): Implementation of the Convention"),
        (h2, "Prevention"),
        (h3, "untoc.31.1 — Art. 31(1): Prevention"),
        (h2, "Notifications"),
        (h3, "untoc.18.13 — Art. 18(13): Mutual legal assistance"),
        (h1, "Trafficking in Persons Protocol"),
        (h2, "Criminalization"),
        (h3, "tip.5.1 — Art. 5(1): Criminalization"),
        (h2, "Protection and assistance"),
        (h3, "tip.6.3 — Art. 6(3): Assistance to and protection of victims of trafficking in "
             "persons"),
        (h3, "tip.6.5 — Art. 6(5): Assistance to and protection of victims of trafficking in "
             "persons"),
        (h3, "tip.6.6 — Art. 6(6): Assistance to and protection of victims of trafficking in "
             "persons"),
        (h1, "Smuggling of Migrants Protocol"),
        (h2, "Criminalization"),
        (h3, "som.6.1.a — Art. 6(1)(a): Criminalization"),
        (h3, "som.6.1.b.i — Art. 6(1)(b)(i): Criminalization"),
        (h3, "som.6.2.a — Art. 6(2)(a): Criminalization"),
        (h3, "som.6.3 — Art. 6(3): Criminalization"),
        (h2, "Protection and assistance"),
        (h3, "som.16.5 — Art. 16(5): Protection and assistance measures"),
        (h2, "International cooperation"),
        (h3, "som.8.1 — Art. 8(1): Measures against the smuggling of migrants by sea"),
        (h3, "som.18.1 — Art. 18(1): Return of smuggled migrants"),
        (h2, "Notifications"),
        (h3, "som.8.6 — Art. 8(6): Measures against the smuggling of migrants by sea"),
        (h1, "Prioritised action plan"),
        (h1, "Annex A. Questionnaire answers"),
        (h2, "Organized Crime Convention (UNTOC): Criminalization"),
        (h2, "Organized Crime Convention (UNTOC): International cooperation"),
        (h2, "Organized Crime Convention (UNTOC): Prevention"),
        (h2, "Smuggling of Migrants Protocol: Criminalization"),
        (h2, "Smuggling of Migrants Protocol: Smuggling by sea"),
        (h2, "Smuggling of Migrants Protocol: Protection and assistance"),
        (h2, "Smuggling of Migrants Protocol: Return"),
        (h2, "Trafficking in Persons Protocol: Criminalization"),
        (h2, "Trafficking in Persons Protocol: Protection of victims"),
        (h1, "Annex B. Notifications still owed"),
        (h1, "Annex C. Method and key"),
    ]


def test_only_named_styles(doc: docx.document.Document, data: bytes) -> None:
    used = {p.style.name for p in doc.paragraphs}
    for table in doc.tables:
        used |= {p.style.name for row in table.rows for cell in row.cells
                 for p in cell.paragraphs}
    assert used <= ALLOWED_STYLES
    assert {t.style.name for t in doc.tables} == {"Palermo Table"}
    assert doc.styles["Palermo Table"].type == WD_STYLE_TYPE.TABLE
    # No character styles or direct style references other than these.
    assert "w:rStyle" not in part(data, "word/document.xml")


def test_cover_page(doc: docx.document.Document) -> None:
    first = [p for p in doc.paragraphs[:4]]
    assert (first[0].style.name, first[0].text) == ("Title", "Legislative gap assessment")
    assert first[1].text == fx.STATE
    assert rows(doc.tables[0]) == [
        ["Instrument", "Status of Republic of Veridia"],
        ["United Nations Convention against Transnational Organized Crime", "State Party"],
        ["Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women "
         "and Children", "Not a Party (preparing to accede)"],
        ["Protocol against the Smuggling of Migrants by Land, Sea and Air", "State Party"],
    ]
    texts = [p.text for p in doc.paragraphs[:20]]
    assert "Date: 2 March 2025" in texts
    assert "Assessor: Ministry of Justice, Legislative Drafting Unit" in texts
    assert "Catalog of obligations: version 1.2.0" in texts


def test_contents_lines_with_page_references_and_update_on_open(
        doc: docx.document.Document, data: bytes) -> None:
    xml = part(data, "word/document.xml")
    instructions = [i.strip() for i in
                    re.findall(r"<w:instrText[^>]*>([^<]*)</w:instrText>", xml)]
    # Every heading of levels 1-2 is listed, each a link to its heading's bookmark ending in
    # a PAGEREF field that LibreOffice and Word work out from the page layout.
    anchors = re.findall(r'<w:hyperlink w:anchor="(_Toc\d+)"', xml)
    bookmarks = re.findall(r'<w:bookmarkStart w:id="\d+" w:name="(_Toc\d+)"', xml)
    top = [p for p in doc.paragraphs if p.style.name in ("Heading 1", "Heading 2")]
    assert len(bookmarks) == 44
    assert set(anchors) <= set(bookmarks) and len(anchors) == len(top)
    assert instructions == [f"PAGEREF {a} \\h" for a in anchors]
    assert xml.count('w:fldCharType="begin"') == xml.count('w:fldCharType="end"') == len(top)
    lines = [p.text for p in doc.paragraphs]
    start = lines.index("Contents")
    assert lines[start + 1:start + 3] == ["Executive summary\t", "Status at a glance\t"]
    settings = part(data, "word/settings.xml")
    assert re.search(r'<w:updateFields w:val="true"/>', settings)
    # updateFields sits before w:compat, as the schema's order requires.
    assert settings.index("w:updateFields") < settings.index("<w:compat")


def test_running_header_and_page_numbers(doc: docx.document.Document, data: bytes) -> None:
    section = doc.sections[0]
    assert fx.STATE in section.header.paragraphs[-1].text
    assert section.different_first_page_header_footer       # no header on the cover
    assert not doc.sections[1].different_first_page_header_footer
    footers = [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist()
               if n.startswith("word/footer")]
    footer = "".join(part(data, n) for n in footers)
    assert 'w:instr=" PAGE "' in footer and 'w:instr=" NUMPAGES "' in footer
    shown = section.footer.paragraphs[-1]._p.xpath("string(.)")
    assert shown == "Page 1 of 1"                                 # until the fields update


def test_landscape_section_holds_the_action_plan(doc: docx.document.Document) -> None:
    sections = doc.sections
    assert [s.orientation for s in sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE,
                                                 WD_ORIENT.PORTRAIT]
    assert sections[1].page_width > sections[1].page_height
    assert sections[0].page_width == sections[2].page_width
    assert abs(sections[0].page_width - Cm(21.0)) < Cm(0.01)               # A4
    # The action plan lies between the end of section 1 and the end of section 2.
    order = []
    for child in doc.element.body.iterchildren():
        if child.tag == W + "p" and child.find(f"{W}pPr/{W}sectPr") is not None:
            order.append("section end")
        elif child.tag == W + "p" and child.find(f"{W}pPr/{W}pStyle").get(W + "val") \
                == "Heading1":
            text = child.xpath("string(.)")
            if text in ("Prioritised action plan", "Annex A. Questionnaire answers"):
                order.append(text)
    assert order == ["section end", "Prioritised action plan", "section end",
                     "Annex A. Questionnaire answers"]


def test_action_plan_table(doc: docx.document.Document) -> None:
    table = table_after(doc, "Prioritised action plan")
    got = rows(table)
    assert got[0] == ["No.", "Priority", "Obligation", "Requirement", "Status",
                      "Measures"]
    assert [(r[0], r[1], r[2].split("\n")[0], r[4]) for r in got[1:]] == [
        ("1", "High", "som.6.1.a", "◐ Partially met"),
        ("2", "High", "tip.5.1", "✗ Not met"),
        ("3", "High", "untoc.10.1", "◐ Partially met"),
        ("4", "High", "untoc.34.2", "✗ Not met"),
        ("5", "High", "som.8.6", "✗ Not met"),
        ("6", "Medium", "som.6.2.a", "✗ Not met"),
        ("7", "Low", "tip.6.3", "◐ Partially met"),
    ]
    assert got[1][2] == "som.6.1.a\nSmuggling of Migrants Protocol, art. 6(1)(a)\nCriminalization"
    # Measures keep their bullets, in the List Bullet style.
    cell = table.rows[3].cells[5]
    assert [(p.style.name, p.text) for p in cell.paragraphs] == [
        ("Normal", "Provide for the liability of legal persons, criminal, civil or "
                   "administrative, for participation in serious crimes involving an organized "
                   "criminal group."),
        ("Normal", "Raise the fines so that sanctions are effective, proportionate and "
                   "dissuasive:"),
        ("List Bullet", "set fines by reference to the benefit obtained"),
        ("List Bullet", "allow debarment from public contracts"),
    ]
    # The header row repeats on every page.
    assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None


def shading(cell: docx.table._Cell) -> str | None:
    shd = cell._tc.find(f"{W}tcPr/{W}shd")
    return None if shd is None else shd.get(W + "fill")


def test_obligation_entry(doc: docx.document.Document) -> None:
    heading = "som.6.1.a — Art. 6(1)(a): Criminalization"
    paragraphs = body_paragraphs(doc)
    start = next(n for n, p in enumerate(paragraphs) if p.text == heading)
    quote = paragraphs[start + 1:start + 3]
    assert [p.style.name for p in quote] == ["Quote", "Quote"]
    assert quote[0].text == fx.SOM_6_1
    assert quote[1].text == "(a) The smuggling of migrants;"
    table = table_after(doc, heading)
    assert rows(table) == [
        ["Status", "◐ Partially met"],
        ["Obligation", "Mandatory (“shall”)"],
        ["In brief", "Make the smuggling of migrants for a financial or other material "
                     "benefit a crime."],
        ["Priority", "High"],
    ]
    assert shading(table.rows[0].cells[1]) == "FCE8B2"
    following = [p.text for p in paragraphs[start + 3:start + 14]]
    assert following[:6] == [
        "Domestic law",
        "Does domestic law make it a criminal offence to procure the illegal entry of a person "
        "into the State for a financial or other material benefit?  Partly",
        "Immigration Act 2010, s. 41 & s. 42",
        fx.CHINESE_CITATION,
        "Note: " + fx.CHINESE_NOTE + " Offence covers entry only; " + fx.SCRIPT,
        "Finding",
    ]
    assert "Recommended measures" in following


def test_nested_subparagraph_quote_marks_the_omission(doc: docx.document.Document) -> None:
    paragraphs = texts(doc)
    start = paragraphs.index("som.6.1.b.i — Art. 6(1)(b)(i): Criminalization")
    assert paragraphs[start + 2] == "… (i) Producing a fraudulent travel or identity document;"


def test_option_strength_note_and_binding_rows(doc: docx.document.Document) -> None:
    option = rows(table_after(
        doc, "untoc.5.1.a — Art. 5(1)(a): Criminalization of participation in an organized "
             "criminal group"))
    assert ["Option taken", "agreement to commit a serious crime (art. 5(1)(a)(i))"] in option
    aggravation = rows(table_after(doc, "som.6.3 — Art. 6(3): Criminalization"))
    assert aggravation[1][1].startswith("Mandatory (“shall”)\nMandatory for the offences")
    assert aggravation[0] == ["Status", "? Not assessed"]
    tip = rows(table_after(doc, "tip.5.1 — Art. 5(1): Criminalization"))
    assert ["Binding", "Not yet: would bind on becoming a Party"] in tip


def test_not_binding_note_and_summary(doc: docx.document.Document) -> None:
    note = table_after(doc, "Trafficking in Persons Protocol")
    assert note.rows[0].cells[0].text.startswith(
        "Not yet binding. Republic of Veridia is not a Party to the Trafficking in Persons "
        "Protocol.")
    assert "would bind Republic of Veridia on accession" in note.rows[0].cells[0].text
    body = body_paragraphs(doc)
    lines = [p.text for p in body]
    start = lines.index("Executive summary")
    summary = lines[start + 1:lines.index("Status at a glance")]
    assert summary[0].startswith("The law of Republic of Veridia gives full effect to 6 of "
                                 "the 13 obligations assessed (46 per cent)")
    assert summary[1] == ("Republic of Veridia is not a Party to the Trafficking in Persons "
                          "Protocol: its obligations are assessed as those that would bind "
                          "Republic of Veridia on accession.")
    summary = summary[2:]
    assert summary[0].startswith("This assessment measures the law of Republic of Veridia "
                                 "against 17 obligations")
    assert "6 are met (✓), 3 partially met (◐) and 4 not met (✗)" in summary[0]
    # Mandatory criminalization gaps of the law in force come first, named one by one; the
    # Trafficking Protocol's would bind on accession and are not counted among them.
    assert summary[1] == ("The most serious gaps are in criminalization: 3 mandatory "
                          "criminalization obligations are not fully met:")
    assert [s.split(":")[0] for s in summary[2:5]] == [
        "Smuggling of Migrants Protocol, art. 6(1)(a) (Criminalization)",
        "Organized Crime Convention (UNTOC), art. 10(1) (Liability of legal persons)",
        "Organized Crime Convention (UNTOC), art. 34(2) (Implementation of the Convention)",
    ]
    styles = [p.style.name for p in body[start + 5:start + 8]]
    assert styles == ["List Bullet"] * 3
    assert ("2 obligations of the Trafficking in Persons Protocol are not yet met in full. They "
            "would bind Republic of Veridia on accession and are not counted above; the action "
            "plan marks them so.") in summary


def test_visual_summary_tables(doc: docx.document.Document) -> None:
    legend = table_after(doc, "Status at a glance")
    assert [c.text for c in legend.rows[0].cells] == [
        "✓ Met", "◐ Partially met", "✗ Not met", "– Not applicable", "? Not assessed"]
    captions = {t.find(f"{W}tblPr/{W}tblCaption").get(W + "val"): t
                for t in doc.element.body.iter(W + "tbl")
                if t.find(f"{W}tblPr/{W}tblCaption") is not None}
    by_instrument = docx.table.Table(
        captions["Figure 1. Status of obligations by instrument"], doc._body)
    assert "Figure 2. Status of obligations by category" in captions
    first = by_instrument.rows[1]
    segments = [(tc.xpath("string(.)"), tc.find(f"{W}tcPr/{W}shd").get(W + "fill"))
                for tc in first._tr.findall(W + "tc")[1:-1]]
    assert segments == [("2 ✓", "D9EAD3"), ("1 ◐", "FCE8B2"), ("1 ✗", "F4CCCC"),
                        ("1 ?", "DCE6F2")]
    spans = [int(tc.find(f"{W}tcPr/{W}gridSpan").get(W + "val"))
             for tc in first._tr.findall(W + "tc")[1:-1]]
    assert sum(spans) == 40 and spans[0] > spans[1]         # proportional: 2 of 5 vs 1 of 5
    assert first._tr.findall(W + "tc")[-1].xpath("string(.)") == "5"
    counts = rows(table_after(doc, "Figure 2. Status of obligations by category"))
    assert counts[0] == ["Instrument", "✓ Met", "◐ Partially met", "✗ Not met",
                         "– Not applicable", "? Not assessed", "Total"]
    assert counts[-1] == ["All obligations", "6", "3", "4", "1", "3", "17"]


def test_notifications_annex(doc: docx.document.Document) -> None:
    table = rows(table_after(doc, "Annex B. Notifications still owed"))
    assert table[0] == ["Obligation", "Notify", "What", "When", "Status"]
    assert [(r[0].split("\n")[0], r[1], r[4]) for r in table[1:]] == [
        ("untoc.18.13", "Secretary-General of the United Nations", "? Not assessed"),
        ("som.8.6", "all other States Parties, through the Secretary-General", "✗ Not met"),
    ]


def test_answers_annex_has_every_answer_and_the_whole_long_note(
        doc: docx.document.Document) -> None:
    lines = texts(doc)
    annex = lines[lines.index("Annex A. Questionnaire answers"):
                  lines.index("Annex B. Notifications still owed")]
    for answer in fx.ANSWERS.values():
        assert answer.question in annex
    note = [t for t in annex if t.startswith("Note: 1. The draft")]
    assert len(note) == 1
    start = annex.index(note[0])
    lines = [line for line in fx.LONG_NOTE.split("\n") if line.strip()]
    assert annex[start:start + len(lines)] == ["Note: " + lines[0], *lines[1:]]
    assert "Answer: Not answered   [untoc.central_authority]" in annex


def test_control_characters_are_removed(data: bytes, doc: docx.document.Document) -> None:
    xml = part(data, "word/document.xml")
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", xml)
    lines = texts(doc)
    assert "Note: " + fx.CONTROL_CLEAN in lines
    assert "Passports Act 2001, s. 14(1)" in lines


def test_characters_xml_cannot_carry_are_dropped_from_every_part() -> None:
    data = render_report(fx.analysis(assessor="Drafting\ud800 Unit\ufffe\x01",
                                     state="Veri\uffffdia"), "docx")
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if name.endswith(".xml"):
                etree.fromstring(package.read(name))              # well-formed
    doc = docx.Document(io.BytesIO(data))
    assert doc.core_properties.author == "Drafting Unit"
    assert doc.core_properties.title == "Legislative gap assessment: Veridia"
    assert doc.sections[0].header.paragraphs[-1].text.startswith("Veridia")
    assert "Assessor: Drafting Unit" in [p.text for p in doc.paragraphs[:20]]


def test_right_to_left_runs_and_paragraphs(data: bytes) -> None:
    root = etree.fromstring(part(data, "word/document.xml").encode())
    arabic = [p for p in root.iter(W + "p") if fx.ARABIC_CITATION in "".join(p.itertext())]
    assert arabic
    for p in arabic:
        assert p.find(f"{W}pPr/{W}bidi") is not None       # starts in Arabic: RTL paragraph
        runs = [r for r in p.iter(W + "r") if "قانون" in "".join(r.itertext())]
        assert runs and all(r.find(f"{W}rPr/{W}rtl") is not None for r in runs)
    mixed = [p for p in root.iter(W + "p") if fx.ARABIC_NOTE in "".join(p.itertext())]
    for p in mixed:          # "Note: ..." starts in Latin script: LTR paragraph, RTL run
        assert p.find(f"{W}pPr/{W}bidi") is None
        assert any(r.find(f"{W}rPr/{W}rtl") is not None for r in p.iter(W + "r"))
    latin = [r for r in root.iter(W + "r") if "Immigration Act" in "".join(r.itertext())]
    assert latin and all(r.find(f"{W}rPr/{W}rtl") is None for r in latin)
    assert fx.CHINESE_CITATION in "".join(root.itertext())


def test_document_properties(doc: docx.document.Document) -> None:
    props = doc.core_properties
    assert props.title == "Legislative gap assessment: Republic of Veridia"
    assert props.author == "Ministry of Justice, Legislative Drafting Unit"


def test_write_report_is_atomic_and_complete(tmp_path: Path) -> None:
    out = tmp_path / "veridia.docx"
    out.write_bytes(b"old")
    write_report(fx.analysis(), out)
    assert docx.Document(str(out)).paragraphs[0].text == "Legislative gap assessment"
    assert [p.name for p in tmp_path.iterdir()] == ["veridia.docx"]


def make_reference(path: Path) -> None:
    ref = docx.Document()
    section = ref.sections[0]
    section.left_margin = section.right_margin = Cm(3.1)
    section.header.paragraphs[0].text = "ACME MINISTRY OF JUSTICE"
    ref.add_paragraph("Template instructions: delete me")
    ref.add_table(rows=1, cols=1).cell(0, 0).text = "template table"
    styles = ref.styles.element
    for style_id in ("Quote", "ListBullet", "Caption"):
        node = styles.find(f"{W}style[@{W}styleId='{style_id}']")
        styles.remove(node)
    normal = ref.styles["Normal"]
    normal.font.name = "Georgia"
    ref.save(str(path))


def test_reference_document(tmp_path: Path) -> None:
    ref = tmp_path / "letterhead.docx"
    make_reference(ref)
    out = tmp_path / "report.docx"
    write_report(fx.analysis(), out, reference_doc=ref)
    doc = docx.Document(str(out))
    assert "Template instructions: delete me" not in [p.text for p in doc.paragraphs]
    assert all("template table" not in t.xpath("string(.)")
               for t in doc.element.body.iter(W + "tbl"))
    section = doc.sections[0]
    assert abs(section.left_margin - Cm(3.1)) < Cm(0.01)          # its margins
    header = [p.text for p in section.header.paragraphs]
    assert header[0] == "ACME MINISTRY OF JUSTICE"                # its letterhead
    assert any(fx.STATE in t for t in header)                      # and our running header
    assert doc.styles["Normal"].font.name == "Georgia"            # its styles
    for name in ("Quote", "Caption", "List Bullet", "Palermo Table"):
        assert doc.styles[name] is not None                        # and the ones it lacked
    bullet = doc.styles["List Bullet"].element
    assert bullet.find(f"{W}pPr/{W}numPr/{W}numId") is not None  # with real bullets
    assert headings(doc)[0] == ("Heading 1", "Executive summary")


def test_reference_template_dotx_is_accepted(tmp_path: Path) -> None:
    ref = tmp_path / "letterhead.docx"
    make_reference(ref)
    dotx = tmp_path / "letterhead.dotx"
    with zipfile.ZipFile(ref) as source, zipfile.ZipFile(dotx, "w") as target:
        for info in source.infolist():
            blob = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                blob = blob.replace(b"document.main+xml", b"template.main+xml")
            target.writestr(info, blob)
    doc = docx.Document(io.BytesIO(render_report(fx.analysis(), "docx", reference_doc=dotx)))
    assert doc.sections[0].header.paragraphs[0].text == "ACME MINISTRY OF JUSTICE"


@pytest.mark.parametrize("content, message", [
    (None, "reference document not found"),
    (b"not a zip file", "not a Word .docx document"),
    (b"", "not a Word .docx document"),   # never the house base, made just before
])
def test_bad_reference_document(tmp_path: Path, content: bytes | None, message: str) -> None:
    ref = tmp_path / "ref.docx"
    if content is not None:
        ref.write_bytes(content)
    render_report(fx.analysis(), "docx")                  # the house base, kept in memory
    with pytest.raises(InputError) as err:
        render_report(fx.analysis(), "docx", reference_doc=ref)
    assert err.value.path == str(ref)
    assert message in str(err.value)


def test_no_gaps_no_landscape_section() -> None:
    met = tuple(r for r in fx.results() if not r.status.is_gap)
    doc = docx.Document(io.BytesIO(render_report(fx.analysis(results=met), "docx",
                                                 detail="full")))
    assert len(doc.sections) == 1
    lines = texts(doc)
    plan = lines.index("Prioritised action plan")
    assert lines[plan + 1].startswith("No gap was found among the obligations assessed")


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) is not installed: no PDF round trip")
def test_libreoffice_round_trip(tmp_path: Path) -> None:
    source = tmp_path / "veridia.docx"
    write_report(fx.analysis(), source, detail="full")
    # A private profile, so that parallel runs and a desktop LibreOffice do not collide.
    profile = (tmp_path / "profile").as_uri()
    soffice = shutil.which("soffice")
    subprocess.run(  # noqa: S603 - fixed arguments, our own temporary files
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    pdf = tmp_path / "veridia.pdf"
    assert pdf.exists()
    pdftotext, pdfinfo = shutil.which("pdftotext"), shutil.which("pdfinfo")
    if pdftotext is None or pdfinfo is None:
        pytest.skip("poppler-utils (pdftotext, pdfinfo) not installed: PDF converted only")
    text = subprocess.run(  # noqa: S603 - fixed arguments, our own temporary files
        [pdftotext, "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True,
        timeout=60).stdout.decode("utf-8")
    info = subprocess.run(  # noqa: S603 - fixed arguments, our own temporary files
        [pdfinfo, str(pdf)], check=True, capture_output=True, timeout=60).stdout.decode()
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert 15 <= pages <= 60
    flat = " ".join(text.split())
    for expected in ("Legislative gap assessment", "Republic of Veridia", "Executive summary",
                     "som.6.1.a — Art. 6(1)(a): Criminalization",
                     "(a) The smuggling of migrants;", "Prioritised action plan",
                     "Annex B. Notifications still owed", f"Page 2 of {pages}",
                     "قانون العقوبات"):
        assert expected in flat, expected
    assert "Page 1 of" not in text.split("\f")[0]          # the cover has no header/footer


# --- the package, and the prepared base kept in the cache ----------------------------------------

def test_package_is_well_formed_with_content_types_first(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None                          # every CRC checks out
        names = package.namelist()
        types = etree.fromstring(package.read("[Content_Types].xml"))
        parts = {n for n in names if not n.endswith(".rels")}
        for name in names:
            if name.endswith((".xml", ".rels")):
                etree.fromstring(package.read(name))              # well-formed XML
    assert names[0] == "[Content_Types].xml"                      # where Word expects it
    assert len(names) == len(set(names))
    overrides = {e.get("PartName").lstrip("/") for e in types if e.get("PartName")}
    defaults = {e.get("Extension") for e in types if e.get("Extension")}
    assert all(n in overrides or n.rsplit(".", 1)[-1] in defaults for n in parts)
    assert {"word/document.xml", "docProps/core.xml", "word/styles.xml"} <= overrides


def test_core_properties_are_escaped_and_dated(tmp_path: Path) -> None:
    import datetime as dt

    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    data = render_report(fx.analysis(assessor="Justice & Home <Affairs>"), "docx")
    props = docx.Document(io.BytesIO(data)).core_properties
    assert props.author == "Justice & Home <Affairs>"
    assert props.subject and props.keywords == "UNTOC; Palermo Protocols; legislative assessment"
    assert props.category == "Legislative gap assessment"
    assert props.last_modified_by.startswith("palermo ")
    assert props.revision == 1
    created = props.created.replace(tzinfo=dt.timezone.utc)
    assert before <= created <= dt.datetime.now(dt.timezone.utc)
    assert props.modified == props.created


def test_a_report_from_the_cached_base_imports_neither_python_docx_nor_lxml(
        tmp_path: Path) -> None:
    import os
    import sys

    out = tmp_path / "report.docx"
    code = ("import sys; from palermo.cli import cli; "
            f"cli(['report', {str(ROOT / 'examples' / 'meridia.yaml')!r}, '-o', {str(out)!r}],"
            " standalone_mode=False); "
            "print(sorted(m for m in ('docx', 'lxml') if m in sys.modules))")

    def report() -> tuple[str, bytes]:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=True, env=os.environ.copy(), timeout=120)
        return done.stdout.splitlines()[-1], part(out.read_bytes(), "word/document.xml")

    first, made = report()
    assert first == "['docx', 'lxml']"                            # the base prepared once
    second, again = report()
    assert second == "[]"                                         # then read from the cache
    assert again == made


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {n: package.read(n) for n in package.namelist() if n != "docProps/core.xml"}


def test_the_cached_base_makes_the_same_report(tmp_path: Path, private_cache: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from palermo.report.docx import base, prepare

    ref = tmp_path / "letterhead.docx"
    make_reference(ref)
    monkeypatch.setattr(base, "_PREPARED", {})
    fresh = render_report(fx.analysis(), "docx", reference_doc=ref)
    assert [p.name for p in private_cache.glob("docxbase-*")]

    def not_again(*args: object) -> None:
        raise AssertionError("the base was prepared again")

    monkeypatch.setattr(base, "_PREPARED", {})                   # as a new process would
    monkeypatch.setattr(prepare, "prepare", not_again)
    assert _members(render_report(fx.analysis(), "docx", reference_doc=ref)) == _members(fresh)


def test_a_damaged_cached_base_is_prepared_again(private_cache: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from palermo.report.docx import base

    monkeypatch.setattr(base, "_PREPARED", {})
    first = render_report(fx.analysis(), "docx")
    entries = list(private_cache.glob("docxbase-*"))
    assert len(entries) == 1
    entries[0].write_bytes(b"\x80\x05not a pickle")
    monkeypatch.setattr(base, "_PREPARED", {})
    assert _members(render_report(fx.analysis(), "docx")) == _members(first)


def test_a_reference_document_changed_in_place_is_read_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from palermo.report.docx import base

    ref = tmp_path / "letterhead.docx"
    make_reference(ref)
    first = docx.Document(io.BytesIO(render_report(fx.analysis(), "docx", reference_doc=ref)))
    assert first.sections[0].header.paragraphs[0].text == "ACME MINISTRY OF JUSTICE"
    changed = docx.Document(str(ref))
    changed.sections[0].header.paragraphs[0].text = "MINISTRY OF THE INTERIOR"
    changed.save(str(ref))
    monkeypatch.setattr(base, "_PREPARED", {})                   # a new process, same cache
    second = docx.Document(io.BytesIO(render_report(fx.analysis(), "docx", reference_doc=ref)))
    assert second.sections[0].header.paragraphs[0].text == "MINISTRY OF THE INTERIOR"


def test_notes_on_a_reference_document_are_said_again_from_the_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from hostile_docx import hostile_docx

    from palermo.report.docx import base

    ref = tmp_path / "hostile.docx"
    ref.write_bytes(hostile_docx())
    for _ in range(2):                                            # prepared, then cached
        monkeypatch.setattr(base, "_PREPARED", {})
        monkeypatch.setattr(base, "_NOTED", set())
        render_report(fx.analysis(), "docx", reference_doc=ref)
        said = capsys.readouterr().err.splitlines()
        assert [line.split(": ", 2)[2][:22] for line in said] == [
            "left out 2 external li", "left out macros and em"]
        assert all(line.startswith(f"Note: {ref}: ") for line in said)


def test_reference_document_on_letter_paper_with_wide_margins(tmp_path: Path) -> None:
    from docx.shared import Inches

    ref = tmp_path / "letter.docx"
    make_reference(ref)
    letter = docx.Document(str(ref))
    section = letter.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    letter.save(str(ref))
    doc = docx.Document(io.BytesIO(render_report(fx.analysis(), "docx", reference_doc=ref,
                                                 detail="full")))
    sections = doc.sections
    assert [(s.page_width, s.page_height) for s in sections] == [
        (Inches(8.5), Inches(11)), (Inches(11), Inches(8.5)), (Inches(8.5), Inches(11))]
    assert sections[1].orientation == WD_ORIENT.LANDSCAPE
    margins = sections[0].left_margin + sections[0].right_margin
    assert abs(margins - 2 * Cm(3.1)) < Cm(0.01)
    upright = (Inches(8.5) - margins) // 635                      # text width in twips
    turned = (Inches(11) - margins) // 635
    widths = [int(t.find(f"{W}tblPr/{W}tblW").get(W + "w"))
              for t in doc.element.body.iter(W + "tbl")]
    assert max(widths) == turned and widths.count(turned) == 1    # the action plan's table
    assert all(w == upright for w in widths if w != turned)


def test_reference_document_writing_wordprocessingml_under_another_prefix(
        tmp_path: Path) -> None:
    from hostile_docx import plain_docx, rewrite

    data = plain_docx()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        renamed = {}
        for name in package.namelist():
            if name == "word/document.xml" or re.fullmatch(r"word/header\d*\.xml", name):
                xml = package.read(name).decode()
                xml = (xml.replace('xmlns:w="', 'xmlns:w="urn:example:other" xmlns:x="', 1)
                       .replace("<w:", "<x:").replace("</w:", "</x:").replace(" w:", " x:"))
                renamed[name] = xml.encode()
    ref = tmp_path / "prefixed.docx"
    ref.write_bytes(rewrite(data, renamed))
    out = render_report(fx.analysis(), "docx", reference_doc=ref)
    with zipfile.ZipFile(io.BytesIO(out)) as package:
        for name in package.namelist():
            if name.endswith(".xml"):
                etree.fromstring(package.read(name))              # well-formed
    doc = docx.Document(io.BytesIO(out))
    assert [p.text for p in doc.sections[0].header.paragraphs] == [
        "Ministry of Justice letterhead", f"{fx.STATE}   Legislative gap assessment"]
    assert headings(doc)[0] == ("Heading 1", "Executive summary")


def test_section_properties_are_changed_in_the_schema_order() -> None:
    from palermo.report.docx.base import SectionProperties

    sect = SectionProperties(
        '<w:sectPr w:rsidR="00FC693F">',
        (("headerReference", '<w:headerReference w:type="default" r:id="rId9"/>'),
         ("pgSz", '<w:pgSz w:w="11906" w:h="16838" w:code="9"/>'),
         ("pgMar", '<w:pgMar w:top="1077"/>'),
         ("cols", '<w:cols w:space="720"/>'),
         ("titlePg", "<w:titlePg/>"),
         ("docGrid", '<w:docGrid w:linePitch="360"/>')),
        page=(("w:w", "11906"), ("w:h", "16838"), ("w:code", "9")),
        cols=(("w:space", "720"),))
    assert sect.xml() == ('<w:sectPr w:rsidR="00FC693F"><w:headerReference w:type="default" '
                          'r:id="rId9"/><w:pgSz w:w="11906" w:h="16838" w:code="9"/><w:pgMar '
                          'w:top="1077"/><w:cols w:space="720"/><w:titlePg/><w:docGrid '
                          'w:linePitch="360"/></w:sectPr>')
    turned = sect.xml(title_page=False, landscape=True, columns=2, continuous=True)
    assert turned == ('<w:sectPr w:rsidR="00FC693F"><w:headerReference w:type="default" '
                      'r:id="rId9"/><w:type w:val="continuous"/><w:pgSz w:w="16838" '
                      'w:h="11906" w:code="9" w:orient="landscape"/><w:pgMar w:top="1077"/>'
                      '<w:cols w:space="397" w:num="2"/><w:docGrid w:linePitch="360"/>'
                      '</w:sectPr>')
    bare = SectionProperties("<w:sectPr>", (("docGrid", "<w:docGrid/>"),))
    assert bare.xml(title_page=True, landscape=True) == (
        '<w:sectPr><w:pgSz w:orient="landscape"/><w:titlePg/><w:docGrid/></w:sectPr>')
    unknown = SectionProperties("<w:sectPr>", (("pgSz", '<w:pgSz x:w="1"/>'),), page=None)
    assert unknown.xml(landscape=True) == '<w:sectPr><w:pgSz x:w="1"/></w:sectPr>'


def test_a_process_keeps_only_a_few_bases_in_memory(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from palermo.report.docx import base

    monkeypatch.setattr(base, "_PREPARED", {})
    monkeypatch.setenv("PALERMO_NO_CACHE", "1")                   # memory alone, no files
    made = []
    for n in range(base._KEPT + 2):
        ref = tmp_path / f"ministry-{n}.docx"
        letterhead = docx.Document()
        letterhead.sections[0].header.paragraphs[0].text = f"Ministry {n}"
        letterhead.save(str(ref))
        made.append(base.prepared_base(ref))
    assert len(base._PREPARED) == base._KEPT
    assert list(base._PREPARED.values()) == made[2:]              # the latest ones
    assert "Ministry 9" in made[-1].header.text
