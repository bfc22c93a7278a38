"""The report as PDF: the Word report, converted by LibreOffice running headless.

LibreOffice lays the document out as Word would and works out the page numbers of the
contents (PAGEREF fields to each heading) as it does, so the PDF's contents carry them. Each
process converts with a profile of its own in a temporary folder, so parallel runs and a
desktop LibreOffice never collide, and each conversion within a bounded time.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from palermo.errors import PalermoError
from palermo.report.content import ReportContent

TIMEOUT = 300          # seconds; a 200-page full report converts in well under a minute
INSTALL_HINT = ("PDF output needs LibreOffice: install the Debian package "
                "libreoffice-writer-nogui (or LibreOffice from libreoffice.org) so that the "
                "soffice command is on the PATH")


class ConversionError(PalermoError):
    """LibreOffice is missing, or it failed to convert the document."""


def soffice() -> str:
    """The LibreOffice command: $PALERMO_SOFFICE, or soffice / libreoffice on the PATH."""
    chosen = os.environ.get("PALERMO_SOFFICE")
    found = shutil.which(chosen) if chosen else (shutil.which("soffice")
                                                  or shutil.which("libreoffice"))
    if not found:
        raise ConversionError(INSTALL_HINT)
    return found


_PROFILES: dict[int, tempfile.TemporaryDirectory[str]] = {}


def _profile(folder: Path) -> Path:
    """The LibreOffice profile to convert with.

    Making a profile takes seconds, so the main process makes one and reuses it (removed at
    exit). A batch's worker processes end without running exit handlers, so each of their
    conversions uses a profile inside its own temporary folder, removed with it.
    """
    import multiprocessing

    if multiprocessing.parent_process() is not None:
        return folder / "profile"
    pid = os.getpid()
    if pid not in _PROFILES:
        _PROFILES[pid] = tempfile.TemporaryDirectory(prefix="palermo-lo-")
    return Path(_PROFILES[pid].name)


def docx_to_pdf(data: bytes, *, timeout: int = TIMEOUT) -> bytes:
    """Convert .docx bytes to PDF bytes with LibreOffice."""
    command = soffice()
    with tempfile.TemporaryDirectory(prefix="palermo-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "report.docx"
        source.write_bytes(data)
        profile = _profile(folder).as_uri()
        try:
            result = subprocess.run(  # noqa: S603 - our own command and temporary files
                [command, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                 "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(folder), str(source)],
                capture_output=True, timeout=timeout, check=False, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise ConversionError(f"LibreOffice did not convert the report to PDF within "
                                  f"{timeout} s") from None
        except OSError as exc:
            raise ConversionError(f"cannot run LibreOffice ({command}): {exc.strerror}") from None
        pdf = folder / "report.pdf"
        if result.returncode != 0 or not pdf.is_file():
            said = " ".join(result.stderr.decode("utf-8", "replace").split())[:200]
            raise ConversionError("LibreOffice could not convert the report to PDF"
                                  + (f": {said}" if said else ""))
        return pdf.read_bytes()


def render_pdf(content: ReportContent, *, reference_doc: Path | None = None) -> bytes:
    """The report as PDF bytes (LibreOffice is looked for before any work is done)."""
    from palermo.report.docx import render_docx

    soffice()
    return docx_to_pdf(render_docx(content, reference_doc=reference_doc))
