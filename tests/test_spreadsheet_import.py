"""cpomdocs import realisations: the Réalisé column back into a draft compte-rendu, bad cells
reported with their place and left out, the rest of the YAML file untouched."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from cpomdocs.cli.main import main
from cpomdocs.data.model_acts import MeetingReport
from cpomdocs.data.validate import check_folder
from cpomdocs.spreadsheet.export import export

FIXTURE = Path(__file__).parent / "fixtures" / "reports" / "ehpad-suivi"
DRAFT = Path("contracts/ehpad-suivi/comptes-rendus/2026-11-12-comite-suivi.yaml")
APPROVED = Path("contracts/ehpad-suivi/comptes-rendus/2026-06-20-dialogue-annuel.yaml")
SOFFICE = shutil.which("soffice")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the small follow-up fixture, exported; the working directory is its root."""
    shutil.copytree(FIXTURE, tmp_path / "contracts" / "ehpad-suivi")
    monkeypatch.chdir(tmp_path)
    export([Path("contracts/ehpad-suivi")], Path("build"))
    return tmp_path


WORKBOOK = Path("build/ehpad-suivi/tableau-de-bord.xlsx")


def fill(values: dict[tuple[str, int], object], extra: list[tuple] = (), name="rempli.xlsx"):
    """The exported workbook with these Réalisé cells typed in (and extra rows added)."""
    book = openpyxl.load_workbook(WORKBOOK)
    sheet = book["Indicateurs"]
    for row in range(2, sheet.max_row + 1):
        key = (sheet[f"B{row}"].value, sheet[f"H{row}"].value)
        if key in values:
            sheet[f"J{row}"] = values[key]
    for row in extra:
        sheet.append(row)
    book.save(name)
    return Path(name)


def run(*args: str):
    result = CliRunner().invoke(main, ["import", "realisations", *args])
    assert "Traceback" not in result.output and "erreur interne" not in result.output
    return result


def test_round_trip_with_bad_cells(project: Path) -> None:
    before = DRAFT.read_text(encoding="utf-8")
    workbook = fill(
        {
            ("ROTATION", 2026): 14.2,  # new
            ("ROTATION", 2025): 15.5,  # corrects the approved compte-rendu's 15
            ("TO-HP", 2025): 96.1,  # as the approved compte-rendu says: not repeated
            ("TO-HP", 2026): "n.c.",
            ("TO-HT", 2026): True,
            ("ENERGIE", 2026): dt.datetime(2026, 3, 1),
            ("PAP", 2026): None,  # the draft's 80 stays
            ("ENERGIE", 2027): "=1+1",  # a formula nobody computed
        },
        extra=[
            ("O9", "XX", "inconnu", "%", "hausse", 1, 2023, 2026, 2, 3),
            ("O1", "ABS-AS", "", "%", "baisse", 1, 2023, 2031, 2, 3),
        ],  # fmt: skip
    )
    result = run(str(workbook), "contracts/ehpad-suivi")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "rempli.xlsx!Indicateurs!J13: « n.c. » n'est pas un nombre : valeur ignorée",
        "rempli.xlsx!Indicateurs!J23: une date n'est pas un nombre : valeur ignorée",
        "rempli.xlsx!Indicateurs!J24: formule sans valeur calculée : ouvrez le classeur dans un "
        "tableur et enregistrez-le : valeur ignorée",
        "rempli.xlsx!Indicateurs!J28: « VRAI » n'est pas un nombre : valeur ignorée",
        "rempli.xlsx!Indicateurs!B32: indicateur « XX » absent du contrat ehpad-suivi : "
        "valeur ignorée",
        "rempli.xlsx!Indicateurs!H33: année « 2031 » hors de la période du contrat "
        "(2025–2029) : valeur ignorée",
    ]
    assert result.stdout == (f"{DRAFT}: 2 valeurs écrites, 5 déjà présentes, 6 cellules ignorées\n")
    after = DRAFT.read_text(encoding="utf-8")
    old_block = "realisations:\n  ABS-AS: {2026: 9.5}\n  PAP: {2026: 80}\n"
    new_block = (
        "realisations:\n  ABS-AS: {2026: 9.5}\n  ROTATION: {2025: 15.5, 2026: 14.2}\n"
        "  PAP: {2026: 80}\n"
    )
    assert old_block in before and after == before.replace(old_block, new_block)
    folder = check_folder(Path("contracts/ehpad-suivi"))
    assert folder.ok, folder.all_problems
    draft = next(c.model for c in folder.reports if c.path == DRAFT)
    assert isinstance(draft, MeetingReport)
    assert draft.realisations["ROTATION"] == {2025: 15.5, 2026: 14.2}

    again = run(str(fill({("ROTATION", 2026): 14.2}, name="propre.xlsx")), "contracts/ehpad-suivi")
    assert again.exit_code == 0
    assert again.stdout == f"{DRAFT}: 0 valeur écrite, 8 déjà présentes, 0 cellule ignorée\n"
    assert DRAFT.read_text(encoding="utf-8") == after


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) absent")
def test_a_workbook_saved_by_libreoffice(project: Path, tmp_path: Path) -> None:
    """Formulas typed by a director come back as the values LibreOffice computed."""
    filled = fill({("ROTATION", 2026): "=28.4/2", ("TO-HP", 2026): 95})
    out = tmp_path / "lo"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "xlsx", "--outdir", str(out), str(filled)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    result = run(str(out / "rempli.xlsx"), "contracts/ehpad-suivi")
    assert result.exit_code == 0, result.output
    assert "  ROTATION: {2026: 14.2}\n  TO-HP: {2026: 95}\n" in DRAFT.read_text(encoding="utf-8")


