"""The words of a composed document in order, and their digest, which the DOCX carries so that
a document rebuilt later from the same commit can be told apart from one whose templates changed."""

from __future__ import annotations

import hashlib

from cpomdocs.documents import reading
from cpomdocs.documents.blocks import Block
from cpomdocs.render.columns import plain

_RUNS = (reading.HEADING, reading.PARAGRAPH)


def text_digest(blocks: list[Block]) -> str:
    """The sha256 of the document's words in order: a DOCX rebuilt later from the same commit
    must give the same, or its templates (or cpomdocs) have changed since. The words are those
    Word shows once the changes are accepted: headings, paragraphs and each table cell on a
    line (list markers, captions and images play no part)."""
    digest = hashlib.sha256()
    for kind, value in reading.pieces(blocks):
        cells = value if kind == reading.ROW else [value] if kind in _RUNS else []
        for runs in cells:
            digest.update(plain(runs).encode("utf-8") + b"\n")
    return digest.hexdigest()
