"""An avenant in the wording of French legal drafting: one test per légistique form, and the
golden text of the example avenant (`make golden` regenerates it on purpose)."""

from __future__ import annotations

import copy
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from cpomdocs import fmt
from cpomdocs.data.consolidate import apply_avenants
from cpomdocs.data.model import Contract
from cpomdocs.data.model_acts import Avenant
from cpomdocs.data.validate import check_folder
from cpomdocs.documents import compose
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


def avenant_text(
    example: tuple[dict[str, Any], list[Avenant]],
    changes: dict[str, Any],
    templates: Path | None = None,
) -> str:
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
    document = compose_avenant(
        data, [*avenants, second], 2, contract_id="x", created=CREATED, templates=templates
    )
    text = accept_all(document.blocks)
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def articles(text: str) -> str:
    """The avenant's own articles: from « Il a été convenu » to its signatures."""
    return text[text.index("Il a été convenu") : text.index("Fait à")]


def test_a_target_is_told_by_the_annex_that_prints_it(example) -> None:
    text = avenant_text(
        example, {"objectifs": {"O1": {"indicateurs": {"TO-HP": {"cibles": {"2027": 98}}}}}}
    )
    told = articles(text)
    # article 3 lists the objectives only: the yearly targets are annex 4's table
    assert "Modification de l'article 3" not in told
    assert (
        "L'annexe 4 « Tableau des indicateurs et de leurs cibles annuelles » est remplacée" in told
    )
    assert "TO-HP 95,8 % (2022) 96,5 % 97 % 95,5 % 98 % 97,5 %" in text  # the replaced annex


def test_an_objective_is_inserted_in_article_3_and_whole_in_annex_3(example) -> None:
    text = avenant_text(example, {"objectifs": {"O9": NEW_OBJECTIVE}})
    told = articles(text)
    assert (
        "1° Au premier alinéa, les mots : « huit objectifs » sont remplacés par les mots : "
        "« neuf objectifs » ;" in told
    )
    assert (
        "2° Après l'alinéa relatif à l'objectif 8, il est inséré un alinéa ainsi rédigé : "
        "« Objectif 9 – Prévenir les ruptures de parcours à la sortie de l'accueil de jour "
        "(axe « Parcours » ; échéance : 31 décembre 2028) »" in told
    )
    assert "L'annexe 3 « Fiches objectifs et fiches actions » est remplacée" in told
    for expected in (
        "Objectif 9 – Prévenir les ruptures de parcours à la sortie de l'accueil de jour",
        "Un tiers des personnes quittant l'accueil de jour entrent en EHPAD en urgence.",
        "Entretien d'orientation avant chaque sortie",
        "Part des sorties préparées",
    ):
        assert expected in text, expected
    assert "ajout" not in text


def test_an_objective_is_deleted(example) -> None:
    text = avenant_text(example, {"objectifs": {"O8": None}})
    assert "L'article 3 « Objectifs stratégiques" in text
    assert "2° L'alinéa relatif à l'objectif 8 est supprimé." in text


def test_an_establishment_leaves_the_perimeter(example) -> None:
    text = avenant_text(
        example,
        {"etablissements": {"690794326": None}, "financement": {"lignes": {"690794326": None}}},
    )
    told = articles(text)
    for expected in (
        "1° Dans la partie « Présentation du gestionnaire », les mots : « quatre établissements "
        "et services » sont remplacés par les mots : « trois établissements et services » ;",
        "2° Au tableau du périmètre du contrat, la ligne relative à l'EHPAD Le Clos des Saules "
        "est supprimée ;",
        "3° L'alinéa présentant l'EHPAD Le Clos des Saules et les deux alinéas qui le suivent "
        "sont supprimés.",
        # every table of article 4 that prints it, each named
        "1° Au tableau « Activité et capacités », les lignes relatives à l'EHPAD Le Clos des "
        "Saules sont supprimées ;",
        "2° Au premier tableau de la partie « Dépendance et besoins en soins des résidents », la "
        "ligne relative à l'EHPAD Le Clos des Saules est supprimée ;",
        "3° Au deuxième tableau de la partie « Dépendance et besoins en soins des résidents », la "
        "ligne relative à l'EHPAD Le Clos des Saules est supprimée ;",
        "a) le tableau est remplacé par le tableau suivant :",
        "« Pour l'année 2024, ces financements s'élèvent à 2 816 400 € (deux millions huit cent "
        "seize mille quatre cents euros). »",
    ):
        assert expected in told, expected
    assert "Aux tableaux de l'article" not in told


