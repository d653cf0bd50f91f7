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
from cpomdocs.render.columns import DOCX, TEXT_WIDTH, column_widths, figure_runs

EMU_PER_CM = 360000
TWIPS_PER_CM = 567
HEADER_FILL = "DCE3EE"
TOTAL_FILL = "F2F4F8"
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
# A table of contents entry's page: a tab (the TOC styles' dotted right tab), then a PAGEREF
# field to the heading's bookmark, its result left empty (the page is known only once laid out).
PAGE_FIELD = (
    '<w:r><w:tab/></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText xml:space="preserve"> PAGEREF {bookmark} \\h </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
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


def whole_change(runs: Inline) -> str:
    """ "ins" or "del" when every run is inserted or every run deleted, else ""."""
    changes = {run.change for run in runs}
    return changes.pop() if len(changes) == 1 and changes & {"ins", "del"} else ""


def table_xml(
    table: Table,
    table_style: str,
    cell_style: str,
    runs: Callable[[Inline, bool, int], str],
    change_mark: Callable[[str], str],
    keep_all: bool = False,
) -> str:
    """A table whose header row repeats on every page and whose rows never split; `keep_all`:
    every row keeps with the next (a table inside a section kept on one page).

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

    def row(cells: list[Inline], kind: str, keep: bool = False) -> str:
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
            if kind != "header" and i < len(table.align) and table.align[i] == "right":
                cell = figure_runs(cell, widths[i], size or NORMAL_SIZE, bold, DOCX)[0]
            # the header and first row keep with the next row: a table's heading (keepNext in
            # its style) is never left alone at the foot of a page, away from its first rows
            ppr = cell_ppr + ("<w:keepNext/>" if keep else "")
            # a column heading is never hyphenated (print.css: th { hyphens: manual }): its
            # words fit the column (columns.py), « Places habili-tées » read badly
            ppr += ("<w:suppressAutoHyphens/>" if kind == "header" else "") + jc
            ppr = f"<w:pPr>{ppr}</w:pPr>" if ppr else ""
            xml.append(
                f"<w:tc><w:tcPr>{tcpr}</w:tcPr><w:p>{ppr}{runs(cell, bold, size)}</w:p></w:tc>"
            )
        xml.append("</w:tr>")
        return "".join(xml)

    if table.header:
        parts.append(row(table.header, "header", keep=len(table.rows) > 0))
    first_total = len(table.rows) - table.total_rows
    for i, cells in enumerate(table.rows):
        kind = "total" if i >= first_total else "body"
        parts.append(row(cells, kind, keep=keep_all or (i == 0 and len(table.rows) > 1)))
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
