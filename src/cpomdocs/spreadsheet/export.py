"""`cpomdocs export`: the tableau de bord of a contract, or of a portfolio, as an XLSX workbook.

Stages: validate each contract folder → the contract in force with its comptes-rendus → one
sheet per part (Indicateurs, Financement, Mode d'emploi) → workbook bytes with properties taken
from the data (never the clock) and a normalised zip → atomic write. Two exports of the same
data are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from cpomdocs.data.folders import check_apart, find_contract_folders
from cpomdocs.data.model import Contract
from cpomdocs.data.model_acts import Avenant, MeetingReport
from cpomdocs.data.validate import ContractFolder, check_folder, contract_on
from cpomdocs.errors import OutputError, Problem, UsageError
from cpomdocs.spreadsheet import layout as L
from cpomdocs.spreadsheet.financing_sheet import write_financing
from cpomdocs.spreadsheet.indicators_sheet import ContractSheetData, write_indicators
from cpomdocs.write import inside, write_bytes_atomic

WORKBOOK_NAME = "tableau-de-bord.xlsx"


@dataclass
class ExportReport:
    """What an export wrote, and the contracts it left out with their problems."""

    written: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # ids of contracts not exported


def sheet_data(folder: ContractFolder) -> ContractSheetData:
    """A valid contract folder as the export sees it: the contract with every signed avenant."""
    assert isinstance(folder.contract.model, Contract)
    base = folder.contract.model
    effects = [c.model.dates.effet for c in folder.avenants if isinstance(c.model, Avenant)]
    contract = contract_on(folder, max([base.dates.fin, *effects]))
    # values still « à compléter » are already left out of the models (data.placeholders)
    reports = [c.model for c in folder.reports if isinstance(c.model, MeetingReport)]
    return ContractSheetData(folder.folder.resolve().name, contract, reports)


def data_date(contracts: list[ContractSheetData]) -> dt.datetime:
    """The workbook's date: the latest date the data holds (signature, effect, meetings)."""
    days = [dt.date(2000, 1, 1)]
    for data in contracts:
        dates = data.contract.dates
        days += [d for d in (dates.signature, dates.effet) if d is not None]
        days += [report.date for report in data.reports]
    return dt.datetime.combine(max(days), dt.time())


def workbook_bytes(contracts: list[ContractSheetData], portfolio: bool) -> bytes:
    """The workbook of one contract (or of several, with `portfolio`), as XLSX bytes."""
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    from cpomdocs.render.docx_package import normalise_zip

    book = Workbook()
    indicators = book.active
    indicators.title = L.INDICATORS_SHEET
    write_indicators(indicators, contracts, portfolio)
    write_financing(book.create_sheet(L.FINANCING_SHEET), contracts, portfolio)
    help_sheet = book.create_sheet(L.HELP_SHEET)
    for row, line in enumerate(L.HELP_LINES, 1):
        help_sheet.cell(row=row, column=1, value=line or None)
    help_sheet.column_dimensions["A"].width = 100
    assert all(len(name) <= L.MAX_SHEET_NAME for name in book.sheetnames)
    stamp = data_date(contracts)
    props = book.properties
    if portfolio:
        props.title = f"Tableau de bord du portefeuille ({len(contracts)} contrats)"
    else:
        props.title = f"Tableau de bord du CPOM {contracts[0].contract.reference}"
    props.creator = props.lastModifiedBy = "cpomdocs"
    props.language = "fr-FR"
    props.created = props.modified = stamp
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).write_data()  # save_workbook would stamp « modified » now
    return normalise_zip(raw.getvalue(), stamp)


def export(paths: list[Path], output: Path, portfolio: bool = False) -> ExportReport:
    """Write the tableau de bord of each contract under `output`/<id>/, or one for them all."""
    refused: list[Problem] = []  # a folder whose name is refused: not exported, the others are
    folders = find_contract_folders(paths, refused)
    if not folders and not refused:
        named = ", ".join(str(p) for p in paths)
        raise UsageError(f"{named}: aucun cpom.yaml dans ce dossier ni dans ses sous-dossiers")
    check_apart(output, folders)
    report = ExportReport(problems=refused, skipped=[p.file for p in refused])
    valid: list[ContractSheetData] = []
    for folder in folders:
        checked = check_folder(folder)
        if not checked.ok:
            report.problems.extend(p for p in checked.all_problems if p.is_error)
            report.skipped.append(checked.id)
            continue
        valid.append(sheet_data(checked))
    if portfolio and valid:
        target = inside(output, WORKBOOK_NAME)
        report.written.append(write_bytes_atomic(target, workbook_bytes(valid, True)))
    elif not portfolio:
        for data in valid:
            try:  # out/<id> a link to a folder elsewhere: the workbook was written out there
                target = inside(output, f"{data.contract_id}/{WORKBOOK_NAME}")
            except OutputError as exc:
                report.problems.append(Problem(str(output / data.contract_id), 0, 0, "", str(exc)))
                report.skipped.append(data.contract_id)
                continue
            report.written.append(write_bytes_atomic(target, workbook_bytes([data], False)))
    return report