def added_essms(data: dict[str, Any]) -> dict[str, Any]:
    """An avenant adding an EHPAD like Le Clos des Saules, named « EHPAD Les Coteaux »."""
    essms = copy.deepcopy(data["etablissements"]["690794326"])
    essms.update(nom="EHPAD Les Coteaux", siret="78430917100063")
    essms["ehpad"]["tarif_hebergement"] = 71.3
    lines = copy.deepcopy(data["financement"]["lignes"]["690794326"])
    return {"etablissements": {"690794557": essms}, "financement": {"lignes": {"690794557": lines}}}


def test_an_establishment_enters_every_table_and_article_1(example) -> None:
    text = avenant_text(example, added_essms(example[0]))
    told = articles(text)
    for expected in (
        "2° Au tableau du périmètre du contrat, après la ligne relative à l'Accueil de jour La "
        "Parenthèse, il est inséré une ligne ainsi rédigée : FINESS ET Établissement ou service "
        "Catégorie Commune Places autorisées 69 079 455 7 EHPAD Les Coteaux 500 – EHPAD "
        "Belleville-en-Beaujolais 64",
        "3° Après les alinéas relatifs à l'Accueil de jour La Parenthèse, il est inséré trois "
        "alinéas ainsi rédigés : « L’EHPAD Les Coteaux (FINESS ET 69 079 455 7) est autorisé par "
        "arrêté conjoint ARS/Département n° 2016-5875 du 3 janvier 2017.",
        "« Projets de restructuration. Rénovation énergétique du bâtiment de 1979",
        "1° Au tableau « Activité et capacités », après la ligne relative à l'Accueil de jour La "
        "Parenthèse, il est inséré deux lignes ainsi rédigées : Établissement ou service Mode "
        "d'accueil Places autorisées Places installées EHPAD Les Coteaux Hébergement permanent "
        "60 60 EHPAD Les Coteaux Hébergement temporaire 4 4",
        "2° Au premier tableau de la partie « Dépendance et besoins en soins des résidents », "
        "après la ligne relative à l'EHPAD Le Clos des Saules, il est inséré une ligne ainsi "
        "rédigée : EHPAD GMP validé PMP validé Réévaluation EHPAD Les Coteaux 696 (validé le "
        "15 novembre 2022 par le médecin du Département du Rhône)",
        "3° Au deuxième tableau de la partie « Dépendance et besoins en soins des résidents », "
        "après la ligne relative à l'EHPAD Le Clos des Saules, il est inséré une ligne ainsi "
        "rédigée : EHPAD Valeur du point GIR départemental Option tarifaire Tarif journalier "
        "hébergement EHPAD Les Coteaux 7,48 € tarif partiel, sans pharmacie à usage intérieur "
        "71,30 €",
    ):
        assert expected in told, expected


@pytest.fixture
def trame(tmp_path: Path) -> Path:
    """An ARS's own trame in templates/: the alinéa presenting an ESSMS worded otherwise."""
    default = Path(compose.__file__).parent.parent / "templates" / "contrat.md.j2"
    text = default.read_text(encoding="utf-8")
    for old, new in (
        ('est autorisé{{ "e" if essms_feminine(e.nom) else "" }} par', "relève de l'autorisation"),
        ("Mode de tarification :", "Tarification :"),
    ):
        assert old in text, old
        text = text.replace(old, new)
    (tmp_path / "contrat.md.j2").write_text(text, encoding="utf-8")
    return tmp_path


def test_an_inserted_alinea_is_the_trame_s_own(example, trame: Path) -> None:
    told = articles(avenant_text(example, added_essms(example[0]), trame))
    assert (
        "« L’EHPAD Les Coteaux (FINESS ET 69 079 455 7) relève de l'autorisation arrêté conjoint "
        "ARS/Département n° 2016-5875 du 3 janvier 2017." in told
    )
    assert "Tarification : forfaits soins et dépendance (tarif partiel" in told
    assert "est autorisé par" not in told and "Mode de tarification" not in told


