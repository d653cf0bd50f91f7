"""Read the Réalisé cells of an Indicateurs sheet filled in by the ESSMS directors.

Every non-empty Réalisé cell either becomes a value or a problem named `fichier!Feuille!J12`;
none is dropped silently. Rows of other contracts (a portfolio workbook) are skipped.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from collections.abc import Set
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from cpomdocs.errors import CpomError, UsageError
from cpomdocs.fmt import number as french_number
from cpomdocs.spreadsheet import layout as L
from cpomdocs.spreadsheet.layout import letter

MAX_FILE_BYTES = 20 * 2**20
MAX_UNPACKED_BYTES = 200 * 2**20  # a workbook that unpacks to more is refused (zip bomb)
MAX_ROWS = 200_000  # a portfolio of 1 000 contracts × 20 indicators × 5 years: 100 000
REQUIRED = (L.CODE, L.YEAR, L.ACTUAL)
IGNORED = "valeur ignorée"
# What a number format shows as it is: "quoted text", a \-escaped character, [colour]/[condition]
_LITERAL = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
_TITLE = re.compile(r"Tableau de bord du CPOM (.+)")  # the title « cpomdocs export » gives


class SpreadsheetError(CpomError):
    """Raised when a workbook cannot be read at all: unreadable, wrong sheet, wrong header."""


@dataclass(frozen=True, order=True)
class CellProblem:
    """A cell whose content was left out, named as spreadsheets name cells."""

    file: str
    sheet: str
    row: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}!{self.sheet}!{letter(self.column)}{self.row}: {self.message}"


@dataclass(frozen=True)
class SheetValue:
    """One actual value read from the sheet, with the cell it came from."""

    code: str
    year: int
    value: float
    row: int
    column: int = 0


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    return str(value).strip()


def open_workbook(path: Path, data_only: bool) -> Any:
    """The workbook at `path`, read-only; a French message for anything that is not an XLSX."""
    from openpyxl import load_workbook

    if not path.is_file():
        raise UsageError(f"{path}: fichier introuvable")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise SpreadsheetError(f"{path}: classeur trop volumineux (20 Mo au plus)")
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise SpreadsheetError(f"{path}: classeur trop volumineux une fois décompressé")
        return load_workbook(path, read_only=True, data_only=data_only)
    except SpreadsheetError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise unreadable(path, exc) from None


def unreadable(path: Path, exc: Exception) -> SpreadsheetError:
    """The French refusal of a workbook that openpyxl cannot read."""
    return SpreadsheetError(
        f"{path}: classeur illisible ({type(exc).__name__}) : un fichier .xlsx enregistré "
        "par Excel ou LibreOffice était attendu"
    )


def sheet_rows(path: Path, book: Any, values_only: bool) -> list[tuple[Any, ...]]:
    """The rows of the Indicateurs sheet: read-only openpyxl unpacks a sheet only now, so a
    damaged one (bad deflate data, garbled XML) fails here and not at opening."""
    rows: list[tuple[Any, ...]] = []
    try:
        for row in book[L.INDICATORS_SHEET].iter_rows(values_only=values_only):
            rows.append(tuple(row))
            if len(rows) > MAX_ROWS:  # 500 000 rows (7 MB of XLSX) took 66 s and 0.7 GB
                raise SpreadsheetError(
                    f"{path}!{L.INDICATORS_SHEET}: plus de {MAX_ROWS // 1000} 000 lignes : "
                    "ce n'est pas un tableau de bord produit par « cpomdocs export »"
                )
    except SpreadsheetError:
        raise
    except Exception as exc:
        raise unreadable(path, exc) from None
    return rows


def _columns(header: tuple[Any, ...], shown: str) -> dict[str, int]:
    found = {str(v).strip(): n for n, v in enumerate(header, 1) if isinstance(v, str)}
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        names = ", ".join(f"« {name} »" for name in missing)
        raise SpreadsheetError(
            f"{shown}!A1: colonne(s) {names} absente(s) de la ligne d'en-tête : attendu le "
            f"tableau produit par « cpomdocs export » ({', '.join(REQUIRED)})"
        )
    return found


def is_percent_format(number_format: str | None) -> bool:
    """True when a cell's format shows its value × 100 with « % » (« 0,0 % »), not when « % »
    is only text after the number (« 0,0 "%" », what `cpomdocs export` writes)."""
    return "%" in _LITERAL.sub("", number_format or "")


def in_unit(value: float, number_format: str | None, percent: bool) -> float:
    """A cell's number in its indicator's unit: « 96,8 % » typed in a percent-formatted cell is
    stored as 0.968 and read as 96.8 for a percentage (decimal arithmetic: no 96.80000000000001)."""
    if percent and is_percent_format(number_format):
        # a spreadsheet keeps 15 significant digits: no more are meaningful after × 100
        return float(f"{Decimal(repr(float(value))) * 100:.15g}")
    return value


def _check_reference(path: Path, book: Any, contract_id: str, reference: str) -> None:
    """Refuse the tableau de bord of another CPOM (its title, kept by Excel and LibreOffice,
    names the reference): indicator codes and years are shared between contracts, so its values
    would be written into this one."""
    title = getattr(book.properties, "title", None)
    found = _TITLE.fullmatch(title.strip()) if isinstance(title, str) else None
    if reference and found and found.group(1) != reference:
        raise SpreadsheetError(
            f"{path}: ce classeur est le tableau de bord du CPOM {found.group(1)}, pas celui du "
            f"contrat {contract_id} ({reference}) : rien n'est importé"
        )


def read_actuals(
    path: Path,
    contract_id: str,
    codes: set[str],
    years: range,
    percent: Set[str] = frozenset(),
    reference: str = "",
) -> tuple[list[SheetValue], list[CellProblem]]:
    """The numbers of the Réalisé column for `contract_id` (whose reference is `reference`),
    and the cells left out; those of the `percent` indicators in a percent-formatted cell are
    read × 100 (see `in_unit`)."""
    book = open_workbook(path, data_only=False)
    try:
        _check_reference(path, book, contract_id, reference)
        if L.INDICATORS_SHEET not in book.sheetnames:
            sheets = ", ".join(f"« {name} »" for name in book.sheetnames)
            raise SpreadsheetError(
                f"{path}: feuille « {L.INDICATORS_SHEET} » absente (feuilles : {sheets}) : "
                "attendu le classeur produit par « cpomdocs export »"
            )
        cells_read = sheet_rows(path, book, values_only=False)
        part = getattr(book[L.INDICATORS_SHEET], "_worksheet_path", None)
    finally:
        book.close()
    rows = [tuple(c.value for c in row) for row in cells_read]
    shown = f"{path}!{L.INDICATORS_SHEET}"
    col = _columns(rows[0] if rows else (), shown)
    merged = _merged_below(path, part, col[L.ACTUAL])
    try:  # read-only openpyxl looks a cell's style up only now: a style number beyond the
        # workbook's styles (a damaged file) failed here as « erreur interne »
        formats = {
            n: row[col[L.ACTUAL] - 1].number_format
            for n, row in enumerate(cells_read, 1)
            if len(row) >= col[L.ACTUAL]
        }
    except Exception as exc:
        raise unreadable(path, exc) from None
    cached = _cached_formulas(path, rows, col[L.ACTUAL])
    values: list[SheetValue] = []
    problems: list[CellProblem] = []
    seen: dict[tuple[str, int], SheetValue] = {}

    def problem(row: int, name: str, message: str) -> None:
        problems.append(CellProblem(str(path), L.INDICATORS_SHEET, row, col[name], message))

    for row, cells in enumerate(rows[1:], 2):

        def cell(name: str, cells: tuple[Any, ...] = cells) -> Any:
            index = col.get(name, 0) - 1
            return cells[index] if 0 <= index < len(cells) else None

        actual = cached.get(row, cell(L.ACTUAL))
        if row in merged and (L.CONTRACT not in col or _shown(cell(L.CONTRACT)) == contract_id):
            problem(row, L.ACTUAL, f"cellule fusionnée avec {merged[row]} : une valeur par ligne "
                    f"est attendue, défusionnez les cellules : {IGNORED}")  # fmt: skip
            continue
        if actual is None or (isinstance(actual, str) and not actual.strip()):
            continue
        if L.CONTRACT in col and _shown(cell(L.CONTRACT)) != contract_id:
            continue
        code, year = cell(L.CODE), cell(L.YEAR)
        if isinstance(year, str) and year.strip().isdigit():  # a year retyped as text
            year = int(year)
        if isinstance(actual, str) and actual.startswith("="):
            problem(row, L.ACTUAL, f"formule sans valeur calculée : ouvrez le classeur dans un "
                    f"tableur et enregistrez-le : {IGNORED}")  # fmt: skip
        elif isinstance(actual, bool) or not isinstance(actual, int | float):
            kind = "une date" if isinstance(actual, dt.date | dt.time) else None
            what = kind or f"« {_shown(actual)} »"
            problem(row, L.ACTUAL, f"{what} n'est pas un nombre : {IGNORED}")
        elif not math.isfinite(actual):
            problem(row, L.ACTUAL, f"« {actual} » n'est pas un nombre fini : {IGNORED}")
        elif not isinstance(code, str) or code.strip() not in codes:
            what = f"indicateur « {_shown(code)} »" if code else "code d'indicateur vide"
            problem(row, L.CODE, f"{what} absent du contrat {contract_id} : {IGNORED}")
        elif isinstance(year, bool) or not isinstance(year, int | float) or year not in years:
            problem(row, L.YEAR, f"année « {_shown(year)} » hors de la période du contrat "
                    f"({years.start}–{years.stop - 1}) : {IGNORED}")  # fmt: skip
        else:
            code = code.strip()
            value = in_unit(float(actual), formats.get(row), code in percent)
            found = SheetValue(code, int(year), value, row, col[L.ACTUAL])
            earlier = seen.get((found.code, found.year))
            if earlier is None:
                seen[(found.code, found.year)] = found
                values.append(found)
            elif earlier.value != found.value:
                problem(row, L.ACTUAL, f"{found.code} {found.year} déjà lu ligne {earlier.row} "
                        f"({french_number(earlier.value)}) : {IGNORED}")  # fmt: skip
    return values, problems


def _merged_below(path: Path, part: str | None, column: int) -> dict[int, str]:
    """The rows whose Réalisé cell is hidden under a merged range (J2:J5 gives 3, 4 and 5, by
    their first cell J2): read-only openpyxl reads them as empty, they would be left silently."""
    from openpyxl.utils.cell import range_boundaries

    if part is None:
        return {}
    with zipfile.ZipFile(path) as archive:
        xml = archive.read(part).decode("utf-8", "replace")
    below = {}
    for ref in re.findall(r'<mergeCell\s+ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"', xml):
        first_col, first_row, last_col, last_row = range_boundaries(ref)
        if first_col <= column <= last_col:
            below.update(dict.fromkeys(range(first_row + 1, last_row + 1), ref.split(":")[0]))
    return below


def _cached_formulas(path: Path, rows: list[tuple[Any, ...]], column: int) -> dict[int, Any]:
    """The values a spreadsheet computed for the Réalisé cells that hold a formula."""
    formulas = [
        n
        for n, cells in enumerate(rows[1:], 2)
        if len(cells) >= column and isinstance(cells[column - 1], str)
        if cells[column - 1].startswith("=")
    ]
    if not formulas:
        return {}
    book = open_workbook(path, data_only=True)
    try:
        computed = sheet_rows(path, book, values_only=True)
    finally:
        book.close()
    return {
        n: computed[n - 1][column - 1]
        for n in formulas
        if n - 1 < len(computed) and computed[n - 1][column - 1] is not None
    }
