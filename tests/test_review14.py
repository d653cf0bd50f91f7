"""What the juriste of session 12 found: the general mentions an avenant changed marked in the
consolidated contract, sentences not cut after « M. » or « art. », and the words of the examples
(the CHRS exit indicators in number, the axes quoted, one « autres stipulations »)."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from lxml import etree
from pdftext import page_texts
from pypdf import PdfReader

from cpomdocs.build.schedule import BuildReport
from cpomdocs.data.consolidate import consolidate
from cpomdocs.data.load import load_document
from cpomdocs.data.model_acts import Avenant
from cpomdocs.data.validate import check_file
from cpomdocs.documents.avenant import compose_consolidated
from cpomdocs.documents.blocks import Paragraph, Run
from cpomdocs.documents.redline import accept_all, redline_runs, reject_all
from cpomdocs.render.docx import render_docx
from cpomdocs.render.pdf import render_pdf
from cpomdocs.versions.sentences import split_sentences

EXAMPLES = Path(__file__).parents[1] / "contracts"
ASBA = EXAMPLES / "asba-beaujolais-2024"
CREATED = "2026-12-03T00:00:00Z"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _flat(text: str) -> str:
    """Text read back from a PDF or a DOCX, spaces and apostrophes as typed in the YAML."""
    text = re.sub("\u2010\\s*\n", "", text)  # a word WeasyPrint hyphenated at a line's end
    text = text.replace("’", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text)


def _pdf_text(pdf: Path | bytes) -> str:
    return _flat(" ".join(page_texts(pdf)))


def _docx_paragraphs(docx: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    return [_flat("".join(t.text or "" for t in p.iter(f"{W}t"))) for p in body.iter(f"{W}p")]


# --- sentences: abbreviations are not ends --------------------------------------------------


def test_sentences_are_not_cut_after_titles_article_references_or_a_lowercase_etc() -> None:
    text = (
        "Le contrat est signé par M. Dupont, directeur. Vu les art. L. 313-11 et s. du code. "
        "Les documents (EPRD, ERRD, etc.) sont transmis. Voir le n° 3. Cf. annexe 5. "
        "Les places, etc. Les autres ! Fin ? Oui."
    )
    assert split_sentences(text) == [
        "Le contrat est signé par M. Dupont, directeur.",
        "Vu les art. L. 313-11 et s. du code.",
        "Les documents (EPRD, ERRD, etc.) sont transmis.",
        "Voir le n° 3.",
        "Cf. annexe 5.",
        "Les places, etc.",
        "Les autres !",
        "Fin ?",
        "Oui.",
    ]


def test_a_sentence_with_a_title_changed_in_three_places_is_replaced_whole() -> None:
    # cut after « M. », each half had fewer than three changes and was diffed word by word
    old = [Run("Le directeur signe pour M. Dupont à Lyon. Suite.")]
    new = [Run("La directrice signe pour M. Martin à Nantes. Suite.")]
    runs = redline_runs(old, new)
    assert [(r.change, r.text.strip()) for r in runs if r.change] == [
        ("del", "Le directeur signe pour M. Dupont à Lyon."),
        ("ins", "La directrice signe pour M. Martin à Nantes."),
    ]
    paragraph = [Paragraph(runs)]
    assert accept_all(paragraph) == new[0].text and reject_all(paragraph) == old[0].text


# --- the consolidated contract marks the general mentions ------------------------------------


@pytest.fixture(scope="module")
def new_reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """asba copied into a tmp folder with a signed avenant n° 2 that changes the contract's
    reference, and nothing else."""
    folder = tmp_path_factory.mktemp("review14") / ASBA.name
    shutil.copytree(ASBA, folder, ignore=shutil.ignore_patterns("comptes-rendus"))
    avenant = {
        "numero": 2,
        "objet": "nouvelle référence du contrat",
        "statut": "signé",
        "dates": {"signature": "2026-06-15", "effet": "2026-07-01"},
        "signature": {"lieu": "Lyon"},
        "motifs": "L'ARS a renuméroté les contrats de la région.",
        "modifications": {"reference": "CPOM-ARS-ARA-69-2024-012-B"},
    }
    text = yaml.safe_dump(avenant, allow_unicode=True, sort_keys=False)
    (folder / "avenants" / "02-reference.yaml").write_text(text, encoding="utf-8")
    return folder


def test_the_consolidated_contract_marks_the_general_mentions_on_its_cover(
    new_reference: Path,
) -> None:
    folder = new_reference
    files = sorted((folder / "avenants").glob("*.yaml"))
    avenants = [Avenant.model_validate(load_document(p).data) for p in files]
    state = consolidate(load_document(folder / "cpom.yaml").data, avenants)
    document = compose_consolidated(state, contract_id=folder.name, created=CREATED)
    note = (
        "Mentions générales modifiées par l'avenant n° 2 du 15 juin 2026 "
        "(effet au 1er juillet 2026)"
    )
    pdf = render_pdf(document)
    first_page = _flat(PdfReader(io.BytesIO(pdf)).pages[0].extract_text() or "")
    assert "Référence : CPOM-ARS-ARA-69-2024-012-B" in first_page
    assert note in first_page
    assert _pdf_text(pdf).count("Mentions générales modifiées") == 1
    # in the DOCX too, on the cover's last lines (before the table of contents and the parties)
    paragraphs = _docx_paragraphs(render_docx(document))
    cover = next(i for i, p in enumerate(paragraphs) if p.startswith("Référence : "))
    assert paragraphs[cover].endswith(note)
    assert cover < paragraphs.index("Désignation des parties")


# --- the words of the examples -----------------------------------------------------------------

CHRS = EXAMPLES / "chrs-estuaire-2026"


@pytest.fixture(scope="module")
def chrs_texts(built_examples: tuple[Path, BuildReport]) -> dict[str, str]:
    """The texts of the CHRS contract and annexes, as built."""
    built = built_examples[0] / CHRS.name
    return {name: _pdf_text(built / f"{name}.pdf") for name in ("contrat", "annexes")}


def test_the_chrs_exit_indicators_are_given_in_number_and_in_rate(chrs_texts) -> None:
    annexes = chrs_texts["annexes"]
    for expected in (
        "SORTIE-LO – Taux de sortie vers un logement ordinaire, social ou privé",
        "SORTIE-LO-NB – Nombre de ménages sortis vers un logement ordinaire, social ou privé "
        "(hors ménages à droits incomplets) : de 43 en 2024 à 54 en 2030",
        "SORTIE-LA – Taux de sortie vers un logement adapté",
        "SORTIE-LA-NB – Nombre de ménages sortis vers un logement adapté (hors ménages à droits "
        "incomplets) : de 19 en 2024 à 22 en 2030",
    ):
        assert expected in annexes


def test_a_chrs_contract_without_the_number_of_households_leaving_is_warned(
    tmp_path: Path,
) -> None:
    data = yaml.safe_load((CHRS / "cpom.yaml").read_text("utf-8"))
    data.pop("empreinte")
    data["statut"] = "projet"
    del data["objectifs"]["O1"]["indicateurs"]["SORTIE-LA-NB"]
    path = tmp_path / "cpom.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    warnings = [f"{p.field}: {p.message}" for p in check_file(path).problems]
    assert warnings == [
        "objectifs: requis par le modèle (L.313-11-2 ; arrêté du 25 octobre 2019) : les quatre "
        "indicateurs obligatoires ; à renseigner : indicateur "
        "SORTIE-LA-NB : nombre de ménages sortis vers un logement adapté (hors ménages à droits "
        "incomplets)"
    ]


def test_article_3_quotes_each_axis_instead_of_a_capital_after_a_colon(chrs_texts) -> None:
    contract = chrs_texts["contrat"]
    assert (
        "Objectif 1 – Favoriser l'accès rapide des ménages accueillis au logement ordinaire ou "
        "adapté (axe « Favoriser l'accès rapide à un logement ordinaire ou adapté » ; "
        "échéance : 31 décembre 2030)"
    ) in contract
    assert "(axe : " not in contract


def test_the_chrs_forecast_depends_on_the_campaign_not_on_rates_set_by_the_prefect(
    chrs_texts,
) -> None:
    assert (
        "Les montants des années 2027 et suivantes sont indiqués à titre prévisionnel, sous "
        "réserve des dotations régionales limitatives et des taux d'évolution fixés chaque année "
        "lors de la campagne budgétaire ; ils sont arrêtés chaque année par la décision de "
        "tarification de l'autorité compétente."
    ) in chrs_texts["contrat"]
    assert "fixés chaque année par l'autorité de tarification" not in chrs_texts["annexes"]


def test_the_asba_avenant_says_once_that_the_other_stipulations_are_unchanged(
    built_examples: tuple[Path, BuildReport],
) -> None:
    text = _pdf_text(built_examples[0] / ASBA.name / "avenant-01.pdf")
    assert text.count("Les autres stipulations du contrat demeurent inchangées.") == 1
    assert "Article 8 – Autres stipulations Les autres stipulations du contrat" in text
