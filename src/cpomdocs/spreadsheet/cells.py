"""Shared cell work of the export: the header row, column widths, fills, cell references."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from cpomdocs.spreadsheet.layout import HEADER_FILL, HEADER_FONT, MAX_WIDTH, TOTAL_FILL

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet


def letter(column: int) -> str:
    """The letter of a 1-based column number: 1 → A, 28 → AB."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def write_header(sheet: Worksheet, headers: Sequence[str], freeze_column: int) -> None:
    """Row 1: bold white headers on dark blue, frozen with the columns before `freeze_column`."""
    from openpyxl.styles import Alignment, Font, PatternFill

    fill = PatternFill("solid", fgColor=HEADER_FILL)
    for column, title in enumerate(headers, 1):
        cell = sheet.cell(row=1, column=column, value=title)
        cell.font = Font(bold=True, color=HEADER_FONT)
        cell.fill = fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    sheet.row_dimensions[1].height = 34  # two lines: « Année de référence » wraps
    sheet.freeze_panes = f"{letter(freeze_column)}2"
    print_setup(sheet)


def mark_total(sheet: Worksheet, row: int, last_column: int) -> None:
    """A total row: bold on light blue."""
    from openpyxl.styles import Font, PatternFill

    fill = PatternFill("solid", fgColor=TOTAL_FILL)
    for column in range(1, last_column + 1):
        cell = sheet.cell(row=row, column=column)
        cell.font = Font(bold=True)
        cell.fill = fill


def fit_columns(sheet: Worksheet, minimum: int = 8, fixed: dict[int, int] | None = None) -> None:
    """Column widths from the longest text of each column (formulas count as 12 characters)."""
    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            text = str(cell.value)
            size = 12 if text.startswith("=") else max(len(part) for part in text.split("\n"))
            widths[cell.column] = max(widths.get(cell.column, minimum), size + 2)
    widths.update(fixed or {})
    for column, width in sorted(widths.items()):
        sheet.column_dimensions[letter(column)].width = min(width, MAX_WIDTH)


def print_setup(sheet: Worksheet) -> None:
    """Printed (or converted to PDF): A4 landscape, one page wide, the header on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.print_options.gridLines = True


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what makes a typed cell a formula


def put(sheet: Worksheet, row: int, column: int, value: object, formula: bool = False):  # noqa: ANN201
    """Write a cell; text from the contracts stays text even when it starts with « = »
    (openpyxl would make it a formula: a libellé must never run in someone's spreadsheet), and
    is marked « quotePrefix » so that Excel or LibreOffice keep it text when it is edited."""
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and not formula:
        cell.data_type = "s"
        cell.quotePrefix = value.startswith(FORMULA_START)
    return cell
