"""A Markdown field with some of its paragraphs rewritten, the others kept as they were typed.

markdown-it-py gives each paragraph of the source its lines; the n-th paragraph of the field in
the DOCX is the n-th paragraph of the source. A changed paragraph is written again from the
DOCX's runs (bold and italic kept), on one line, with its list marker when it had one.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt

if TYPE_CHECKING:
    from cpomdocs.wordback.compare import Edit
    from cpomdocs.wordback.read import Piece

_MD = MarkdownIt("commonmark", {"html": False}).enable("table")
_MARKER = re.compile(r"^(\s*(?:[-*+]|\d{1,9}[.)])\s+)")
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<])")
_LINE_START = re.compile(r"^(\s*)([#>+-]|\d{1,9}[.)])(\s|$)")


def _escape(text: str) -> str:
    """Plain text as Markdown that reads the same: emphasis, code, links and HTML neutralised."""
    return _INLINE_SPECIAL.sub(r"\\\1", text)


def pieces_markdown(pieces: list[Piece]) -> str:
    """The accepted text of runs as inline Markdown, bold and italic kept."""
    out = []
    for piece in pieces:
        if piece.change == "del" or not piece.text:
            continue
        text = _escape(piece.text)
        core = text.strip(" ")
        if core and (piece.bold or piece.italic):
            mark = ("**" if piece.bold else "") + ("*" if piece.italic else "")
            lead, trail = text[: len(text) - len(text.lstrip(" "))], text[len(text.rstrip(" ")) :]
            text = f"{lead}{mark}{core}{mark[::-1]}{trail}"
        out.append(text)
    line = re.sub(r"\s+", " ", "".join(out)).strip()
    return _LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}{m.group(3)}", line)


def paragraph_lines(source: str) -> list[tuple[int, int]]:
    """The (first line, end line) of each paragraph of `source`, in order."""
    return [tuple(t.map) for t in _MD.parse(source) if t.type == "paragraph_open" and t.map]  # type: ignore[misc]


def edit_markdown(source: str, edits: list[Edit]) -> str:
    """`source` with the edits of its paragraphs (modifie, ajoute after, supprime) applied."""
    lines = source.split("\n")
    spans = paragraph_lines(source)
    # From the last paragraph up, so that the line numbers of earlier ones stay right; at one
    # paragraph, what goes after it first, then the paragraph itself.
    rank = {"supprime": 0, "modifie": 1, "ajoute": 2}
    ordered = sorted(
        enumerate(edits), key=lambda e: (e[1].paragraph, rank[e[1].operation], e[0]), reverse=True
    )
    for _, edit in ordered:
        if not 1 <= edit.paragraph <= len(spans):
            continue
        first, end = spans[edit.paragraph - 1]
        marker = _MARKER.match(lines[first])
        prefix = marker.group(1) if marker and _in_list(source, first) else ""
        text = pieces_markdown(edit.pieces) if edit.pieces else edit.after
        if edit.operation == "modifie":
            lines[first:end] = [prefix + text]
        elif edit.operation == "supprime":
            del lines[first:end]
            if prefix == "" and first < len(lines) and not lines[first].strip():
                del lines[first]
        elif edit.operation == "ajoute":
            if prefix and edit.list_item:
                lines[end:end] = [prefix + text]
            else:
                lines[end:end] = ["", text]
    return "\n".join(lines)


def _in_list(source: str, line: int) -> bool:
    """True when the paragraph starting at `line` is the first paragraph of a list item."""
    return any(t.type == "list_item_open" and t.map and t.map[0] == line for t in _MD.parse(source))