def test_words_the_trame_does_not_print_are_not_quoted(example, trame: Path) -> None:
    changes = {"etablissements": {"690794219": {"tarification": "dotation globale"}}}
    told = articles(avenant_text(example, changes, trame))
    assert "Mode de tarification" not in told  # the default template's words, not the trame's
    assert (
        "L'alinéa présentant l'EHPAD Les Vignes est remplacé par l'alinéa suivant : « L’EHPAD Les "
        "Vignes (FINESS ET 69 079 421 9) relève de l'autorisation arrêté conjoint" in told
    )
    assert "Tarification : dotation globale (tarif global" in told
    default = articles(avenant_text(example, changes))  # the default template: words replaced
    assert (
        "À l'alinéa présentant l'EHPAD Les Vignes, les mots : « Mode de tarification : forfaits "
        "soins et dépendance (tarif global, sans pharmacie à usage intérieur) » sont remplacés "
        "par les mots : « Mode de tarification : dotation globale (tarif global" in default
    )


REPLACED = re.compile(
    r"(?:les mots|la date|le nombre(?: de places \w+)?|le montant) : « ([^«»]+?) » (?:est|sont) "
    r"remplacée?s? par"
)


@pytest.mark.parametrize(
    "changes",
    [
        {"etablissements": {"690794540": None}},  # « quatre établissements et services »
        {"objectifs": {"O8": None}},  # « huit objectifs »
        {"dates": {"fin": "2028-06-30"}, "duree_mois": 54},  # dates, « 60 mois », notice date
        {"etablissements": {"690794219": {"tarification": "dotation globale"}}},
        {"etablissements": {"690794219": {"autorisation": {"echeance": "2033-01-02"}}}},
        {"etablissements": {"690794219": {"capacites": {"pasa": {"autorisees": 16}}}}},
    ],
    ids=["count", "objectives", "duration", "tariff", "authorisation", "capacity"],
)
def test_the_words_an_avenant_replaces_are_the_contract_s(example, changes) -> None:
    """Each « les mots : « a » sont remplacés » quotes words that the contract, as its template
    composes it, prints: a sentence of wording.py that left the template fails here."""
    data, avenants = example
    contract = Contract.model_validate(apply_avenants(data, [a.modifications for a in avenants]))
    document = compose.compose_contract(contract, contract_id="x", created=CREATED)
    printed = " ".join(accept_all(document.blocks).replace("\xa0", " ").split())
    told = articles(avenant_text(example, changes))
    quoted = REPLACED.findall(told)
    assert quoted
    assert [words for words in quoted if words not in printed] == []


def test_a_row_of_article_4_changed_is_replaced_whole(example) -> None:
    changes = {"etablissements": {"690794326": {"ehpad": {"gmp": {"valeur": 710}}}}}
    told = articles(avenant_text(example, changes))
    assert (
        "Au premier tableau de la partie « Dépendance et besoins en soins des résidents », la "
        "ligne relative à l'EHPAD Le Clos des Saules est remplacée par la ligne suivante : EHPAD "
        "GMP validé PMP validé Réévaluation EHPAD Le Clos des Saules 710 (validé le 15 novembre "
        "2022" in told
    )
    assert "deuxième tableau" not in told  # its other table did not change


def test_a_date_is_changed(example) -> None:
    text = avenant_text(example, {"dates": {"fin": "2029-12-31"}})
    assert (
        "L'article 9 « La date d'entrée en vigueur du CPOM et la durée du CPOM » est ainsi "
        "modifié : 1° Au premier alinéa, la date : « 31 décembre 2028 » est remplacée par la "
        "date : « 31 décembre 2029 » ; 2° Au deuxième alinéa, la date : « 30 juin 2028 » est "
        "remplacée par la date : « 30 juin 2029 »." in text
    )


def test_a_changed_amount_replaces_the_table_of_article_4_and_annex_5(example) -> None:
    data, _ = example
    line = data["financement"]["lignes"]["690794326"]["ars"]["forfait_global_soins"]
    old = line["2027"]
    line = {"ars": {"forfait_global_soins": {"2027": old + 10000}}}
    text = avenant_text(example, {"financement": {"lignes": {"690794326": line}}})
    told = articles(text)
    assert (
        "Dans la partie « Financement » : a) le tableau est remplacé par le tableau suivant :"
        in told
    )
    assert (
        "b) à la deuxième phrase de l'alinéa qui suit ce tableau, le montant : « 21 016 700 € » "
        "est remplacé par le montant : « 21 026 700 € »." in told
    )
    assert "ARS Auvergne-Rhône-Alpes 3 145 200 € 3 174 700 € 3 352 100 € 3 392 100 €" in told
    assert "L'annexe 5 « Annexe financière » est remplacée" in told
    shown = " ".join(fmt.amount(old + 10000, cents=False).replace("\u202f", " ").split())
    assert shown not in told and shown in text  # the line itself: annex 5


