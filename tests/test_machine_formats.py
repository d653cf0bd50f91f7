"""validate --format json|github and diff -f json: exact lines that programs and GitHub read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cpomdocs.cli.contracts import github_annotation
from cpomdocs.cli.main import main
from cpomdocs.errors import Problem, Severity

FIXTURES = Path(__file__).parent / "fixtures"


def euros(shown: str) -> str:
    """An amount as Babel writes it: narrow no-break spaces, a no-break space before €."""
    return shown.replace(" ", "\u202f") + "\xa0€"


def run(*args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout.splitlines()


@pytest.fixture
def in_fixtures(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(FIXTURES)
    return FIXTURES


def test_github_format_exact_lines(in_fixtures: Path) -> None:
    code, out = run(
        "validate", "--format", "github", "invalid/totals.yaml", "invalid/finess-key.yaml"
    )
    assert code == 1
    assert out == [
        "::error file=invalid/totals.yaml,line=89,col=36::financement.totaux.2026: total 2026 "
        f"déclaré {euros('1 557 000,00')}, mais la somme des lignes fait {euros('1 557 100,00')}",
        "::warning file=invalid/finess-key.yaml,line=33,col=3::etablissements.340005132: clé de "
        "contrôle FINESS inhabituelle (le contrôle de Luhn, vérifié sur les numéros réels, "
        "échoue) : vérifiez le numéro",
        "2 contrats vérifiés : 1 erreur, 1 avertissement",
    ]


def test_github_format_escapes_what_would_break_the_command() -> None:
    problem = Problem("a,b:c%.yaml", 0, 0, "", "100 % sûr\nligne 2\r", Severity.ERROR)
    assert github_annotation(problem) == "::error file=a%2Cb%3Ac%25.yaml::100 %25 sûr%0Aligne 2%0D"
    warning = Problem("x.yaml", 4, 2, "reference", "à compléter", Severity.WARNING)
    assert (
        github_annotation(warning) == "::warning file=x.yaml,line=4,col=2::reference: à compléter"
    )


def test_json_format(in_fixtures: Path) -> None:
    code, out = run("validate", "-f", "json", "invalid/totals.yaml")
    assert code == 1
    assert json.loads("\n".join(out)) == {
        "valide": False,
        "bilan": "1 contrat vérifié : 1 erreur, 0 avertissement",
        "erreurs": 1,
        "avertissements": 0,
        "problemes": [
            {
                "fichier": "invalid/totals.yaml",
                "ligne": 89,
                "colonne": 36,
                "champ": "financement.totaux.2026",
                "message": f"total 2026 déclaré {euros('1 557 000,00')}, mais la somme des "
                f"lignes fait {euros('1 557 100,00')}",
                "gravite": "erreur",
            }
        ],
    }


def test_whole_contract_checks_an_avenant_with_its_contract(in_fixtures: Path) -> None:
    code, out = run("validate", "--whole-contract", "valid/ehpad-minimal/avenants/01-credits.yaml")
    assert (code, out) == (0, ["1 contrat vérifié : 0 erreur, 0 avertissement"])


def test_diff_json(in_fixtures: Path) -> None:
    code, out = run("diff", "--avenant", "1", "valid/ehpad-minimal", "-f", "json")
    assert code == 0
    diff = json.loads("\n".join(out))
    assert diff["ancien"] == "avant l'avenant n° 1"
    first = diff["modifications"][0]
    assert first == {
        "chemin": "financement.lignes.340005131.ars.credits_non_reconductibles.2026",
        "section": "Financement",
        "element": "Crédits non reconductibles 2026 de l'EHPAD Les Cèdres (ARS)",
        "type": "ajout",
        "avant": "",
        "apres": euros("25 000,00"),
        "ecart": "",
        "phrase": "Crédits non reconductibles 2026 de l'EHPAD Les Cèdres (ARS) : ajout "
        f"({euros('25 000,00')})",
    }
    totals = [c for c in diff["modifications"] if c["chemin"] == "financement.totaux.2026"]
    assert totals[0]["ecart"].startswith("+" + euros("25 000,00"))


def test_a_reader_that_leaves_is_no_internal_error() -> None:
    """`cpomdocs validate -f json | head -1`: the pipe closes before the output is written."""
    import subprocess
    import sys

    command = [sys.executable, "-m", "cpomdocs", "validate", "-f", "json", "invalid/totals.yaml"]
    process = subprocess.Popen(
        command, cwd=FIXTURES, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before a byte is written
    assert process.wait(timeout=60) == 1
    assert process.stderr.read() == ""
