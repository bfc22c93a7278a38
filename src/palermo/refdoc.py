"""An organisation's reference document, reduced to what a report takes from it.

A report takes from a reference .docx its styles, numbering, theme, fonts, page setup,
headers and footers, and nothing else. Everything else is left out before python-docx sees
the file: external relationships (an attached template, linked images, hyperlinks — Word
fetches them on opening), macros (vbaProject.bin), ActiveX controls and embedded objects,
custom XML, document properties, and field codes that fetch or run something (INCLUDETEXT,
INCLUDEPICTURE, DDE). What is dropped is said on stderr.

The file is also bounded before it is unpacked: its own size, the number of members, each
member's declared size (a 1 MB file may declare a 1 GB image) and their total.
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import stat
import sys
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from palermo.errors import InputError, cut, printable
from palermo.fsio import open_regular

MAX_FILE_BYTES = 50 * 2**20       # the .docx itself
MAX_MEMBERS = 2000
MAX_MEMBER_BYTES = 32 * 2**20     # one member, unpacked (styles.xml of Word is 0.4 MB)
MAX_TOTAL_BYTES = 128 * 2**20     # all members kept, unpacked

_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_OFFICE_DOCUMENT = _R + "/officeDocument"

# Which relationships are followed, by the kind of part they start from (type URI's last word).
_FOLLOWED = {
    "document": {"styles", "stylesWithEffects", "numbering", "theme", "fontTable", "settings",
                 "header", "footer", "footnotes", "endnotes"},
    "header": {"image"}, "footer": {"image"}, "footnotes": {"image"}, "endnotes": {"image"},
    "theme": {"image"}, "numbering": {"image"}, "fontTable": {"font"},
}
_MACRO_PART = re.compile(r"vbaProject|vbaData|activeX|attachedToolbars|customizations|"
                         r"keyMapCustomizations|embeddings/|\.bin$", re.IGNORECASE)
_MACRO_TYPE = re.compile(r"macroEnabled|vbaProject|activeX|oleObject", re.IGNORECASE)
# Settings that make Word fetch or link something when the report is opened.
_SETTINGS_DROPPED = ("attachedTemplate", "linkStyles", "mailMerge", "saveThroughXslt",
                     "attachedSchema", "docVars")
_RISKY_FIELDS = {"INCLUDETEXT", "INCLUDEPICTURE", "INCLUDE", "IMPORT", "LINK", "DDE", "DDEAUTO",
                 "HYPERLINK", "DATABASE", "AUTOTEXT", "MACROBUTTON", "QUOTE"}
_URL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*://|\\\\)", re.IGNORECASE)


def _refuse(message: str, path: str) -> InputError:
    return InputError(message, path=path)


def read_bounded(path: Path) -> bytes:
    """The reference document's bytes: a regular file of at most MAX_FILE_BYTES."""
    shown = str(path)
    try:
        with open_regular(path) as handle:
            info = os.fstat(handle.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise _refuse("reference document is a directory, expected a .docx file", shown)
            if not stat.S_ISREG(info.st_mode):
                raise _refuse("reference document is not a regular file", shown)
            if info.st_size > MAX_FILE_BYTES:
                raise _refuse(f"reference document too large ({info.st_size:,} bytes; at most "
                              f"{MAX_FILE_BYTES:,})", shown)
            return handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise _refuse("reference document not found", shown) from None
    except IsADirectoryError:
        raise _refuse("reference document is a directory, expected a .docx file", shown) from None
    except OSError as exc:
        raise _refuse(f"cannot read reference document: {exc.strerror}", shown) from None


def _parse_xml(data: bytes, name: str, shown: str) -> Any:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise _refuse(f"not a Word .docx document ({cut(name)} is not valid XML: "
                      f"{cut(str(exc))})", shown) from None


def _xml_bytes(root: Any) -> bytes:
    from lxml import etree

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8",  # type: ignore[no-any-return]
                          standalone=True)


