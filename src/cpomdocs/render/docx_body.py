"""The blocks of a composed document as the XML of a Word body (headings, lists, sections…).

Every paragraph is wrapped in a hidden bookmark (`_p…`) naming its place (the heading it follows
and its rank, or the Markdown field it belongs to), and every value bound to a data path in one
(`_v…`): Word and LibreOffice keep bookmarks when they save, which lets `cpomdocs import docx`
read a returned document back (`bindings` maps each bookmark name to what it marks).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from cpomdocs.documents.blocks import (
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
from cpomdocs.documents.reading import walk
from cpomdocs.render.columns import plain
from cpomdocs.render.docx_xml import (
    FIELD_END,
    TOC_FIELD_BEGIN,
    attr,
    picture_xml,
    side_by_side_xml,
    table_xml,
    text,
    whole_change,
)

TOC_TITLE = "Sommaire"
LIST_INDENT = 357
SPACE_AFTER_TABLE = 160
# Sections whose children of one role sit side by side in a table:
# role → (children's role, columns, row height in twips, boxed cells).
SIDE_BY_SIDE = {
    "signatures": ("signature-block", 2, 2835, False),
    "logos": ("logo", 4, 1134, True),
}
# Block paragraph styles (blocks.STYLES) → the names of the template's Word styles.
PARAGRAPH_STYLE_NAMES = {
    "center": "centré",
    "title": "title",
    "subtitle": "subtitle",
    "visa": "visa",
    "note": "petit texte",
    "signature": "bloc signature",
    "figure": "légende graphique",
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
    add_image: Callable[[bytes, str], tuple[str, tuple[int, int]]]  # PNG, alt → rId, pixels
    add_link: Callable[[str], str] = lambda url: ""  # an external link → its rId
    out: list[str] = field(default_factory=list)
    last_id: int = 0
    page_break_pending: bool = False
    bookmarks: dict[int, str] = field(default_factory=dict)
    toc: list[tuple[int, str, str]] = field(default_factory=list)
    list_num_id: str = ""  # the numbering of the current numbered list
    in_cover: bool = False  # the cover page centres everything
    space_before: int = 0  # twips before the next paragraph (after a table)
    bindings: dict[str, str] = field(
        default_factory=dict
    )  # bookmark → « valeur:path », « texte:… »
    place: str = "debut"  # the anchor of the last heading: where fixed paragraphs are counted
    counters: dict[str, int] = field(default_factory=dict)

    def render(self, blocks: list[Block]) -> str:
        """The XML of all blocks, in order."""
        self._collect_headings(blocks)
        self._blocks(blocks)
        self._flush_page_break()
        return "".join(self.out)

    # --- inline -----------------------------------------------------------------------------

    def runs(self, runs: Inline, bold: bool = False, size: int = 0) -> str:
        """The XML of inline runs; changed runs become tracked insertions and deletions.

        `bold` makes every run bold (table headers and totals); `size` is in half-points.
        """
        parts: list[str] = []
        group: list[str] = []
        path = ""
        for run in [*runs, None]:
            if run is None or run.path != path:
                if path and group:
                    parts.append(self._bookmark("_v", f"valeur:{path}", "".join(group)))
                else:
                    parts.extend(group)
                group, path = [], run.path if run else ""
            if run is not None:
                group.append(self._run(run, bold, size))
        return "".join(parts)

    def cell_runs(self, runs: Inline, bold: bool = False, size: int = 0) -> str:
        """A table cell's runs, bookmarked as one paragraph of the current place."""
        return self._bookmark("_p", self._paragraph_key(""), self.runs(runs, bold, size))

    def _bookmark(self, prefix: str, key: str, content: str) -> str:
        """`content` inside a hidden bookmark whose name is derived from `key` (Word: ≤ 40)."""
        digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
        name, n = f"{prefix}{digest}", 1
        while name in self.bindings:
            n += 1
            name = f"{prefix}{digest}_{n}"
        self.bindings[name] = key
        number = self._id()
        return (
            f'<w:bookmarkStart w:id="{number}" w:name="{name}"/>{content}'
            f'<w:bookmarkEnd w:id="{number}"/>'
        )

    def _paragraph_key(self, field_path: str) -> str:
        """« prose:<field>/<n> » for a paragraph of a Markdown field, else « texte:<place>/<n> »."""
        where = f"prose:{field_path}" if field_path else f"texte:{self.place}"
        self.counters[where] = self.counters.get(where, 0) + 1
        return f"{where}/{self.counters[where]}"

    def _run(self, run: Run, bold: bool, size: int) -> str:
        rpr = "<w:b/><w:bCs/>" if bold or run.bold else ""
        if run.italic:
            rpr += "<w:i/><w:iCs/>"
        if run.colour:  # after b and i, before sz: the schema's order
            rpr += f'<w:color w:val="{attr(run.colour.lstrip("#").upper())}"/>'
        if run.link:
            rpr = '<w:color w:val="1F4E79"/>' + rpr + '<w:u w:val="single"/>'
        if size:
            rpr += f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
        if run.pending:  # a blank to fill, as print.css's mark.a-completer
            rpr += '<w:highlight w:val="yellow"/>'
        if run.superscript:
            rpr += '<w:vertAlign w:val="superscript"/>'
        tag = "w:delText" if run.change == "del" else "w:t"
        pieces = run.text.split("-") if run.keep else [run.text]  # no line break at a hyphen
        inner = "<w:noBreakHyphen/>".join(
            f'<{tag} xml:space="preserve">{text(piece)}</{tag}>' if piece else ""
            for piece in pieces
        )
        if run.line_break:
            inner += "<w:br/>"
        xml = f"<w:r><w:rPr>{rpr}</w:rPr>{inner}</w:r>" if rpr else f"<w:r>{inner}</w:r>"
        rid = self.add_link(run.link) if run.link else ""
        if rid:
            xml = f'<w:hyperlink r:id="{rid}" w:history="1">{xml}</w:hyperlink>'
        if run.change in ("ins", "del"):
            xml = (
                f'<w:{run.change} w:id="{self._id()}" w:author="{attr(self.change_author)}"'
                f' w:date="{self.change_date}">{xml}</w:{run.change}>'
            )
        return xml

    def _change_mark(self, change: str) -> str:
        """A tracked-change mark for a paragraph mark or a table row."""
        author = attr(self.change_author)
        return f'<w:{change} w:id="{self._id()}" w:author="{author}" w:date="{self.change_date}"/>'

    def _id(self) -> int:
        self.last_id += 1
        return self.last_id

    # --- paragraphs -------------------------------------------------------------------------

    def _paragraph(
        self,
        content: str,
        style_name: str = "",
        numbering: str = "",
        indent: int = 0,
        change: str = "",
        field_path: str | None = "",
        keep_next: bool = False,
    ) -> None:
        """A paragraph; its properties are written in the order the schema wants.

        `change` ("ins" or "del") tracks the paragraph mark too, so that rejecting an inserted
        paragraph (or accepting a deleted one) leaves no empty paragraph behind.
        """
        style_id = self.styles.get(style_name) if style_name else ""
        ppr = f'<w:pStyle w:val="{style_id}"/>' if style_id else ""
        if keep_next:  # « Au tableau … : » on the page of its first « a) »
            ppr += "<w:keepNext/>"
        if self.page_break_pending:
            ppr += "<w:pageBreakBefore/>"
            self.page_break_pending = False
        ppr += numbering
        if self.space_before:
            ppr += f'<w:spacing w:before="{self.space_before}"/>'
            self.space_before = 0
        if indent:
            ppr += f'<w:ind w:left="{indent}"/>'
        if self.in_cover:
            ppr += '<w:jc w:val="center"/>'
        if change:
            ppr += f"<w:rPr>{self._change_mark(change)}</w:rPr>"
        if field_path is not None:  # None: not a paragraph of the text (the table of contents)
            content = self._bookmark("_p", self._paragraph_key(field_path), content)
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
                indent = LIST_INDENT * (list_depth + 1)
                content, change = self.runs(block.runs), whole_change(block.runs)
                self._paragraph(
                    content, "list continue", indent=indent, change=change, field_path=block.path
                )
            else:
                style = PARAGRAPH_STYLE_NAMES.get(block.style, "")
                change = whole_change(block.runs)
                self._paragraph(
                    self.runs(block.runs),
                    style,
                    change=change,
                    field_path=block.path,
                    keep_next=block.style == "lead",
                )
        elif isinstance(block, Heading):
            self.place = block.anchor or self.place
            number, bookmark = self._id(), self.bookmarks[id(block)]
            content = (
                f'<w:bookmarkStart w:id="{number}" w:name="{bookmark}"/>'
                f'{self.runs(block.runs)}<w:bookmarkEnd w:id="{number}"/>'
            )
            level = min(max(block.level, 1), 3)
            self._paragraph(content, f"heading {level}", change=whole_change(block.runs))
        elif isinstance(block, ListBlock):
            self._list(block, list_depth + 1)
        elif isinstance(block, Table) and not (block.header or block.rows):
            pass  # Word refuses a table without rows
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
            self.out.append(
                table_xml(block, table_style, cell_style, self.cell_runs, self._change_mark)
            )
            self.space_before = SPACE_AFTER_TABLE
        elif isinstance(block, Image) and not block.png:  # an SVG-only figure: its description
            self._paragraph(self.runs([Run(block.alt, italic=True)]), "centré")
        elif isinstance(block, Image):
            rid, size = self.add_image(block.png, block.alt)
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
                runs, field_path = item[0].runs, item[0].path
                change = whole_change(runs)
                self._paragraph(
                    self.runs(runs), style, numbering, change=change, field_path=field_path
                )
                rest = item[1:]
            self._blocks(rest, depth)

    def _section(self, section: Section) -> None:
        if section.role == "annex":
            self.page_break_pending = True
        was_in_cover = self.in_cover
        self.in_cover = was_in_cover or section.role == "cover"
        if section.role in SIDE_BY_SIDE:
            self._side_by_side_section(section)
        else:
            self._blocks(section.children)
        self.in_cover = was_in_cover
        if section.role == "cover":
            self.page_break_pending = True

    def _side_by_side_section(self, section: Section) -> None:
        """Signature blocks (or logo places) side by side; other children stay where they are."""
        cell_role, columns, min_height, boxed = SIDE_BY_SIDE[section.role]
        group: list[Section] = []
        for child in [*section.children, None]:
            if isinstance(child, Section) and child.role == cell_role:
                group.append(child)
                continue
            if group:
                self._side_by_side(group, min(columns, len(group)), min_height, boxed)
                group = []
            if child is not None:
                self._block(child)

    def _side_by_side(
        self, cells: list[Section], columns: int, min_height: int, boxed: bool
    ) -> None:
        """A borderless table with `columns` cells per row that no page break splits."""
        self._flush_page_break()
        bodies = [self._cell(cell.children) for cell in cells]
        style = self.styles.get("tableau signatures")
        self.out.append(side_by_side_xml(bodies, columns, min_height, boxed, style))

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
        cover = {
            id(b) for s in blocks if isinstance(s, Section) and s.role == "cover" for b in walk([s])
        }
        for block in walk(blocks):
            if isinstance(block, Heading):
                base = "_" + re.sub(r"[^A-Za-z0-9_]", "_", block.anchor or "titre")[:30]
                name, n = base, 1
                while name in used:
                    n += 1
                    name = f"{base}_{n}"
                used.add(name)
                self.bookmarks[id(block)] = name
                if block.level <= 2 and id(block) not in cover:
                    self.toc.append((block.level, plain(block.runs), name))

    def _toc(self) -> None:
        """A TOC field that Word and LibreOffice update, filled beforehand with the headings."""
        title = f'<w:r><w:t xml:space="preserve">{text(TOC_TITLE)}</w:t></w:r>'
        self._paragraph(title, "toc heading", field_path=None)
        entries = self.toc or [(1, "", "")]
        for i, (level, label, bookmark) in enumerate(entries):
            content = f'<w:r><w:t xml:space="preserve">{text(label)}</w:t></w:r>' if label else ""
            if bookmark:
                content = (
                    f'<w:hyperlink w:anchor="{bookmark}" w:history="1">{content}</w:hyperlink>'
                )
            first = TOC_FIELD_BEGIN if i == 0 else ""
            last = FIELD_END if i == len(entries) - 1 else ""
            self._paragraph(first + content + last, f"toc {level}", field_path=None)
