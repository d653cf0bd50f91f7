"""What session 19's reader of the built examples fixed: review18's open legal questions (the
« évaluation de la qualité », the dotations « votées », an arrêté of 2010 dated 2011, mesures
nouvelles for one year only), then the CHRS annexe's heading and the diff's words. Each test
reads a real PDF (pdftotext) or DOCX (python-docx) of the examples' build (conftest.py: built
once), the diff command's output, or the validation of an edited copy."""

from __future__ import annotations

import functools
import io
import shutil
from pathlib import Path

from docx import Document as WordDocument
from example_texts import CONTRACTS, flat
from example_texts import built_pdf_text as _pdf

from cpomdocs.data.validate import check_folder
from cpomdocs.versions.diff import diff_contracts, word_diff
from cpomdocs.versions.sources import read_avenant
from cpomdocs.versions.text import render_markdown, render_text

ASBA = "asba-beaujolais-2024"
CEDRES = "ehpad-les-cedres-2025"
CHRS = "chrs-estuaire-2026"
FVO = "fondation-val-d-ouche-2027"


@functools.cache
def _docx(built: Path, name: str, document: str) -> str:
    """The paragraphs and table cells of a document's real DOCX, joined, on one line."""
    word = WordDocument(io.BytesIO((built / name / f"{document}.docx").read_bytes()))
    cells = [c.text for t in word.tables for r in t.rows for c in r.cells]
    return flat(" ".join([p.text for p in word.paragraphs] + cells))


def _both(built: Path, name: str, document: str) -> tuple[str, str]:
    return _pdf(built, name, document), _docx(built, name, document)


# --- 1. Review18's legal questions ------------------------------------------------------------


def test_an_evaluation_of_2023_is_an_evaluation_de_la_qualite(built: Path) -> None:
    """cedres, article 2 and annexe 2: « reconnu par l'évaluation externe de 2023 », « rapport
    d'évaluation externe de septembre 2023 ». Since the loi n° 2019-774 (CASF L.312-8) and the
    décret n° 2022-695, an evaluation transmitted from 2023 is an « évaluation de la qualité »
    (HAS référentiel), as the same contract's annexe 6 and documents already said."""
    for document in ("contrat", "annexes"):
        for text in _both(built, CEDRES, document):
            assert "évaluation externe" not in text
            assert "accompagnement reconnu par l’évaluation de la qualité de 2023" in text.replace(
                "'", "’"
            )
    for text in _both(built, CEDRES, "annexes"):
        assert "rapport d’évaluation de la qualité de septembre 2023 (référentiel HAS)" in (
            text.replace("'", "’")
        )


def test_the_old_term_for_a_recent_evaluation_is_a_warning(tmp_path: Path) -> None:
    """The same words in a copy of cedres (a sentence of its diagnostic, a planned evaluation):
    a warning each, at its line; the asba visa of older « rapports d'évaluation externe »
    (no year from 2023) and the four examples have none."""
    folder = tmp_path / CEDRES
    shutil.copytree(CONTRACTS / CEDRES, folder)
    cpom = folder / "cpom.yaml"
    text = cpom.read_text("utf-8")
    text = text.replace("l'évaluation de la qualité de 2023", "l'évaluation externe de 2023")
    text = text.replace(
        "{libelle: évaluation de la qualité (HAS),", "{libelle: évaluation externe,"
    )
    cpom.write_text(text, "utf-8")
    lines = text.splitlines()
    found = [p for p in check_folder(folder).all_problems if "« évaluation externe »" in p.message]
    assert [(p.line, p.field) for p in found] == [
        (next(i for i, x in enumerate(lines, 1) if "synthese: |" in x), "diagnostic.synthese"),
        (next(i for i, x in enumerate(lines, 1) if "libelle: évaluation externe" in x),
         "suivi.evaluations.1.libelle"),
    ]  # fmt: skip
    assert found[0].message == (
        "« évaluation externe » pour une évaluation de 2023 : depuis le 1er janvier 2023, les "
        "établissements et services font procéder à une « évaluation de la qualité » selon le "
        "référentiel de la Haute Autorité de santé (article L.312-8 du code de l'action sociale "
        "et des familles, loi n° 2019-774 du 24 juillet 2019 ; décret n° 2022-695 du 26 avril "
        "2022) ; écrivez « évaluation de la qualité » (« évaluation externe » ne désigne que les "
        "évaluations antérieures)"
    )
    assert "2028" in found[1].message and all(not p.is_error for p in found)
    for name in (ASBA, CEDRES, CHRS, FVO):
        assert not [
            p for p in check_folder(CONTRACTS / name).all_problems if "externe" in p.message
        ]


