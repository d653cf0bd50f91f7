"""WordprocessingML pieces written as text: escaping, tables, pictures.

Writing the XML as strings is several times faster than python-docx calls on big tables
(NOTES.md). Every piece of user text goes through `text()` or `attr()`, which escape it; braces
become character references so that what docxtpl does after Jinja (it rewrites `{_{` and
friends in the whole part) cannot touch user text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from cpomdocs.blocks import Inline, Table

TEXT_WIDTH = 9298  # twips: A4 less 2 × 2.3 cm, as in scripts/make_docx_template.py
EMU_PER_CM = 360000
TWIPS_PER_CM = 567
HEADER_FILL = "DCE3EE"
TOTAL_FILL = "F2F4F8"
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
WIDE_TABLE = 7  # from this many columns, a smaller font (as in the PDF)
SMALL_SIZE = 15  # half-points
NORMAL_SIZE = 17  # half-points: the « Texte tableau » style
TOTAL_BORDER = (
    '<w:tcBorders><w:top w:val="single" w:sz="8" w:space="0" w:color="1F3864"/></w:tcBorders>'
)

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CONTROL = re.compile("[\x00-\x1f\ufffe\uffff]")
_WHITESPACE = str.maketrans({"\n": " ", "\r": " ", "\t": " "})
_JUSTIFICATION = {"right": "right", "center": "center"}


def text(value: str) -> str:
    """Escape text for an XML text node; tabs and newlines become spaces, as in HTML."""
    if _CONTROL.search(value):  # rare: checked first because str.translate is slow
        value = _INVALID_XML.sub("", value).translate(_WHITESPACE)
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("{", "&#123;")
        .replace("}", "&#125;")
    )


def attr(value: str) -> str:
    """Escape text for a double-quoted XML attribute."""
    return text(value).replace('"', "&quot;")


def plain(runs: Inline) -> str:
    """The text of runs as it reads once the changes are accepted."""
    return "".join(r.text + (" " if r.line_break else "") for r in runs if r.change != "del")


def text_width(value: str, size: int) -> int:
    """The width in twips of `value` in Arial at `size` half-points, from its metrics."""
    counts = Counter(value[:MEASURED_CHARS])  # counting runs in C; wider cells wrap anyway
    em = sum(n * _EM.get(c, 0.56 if c.isupper() or c.isdigit() else 0.5) for c, n in counts.items())
    return int(em * size * 10) + 1


def column_widths(table: Table, size: int = 17, total: int = TEXT_WIDTH) -> list[int]:
    """Widths in twips: numbers never wrap, text columns share what is left by their length."""
    count = max([len(table.header)] + [len(row) for row in table.rows]) or 1
    aligned = [*table.align, *[""] * count]
    numeric = [a == "right" for a in aligned[:count]]
    natural, least = [MIN_COLUMN] * count, [MIN_COLUMN] * count
    for row in [table.header, *table.rows]:
        for i, cell in enumerate(row):
            content = plain(cell)
            whole = text_width(content, size) + CELL_PADDING
            natural[i] = max(natural[i], min(whole, total // 2))
            if numeric[i] and row is not table.header:
                least[i] = max(least[i], whole)
    if sum(natural) <= total:  # every cell fits on one line: share the rest by length
        widths = [total * n // sum(natural) for n in natural]
    elif sum(least) <= total:  # numbers keep their width, text columns share the rest
        room = total - sum(w for w, n in zip(least, numeric, strict=True) if n)
        wants = [0 if n else w for w, n in zip(natural, numeric, strict=True)]
        widths = [
            least[i] if numeric[i] else max(MIN_COLUMN, room * wants[i] // max(sum(wants), 1))
            for i in range(count)
        ]
    else:  # too many columns for the page: everything shrinks
        widths = [total * m // sum(least) for m in least]
    widths = [w * total // sum(widths) for w in widths] if sum(widths) > total else widths
    widths[-1] += total - sum(widths)
    return widths


def table_xml(
    table: Table,
    table_style: str,
    cell_style: str,
    runs: Callable[[Inline, bool, int], str],
) -> str:
    """A table whose header row repeats on every page and whose rows never split."""
    wide = len(table.header) >= WIDE_TABLE
    size = SMALL_SIZE if wide else 0
    widths = column_widths(table, size or NORMAL_SIZE)
    count = len(widths)
    style = f'<w:tblStyle w:val="{table_style}"/>' if table_style else ""
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    parts = [
        f'<w:tbl><w:tblPr>{style}<w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        '<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0"'
        ' w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>"
    ]
    aligns = [_JUSTIFICATION.get(a, "") for a in table.align] + [""] * count
    cell_ppr = f'<w:pStyle w:val="{cell_style}"/>' if cell_style else ""

    def row(cells: list[Inline], kind: str) -> str:
        trpr = "<w:cantSplit/><w:tblHeader/>" if kind == "header" else "<w:cantSplit/>"
        bold = kind != "body"
        cells = list(cells) + [[]] * (count - len(cells))
        xml = [f"<w:tr><w:trPr>{trpr}</w:trPr>"]
        for i, cell in enumerate(cells[:count]):
            tcpr = f'<w:tcW w:w="{widths[i]}" w:type="dxa"/>'
            if kind == "total":
                tcpr += TOTAL_BORDER
            if kind != "body":
                fill = HEADER_FILL if kind == "header" else TOTAL_FILL
                tcpr += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'
            jc = f'<w:jc w:val="{aligns[i]}"/>' if aligns[i] else ""
            ppr = f"<w:pPr>{cell_ppr}{jc}</w:pPr>" if cell_ppr or jc else ""
            xml.append(
                f"<w:tc><w:tcPr>{tcpr}</w:tcPr><w:p>{ppr}{runs(cell, bold, size)}</w:p></w:tc>"
            )
        xml.append("</w:tr>")
        return "".join(xml)

    if table.header:
        parts.append(row(table.header, "header"))
    first_total = len(table.rows) - table.total_rows
    for i, cells in enumerate(table.rows):
        parts.append(row(cells, "total" if i >= first_total else "body"))
    parts.append("</w:tbl>")
    return "".join(parts)


def picture_xml(rid: str, number: int, width_cm: float, px_size: tuple[int, int], alt: str) -> str:
    """An inline picture run, at most as wide as the text."""
    width_cm = min(width_cm, TEXT_WIDTH / TWIPS_PER_CM)
    px_width, px_height = px_size
    cx = int(width_cm * EMU_PER_CM)
    cy = cx * px_height // max(px_width, 1)
    return (
        "<w:r><w:drawing>"
        '<wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
        ' distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{cx}" cy="{cy}"/>'
        f'<wp:docPr id="{number}" name="Figure {number}" descr="{attr(alt)}"/>'
        '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"'
        ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"/></wp:cNvGraphicFramePr>'
        '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:nvPicPr><pic:cNvPr id="{number}" name="figure-{number}.png" descr="{attr(alt)}"/>'
        "<pic:cNvPicPr/></pic:nvPicPr>"
        '<pic:blipFill><a:blip xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships" r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>'
        "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )
