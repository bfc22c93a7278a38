"""The base of every Word report: palermo's house style or an organisation's reference document.

The base is prepared once (`prepare.py`, with python-docx: styles, bullet numbering, the
setting that refreshes fields on opening, the running header and footer parts) and kept as
plain data, a `PreparedBase`: every part of the package already deflated, the main part's
XML around its body, the final section's properties, the style ids, the text width, the
header and footer as text. It is kept in the user's cache under a key made of palermo's
code, python-docx's default template and the reference document's bytes, so that a report
from a cached base needs neither python-docx nor lxml.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NamedTuple

from palermo import cache
from palermo.report.docx.ooxml import esc, xml_bytes
from palermo.report.docx.package import XML_DECLARATION, Member

TABLE_STYLE = "Palermo Table"
PARAGRAPH_STYLES = ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Quote",
                    "Caption", "List Bullet")
MUTED = "595959"
ACCENT = "1F3864"
A4 = (11906, 16838)      # twips
_CACHE_KIND = "docxbase"

# The children of w:sectPr in the schema's order (headerReference and footerReference first).
_SECT_ORDER = ("headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz",
               "pgMar", "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt",
               "vAlign", "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter",
               "docGrid", "printerSettings", "sectPrChange")
Attributes = tuple[tuple[str, str], ...]      # (prefixed name, value), in document order


class SectionProperties(NamedTuple):
    """The base's final w:sectPr as text, and what a section of the report changes in it.

    `children` are (local name, XML) pairs, the local name empty for an element of another
    namespace; w:pgSz and w:cols also carry their attributes, so that a landscape or
    two-column section can rewrite them.
    """

    start: str
    children: tuple[tuple[str, str], ...]
    page: Attributes | None = None           # w:pgSz's attributes (None: none, or unknown)
    cols: Attributes | None = None
    cols_inner: str = ""

    def xml(self, *, title_page: bool | None = None, landscape: bool = False,
            columns: int = 1, continuous: bool = False) -> str:
        """The section's properties; `title_page` None keeps the base's first-page setting."""
        children = list(self.children)
        if title_page is False:
            children = [c for c in children if c[0] != "titlePg"]
        elif title_page and not any(c[0] == "titlePg" for c in children):
            _insert(children, "titlePg", "<w:titlePg/>")
        if continuous:
            _replace(children, "type", '<w:type w:val="continuous"/>')
        if landscape and (self.page is not None or all(c[0] != "pgSz" for c in children)):
            _replace(children, "pgSz", _element("pgSz", _landscape(self.page or ())))
        if columns > 1 and self.cols is not None:
            changed = _set(_set(self.cols, "w:num", str(columns)), "w:space", "397")
            _replace(children, "cols", _element("cols", changed, self.cols_inner))
        return f"{self.start}{''.join(xml for _, xml in children)}</w:sectPr>"


def _landscape(page: Attributes) -> Attributes:
    """The page turned: width and height swapped when it stands upright, orient set."""
    values = dict(page)
    width, height = values.get("w:w"), values.get("w:h")
    if width and height and width.isdigit() and height.isdigit() and int(width) < int(height):
        page = _set(_set(page, "w:w", height), "w:h", width)
    return _set(page, "w:orient", "landscape")


def _set(attributes: Attributes, name: str, value: str) -> Attributes:
    if any(key == name for key, _ in attributes):
        return tuple((key, value if key == name else old) for key, old in attributes)
    return (*attributes, (name, value))


def _element(local: str, attributes: Attributes, inner: str = "") -> str:
    attrs = "".join(f' {key}="{esc(value)}"' for key, value in attributes)
    return f"<w:{local}{attrs}>{inner}</w:{local}>" if inner else f"<w:{local}{attrs}/>"


def _replace(children: list[tuple[str, str]], local: str, xml: str) -> None:
    for n, (name, _) in enumerate(children):
        if name == local:
            children[n] = (local, xml)
            return
    _insert(children, local, xml)


def _insert(children: list[tuple[str, str]], local: str, xml: str) -> None:
    """Insert a child at its place in the schema's order."""
    rank = _SECT_ORDER.index(local)
    for n, (name, _) in enumerate(children):
        if name in _SECT_ORDER and _SECT_ORDER.index(name) > rank:
            children.insert(n, (local, xml))
            return
    children.append((local, xml))


