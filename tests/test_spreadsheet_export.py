"""cpomdocs export: the XLSX read back with openpyxl (values, formulas, formats) and through
LibreOffice (the formulas computed: statuses equal to followup/tracking, totals to the annexe)."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from cpomdocs.cli.main import main
from cpomdocs.data.rules import contract_years
from cpomdocs.data.signoff import sign_off
from cpomdocs.data.validate import check_folder
from cpomdocs.documents.contract_views import finance
from cpomdocs.followup.tracking import track
from cpomdocs.spreadsheet.export import export, sheet_data

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "contracts" / "asba-beaujolais-2024"
SOFFICE = shutil.which("soffice")
CSV_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's workbook, exported once."""
    output = tmp_path_factory.mktemp("export")
    report = export([EXAMPLE], output)
    assert report.written == [output / "asba-beaujolais-2024" / "tableau-de-bord.xlsx"]
    return report.written[0]


@pytest.fixture(scope="module")
def data():
    """The example as the export sees it: the contract in force and its comptes-rendus."""
    return sheet_data(check_folder(EXAMPLE))


def rows_by_header(sheet) -> list[dict[str, object]]:
    """The rows of a sheet as dicts keyed by the header row."""
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]


def test_sheets_header_and_layout(exported: Path) -> None:
    book = openpyxl.load_workbook(exported)
    assert book.sheetnames == ["Indicateurs", "Financement", "Mode d'emploi"]
    assert all(len(name) <= 31 for name in book.sheetnames)
    indicators, financing = book["Indicateurs"], book["Financement"]
    assert [c.value for c in indicators[1]] == [
        "Objectif", "Code", "Indicateur", "Unité", "Sens", "Référence", "Année de référence",
        "Année", "Cible", "Réalisé", "Écart", "Statut",
    ]  # fmt: skip
    assert indicators.freeze_panes == "D2" and financing.freeze_panes == "C2"
    assert indicators.column_dimensions["C"].width == 50
    assert indicators.auto_filter.ref == f"A1:L{indicators.max_row}"
    assert book.properties.creator == "cpomdocs"
    assert book.properties.created.isoformat() == "2026-10-08T00:00:00"  # latest meeting
    assert book.properties.modified == book.properties.created


def test_indicator_values_formulas_and_formats(exported: Path, data) -> None:
    sheet = openpyxl.load_workbook(exported)["Indicateurs"]
    years = list(contract_years(data.contract))
    codes = list(data.contract.all_indicators())
    assert sheet.max_row == 1 + len(codes) * len(years)
    row = next(r for r in range(2, sheet.max_row + 1) if sheet[f"B{r}"].value == "TO-HT")
    assert [c.value for c in sheet[row]][:10] == [
        "O1", "TO-HT", "Taux d'occupation de l'hébergement temporaire (deux EHPAD)", "%",
        "hausse", 68.2, 2022, 2024, 72, 70.1,
    ]  # fmt: skip
    assert sheet[f"K{row}"].value == f'=IF(OR(I{row}="",J{row}=""),"",J{row}-I{row})'
    assert sheet[f"L{row}"].value.startswith(f'=IF(OR(I{row}="",J{row}=""),"non évalué",')
    assert sheet[f"J{row}"].number_format == '#,##0.0\u00a0"%"'
    assert sheet[f"K{row}"].number_format.startswith('+#,##0.0\u00a0"pt"')
    empty = row + 2  # TO-HT 2026: a target, no actual yet
    assert sheet[f"H{empty}"].value == 2026 and sheet[f"J{empty}"].value is None


def test_financing_values_and_total_formulas(exported: Path, data) -> None:
    sheet = openpyxl.load_workbook(exported)["Financement"]
    assert [c.value for c in sheet[1]] == [
        "FINESS", "ESSMS", "Financeur", "Nature", "2024", "2025", "2026", "2027", "2028", "Total",
    ]  # fmt: skip
    assert [c.value for c in sheet[2]] == [
        "690794219", "EHPAD Les Vignes", "ARS Auvergne-Rhône-Alpes", "Forfait global de soins",
        1186400, 1204200, 1360500, 1380900, 1401600, "=SUM(E2:I2)",
    ]  # fmt: skip
    lines = sum(len(e.lines) for e in finance(data.contract).establishments)
    total = next(r for r in range(2, sheet.max_row + 1) if sheet[f"A{r}"].value == "Total")
    assert total == lines + 3
    assert sheet[f"E{total}"].value == f"=SUM(E2:E{lines + 1})"
    assert sheet[f"E{total}"].number_format == '#,##0\u00a0"€"'  # whole euros in this contract
    by_party = next(
        r
        for r in range(2, sheet.max_row + 1)
        if sheet[f"C{r}"].value == "Département du Rhône" and sheet[f"A{r}"].value is None
    )
    assert sheet[f"E{by_party}"].value == (
        f"=SUMPRODUCT(($C$2:$C${lines + 1}=$C{by_party})*(E$2:E${lines + 1}))"
    )


