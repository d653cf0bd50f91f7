"""An avenant in the wording of French legal drafting: one test per légistique form, and the
golden text of the example avenant (`make golden` regenerates it on purpose)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from cpomdocs import fmt
from cpomdocs.data.model_acts import Avenant
from cpomdocs.data.validate import check_folder
from cpomdocs.documents.avenant import compose_avenant
from cpomdocs.documents.redline import accept_all

EXAMPLE = Path(__file__).resolve().parent.parent / "contracts" / "asba-beaujolais-2024"
GOLDEN = Path(__file__).parent / "golden" / "asba-beaujolais-2024-avenant-01.txt"
CREATED = "2026-11-23T00:00:00Z"
NEW_OBJECTIVE = {
    "titre": "Prévenir les ruptures de parcours à la sortie de l'accueil de jour",
    "axe": "Parcours",
    "constat": "Un tiers des personnes quittant l'accueil de jour entrent en EHPAD en urgence.",
    "actions": {
        "A9.1": {
            "libelle": "Entretien d'orientation avant chaque sortie",
            "pilote": "cadre de santé",
            "echeance": "2026-12-31",
        }
    },
    "indicateurs": {
        "SORT": {
            "libelle": "Part des sorties préparées",
            "methode_calcul": "sorties préparées × 100 / sorties",
            "source": "dossier de l'usager",
            "unite": "%",
            "sens": "hausse",
            "reference": {"valeur": 40, "annee": 2024},
            "cibles": {"2026": 60, "2027": 75, "2028": 90},
        }
    },
    "echeance": "2028-12-31",
    "financeur": "ars",
}


@pytest.fixture(scope="module")
def example() -> tuple[dict[str, Any], list[Avenant]]:
    checked = check_folder(EXAMPLE)
    assert checked.all_problems == []
    return checked.contract.document.data, [c.model for c in checked.avenants]


def avenant_text(example: tuple[dict[str, Any], list[Avenant]], changes: dict[str, Any]) -> str:
    """The text of an avenant n° 2 making `changes`, on one line, no-break spaces as spaces."""
    data, avenants = example
    second = Avenant.model_validate(
        {
            "numero": 2,
            "objet": "essai",
            "statut": "projet",
            "dates": {"effet": "2027-01-01"},
            "motifs": "Essai.",
            "modifications": changes,
        }
    )
    document = compose_avenant(data, [*avenants, second], 2, contract_id="x", created=CREATED)
    text = accept_all(document.blocks)
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def test_a_target_is_replaced(example) -> None:
    text = avenant_text(
        example, {"objectifs": {"O1": {"indicateurs": {"TO-HP": {"cibles": {"2027": 98}}}}}}
    )
    assert (
        "Au tableau des cibles de l'indicateur TO-HP de l'objectif O1, la cible pour 2027 : "
        "« 97,5 % » est remplacée par « 98 % »." in text
    )


def test_an_objective_is_inserted_with_its_whole_text(example) -> None:
    text = avenant_text(example, {"objectifs": {"O9": NEW_OBJECTIVE}})
    assert "Après l'objectif O8, il est inséré un objectif O9 ainsi rédigé :" in text
    for expected in (
        "Objectif O9 – Prévenir les ruptures de parcours à la sortie de l'accueil de jour",
        "Axe : Parcours.",
        "Un tiers des personnes quittant l'accueil de jour entrent en EHPAD en urgence.",
        "Action A9.1 – Entretien d'orientation avant chaque sortie ; pilote : cadre de santé ; "
        "échéance : 31 décembre 2026.",
        "Indicateur SORT – Part des sorties préparées",
        "Méthode de calcul : sorties préparées × 100 / sorties.",
        "Valeur de référence : 40 % (2024). Cibles annuelles : 2026 : 60 % ; 2027 : 75 % ; "
        "2028 : 90 %.",
        "Échéance de l'objectif : 31 décembre 2028. Financeur : ARS.",
    ):
        assert expected in text, expected
    assert "ajout" not in text


def test_an_objective_is_deleted(example) -> None:
    text = avenant_text(example, {"objectifs": {"O8": None}})
    assert "L'article 3 « Objectifs stratégiques" in text
    assert "est ainsi modifié : L'objectif O8 est supprimé." in text


def test_an_establishment_leaves_the_perimeter(example) -> None:
    text = avenant_text(
        example,
        {"etablissements": {"690794540": None}, "financement": {"lignes": {"690794540": None}}},
    )
    assert (
        "L'établissement Accueil de jour La Parenthèse (FINESS 69 079 454 0) est retiré du "
        "périmètre du contrat." in text
    )
    # the amounts of its financing: one item each, under one heading, with the right article
    assert "Au tableau du financement de l'Accueil de jour La Parenthèse : a) le montant" in text
    assert "est supprimé" in text


def test_a_date_is_changed(example) -> None:
    text = avenant_text(example, {"dates": {"fin": "2029-12-31"}})
    assert "La date de fin : « 31 décembre 2028 » est remplacée par « 31 décembre 2029 »." in text


def test_a_changed_amount_is_one_item_and_its_totals_one_sentence(example) -> None:
    data, _ = example
    line = data["financement"]["lignes"]["690794326"]["ars"]["forfait_global_soins"]
    old = line["2027"]
    line = {"ars": {"forfait_global_soins": {"2027": old + 10000}}}
    text = avenant_text(example, {"financement": {"lignes": {"690794326": line}}})
    shown = " ".join(
        fmt.amount(old, cents=False).replace("\u202f", " ").replace("\xa0", " ").split()
    )
    assert text.count(f"« {shown} »") == 1
    articles = text[: text.index("Autres stipulations")]  # the replaced annex follows
    assert "Total ARS" not in articles and "total" not in articles.lower()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("SESSAD Val d'Ouche", "du SESSAD Val d'Ouche"),
        ("EHPAD Les Vignes", "de l'EHPAD Les Vignes"),
        ("MAS Les Cerisiers", "de la MAS Les Cerisiers"),
        ("Foyer de vie Le Chêne", "du Foyer de vie Le Chêne"),
        ("Les Tilleuls", "des Tilleuls"),
        ("La Parenthèse", "de la Parenthèse"),
    ],
)
def test_grammar_follows_the_category(name: str, expected: str) -> None:
    assert fmt.of(name) == expected


def test_golden_avenant_text(example) -> None:
    data, avenants = example
    document = compose_avenant(data, avenants, 1, contract_id=EXAMPLE.name, created=CREATED)
    text = accept_all(document.blocks)
    if os.environ.get("CPOMDOCS_REGEN_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8"), "make golden régénère ce fichier"


def test_a_capacity_change_warns_about_stale_prose_and_authorisation(tmp_path: Path) -> None:
    folder = tmp_path / "asba"
    shutil.copytree(EXAMPLE, folder)
    path = folder / "avenants" / "02-pasa.yaml"
    path.write_text(
        "numero: 2\nobjet: extension du PASA\nstatut: projet\ndates: {effet: 2027-01-01}\n"
        "motifs: Extension.\nmodifications:\n  etablissements:\n    '690794219':\n"
        "      capacites:\n        pasa: {autorisees: 16, installees: 16}\n",
        encoding="utf-8",
    )
    messages = [f"{p.line}: {p.message}" for p in check_folder(folder).all_problems]
    assert sorted(messages) == [
        "9: l'avenant change les capacités de l'EHPAD Les Vignes sans nouvelle autorisation : "
        "indiquez l'arrêté qui les autorise (autorisation.date, autorisation.reference), cité "
        "dans les visas de l'avenant",
        "9: le texte « activites » de l'EHPAD Les Vignes mentionne encore « 14 places » alors "
        "que l'avenant change cette capacité : modifiez aussi ce texte dans l'avenant",
    ]
