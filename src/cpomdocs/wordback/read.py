"""A returned DOCX read as paragraphs: their text as accepted, tracked changes, bookmarks.

Reads only word/document.xml (the body), its comments and notes, and the custom properties, with
lxml, refusing what is not a DOCX: a password-protected file (an OLE container), a damaged zip,
XML that does not parse.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cpomdocs.errors import CpomError
from cpomdocs.render.docx_package import CUSTOM_PART, read_custom_properties
from cpomdocs.wordback.paragraphs import BodyReader, W, WordParagraph, join_deleted_marks
from cpomdocs.wordback.remarks import COMMENTS_PART, NOTES_PARTS, Remark, read_remarks

if TYPE_CHECKING:
    from lxml.etree import _Element as Element

BODY_PART = "word/document.xml"
STYLES_PART = "word/styles.xml"
CORE_PART = "docProps/core.xml"
# the only parts ever unpacked
READ_PARTS = (BODY_PART, STYLES_PART, CORE_PART, CUSTOM_PART, COMMENTS_PART, *NOTES_PARTS)
DAMAGED = (zipfile.BadZipFile, zlib.error, KeyError, OSError, EOFError, ValueError)  # bad zip
MAX_PART_BYTES = 16 * 2**20  # the largest body built is 0.5 MB (2 MB once Word re-saves it)
MAX_PARAGRAPHS = 20_000  # the largest document built has 1 061: 60 MB of them took 66 s, 2.3 GB
MAX_FILE_BYTES = 256 * 2**20  # photos included; the file is read whole (1 GB took 1.1 GB)
# the zip's table of contents, parsed whole by zipfile: 1 million empty parts (a 92 MB file)
# took 25 s and 730 MB; Word writes 20 to 300 parts, about 100 bytes of directory each
MAX_DIRECTORY_BYTES = 2**20
HEADER_FOOTER = re.compile(r"word/(?:header|footer)[0-9]*\.xml")
MAX_HEADER_PARTS = 60  # first page, even pages and the others, per section: a contract has 4
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
TOC_STYLES = ("toc", "contents", "table des matières", "sommaire", "index")


class WordbackError(CpomError):
    """Raised when a returned DOCX cannot be imported; nothing has been written."""


@dataclass
class WordDocument:
    """A DOCX's body paragraphs and its custom properties."""

    paragraphs: list[WordParagraph]
    properties: dict[str, str]
    last_author: str = ""
    modified: str = ""
    removed: list[WordParagraph] = field(default_factory=list)  # deleted whole, with tracking
    created: str = ""  # when cpomdocs built it (core property, ISO 8601): the document's date
    remarks: list[Remark] = field(default_factory=list)  # comments, notes, text boxes


def open_package(data: bytes, name: str) -> zipfile.ZipFile:
    """The DOCX package, or a French error saying why the file is not one."""
    if data.startswith(OLE_MAGIC):
        raise WordbackError(
            f"{name} : fichier protégé par un mot de passe (ou ancien format .doc) : "
            "enregistrez-le sans mot de passe au format .docx, puis relancez l'import"
        )
    if _directory_bytes(data) > MAX_DIRECTORY_BYTES:
        raise WordbackError(
            f"{name} : document trop volumineux pour être importé (sommaire du zip de plus de "
            f"{MAX_DIRECTORY_BYTES // 2**20} Mo : des milliers de parties, ce n'est pas un "
            "document enregistré par Word ou LibreOffice)"
        )
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        package.getinfo(BODY_PART)
    except (zipfile.BadZipFile, KeyError, OSError):
        raise WordbackError(
            f"{name} : fichier illisible ou endommagé : ce n'est pas un document Word (.docx)"
        ) from None
    # every part read, not only the body, is a possible bomb (zipfile unpacks no more than this)
    names = set(package.namelist())
    if any(package.getinfo(p).file_size > MAX_PART_BYTES for p in READ_PARTS if p in names):
        raise WordbackError(f"{name} : document trop volumineux pour être importé")
    return package


