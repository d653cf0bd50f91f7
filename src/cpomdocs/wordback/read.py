"""A returned DOCX read as paragraphs: their text as accepted, tracked changes, bookmarks.

Reads only word/document.xml (the body) and the custom properties, with lxml, refusing what is
not a DOCX: a password-protected file (an OLE container), a damaged zip, XML that does not parse.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cpomdocs.errors import CpomError
from cpomdocs.render.docx_properties import CUSTOM_PART, read_custom_properties

if TYPE_CHECKING:
    from lxml.etree import _Element as Element

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BODY_PART = "word/document.xml"
STYLES_PART = "word/styles.xml"
CORE_PART = "docProps/core.xml"
READ_PARTS = (BODY_PART, STYLES_PART, CORE_PART, CUSTOM_PART)  # the only parts ever unpacked
DAMAGED = (zipfile.BadZipFile, zlib.error, KeyError, OSError, EOFError, ValueError)  # bad zip
MAX_PART_BYTES = 64 * 2**20  # a CPOM body is a few MB at most: refuse zip bombs
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
INSERTED = (f"{W}ins", f"{W}moveTo")
DELETED = (f"{W}del", f"{W}moveFrom")
TOC_STYLES = ("toc", "contents", "table des matières", "sommaire", "index")


class WordbackError(CpomError):
    """Raised when a returned DOCX cannot be imported; nothing has been written."""


@dataclass
class Piece:
    """A stretch of a paragraph's text: kept, inserted or deleted (with who and when)."""

    text: str
    change: str = ""  # "ins" | "del" | ""
    author: str = ""
    date: str = ""
    bold: bool = False
    italic: bool = False


@dataclass
class WordParagraph:
    """A paragraph of the body in document order (table cells included)."""

    pieces: list[Piece] = field(default_factory=list)
    key: str = ""  # the name of its first paragraph bookmark (_p…), "" when it has none
    values: list[tuple[int, int, str]] = field(default_factory=list)  # start, end, bookmark
    table: int = 0  # 1-based number of the table holding it, 0 outside tables
    row: int = 0
    list_item: bool = False
    toc: bool = False
    mark_deleted: bool = False  # its paragraph mark is a tracked deletion: joins the next one

    @property
    def text(self) -> str:
        """The text as it reads once every tracked change is accepted."""
        return "".join(p.text for p in self.pieces if p.change != "del")

    @property
    def tracked(self) -> list[Piece]:
        """The tracked insertions and deletions of the paragraph."""
        return [p for p in self.pieces if p.change]


@dataclass
class WordDocument:
    """A DOCX's body paragraphs and its custom properties."""

    paragraphs: list[WordParagraph]
    properties: dict[str, str]
    last_author: str = ""
    modified: str = ""
    removed: list[WordParagraph] = field(default_factory=list)  # deleted whole, with tracking
    created: str = ""  # when cpomdocs built it (core property, ISO 8601): the document's date


