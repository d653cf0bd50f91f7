"""The real CLI on broken inputs: exact message lines and exit codes."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cpomdocs import __version__
from cpomdocs.cli.main import main

FIXTURES = Path(__file__).parent / "fixtures"
VALID = FIXTURES / "valid" / "ehpad-minimal"
SRC = Path(__file__).parents[1] / "src" / "cpomdocs"
ONE_ERROR = "1 contrat vérifié : 1 erreur, 0 avertissement"

# fixture → (exact problem lines, closing line, exit code). Each fixture is the valid minimal
# contract with one change; the line:column must point at the key or value at fault.
CASES: dict[str, tuple[list[str], str, int]] = {
    "syntax-error.yaml": (
        [
            "invalid/syntax-error.yaml:11:3: syntaxe YAML invalide : deux-points « : » manquant "
            "après une clé (could not find expected ':')"
        ],
        ONE_ERROR,
        1,
    ),
    "wrong-type.yaml": (
        ['invalid/wrong-type.yaml:13:13: duree_mois: attendu un nombre entier, trouvé "soixante"'],
        ONE_ERROR,
        1,
    ),
    "missing-field.yaml": (
        ["invalid/missing-field.yaml:3:1: champ obligatoire « territoire » manquant"],
        ONE_ERROR,
        1,
    ),
    "unknown-field.yaml": (
        [
            "invalid/unknown-field.yaml:47:1: objectif: champ inconnu « objectif » : "
            "vouliez-vous dire « objectifs » ?"
        ],
        ONE_ERROR,
        1,
    ),
    "finess-key.yaml": (
        [
            "invalid/finess-key.yaml:33:3: avertissement: etablissements.340005132: clé de "
            "contrôle FINESS inhabituelle (le contrôle de Luhn, vérifié sur les numéros réels, "
            "échoue) : vérifiez le numéro"
        ],
        "1 contrat vérifié : 0 erreur, 1 avertissement",
        0,
    ),
    "finess-format.yaml": (
        [
            'invalid/finess-format.yaml:18:14: gestionnaire.finess_ej: "34000512" invalide : '
            "attendu un numéro FINESS de 9 caractères (ex. « 340780477 »)"
        ],
        ONE_ERROR,
        1,
    ),
    "finess-key-format.yaml": (
        [
            "invalid/finess-key-format.yaml:33:3: etablissements.34000513: clé « 34000513 » "
            "invalide : attendu un numéro FINESS de 9 caractères (ex. « 340780477 »)"
        ],
        ONE_ERROR,
        1,
    ),
    "siret-key.yaml": (
        [
            "invalid/siret-key.yaml:36:12: etablissements.340005131.siret: clé de contrôle du "
            "SIRET invalide (algorithme de Luhn) : vérifiez le numéro"
        ],
        ONE_ERROR,
        1,
    ),
    "siren-key.yaml": (
        [
            "invalid/siren-key.yaml:19:10: gestionnaire.siren: clé de contrôle du SIREN invalide "
            "(algorithme de Luhn) : vérifiez le numéro",
            "invalid/siren-key.yaml:36:12: avertissement: etablissements.340005131.siret: le "
            "SIRET ne commence pas par le SIREN du gestionnaire (433702157)",
        ],
        "1 contrat vérifié : 1 erreur, 1 avertissement",
        1,
    ),
    "end-before-start.yaml": (
        [
            "invalid/end-before-start.yaml:12:8: dates.fin: la date de fin 2024-12-31 doit être "
            "postérieure à la date d'effet 2025-01-01"
        ],
        ONE_ERROR,
        1,
    ),
    "too-long.yaml": (
        ["invalid/too-long.yaml:13:13: duree_mois: 72 trop grand : 60 au plus"],
        ONE_ERROR,
        1,
    ),
    "duplicate-indicator.yaml": (
        [
            "invalid/duplicate-indicator.yaml:72:7: objectifs.O2.indicateurs.ABS-AS: code "
            "d'indicateur « ABS-AS » déjà utilisé par l'objectif O1"
        ],
        ONE_ERROR,
        1,
    ),
    "duplicate-action.yaml": (
        [
            "invalid/duplicate-action.yaml:70:7: objectifs.O2.actions.A1.1: code d'action « A1.1 » "
            "déjà utilisé par l'objectif O1"
        ],
        ONE_ERROR,
        1,
    ),
    "target-year.yaml": (
        [
            "invalid/target-year.yaml:79:68: objectifs.O2.indicateurs.TO-HP.cibles.2030: cible "
            "2030 hors de la période du contrat (2025–2029)"
        ],
        ONE_ERROR,
        1,
    ),
    "totals.yaml": (
        [
            "invalid/totals.yaml:89:36: financement.totaux.2026: total 2026 déclaré "
            "1\u202f557\u202f000,00\xa0€, mais la somme des lignes fait 1\u202f557\u202f100,00\xa0€"
        ],
        ONE_ERROR,
        1,
    ),
    "empty.yaml": (
        ["invalid/empty.yaml:1:1: fichier vide : un contenu YAML était attendu"],
        ONE_ERROR,
        1,
    ),
    "list-not-mapping.yaml": (
        [
            "invalid/list-not-mapping.yaml:10:3: dates: attendu une table de clés (champ: valeur), "
            "trouvé une liste"
        ],
        ONE_ERROR,
        1,
    ),
    "latin1.yaml": (
        [
            "invalid/latin1.yaml:1:12: octet 0xe9 invalide en UTF-8 : enregistrez le fichier en "
            "UTF-8 (et non en Windows-1252 ou Latin-1)"
        ],
        ONE_ERROR,
        1,
    ),
    "duplicate-key.yaml": (
        [
            "invalid/duplicate-key.yaml:82:1: objectifs: clé « objectifs » donnée deux fois "
            "(lignes 47 et 82) : fusionnez les deux blocs, le second remplacerait le premier"
        ],
        ONE_ERROR,
        1,
    ),
    "financeur-not-party.yaml": (
        [
            "invalid/financeur-not-party.yaml:81:16: objectifs.O2.financeur: « cd30 » n'est pas "
            "une autorité signataire du contrat (autorites : ars, cd34)"
        ],
        ONE_ERROR,
        1,
    ),
    "essms-ej.yaml": (
        [
            "invalid/essms-ej.yaml:35:16: etablissements.340005131.finess_ej: FINESS EJ 340000017 "
            "différent de celui du gestionnaire (340005123) : chaque ESSMS doit relever de "
            "l'organisme gestionnaire"
        ],
        ONE_ERROR,
        1,
    ),
    "year-key.yaml": (
        [
            "invalid/year-key.yaml:62:30: objectifs.O1.indicateurs.ABS-AS.cibles.20266: clé "
            "« 20266 » invalide : attendu une année de 2000 à 2099 (ex. 2026)"
        ],
        ONE_ERROR,
        1,
    ),
    "unquoted-siren.yaml": (
        [
            "invalid/unquoted-siren.yaml:19:10: gestionnaire.siren: attendu un texte, trouvé "
            '433702156 ; mettez la valeur entre guillemets : "433702156"'
        ],
        ONE_ERROR,
        1,
    ),
    "bad-enum.yaml": (
        [
            'invalid/bad-enum.yaml:5:9: statut: valeur "signe" non reconnue ; vouliez-vous dire '
            "« signé » ? (valeurs possibles : « projet », « signé », « prorogé », « échu », "
            "« résilié »)"
        ],
        ONE_ERROR,
        1,
    ),
    "capacity-not-mapping.yaml": (
        [
            "invalid/capacity-not-mapping.yaml:41:30: "
            "etablissements.340005131.capacites.hebergement_permanent: attendu une table de clés "
            "(champ: valeur), trouvé 78"
        ],
        ONE_ERROR,
        1,
    ),
}


def run(*args: str, **kw) -> tuple[int, list[str], list[str]]:
    """Run the real CLI; return its exit code, stdout lines and stderr lines."""
    result = CliRunner().invoke(main, list(args), **kw)
    return result.exit_code, result.stdout.splitlines(), result.stderr.splitlines()


@pytest.fixture
def in_fixtures(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from tests/fixtures, so that messages show short relative paths."""
    monkeypatch.chdir(FIXTURES)
    return FIXTURES


