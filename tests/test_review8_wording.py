"""What the examples' documents say, read as their users read them (review of session 8): the
text composed for both formats (PDF and DOCX are drawn from the same blocks)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from cpomdocs import fmt
from cpomdocs.build.catalog import contract_input, planned_documents
from cpomdocs.documents.redline import accept_all

CONTRACTS = Path(__file__).resolve().parents[1] / "contracts"
ASBA = "asba-beaujolais-2024"
CEDRES = "ehpad-les-cedres-2025"
CHRS = "chrs-estuaire-2026"
MID_TERM = "comptes-rendus/2026-10-08-point-a-mi-parcours"


@cache
def text(folder: str, name: str) -> str:
    """The text of one document of an example, as composed for rendering."""
    planned = {
        p.name: p for p in planned_documents(contract_input(CONTRACTS / folder, None, None, "t"))
    }
    return accept_all(planned[name].compose().blocks).replace("\u202f", " ").replace("\xa0", " ")


def test_the_overall_rate_is_a_rate_of_indicators_not_of_objectives() -> None:
    # 53 % of the indicators reach their target, while only 2 of 8 objectives are « atteint »:
    # « taux d'atteinte global des objectifs : 53 % » told the ARS something false
    report = text(ASBA, MID_TERM)
    assert "Taux d'atteinte global des objectifs" not in report
    assert (
        "Taux d'atteinte global des indicateurs pour l'exercice 2025 : 53 % (9 indicateurs sur "
        "17 évalués atteignent leur cible ; 1 non évalué)." in report
    )
    assert "0 abandonné" not in report
    assert "Taux d'atteinte des indicateurs par axe\nAxe\tÉvalués\tAtteints" in report


def test_the_mid_term_decision_counts_what_the_table_counts() -> None:
    report = text(ASBA, MID_TERM)
    assert "Ensemble du contrat\t17\t9\t5\t3\t53 %" in report
    assert "9 indicateurs sur 18 atteignent leur cible 2025, 5 l'approchent et 3 la manquent" in (
        " ".join(report.split())
    )


def test_an_action_done_with_the_signed_avenant_is_no_longer_open_in_2028() -> None:
    # R1 « Rédiger le projet d'avenant n° 1 » stayed « en cours » after the avenant was signed
    preparation = text(ASBA, "preparation-dialogue-2028-06-15")
    assert "R1 – Rédiger le projet d'avenant n° 1" not in preparation
    assert "R7 – Relancer la validation de la coupe PATHOS" in preparation


def test_the_agenda_items_all_begin_with_a_capital() -> None:
    report = text(ASBA, MID_TERM)
    assert "\nBilan d'étape des objectifs du contrat à mi-parcours" in report
    assert "\nbilan d'étape" not in report


def test_the_preparatory_file_asks_for_the_documents_the_contract_asks_for() -> None:
    preparation = text(CEDRES, "preparation-dialogue-2027-10-15")
    contract = text(CEDRES, "contrat")
    wanted = "chaque année, le bilan de la réalisation des objectifs du contrat"
    assert wanted in contract
    assert wanted in preparation


def test_a_contract_of_one_ehpad_speaks_of_one_establishment_and_one_convention() -> None:
    contract = text(CEDRES, "contrat")
    assert "couvre un établissement du gestionnaire" in contract  # review17: by its kind
    assert "couvre 1 établissement" not in contract
    # article 8's title is singular; its body said « aux conventions … pour les établissements »
    assert (
        "se substitue, à compter de sa date d'effet, à la convention tripartite pluriannuelle "
        "conclue antérieurement pour l'EHPAD qu'il couvre, qui prend fin à cette date." in contract
    )


def test_the_annexes_of_one_ehpad_name_it_and_its_one_act() -> None:
    annexes = text(CEDRES, "annexes")
    assert "ESSMS concernés\tEHPAD Les Cèdres (34 000 513 1)" in annexes
    assert "tous les établissements et services du contrat" not in annexes
    assert "résulte de l'acte cité ci-dessus, qui est joint à la présente annexe." in annexes


@pytest.mark.parametrize(
    ("folder", "name", "row"),
    [
        (ASBA, "annexes", "n° 2009-0712 du 1er juillet 2009 ; autorisation renouvelée"),
        (ASBA, "avenant-01", "n° 2009-0712 du 1er juillet 2009 ; autorisation renouvelée"),
        (CHRS, "annexes", "n° 2010-DDCS-1187 du 20 décembre 2010 ; autorisation renouvelée"),
    ],
)
def test_a_renewal_agrees_with_the_authorisation_not_with_the_arrete(
    folder: str, name: str, row: str
) -> None:
    # « arrêté … du 1er juillet 2009, renouvelée le … »: the arrêté is masculine
    document = text(folder, name)
    assert row in document
    assert ", renouvelée le" not in document


def test_a_contract_with_one_authority_does_not_speak_of_several() -> None:
    contract = text(CHRS, "contrat")
    assert "Les financements alloués par l'autorité de tarification au titre" in contract
    assert "autorités de tarification" not in contract
    annexes = text(CHRS, "annexes")
    assert "fixés chaque année lors de la campagne budgétaire." in annexes
    assert "autorités de tarification" not in annexes
    # a title inside a sentence takes no capital
    assert "pour le préfet de la région Pays de la Loire : chef du service" in contract


@pytest.mark.parametrize(("folder", "name"), [(CEDRES, "contrat"), (ASBA, "avenant-01")])
def test_the_parties_heading_does_not_say_entre_twice(folder: str, name: str) -> None:
    # « Entre les soussignés » then « Entre, » repeated the first word of the model
    document = text(folder, name)
    assert "\nDésignation des parties\nEntre,\nD'une part," in document
    assert "Entre les soussignés" not in document


def test_the_dgc_is_paid_to_an_establishment_named_with_its_article() -> None:
    annexes = text("fondation-val-d-ouche-2027", "annexes")
    assert "La dotation globalisée commune est versée à l'IME Les Lavandières (FINESS" in annexes


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("IME Les Lavandières", "à l'IME Les Lavandières"),
        ("SESSAD Val d'Ouche", "au SESSAD Val d'Ouche"),
        ("MAS La Combe Fleurie", "à la MAS La Combe Fleurie"),
        ("Le Clos des Saules", "au Clos des Saules"),
        ("Les Tilleuls", "aux Tilleuls"),
    ],
)
def test_to_puts_a_before_a_name_with_its_article(name: str, expected: str) -> None:
    assert fmt.to(name) == expected


@pytest.mark.parametrize("name", ["annexes", "avenant-01"])
def test_the_subsidised_activities_are_a_table_not_a_line_of_pipes(name: str) -> None:
    # the template's rows ended with « {% endfor %} »: trim_blocks ate each line's end
    document = text(CHRS, name)
    # review17: a Total column; the programme shared by both said above the table
    assert "Activité\tFinanceur\t2026\t2027\t2028\t2029\t2030\tTotal\n" in document
    assert "Accueil de jour La Passerelle (veille sociale)\tPréfet de la région" in document
    assert "|:--" not in document


def test_no_example_document_prints_raw_markdown() -> None:
    # a table the Markdown parser did not recognise shows its pipes and dashes as text
    raw = []
    for folder in sorted(p.name for p in CONTRACTS.iterdir() if p.is_dir()):
        for planned in planned_documents(contract_input(CONTRACTS / folder, None, None, "t")):
            body = accept_all(planned.compose().blocks)
            raw += [f"{folder}/{planned.name}" for mark in ("|:--", "--:|", "| |") if mark in body]
    assert raw == []