def open_package(data: bytes, name: str) -> zipfile.ZipFile:
    """The DOCX package, or a French error saying why the file is not one."""
    if data.startswith(OLE_MAGIC):
        raise WordbackError(
            f"{name} : fichier protégé par un mot de passe (ou ancien format .doc) : "
            "enregistrez-le sans mot de passe au format .docx, puis relancez l'import"
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
    if not path.is_file():
        raise WordbackError(f"{path} : fichier introuvable (un fichier .docx était attendu)")
    try:
        data = path.read_bytes()
    except OSError:
        raise WordbackError(f"{path} : fichier illisible (droits d'accès ?)") from None
    return read_docx_bytes(data, str(path))


def read_docx_bytes(data: bytes, name: str) -> WordDocument:
    """Read DOCX bytes into paragraphs (`name` only names the file in messages)."""
    package = open_package(data, name)
    body = _xml(package, BODY_PART, name)
    reader = _BodyReader(_toc_styles(package, name))
    reader.walk(body)
    core = {}
    if CORE_PART in package.namelist():
        root = _xml(package, CORE_PART, name)
        core = {child.tag.rsplit("}", 1)[-1]: (child.text or "") for child in root}
    removed: list[WordParagraph] = []
    return WordDocument(
        _join_deleted_marks(reader.paragraphs, removed),
        _custom_properties(package, name),
        core.get("lastModifiedBy", ""),
        core.get("modified", ""),
        removed,
        core.get("created", ""),
    )


class _BodyReader:
    """Walks the body in document order, one WordParagraph per w:p."""

    def __init__(self, toc_styles: set[str]) -> None:
        self.toc_styles = toc_styles
        self.paragraphs: list[WordParagraph] = []
        self.tables = 0
        self.where: list[tuple[int, int]] = []  # (table, row) of the enclosing tables
        self.open_values: dict[str, tuple[str, int]] = {}  # bookmark id → name, start

    def walk(self, element: Element, change: Piece | None = None) -> None:
        for child in element:
            tag = child.tag
            if tag == f"{W}p":
                self.paragraph(child, change)
            elif tag == f"{W}tbl":
                self.tables += 1
                self.where.append((self.tables, 0))
                self.walk(child, change)
                self.where.pop()
            elif tag == f"{W}tr":
                table, row = self.where[-1]
                self.where[-1] = (table, row + 1)
                self.walk(child, change)
            elif tag in INSERTED or tag in DELETED:
                self.walk(child, self._change(child))
            elif isinstance(tag, str):
                self.walk(child, change)

    @staticmethod
    def _change(element: Element) -> Piece:
        kind = "ins" if element.tag in INSERTED else "del"
        return Piece("", kind, element.get(f"{W}author", ""), element.get(f"{W}date", ""))

    def paragraph(self, element: Element, change: Piece | None) -> None:
        table, row = self.where[-1] if self.where else (0, 0)
        paragraph = WordParagraph(table=table, row=row)
        properties = element.find(f"{W}pPr")
        if properties is not None:
            style = properties.find(f"{W}pStyle")
            style_id = style.get(f"{W}val") if style is not None else ""
            paragraph.toc = style_id in self.toc_styles
            paragraph.list_item = properties.find(f"{W}numPr") is not None
            mark = properties.find(f"{W}rPr")
            paragraph.mark_deleted = mark is not None and any(
                mark.find(tag) is not None for tag in DELETED
            )
        self.paragraphs.append(paragraph)
        self._inline(element, paragraph, change)

    def _inline(self, element: Element, paragraph: WordParagraph, change: Piece | None) -> None:
        for child in element:
            tag = child.tag
            if tag == f"{W}pPr" or not isinstance(tag, str):
                continue
            if tag == f"{W}bookmarkStart":
                name = child.get(f"{W}name", "")
                if name.startswith("_p") and not paragraph.key:
                    paragraph.key = name
                elif name.startswith("_v"):
                    self.open_values[child.get(f"{W}id", "")] = (name, len(paragraph.text))
            elif tag == f"{W}bookmarkEnd":
                opened = self.open_values.pop(child.get(f"{W}id", ""), None)
                if opened is not None:
                    paragraph.values.append((opened[1], len(paragraph.text), opened[0]))
            elif tag == f"{W}r":
                self._run(child, paragraph, change)
            elif tag in INSERTED or tag in DELETED:
                self._inline(child, paragraph, self._change(child))
            else:  # hyperlinks, smart tags, inline content controls, fields' containers
                self._inline(child, paragraph, change)

    @staticmethod
    def _run(run: Element, paragraph: WordParagraph, change: Piece | None) -> None:
        parts = []
        for child in run:
            if child.tag in (f"{W}t", f"{W}delText"):
                parts.append(child.text or "")
            elif child.tag in (f"{W}tab", f"{W}br", f"{W}cr") and child.get(f"{W}type") != "page":
                parts.append(" ")
            elif child.tag == f"{W}noBreakHyphen":
                parts.append("-")
        text = "".join(parts)
        if not text:
            return
        bold, italic = _flag(run, "b"), _flag(run, "i")
        if change is None:
            paragraph.pieces.append(Piece(text, bold=bold, italic=italic))
        else:
            paragraph.pieces.append(
                Piece(text, change.change, change.author, change.date, bold, italic)
            )


def _flag(run: Element, name: str) -> bool:
    """True when the run's properties turn `name` (b, i) on."""
    found = run.find(f"{W}rPr/{W}{name}")
    return found is not None and found.get(f"{W}val", "true") not in ("0", "false", "off")


def _join_deleted_marks(
    paragraphs: list[WordParagraph], removed: list[WordParagraph]
) -> list[WordParagraph]:
    """Paragraphs as they read once changes are accepted: a deleted mark joins two paragraphs,
    and a paragraph deleted whole (text and mark) goes to `removed`."""
    joined: list[WordParagraph] = []
    pending: WordParagraph | None = None
    for paragraph in paragraphs:
        if pending is not None and not pending.text:
            removed.append(pending)
            pending = None
        if pending is not None:
            offset = len(pending.text)
            pending.pieces.extend(paragraph.pieces)
            pending.values.extend((s + offset, e + offset, n) for s, e, n in paragraph.values)
            pending.mark_deleted = paragraph.mark_deleted
            paragraph = pending
            pending = None
        if paragraph.mark_deleted:
            pending = paragraph
            continue
        joined.append(paragraph)
    if pending is not None:
        joined.append(pending)
    return joined
