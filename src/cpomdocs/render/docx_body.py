"""The blocks of a composed document as the XML of a Word body (headings, lists, sections…).

Every paragraph is wrapped in a hidden bookmark (`_p…`) naming its place (the heading it follows
and its rank, or the Markdown field it belongs to), and every value bound to a data path in one
(`_v…`): Word and LibreOffice keep bookmarks when they save, which lets `cpomdocs import docx`
read a returned document back (`bindings` maps each bookmark name to what it marks).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from cpomdocs.documents.blocks import (
    Block,
    Heading,
    Image,
    ListBlock,
    PageBreak,
    Paragraph,
    Run,
    Section,
    Table,
    TableOfContents,
)
from cpomdocs.render.docx_inline import InlineWriter, heading_bookmarks
from cpomdocs.render.docx_xml import (
    PAGE_FIELD,
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
# Paragraph styles never hyphenated (scripts/make_docx_template.py, KEEP_WHOLE): their names
# need no zxx runs.
WHOLE = {"center", "title", "subtitle", "signature", "figure"}
KEPT_TOGETHER = {"annex-list", "fiche", "closing"}  # on one page (print.css: break-inside)
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
class BodyWriter(InlineWriter):
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
    keeping: bool = False  # in a section kept on one page: each paragraph keeps with the next
    space_before: int = 0  # twips before the next paragraph (after a table)
    bindings: dict[str, str] = field(
        default_factory=dict
    )  # bookmark → « valeur:path », « texte:… »
    place: str = "debut"  # the anchor of the last heading: where fixed paragraphs are counted
    counters: dict[str, int] = field(default_factory=dict)

    def render(self, blocks: list[Block]) -> str:
        """The XML of all blocks, in order."""
        self.bookmarks, self.toc = heading_bookmarks(blocks)
        self._blocks(blocks)
        self._flush_page_break()
        return "".join(self.out)

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
                    self.runs(block.runs, names=block.style not in WHOLE),
                    style,
                    change=change,
                    field_path=block.path,
                    keep_next=block.style == "lead" or self.keeping,
                )
        elif isinstance(block, Heading):
            self.place = block.anchor or self.place
            number, bookmark = self._id(), self.bookmarks[id(block)]
            content = (
                f'<w:bookmarkStart w:id="{number}" w:name="{bookmark}"/>'
                f'{self.runs(block.runs, names=False)}<w:bookmarkEnd w:id="{number}"/>'
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
            marks = self.cell_runs, self._change_mark
            self.out.append(table_xml(block, table_style, cell_style, *marks, self.keeping))
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
        elif section.role in KEPT_TOGETHER:  # every paragraph but the last keeps with the next
            self.keeping = True
            self._blocks(section.children[:-1])
            self.keeping = False
            self._blocks(section.children[-1:])
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

    def _toc(self) -> None:
        """The headings, each with a link and a PAGEREF field for its page number: LibreOffice
        computes a PAGEREF as it lays the pages out (it shows a TOC field's result as written,
        without page numbers), Word on opening (`updateFields` in settings.xml) or with F9."""
        title = f'<w:r><w:t xml:space="preserve">{text(TOC_TITLE)}</w:t></w:r>'
        self._paragraph(title, "toc heading", field_path=None)
        for level, label, bookmark in self.toc or [(1, "", "")]:
            content = f'<w:r><w:t xml:space="preserve">{text(label)}</w:t></w:r>' if label else ""
            if bookmark:
                content = (
                    f'<w:hyperlink w:anchor="{bookmark}" w:history="1">{content}'
                    f"{PAGE_FIELD.format(bookmark=bookmark)}</w:hyperlink>"
                )
            self._paragraph(content, f"toc {level}", field_path=None)
