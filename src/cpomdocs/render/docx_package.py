"""The DOCX package written once, reproducibly: its parts as python-docx holds them, the body
put in place as bytes, one zip with fixed dates, permissions and entry order.

Saving through python-docx and then rewriting the zip compressed every part twice (level 6,
then level 1 after a decompression): a third of the DOCX time on a contract. The body is not
parsed either: docx_body writes well-formed XML, and lxml would only give the same bytes back.

Custom document properties (docProps/custom.xml): what a DOCX was built from.

`cpomdocs import docx` reads them back to know the contract, the document, its version and the
commit to rebuild; Word shows them under Fichier › Propriétés › Personnalisation, and both Word
and LibreOffice keep them when they save.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from cpomdocs.errors import RenderError

if TYPE_CHECKING:
    from docx.document import Document
    from docx.opc.packuri import PackURI

# What the template's `{{p body }}` receives: a comment, which the template pass keeps as it is
# and which user text cannot produce (docx_xml.text() escapes « < »).
BODY_MARK = "<!--cpomdocs:corps-->"
COMPRESSED_MEDIA = (".png", ".jpeg", ".jpg", ".gif")
Entries = list[tuple[str, bytes]]


class _EntryList:
    """Stands for python-docx's zip writer: keeps each entry, in the order it comes."""

    def __init__(self) -> None:
        self.entries: Entries = []

    def write(self, uri: PackURI, blob: bytes) -> None:
        self.entries.append((uri.membername, blob))


def package_entries(document: Document, body: str, template: str) -> Entries:
    """The package's entries in python-docx's order, `body` in place of BODY_MARK."""
    from docx.opc.pkgwriter import PackageWriter

    package = document.part.package
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    collected = _EntryList()
    # PackageWriter.write() minus its zip file: the same three steps, into the list.
    PackageWriter._write_content_types_stream(collected, parts)
    PackageWriter._write_pkg_rels(collected, package.rels)
    PackageWriter._write_parts(collected, parts)
    main = document.part.partname.membername
    entries = []
    for name, blob in collected.entries:
        if name == main:
            blob = place_body(blob, body, template)
        entries.append((name, blob))
    return entries


def place_body(xml: bytes, body: str, template: str) -> bytes:
    """The main part with the body's XML where the template's body tag was."""
    mark = BODY_MARK.encode()
    if xml.count(mark) != 1:
        raise RenderError(
            f"{template}: la balise {{{{p body }}}} du modèle DOCX doit y figurer une seule fois"
        )
    before, after = xml.split(mark)
    return b"".join((before, body.encode("utf-8"), after))


def write_zip(
    entries: Entries,
    when: datetime | None = None,
    parts: dict[str, Callable[[bytes], bytes]] | None = None,
) -> bytes:
    """A zip of `entries` with one date, fixed permissions and their order: reproducible.

    `parts` changes entries on the way (name → new content from the old; a missing name is
    added at the end, from b"").
    """
    parts = parts or {}
    stamp = (1980, 1, 1, 0, 0, 0)
    if when is not None and when.year >= 1980:
        stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    names = {name for name, _ in entries}
    entries = entries + [(name, b"") for name in parts if name not in names]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in entries:
            if name in parts:
                content = parts[name](content)
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.create_system = 3
            entry.external_attr = 0o644 << 16
            # Pictures are compressed already: stored as they are. XML: level 1 takes a third
            # of level 6's time for a file a few per cent bigger.
            compressed = name.lower().endswith(COMPRESSED_MEDIA)
            entry.compress_type = zipfile.ZIP_STORED if compressed else zipfile.ZIP_DEFLATED
            target.writestr(entry, content, compresslevel=1)
    return out.getvalue()


def normalise_zip(
    data: bytes,
    when: datetime | None = None,
    parts: dict[str, Callable[[bytes], bytes]] | None = None,
) -> bytes:
    """Rewrite a zip reproducibly (write_zip), its entries in the same order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    entries = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    return write_zip(entries, when, parts)


CUSTOM_PART = "docProps/custom.xml"
CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_RELATION = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
)
PROPERTIES_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
FORMAT_ID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the one every Office custom property uses
PREFIX = "cpomdocs."
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def custom_xml(properties: dict[str, str]) -> bytes:
    """docProps/custom.xml holding `properties` as text properties, in the given order."""
    items = [
        f'<property fmtid="{FORMAT_ID}" pid="{pid}" name={quoteattr(name)}>'
        f"<vt:lpwstr>{escape(_INVALID_XML.sub('', value))}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(properties.items(), start=2)
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{PROPERTIES_NS}" xmlns:vt="{VT_NS}">{"".join(items)}</Properties>'
    ).encode()


def custom_parts(properties: dict[str, str]) -> dict[str, Callable[[bytes], bytes]]:
    """How each zip entry changes so that the package holds `properties`: the part itself, its
    content type and its relationship (for docx_package.write_zip, which writes the zip anyway)."""
    if not properties:
        return {}
    override = f'<Override PartName="/{CUSTOM_PART}" ContentType="{CUSTOM_TYPE}"/>'.encode()
    relation = (
        f'<Relationship Id="rIdCpomdocsCustom" Type="{CUSTOM_RELATION}" Target="{CUSTOM_PART}"/>'
    ).encode()

    def types(content: bytes) -> bytes:
        if CUSTOM_PART.encode() in content:
            return content
        return content.replace(b"</Types>", override + b"</Types>")

    def relations(content: bytes) -> bytes:
        if CUSTOM_RELATION.encode() in content:
            return content
        return content.replace(b"</Relationships>", relation + b"</Relationships>")

    return {
        "[Content_Types].xml": types,
        "_rels/.rels": relations,
        CUSTOM_PART: lambda _: custom_xml(properties),
    }


def read_custom_properties(package: zipfile.ZipFile) -> dict[str, str]:
    """The text custom properties of an open DOCX package, by name ({} when it has none)."""
    from xml.etree import ElementTree

    if CUSTOM_PART not in package.namelist():
        return {}
    root = ElementTree.fromstring(package.read(CUSTOM_PART))
    found = {}
    for item in root.iter(f"{{{PROPERTIES_NS}}}property"):
        found[item.get("name", "")] = "".join(item.itertext()).strip()
    return found
