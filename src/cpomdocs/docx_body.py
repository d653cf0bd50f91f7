"""The blocks of a composed document as the XML of a Word body (headings, lists, sections…)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from cpomdocs.blocks import (
    Block,
    Heading,
    Image,
    Inline,
    ListBlock,
    PageBreak,
    Paragraph,
    Run,
    Section,
    Table,
    TableOfContents,
)
from cpomdocs.docx_xml import TEXT_WIDTH, attr, picture_xml, plain, table_xml, text

TOC_TITLE = "Sommaire"
LIST_INDENT = 357
# Block paragraph styles (blocks.STYLES) → the names of the template's Word styles.
PARAGRAPH_STYLE_NAMES = {
    "center": "centré",
    "title": "title",
    "subtitle": "subtitle",
    "visa": "visa",
    "note": "petit texte",
    "signature": "bloc signature",
}


@dataclass
class TemplateStyles:
    """Word style ids of the template by lower-case style name (ids differ between Words)."""

    ids: dict[str, str]
    bullet_num_id: str = "1"

    def get(self, name: str) -> str:
        """The id of the style called `name`, or "" when the template lacks it."""
        return self.ids.get(name.lower(), "")


@dataclass
class BodyWriter:
    """Turns blocks into the XML of a document body; one writer per document."""

    styles: TemplateStyles
    change_author: str
    change_date: str  # xsd:dateTime of the tracked changes
    new_numbering: Callable[[], str]  # a fresh numId for a numbered list (starts again at 1)
    add_image: Callable[[bytes], tuple[str, tuple[int, int]]]  # PNG → (rId, pixel size)
    out: list[str] = field(default_factory=list)
    last_id: int = 0
    page_break_pending: bool = False
    bookmarks: dict[int, str] = field(default_factory=dict)
    toc: list[tuple[int, str, str]] = field(default_factory=list)
    list_num_id: str = ""  # the numbering of the current numbered list

    def render(self, blocks: list[Block]) -> str:
        """The XML of all blocks, in order."""
        self._collect_headings(blocks)
        self._blocks(blocks)
        self._flush_page_break()
        return "".join(self.out)

    # --- inline -----------------------------------------------------------------------------

    def runs(self, runs: Inline, extra_rpr: str = "") -> str:
        """The XML of inline runs; changed runs become tracked insertions and deletions."""
        return "".join(self._run(r, extra_rpr) for r in runs)

    def _run(self, run: Run, extra_rpr: str) -> str:
        rpr = extra_rpr
        if run.bold and "<w:b/>" not in rpr:
            rpr += "<w:b/><w:bCs/>"
        if run.italic:
            rpr += "<w:i/><w:iCs/>"
        tag = "w:delText" if run.change == "del" else "w:t"
        inner = f'<{tag} xml:space="preserve">{text(run.text)}</{tag}>' if run.text else ""
        if run.line_break:
            inner += "<w:br/>"
        xml = f"<w:r><w:rPr>{rpr}</w:rPr>{inner}</w:r>" if rpr else f"<w:r>{inner}</w:r>"
        if run.change in ("ins", "del"):
            xml = (
                f'<w:{run.change} w:id="{self._id()}" w:author="{attr(self.change_author)}"'
                f' w:date="{self.change_date}">{xml}</w:{run.change}>'
            )
        return xml

    def _id(self) -> int:
        self.last_id += 1
        return self.last_id

    # --- paragraphs -------------------------------------------------------------------------

    def _paragraph(self, content: str, style_name: str = "", after_style: str = "") -> None:
        style_id = self.styles.get(style_name) if style_name else ""
        ppr = f'<w:pStyle w:val="{style_id}"/>' if style_id else ""
        if self.page_break_pending:
            ppr += "<w:pageBreakBefore/>"
            self.page_break_pending = False
        ppr += after_style
        self.out.append(
            f"<w:p><w:pPr>{ppr}</w:pPr>{content}</w:p>" if ppr else f"<w:p>{content}</w:p>"
        )

    def _flush_page_break(self) -> None:
        """A table cannot carry pageBreakBefore: a paragraph with a break goes before it."""
        if self.page_break_pending:
            self.page_break_pending = False
            self.out.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')

    # --- blocks -----------------------------------------------------------------------------

    def _blocks(self, blocks: list[Block], list_depth: int = -1) -> None:
        for block in blocks:
            self._block(block, list_depth)

    def _block(self, block: Block, list_depth: int = -1) -> None:
        if isinstance(block, Paragraph):
            if list_depth >= 0:  # a second paragraph inside a list item
                indent = f'<w:ind w:left="{LIST_INDENT * (list_depth + 1)}"/>'
                self._paragraph(self.runs(block.runs), "list continue", indent)
            else:
                self._paragraph(self.runs(block.runs), PARAGRAPH_STYLE_NAMES.get(block.style, ""))
        elif isinstance(block, Heading):
            number, bookmark = self._id(), self.bookmarks[id(block)]
            content = (
                f'<w:bookmarkStart w:id="{number}" w:name="{bookmark}"/>'
                f'{self.runs(block.runs)}<w:bookmarkEnd w:id="{number}"/>'
            )
            self._paragraph(content, f"heading {min(max(block.level, 1), 3)}")
        elif isinstance(block, ListBlock):
            self._list(block, list_depth + 1)
        elif isinstance(block, Table):
            if block.caption:  # above the table, kept with it
                self._paragraph(
                    f'<w:r><w:t xml:space="preserve">{text(block.caption)}</w:t></w:r>', "caption"
                )
            self._flush_page_break()
            table_style, cell_style = (
                self.styles.get("tableau cpom"),
                self.styles.get("texte tableau"),
            )
            self.out.append(table_xml(block, table_style, cell_style, self.runs))
        elif isinstance(block, Image):
            rid, size = self.add_image(block.png)
            self._paragraph(picture_xml(rid, self._id(), block.width_cm, size, block.alt), "centré")
        elif isinstance(block, PageBreak):
            self.page_break_pending = True
        elif isinstance(block, TableOfContents):
            self._toc()
        elif isinstance(block, Section):
            self._section(block)

    def _list(self, block: ListBlock, depth: int) -> None:
        if block.ordered:
            if depth == 0 or not self.list_num_id:
                self.list_num_id = self.new_numbering()
            num_id, style = self.list_num_id, "list number"
        else:
            num_id, style = self.styles.bullet_num_id, "list bullet"
        level = min(depth, 2)
        numbering = f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
        for item in block.items:
            rest = item
            if item and isinstance(item[0], Paragraph):
                self._paragraph(self.runs(item[0].runs), style, numbering)
                rest = item[1:]
            self._blocks(rest, depth)

    def _section(self, section: Section) -> None:
        if section.role == "annex":
            self.page_break_pending = True
        if section.role == "signatures":
            self._signatures(section.children)
        else:
            self._blocks(section.children)
        if section.role == "cover":
            self.page_break_pending = True

    def _signatures(self, children: list[Block]) -> None:
        """Signature blocks side by side in a borderless table, other blocks before it."""
        blocks = [c for c in children if isinstance(c, Section) and c.role == "signature-block"]
        self._blocks([c for c in children if c not in blocks])
        if not blocks:
            return
        self._flush_page_break()
        columns = min(len(blocks), 3)
        width = TEXT_WIDTH // columns
        style = self.styles.get("tableau signatures")
        style = f'<w:tblStyle w:val="{style}"/>' if style else ""
        grid = f'<w:gridCol w:w="{width}"/>' * columns
        xml = [
            f'<w:tbl><w:tblPr>{style}<w:tblW w:w="{width * columns}" w:type="dxa"/>'
            f'<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
        ]
        for start in range(0, len(blocks), columns):
            xml.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            for block in blocks[start : start + columns] + [None] * (start + columns - len(blocks)):
                body = self._cell(block.children) if block else ""
                tcpr = f'<w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
                xml.append(f"<w:tc>{tcpr}{body or '<w:p/>'}</w:tc>")
            xml.append("</w:tr>")
        xml.append("</w:tbl>")
        self.out.append("".join(xml))

    def _cell(self, blocks: list[Block]) -> str:
        """The XML of blocks for a table cell, written apart then appended by the caller."""
        outer, self.out = self.out, []
        self._blocks(blocks)
        self._flush_page_break()
        body, self.out = "".join(self.out), outer
        return body

    # --- headings and the table of contents -------------------------------------------------

    def _collect_headings(self, blocks: list[Block]) -> None:
        used: set[str] = set()
        for block in _walk(blocks):
            if isinstance(block, Heading):
                base = "_" + re.sub(r"[^A-Za-z0-9_]", "_", block.anchor or "titre")[:30]
                name, n = base, 1
                while name in used:
                    n += 1
                    name = f"{base}_{n}"
                used.add(name)
                self.bookmarks[id(block)] = name
                if block.level <= 2:
                    self.toc.append((block.level, plain(block.runs), name))

    def _toc(self) -> None:
        """A TOC field that Word and LibreOffice update, filled beforehand with the headings."""
        title = f'<w:r><w:t xml:space="preserve">{text(TOC_TITLE)}</w:t></w:r>'
        self._paragraph(title, "toc heading")
        begin = (
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">'
            ' TOC \\o "1-2" \\h \\z \\u </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        )
        end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        entries = self.toc or [(1, "", "")]
        for i, (level, label, bookmark) in enumerate(entries):
            content = f'<w:r><w:t xml:space="preserve">{text(label)}</w:t></w:r>' if label else ""
            if bookmark:
                content = (
                    f'<w:hyperlink w:anchor="{bookmark}" w:history="1">{content}</w:hyperlink>'
                )
            first = begin if i == 0 else ""
            last = end if i == len(entries) - 1 else ""
            self._paragraph(first + content + last, f"toc {level}")


def _walk(blocks: list[Block]) -> Iterator[Block]:
    """Every block in document order, nested ones included."""
    for block in blocks:
        yield block
        if isinstance(block, Section):
            yield from _walk(block.children)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from _walk(item)
