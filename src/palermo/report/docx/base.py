"""The base document: palermo's house style or an organisation's reference document.

The base is styled and emptied once per process (cached), with every style the report uses
(Title, Heading 1-3, Normal, Quote, Caption, List Bullet and the table style "Palermo Table")
and a bullet numbering for a reference document that lacks one. Word is asked to refresh the
fields (contents, page numbers) on opening.
"""

from __future__ import annotations

import datetime as _dt
import io
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree

from palermo.errors import InputError
from palermo.refdoc import read_reference
from palermo.report.content import ReportContent
from palermo.report.docx.ooxml import HEADER_FILL, RULE_COLOUR, W, el, insert_ppr, val

TABLE_STYLE = "Palermo Table"
PARAGRAPH_STYLES = ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Quote",
                    "Caption", "List Bullet")
# Two levels: instruments/parts and categories. One line per obligation (Heading 3) would make

MUTED = "595959"
ACCENT = "1F3864"
A4 = (11906, 16838)      # twips



@lru_cache(maxsize=8)
def prepared_base(reference: str | None, stamp: tuple[int, int] | None) -> bytes:
    """The styled, emptied starting document as bytes (cached: opening it is the fixed cost)."""
    import docx

    if reference is None:
        document = docx.Document()
        _house_style(document)
    else:
        document = _open_reference(Path(reference))
    _clear_body(document)
    _ensure_styles(document)
    _update_fields_on_open(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _open_reference(path: Path) -> Any:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    shown = str(path)
    data = read_reference(path)  # bounded, and only styles, page setup, headers and footers
    data = _template_as_document(data)
    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError,
            etree.XMLSyntaxError) as exc:
        raise InputError(f"not a Word .docx document ({exc})", path=shown) from None


def _template_as_document(data: bytes) -> bytes:
    """A Word template (.dotx) relabelled as a document, as Word does on File > New."""
    template = b"wordprocessingml.template.main+xml"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as source:
            types = source.read("[Content_Types].xml")
            if template not in types:
                return data
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
                for info in source.infolist():
                    blob = source.read(info.filename)
                    if info.filename == "[Content_Types].xml":
                        blob = blob.replace(template, b"wordprocessingml.document.main+xml")
                    target.writestr(info, blob)
            return out.getvalue()
    except (zipfile.BadZipFile, KeyError):
        return data


def _clear_body(document: Any) -> None:
    """Empty the body but keep the final section properties (page, margins, headers)."""
    body = document.element.body
    for child in list(body):
        if child.tag != W + "sectPr":
            body.remove(child)
    if body.find(W + "sectPr") is None:
        body.append(el("sectPr"))


def style_id(document: Any, name: str) -> str | None:
    try:
        return document.styles[name].style_id
    except KeyError:
        return None


def _house_style(document: Any) -> None:
    """palermo's own look, used when no reference document is given."""
    from docx.shared import Cm, Pt, RGBColor

    section = document.sections[0]
    section.page_width, section.page_height = A4[0] * 635, A4[1] * 635   # twips to EMU
    section.left_margin = section.right_margin = Cm(1.9)
    section.top_margin, section.bottom_margin = Cm(1.9), Cm(1.8)
    section.header_distance = section.footer_distance = Cm(1.1)

    styles = document.styles
    normal = styles["Normal"]
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.05
    for name, size, before, after, colour in (
        ("Heading 1", 18, 0, 10, ACCENT),
        ("Heading 2", 13.5, 16, 6, "2E5597"),
        ("Heading 3", 11, 14, 4, ACCENT),
    ):
        style = styles[name]
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor.from_string(colour)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
        _theme_font(style, "minor")
    title = styles["Title"]
    title.font.size = Pt(30)
    title.font.color.rgb = RGBColor.from_string(ACCENT)
    title.paragraph_format.space_after = Pt(10)
    _theme_font(title, "minor")
    quote = styles["Quote"]
    quote.font.italic = False
    quote.font.size = Pt(10)
    quote.font.color.rgb = RGBColor.from_string("262626")
    quote.paragraph_format.left_indent = Cm(0.6)
    quote.paragraph_format.right_indent = Cm(0.3)
    quote.paragraph_format.space_after = Pt(3)
    _left_rule(quote)
    caption = styles["Caption"]
    caption.font.bold = False
    caption.font.italic = True
    caption.font.size = Pt(9)
    caption.font.color.rgb = RGBColor.from_string(MUTED)
    caption.paragraph_format.space_before = Pt(4)
    caption.paragraph_format.space_after = Pt(12)
    bullet = styles["List Bullet"]
    bullet.paragraph_format.space_after = Pt(3)


def _theme_font(style: Any, which: str) -> None:
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(W + "rFonts")
    if fonts is None:
        fonts = el("rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for key, value in (("asciiTheme", f"{which}HAnsi"), ("eastAsiaTheme", f"{which}EastAsia"),
                       ("hAnsiTheme", f"{which}HAnsi"), ("cstheme", f"{which}Bidi")):
        fonts.set(W + key, value)


def _left_rule(style: Any) -> None:
    ppr = style.element.get_or_add_pPr()
    borders = ppr.find(W + "pBdr")
    if borders is None:
        borders = el("pBdr")
        insert_ppr(ppr, borders)
    el("left", {"val": "single", "sz": "18", "space": "8", "color": "8EA9DB"}, borders)

