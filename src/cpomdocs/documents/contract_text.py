"""The contract's own composed text, read back for an avenant to quote.

An avenant quotes the contract as its template printed it (the default trame or an ARS's own in
templates/): the alinéa presenting an ESSMS, the rows of a table that belong to it, an item of a
list. They are found in the composed blocks by the data paths their values are bound to
(`Run.path`, `Paragraph.path`), and turned back into Markdown for the avenant's template.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from cpomdocs import fmt
from cpomdocs.blanks import PENDING_END, PENDING_START
from cpomdocs.documents.blocks import (
    Block,
    ComposedDocument,
    Heading,
    Inline,
    ListBlock,
    Paragraph,
    Section,
    Table,
    without_paths,
)
from cpomdocs.fmt import MarkdownText

_ARTICLE = re.compile(r"Article (\d+)(?:er)?(?:\s*[–-]\s*(.*))?", re.S)
_ORDINALS = ("premier", "deuxième", "troisième", "quatrième", "cinquième", "sixième")
_ALIGN = {"left": ":--", "right": "--:", "center": ":-:"}


@dataclass
class Place:
    """A table of the contract: its article, the part (sub-heading) and its rank in the part."""

    article: int
    part: str
    rank: int
    of: int  # how many tables the part holds
    table: Table

    def where(self) -> str:
        """« Au tableau « Activité et capacités » », « Au deuxième tableau de la partie « … » »."""
        if self.of == 1:
            return f"Au tableau {fmt.quoted(fmt.md_escape(self.part))}"
        ordinal = _ORDINALS[self.rank] if self.rank < len(_ORDINALS) else f"{self.rank + 1}e"
        return f"Au {ordinal} tableau de la partie {fmt.quoted(fmt.md_escape(self.part))}"


@dataclass
class Alinea:
    """A paragraph or list item of the contract, with the article that holds it."""

    article: int
    blocks: list[Block]
    part: str = ""  # the sub-heading it is printed under, "" when none


def _paths(runs: Inline) -> Iterator[str]:
    for run in runs:
        if run.path:
            yield run.path.lstrip("=")


def _text(runs: Inline) -> str:
    return "".join(run.text for run in runs).strip()


def bound(runs: Inline, prefix: str) -> bool:
    """Whether a value of `runs` shows the data at `prefix` (« etablissements.X » and below)."""
    return any(p == prefix or p.startswith(prefix + ".") for p in _paths(runs))


class ContractText:
    """The body of a composed contract, indexed by article, part, table and alinéa."""

    def __init__(self, document: ComposedDocument) -> None:
        self.places: list[Place] = []
        self.alineas: list[Alinea] = []
        self.titles: dict[int, str] = {}  # each article's title, as the trame prints it
        self._sequence: list[Place | Alinea] = []  # in reading order
        self._article, self._part = 0, ""
        self._walk(document.blocks)
        for place in self.places:
            same = [p for p in self.places if (p.article, p.part) == (place.article, place.part)]
            place.rank, place.of = same.index(place), len(same)

    def _walk(self, blocks: list[Block]) -> None:
        for block in blocks:
            if isinstance(block, Heading) and block.level <= 2:
                found = _ARTICLE.match(_text(block.runs))
                self._article, self._part = (int(found.group(1)) if found else 0), ""
                if found and found.group(2):
                    self.titles[self._article] = found.group(2).strip()
            elif isinstance(block, Heading):
                self._part = _text(block.runs)
            elif isinstance(block, Table):
                self.places.append(Place(self._article, self._part, 0, 1, block))
                self._sequence.append(self.places[-1])
            elif isinstance(block, Paragraph):
                self.alineas.append(Alinea(self._article, [block], self._part))
                self._sequence.append(self.alineas[-1])
            elif isinstance(block, ListBlock):
                items = [Alinea(self._article, item, self._part) for item in block.items]
                self.alineas.extend(items)
                self._sequence.extend(items)
            elif isinstance(block, Section):
                self._walk(block.children)

    def rows(self, prefix: str, name: str = "") -> list[tuple[Place, list[int]]]:
        """The tables holding rows about `prefix` (bound values, or first cell `name`), and
        the indexes of those rows."""
        found = []
        for place in self.places:
            hits = [i for i, row in enumerate(place.table.rows) if self.owns(row, prefix, name)]
            if hits:
                found.append((place, hits))
        return found

    @staticmethod
    def owns(row: list[Inline], prefix: str, name: str = "") -> bool:
        """Whether a table row is about `prefix` (an ESSMS: its values, or its name first)."""
        if any(bound(cell, prefix) for cell in row):
            return True
        return bool(name) and bool(row) and _text(row[0]) == name

    def alinea(self, prefix: str) -> Alinea | None:
        """The first alinéa (paragraph or list item) showing a value bound to `prefix`."""
        for alinea in self.alineas:
            if any(bound(b.runs, prefix) for b in alinea.blocks if isinstance(b, Paragraph)):
                return alinea
        return None

    def alineas_of(self, prefix: str) -> list[Alinea]:
        """The consecutive alinéas about `prefix`: one showing its values, or a text of its own
        (« etablissements.X.activites »), and those that follow it while they are about it."""
        found: list[Alinea] = []
        for alinea in self.alineas:
            about = any(
                bound(b.runs, prefix) or b.path == prefix or b.path.startswith(prefix + ".")
                for b in alinea.blocks
                if isinstance(b, Paragraph)
            )
            if about:
                found.append(alinea)
            elif found:
                break
        return found

    def following(self, place: Place) -> Alinea | None:
        """The alinéa right after a table (« Pour l'année 2024, ces financements … »)."""
        index = self._sequence.index(place)
        after = self._sequence[index + 1 : index + 2]
        return after[0] if after and isinstance(after[0], Alinea) else None


def markdown(runs: Inline) -> MarkdownText:
    """Runs as Markdown that composes back to the same text and emphasis."""
    out = []
    for run in without_paths(runs):
        text = fmt.md_escape(run.text)
        if run.pending:
            text = f"{PENDING_START}{text}{PENDING_END}"
        core = text.strip(" ")
        if core and (run.bold or run.italic):
            mark = "**" if run.bold else "*"
            mark = "***" if run.bold and run.italic else mark
            lead, trail = text[: len(text) - len(text.lstrip(" "))], text[len(text.rstrip(" ")) :]
            text = f"{lead}{mark}{core}{mark}{trail}"
        out.append(text + ("\\\n" if run.line_break else ""))
    return MarkdownText("".join(out).strip())


def plain_text(alinea: Alinea) -> str:
    """An alinéa's text as a reader reads it (its paragraphs joined by a space)."""
    return " ".join(_text(b.runs) for b in alinea.blocks if isinstance(b, Paragraph))


def alinea_markdown(alinea: Alinea) -> MarkdownText:
    """An alinéa's text as Markdown (the paragraphs of a list item joined by a blank line)."""
    parts = [markdown(b.runs) for b in alinea.blocks if isinstance(b, Paragraph)]
    return MarkdownText("\n\n".join(p for p in parts if p))


def table_markdown(table: Table, rows: list[int] | None = None) -> MarkdownText:
    """A table (or some of its rows, under its header) as a Markdown table."""

    def line(cells: list[Inline]) -> str:
        return "| " + " | ".join(markdown(cell) for cell in cells) + " |"

    align = [_ALIGN.get(a, ":--") for a in table.align] or [":--"] * len(table.header)
    chosen = table.rows if rows is None else [table.rows[i] for i in rows]
    lines = [line(table.header), "|" + "|".join(align) + "|", *map(line, chosen)]
    return MarkdownText("\n".join(lines))