def test_every_invalid_fixture_has_a_case() -> None:
    assert sorted(CASES) == sorted(p.name for p in (FIXTURES / "invalid").iterdir())


@pytest.mark.parametrize("name", sorted(CASES))
def test_invalid_input_exact_messages(in_fixtures: Path, name: str) -> None:
    lines, closing, code = CASES[name]
    exit_code, out, err = run("validate", f"invalid/{name}")
    assert out == [*lines, closing]
    assert err == []
    assert exit_code == code


def test_valid_contract_passes(in_fixtures: Path) -> None:
    assert run("validate", "valid") == (0, ["1 contrat vérifié : 0 erreur, 0 avertissement"], [])


def test_strict_turns_warnings_into_failure(in_fixtures: Path) -> None:
    code, out, _ = run("validate", "--strict", "invalid/finess-key.yaml")
    assert code == 1
    assert out[-1] == (
        "1 contrat vérifié : 0 erreur, 1 avertissement (--strict : les avertissements font échouer)"
    )


def test_one_invalid_contract_does_not_hide_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    portfolio = tmp_path / "portefeuille"
    shutil.copytree(VALID, portfolio / "a-valide")
    for folder, fixture in (("b-siren", "siren-key.yaml"), ("c-totaux", "totals.yaml")):
        (portfolio / folder).mkdir()
        shutil.copy(FIXTURES / "invalid" / fixture, portfolio / folder / "cpom.yaml")
    monkeypatch.chdir(tmp_path)
    code, out, err = run("validate", "portefeuille")
    assert out == [
        "portefeuille/b-siren/cpom.yaml:19:10: gestionnaire.siren: clé de contrôle du SIREN "
        "invalide (algorithme de Luhn) : vérifiez le numéro",
        "portefeuille/b-siren/cpom.yaml:36:12: avertissement: etablissements.340005131.siret: "
        "le SIRET ne commence pas par le SIREN du gestionnaire (433702157)",
        "portefeuille/c-totaux/cpom.yaml:89:36: financement.totaux.2026: total 2026 déclaré "
        "1\u202f557\u202f000,00\xa0€, mais la somme des lignes fait 1\u202f557\u202f100,00\xa0€",
        "3 contrats vérifiés : 2 erreurs, 1 avertissement",
    ]
    assert (code, err) == (1, [])


