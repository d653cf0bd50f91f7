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
    from cpomdocs.wordback.paragraphs import Piece

_MD = MarkdownIt("commonmark", {"html": False}).enable("table")
_MARKER = re.compile(r"^(\s*(?:[-*+]|\d{1,9}[.)])\s+)")
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<])")
_LINE_START = re.compile(r"^(\s*)([#>+-]|\d{1,9}[.)])(\s|$)")
_SOURCE_TOKEN = re.compile(r"\*\*|\*|\\[!-/:-@\[-`{-~]|\w+|\s+|.")


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


def _plain_tokens(source: str) -> list[tuple[int, int, str]]:
    """Tokens of a Markdown paragraph: (start, end, what it shows); emphasis marks show "",
    escapes their character, line breaks and spaces one space."""
    found = []
    for match in _SOURCE_TOKEN.finditer(source):
        token = match.group()
        if token in ("*", "**"):
            shown = ""
        elif token.startswith("\\") and len(token) == 2:
            shown = token[1]
        elif token.isspace():
            shown = " "
        else:
            shown = token
        found.append((match.start(), match.end(), shown))
    return found


def splice(source: str, old_text: str, new_text: str) -> str | None:
    """`source` (one paragraph of Markdown) with the words that changed from `old_text` to
    `new_text` replaced where they stand: line breaks and emphasis elsewhere kept. None when
    the source does not read as `old_text` (links, code…)."""
    from cpomdocs.documents.typography import plain as untypeset
    from cpomdocs.wordback.compare import regions

    tokens = _plain_tokens(source)
    plain, starts = [], []
    for _, _, shown in tokens:
        starts.append(sum(map(len, plain)))
        plain.append(shown)
    if untypeset("".join(plain)) != untypeset(old_text):  # the document's text is typeset
        return None
    out = source
    for start, end, replacement in sorted(regions(old_text, new_text), reverse=True):
        covered = [
            i
            for i, (s, e) in enumerate(zip(starts, [*starts[1:], len(old_text)], strict=True))
            if plain[i] and s < end and e > start
        ]
        text = _escape(replacement)
        if covered:
            first, last = covered[0], covered[-1]
            lead = start - starts[first]
            trail = starts[last] + len(plain[last]) - end
            piece = plain[first][:lead] if lead > 0 else ""
            after = plain[last][len(plain[last]) - trail :] if trail > 0 else ""
            out = out[: tokens[first][0]] + piece + text + after + out[tokens[last][1] :]
        else:
            at = next((tokens[i][0] for i in range(len(tokens)) if starts[i] >= start and plain[i]),
                      len(source))  # fmt: skip
            out = out[:at] + text + out[at:]
    return out


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
            block = "\n".join(lines[first:end])[len(prefix) :]
            kept = splice(block, edit.before, edit.after)
            lines[first:end] = (prefix + kept).split("\n") if kept is not None else [prefix + text]
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
