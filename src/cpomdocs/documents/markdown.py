"""Markdown (what the templates produce) into blocks, with markdown-it-py.

Raw HTML is disabled, so `<script>` typed by a user stays text. Besides CommonMark and tables,
templates use one line of their own, the directive, always between blank lines:

    ::: toc          the table of contents        ::: pagebreak     a new page
    ::: center       paragraphs until `:::` take the style "center" (any name of STYLES)
    ::: signatures   blocks until `:::` form a Section with that role (any other name)

A table's last rows whose first cell is wholly bold are its totals (Table.total_rows).

Values bound to their data path (fmt.at) arrive between private-use markers and become runs
carrying `path`; a Markdown field bound by fmt.prose_at gives its paragraphs a `path`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.token import Token

from cpomdocs import fmt
from cpomdocs.documents import markdown_speed
from cpomdocs.documents.blocks import (
    STYLES,
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
from cpomdocs.documents.markdown_inline import inline_runs, plain_text

_MD = markdown_speed.install(MarkdownIt("commonmark", {"html": False}).enable("table"))
_DIRECTIVE = re.compile(r"^:::[ \t]*([a-z][a-z0-9-]*)?[ \t]*$")
_SINGLE = {"toc": TableOfContents, "pagebreak": PageBreak}
_ALIGN = re.compile(r"text-align:\s*(left|right|center)")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


class MarkdownError(ValueError):
    """Raised when the directives of a composed Markdown text do not nest."""


def slug(text: str) -> str:
    """An anchor from a heading's text: « Article 1er – Objet » → article-1er-objet."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-") or "section"


ImageResolver = Callable[[str, str], Image | None]


class _Converter:
    def __init__(self, closes: list[int], resolve_image: ImageResolver | None = None) -> None:
        self.closes = closes  # _matching_closes of the tokens converted
        self.anchors: set[str] = set()
        self.resolve_image = resolve_image
        self.block_path = ""  # the Markdown field (fmt.prose_at) the paragraphs belong to

    def anchor(self, text: str) -> str:
        base = slug(text)
        candidate, n = base, 1
        while candidate in self.anchors:
            n += 1
            candidate = f"{base}-{n}"
        self.anchors.add(candidate)
        return candidate

    def blocks(self, tokens: list[Token], start: int, end: int, style: str) -> list[Block]:
        """Blocks of tokens[start:end] (a balanced range), paragraphs given `style`."""
        out: list[Block] = []
        i = start
        while i < end:
            token = tokens[i]
            close = self.closes[i]
            kind = token.type
            if kind == "heading_open":
                runs = markdown_speed.runs(tokens[i + 1], inline_runs)
                level = int(token.tag[1])
                out.append(Heading(level, runs, self.anchor(plain_text(runs))))
            elif kind == "paragraph_open":
                out.append(self.paragraph(tokens[i + 1], style))
            elif kind in ("bullet_list_open", "ordered_list_open"):
                items = [
                    self.blocks(tokens, j + 1, self.closes[j], style)
                    for j in range(i + 1, close)
                    if tokens[j].type == "list_item_open" and tokens[j].level == token.level + 1
                ]
                out.append(ListBlock(kind == "ordered_list_open", items))
            elif kind == "table_open":
                out.append(self.table(tokens, i, close))
            elif kind == "blockquote_open":
                out.extend(self.blocks(tokens, i + 1, close, style))
            elif kind in ("fence", "code_block"):
                lines = token.content.rstrip("\n").split("\n")
                runs = [Run(line, line_break=n < len(lines) - 1) for n, line in enumerate(lines)]
                out.append(Paragraph([r for r in runs if r.text or r.line_break], style))
            i = close + 1
        return out

    def paragraph(self, inline: Token, style: str) -> Paragraph | Image:
        """A paragraph, or an Image when it holds only an image that the resolver finds."""
        children = inline.children or []
        if self.resolve_image and len(children) == 1 and children[0].type == "image":
            image = self.resolve_image(str(children[0].attrs.get("src", "")), children[0].content)
            if image is not None:
                return image
        return Paragraph(markdown_speed.runs(inline, inline_runs), style, self.block_path)

    def table(self, tokens: list[Token], start: int, end: int) -> Table:
        header: list[Inline] = []
        rows: list[list[Inline]] = []
        align: list[str] = []
        row: list[Inline] | None = None
        for i in range(start, end):
            token = tokens[i]
            if token.type == "tr_open":
                row = []
            elif token.type in ("th_open", "td_open") and row is not None:
                row.append(markdown_speed.runs(tokens[i + 1], inline_runs))
                if token.type == "th_open":
                    found = _ALIGN.search(str(token.attrs.get("style", "")))
                    align.append(found.group(1) if found else "left")
            elif token.type == "tr_close" and row is not None:
                if not header and tokens[i - 1].type == "th_close":
                    header = row
                else:
                    rows.append(row)
                row = None
        totals = 0
        for cells in reversed(rows):
            first = cells[0] if cells else []
            if not first or not all(run.bold for run in first if run.text.strip()):
                break
            totals += 1
        return Table(header, rows, align, totals)


