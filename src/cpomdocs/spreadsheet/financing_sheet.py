"""The Financement sheet: amounts by ESSMS × financeur × nature × year, every total a formula.

The lines come from documents/contract_views.finance (the annexe financière's own figures);
the totals are Excel formulas over them: per line (SUM), per year (SUM), per financeur, per
ESSMS and, for a portfolio, per contract (SUMPRODUCT, an exact match with no wildcard). A
contract that declares yearly totals gets them beside the computed ones, with the gap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cpomdocs.documents.contract_views import finance
from cpomdocs.spreadsheet import layout as L
from cpomdocs.spreadsheet.indicators_sheet import ContractSheetData
from cpomdocs.spreadsheet.layout import fit_columns, letter, mark_total, put, write_header

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

DECLARED = "Totaux déclarés au contrat"
DECLARED_GAP = "Écart (déclaré − lignes)"
BY = {L.FINANCEUR: "Par financeur", L.FINESS: "Par ESSMS", L.CONTRACT: "Par contrat"}


def write_financing(sheet: Worksheet, contracts: list[ContractSheetData], portfolio: bool) -> int:
    """Fill the Financement sheet; return the number of financing lines."""
    finances = [(data, finance(data.contract)) for data in contracts]
    years = sorted({year for _, f in finances for year in f.years})
    keys = ((L.CONTRACT,) if portfolio else ()) + L.FINANCING_COLUMNS
    headers = (*keys, *(str(y) for y in years), L.TOTAL)
    col = {name: n for n, name in enumerate(headers, 1)}
    first_year, total_col = len(keys) + 1, len(headers)
    write_header(sheet, headers, freeze_column=col[L.ESSMS] + 1)
    money = L.EUROS if any(f.cents for _, f in finances) else L.EUROS_WHOLE
    row = 1
    labels: dict[str, dict[str, str]] = {key: {} for key in BY}  # grouping → key → label
    for data, figures in finances:
        labels[L.CONTRACT][data.contract_id] = data.contract.reference
        for essms in figures.establishments:
            labels[L.FINESS][essms.finess] = essms.name
            for line in essms.lines:
                row += 1
                labels[L.FINANCEUR][line.financeur] = ""
                texts = {
                    L.CONTRACT: data.contract_id,
                    L.FINESS: essms.finess,
                    L.ESSMS: essms.name,
                    L.FINANCEUR: line.financeur,
                    L.NATURE: line.nature,
                }
                for name in keys:
                    put(sheet, row, col[name], texts[name])
                for n, year in enumerate(years, first_year):
                    cell = sheet.cell(row=row, column=n, value=line.amounts.get(year))
                    cell.number_format = money
                _row_total(sheet, row, first_year, total_col, money)
    first, last = 2, row
    row += 2
    sheet.cell(row=row, column=1, value=L.TOTAL)
    for n in range(first_year, total_col + 1):
        column = letter(n)
        cell = sheet.cell(row=row, column=n, value=f"=SUM({column}{first}:{column}{last})")
        cell.number_format = money
    mark_total(sheet, row, total_col)
    grand_total = row
    for key in (L.FINANCEUR, L.FINESS, *((L.CONTRACT,) if portfolio else ())):
        row += 2
        sheet.cell(row=row, column=1, value=BY[key]).font = _bold()
        for value, label in labels[key].items():
            row += 1
            put(sheet, row, col[key], value)
            if label and key != L.CONTRACT:
                put(sheet, row, col[L.ESSMS], label)
            keyed = f"${letter(col[key])}"
            for n in range(first_year, total_col):
                column = letter(n)
                formula = (
                    f"=SUMPRODUCT(({keyed}${first}:{keyed}${last}={keyed}{row})"
                    f"*({column}${first}:{column}${last}))"
                )
                sheet.cell(row=row, column=n, value=formula).number_format = money
            _row_total(sheet, row, first_year, total_col, money)
    if not portfolio and contracts and contracts[0].contract.financement.totaux:
        row = _declared(sheet, contracts[0], years, row, grand_total, money)
    fit_columns(sheet, minimum=10, fixed={n: 16 for n in range(first_year, total_col + 1)})
    return last - 1


def _row_total(sheet: Worksheet, row: int, first_year: int, total_col: int, money: str) -> None:
    span = f"{letter(first_year)}{row}:{letter(total_col - 1)}{row}"
    cell = sheet.cell(row=row, column=total_col, value=f"=SUM({span})")
    cell.number_format = money
    cell.font = _bold()


def _declared(
    sheet: Worksheet, data: ContractSheetData, years: list[int], row: int, total: int, money: str
) -> int:
    """The yearly totals the contract declares, and their gap with the lines' totals."""
    declared = data.contract.financement.totaux
    first_year = len(L.FINANCING_COLUMNS) + 1
    row += 2
    sheet.cell(row=row, column=1, value=DECLARED).font = _bold()
    sheet.cell(row=row + 1, column=1, value=DECLARED_GAP)
    for n, year in enumerate(years, first_year):
        if year not in declared:
            continue
        column = letter(n)
        sheet.cell(row=row, column=n, value=declared[year]).number_format = money
        gap = f"={column}{row}-{column}{total}"
        sheet.cell(row=row + 1, column=n, value=gap).number_format = money
    return row + 1


def _bold():  # noqa: ANN202
    from openpyxl.styles import Font

    return Font(bold=True)
