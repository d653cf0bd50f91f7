"""Composed blocks read in order, for those that read a document as text rather than draw it: the
signed text's digests (signed_text.py), the redline's alignment (redline.py) and the DOCX's text
digest (render/docx_text.py). Each keeps the pieces it needs and spells them its own way."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cpomdocs.documents.blocks import (
    Block,
    Heading,
    Image,
    ListBlock,
    Paragraph,
    Section,
    Table,
)

# What `pieces` yields, with its value: runs (HEADING, PARAGRAPH), the runs of each cell (ROW),
# or a text: the item's marker « 1. » or « - » (MARKER), the caption (CAPTION), the alternative
# text (IMAGE), the section's role (SECTION), the name of a block without text (OTHER).
HEADING, PARAGRAPH, MARKER, ROW, CAPTION, IMAGE, SECTION, OTHER = (
    "heading",
    "paragraph",
    "marker",
    "row",
    "caption",
    "image",
    "section",
    "other",
)


def pieces(blocks: list[Block]) -> Iterator[tuple[str, Any]]:
    """(kind, value) for each readable piece of the blocks, nested ones included, in the order
    a reader meets them: a list's marker before its item, a table's rows (header first) and
    then its caption, a section's role before its children."""
    for block in blocks:
        if isinstance(block, Heading):
            yield HEADING, block.runs
        elif isinstance(block, Paragraph):
            yield PARAGRAPH, block.runs
        elif isinstance(block, ListBlock):
            for number, item in enumerate(block.items, 1):
                yield MARKER, f"{number}." if block.ordered else "-"
                yield from pieces(item)
        elif isinstance(block, Table):
            for row in [block.header, *block.rows]:
                yield ROW, row
            if block.caption:
                yield CAPTION, block.caption
        elif isinstance(block, Image):
            yield IMAGE, block.alt
        elif isinstance(block, Section):
            yield SECTION, block.role
            yield from pieces(block.children)
        else:
            yield OTHER, type(block).__name__


def walk(blocks: list[Block]) -> Iterator[Block]:
    """Every block in document order, nested ones included."""
    for block in blocks:
        yield block
        if isinstance(block, Section):
            yield from walk(block.children)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from walk(item)