def _matching_closes(tokens: list[Token]) -> list[int]:
    """For each token, the index of the token that closes it (itself when it opens nothing; the
    last token when nothing does): one pass, where a scan per token went over each table twice."""
    closes = list(range(len(tokens)))
    opened: list[int] = []
    for j, token in enumerate(tokens):
        if token.nesting == 1:
            opened.append(j)
        elif token.nesting == -1 and opened:
            closes[opened.pop()] = j
    for j in opened:
        closes[j] = len(tokens) - 1
    return closes


def _directive(tokens: list[Token], i: int) -> str | None:
    """The directive name ("" for a closing `:::`) when tokens[i] opens a directive line."""
    if tokens[i].type != "paragraph_open" or tokens[i].level != 0:
        return None
    found = _DIRECTIVE.match(tokens[i + 1].content)
    return None if found is None else found.group(1) or ""


def _bound_field(tokens: list[Token], i: int) -> str | None:
    """The path when tokens[i] opens a paragraph of a field's start marker ("" at its end)."""
    if tokens[i].type != "paragraph_open" or tokens[i].level != 0:
        return None
    content = tokens[i + 1].content
    if content.startswith(fmt.BLOCK_START):
        return "".join(child.content for child in tokens[i + 1].children or [])[1:]
    return "" if content == fmt.BLOCK_END else None


def markdown_to_blocks(text: str, resolve_image: ImageResolver | None = None) -> list[Block]:
    """Parse composed Markdown into blocks, honouring the `:::` directives; `resolve_image`
    turns a paragraph made of one image (`![alt](src)`) into an Image block."""
    try:
        return _blocks(markdown_speed.parse(_MD, text), resolve_image)
    except MarkdownError:  # pieces parsed apart count lines from their start: the whole text's
        return _blocks(_MD.parse(text), resolve_image)


def _blocks(tokens: list[Token], resolve_image: ImageResolver | None) -> list[Block]:
    closes = _matching_closes(tokens)
    converter = _Converter(closes, resolve_image)
    root: list[Block] = []
    # Each open directive: (name, the list its blocks go into, the paragraph style inside).
    stack: list[tuple[str, list[Block], str]] = [("", root, "")]
    i = 0
    while i < len(tokens):
        close = closes[i]
        name = _directive(tokens, i)
        _, children, style = stack[-1]
        bound = _bound_field(tokens, i)
        if bound is not None:
            converter.block_path = bound
        elif name is None:
            children.extend(converter.blocks(tokens, i, close + 1, style))
        elif name in _SINGLE:
            children.append(_SINGLE[name]())
        elif name == "":
            if len(stack) == 1:
                raise MarkdownError(f"ligne {tokens[i].map[0] + 1}: « ::: » sans ouverture")
            stack.pop()
        elif name in STYLES:
            stack.append((name, children, name))
        else:
            section = Section(name, [])
            children.append(section)
            stack.append((name, section.children, style))
        i = close + 1
    if len(stack) > 1:
        raise MarkdownError(f"« ::: {stack[-1][0]} » n'est pas refermé")
    return root
