"""Preparing a base document with python-docx, once: then it is plain data (`base.py`).

The house style starts from python-docx's default document; a reference document is first
reduced by `refdoc.sanitise` to its styles, numbering, theme, fonts, settings, headers and
footers. Either is emptied (its final section's page, margins, headers and footers kept) and
given every style the report uses (Title, Heading 1-3, Normal, Quote, Caption, List Bullet and
the table style "Palermo Table"), a bullet numbering when a reference document lacks one, the
setting that makes Word refresh the fields (contents, page numbers) on opening, and the
running header and footer parts the report writes into. Then every part is taken out as text
or deflated bytes.
"""

from __future__ import annotations

import copy
import io
import secrets
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

from palermo.errors import InputError
from palermo.refdoc import sanitise
from palermo.report.docx.base import (
    A4,
    ACCENT,
    MUTED,
    PARAGRAPH_STYLES,
    TABLE_STYLE,
    PreparedBase,
    RunningPart,
    SectionProperties,
)
from palermo.report.docx.ooxml import HEADER_FILL, RULE_COLOUR, W_NS
from palermo.report.docx.package import STORED_LEVEL, Member, deflated

W = f"{{{W_NS}}}"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CORE_TYPE = "application/vnd.openxmlformats-package.core-properties+xml"


def prepare(reference: Path | None, data: bytes) -> PreparedBase:
    """The prepared base: house style (`reference` None) or the reference document's bytes."""
    import docx

    notes: list[str] = []
    if reference is None:
        document = docx.Document()
        _house_style(document)
    else:
        sanitised, notes = sanitise(data, str(reference))
        document = _open_reference(sanitised, str(reference))
    _clear_body(document)
    _ensure_styles(document)
    _update_fields_on_open(document)
    section = document.sections[0]
    if reference is None:
        section.different_first_page_header_footer = True    # no running header on the cover
    return _as_data(document, house=reference is None, notes=tuple(notes))


def el(tag: str, attrs: dict[str, str] | None = None, parent: Any = None) -> Any:
    attrib = {W + k: v for k, v in attrs.items()} if attrs else None
    if parent is None:
        return etree.Element(W + tag, attrib)
    return etree.SubElement(parent, W + tag, attrib)


def val(tag: str, value: str | int, parent: Any) -> Any:
    return el(tag, {"val": str(value)}, parent)


_PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
              "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens",
              "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE",
              "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
              "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
              "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
              "sectPr", "pPrChange")


def insert_ppr(ppr: Any, child: Any) -> None:
    """Insert a pPr child at its schema position."""
    rank = _PPR_ORDER.index(etree.QName(child).localname)
    for n, existing in enumerate(ppr):
        local = etree.QName(existing).localname
        if local in _PPR_ORDER and _PPR_ORDER.index(local) > rank:
            ppr.insert(n, child)
            return
    ppr.append(child)


def _open_reference(data: bytes, shown: str) -> Any:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

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


# ---------------------------------------------------------------------------------------------
# The prepared document as data


def _as_data(document: Any, *, house: bool, notes: tuple[str, ...]) -> PreparedBase:
    section = document.sections[0]
    header, footer = section.header.part, section.footer.part   # made when missing
    _ = document.core_properties                                # made when missing
    package = document.part.package
    core = next(str(p.partname).lstrip("/") for p in package.parts
                if p.content_type == _CORE_TYPE)
    main = str(document.part.partname).lstrip("/")
    start, end, sect = _main_part(document.element)
    running = [_running_part(str(p.partname).lstrip("/"), p.element) for p in (header, footer)]
    written = {main, core, *(part.name for part in running)}
    out = io.BytesIO()
    document.save(out)
    members: list[Member | str] = []
    with zipfile.ZipFile(out) as saved:
        for info in saved.infolist():
            name = info.filename
            members.append(name if name in written else
                           deflated(name, saved.read(info), STORED_LEVEL))
    width = int(section.page_width or A4[0] * 635)
    height = int(section.page_height or A4[1] * 635)
    margins = int(section.left_margin if section.left_margin is not None else 720000) + \
        int(section.right_margin if section.right_margin is not None else 720000)
    return PreparedBase(
        house=house, members=tuple(members), main=main, main_start=start, main_end=end,
        section=sect, styles={name: style_id(document, name) for name in PARAGRAPH_STYLES},
        table_style=style_id(document, TABLE_STYLE),
        portrait_width=(min(width, height) - margins) // 635,
        landscape_width=(max(width, height) - margins) // 635,
        header=running[0], footer=running[1], core=core, notes=notes)


