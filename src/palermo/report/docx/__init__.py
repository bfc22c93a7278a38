"""The Word report: a finished legislative assessment, laid out from the report content.

`ooxml` builds WordprocessingML elements, `base` prepares the styled starting document (house
style or an organisation's reference document), `layout` lays the report's sections out.
"""

from __future__ import annotations

import io
from pathlib import Path

from palermo.errors import InputError
from palermo.report.content import ReportContent
from palermo.report.docx.base import core_properties, prepared_base, save_package
from palermo.report.docx.layout import Layout


def render_docx(content: ReportContent, *, reference_doc: Path | None = None) -> bytes:
    """The Word report as .docx bytes."""
    import docx

    if reference_doc is None:
        base = prepared_base(None, None)
    else:
        path = Path(reference_doc)
        try:
            stat = path.stat()
        except FileNotFoundError:
            raise InputError("reference document not found", path=str(path)) from None
        except OSError as exc:
            raise InputError(f"cannot read reference document: {exc.strerror}",
                             path=str(path)) from None
        base = prepared_base(str(path.resolve()), (stat.st_mtime_ns, stat.st_size))
    document = docx.Document(io.BytesIO(base))
    layout = Layout(document, content, house=reference_doc is None)
    layout.build()
    main = layout.finish()
    core_properties(document, content)
    return save_package(document, main)
