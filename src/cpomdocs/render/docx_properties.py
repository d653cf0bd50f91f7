"""Custom document properties (docProps/custom.xml): what a DOCX was built from.

`cpomdocs import docx` reads them back to know the contract, the document, its version and the
commit to rebuild; Word shows them under Fichier › Propriétés › Personnalisation, and both Word
and LibreOffice keep them when they save.
"""

from __future__ import annotations

import io
import re
import zipfile
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


def add_custom_properties(data: bytes, properties: dict[str, str]) -> bytes:
    """The DOCX `data` with its custom properties set (the part, its type and relationship)."""
    if not properties:
        return data
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            content = source.read(name)
            if name == "[Content_Types].xml" and CUSTOM_PART not in content.decode("utf-8"):
                override = f'<Override PartName="/{CUSTOM_PART}" ContentType="{CUSTOM_TYPE}"/>'
                content = content.replace(b"</Types>", override.encode() + b"</Types>")
            elif name == "_rels/.rels" and CUSTOM_RELATION.encode() not in content:
                relation = (
                    f'<Relationship Id="rIdCpomdocsCustom" Type="{CUSTOM_RELATION}"'
                    f' Target="{CUSTOM_PART}"/>'
                )
                content = content.replace(
                    b"</Relationships>", relation.encode() + b"</Relationships>"
                )
            elif name == CUSTOM_PART:
                continue
            target.writestr(name, content)
        target.writestr(CUSTOM_PART, custom_xml(properties))
    return out.getvalue()


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