EXTENSION = {
    "acte": "arrêté conjoint ARS/Département n° 2025-4127",
    "date": "2025-09-16",
    "objet": "extension de 10 places d'hébergement permanent",
}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"etablissements": {"690794219": {"capacites": {"pasa": {"autorisees": 16}}}}},
            "L'article 4 « Moyens dédiés à la réalisation du contrat » est ainsi modifié : Au "
            "tableau « Activité et capacités », à la ligne relative au PASA de l'EHPAD Les "
            "Vignes, le nombre de places autorisées : « 14 » est remplacé par le nombre : « 16 ».",
        ),
        (
            {"etablissements": {"690794219": {"autorisation": {"modifications": [EXTENSION]}}}},
            "À l'alinéa présentant l'EHPAD Les Vignes, les mots : « arrêté conjoint "
            "ARS/Département n° 2016-5874 du 3 janvier 2017, modifié par l'arrêté conjoint "
            "ARS/Département n° 2025-4127 du 15 septembre 2025 (extension de 10 places "
            "d'hébergement permanent) » sont remplacés par les mots : « arrêté conjoint "
            "ARS/Département n° 2016-5874 du 3 janvier 2017, modifié par l'arrêté conjoint "
            "ARS/Département n° 2025-4127 du 16 septembre 2025 (extension de 10 places "
            "d'hébergement permanent) ».",
        ),
        (
            {"suivi": {"comite": {"ars": [{"qualite": "directeur de la délégation du Rhône"}]}}},
            "Dans la partie « La composition du comité de suivi », l'alinéa relatif à l'Agence "
            "régionale de santé Auvergne-Rhône-Alpes est remplacé par l'alinéa suivant : « pour "
            "l'Agence régionale de santé Auvergne-Rhône-Alpes : directeur de la délégation du "
            "Rhône »",
        ),
        (
            {
                "etablissements": {
                    "690794219": {
                        "capacites": {"accueil_de_jour": {"autorisees": 5, "installees": 5}}
                    }
                }
            },
            "Au tableau « Activité et capacités », après la ligne relative à l'hébergement "
            "temporaire de l'EHPAD Les Vignes, il est inséré une ligne ainsi rédigée : "
            "Établissement ou service Mode d'accueil Places autorisées Places installées EHPAD "
            "Les Vignes Accueil de jour 5 5",
        ),  # fmt: skip
        (
            {"etablissements": {"690794219": {"places_habilitees": 90}}},
            "Il a été convenu ce qui suit : Article 1er – Remplacement de l'annexe 1",
        ),
    ],
    ids=["capacity", "authorisation-date", "comite", "capacity-added", "places-habilitees"],
)
def test_each_kind_of_change_is_told_where_the_contract_prints_it(
    example, changes: dict[str, Any], expected: str
) -> None:
    text = avenant_text(example, changes)
    assert expected in text
    told = articles(text)
    for change_log in ("mention", "À la fiche", "le texte «", "cible pour"):
        assert change_log not in told, change_log


def test_every_visa_ends_with_a_semicolon(example) -> None:
    text = avenant_text(example, {"dates": {"fin": "2029-12-31"}})
    visas = text[text.index("Visas") : text.index("Exposé des motifs")]
    assert visas.count("Vu ") == visas.count(" ;") == 3  # code, contract, avenant 1
    assert "ayant pris effet le 1er janvier 2024 ;" in visas


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
        "indiquez l'arrêté qui les autorise (autorisation.modifications pour une extension : "
        "acte, date, objet), cité dans les visas de l'avenant",
        "9: le texte « activites » de l'EHPAD Les Vignes mentionne encore « 14 places » alors "
        "que l'avenant change cette capacité : modifiez aussi ce texte dans l'avenant",
    ]