class _Package:
    """The members of the zip, read one at a time within their declared sizes."""

    def __init__(self, data: bytes, shown: str) -> None:
        self.shown = shown
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, ValueError, OSError):
            raise _refuse("not a Word .docx document (not a zip archive)", shown) from None
        if len(infos) > MAX_MEMBERS:
            raise _refuse(f"reference document has {len(infos):,} parts (at most "
                          f"{MAX_MEMBERS:,})", shown)
        self.infos = {info.filename: info for info in infos}
        self.total = 0

    def names(self) -> list[str]:
        return list(self.infos)

    def read(self, name: str) -> bytes | None:
        info = self.infos.get(name)
        if info is None:
            return None
        if info.file_size > MAX_MEMBER_BYTES:
            raise _refuse(f"reference document part {cut(name)} unpacks to {info.file_size:,} "
                          f"bytes (at most {MAX_MEMBER_BYTES:,})", self.shown)
        self.total += info.file_size
        if self.total > MAX_TOTAL_BYTES:
            raise _refuse(f"reference document unpacks to more than {MAX_TOTAL_BYTES:,} "
                          "bytes", self.shown)
        try:
            with self.zip.open(info) as member:
                data = member.read(info.file_size + 1)  # a lying header: CRC check fails
        except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError,
                EOFError, RuntimeError) as exc:
            raise _refuse(f"not a Word .docx document ({cut(name)}: {cut(str(exc))})",
                          self.shown) from None
        if len(data) > info.file_size:
            raise _refuse(f"reference document part {cut(name)} is larger than it declares",
                          self.shown)
        return data


def _rels_name(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def _target(source: str, target: str) -> str | None:
    if target.startswith("/"):
        joined = posixpath.normpath(target.lstrip("/"))
    else:
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
    return None if joined.startswith("..") or joined == "." else joined


class _Sanitiser:
    def __init__(self, package: _Package) -> None:
        self.package = package
        self.kept: dict[str, bytes] = {}
        self.external: list[tuple[str, str]] = []   # (relationship kind, target)

    def keep(self, part: str, kind: str) -> None:
        """Keep a part and what it may refer to; drop the rest of its relationships."""
        if part in self.kept:
            return
        data = self.package.read(part)
        if data is None:
            return
        self.kept[part] = b""  # placeholder: stops cycles
        dropped = self._relationships(part, kind)
        if part.endswith(".xml"):
            root = _parse_xml(data, part, self.package.shown)
            _scrub(root, dropped, settings=kind == "settings")
            data = _xml_bytes(root)
        self.kept[part] = data

    def _relationships(self, part: str, kind: str) -> set[str]:
        rels_name = _rels_name(part)
        data = self.package.read(rels_name)
        if data is None:
            return set()
        root = _parse_xml(data, rels_name, self.package.shown)
        dropped = set()
        for rel in list(root):
            rel_type = rel.get("Type", "")
            rel_kind = rel_type.rsplit("/", 1)[-1]
            target = rel.get("Target", "")
            resolved = _target(part, target)
            if rel.get("TargetMode") == "External":
                self.external.append((rel_kind, target))
            elif rel_kind in _FOLLOWED.get(kind, ()) and resolved is not None:
                self.keep(resolved, rel_kind)
                continue
            dropped.add(rel.get("Id", ""))
            root.remove(rel)
        self.kept[rels_name] = _xml_bytes(root)
        return dropped


def _scrub(root: Any, dropped: set[str], *, settings: bool) -> None:
    """Remove references to dropped relationships, fetching fields and linking settings.

    Namespace declarations stay as they are: mc:Ignorable names prefixes that must remain
    declared even when nothing uses them.
    """
    if settings:
        for name in _SETTINGS_DROPPED:
            for element in root.findall(_W + name):
                root.remove(element)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        for attribute, value in list(element.attrib.items()):
            if attribute.startswith("{" + _R + "}") and value in dropped:
                if element.tag == _W + "hyperlink":
                    _unwrap(element)
                    break
                del element.attrib[attribute]
            elif _URL.match(value):
                del element.attrib[attribute]  # a VML or DrawingML link straight to a URL
        if element.tag == _W + "instrText" and _risky(element.text or ""):
            element.text = ""
        elif element.tag == _W + "fldSimple" and _risky(element.get(_W + "instr", "")):
            _unwrap(element)


def _risky(instruction: str) -> bool:
    words = instruction.split()
    return bool(words) and words[0].upper() in _RISKY_FIELDS


def _unwrap(element: Any) -> None:
    """Replace an element by its children (a hyperlink keeps its text, loses its link)."""
    parent = element.getparent()
    if parent is None:
        return
    index = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(index + offset, child)
    parent.remove(element)


def _content_types(root: Any, kept: dict[str, bytes], main: str, shown: str) -> bytes:
    for entry in list(root):
        content_type = entry.get("ContentType", "")
        part = (entry.get("PartName") or "").lstrip("/")
        if part == main and _MACRO_TYPE.search(content_type):
            raise _refuse("is a macro-enabled Word file (.docm or .dotm); palermo never takes "
                          "macros into a report: save it as a Word document (.docx) or "
                          "template (.dotx) and give that", shown)
        unused = entry.tag == f"{{{_TYPES_NS}}}Override" and part not in kept
        if unused or _MACRO_TYPE.search(content_type):
            root.remove(entry)
    return _xml_bytes(root)


def _main_part(package: _Package) -> str:
    data = package.read("_rels/.rels")
    if data is None:
        raise _refuse("not a Word .docx document (no _rels/.rels)", package.shown)
    root = _parse_xml(data, "_rels/.rels", package.shown)
    for rel in root:
        if rel.get("Type") == _OFFICE_DOCUMENT and rel.get("TargetMode") != "External":
            found = _target("", rel.get("Target", ""))
            if found is not None:
                return found
    raise _refuse("not a Word .docx document (no main document part)", package.shown)


def sanitise(data: bytes, shown: str) -> tuple[bytes, list[str]]:
    """The reference document reduced to what a report takes, and notes on what was dropped."""
    package = _Package(data, shown)
    main = _main_part(package)
    types = package.read("[Content_Types].xml")
    if types is None:
        raise _refuse("not a Word .docx document (no [Content_Types].xml)", package.shown)
    types_root = _parse_xml(types, "[Content_Types].xml", package.shown)
    sanitiser = _Sanitiser(package)
    sanitiser.keep(main, "document")
    kept = sanitiser.kept
    kept["[Content_Types].xml"] = _content_types(types_root, kept, main, shown)
    kept["_rels/.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{_REL_NS}"><Relationship Id="rId1" Type="{_OFFICE_DOCUMENT}" '
        f'Target="/{main}"/></Relationships>').encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, blob in kept.items():
            target.writestr(name, blob)
    return out.getvalue(), _notes(sanitiser.external, package.names())


def _notes(external: list[tuple[str, str]], names: list[str]) -> list[str]:
    notes = []
    if external:
        kinds = sorted({kind for kind, _ in external})
        first = printable(cut(external[0][1]), one_line=True)
        notes.append(f"left out {len(external)} external link{'s' if len(external) > 1 else ''}"
                     f" ({', '.join(cut(k, 30) for k in kinds[:5])}; e.g. {first}): Word "
                     "would fetch them on opening")
    macros = [name for name in names if _MACRO_PART.search(name)]
    if macros:
        listed = ", ".join(printable(cut(n, 40), one_line=True) for n in macros[:3])
        notes.append(f"left out macros and embedded objects ({listed}"
                     + (f" and {len(macros) - 3} more" if len(macros) > 3 else "") + ")")
    return notes


def say_notes(shown: str, notes: Iterable[str]) -> None:
    """What sanitising left out of a reference document, one line each on stderr."""
    for note in notes:
        print(printable(f"Note: {shown}: {note}", one_line=True), file=sys.stderr)