def test_two_exports_are_byte_identical(exported: Path, tmp_path: Path) -> None:
    again = export([EXAMPLE], tmp_path).written[0]
    assert again.read_bytes() == exported.read_bytes()


@pytest.fixture(scope="module")
def computed(exported: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict]]:
    """Every sheet as LibreOffice computes it (formulas evaluated), read from its CSV export."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) absent : apt-get install libreoffice-calc-nogui")
    out = tmp_path_factory.mktemp("csv")
    profile = f"-env:UserInstallation=file://{out}/profile"
    subprocess.run(
        [SOFFICE, profile, "--headless", "--convert-to", CSV_ALL_SHEETS, "--outdir", str(out),
         str(exported)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    sheets = {}
    for name in ("Indicateurs", "Financement"):
        with open(out / f"tableau-de-bord-{name}.csv", encoding="utf-8", newline="") as handle:
            sheets[name] = list(csv.DictReader(handle))
    return sheets


def test_libreoffice_statuses_are_those_of_tracking(computed, data) -> None:
    expected = {
        (r.code, year): str(r.status)
        for year in contract_years(data.contract)
        for r in track(data.contract, year, data.reports).indicators
    }
    found = {(row["Code"], int(row["Année"])): row["Statut"] for row in computed["Indicateurs"]}
    assert found == expected
    assert {"atteint", "partiellement atteint", "non atteint", "non évalué"} <= set(found.values())


def test_libreoffice_totals_are_those_of_the_annexe(computed, data) -> None:
    figures = finance(data.contract)
    rows = computed["Financement"]
    total = next(row for row in rows if row["FINESS"] == "Total")
    assert {y: float(total[str(y)]) for y in figures.years} == figures.per_year
    assert float(total["Total"]) == figures.total == 21016700
    for party, per_year in figures.per_financeur.items():
        row = next(r for r in rows if r["Financeur"] == party and not r["FINESS"])
        assert {y: float(row[str(y)]) for y in figures.years} == per_year
    gap = next(row for row in rows if row["FINESS"].startswith("Écart"))
    assert {gap[str(y)] for y in figures.years} == {"0"}


def test_portfolio_workbook_has_a_contract_column(tmp_path: Path) -> None:
    report = export([REPO / "contracts"], tmp_path, portfolio=True)
    assert report.written == [tmp_path / "tableau-de-bord.xlsx"]
    book = openpyxl.load_workbook(report.written[0])
    rows = rows_by_header(book["Indicateurs"])
    assert {row["Contrat"] for row in rows} == {
        "asba-beaujolais-2024", "chrs-estuaire-2026", "ehpad-les-cedres-2025",
        "fondation-val-d-ouche-2027",
    }  # fmt: skip
    assert book["Indicateurs"].freeze_panes == "E2"
    assert [c.value for c in book["Financement"][1]][:5] == [
        "Contrat", "FINESS", "ESSMS", "Financeur", "Nature",
    ]  # fmt: skip


def test_cli_export_writes_and_reports(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", str(EXAMPLE), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{tmp_path}/asba-beaujolais-2024/tableau-de-bord.xlsx\n"


def test_cli_export_skips_an_invalid_contract(tmp_path: Path) -> None:
    broken = tmp_path / "contracts" / "broken"
    broken.mkdir(parents=True)
    (broken / "cpom.yaml").write_text("reference: [\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["export", str(broken), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "non exporté (voir ci-dessus) : broken"
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


def test_cli_export_missing_path(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", str(tmp_path / "absent")])
    assert result.exit_code == 2
    assert result.stderr == f"{tmp_path}/absent: chemin introuvable (ni fichier ni dossier)\n"


def test_text_starting_with_equals_stays_text(tmp_path: Path) -> None:
    """A libellé typed as « =HYPERLINK(…) » must not become a live formula in the workbook."""
    folder = tmp_path / "contracts" / "ehpad-suivi"
    shutil.copytree(REPO / "tests" / "fixtures" / "reports" / "ehpad-suivi", folder)
    source = folder / "cpom.yaml"
    text = source.read_text(encoding="utf-8")
    hostile = '=HYPERLINK("http://exemple.invalid","clic")'
    text = text.replace("libelle: Taux d'absentéisme des aides-soignants", f"libelle: '{hostile}'")
    text = text.replace("nom: EHPAD Les Cèdres", "nom: '=1+1'")
    source.write_text(text, encoding="utf-8")
    # the fixture is a signed contract: edited, it is signed off again (--nouveau-contenu)
    sign_off(source, replace_content=True)
    book = openpyxl.load_workbook(export([folder], tmp_path / "out").written[0])
    label = book["Indicateurs"]["C2"]
    assert (label.value, label.data_type) == (hostile, "s")
    name = book["Financement"]["B2"]
    assert (name.value, name.data_type) == ("=1+1", "s")
    assert book["Indicateurs"]["K2"].data_type == "f"  # the gap stays a formula
