"""Many problems of one kind: the first ones printed, then one line that counts the rest, in
every command that can print many problems (validate, build, import realisations)."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from cpomdocs.cli.common import SHOWN_PER_KIND
from cpomdocs.cli.main import main
from cpomdocs.spreadsheet.export import export

ROOT = Path(__file__).parent.parent
FIXTURE = Path(__file__).parent / "fixtures" / "reports" / "ehpad-suivi"
CHRS = Path("contracts/chrs-estuaire-2026")
NNBSP = "\u202f"


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output and "erreur interne" not in result.output
    return result


@pytest.fixture
def unknown_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The CHRS example with 30 unknown top-level keys: 30 problems of one kind."""
    shutil.copytree(ROOT / CHRS, tmp_path / CHRS)
    monkeypatch.chdir(tmp_path)
    with (CHRS / "cpom.yaml").open("a", encoding="utf-8") as file:
        file.writelines(f"inconnu{i}: {i}\n" for i in range(30))
    return tmp_path


def test_validate_sums_up_one_kind(unknown_keys: Path) -> None:
    result = run("validate", str(CHRS))
    lines = result.stdout.splitlines()
    assert result.exit_code == 1
    assert sum("champ inconnu « inconnu" in line for line in lines) == SHOWN_PER_KIND
    assert f"{CHRS}/cpom.yaml: … et 10 autres lignes avec le même problème" in lines
    assert lines[-1].endswith("30 erreurs, 0 avertissement")  # the count says all of them


def test_validate_json_keeps_every_problem(unknown_keys: Path) -> None:
    result = run("validate", str(CHRS), "-f", "json")
    assert result.stdout.count("champ inconnu « inconnu") == 30


def test_build_sums_up_one_kind(unknown_keys: Path) -> None:
    result = run("build", str(CHRS), "-o", "build", "-q")
    assert result.exit_code == 1
    assert result.stderr.count("champ inconnu « inconnu") == SHOWN_PER_KIND
    assert f"{CHRS}/cpom.yaml: … et 10 autres lignes avec le même problème" in result.stderr


def test_import_sums_up_thousands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(FIXTURE, tmp_path / "contracts" / "ehpad-suivi")
    monkeypatch.chdir(tmp_path)
    export([Path("contracts/ehpad-suivi")], Path("build"))
    book = openpyxl.load_workbook("build/ehpad-suivi/tableau-de-bord.xlsx")
    sheet = book["Indicateurs"]
    for _ in range(1_500):
        sheet.append(("O1", "ROTATION", "", "%", "hausse", 1, 2023, 2026, 2, "n.c."))
    sheet.append(("O9", "XX", "", "%", "hausse", 1, 2023, 2026, 2, 3))
    book.save("rempli.xlsx")
    result = run("import", "realisations", "rempli.xlsx", "contracts/ehpad-suivi")
    lines = result.stderr.splitlines()
    assert result.exit_code == 1
    assert sum("« n.c. » n'est pas un nombre" in line for line in lines) == SHOWN_PER_KIND
    assert lines[SHOWN_PER_KIND] == (
        f"rempli.xlsx!Indicateurs: … et 1{NNBSP}480 autres lignes avec le même problème"
    )
    assert "indicateur « XX » absent du contrat" in lines[SHOWN_PER_KIND + 1]  # another kind
    assert "1501 cellules ignorées" in result.stdout
