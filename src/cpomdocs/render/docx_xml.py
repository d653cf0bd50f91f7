"""WordprocessingML pieces written as text: escaping, tables, pictures.

Writing the XML as strings is several times faster than python-docx calls on big tables
(NOTES.md). Every piece of user text goes through `text()` or `attr()`, which escape it; braces
become character references so that what docxtpl does after Jinja (it rewrites `{_{` and
friends in the whole part) cannot touch user text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from cpomdocs.documents.blocks import Inline, Table

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

BOX_BORDERS = (
    "<w:tcBorders>"
    + "".join(
        f'<w:{side} w:val="dashed" w:sz="4" w:space="0" w:color="A6A6A6"/>'
        for side in ("top", "left", "bottom", "right")
    )
    + '</w:tcBorders><w:tcMar><w:left w:w="113" w:type="dxa"/><w:right w:w="113" w:type="dxa"/>'
    + '</w:tcMar><w:vAlign w:val="center"/>'
)
TOC_FIELD_BEGIN = (
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">'
    ' TOC \\o "1-2" \\h \\z \\u </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
)
FIELD_END = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
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


def text_width(value: str, size: int, bold: bool = False) -> int:
    """The width in twips of `value` in Arial at `size` half-points, from its metrics."""
    value = value[:MEASURED_CHARS]  # wider cells wrap anyway
    em = sum(map(_WIDTHS.__getitem__, value))  # map and sum run in C: this is called per cell
    if bold:  # bold letters are wider, digits are not
        em += 0.06 * sum(map(str.isalpha, value))
    return int(em * size * 10) + 1


class _CharWidths(dict):
    """Advance widths in em by character, filled on first use from _EM and two defaults."""

    def __missing__(self, char: str) -> float:
        width = _EM.get(char, 0.56 if char.isupper() or char.isdigit() else 0.5)
        self[char] = width
        return width


_WIDTHS = _CharWidths()


def whole_change(runs: Inline) -> str:
    """ "ins" or "del" when every run is inserted or every run deleted, else ""."""
    changes = {run.change for run in runs}
    return changes.pop() if len(changes) == 1 and changes & {"ins", "del"} else ""


def column_widths(table: Table, size: int = 17, total: int = TEXT_WIDTH) -> list[int]:
    """Widths in twips: amounts never wrap, no word is cut, text columns share what is left."""
    count = max([len(table.header)] + [len(row) for row in table.rows]) or 1
    numeric = [a == "right" for a in [*table.align, *[""] * count][:count]]
    natural, need = [MIN_COLUMN] * count, [MIN_COLUMN] * count
    first_total = len(table.rows) - table.total_rows
    for index, row in enumerate([table.header, *table.rows]):
        bold = index == 0 or index > first_total
        for i, cell in enumerate(row):
            content = plain(cell)
            whole = text_width(content, size, bold) + CELL_PADDING
            natural[i] = max(natural[i], min(whole, total // 2))
            if numeric[i] and index > 0:
                need[i] = max(need[i], whole)
            else:
                longest = max(content.split(" "), key=len, default="")
                need[i] = max(need[i], text_width(longest, size, bold) + CELL_PADDING)
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
    else:  # too many columns for the page: every column shrinks
        widths = [total * m // sum(need) for m in need]
    widths[-1] += total - sum(widths)
    return widths


def table_xml(
    table: Table,
    table_style: str,
    cell_style: str,
    runs: Callable[[Inline, bool, int], str],
    change_mark: Callable[[str], str],
) -> str:
    """A table whose header row repeats on every page and whose rows never split.

    A row whose every run is inserted (or deleted) is itself a tracked insertion (deletion).
    """
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
        change = whole_change([run for cell in cells for run in cell])
        if change:
            trpr += change_mark(change)
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


def side_by_side_xml(
    bodies: list[str], columns: int, min_height: int, boxed: bool, style_id: str
) -> str:
    """A layout table: the cell bodies `columns` by row, rows that never split."""
    width = TEXT_WIDTH // columns
    style = f'<w:tblStyle w:val="{style_id}"/>' if style_id else ""
    grid = f'<w:gridCol w:w="{width}"/>' * columns
    xml = [
        f'<w:tbl><w:tblPr>{style}<w:tblW w:w="{width * columns}" w:type="dxa"/>'
        f'<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
    ]
    tcpr = f'<w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{BOX_BORDERS if boxed else ""}</w:tcPr>'
    height = f'<w:trHeight w:val="{min_height}" w:hRule="atLeast"/>'
    for start in range(0, len(bodies), columns):
        row = bodies[start : start + columns]
        cells = "".join(f"<w:tc>{tcpr}{body or '<w:p/>'}</w:tc>" for body in row)
        cells += f"<w:tc>{tcpr}<w:p/></w:tc>" * (columns - len(row))
        xml.append(f"<w:tr><w:trPr><w:cantSplit/>{height}</w:trPr>{cells}</w:tr>")
    xml.append("</w:tbl>")
    return "".join(xml)


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
