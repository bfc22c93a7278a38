"""The .docx package: its parts deflated and written as a zip archive, and its properties.

Most parts of a report (styles, theme, numbering, settings, fonts) are the same in every
report made from one base, so they are deflated once, when the base is prepared, and stored
deflated; only the parts a report changes (the main part, the running header and footer,
the document properties) are deflated as each report is written. The archive is written
here rather than by `zipfile`, which cannot take data that is already deflated.
"""

from __future__ import annotations

import datetime as _dt
import struct
import time
import zlib
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from palermo.report.docx.ooxml import esc, xml_bytes

XML_DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
# Deflate levels: the parts shared by every report once, as small as they get; the parts of
# each report at a level that takes a third of the default's time for a file a sixth larger.
STORED_LEVEL = 9
REPORT_LEVEL = 1
_ZIP_LIMIT = 0xFFFFFFFF          # sizes and offsets beyond this would need Zip64
_MADE_BY = (3 << 8) | 20         # Unix, zip 2.0
_FILE_MODE = 0o600 << 16         # rw for the owner, as python-docx's zipfile writes it


class Member(NamedTuple):
    """One part of the package, deflated: its name, CRC-32, size, and deflated bytes."""

    name: str
    crc: int
    size: int
    deflated: bytes


def deflated(name: str, data: bytes, level: int = REPORT_LEVEL) -> Member:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)      # raw deflate, as zip keeps it
    return Member(name, zlib.crc32(data), len(data), compressor.compress(data)
                  + compressor.flush())


def _dos_time(moment: time.struct_time) -> tuple[int, int]:
    year = max(moment.tm_year, 1980)
    return ((moment.tm_hour << 11) | (moment.tm_min << 5) | (moment.tm_sec // 2),
            ((year - 1980) << 9) | (moment.tm_mon << 5) | moment.tm_mday)


def zip_archive(members: Sequence[Member]) -> bytes:
    """The zip archive of the members, in their order ([Content_Types].xml first for Word)."""
    clock, date = _dos_time(time.localtime())
    local: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for member in members:
        name = member.name.encode("utf-8")
        flags = 0 if name.isascii() else 0x800           # bit 11: the name is UTF-8
        if max(member.size, len(member.deflated), offset) >= _ZIP_LIMIT:
            raise ValueError(f"{member.name}: too large for a zip archive without Zip64")
        fields = (20, flags, 8, clock, date, member.crc, len(member.deflated), member.size,
                  len(name))
        header = struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0) + name
        local.extend((header, member.deflated))
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, _MADE_BY, *fields, 0, 0,
                                   0, 0, _FILE_MODE, offset) + name)
        offset += len(header) + len(member.deflated)
    directory = b"".join(central)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members),
                      len(directory), offset, 0)
    return b"".join((*local, directory, end))


_CORE_NAMESPACES = (
    'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"')


def core_properties_xml(properties: Iterable[tuple[str, str]], moment: _dt.datetime) -> bytes:
    """docProps/core.xml: (element, text) pairs such as ("dc:title", ...), then the dates."""
    t = moment.astimezone(_dt.timezone.utc)       # W3CDTF, as Word writes it
    stamp = f"{t.year:04d}-{t.month:02d}-{t.day:02d}T{t.hour:02d}:{t.minute:02d}:{t.second:02d}Z"
    parts = [f"{XML_DECLARATION}<cp:coreProperties {_CORE_NAMESPACES}>"]
    parts.extend(f"<{tag}>{esc(text)}</{tag}>" for tag, text in properties)
    parts.append(f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
                 f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
                 "</cp:coreProperties>")
    return xml_bytes("".join(parts))