def _ensure_styles(document: Any) -> None:
    """Add any style the report needs that the (reference) document lacks."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Cm, Pt

    styles = document.styles
    for name in PARAGRAPH_STYLES:
        if style_id(document, name) is not None:
            continue
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        if name != "Normal" and style_id(document, "Normal"):
            style.base_style = styles["Normal"]
        fmt, font = style.paragraph_format, style.font
        if name == "Title":
            font.size, font.bold = Pt(26), True
            fmt.space_after = Pt(12)
        elif name.startswith("Heading"):
            level = int(name[-1])
            font.size, font.bold = Pt({1: 16, 2: 13, 3: 11}[level]), True
            fmt.space_before, fmt.space_after = Pt(12), Pt(4)
            fmt.keep_with_next = True
            outline = el("outlineLvl", {"val": str(level - 1)})
            insert_ppr(style.element.get_or_add_pPr(), outline)
        elif name == "Quote":
            font.italic = True
            fmt.left_indent = fmt.right_indent = Cm(0.8)
        elif name == "Caption":
            font.italic, font.size = True, Pt(9)
        elif name == "List Bullet":
            _bullet_numbering(document, style)
    if style_id(document, TABLE_STYLE) is None:
        _add_table_style(document)


def _bullet_numbering(document: Any, style: Any) -> None:
    """Give a newly added List Bullet style a bullet list definition of its own."""
    numbering = document.part.numbering_part.element
    ids = [int(n.get(W + "abstractNumId")) for n in numbering.findall(W + "abstractNum")]
    nums = [int(n.get(W + "numId")) for n in numbering.findall(W + "num")]
    abstract_id, num_id = max(ids, default=0) + 1, max(nums, default=0) + 1
    abstract = el("abstractNum", {"abstractNumId": str(abstract_id)})
    val("multiLevelType", "singleLevel", abstract)
    level = el("lvl", {"ilvl": "0"}, abstract)
    val("start", 1, level)
    val("numFmt", "bullet", level)
    val("lvlText", "•", level)
    val("lvlJc", "left", level)
    ppr = el("pPr", parent=level)
    el("ind", {"left": "360", "hanging": "360"}, ppr)
    first_num = numbering.find(W + "num")
    if first_num is not None:
        first_num.addprevious(abstract)       # every abstractNum precedes every num
    else:
        numbering.append(abstract)
    num = el("num", {"numId": str(num_id)}, numbering)
    val("abstractNumId", abstract_id, num)
    ppr = style.element.get_or_add_pPr()
    numpr = el("numPr")
    val("numId", num_id, numpr)
    insert_ppr(ppr, numpr)


def _add_table_style(document: Any) -> None:
    styles_el = document.styles.element
    style = el("style", {"type": "table", "customStyle": "1", "styleId": "PalermoTable"})
    val("name", TABLE_STYLE, style)
    base = style_id(document, "Normal Table")
    if base:
        val("basedOn", base, style)
    val("uiPriority", 59, style)
    ppr = el("pPr", parent=style)
    el("spacing", {"before": "0", "after": "0", "line": "240", "lineRule": "auto"}, ppr)
    tpr = el("tblPr", parent=style)
    borders = el("tblBorders", parent=tpr)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el(side, {"val": "single", "sz": "4", "space": "0", "color": RULE_COLOUR}, borders)
    margins = el("tblCellMar", parent=tpr)
    for side, value in (("top", 45), ("left", 85), ("bottom", 45), ("right", 85)):
        el(side, {"w": str(value), "type": "dxa"}, margins)
    first = el("tblStylePr", {"type": "firstRow"}, style)
    rpr = el("rPr", parent=first)
    el("b", parent=rpr)
    el("bCs", parent=rpr)
    tcpr = el("tcPr", parent=first)
    el("shd", {"val": "clear", "color": "auto", "fill": HEADER_FILL}, tcpr)
    styles_el.append(style)


_SETTINGS_AFTER_UPDATE = ("hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars",
                          "rsids", "mathPr", "attachedSchema", "themeFontLang",
                          "clrSchemeMapping", "doNotIncludeSubdocsInStats",
                          "doNotAutoCompressPictures", "forceUpgrade", "captions",
                          "readModeInkLockDown", "smartTagType", "schemaLibrary",
                          "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol",
                          "listSeparator")


def _update_fields_on_open(document: Any) -> None:
    """w:updateFields: Word refreshes the table of contents and page counts on opening."""
    settings = document.settings.element
    existing = settings.find(W + "updateFields")
    if existing is not None:
        existing.set(W + "val", "true")
        return
    node = el("updateFields", {"val": "true"})
    for child in settings:
        if etree.QName(child).localname in _SETTINGS_AFTER_UPDATE:
            child.addprevious(node)
            return
    settings.append(node)


class _WrittenPart:
    """A part as the package writer needs it, with content already serialized."""

    def __init__(self, part: Any, blob: bytes) -> None:
        self.partname, self.content_type, self.rels = part.partname, part.content_type, part.rels
        self.blob = blob


def save_package(document: Any, main: bytes | None) -> bytes:
    """The .docx bytes, the main document part's XML taken as given when there is one."""
    from docx.opc.pkgwriter import PackageWriter

    out = io.BytesIO()
    if main is None:
        document.save(out)
        return out.getvalue()
    package = document.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    PackageWriter.write(out, package.rels, [
        _WrittenPart(part, main) if part is document.part else part for part in parts])
    return out.getvalue()


def core_properties(document: Any, content: ReportContent) -> None:
    props = document.core_properties
    props.title = f"{content.title}: {content.state}"[:250]
    props.subject = content.subtitle[:250]
    props.author = (content.assessor or "palermo")[:250]
    props.last_modified_by = content.generator
    props.keywords = "UNTOC; Palermo Protocols; legislative assessment"
    props.comments = f"Catalog of obligations version {content.catalog_version}"
    props.category = "Legislative gap assessment"
    now = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0, tzinfo=None)
    props.created = props.modified = now
    props.revision = 1


