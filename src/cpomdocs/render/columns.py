"""Column widths of a table from its content, for both writers (DOCX grid, PDF <col> widths).

WeasyPrint's automatic table layout measures every cell twice (a quarter of an annexes PDF);
Word has no layout of its own worth trusting. cpomdocs knows every cell, so it computes the
widths once, from the advance widths of the font that draws the table (metrics.py): Arial in
the DOCX, DejaVu Sans Condensed in the PDF.
"""

from __future__ import annotations

import re

from cpomdocs.documents.blocks import Inline, Run, Table, run_with
from cpomdocs.render import metrics

TEXT_WIDTH = 9298  # twips: A4 less 2 × 2.3 cm, as in scripts/make_docx_template.py
CELL_PADDING = 230  # twips: the cell margins of the table style and some air
PDF_SPARE = 40  # twips: what the PDF's cells (padding 2 × 0.15 cm = 170) can give of that air
# Word and LibreOffice draw Arial (Liberation Sans) a little wider than its advance widths add
# up to (hinting, rounding to their layout units): an amount measured to the twip broke before
# its « € » in LibreOffice (« 1 533 000 / € »). A DOCX amount gets this much more room.
DOCX_AMOUNT_AIR = 90
MIN_COLUMN = 600
MEASURED_CHARS = 200
UNKNOWN = 0.7  # em: a character the tables below lack (wider than most letters)
INVISIBLE = "\u00ad\u200b\u2060\ufeff"  # soft hyphen, zero-width spaces: no width
COMPOUND = re.compile(r"\w+(?:’\w+)*(?:-\w+(?:’\w+)*)+")  # « Auvergne-Rhône-Alpes », « Côte-d’Or »
# A figure column is as wide as its typical cell: one cell in RARE rows (not an amount) may wrap
# when that saves MIN_GAIN twips (« 232 kWh/m²/an / (2022) », « 225 / kWh/m²/an »), so that
# a single long reference does not widen its column for every row and squeeze the labels.
RARE = 6
MIN_GAIN = 250
UNIT_SPACE = re.compile("(?<=\\d)\u00a0(?=[^\\W\\d_])")  # « 225 kWh », not « 12 % », « 5 € »


class Font(dict):
    """Advance widths in em by character of a font (regular or bold), from metrics.py."""

    def __init__(self, widths: str, fallback: Font | None = None) -> None:
        pairs = zip(metrics.CHARS, map(int, widths.split()), strict=True)
        super().__init__((char, width / 1000) for char, width in pairs if width)
        self.update(dict.fromkeys(INVISIBLE, 0.0))
        self.fallback = fallback  # where a character is missing (Word falls back too)

    def __missing__(self, char: str) -> float:
        width = self.fallback[char] if self.fallback is not None else UNKNOWN
        self[char] = width
        return width


PDF = Font(metrics.DEJAVU_CONDENSED), Font(metrics.DEJAVU_CONDENSED_BOLD)
DOCX = Font(metrics.ARIAL, PDF[0]), Font(metrics.ARIAL_BOLD, PDF[1])


def plain(runs: Inline) -> str:
    """The text of runs as it reads once the changes are accepted."""
    return "".join(r.text + (" " if r.line_break else "") for r in runs if r.change != "del")


def text_width(value: str, size: int, bold: bool = False, font: tuple[Font, Font] = DOCX) -> int:
    """The width in twips of `value` at `size` half-points in `font` (regular, bold)."""
    value = value[:MEASURED_CHARS]  # wider cells wrap anyway
    em = sum(map(font[bold].__getitem__, value))  # map and sum run in C: called per cell
    return int(em * size * 10) + 1


def _lines(cell: Inline) -> list[str]:
    """The lines of a cell as the PDF shows them: deleted words too, split at hard breaks (a
    redline puts the old amount above the new one)."""
    lines, current = [], ""
    for run in cell:
        current += run.text
        if run.line_break:
            lines.append(current)
            current = ""
    return [*lines, current]