def test_the_regional_dotations_are_fixed_and_the_departments_credits_voted(built: Path) -> None:
    """asba preamble: « sous réserve des dotations limitatives votées chaque année ». The
    dotations régionales limitatives are fixed by arrêté (CASF L.314-3); the Département votes
    its credits."""
    for document in ("contrat", "contrat-consolide"):
        for text in _both(built, ASBA, document):
            assert "limitatives votées" not in text
            assert (
                "sur une trajectoire de moyens, sous réserve, chaque année, des dotations "
                "régionales limitatives et des crédits votés par le conseil départemental." in text
            )


def test_an_arrete_numbered_2010_is_dated_2010(built: Path) -> None:
    """chrs, L'Escale: « arrêté préfectoral n° 2010-DDCS-1187 du 1er janvier 2011 » (numbered
    the year before, signed on a public holiday) → 20 December 2010, renewed after its fifteen
    years (20 December 2025, until 19 December 2040)."""
    for document in ("contrat", "annexes", "avenant-01"):
        for text in _both(built, CHRS, document):
            assert "1er janvier 2011" not in text
            assert "n° 2010-DDCS-1187 du 20 décembre 2010" in text
    for text in _both(built, CHRS, "contrat"):
        assert "renouvelée le 20 décembre 2025. Elle court jusqu’au 19 décembre 2040" in (
            text.replace("'", "’")
        )


def test_the_mas_mesures_nouvelles_last_beyond_their_first_year(built: Path) -> None:
    """fondation annexe 5: 85 000 € of mesures nouvelles for the MAS's night nurse in 2027, then
    « – » every year after, the 2028 share of the DGC being 2027's × 1,015 without them: the
    nurse unpaid from 2028. They are now in the MAS's share from 2028 ((4 268 500 + 85 000) ×
    1,015 = 4 418 800), and the totals follow."""
    word = WordDocument(io.BytesIO((built / FVO / "annexes.docx").read_bytes()))
    rows = [[flat(c.text) for c in r.cells] for t in word.tables for r in t.rows]
    mas = ["4 418 800 €", "4 485 100 €", "4 552 400 €", "4 620 700 €"]
    assert ["Part de la dotation globalisée commune", "4 268 500 €", *mas, "22 345 500 €"] in [
        r[1:] for r in rows
    ]
    assert ["Total", "", "4 353 500 €", *mas, "22 430 500 €"] in rows
    for text in _both(built, FVO, "annexes"):  # the PDF's cells come in the watermark's order
        assert all(a in text for a in [*mas, "22 430 500 €", "8 651 800 €", "63 514 500 €"])
        assert (
            "Les mesures nouvelles de 85 000 € allouées en 2027 à la MAS (présence infirmière de "
            "nuit) sont pérennes : elles sont intégrées à sa part de la dotation globalisée "
            "commune à compter de 2028." in text
        )
    fiche = "mesures nouvelles de 85 000 € en 2027, intégrées à la dotation globalisée commune à"
    assert fiche in _docx(built, FVO, "annexes")  # A4.3's means, in annexe 3 (was « 2027 de »)
    for text in _both(built, FVO, "contrat"):
        assert "12 504 500 €" in text and "leur montant prévisionnel est de 63 514 500 €" in text


def test_the_gmp_of_the_diagnostic_is_said_to_be_the_two_ehpads(built: Path) -> None:
    """asba annexe 3, objectif 2: « Le GMP (712) et le PMP (198) validés en 2022 » beside
    article 4's table (724 and 696, 205 and 189): 712 and 198 are the two EHPAD together."""
    for text in _both(built, ASBA, "annexes"):
        assert (
            "Le GMP et le PMP validés en 2022 (712 et 198 pour les deux EHPAD réunis) sont "
            "inférieurs aux moyennes départementales" in text
        )
        assert "(GMP 712 et PMP 198 pour les deux EHPAD réunis)" in text


# --- 2. The reader's pass ---------------------------------------------------------------------


