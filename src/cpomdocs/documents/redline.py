"""Redlines: two composed documents merged into one whose runs carry insertions and deletions.

Blocks are aligned first (difflib over their texts), then each replaced block is compared word by
word on its own: never the whole document at once (SequenceMatcher is quadratic).
"""

from __future__ import annotations

import dataclasses
import difflib
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
from cpomdocs.documents.redline_words import redline_runs, runs_text


def block_text(block: Any) -> str:
    """The plain text of a block, to align blocks and to compare them: its texts one a line
    (line breaks kept, cells joined by tabs, a section's role first), without list markers or
    captions; an image or a block without text counts by its kind."""
    lines = []
    for kind, value in pieces([block]):
        if kind in (HEADING, PARAGRAPH):
            lines.append("".join(r.text + ("\n" if r.line_break else "") for r in value))
        elif kind == ROW:
            lines.append("\t".join(runs_text(cell) for cell in value))
        elif kind in (SECTION, OTHER):
            lines.append(value)
        elif kind == IMAGE:
            lines.append("Image")
    return "\n".join(lines)


def _signature(block: Any) -> str:
    return f"{type(block).__name__}:{getattr(block, 'level', '')}:{block_text(block)}"


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

    rows = _align(old.rows, new.rows, lambda r: "\t".join(map(runs_text, r)), row_pair, mark_row)
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
                lines.append("\t".join(runs_text(keep(cell)) for cell in row))
        elif isinstance(block, Section):
            lines.append(_text(block.children, dropped))
    return "\n".join(line for line in lines if line)
