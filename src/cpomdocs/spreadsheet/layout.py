"""What the export writes and the import reads back: sheet names, column headers, formats.

One place for both directions, so that a renamed column cannot break the way back silently.
Number formats are Excel's locale-neutral codes (`,` groups thousands, `.` marks decimals):
a French Excel or LibreOffice shows them as « 1 234 500,00 € ».

Shared cell work of the export: the header row, column widths, fills, cell references.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from cpomdocs.data.model import Unit

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

INDICATORS_SHEET = "Indicateurs"
FINANCING_SHEET = "Financement"
HELP_SHEET = "Mode d'emploi"
MAX_SHEET_NAME = 31  # Excel refuses longer sheet names

CONTRACT = "Contrat"
OBJECTIVE = "Objectif"
CODE = "Code"
LABEL = "Indicateur"
UNIT = "Unité"
DIRECTION = "Sens"
REFERENCE = "Référence"
REFERENCE_YEAR = "Année de référence"
YEAR = "Année"
TARGET = "Cible"
ACTUAL = "Réalisé"
GAP = "Écart"
STATUS = "Statut"
INDICATOR_COLUMNS = (
    OBJECTIVE,
    CODE,
    LABEL,
    UNIT,
    DIRECTION,
    REFERENCE,
    REFERENCE_YEAR,
    YEAR,
    TARGET,
    ACTUAL,
    GAP,
    STATUS,
)

FINESS = "FINESS"
ESSMS = "ESSMS"
FINANCEUR = "Financeur"
NATURE = "Nature"
TOTAL = "Total"
FINANCING_COLUMNS = (FINESS, ESSMS, FINANCEUR, NATURE)

EUROS = '#,##0.00\u00a0"€"'
EUROS_WHOLE = '#,##0\u00a0"€"'
YEAR_FORMAT = "0"
UNIT_SUFFIX = {
    Unit.PERCENT: '\u00a0"%"',
    Unit.DAYS: '\u00a0"j"',
    Unit.EUROS: '\u00a0"€"',
    Unit.POINTS: '\u00a0"pts"',
    Unit.HOURS: '\u00a0"h"',
    Unit.FTE: '\u00a0"ETP"',
    Unit.KWH_M2_YEAR: '\u00a0"kWh/m²/an"',
}

GAP_POINTS = '\u00a0"pt"'
HEADER_FILL = "1F4E79"
HEADER_FONT = "FFFFFF"
INPUT_FILL = "FFF2CC"  # the cells the ESSMS directors fill in
TOTAL_FILL = "DDEBF7"
MAX_WIDTH = 60
LABEL_WIDTH = 50
LABEL_CHARS = 64  # characters of a label that fit on one line of that width
LINE_HEIGHT = 15  # points per line of a wrapped label


def indicator_format(unit: Unit, values: list[float], gap: bool = False) -> str:
    """A number format for one indicator: as many decimals as its figures use (two at most);
    a gap between two percentages is in points."""
    decimals = max((_decimals(v) for v in values), default=0)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    if gap and unit is Unit.PERCENT:
        return f"+{pattern}{GAP_POINTS};-{pattern}{GAP_POINTS};0{GAP_POINTS}"
    return pattern + UNIT_SUFFIX.get(unit, "")


def _decimals(value: float) -> int:
    for decimals in (0, 1):
        if abs(round(value, decimals) - value) < 1e-9:
            return decimals
    return 2


def indicator_columns(portfolio: bool) -> tuple[str, ...]:
    """The headers of the Indicateurs sheet; a portfolio starts with the contract's id."""
    return ((CONTRACT,) if portfolio else ()) + INDICATOR_COLUMNS


HELP_LINES = (
    "Tableau de bord du CPOM, produit par « cpomdocs export » à partir des fichiers du contrat.",
    "",
    "Feuille « Indicateurs » : une ligne par indicateur et par année du contrat.",
    "  Saisissez les valeurs constatées dans la colonne « Réalisé » (cellules jaunes),",
    "  en nombres, dans l'unité de l'indicateur : 96,8 pour 96,8 %.",
    "  L'écart et le statut se recalculent ; ne modifiez ni les codes ni les années.",
    "Feuille « Financement » : les montants par ESSMS, financeur, nature et année ;",
    "  les totaux sont des formules.",
    "",
    "Retour des valeurs dans le projet de compte-rendu :",
    "  cpomdocs import realisations tableau-de-bord.xlsx contracts/<contrat>",
    "Une cellule qui n'est pas un nombre est signalée (fichier!feuille!cellule) et ignorée.",
)


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
