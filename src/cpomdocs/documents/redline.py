"""Redlines: two composed documents merged into one whose runs carry insertions and deletions.

Blocks are aligned first (difflib over their texts), then each replaced block is compared word by
word on its own: never the whole document at once (SequenceMatcher is quadratic).
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Callable
from typing import Any

from cpomdocs.documents.blocks import (
    HEADING,
    IMAGE,
    OTHER,
    PARAGRAPH,
    ROW,
    SECTION,
    Block,
    ComposedDocument,
    Heading,
    ListBlock,
    Paragraph,
    Run,
    Section,
    Table,
    pieces,
)
from cpomdocs.versions.word_groups import grouped_opcodes

# Words and the spaces between them; a no-break space (thousands in « 1 234 500 € », before
# « € », « % » or « : ») binds, so that an amount or a percentage changes as a whole.
_TOKEN = re.compile(r"(?:\S|[\u00a0\u202f])+|[^\S\u00a0\u202f]+")
Token = tuple[str, bool, bool]  # text, bold, italic


def block_text(block: Any) -> str:
    """The plain text of a block, to align blocks and to compare them: its texts one a line
    (line breaks kept, cells joined by tabs, a section's role first), without list markers or
    captions; an image or a block without text counts by its kind."""
    lines = []
    for kind, value in pieces([block]):
        if kind in (HEADING, PARAGRAPH):
            lines.append("".join(r.text + ("\n" if r.line_break else "") for r in value))
        elif kind == ROW:
            lines.append("\t".join(_runs_text(cell) for cell in value))
        elif kind in (SECTION, OTHER):
            lines.append(value)
        elif kind == IMAGE:
            lines.append("Image")
    return "\n".join(lines)


def _runs_text(runs: list[Run]) -> str:
    return "".join(r.text for r in runs)


def _signature(block: Any) -> str:
    return f"{type(block).__name__}:{getattr(block, 'level', '')}:{block_text(block)}"


def _tokens(runs: list[Run]) -> list[Token]:
    found: list[Token] = []
    for run in runs:
        found.extend((t, run.bold, run.italic) for t in _TOKEN.findall(run.text))
        if run.line_break:
            found.append(("\n", run.bold, run.italic))
    return found


def _emit(tokens: list[Token], change: str) -> list[Run]:
    runs: list[Run] = []
    for text, bold, italic in tokens:
        if text == "\n":
            if runs:
                runs[-1] = dataclasses.replace(runs[-1], line_break=True)
            else:
                runs.append(Run("", bold, italic, change, line_break=True))
            continue
        last = runs[-1] if runs else None
        if (
            last
            and not last.line_break
            and (last.bold, last.italic, last.change) == (bold, italic, change)
        ):
            runs[-1] = dataclasses.replace(last, text=last.text + text)
        else:
            runs.append(Run(text, bold, italic, change))
    return runs


def redline_runs(old: list[Run], new: list[Run], stacked: bool = False) -> list[Run]:
    """Word-by-word differences of two inline texts, as runs marked "del" and "ins" (a short
    parenthesised group changed in several places: struck whole, then inserted whole).

    A replaced value never touches its replacement: a space parts them, or, `stacked` (a table
    cell, whose width must not grow), a line break puts the old value above the new one.
    """
    a, b = _tokens(old), _tokens(new)
    words_a, words_b = [t[0] for t in a], [t[0] for t in b]
    if words_a == words_b:  # the same words (most cells of a changed row): one equal part
        return _merge(_emit(b, ""))
    return _diffed(a, b, grouped_opcodes(words_a, words_b), stacked)


def _diffed(a: list[Token], b: list[Token], opcodes: list[Any], stacked: bool) -> list[Run]:
    """`redline_runs` of tokens `a` and `b` by their word opcodes."""
    out: list[Run] = []
    skip = 0  # the space that opens an equal part, given to the replacement before it
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            out += _emit(b[j1 + skip : j2], "")
            skip = 0
            continue
        deleted, inserted = _emit(a[i1:i2], "del"), _emit(b[j1:j2], "ins")
        if deleted and inserted and _opening(out, b, j2, opcodes[index + 1 :], stacked):
            # « ~~Le … Lyon. ~~La … Nantes. Suite. »: each sentence keeps the space after it
            deleted[-1] = dataclasses.replace(deleted[-1], text=deleted[-1].text + b[j2][0])
            inserted[-1] = dataclasses.replace(inserted[-1], text=inserted[-1].text + b[j2][0])
            skip = 1
        elif deleted and inserted:
            glued = j2 < len(b) and not b[j2][0].isspace()  # the text goes on in the same word
            _part(out, deleted, inserted, stacked, glued)
        out += deleted + inserted
    return _merge(out)


def _opening(
    out: list[Run],
    b: list[Token],
    j2: int,
    rest: list[tuple[str, int, int, int, int]],
    stacked: bool,
) -> bool:
    """A replacement that opens the text and that an unchanged space follows."""
    following = j2 < len(b) and b[j2][0].isspace() and b[j2][0] != "\n"
    return not out and not stacked and following and bool(rest) and rest[0][0] == "equal"


def _part(
    before: list[Run], deleted: list[Run], inserted: list[Run], stacked: bool, glued: bool
) -> None:
    """Part a deleted value from its replacement, so that they never touch.

    In a table cell (`stacked`) the old value goes above the new one (a line break), so that
    the column does not widen. Elsewhere the space before them is given to both (« pour
    ~~ cinq~~ six ans »): accepting or rejecting every change still gives single spaces.
    """
    last = deleted[-1]
    if stacked:
        deleted[-1] = dataclasses.replace(last, line_break=True)
        return
    if last.line_break or last.text[-1:] == " " or inserted[0].text[:1] == " ":
        return
    previous = before[-1] if before else None
    if previous and not previous.line_break and previous.text.endswith(" "):
        before[-1] = dataclasses.replace(previous, text=previous.text[:-1])
        if not before[-1].text:
            before.pop()
        deleted[0] = dataclasses.replace(deleted[0], text=" " + deleted[0].text)
        inserted[0] = dataclasses.replace(inserted[0], text=" " + inserted[0].text)
    elif not before and glued:  # « ~~80~~ 90. »: a space after « 80 » would part it from « . »
        inserted[0] = dataclasses.replace(inserted[0], text=" " + inserted[0].text)
    else:
        deleted[-1] = dataclasses.replace(last, text=last.text + " ")


def _merge(runs: list[Run]) -> list[Run]:
    merged: list[Run] = []
    for run in runs:
        last = merged[-1] if merged else None
        same = last and (last.bold, last.italic, last.change) == (run.bold, run.italic, run.change)
        if last and same and not last.line_break:
            merged[-1] = dataclasses.replace(
                last, text=last.text + run.text, line_break=run.line_break
            )
        else:
            merged.append(run)
    return merged


def mark(block: Any, change: str) -> Any:
    """A whole block inserted ("ins") or deleted ("del"): every run of it marked."""

    def runs(items: list[Run]) -> list[Run]:
        return [dataclasses.replace(r, change=change) for r in items]

    if isinstance(block, Heading | Paragraph):
        return dataclasses.replace(block, runs=runs(block.runs))
    if isinstance(block, ListBlock):
        return ListBlock(block.ordered, [[mark(b, change) for b in item] for item in block.items])
    if isinstance(block, Table):
        rows = [[runs(cell) for cell in row] for row in block.rows]
        return dataclasses.replace(block, header=[runs(c) for c in block.header], rows=rows)
    if isinstance(block, Section):
        return Section(block.role, [mark(b, change) for b in block.children])
    return block


def _pair(old: Any, new: Any) -> list[Any] | None:
    """One block compared with its counterpart, or None when they cannot be compared."""
    if type(old) is not type(new):
        return None
    if isinstance(old, Heading | Paragraph) and getattr(old, "level", 0) == getattr(
        new, "level", 0
    ):
        return [dataclasses.replace(new, runs=redline_runs(old.runs, new.runs))]
    if isinstance(old, Section) and old.role == new.role:
        return [Section(new.role, redline_blocks(old.children, new.children))]
    if isinstance(old, ListBlock) and old.ordered == new.ordered:
        items = _align(
            old.items, new.items, lambda i: "\n".join(map(_signature, i)), _item_pair, _mark_item
        )
        return [ListBlock(new.ordered, items)]
    if isinstance(old, Table) and len(old.header) == len(new.header):
        return [_table(old, new)]
    return None


def _mark_item(item: list[Any], change: str) -> list[Any]:
    return [mark(b, change) for b in item]


def _item_pair(old: list[Any], new: list[Any]) -> list[list[Any]] | None:
    return [redline_blocks(old, new)]


def _table(old: Table, new: Table) -> Table:
    header = [redline_runs(a, b) for a, b in zip(old.header, new.header, strict=True)]

    def row_pair(a: list, b: list) -> list[list] | None:
        return [[redline_runs(x, y, stacked=True) for x, y in zip(a, b, strict=True)]]

    def mark_row(row: list, change: str) -> list:
        return [[dataclasses.replace(r, change=change) for r in cell] for cell in row]

    rows = _align(old.rows, new.rows, lambda r: "\t".join(map(_runs_text, r)), row_pair, mark_row)
    return dataclasses.replace(new, header=header, rows=rows)


def _align(
    old: list[Any],
    new: list[Any],
    key: Callable[[Any], str],
    pair: Callable[[Any, Any], list[Any] | None],
    marker: Callable[[Any, str], Any],
) -> list[Any]:
    out: list[Any] = []
    matcher = difflib.SequenceMatcher(
        None, [key(x) for x in old], [key(x) for x in new], autojunk=False
    )
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.extend(new[j1:j2])
            continue
        olds, news = old[i1:i2], new[j1:j2]
        for index in range(max(len(olds), len(news))):
            a = olds[index] if index < len(olds) else None
            b = news[index] if index < len(news) else None
            paired = pair(a, b) if a is not None and b is not None else None
            if paired is not None:
                out.extend(paired)
                continue
            if a is not None:
                out.append(marker(a, "del"))
            if b is not None:
                out.append(marker(b, "ins"))
    return out


def redline_blocks(old: list[Block], new: list[Block]) -> list[Block]:
    """The blocks of NEW with OLD's differences marked: deleted runs kept, inserted runs marked."""
    return _align(old, new, _signature, _pair, mark)


def redline_document(old: ComposedDocument, new: ComposedDocument, label: str) -> ComposedDocument:
    """A redline of two composed documents, titled with what is compared."""
    meta = dataclasses.replace(
        new.meta,
        version_label=label,
        watermark="",
        attachments=[],
        subject=f"{new.meta.subject} – {label}",
    )
    return ComposedDocument(meta, redline_blocks(old.blocks, new.blocks))


def accept_all(blocks: list[Any]) -> str:
    """The text of a redline with every change accepted (NEW's text)."""
    return _text(blocks, "del")


def reject_all(blocks: list[Any]) -> str:
    """The text of a redline with every change rejected (OLD's text)."""
    return _text(blocks, "ins")


def _text(blocks: list[Any], dropped: str) -> str:
    def keep(runs: list[Run]) -> list[Run]:
        return [r for r in runs if r.change != dropped]

    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Heading | Paragraph):
            text = "".join(r.text + ("\n" if r.line_break else "") for r in keep(block.runs))
            if text or not all(r.change == dropped for r in block.runs):
                lines.append(text)
        elif isinstance(block, ListBlock):
            lines.extend(_text(item, dropped) for item in block.items)
        elif isinstance(block, Table):
            rows = [block.header, *block.rows]
            for row in rows:
                if row and all(all(r.change == dropped for r in cell) and cell for cell in row):
                    continue
                lines.append("\t".join(_runs_text(keep(cell)) for cell in row))
        elif isinstance(block, Section):
            lines.append(_text(block.children, dropped))
    return "\n".join(line for line in lines if line)
