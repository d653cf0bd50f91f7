"""WordprocessingML pieces written as text: escaping, tables, pictures.

Writing the XML as strings is several times faster than python-docx calls on big tables
(NOTES.md). Every piece of user text goes through `text()` or `attr()`, which escape it; braces
become character references so that what docxtpl does after Jinja (it rewrites `{_{` and
friends in the whole part) cannot touch user text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from cpomdocs.blocks import Inline, Table

TEXT_WIDTH = 9298  # twips: A4 less 2 × 2.3 cm, as in scripts/make_docx_template.py
EMU_PER_CM = 360000
TWIPS_PER_CM = 567
HEADER_FILL = "DCE3EE"
TOTAL_FILL = "F2F4F8"
TOTAL_BORDER = (
    '<w:tcBorders><w:top w:val="single" w:sz="8" w:space="0" w:color="1F3864"/></w:tcBorders>'
)

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "{": "&#123;", "}": "&#125;"})
_WHITESPACE = str.maketrans({"\n": " ", "\r": " ", "\t": " "})
_JUSTIFICATION = {"right": "right", "center": "center"}


def text(value: str) -> str:
    """Escape text for an XML text node; tabs and newlines become spaces, as in HTML."""
    return _INVALID_XML.sub("", value).translate(_WHITESPACE).translate(_ESCAPES)


def attr(value: str) -> str:
    """Escape text for a double-quoted XML attribute."""
    return text(value).replace('"', "&quot;")


def plain(runs: Inline) -> str:
    """The text of runs as it reads once the changes are accepted."""
    return "".join(r.text + (" " if r.line_break else "") for r in runs if r.change != "del")


def column_widths(table: Table, total: int = TEXT_WIDTH) -> list[int]:
    """Widths in twips that share the text width by the length of each column's content."""
    count = max([len(table.header)] + [len(row) for row in table.rows]) or 1
    wants = [4] * count
    for i, cell in enumerate(table.header):
        longest_word = max((len(word) for word in plain(cell).split()), default=0)
        wants[i] = max(wants[i], longest_word + 1, min(len(plain(cell)), 24))
    for row in table.rows:
        for i, cell in enumerate(row):
            wants[i] = max(wants[i], min(len(plain(cell)), 48))
    widths = [total * want // sum(wants) for want in wants]
    widths[-1] += total - sum(widths)
    return widths


def table_xml(
    table: Table,
    table_style: str,
    cell_style: str,
    runs: Callable[[Inline, str], str],
) -> str:
    """A table whose header row repeats on every page and whose rows never split."""
    widths = column_widths(table)
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
        bold = "<w:b/><w:bCs/>" if kind != "body" else ""
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
            xml.append(f"<w:tc><w:tcPr>{tcpr}</w:tcPr><w:p>{ppr}{runs(cell, bold)}</w:p></w:tc>")
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