def test_a_chrs_annexe_5_does_not_name_an_eprd_it_has_not(built: Path) -> None:
    """chrs annexe 5: « Évolution, EPRD et affectation des résultats » over a section that says
    the results go with the compte administratif (a CHRS has no EPRD unless its parties agree
    on one: the contract's article 4 says so under « Documents budgétaires et comptables »)."""
    for document in ("annexes", "avenant-01", "comparaisons/avenant-01"):
        for text in _both(built, CHRS, document):
            assert "EPRD et affectation" not in text
            assert "Évolution et affectation des résultats" in text
    for text in _both(built, ASBA, "annexes"):
        assert "Évolution, EPRD et affectation des résultats" in text


def test_the_diff_gives_a_gap_between_percentages_in_points() -> None:
    """`cpomdocs diff --avenant 1` (asba): « cible 2026 : 97 % → 95,5 % (−1,5) » → « (−1,5 pt) »,
    as the comptes-rendus write a gap; a count keeps its bare number."""
    old, new = read_avenant(CONTRACTS / ASBA, 1)
    text = render_text(diff_contracts(old.data, new.data, old.words, new.words), color=False)
    assert "cible 2026 : 97 % → 95,5 % (−1,5 pt)" in flat(text)
    assert "places autorisées : 80 places → 90 places (+10)" in flat(text)


def test_the_diff_does_not_show_the_bold_marks_of_a_text() -> None:
    """`cpomdocs diff --avenant 1 -f md` (chrs): the presentation quoted « \\*\\*deux centres
    d'hébergement et de réinsertion sociale\\*\\* » (the asba text diff « **10 places
    supplémentaires…** »): the words as the contract prints them. A change of bold alone still
    shows."""
    old, new = read_avenant(CONTRACTS / CHRS, 1)
    markdown = render_markdown(diff_contracts(old.data, new.data, old.words, new.words))
    quoted = [line for line in markdown.splitlines() if line.startswith("> ")]
    assert quoted and not [line for line in quoted if "*" in line]
    assert "Elle gère deux centres d'hébergement et de réinsertion sociale ~~(135~~" in markdown
    assert word_diff("les **deux** centres", "les deux centres") == [
        ("", "les "), ("del", "**deux**"), ("ins", "deux"), ("", " centres"),
    ]  # fmt: skip


def test_the_portfolio_does_not_name_the_prefect_twice(built: Path) -> None:
    """The portfolio page (build/index.html), chrs card: « Préfet de la région Pays de la Loire
    (préfet) »: a party whose name holds its kind is named alone; the others keep their kind."""
    page = (built / "index.html").read_text("utf-8")
    assert "(préfet)" not in page
    assert "Préfet de la région Pays de la Loire<" in page
    assert "Département du Rhône (conseil départemental)" in page
    assert "Agence régionale de santé Auvergne-Rhône-Alpes (ARS)" in page


def test_the_visas_give_the_acts_their_whole_titles(built: Path) -> None:
    """asba visas: the décrets n° 2016-1814 and 2023-608 were cut short of their titles as the
    JO gives them (« … personnes âgées dépendantes ; », « … services autonomie à domicile ; »);
    cpomdocs' own EHPAD visas (data/legal.py) already had the whole of the first. fondation: the
    arrêté du 2 avril 2009 likewise. cedres: its programming arrêté named as an act is named
    (date, authors, object), as the other examples'."""
    for text in _both(built, ASBA, "contrat"):
        text = text.replace("'", "’")
        assert (
            "personnes âgées dépendantes relevant du I et du II de l’article L.313-12 du code de "
            "l’action sociale et des familles ;" in text
        )
        assert (
            "relatif aux services autonomie à domicile mentionnés à l’article L.313-1-3 du code "
            "de l’action sociale et des familles et aux services d’aide et d’accompagnement à "
            "domicile ;" in text
        )
    for text in _both(built, CEDRES, "contrat"):  # was « l'arrêté conjoint de programmation
        # des CPOM du 15 décembre 2020 de l'ARS Occitanie et du Département de l'Hérault »
        assert (
            "Vu l’arrêté conjoint du 15 décembre 2020 du directeur général de l’ARS Occitanie et "
            "du président du conseil départemental de l’Hérault fixant la programmation"
            in (text.replace("'", "’"))
        )
    for text in _both(built, FVO, "contrat"):
        assert (
            "ou de santé pris pour l’application des articles D.351-17 à D.351-20 du code de "
            in (text.replace("'", "’"))
        )
