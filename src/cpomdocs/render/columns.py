"""Column widths of a table from its content, for both writers (DOCX grid, PDF <col> widths).

WeasyPrint's automatic table layout measures every cell twice (a quarter of an annexes PDF);
Word has no layout of its own worth trusting. cpomdocs knows every cell, so it computes the
widths once, from Arial's advance widths (Liberation Sans and DejaVu Sans Condensed are close).
"""

from __future__ import annotations

from cpomdocs.documents.blocks import Inline, Table

TEXT_WIDTH = 9298  # twips: A4 less 2 × 2.3 cm, as in scripts/make_docx_template.py
CELL_PADDING = 230  # twips: the cell margins of the table style and some air
MIN_COLUMN = 600
MEASURED_CHARS = 200
# Arial advance widths in em (Liberation Sans has the same metrics); others: 0.56 or 0.5.
_EM = {
    " ": 0.28,
    "\u00a0": 0.28,
    "\u202f": 0.18,
    ",": 0.28,
    ".": 0.28,
    "'": 0.19,
    "–": 0.56,
    "-": 0.33,
    "(": 0.33,
    ")": 0.33,
    "%": 0.89,
    "€": 0.56,
    "i": 0.22,
    "l": 0.22,
    "j": 0.22,
    "f": 0.28,
    "t": 0.28,
    "r": 0.33,
    "m": 0.83,
    "w": 0.72,
    "M": 0.83,
    "W": 0.94,
    "I": 0.28,
}


def plain(runs: Inline) -> str:
    """The text of runs as it reads once the changes are accepted."""
    return "".join(r.text + (" " if r.line_break else "") for r in runs if r.change != "del")


def text_width(value: str, size: int, bold: bool = False, bold_digits: bool = False) -> int:
    """The width in twips of `value` in Arial at `size` half-points, from its metrics
    (`bold_digits`: in bold, digits are wider too, as in DejaVu Sans Condensed)."""
    value = value[:MEASURED_CHARS]  # wider cells wrap anyway
    em = sum(map(_WIDTHS.__getitem__, value))  # map and sum run in C: this is called per cell
    if bold:  # bold letters are wider; Arial's digits are not
        em += 0.06 * sum(map(str.isalnum if bold_digits else str.isalpha, value))
    return int(em * size * 10) + 1


class _CharWidths(dict):
    """Advance widths in em by character, filled on first use from _EM and two defaults."""

    def __missing__(self, char: str) -> float:
        width = _EM.get(char, 0.56 if char.isupper() or char.isdigit() else 0.5)
        self[char] = width
        return width


_WIDTHS = _CharWidths()


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
) -> list[int]:
    """Widths in twips: amounts never wrap, no word is cut, text columns share what is left.

    `unbroken` marks the columns whose cells, header included, never wrap (the PDF's amounts,
    short codes and years). `deletions_shown` (the PDF): deleted words take room too (a redline
    shows them struck beside the inserted ones; Word hides them once changes are accepted), and
    bold digits are wider (DejaVu Sans Condensed), and a table whose amounts cannot fit gets
    wider than `total` (into the margin, as a browser does) instead of cutting them.
    """
    count = max([len(table.header)] + [len(row) for row in table.rows]) or 1
    numeric = [a == "right" for a in [*table.align, *[""] * count][:count]]
    keep = [bool(unbroken and i < len(unbroken) and unbroken[i]) for i in range(count)]
    numeric = [n or k for n, k in zip(numeric, keep, strict=True)]
    natural, need, heading = [MIN_COLUMN] * count, [MIN_COLUMN] * count, [0] * count
    first_total = len(table.rows) - table.total_rows
    for index, row in enumerate([table.header, *table.rows]):
        bold = index == 0 or index > first_total
        for i, cell in enumerate(row):
            lines = _lines(cell) if deletions_shown else [plain(cell)]
            content = " ".join(lines)
            one_line = (
                max(text_width(line, size, bold, deletions_shown) for line in lines) + CELL_PADDING
            )
            natural[i] = max(natural[i], one_line)  # as CSS: slack shared by max-content
            if (numeric[i] and index > 0) or keep[i]:  # headers of kept columns too
                need[i] = max(need[i], one_line)
            else:
                longest = max(content.split(" "), key=len, default="")
                need[i] = max(
                    need[i], text_width(longest, size, bold, deletions_shown) + CELL_PADDING
                )
                if index == 0:
                    heading[i] = need[i]
    natural = [max(n, m) for n, m in zip(natural, need, strict=True)]
    if sum(natural) <= total:  # every cell fits on one line: share the rest by length
        widths = [total * n // sum(natural) for n in natural]
    elif sum(need) <= total:  # some text wraps, between words
        slack = [n - m for n, m in zip(natural, need, strict=True)]
        room = total - sum(need)
        widths = [m + room * s // max(sum(slack), 1) for m, s in zip(need, slack, strict=True)]
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