def _normalised(root: Any) -> Any:
    """The part's root with w: and r: bound as palermo writes them (a copy when they are not)."""
    if root.nsmap.get("w") == W_NS and root.nsmap.get("r") == R_NS:
        return root
    nsmap = {prefix: uri for prefix, uri in root.nsmap.items()
             if prefix not in ("w", "r") and uri not in (W_NS, R_NS)}
    nsmap.update(w=W_NS, r=R_NS)
    made = etree.Element(root.tag, dict(root.attrib), nsmap=nsmap)
    made.text = root.text
    for child in root:
        made.append(copy.deepcopy(child))
    return made


def _main_part(element: Any) -> tuple[str, str, SectionProperties]:
    """The main part's XML before and after the body's content, and the final sectPr."""
    root = _normalised(element)
    if root is element:
        root = copy.deepcopy(element)         # marked below: python-docx's own stays as it is
    sectpr = root.find(f"{W}body/{W}sectPr")
    marker = secrets.token_hex(8)
    kept = [child for child in sectpr if isinstance(child.tag, str)]
    for child in list(sectpr):
        if not isinstance(child.tag, str):
            sectpr.remove(child)
    for child in kept:
        child.addprevious(etree.Comment(marker))
    sectpr.append(etree.Comment(marker))
    sectpr.addprevious(etree.Comment("b" + marker))
    sectpr.addnext(etree.Comment("e" + marker))
    text = etree.tostring(root, encoding="unicode")
    start, rest = text.split(f"<!--b{marker}-->")
    sect_text, end = rest.split(f"<!--e{marker}-->")
    pieces = [piece.strip() for piece in sect_text.split(f"<!--{marker}-->")]
    prefixes = {uri: prefix for prefix, uri in root.nsmap.items() if prefix}
    page = cols = None
    cols_inner = ""
    children = []
    for child, xml in zip(kept, pieces[1:-1], strict=True):
        qname = etree.QName(child)
        local = qname.localname if qname.namespace == W_NS else ""
        children.append((local, xml))
        if local == "pgSz":
            page = _attributes(child, prefixes)
        elif local == "cols":
            cols = _attributes(child, prefixes)
            cols_inner = xml[xml.index(">") + 1:xml.rindex("<")] if len(child) else ""
    return start, end, SectionProperties(pieces[0], tuple(children), page, cols, cols_inner)


def _attributes(element: Any, prefixes: dict[str, str]) -> tuple[tuple[str, str], ...] | None:
    """An element's attributes by prefixed name; None when one is in an undeclared namespace."""
    found = []
    for name, value in element.attrib.items():
        qname = etree.QName(name)
        if qname.namespace is None:
            found.append((qname.localname, value))
        elif qname.namespace in prefixes:
            found.append((f"{prefixes[qname.namespace]}:{qname.localname}", value))
        else:
            return None
    return tuple(found)


def _running_part(name: str, element: Any) -> RunningPart:
    root = _normalised(element)
    text = "".join(root.itertext())
    instructions = "".join(f.get(W + "instr", "") for f in root.iter(W + "fldSimple"))
    pictures = root.find(f".//{W}drawing") is not None or root.find(f".//{W}pict") is not None
    if root is element:
        root = copy.deepcopy(element)
    marker = secrets.token_hex(8)
    root.insert(0, etree.Comment("b" + marker))
    root.append(etree.Comment("e" + marker))
    serialised = etree.tostring(root, encoding="unicode")
    start, rest = serialised.split(f"<!--b{marker}-->")
    content, end = rest.split(f"<!--e{marker}-->")
    return RunningPart(name=name, start=start, content=content, end=end, text=text,
                       instructions=instructions, blank=not text.strip() and not pictures)
