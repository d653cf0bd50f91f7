"""The Indicateurs sheet: one row per indicator and contract year, the Réalisé cells to fill in.

Reference, target and actual are values; the gap and the status are formulas, so that they
follow what the ESSMS directors type. The status formula is the rule of followup/tracking.py
written in Excel's language, with the same constants; a test checks that LibreOffice computes
the statuses that `track` computes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cpomdocs.data.model import Contract, Direction, Indicator
from cpomdocs.data.model_acts import MeetingReport
from cpomdocs.data.rules import contract_years
from cpomdocs.followup.tracking import MAINTAIN_TOLERANCE, PARTIAL_SHARE, Status, track
from cpomdocs.spreadsheet import layout as L
from cpomdocs.spreadsheet.layout import fit_columns, letter, put, write_header

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

SLACK = "1E-9*MAX(1,ABS({t}))"  # tracking's _EPSILON: a target reached to the 9th digit is reached


@dataclass(frozen=True)
class ContractSheetData:
    """What the export shows of one contract: its id, the contract in force, its comptes-rendus."""

    contract_id: str
    contract: Contract
    reports: list[MeetingReport]


def status_formula(direction: Direction, ref: str, target: str, actual: str) -> str:
    """The status of one row as an Excel formula (cells named by their references)."""

    def ahead(x: str, y: str) -> str:  # s × (x − y), s = +1 for « hausse », −1 for « baisse »
        return f"({x}-{y})" if direction is Direction.HAUSSE else f"({y}-{x})"

    slack = SLACK.format(t=target)
    partial, missed = f'"{Status.PARTIEL}"', f'"{Status.NON_ATTEINT}"'
    progress = f"IF(({actual}-{ref})/({target}-{ref})>={PARTIAL_SHARE}-1E-9,{partial},{missed})"
    maintain = (
        f"IF({ahead(target, actual)}<={MAINTAIN_TOLERANCE}*ABS({target})+{slack},"
        f"{partial},{missed})"
    )
    return (
        f'=IF(OR({target}="",{actual}=""),"{Status.NON_EVALUE}",'
        f'IF({ahead(actual, target)}>=-{slack},"{Status.ATTEINT}",'
        f"IF({ahead(target, ref)}>{slack},{progress},{maintain})))"
    )


def _rows(data: ContractSheetData) -> list[tuple[str, str, Indicator, int, float | None, bool]]:
    """(objective id, code, indicator, year, actual, abandoned) in contract order."""
    rows = []
    for year in contract_years(data.contract):
        tracking = track(data.contract, year, data.reports)
        for result in tracking.indicators:
            abandoned = result.status is Status.ABANDONNE
            rows.append(
                (result.objective_id, result.code, result.indicator, year, result.actual, abandoned)
            )
    order = {code: n for n, code in enumerate(data.contract.all_indicators())}
    return sorted(rows, key=lambda r: (order[r[1]], r[3]))


def write_indicators(sheet: Worksheet, contracts: list[ContractSheetData], portfolio: bool) -> int:
    """Fill the Indicateurs sheet; return the number of data rows."""
    from openpyxl.styles import Alignment, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    headers = L.indicator_columns(portfolio)
    col = {name: n for n, name in enumerate(headers, 1)}
    write_header(sheet, headers, freeze_column=col[L.LABEL] + 1)
    input_fill = PatternFill("solid", fgColor=L.INPUT_FILL)
    row = 1
    for data in contracts:
        for objective_id, code, indicator, year, actual, abandoned in _rows(data):
            row += 1
            ref, target = indicator.reference, indicator.cibles.get(year)
            values = {
                L.CONTRACT: data.contract_id,
                L.OBJECTIVE: objective_id,
                L.CODE: code,
                L.LABEL: indicator.libelle,
                L.UNIT: indicator.unite.value,
                L.DIRECTION: indicator.sens.value,
                L.REFERENCE: ref.valeur,
                L.REFERENCE_YEAR: ref.annee,
                L.YEAR: year,
                L.TARGET: target,
                L.ACTUAL: actual,
            }
            cells = {name: f"{letter(col[name])}{row}" for name in headers}
            values[L.GAP] = (
                f'=IF(OR({cells[L.TARGET]}="",{cells[L.ACTUAL]}=""),"",'
                f"{cells[L.ACTUAL]}-{cells[L.TARGET]})"
            )
            values[L.STATUS] = (
                str(Status.ABANDONNE)
                if abandoned
                else status_formula(
                    indicator.sens, cells[L.REFERENCE], cells[L.TARGET], cells[L.ACTUAL]
                )
            )
            figures = [
                ref.valeur,
                *indicator.cibles.values(),
                *([actual] if actual is not None else []),
            ]
            number_format = L.indicator_format(indicator.unite, figures)
            for name, value in values.items():
                if name not in col:
                    continue
                formula = name == L.GAP or (name == L.STATUS and not abandoned)
                cell = put(sheet, row, col[name], value, formula=formula)
                if name == L.GAP:
                    cell.number_format = L.indicator_format(indicator.unite, figures, gap=True)
                elif name in (L.REFERENCE, L.TARGET, L.ACTUAL):
                    cell.number_format = number_format
                elif name in (L.YEAR, L.REFERENCE_YEAR):
                    cell.number_format = L.YEAR_FORMAT
            sheet.cell(row=row, column=col[L.ACTUAL]).fill = input_fill
            lines = -(-len(indicator.libelle) // L.LABEL_CHARS)  # spreadsheets do not grow
            if lines > 1:  # a row for wrapped text that a program wrote: say its height
                sheet.row_dimensions[row].height = lines * L.LINE_HEIGHT
                for column in range(1, len(headers) + 1):
                    sheet.cell(row=row, column=column).alignment = Alignment(vertical="top")
            label = sheet.cell(row=row, column=col[L.LABEL])
            label.alignment = Alignment(wrap_text=True, vertical="top")
    if row > 1:
        actuals = f"{letter(col[L.ACTUAL])}2:{letter(col[L.ACTUAL])}{row}"
        check = DataValidation(
            type="decimal",
            operator="between",
            formula1="-1E+15",
            formula2="1E+15",
            allow_blank=True,
            errorStyle="warning",
            errorTitle="Valeur non numérique",
            error="Saisissez un nombre, dans l'unité de l'indicateur (96,8 pour 96,8 %).",
        )
        check.add(actuals)
        sheet.add_data_validation(check)
        sheet.auto_filter.ref = f"A1:{letter(len(headers))}{row}"
    fit_columns(
        sheet,
        fixed={
            col[L.LABEL]: L.LABEL_WIDTH,
            col[L.REFERENCE_YEAR]: 11,
            col[L.GAP]: 10,
            col[L.STATUS]: 22,
        },
    )
    return row - 1
