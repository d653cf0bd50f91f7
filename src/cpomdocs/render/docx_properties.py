"""Custom document properties (docProps/custom.xml): what a DOCX was built from.

`cpomdocs import docx` reads them back to know the contract, the document, its version and the
commit to rebuild; Word shows them under Fichier › Propriétés › Personnalisation, and both Word
and LibreOffice keep them when they save.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from xml.sax.saxutils import escape, quoteattr

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
