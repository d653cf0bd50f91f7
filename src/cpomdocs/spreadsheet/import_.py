"""`cpomdocs import realisations`: the Réalisé column of the tableau de bord into a compte-rendu.

Stages: validate the contract folder → choose the draft compte-rendu (named, or the latest
« projet ») → read the sheet (read_sheet) → merge into the draft's `realisations` → rewrite
that block of the YAML text (comments elsewhere kept) atomically → reload and check that only
`realisations` changed, else put the file back.

What is written: every value of the compte-rendu's exercice, and a value of another year when
no earlier compte-rendu records it with that value (a correction, or a year not reported).
Values of the draft that the sheet leaves empty stay as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cpomdocs.data.fingerprint import canonical_json
from cpomdocs.data.folders import (
    REPORTS_DIR,
    check_contract_files,
    check_no_link_out,
    is_contract_folder,
)
from cpomdocs.data.load import load_text
from cpomdocs.data.model import Contract, Unit
from cpomdocs.data.model_acts import MeetingReport, ReportStatus
from cpomdocs.data.placeholders import pending_actual
from cpomdocs.data.rules import contract_years
from cpomdocs.data.schema import Kind
from cpomdocs.data.validate import Checked, ContractFolder, check_folder, check_text, contract_on
from cpomdocs.errors import InputError, UsageError
from cpomdocs.followup.tracking import merged_actuals
from cpomdocs.spreadsheet.layout import INDICATORS_SHEET
from cpomdocs.spreadsheet.read_sheet import (
    IGNORED,
    CellProblem,
    SheetValue,
    SpreadsheetError,
    read_actuals,
)
from cpomdocs.spreadsheet.yaml_text import rewrite_block
from cpomdocs.write import write_text_like

KEY = "realisations"
FOLLOWING_KEYS = ("objectifs", "execution_financiere", "points_attention", "decisions", "actions")


@dataclass
class ImportReport:
    """What the import wrote into which compte-rendu, and the cells it left out."""

    report_path: Path
    written: int = 0  # values written (new or changed)
    unchanged: int = 0  # values the compte-rendu or an earlier one already held
    problems: list[CellProblem] = field(default_factory=list)


def choose_report(folder: ContractFolder, named: Path | None) -> Checked:
    """The compte-rendu to fill: the one named, else the latest draft (« projet »)."""
    reports = folder.reports
    if named is not None:
        chosen = [c for c in reports if c.path.resolve() == named.resolve()]
        if not chosen:
            raise UsageError(
                f"{named}: pas un compte-rendu de {folder.folder / REPORTS_DIR} "
                "(fichier .yaml de ce dossier attendu)"
            )
        checked = chosen[0]
    else:
        drafts = [c for c in reports if _draft_date(c) is not None]
        if not drafts:
            raise SpreadsheetError(
                f"{folder.folder / REPORTS_DIR}: aucun compte-rendu au statut « projet » : "
                "créez-le d'abord, ou nommez-en un avec --compte-rendu"
            )
        # an invalid latest draft is refused with its errors, never passed over for an older one
        checked = max(drafts, key=lambda c: (_draft_date(c), c.path.name))
    if not isinstance(checked.model, MeetingReport) or checked.document is None:
        raise InputError([p for p in checked.problems if p.is_error])
    if checked.model.statut is ReportStatus.APPROUVE:
        raise SpreadsheetError(
            f"{checked.path}: compte-rendu approuvé : ses valeurs ne changent plus ; "
            "créez un compte-rendu au statut « projet »"
        )
    if checked.path.suffix.lower() == ".json":
        raise SpreadsheetError(f"{checked.path}: l'import écrit dans un fichier YAML, pas JSON")
    return checked


def _draft_date(checked: Checked) -> str | None:
    """The date of a compte-rendu « projet » (ISO text; read from the file if it is invalid)."""
    if isinstance(checked.model, MeetingReport):
        draft = checked.model.statut is ReportStatus.PROJET
        return checked.model.date.isoformat() if draft else None
    data = checked.document.data if checked.document else None
    if isinstance(data, dict) and data.get("statut") == ReportStatus.PROJET.value:
        return str(data.get("date", ""))
    return None


def _ordered(values: dict[str, dict[int, float]], contract: Contract) -> dict[str, Any]:
    order = {code: n for n, code in enumerate(contract.all_indicators())}
    codes = sorted(values, key=lambda c: (order.get(c, len(order)), list(values).index(c)))
    return {code: dict(sorted(values[code].items())) for code in codes}


def import_realisations(
    workbook: Path, contract_folder: Path, report_file: Path | None = None
) -> ImportReport:
    """Fill a draft compte-rendu's `realisations` from the workbook's Réalisé column."""
    check_contract_files(contract_folder)
    if not is_contract_folder(contract_folder):
        raise UsageError(f"{contract_folder}: pas un dossier de contrat (cpom.yaml absent)")
    check_no_link_out(contract_folder)  # a compte-rendu is written into comptes-rendus/
    folder = check_folder(contract_folder)
    if not isinstance(folder.contract.model, Contract):
        raise InputError([p for p in folder.contract.problems if p.is_error])
    checked = choose_report(folder, report_file)
    draft = checked.model
    assert isinstance(draft, MeetingReport) and checked.document is not None
    contract = contract_on(folder, draft.date)
    codes = set(contract.all_indicators())
    contract_id = folder.folder.resolve().name
    percent = {
        code for code, (_, i) in contract.all_indicators().items() if i.unite is Unit.PERCENT
    }
    years, reference = contract_years(contract), folder.contract.model.reference
    values, problems = read_actuals(workbook, contract_id, codes, years, percent, reference)
    others = [
        c.model
        for c in folder.reports
        if isinstance(c.model, MeetingReport) and c is not checked and c.model.date < draft.date
    ]
    earlier = merged_actuals(others)
    data = checked.document.data
    current = {  # the loader keeps mapping keys as text: years are « 2026 » there
        code: {int(year): value for year, value in by_year.items()}
        for code, by_year in (data.get(KEY) or {}).items()
    }
    result = ImportReport(checked.path, problems=problems)
    replaced: dict[str, set[int]] = {}
    written: dict[tuple[str, int], tuple[SheetValue, float | None]] = {}
    for found in values:
        # a value « à compléter » is not held: even a 0 typed in the sheet replaces it
        held = current.get(found.code, {}).get(found.year)
        if pending_actual(checked.pending, found.code, found.year):
            held = None
        known = earlier.get(found.code, {}).get(found.year)
        if held == found.value or (found.year != draft.exercice and known == found.value):
            result.unchanged += 1
            continue
        written[(found.code, found.year)] = (found, current.get(found.code, {}).get(found.year))
        current.setdefault(found.code, {})[found.year] = found.value
        replaced.setdefault(found.code, set()).add(found.year)
        result.written += 1
    for (code, year), why in _refused(checked.path, _ordered(current, contract), replaced):
        found, held = written[(code, year)]  # a value the compte-rendu cannot hold: its cell
        if held is None:
            del current[code][year]
        else:
            current[code][year] = held
        replaced[code].discard(year)
        result.written -= 1
        result.problems.append(
            CellProblem(
                str(workbook), INDICATORS_SHEET, found.row, found.column, f"{why} : {IGNORED}"
            )
        )
    if result.written:
        _write(checked.path, data, _ordered(current, contract), replaced)
    return result


def _refused(
    path: Path, values: dict[str, Any], replaced: dict[str, set[int]]
) -> list[tuple[tuple[str, int], str]]:
    """The values written that the compte-rendu would refuse (1e308 where a number up to a
    bound is expected), with why: checked in memory, they were written and left the file
    invalid, and the whole contract unbuildable."""
    if not any(replaced.values()):
        return []
    text = path.read_text(encoding="utf-8-sig")
    rewritten = rewrite_block(text, KEY, values, replaced, FOLLOWING_KEYS)
    wanted = {
        f"{KEY}.{code}.{year}": (code, year) for code, years in replaced.items() for year in years
    }
    found = [
        (wanted[p.field], p.message)
        for p in check_text(rewritten, path, Kind.REPORT).problems
        if p.is_error and p.field in wanted
    ]
    return sorted(dict(found).items())


def _write(
    path: Path, data: dict[str, Any], values: dict[str, Any], replaced: dict[str, set[int]]
) -> None:
    """Rewrite the `realisations` block, checked in memory first: the file is written only when
    nothing else changes (written, then checked and put back, it was left broken by a Ctrl-C or
    a SIGTERM landing during the check, and read broken by a build meanwhile)."""
    text = path.read_text(encoding="utf-8-sig")
    texts = {code: {str(y): v for y, v in by_year.items()} for code, by_year in values.items()}
    expected = {**data, KEY: texts}
    rewritten = rewrite_block(text, KEY, values, replaced, FOLLOWING_KEYS)
    try:
        loaded = load_text(rewritten, path, json_syntax=path.suffix.lower() == ".json").data
        same = canonical_json(loaded) == canonical_json(expected)
    except InputError:
        same = False
    if same:
        write_text_like(path, rewritten)
    else:
        raise SpreadsheetError(
            f"{path}: le bloc « realisations » n'a pas pu être réécrit sans toucher au reste du "
            "fichier (fichier laissé tel quel) : reportez les valeurs à la main"
        )
