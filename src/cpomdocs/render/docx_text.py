"""The words of a composed document in order, and their digest, which the DOCX carries so that
a document rebuilt later from the same commit can be told apart from one whose templates changed."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from cpomdocs.documents.blocks import Block, Heading, Inline, ListBlock, Paragraph, Section, Table
from cpomdocs.render.columns import plain


def walk(blocks: list[Block]) -> Iterator[Block]:
    """Every block in document order, nested ones included."""
    for block in blocks:
        yield block
        if isinstance(block, Section):
            yield from walk(block.children)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from walk(item)


def text_digest(blocks: list[Block]) -> str:
    """The sha256 of the document's words in order: a DOCX rebuilt later from the same commit
    must give the same, or its templates (or cpomdocs) have changed since."""
    digest = hashlib.sha256()
    for block in walk(blocks):
        rows: list[Inline] = []
        if isinstance(block, Heading | Paragraph):
            rows = [block.runs]
        elif isinstance(block, Table):
            rows = [*block.header, *(cell for row in block.rows for cell in row)]
        for runs in rows:
            digest.update(plain(runs).encode("utf-8") + b"\n")
    return digest.hexdigest()