def test_a_draft_without_realisations_gets_the_block(project: Path) -> None:
    text = DRAFT.read_text(encoding="utf-8")
    block = "realisations:\n  ABS-AS: {2026: 9.5}\n  PAP: {2026: 80}\n"
    DRAFT.write_text(text.replace(block, "# Revue des objectifs\n"), encoding="utf-8")
    result = run(str(fill({("PAP", 2026): 81})), "contracts/ehpad-suivi")
    assert result.exit_code == 0, result.output
    expected = (
        "\nrealisations:\n  ABS-AS: {2026: 9.5}\n  PAP: {2026: 81}\n"
        "# Revue des objectifs\nobjectifs:\n"
    )
    assert expected in (DRAFT.read_text(encoding="utf-8"))


def test_choosing_the_compte_rendu(project: Path) -> None:
    workbook = str(fill({("PAP", 2026): 81}))
    approved = run(workbook, "contracts/ehpad-suivi", "--compte-rendu", str(APPROVED))
    assert approved.exit_code == 1
    assert approved.stderr == (
        f"{APPROVED}: compte-rendu approuvé : ses valeurs ne changent plus ; "
        "créez un compte-rendu au statut « projet »\n"
    )
    outside = run(workbook, "contracts/ehpad-suivi", "--compte-rendu", "contracts/x.yaml")
    assert outside.exit_code == 2
    assert outside.stderr == (
        "contracts/x.yaml: pas un compte-rendu de contracts/ehpad-suivi/comptes-rendus "
        "(fichier .yaml de ce dossier attendu)\n"
    )
    DRAFT.unlink()
    none = run(workbook, "contracts/ehpad-suivi")
    assert none.exit_code == 1
    assert none.stderr == (
        "contracts/ehpad-suivi/comptes-rendus: aucun compte-rendu au statut « projet » : "
        "créez-le d'abord, ou nommez-en un avec --compte-rendu\n"
    )


