"""The Word report: a finished legislative assessment, laid out from the report content.

`base` holds the prepared starting document (house style or an organisation's reference
document, prepared once by `prepare` and cached), `ooxml` writes WordprocessingML as text,
`page` and `layout` lay the report's parts out, and `package` writes the .docx archive.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from palermo.report.content import ReportContent
from palermo.report.docx.base import prepared_base
from palermo.report.docx.layout import Layout
from palermo.report.docx.package import (
    REPORT_LEVEL,
    Member,
    core_properties_xml,
    deflated,
    zip_archive,
)


def render_docx(content: ReportContent, *, reference_doc: Path | None = None) -> bytes:
    """The Word report as .docx bytes."""
    base = prepared_base(None if reference_doc is None else Path(reference_doc))
    layout = Layout(base, content)
    layout.build()
    written = layout.finish()
    written[base.core] = core_properties_xml(_properties(content),
                                             _dt.datetime.now(_dt.timezone.utc))
    members = [member if isinstance(member, Member) else
               deflated(member, written[member], REPORT_LEVEL) for member in base.members]
    return zip_archive(members)


def _properties(content: ReportContent) -> list[tuple[str, str]]:
    """The document's properties, as Word's File > Info shows them."""
    return [("dc:title", f"{content.title}: {content.state}"[:250]),
            ("dc:subject", content.subtitle[:250]),
            ("dc:creator", (content.assessor or "palermo")[:250]),
            ("cp:keywords", "UNTOC; Palermo Protocols; legislative assessment"),
            ("dc:description", f"Catalog of obligations version {content.catalog_version}"),
            ("cp:lastModifiedBy", content.generator),
            ("cp:revision", "1"),
            ("cp:category", "Legislative gap assessment")]