def _directory_bytes(data: bytes) -> int:
    """The size of a zip's central directory, as its end record says (0 when there is none:
    zipfile then says the file is not a zip); a ZIP64 one counts as too large."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 65_535))
    if end < 0 or end + 22 > len(data):
        return 0
    entries, size = struct.unpack_from("<HI", data, end + 10)
    return MAX_DIRECTORY_BYTES + 1 if entries == 0xFFFF or size == 0xFFFFFFFF else size


def _xml(package: zipfile.ZipFile, part: str, name: str) -> Element:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(package.read(part), parser)
    except (etree.XMLSyntaxError, *DAMAGED):
        raise WordbackError(
            f"{name} : fichier endommagé : la partie {part} n'est pas du XML lisible"
        ) from None


def _toc_styles(package: zipfile.ZipFile, name: str) -> set[str]:
    """Style ids of table-of-contents paragraphs (« toc 1 », LibreOffice's « Contents 1 »)."""
    if STYLES_PART not in package.namelist():
        return set()
    found = set()
    for style in _xml(package, STYLES_PART, name).iter(f"{W}style"):
        label = style.find(f"{W}name")
        text = (label.get(f"{W}val") if label is not None else "") or ""
        style_id = style.get(f"{W}styleId") or ""
        if text.lower().startswith(TOC_STYLES) or style_id.lower().startswith(TOC_STYLES):
            found.add(style_id)
    return found


def _custom_properties(package: zipfile.ZipFile, name: str) -> dict[str, str]:
    from xml.etree.ElementTree import ParseError

    try:
        return read_custom_properties(package)
    except (ParseError, *DAMAGED):
        raise WordbackError(
            f"{name} : fichier endommagé : la partie {CUSTOM_PART} n'est pas du XML lisible"
        ) from None


def read_docx(path: Path) -> WordDocument:
    """Read a DOCX file into paragraphs; a French WordbackError when it is not a DOCX."""
    from babel.numbers import format_decimal

    if not path.is_file():
        raise WordbackError(f"{path} : fichier introuvable (un fichier .docx était attendu)")
    try:
        if (size := path.stat().st_size) > MAX_FILE_BYTES:
            shown = format_decimal(size // 2**20, locale="fr_FR")
            raise WordbackError(f"{path} : document trop volumineux pour être importé "
                                f"({shown} Mo) : {MAX_FILE_BYTES // 2**20} Mo au plus")  # fmt: skip
        data = path.read_bytes()
    except OSError:
        raise WordbackError(f"{path} : fichier illisible (droits d'accès ?)") from None
    return read_docx_bytes(data, str(path))


def read_docx_bytes(data: bytes, name: str) -> WordDocument:
    """Read DOCX bytes into paragraphs (`name` only names the file in messages)."""
    package = open_package(data, name)
    body = _xml(package, BODY_PART, name)
    if (count := sum(1 for _ in body.iter(f"{W}p"))) > MAX_PARAGRAPHS:
        from babel.numbers import format_decimal

        shown = format_decimal(count, locale="fr_FR")
        most = format_decimal(MAX_PARAGRAPHS, locale="fr_FR")
        raise WordbackError(f"{name} : document trop long pour être importé ({shown} "
                            f"paragraphes, {most} au plus)")  # fmt: skip
    reader = BodyReader(_toc_styles(package, name))
    reader.walk(body)
    core = {}
    if CORE_PART in package.namelist():
        root = _xml(package, CORE_PART, name)
        core = {child.tag.rsplit("}", 1)[-1]: (child.text or "") for child in root}
    removed: list[WordParagraph] = []
    return WordDocument(
        join_deleted_marks(reader.paragraphs, removed),
        _custom_properties(package, name),
        core.get("lastModifiedBy", ""),
        core.get("modified", ""),
        removed,
        core.get("created", ""),
        read_remarks(
            package, body, lambda part: _xml(package, part, name), _headers(package, name)
        ),
    )


def _headers(package: zipfile.ZipFile, name: str) -> list[Element]:
    """The headers' and footers' parts, a bounded number of bounded size."""
    parts = sorted(p for p in package.namelist() if HEADER_FOOTER.fullmatch(p))
    size = sum(package.getinfo(p).file_size for p in parts)
    if len(parts) > MAX_HEADER_PARTS or size > MAX_PART_BYTES:
        raise WordbackError(f"{name} : document trop volumineux pour être importé (en-têtes)")
    return [_xml(package, part, name) for part in parts]
