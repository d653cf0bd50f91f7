"""What the examples' documents say, read as their users read them (review of session 7)."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from cpomdocs.build.catalog import contract_input, planned_documents
from cpomdocs.cli.main import main
from cpomdocs.data.load import load_text
from cpomdocs.errors import InputError
from cpomdocs.render.docx import render_docx
from cpomdocs.render.pdf import render_pdf

CONTRACTS = Path(__file__).resolve().parents[1] / "contracts"


def plain(text: str) -> str:
    """One line, no-break spaces as spaces, ’ as ', words cut at line ends joined again."""
    text = text.replace("\u2010\n", "").replace("-\n", "-")
    text = text.replace("\u202f", " ").replace("\xa0", " ").replace("’", "'")
    return " ".join(text.split())


def built(folder: str, name: str) -> tuple[str, str]:
    """The text of the PDF and of the DOCX of one document of an example, rendered for real."""
    planned = {
        p.name: p for p in planned_documents(contract_input(CONTRACTS / folder, None, None, "t"))
    }
    document = planned[name].compose()
    pages = PdfReader(io.BytesIO(render_pdf(document))).pages
    pdf = plain(" ".join(page.extract_text() for page in pages))
    word = docx.Document(io.BytesIO(render_docx(document)))
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    return pdf, plain(" ".join([p.text for p in word.paragraphs] + cells))


@pytest.fixture(scope="module")
def fondation() -> tuple[str, str]:
    return built("fondation-val-d-ouche-2027", "contrat")


@pytest.fixture(scope="module")
def asba_avenant() -> tuple[str, str]:
    return built("asba-beaujolais-2024", "avenant-01")


@pytest.mark.parametrize(
    "sentence",
    [
        "L'IME Les Lavandières (FINESS ET 21 000 726 6) est autorisé par",
        "Le SESSAD Val d'Ouche (FINESS ET 21 000 737 3) est autorisé par",
        "La MAS La Combe Fleurie (FINESS ET 21 000 748 0) est autorisée par",
        "L'ESAT Les Ateliers de l'Ouche (FINESS ET 21 000 760 5) est autorisé par",
    ],
)
def test_an_establishment_sentence_has_its_article_and_agreement(
    fondation: tuple[str, str], sentence: str
) -> None:
    pdf, word = fondation
    assert sentence in pdf
    assert sentence in word


def test_two_members_of_one_party_are_not_read_as_three(fondation: tuple[str, str]) -> None:
    # « responsable …, délégation … » is one member: members are separated by « ; »
    expected = (
        "pour l'Agence régionale de santé Bourgogne-Franche-Comté : responsable du département "
        "handicap, délégation départementale de la Côte-d'Or ; chargé de mission allocation de "
        "ressources"
    )
    for text in fondation:
        assert expected in text


def test_the_investment_total_is_written_as_the_tables_write_it(
    fondation: tuple[str, str],
) -> None:
    for text in fondation:
        assert "Le plan d'investissement prévisionnel du contrat s'élève à 2 955 000 €." in text
        assert "2 955 000,00 €" not in text


def test_an_avenant_replaces_the_habilitation_annex_it_changes(
    asba_avenant: tuple[str, str],
) -> None:
    # the extension brings the EHPAD's places habilitées from 86 to 96: annex 8 says so too
    for text in asba_avenant:
        assert (
            "Article 6 – Remplacement de l'annexe 8 L'annexe 8 « Habilitation à l'aide sociale » "
            "est remplacée par l'annexe jointe au présent avenant."
        ) in text
        assert "Annexe 8 : Habilitation à l'aide sociale" in text
        attached = text[text.rindex("Annexe 8 – Habilitation à l'aide sociale") :]
        assert "96" in attached
        assert "Article 8 – Autres stipulations" in text


def test_an_avenant_changes_capacities_in_article_4s_table(asba_avenant: tuple[str, str]) -> None:
    # the capacity by mode is in article 4's table « Activité et capacités », not in article 1er
    expected = (
        "1° Au tableau « Activité et capacités », à la ligne relative à l'hébergement permanent "
        "de l'EHPAD Les Vignes, le nombre de places autorisées : « 80 » est remplacé par le "
        "nombre : « 90 » et le nombre de places installées : « 80 » est remplacé par le "
        "nombre : « 90 » ;"
    )
    for text in asba_avenant:
        assert expected in text
        article_1 = text[text.index("Article 1er – Modification") : text.index("Article 2 –")]
        assert "Activité et capacités" not in article_1


def test_an_unclosed_bracket_is_said_in_french() -> None:
    with pytest.raises(InputError) as caught:
        load_text("reference: [\n", Path("cpom.yaml"))
    assert [str(p) for p in caught.value.problems] == [
        "cpom.yaml:2:1: syntaxe YAML invalide : valeur attendue (crochet ou accolade non "
        "refermé, ou virgule en trop ?) (did not find expected node content)"
    ]


def test_diff_and_new_tell_their_own_exit_codes() -> None:
    runner = CliRunner()
    diff_help = runner.invoke(main, ["diff", "--help"]).output
    assert "0  comparaison faite, qu'il y ait des différences ou non" in diff_help
    assert "--strict" not in diff_help
    new_help = runner.invoke(main, ["new", "--help"]).output
    assert "0  projet écrit" in new_help
    assert "tout est valide" not in new_help
