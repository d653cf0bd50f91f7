"""The body of a returned DOCX walked in document order: paragraphs (table cells included),
their text pieces kept, inserted or deleted with who and when, and their bookmarks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.etree import _Element as Element

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# render.docx_inline names them « _p » or « _v » and 10 hex digits (« _2 » for a second one);
# a heading's own bookmark is « _ » and its anchor: « _perimetre_du_cpom… » is not a key
PARAGRAPH_KEY = re.compile(r"_p[0-9a-f]{10}(?:_[0-9]+)?")
VALUE_KEY = re.compile(r"_v[0-9a-f]{10}(?:_[0-9]+)?")
INSERTED = (f"{W}ins", f"{W}moveTo")
DELETED = (f"{W}del", f"{W}moveFrom")


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


class BodyReader:
    """Walks the body in document order, one WordParagraph per w:p."""

    def __init__(self, toc_styles: set[str]) -> None:
        self.toc_styles = toc_styles
        self.paragraphs: list[WordParagraph] = []
        self.tables = 0
        self.where: list[tuple[int, int]] = []  # (table, row) of the enclosing tables
        self.open_values: dict[str, tuple[str, int]] = {}  # bookmark id → name, start
        self.length = 0  # len(text) of the paragraph being read: kept, not summed per bookmark

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
                if self.where:  # a row outside any table (not Word's, but it opens): plain
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
        self.length = 0
        self._inline(element, paragraph, change)

    def _inline(self, element: Element, paragraph: WordParagraph, change: Piece | None) -> None:
        for child in element:
            tag = child.tag
            if tag == f"{W}pPr" or not isinstance(tag, str):
                continue
            if tag == f"{W}bookmarkStart":
                name = child.get(f"{W}name", "")
                if PARAGRAPH_KEY.fullmatch(name) and not paragraph.key:
                    paragraph.key = name
                elif VALUE_KEY.fullmatch(name):
                    self.open_values[child.get(f"{W}id", "")] = (name, self.length)
            elif tag == f"{W}bookmarkEnd":
                opened = self.open_values.pop(child.get(f"{W}id", ""), None)
                if opened is not None:
                    paragraph.values.append((opened[1], self.length, opened[0]))
            elif tag == f"{W}r":
                self._run(child, paragraph, change)
            elif tag in INSERTED or tag in DELETED:
                self._inline(child, paragraph, self._change(child))
            else:  # hyperlinks, smart tags, inline content controls, fields' containers
                self._inline(child, paragraph, change)

    def _run(self, run: Element, paragraph: WordParagraph, change: Piece | None) -> None:
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
        if change is None or change.change != "del":
            self.length += len(text)
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


def join_deleted_marks(
    paragraphs: list[WordParagraph], removed: list[WordParagraph]
) -> list[WordParagraph]:
    """Paragraphs as they read once changes are accepted: a deleted mark joins two paragraphs,
    and a paragraph deleted whole (text and mark) goes to `removed`."""
    joined: list[WordParagraph] = []
    pending: WordParagraph | None = None
    length = 0  # len(pending.text), kept: a chain of joined paragraphs is not summed per join
    for paragraph in paragraphs:
        if pending is not None and not length:
            removed.append(pending)
            pending = None
        if pending is not None:
            pending.pieces.extend(paragraph.pieces)
            pending.values.extend((s + length, e + length, n) for s, e, n in paragraph.values)
            pending.mark_deleted = paragraph.mark_deleted
            length += len(paragraph.text)
            paragraph = pending
            pending = None
        else:
            length = len(paragraph.text)
        if paragraph.mark_deleted:
            pending = paragraph
            continue
        joined.append(paragraph)
    if pending is not None:
        joined.append(pending)
    return joined