def test_unusable_workbooks(project: Path) -> None:
    missing = run("absent.xlsx", "contracts/ehpad-suivi")
    assert (missing.exit_code, missing.stderr) == (2, "absent.xlsx: fichier introuvable\n")

    Path("abime.xlsx").write_text("ceci n'est pas un classeur", encoding="utf-8")
    corrupt = run("abime.xlsx", "contracts/ehpad-suivi")
    assert corrupt.exit_code == 1
    assert corrupt.stderr == (
        "abime.xlsx: classeur illisible (BadZipFile) : un fichier .xlsx enregistré par Excel "
        "ou LibreOffice était attendu\n"
    )

    book = openpyxl.Workbook()
    book.active.title = "Feuil1"
    book.save("autre.xlsx")
    wrong_sheet = run("autre.xlsx", "contracts/ehpad-suivi")
    assert wrong_sheet.exit_code == 1
    assert wrong_sheet.stderr == (
        "autre.xlsx: feuille « Indicateurs » absente (feuilles : « Feuil1 ») : attendu le "
        "classeur produit par « cpomdocs export »\n"
    )

    book.active.title = "Indicateurs"
    book.active.append(["Code", "Année", "Valeur"])
    book.save("entete.xlsx")
    header = run("entete.xlsx", "contracts/ehpad-suivi")
    assert header.exit_code == 1
    assert header.stderr == (
        "entete.xlsx!Indicateurs!A1: colonne(s) « Réalisé » absente(s) de la ligne d'en-tête : "
        "attendu le tableau produit par « cpomdocs export » (Code, Année, Réalisé)\n"
    )

    not_a_contract = run(str(WORKBOOK), "build")
    assert not_a_contract.exit_code == 2
    assert not_a_contract.stderr == "build: pas un dossier de contrat (cpom.yaml absent)\n"


def test_a_portfolio_workbook_fills_only_its_contract(project: Path) -> None:
    export([Path("contracts")], Path("portefeuille"), portfolio=True)
    book = openpyxl.load_workbook("portefeuille/tableau-de-bord.xlsx")
    sheet = book["Indicateurs"]
    assert sheet["A1"].value == "Contrat" and sheet["K1"].value == "Réalisé"
    row = next(
        r
        for r in range(2, sheet.max_row + 1)
        if sheet[f"C{r}"].value == "TO-HT" and sheet[f"I{r}"].value == 2026
    )
    sheet[f"K{row}"] = 88
    sheet.append(["autre-contrat", "O1", "TO-HT", "", "", "", 0, 2023, 2026, 0, 12])
    book.save("portefeuille.xlsx")
    result = run("portefeuille.xlsx", "contracts/ehpad-suivi")
    assert result.exit_code == 0, result.output
    assert "  TO-HT: {2026: 88}\n" in DRAFT.read_text(encoding="utf-8")


