"""The DOCX package written once, reproducibly: its parts as python-docx holds them, the body
put in place as bytes, one zip with fixed dates, permissions and entry order.

Saving through python-docx and then rewriting the zip compressed every part twice (level 6,
then level 1 after a decompression): a third of the DOCX time on a contract. The body is not
parsed either: docx_body writes well-formed XML, and lxml would only give the same bytes back.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

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
