"""Validation of folders and files: each file on its own, cross-file rules, the closing count."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cpomdocs.data.folders import find_contract_folders
from cpomdocs.data.load import load_document
from cpomdocs.data.model import Contract
from cpomdocs.data.model_acts import Avenant, MeetingReport
from cpomdocs.data.schema import Kind
from cpomdocs.data.validate import ContractFolder, check_file, check_folder, kind_of, validate_paths
from cpomdocs.errors import UsageError

FIXTURES = Path(__file__).parent / "fixtures"
VALID = FIXTURES / "valid" / "ehpad-minimal"
AVENANT = VALID / "avenants" / "01-credits.yaml"
REPORT = VALID / "comptes-rendus" / "2027-10-15-mi-parcours.yaml"


@pytest.fixture
def contract(tmp_path: Path) -> Path:
    """A writable copy of the valid contract folder."""
    return Path(shutil.copytree(VALID, tmp_path / "ehpad"))


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_valid_folder_gives_models_and_no_problem() -> None:
    checked = check_folder(VALID)
    assert checked.id == "ehpad-minimal" and checked.ok and checked.all_problems == []
    assert isinstance(checked.contract.model, Contract)
    assert [type(a.model) for a in checked.avenants] == [Avenant]
    assert [type(r.model) for r in checked.reports] == [MeetingReport]


def test_kind_comes_from_the_folder() -> None:
    assert kind_of(AVENANT) is Kind.AVENANT
    assert kind_of(REPORT) is Kind.REPORT
    assert kind_of(VALID / "cpom.yaml") is Kind.CONTRACT


def test_problems_of_every_file_of_a_folder_are_listed(contract: Path) -> None:
    replace(contract / "cpom.yaml", '"43370215600012"', '"43370215600013"')
    replace(contract / "avenants" / "01-credits.yaml", "numero: 1", "numero: 2")
    replace(contract / "comptes-rendus" / "2027-10-15-mi-parcours.yaml", "  TO-HP:", "  TO-XX:")
    checked = check_folder(contract)
    assert not checked.ok
    assert [str(p).replace(str(contract), "ehpad") for p in checked.all_problems] == [
        "ehpad/avenants/01-credits.yaml:1:9: numero: avenant n° 2 : les avenants sont numérotés "
        "sans trou, attendu 1",
        "ehpad/avenants/01-credits.yaml:15:11: empreinte.sha256: l'avenant signé a été modifié "
        "depuis sa signature : toute modification passe par un nouvel avenant",
        "ehpad/comptes-rendus/2027-10-15-mi-parcours.yaml:13:3: realisations.TO-XX: indicateur "
        "« TO-XX » absent du contrat (indicateurs : ABS-AS, TO-HP)",
        "ehpad/cpom.yaml:36:12: etablissements.340005131.siret: clé de contrôle du SIRET invalide "
        "(algorithme de Luhn) : vérifiez le numéro",
        "ehpad/cpom.yaml:99:11: empreinte.sha256: le contrat signé a été modifié depuis sa "
        "signature : toute modification passe par un avenant",
    ]


def test_a_broken_avenant_is_reported_beside_the_contract(contract: Path) -> None:
    replace(contract / "avenants" / "01-credits.yaml", "statut: signé", "statut: [signé]")
    checked = check_folder(contract)
    assert checked.contract.problems == [] and checked.contract.model is not None
    assert [p.message for p in checked.all_problems] == ["attendu un texte, trouvé une liste"]


def test_contract_in_json_is_found(contract: Path) -> None:
    data = load_document(contract / "cpom.yaml").data
    (contract / "cpom.yaml").unlink()
    (contract / "cpom.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), "utf-8")
    checked = check_folder(contract)
    assert checked.contract.path.name == "cpom.json" and checked.ok


def test_folder_of_folders_and_loose_files(contract: Path) -> None:
    assert find_contract_folders([contract.parent]) == [contract]
    report = validate_paths([contract.parent, AVENANT])
    assert [type(r).__name__ for r in report] == ["ContractFolder", "Checked"]
    assert len(report) == 2 and not report.failed(strict=True)
    assert report.summary() == "1 contrat et 1 fichier vérifiés : 0 erreur, 0 avertissement"
    assert validate_paths([REPORT]).summary() == "1 fichier vérifié : 0 erreur, 0 avertissement"


def test_warnings_fail_only_when_strict() -> None:
    report = validate_paths([FIXTURES / "invalid" / "finess-key.yaml"])
    assert (report.errors, report.warnings) == (0, 1)
    assert not report.failed() and report.failed(strict=True)


def test_usage_errors(tmp_path: Path) -> None:
    text_file = tmp_path / "notes.txt"
    text_file.write_text("rien", encoding="utf-8")
    cases = {
        tmp_path / "absent": f"{tmp_path / 'absent'}: chemin introuvable (ni fichier ni dossier)",
        text_file: f"{text_file}: un fichier .yaml, .yml ou .json était attendu",
        tmp_path: f"{tmp_path}: aucun cpom.yaml dans ce dossier ni dans ses sous-dossiers directs",
    }
    for path, message in cases.items():
        with pytest.raises(UsageError) as caught:
            validate_paths([VALID, path])
        assert str(caught.value) == message
        assert caught.value.exit_code == 2


def test_loose_file_problems_stay_with_their_file() -> None:
    checked = check_file(FIXTURES / "invalid" / "totals.yaml")
    assert checked.model is not None and len(checked.problems) == 1
    assert not isinstance(checked, ContractFolder)


def test_a_negative_amount_is_shown_as_an_amount(contract: Path) -> None:
    replace(contract / "cpom.yaml", "2026: 1138300.00", "2026: -25000")
    problems = check_folder(contract).all_problems
    assert [(p.line, p.field, p.message) for p in problems] == [
        (
            86,
            "financement.lignes.340005131.ars.forfait_global_soins.2026",
            "\u221225\u202f000,00\xa0€ trop petit : 0,00\xa0€ au moins",
        )
    ]


def test_a_date_written_beside_the_place_of_signature_says_where_it_goes(tmp_path: Path) -> None:
    # « champ inconnu « date » (champs possibles : lieu) »: the newcomer signing the contract
    # was not told that the date lives in dates.signature.
    source = Path(__file__).parent / "fixtures" / "valid" / "ehpad-minimal" / "cpom.yaml"
    text = source.read_text(encoding="utf-8")
    assert "signature:\n  lieu: " in text
    text = text.replace("signature:\n  lieu: ", "signature:\n  date: 2025-03-14\n  lieu: ", 1)
    text = text.replace("dates:\n", "date_effet: 2025-01-01\ndates:\n", 1)
    (tmp_path / "cpom.yaml").write_text(text, encoding="utf-8")
    messages = [str(p).split(": ", 1)[1] for p in validate_paths([tmp_path]).problems]
    assert (
        "signature.date: champ inconnu « date » : la date de signature s'écrit dans "
        "dates.signature" in messages
    )
    assert (
        "date_effet: champ inconnu « date_effet » : la date d'effet s'écrit dans "
        "dates.effet" in messages
    )


def test_a_misspelt_field_does_not_hide_the_rules(tmp_path: Path) -> None:
    # One typo (« tarifcation: » for « tarification: ») showed alone; the wrong SIREN key and
    # the unknown financeur appeared only at the next run, once the typo was fixed.
    source = Path(__file__).parent / "fixtures" / "valid" / "ehpad-minimal" / "cpom.yaml"
    text = source.read_text(encoding="utf-8")
    for old, new in (
        ("    tarification: forfaits", "    tarifcation: forfaits"),
        ('siren: "433702156"', 'siren: "433702157"'),
        ("    financeur: ars", "    financeur: cd30"),
    ):
        assert old in text, old
        text = text.replace(old, new, 1)
    (tmp_path / "cpom.yaml").write_text(text, encoding="utf-8")
    report = validate_paths([tmp_path])
    shown = {p.field: p.message for p in report.problems}
    assert shown["etablissements.340005131.tarifcation"] == (
        "champ inconnu « tarifcation » : vouliez-vous dire « tarification » ?"
    )
    assert shown["gestionnaire.siren"].startswith("clé de contrôle du SIREN invalide")
    assert shown["objectifs.O1.financeur"].startswith("« cd30 » n'est pas une autorité")
    fields = list(shown)
    assert any(f.endswith(".financeur") for f in fields)
    assert report.failed()
    folder = check_folder(tmp_path)
    assert folder.contract.model is None  # still refused: nothing is built from it