def test_a_new_compte_rendu_keeps_its_placeholders_until_filled(project: Path) -> None:
    """`cpomdocs new compte-rendu` writes zeros marked « à compléter »: the export does not
    show them as data, and the import replaces only those the sheet fills, marker and all."""
    made = CliRunner().invoke(
        main,
        ["new", "compte-rendu", "contracts/ehpad-suivi", "--type", "dialogue de gestion annuel",
         "--date", "2027-06-15"],
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    new = Path("contracts/ehpad-suivi/comptes-rendus/2027-06-15-dialogue-de-gestion-annuel.yaml")
    before = new.read_text(encoding="utf-8")
    export([Path("contracts/ehpad-suivi")], Path("build"))
    sheet = openpyxl.load_workbook(WORKBOOK)["Indicateurs"]
    shown = {(sheet[f"B{r}"].value, sheet[f"H{r}"].value): sheet[f"J{r}"].value
             for r in range(2, sheet.max_row + 1)}  # fmt: skip
    assert shown[("TO-HP", 2026)] is None  # the new draft's 0 is not a value
    assert shown[("ABS-AS", 2026)] == 9.5  # the earlier draft's value is
    result = run(str(fill({("TO-HP", 2026): 95, ("ROTATION", 2026): 0})), "contracts/ehpad-suivi")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{new}: 4 valeurs écrites, 5 déjà présentes, 0 cellule ignorée\n"
    after = new.read_text(encoding="utf-8").splitlines()
    changed = [line for line in after if line not in before.splitlines()]
    assert changed == [
        "  ABS-AS: {2026: 9.5}",
        "  ROTATION: {2026: 0}",
        "  TO-HP: {2026: 95}",
        "  PAP: {2026: 80}",
    ]
    assert any(line.startswith("  ENERGIE: {2026: 0}  # à compléter") for line in after)


def test_an_invalid_latest_draft_is_refused_not_passed_over(project: Path) -> None:
    newer = DRAFT.with_name("2027-01-10-comite-suivi.yaml")
    text = DRAFT.read_text(encoding="utf-8").replace("date: 2026-11-12", "date: 2027-01-10")
    newer.write_text(text + "remarque: clé inconnue\n", encoding="utf-8")
    before = DRAFT.read_text(encoding="utf-8")
    result = run(str(fill({("PAP", 2026): 81})), "contracts/ehpad-suivi")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{newer}:")
    assert ": remarque: champ inconnu « remarque » (champs possibles : " in result.stderr
    assert DRAFT.read_text(encoding="utf-8") == before


def percent_typed(name: str = "pourcent.xlsx") -> Path:
    """« 96,8 % » typed in French into the Réalisé cell of TO-HP 2026 (a percentage): the cell
    holds 0.968 with a percent format; « 50 % » typed for ENERGIE (a plain number) holds 0.5."""
    book = openpyxl.load_workbook(WORKBOOK)
    sheet = book["Indicateurs"]
    for row in range(2, sheet.max_row + 1):
        key = (sheet[f"B{row}"].value, sheet[f"H{row}"].value)
        typed = {("TO-HP", 2026): (0.968, "0.0%"), ("ENERGIE", 2026): (0.5, "0%"),
                 ("ROTATION", 2026): (0.117, "0.00%")}.get(key)  # fmt: skip
        if typed:
            sheet[f"J{row}"], sheet[f"J{row}"].number_format = typed
    book.save(name)
    return Path(name)


def test_a_value_typed_as_a_percentage(project: Path) -> None:
    exported = openpyxl.load_workbook(WORKBOOK)["Indicateurs"]
    formats = {exported[f"J{r}"].number_format for r in range(2, exported.max_row + 1)}
    assert '#,##0.0\u00a0"%"' in formats  # the export writes 96.1 in the unit, « % » as text
    result = run(str(percent_typed()), "contracts/ehpad-suivi")
    assert result.exit_code == 0, result.output
    text = DRAFT.read_text(encoding="utf-8")
    assert "  ROTATION: {2026: 11.7}\n  TO-HP: {2026: 96.8}\n" in text
    assert "  ENERGIE: {2026: 0.5}\n" in text  # not a percentage: read as it is
    assert "96.80000000000001" not in text and "11.700000000000001" not in text


def test_the_export_round_trip_leaves_percentages_as_they_are(project: Path) -> None:
    before = DRAFT.read_text(encoding="utf-8")
    result = run(str(WORKBOOK), "contracts/ehpad-suivi")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{DRAFT}: 0 valeur écrite, 7 déjà présentes, 0 cellule ignorée\n"
    assert DRAFT.read_text(encoding="utf-8") == before


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) absent")
def test_a_percentage_in_a_workbook_saved_by_libreoffice(project: Path, tmp_path: Path) -> None:
    before = DRAFT.read_text(encoding="utf-8")
    out = tmp_path / "lo"
    for source in (WORKBOOK, percent_typed()):
        subprocess.run(
            [SOFFICE, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
             "--convert-to", "xlsx", "--outdir", str(out), str(source)],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
    resaved = openpyxl.load_workbook(out / WORKBOOK.name)["Indicateurs"]
    formats = {resaved[f"J{r}"].number_format for r in range(2, resaved.max_row + 1)}
    assert '#,##0.0"\u00a0%"' in formats  # LibreOffice quotes the space too: still text
    unchanged = run(str(out / WORKBOOK.name), "contracts/ehpad-suivi")
    assert unchanged.exit_code == 0, unchanged.output
    assert DRAFT.read_text(encoding="utf-8") == before  # exported values come back as they were
    result = run(str(out / "pourcent.xlsx"), "contracts/ehpad-suivi")
    assert result.exit_code == 0, result.output
    text = DRAFT.read_text(encoding="utf-8")
    assert "  ROTATION: {2026: 11.7}\n  TO-HP: {2026: 96.8}\n" in text
    assert "  ENERGIE: {2026: 0.5}\n" in text