def test_missing_path_is_a_usage_error(in_fixtures: Path) -> None:
    assert run("validate", "valid", "nulle-part/cpom.yaml") == (
        2,
        [],
        ["nulle-part/cpom.yaml: chemin introuvable (ni fichier ni dossier)"],
    )


def test_folder_without_contract_is_a_usage_error(tmp_path: Path) -> None:
    code, out, err = run("validate", str(tmp_path))
    assert (code, out) == (2, [])
    assert err == [f"{tmp_path}: aucun cpom.yaml dans ce dossier ni dans ses sous-dossiers directs"]


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for a, b in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{b}: &{b} [{','.join(['*' + a] * 9)}]")
    bomb = tmp_path / "cpom.yaml"
    bomb.write_text("\n".join(lines) + "\n")
    code, out, _ = run("validate", str(bomb))
    assert out == [
        f"{bomb}:1:4: ancre ou alias YAML (&a) refusé : recopiez la valeur au lieu d'y faire "
        "référence",
        ONE_ERROR,
    ]
    assert code == 1


def test_ten_megabyte_file_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "cpom.yaml"
    big.write_bytes(b"\xff: [" * (10 * 2**20 // 4))  # neither UTF-8 nor YAML: never read
    code, out, _ = run("validate", str(big))
    assert out == [f"{big}: fichier trop volumineux (10,0 Mo) : 2 Mo au plus", ONE_ERROR]
    assert code == 1


def test_version() -> None:
    assert run("--version") == (0, [f"cpomdocs {__version__}"], [])


@pytest.mark.parametrize("command", [[], *([name] for name in sorted(main.commands))])
def test_every_help_lists_exit_codes(command: list[str]) -> None:
    code, out, _ = run(*command, "--help")
    text = "\n".join(out)
    assert code == 0
    assert "Codes de sortie :" in text
    assert "  0  " in text and "  2  " in text
    if command != ["new"]:  # new refuses everything with 2 (usage); it never exits 1
        assert "  1  " in text
    assert "Afficher cette aide et quitter." in text


def test_library_never_imports_click() -> None:
    importers = []
    for module in sorted(SRC.glob("*.py")):
        if module.name == "cli.py":
            continue
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            if any(name.split(".")[0] == "click" for name in names):
                importers.append(module.name)
    assert importers == []


def test_internal_error_is_one_line_and_exit_3(
    monkeypatch: pytest.MonkeyPatch, in_fixtures: Path
) -> None:
    # Fault injection: a bug cannot be provoked by input once it is fixed, so make one.
    def broken(paths: list[Path]) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("cpomdocs.cli.contracts.validate_paths", broken)
    monkeypatch.delenv("CPOMDOCS_DEBUG", raising=False)
    code, out, err = run("validate", "valid")
    assert (code, out) == (3, [])
    assert err == [
        "erreur interne : ZeroDivisionError: division by zero",
        "C'est un défaut de cpomdocs, pas de vos fichiers : signalez-le avec la commande lancée "
        "; CPOMDOCS_DEBUG=1 affiche la trace complète.",
    ]
    result = CliRunner().invoke(main, ["validate", "valid"], env={"CPOMDOCS_DEBUG": "1"})
    assert isinstance(result.exception, ZeroDivisionError)


def test_schema_check_reports_stale_files(tmp_path: Path) -> None:
    assert run("schema", "-o", str(tmp_path))[0] == 0
    assert run("schema", "--check", "-o", str(tmp_path)) == (0, [], [])
    stale = tmp_path / "avenant.schema.json"
    stale.write_text("{}\n", encoding="utf-8")
    assert run("schema", "--check", "-o", str(tmp_path)) == (
        1,
        [f"{stale}: schéma périmé ou absent : lancez « cpomdocs schema -o {tmp_path} »"],
        [],
    )


def test_installed_command_in_a_real_process() -> None:
    command = Path(sys.executable).with_name("cpomdocs")
    done = subprocess.run(
        [str(command), "validate", "invalid/duplicate-key.yaml", "valid"],
        cwd=FIXTURES,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    assert done.stdout.splitlines() == [
        *CASES["duplicate-key.yaml"][0],
        "2 contrats vérifiés : 1 erreur, 0 avertissement",
    ]
    assert (done.returncode, done.stderr) == (1, "")