def column_widths(
    table: Table,
    size: int = 17,
    total: int = TEXT_WIDTH,
    unbroken: list[bool] | None = None,
    deletions_shown: bool = False,
    font: tuple[Font, Font] = DOCX,
) -> list[int]:
    """Widths in twips: amounts never wrap, no word is cut, short columns (labels, dates) stay
    on one line when the others can wrap instead, long text columns share what is left.

    A word is what no-break spaces hold together: a date, an amount with its unit, « n° 12 ».
    `unbroken` marks the columns whose cells, header included, never wrap (the PDF's amounts,
    short codes and years). `deletions_shown` (the PDF): deleted words take room too (a redline
    shows them struck beside the inserted ones; Word hides them once changes are accepted), and
    a table whose amounts cannot fit gets wider than `total` (into the margin, as a browser
    does) instead of cutting them. `font`: PDF or DOCX, the table font's metrics.
    """
    count = max([len(table.header)] + [len(row) for row in table.rows]) or 1
    right = [a == "right" for a in [*table.align, *[""] * count][:count]]
    keep = [bool(unbroken and i < len(unbroken) and unbroken[i]) for i in range(count)]
    numeric = [n or k for n, k in zip(right, keep, strict=True)]
    natural, need, heading = [MIN_COLUMN] * count, [MIN_COLUMN] * count, [0] * count
    head_line, head_word = [0] * count, [0] * count  # a kept column's heading: whole, a word
    figures: list[list[tuple[int, int, bool]]] = [[] for _ in range(count)]
    first_total = len(table.rows) - table.total_rows
    for index, row in enumerate([table.header, *table.rows]):
        bold = index == 0 or index > first_total
        for i, cell in enumerate(row):
            lines = _lines(cell) if deletions_shown else [plain(cell)]
            content = " ".join(lines)
            one_line = max(text_width(line, size, bold, font) for line in lines) + CELL_PADDING
            if index == 0 and keep[i]:
                words = content.split(" ")
                head_line[i] = one_line
                head_word[i] = max(text_width(w, size, bold, font) for w in words) + CELL_PADDING
                continue
            if numeric[i] and index > 0:  # a figure: sized with its column's others below
                air = DOCX_AMOUNT_AIR if font is DOCX else 0
                piece = max(_piece(line, size, bold, font) for line in lines)
                whole = len(lines) > 1 or "€" in content  # amounts and redlines never wrap
                wraps = right[i] and not whole  # codes and years (kept, left) never wrap
                figures[i].append((one_line + air, piece + air, wraps))
                continue
            natural[i] = max(natural[i], one_line)  # as CSS: slack shared by max-content
            words = set(content.split(" "))  # no-break spaces hold dates and amounts whole
            longest = max(text_width(word, size, bold, font) for word in words)
            need[i] = max(need[i], longest + CELL_PADDING)
            if index == 0:
                heading[i] = need[i]
    widest = [max([c[0] for c in cells], default=0) for cells in figures]
    alone = sum(max(n, m, w) for n, m, w in zip(natural, need, widest, strict=True))
    for i, cells in enumerate(figures):  # a rare long figure wraps only to make room
        if cells:
            need[i] = max(need[i], widest[i] if alone <= total else _typical(cells))
            natural[i] = max(natural[i], need[i])
    natural = [max(n, m) for n, m in zip(natural, need, strict=True)]
    whole = [max(n, h) for n, h in zip(natural, head_line, strict=True)]
    if sum(whole) <= total:  # every cell on one line, kept headings too
        need = [max(m, h) for m, h in zip(need, head_line, strict=True)]
        natural = whole
    else:  # a text column wraps: a kept column's heading wraps first (« Tarif / journalier »)
        need = [max(m, h) for m, h in zip(need, head_word, strict=True)]
        natural = [max(n, h) if k else n for n, h, k in zip(natural, head_word, keep, strict=True)]
    if sum(natural) <= total:  # every cell fits on one line: share the rest by length
        widths = [total * n // sum(natural) for n in natural]
    elif sum(need) <= total:  # some text wraps, between words
        widths = _share(natural, need, total)
    elif deletions_shown and sum(need) - PDF_SPARE * count <= total:  # a wide PDF table: less air
        tight = [m - PDF_SPARE for m in need]
        widths = _share([n - PDF_SPARE for n in natural], tight, total)
    elif sum(m if n else MIN_COLUMN for m, n in zip(need, numeric, strict=True)) < total:
        # amounts keep their width; text columns share the rest evenly, none more than it needs
        widths = list(need)
        room = total - sum(m for m, n in zip(need, numeric, strict=True) if n)
        texts = sorted((i for i in range(count) if not numeric[i]), key=need.__getitem__)
        for k, i in enumerate(texts):
            widths[i] = min(need[i], room // (len(texts) - k))
            room -= widths[i]
    else:  # too many columns for the page: text columns get the least, amounts share the rest
        least = [max(MIN_COLUMN, heading[i]) for i in range(count)]  # its heading's words
        room = total - sum(least[i] for i in range(count) if not numeric[i])
        if deletions_shown:  # the PDF: amounts keep their width, the table overflows the margin
            room = max(room, sum(m for m, n in zip(need, numeric, strict=True) if n))
        amounts = sum(m for m, n in zip(need, numeric, strict=True) if n) or 1
        widths = [room * need[i] // amounts if numeric[i] else least[i] for i in range(count)]
    widths[-1] += max(total - sum(widths), 0)
    return widths


def _piece(line: str, size: int, bold: bool, font: tuple[Font, Font]) -> int:
    """The width of the longest piece of a figure broken where it may wrap: at its spaces and
    between a number and its unit word."""
    pieces = UNIT_SPACE.sub(" ", line).split(" ")
    return max(text_width(piece, size, bold, font) for piece in pieces) + CELL_PADDING


def _typical(cells: list[tuple[int, int, bool]]) -> int:
    """The width of a figure column from its cells' (one line, longest piece, may wrap): the
    widest cell's, unless the widest are rare and may wrap: then the next one's."""
    ranked = sorted(cells, reverse=True)
    for rare in range(1, len(ranked) // RARE + 1):  # the fewest cells that make room
        if not ranked[rare - 1][2]:
            break
        if ranked[0][0] - ranked[rare][0] >= MIN_GAIN:
            return max(ranked[rare][0], *(piece for _, piece, _ in ranked[:rare]))
    return ranked[0][0]


def figure_runs(
    runs: Inline, width: int, size: int, bold: bool = False, font: tuple[Font, Font] = PDF
) -> tuple[Inline, bool]:
    """The runs of a figure cell and whether it wraps in its column (`width` twips): a rare
    long figure breaks at its spaces or, if it must, between its number and its unit."""
    room = width - CELL_PADDING + (PDF_SPARE if font is PDF else 0)
    text = plain(runs)
    if "€" in text or any(r.line_break for r in runs) or text_width(text, size, bold, font) <= room:
        return runs, False
    if not all(text_width(piece, size, bold, font) <= room for piece in text.split(" ")):
        runs = [run_with(r, text=UNIT_SPACE.sub(" ", r.text)) for r in runs]
    if font is not PDF:
        return runs, True
    # each piece kept whole: the PDF would break « 225 kWh/ / m²/an » after a slash
    out: Inline = []
    for run in runs:
        pieces = [p for p in re.split("( )", run.text) if p]
        out += [run_with(run, text=p, keep=p != " ", line_break=False) for p in pieces[:-1]]
        out.append(run_with(run, text=pieces[-1] if pieces else "", keep=pieces[-1:] != [" "]))
    return out, True


def _share(natural: list[int], need: list[int], total: int) -> list[int]:
    """Widths when every word fits but not every cell on one line: a column no wider than an
    even share of the page (labels, dates, short names) gets its whole line, the narrowest
    first, while the others still get their longest word; the others share the rest by length
    (as CSS shares a table's slack by max-content)."""
    widths, room = list(need), total - sum(need)
    for i in sorted(range(len(need)), key=lambda i: natural[i]):
        if natural[i] > total // len(need):
            break
        if natural[i] - need[i] > room:
            continue
        widths[i], room = natural[i], room - (natural[i] - need[i])
    slack = [n - w for n, w in zip(natural, widths, strict=True)]
    return [w + room * s // max(sum(slack), 1) for w, s in zip(widths, slack, strict=True)]


def words_fit(cells: list[tuple[Inline, bool]], width: int, size: int) -> bool:
    """Whether every word of a PDF column's (cell, bold) fits its `width` twips."""
    room = width - CELL_PADDING + PDF_SPARE
    words = {(word, bold) for cell, bold in cells for word in plain(cell).split()}
    return all(text_width(word, size, bold, PDF) <= room for word, bold in words)


def whole_compounds(runs: Inline, width: int, size: int, bold: bool = False) -> Inline:
    """The runs of a PDF cell with each hyphenated word that fits its column (`width` twips) in
    a run of its own kept whole (« ARS / Auvergne-Rhône-Alpes », not « ARS Auvergne-Rhône- /
    Alpes »)."""
    room = width - CELL_PADDING + PDF_SPARE
    if text_width("".join(r.text for r in runs), size, bold, PDF) <= room:
        return runs  # on one line: nothing to keep
    out: Inline = []
    for run in runs:
        pieces, position = [], 0
        for found in COMPOUND.finditer("-" in run.text and not run.keep and run.text or ""):
            if text_width(found.group(), size, bold, PDF) > room:
                continue  # too wide: it breaks at its hyphens, not inside a word
            pieces.append((run.text[position : found.start()], False))
            pieces.append((found.group(), True))
            position = found.end()
        if not pieces:
            out.append(run)
            continue
        pieces.append((run.text[position:], False))
        pieces = [(text, keep) for text, keep in pieces if text]
        out.extend(
            run_with(run, text=text, keep=keep, line_break=run.line_break and i == last)
            for i, (text, keep) in enumerate(pieces)
            for last in [len(pieces) - 1]
        )
    return out


def _look(run: Run) -> tuple[object, ...]:
    """Every field of the run but its text, keep and line break: what two runs must share."""
    return (
        run.bold,
        run.italic,
        run.change,
        run.link,
        run.superscript,
        run.path,
        run.pending,
        run.colour,
    )


def glued_keeps(runs: Inline) -> Inline:
    """Each kept run (a reference, « 2025-4133 ») with the words glued to it by no-break spaces
    (« n° », « du 15 septembre 2025 ») moved inside it: WeasyPrint, given a no-wrap span whose
    text runs on unbroken past its edges, breaks the line at its first chance (« arrêté » alone
    on a line of a roomy cell); a span holding the whole unbreakable stretch breaks before it."""
    if not any(run.keep for run in runs):
        return [run for run in runs if run.text or run.line_break]
    texts = [run.text for run in runs]
    for i, run in enumerate(runs):
        if not run.keep:
            continue
        before = runs[i - 1] if i else None
        if before and not before.keep and not before.line_break and _look(before) == _look(run):
            cut = max(texts[i - 1].rfind(" "), texts[i - 1].rfind("\n")) + 1
            texts[i], texts[i - 1] = texts[i - 1][cut:] + texts[i], texts[i - 1][:cut]
        after = runs[i + 1] if i + 1 < len(runs) else None
        if after and not after.keep and not run.line_break and _look(after) == _look(run):
            found = [at for at in (texts[i + 1].find(" "), texts[i + 1].find("\n")) if at >= 0]
            cut = min(found, default=len(texts[i + 1]))
            texts[i], texts[i + 1] = texts[i] + texts[i + 1][:cut], texts[i + 1][cut:]
    return [
        run if text == run.text else run_with(run, text=text)
        for run, text in zip(runs, texts, strict=True)
        if text or run.line_break
    ]
