"""The composed document: a flat tree of blocks that both writers (HTML/PDF and DOCX) render.

compose.py makes these from Markdown (markdown-it-py); pdf.py and docx.py only read them, so the
PDF and the DOCX of a document cannot say different things.

Composed blocks read in order, for those that read a document as text rather than draw it: the
signed text's digests (signed_text.py), the redline's alignment (redline.py) and the DOCX's text
digest (render/docx.py). Each keeps the pieces it needs and spells them its own way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, init=False)
class Run:
    """A piece of inline text with its emphasis."""

    text: str
    bold: bool = False
    italic: bool = False
    change: str = (
        ""  # redlines: "ins" (inserted, green underline / w:ins) or "del" (red strike / w:del)
    )
    line_break: bool = False  # a hard line break after the text
    link: str = ""  # the target of a Markdown link (http, https or mailto)
    superscript: bool = False  # the letters of an ordinal: 1er, 2e (typography.py)
    keep: bool = False  # never broken across lines (an amount, a date, a reference)
    path: str = ""  # the data path the text shows (« objectifs.O3.cibles.2027 »), "" for fixed text
    pending: bool = False  # a blank to fill in a draft: « [à compléter] », highlighted
    colour: str = ""  # a text colour, "#rrggbb" (a chart key's swatch); "" for the usual colour

    def __init__(  # the fields set in one update: a frozen dataclass's own __init__ calls
        self,  # object.__setattr__ per field, 1.7 times slower, and a document makes thousands
        text: str,
        bold: bool = False,
        italic: bool = False,
        change: str = "",
        line_break: bool = False,
        link: str = "",
        superscript: bool = False,
        keep: bool = False,
        path: str = "",
        pending: bool = False,
        colour: str = "",
    ) -> None:
        self.__dict__.update(
            text=text, bold=bold, italic=italic, change=change, line_break=line_break, link=link,
            superscript=superscript, keep=keep, path=path, pending=pending, colour=colour,
        )  # fmt: skip


Inline = list[Run]


@dataclass
class Heading:
    """A heading; level 1 = titre / annexe, 2 = article, 3 = sub-heading."""

    level: int
    runs: Inline
    anchor: str = ""  # stable id for links and the table of contents


@dataclass
class Paragraph:
    """A paragraph; `style` names a role both writers know (see STYLES)."""

    runs: Inline
    style: str = ""
    path: str = ""  # the Markdown field of the data this paragraph belongs to (« preambule »)


@dataclass
class ListBlock:
    """A bulleted or numbered list; each item is a list of blocks."""

    ordered: bool
    items: list[list[Block]]


@dataclass
class Table:
    """A table whose header row repeats on each page; cells are inline runs."""

    header: list[Inline]
    rows: list[list[Inline]]
    align: list[str] = field(default_factory=list)  # "left" | "right" | "center" per column
    total_rows: int = 0  # how many last rows are totals (shown bold)
    caption: str = ""


class Image:
    """A figure: SVG for the PDF, PNG for the DOCX, each made only when a writer asks for it.

    A logo comes with its bytes; a chart comes with `draw(format)`, called at most once per
    format, so that a build writing only the PDF never draws a PNG (and the reverse).
    """

    def __init__(
        self,
        svg: bytes = b"",
        png: bytes = b"",
        alt: str = "",
        width_cm: float = 16.0,
        draw: Callable[[str], bytes] | None = None,
    ) -> None:
        self._data = {"svg": svg, "png": png}
        self.alt = alt
        self.width_cm = width_cm
        self._draw = draw

    def data(self, kind: str) -> bytes:
        """The figure as `kind` ("svg" or "png"): given, drawn once, or b"" when it has none."""
        if not self._data[kind] and self._draw is not None:
            self._data[kind] = self._draw(kind)
        return self._data[kind]

    @property
    def svg(self) -> bytes:
        """The figure as SVG (b"" when it has none)."""
        return self.data("svg")

    @property
    def png(self) -> bytes:
        """The figure as PNG (b"" when it has none)."""
        return self.data("png")

    def __repr__(self) -> str:
        return f"Image(alt={self.alt!r}, width_cm={self.width_cm})"


@dataclass
class PageBreak:
    """Start a new page."""


@dataclass
class TableOfContents:
    """Where the table of contents goes (headings of level 1 and 2)."""


@dataclass
class Section:
    """A group of blocks with a role: "cover", "signatures", "signature-block", "annex"…"""

    role: str
    children: list[Block]


Block = Heading | Paragraph | ListBlock | Table | Image | PageBreak | TableOfContents | Section

# Paragraph styles both writers must support (CSS class in HTML, Word style in DOCX).
STYLES = {
    "": "body text",
    "center": "centred text (parties block: « Entre, », « D'une part, »)",
    "title": "cover title",
    "subtitle": "cover subtitle",
    "visa": "a « Vu … ; » line",
    "note": "small print (sources, notes under tables)",
    "signature": "a name/title line in a signature block",
    "figure": "a figure's caption: its title and key, kept with the figure below it",
    "lead": "a paragraph that announces what follows (« … ainsi modifié : »), kept with it",
}


@dataclass
class DocumentMeta:
    """What a writer needs besides the blocks: titles, dates, watermark, attachments."""

    title: str  # e.g. "Contrat pluriannuel d'objectifs et de moyens"
    running_title: str  # page header text
    author: str  # the OG
    subject: str
    keywords: list[str]
    version_label: str  # footer: "version 3" / "version consolidée au 1er juillet 2027"
    created: str  # ISO date-time, from SOURCE_DATE_EPOCH or the last commit
    watermark: str = ""  # "PROJET – version 2" when not signed, else ""
    language: str = "fr"
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)  # name, data, mime
    change_author: str = "cpomdocs"  # author of tracked changes (w:ins / w:del) in redlines
    properties: dict[str, str] = field(default_factory=dict)  # DOCX custom properties


def run_with(run: Run, **changes: object) -> Run:
    """`dataclasses.replace(run, **changes)` without its checks per call: runs are many (a
    contract typesets thousands), and a frozen Run is a plain record of its fields."""
    new = object.__new__(Run)
    new.__dict__.update(run.__dict__, **changes)
    return new


def without_paths(runs: Inline) -> Inline:
    """Runs as a reader sees them: data paths dropped, neighbours of the same look merged."""
    merged: Inline = []
    for run in runs:
        last = merged[-1] if merged else None
        if last is not None and not last.line_break and _look(last) == _look(run):
            merged[-1] = run_with(last, text=last.text + run.text, line_break=run.line_break)
        else:
            merged.append(run_with(run, path="") if run.path else run)  # frozen: shared as is
    return merged


def _look(run: Run) -> tuple:
    return (
        run.bold,
        run.italic,
        run.change,
        run.link,
        run.superscript,
        run.keep,
        run.pending,
        run.colour,
    )


@dataclass
class ComposedDocument:
    """A document ready for the writers."""

    meta: DocumentMeta
    blocks: list[Block]
    typeset: bool = field(default=False, compare=False)  # typography.typeset() done already


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