class RunningPart(NamedTuple):
    """A header or footer part as text: its XML around what it holds, and what it shows."""

    name: str                # the part's name in the package, e.g. word/header1.xml
    start: str               # the root element's start tag
    content: str             # what it holds, as XML
    end: str                 # the root element's end tag
    text: str                # its text
    instructions: str        # the instructions of its simple fields
    blank: bool              # no text and no picture: palermo's line takes its place

    def shows_page_number(self) -> bool:
        return "PAGE" in self.instructions or " PAGE " in self.text

    def with_paragraph(self, paragraph: str) -> bytes:
        """The part with a paragraph added after what it holds (in place of it, if blank)."""
        kept = "" if self.blank else self.content
        return xml_bytes(f"{XML_DECLARATION}{self.start}{kept}{paragraph}{self.end}")

    def unchanged(self) -> bytes:
        return f"{XML_DECLARATION}{self.start}{self.content}{self.end}".encode()


class PreparedBase(NamedTuple):
    """Everything a report takes from its base document, as plain data (see the module)."""

    house: bool                               # palermo's own style, not a reference document
    members: tuple[Member | str, ...]         # the package in order; a name: written per report
    main: str                                 # the main part's name
    main_start: str                           # its XML up to and including <w:body>
    main_end: str                             # from </w:body>
    section: SectionProperties
    styles: dict[str, str | None]             # paragraph style name -> style id (None: absent)
    table_style: str | None
    portrait_width: int                       # text width in twips, upright and turned
    landscape_width: int
    header: RunningPart
    footer: RunningPart
    core: str                                 # the core properties part's name
    notes: tuple[str, ...] = ()               # what the reference document lost (said once)


_PREPARED: dict[str, PreparedBase] = {}       # this process's bases, by cache key
_KEPT = 8                                     # bases kept in memory (a batch uses one)
_NOTED: set[tuple[str, str]] = set()          # (key, path) whose notes were said


def _template_stamp() -> str:
    """python-docx's default template (the house style's start), by location, size and time.

    Found along sys.path as `import docx` would find it, without importing python-docx.
    """
    for folder in sys.path:
        template = os.path.join(folder or ".", "docx", "templates", "default.docx")
        try:
            info = os.stat(template)
        except OSError:
            continue
        return f"{template}\0{info.st_size}\0{info.st_mtime_ns}"
    return "no python-docx"


def prepared_base(reference: Path | None) -> PreparedBase:
    """The base for a report: house style, or the reference document (read within bounds).

    Notes on what was left out of a reference document go to stderr once per process and
    path, whether the base was prepared now or comes from the cache.
    """
    data = b""
    if reference is not None:          # refdoc imports zipfile: only for a reference document
        from palermo.refdoc import read_bounded

        data = read_bounded(reference)
    # The kind is part of the key: an empty reference file must never find the house base.
    kind = "house" if reference is None else "reference"
    key = cache.content_key(_CACHE_KIND, kind, _template_stamp(), data)
    base = _PREPARED.get(key)
    if base is None:
        found = cache.load_object(_CACHE_KIND, key)
        if isinstance(found, PreparedBase):
            base = found
        else:
            from palermo.report.docx.prepare import prepare

            base = prepare(reference, data)
            cache.store_object(_CACHE_KIND, key, base)
        while len(_PREPARED) >= _KEPT:
            del _PREPARED[next(iter(_PREPARED))]    # the one first kept
        _PREPARED[key] = base
    if base.notes and (key, str(reference)) not in _NOTED:
        from palermo.refdoc import say_notes

        _NOTED.add((key, str(reference)))
        say_notes(str(reference), base.notes)
    return base
