"""What the readers of session 13 found: a compte-rendu saying twice that an indicator was not
evaluated, the end of an objective alone on a page of the annexes, and the words of the
examples (law, French, layout)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pdftext import page_texts

from cpomdocs.build.schedule import BuildReport

EXAMPLES = Path(__file__).parents[1] / "contracts"
ASBA = EXAMPLES / "asba-beaujolais-2024"
CHRS = EXAMPLES / "chrs-estuaire-2026"
CREATED = "2026-12-03T00:00:00Z"


def _flat(text: str) -> str:
    """Text read back from a PDF, spaces and apostrophes as typed in the YAML."""
    text = re.sub("\u2010\\s*\n", "", text)  # a word WeasyPrint hyphenated at a line's end
    text = text.replace("’", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text)


def _pages(pdf: Path | bytes) -> list[str]:
    return [_flat(text) for text in page_texts(pdf)]


@pytest.fixture(scope="module")
def asba_report(built_examples: tuple[Path, BuildReport]) -> Path:
    """The PDF of the asba compte-rendu of 2026-10-08, as built."""
    return built_examples[0] / ASBA.name / "comptes-rendus" / "2026-10-08-point-a-mi-parcours.pdf"


# --- a compte-rendu says once that an indicator was not evaluated ----------------------------


def test_a_comment_that_says_the_indicator_is_not_evaluated_is_not_repeated(asba_report) -> None:
    text = " ".join(_pages(asba_report))
    assert "l'indicateur n'est pas évalué pour 2025." in text
    assert "TELEMED : valeur réalisée non renseignée" not in text
    # the summary table still shows the missing value and the status
    assert re.search(r"TELEMED .*? – – non évalué", text)


def test_a_missing_value_the_comment_does_not_mention_is_still_shown() -> None:
    from cpomdocs.followup.report_rows import already_said

    reason = "valeur réalisée non renseignée"
    # the comment speaks of something else
    assert not already_said("Les plannings sont en place.", "ROT", "Taux de rotation", reason,
                            alone=True)  # fmt: skip
    # it says « non évalué » but two indicators lack a value and it names neither
    assert not already_said("L'indicateur n'est pas évalué.", "ROT", "Taux de rotation", reason,
                            alone=False)  # fmt: skip
    # it names this one
    assert already_said("Le ROT n'est pas encore connu.", "ROT", "Taux de rotation", reason,
                        alone=False)  # fmt: skip
    assert already_said("L'indicateur n'est pas évalué pour 2025.", "ROT", "Taux", reason,
                        alone=True)  # fmt: skip
    # a value still to fill in a draft is the editor's task: always shown
    assert not already_said("Non évalué.", "ROT", "Taux", "valeur réalisée [à compléter]",
                            alone=True)  # fmt: skip


# --- a fiche objectif is kept on one page when it fits one ------------------------------------


@pytest.fixture(scope="module")
def chrs_annexes(built_examples: tuple[Path, BuildReport]) -> tuple[bytes, bytes]:
    """The CHRS annexes as built, PDF and DOCX."""
    built = built_examples[0] / CHRS.name
    return (built / "annexes.pdf").read_bytes(), (built / "annexes.docx").read_bytes()


def test_the_end_of_a_fiche_objectif_is_not_alone_on_a_page(chrs_annexes) -> None:
    pages = _pages(chrs_annexes[0])
    start = max(i for i, p in enumerate(pages) if "Objectif 2 – Adapter l'offre" in p)
    # the fiche's action table and its last indicator are on the page of its title
    assert "A2.1 Transformer 15 places collectives" in pages[start]
    assert "SEJOUR-LONG – Taux de présence" in pages[start]
    assert "Annexe 4 –" in pages[start + 1]


def test_a_fiche_objectif_keeps_with_the_next_in_the_docx(chrs_annexes) -> None:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(chrs_annexes[1])) as archive:
        body = archive.read("word/document.xml").decode()
    start = body.rindex("Objectif 2 – ")  # the heading, after the Sommaire's entry
    fiche = body[start : body.index("Annexe 4 – ", start)]
    action = fiche[fiche.index("A2.1") - 400 : fiche.index("A2.1")]
    assert "<w:keepNext/>" in action  # the one action row keeps with the indicators
    constat = fiche[fiche.index("Constat") - 400 : fiche.index("Constat")]
    assert "<w:keepNext/>" in constat


# --- DOCX: proper names in table cells and words in capitals are not hyphenated ---------------

NAMES = "Accueil de jour La Parenthèse à Villefranche, Département, Alzheimer"
WORDS = "accompagnement établissement dépendance hébergement"


def _names_document() -> object:
    from cpomdocs.documents.blocks import ComposedDocument, DocumentMeta, Run, Table

    cell = [Run(f"{NAMES}, SESSAD, EHPAD, {WORDS}")]
    table = Table(
        header=[[Run(h)] for h in ("Établissement", "Catégorie", "Places", "Code", "Mode")],
        rows=[[cell, [Run(WORDS)], [Run("12")], [Run("500")], [Run(NAMES)]]] * 3,
    )
    meta = DocumentMeta(title="Essai", running_title="Essai", author="Essai", subject="Essai",
                        keywords=[], version_label="version 1", created=CREATED)  # fmt: skip
    return ComposedDocument(meta, [table])


def test_a_name_in_a_table_cell_is_a_run_in_language_zxx() -> None:
    import zipfile

    from cpomdocs.render.docx import render_docx

    with zipfile.ZipFile(io.BytesIO(render_docx(_names_document()))) as archive:  # type: ignore[arg-type]
        body = archive.read("word/document.xml").decode()
        settings = archive.read("word/settings.xml").decode()
    zxx = re.findall(r'<w:lang w:val="zxx"/></w:rPr><w:t xml:space="preserve">([^<]*)<', body)
    assert set(zxx) == {"Accueil", "Parenthèse", "Villefranche", "Département", "Alzheimer",
                        "SESSAD", "Établissement", "Catégorie", "Places"}  # fmt: skip
    assert "accompagnement" not in zxx  # other words may still be cut
    assert '<w:doNotHyphenateCaps w:val="true"/>' in settings  # « EHPAD » (five letters) too


FRENCH_HYPHENATION = any(Path("/usr/share/hyphen").glob("hyph_fr*.dic"))


@pytest.mark.skipif(
    shutil.which("soffice") is None or not FRENCH_HYPHENATION,
    reason="LibreOffice or its French hyphenation (apt-get install hyphen-fr) absent",
)
def test_libreoffice_does_not_cut_names_in_narrow_cells(tmp_path: Path) -> None:
    from cpomdocs.render.docx import render_docx

    (tmp_path / "noms.docx").write_bytes(render_docx(_names_document()))  # type: ignore[arg-type]
    profile = f"-env:UserInstallation=file://{tmp_path}/profile"
    command = ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path)]
    subprocess.run([*command, str(tmp_path / "noms.docx")], capture_output=True, timeout=300)
    layout = ["pdftotext", "-layout", str(tmp_path / "noms.pdf"), "-"]
    text = subprocess.run(layout, capture_output=True, text=True, check=True).stdout
    cut = re.findall(r"(\w+)[-\u2010\u00ad](?=\s)", text)  # a hyphen before a space: a cut
    assert [w for w in cut if w[0].isupper()] == []
    assert [w for w in cut if w[0].islower()]  # hyphenation is on: lowercase words are cut


# --- the law and the figures of the examples -------------------------------------------------

CEDRES = EXAMPLES / "ehpad-les-cedres-2025"


@pytest.fixture(scope="module")
def cedres_texts(built_examples: tuple[Path, BuildReport]) -> dict[str, str]:
    """The texts of the cedres contract and annexes, as built."""
    built = built_examples[0] / CEDRES.name
    return {name: " ".join(_pages(built / f"{name}.pdf")) for name in ("contrat", "annexes")}


def test_the_forfait_dependance_does_not_follow_the_campaign_rate(cedres_texts) -> None:
    """« Les forfaits évoluent chaque année selon le taux fixé par la campagne budgétaire »: the
    forfait global dépendance is the Département's (valeur du point GIR départemental)."""
    for text in cedres_texts.values():
        assert "Les forfaits évoluent chaque année selon le taux fixé" not in text
        assert (
            "Le forfait global de soins évolue chaque année selon le taux d'évolution fixé lors "
            "de la campagne budgétaire ; le forfait global dépendance, selon la valeur du point "
            "GIR départemental fixée chaque année par le Département."
        ) in text


def test_pasa_places_are_said_not_to_add_to_the_authorised_places(cedres_texts) -> None:
    """Article 4 and annexe 1 listed « PASA 14 14 » under « Places autorisées » after 78 and 4,
    while the perimeter says 82: a reader adds 96."""
    sentence = (
        "Les places du PASA ne s'ajoutent pas aux places autorisées : elles accueillent des "
        "résidents de l'EHPAD."
    )
    assert "Clermont-l'Hérault 82" in cedres_texts["contrat"]  # the perimeter's total
    for text in cedres_texts.values():
        assert re.search(r"PASA 14 14 " + re.escape(sentence), text)


def test_no_column_of_blank_comments_before_any_compte_rendu(
    built_examples: tuple[Path, BuildReport],
) -> None:
    """The CHRS preparatory file (no compte-rendu yet) had a « Commentaire » column, all blank,
    under « Statut des objectifs et derniers commentaires »."""
    text = " ".join(_pages(built_examples[0] / CHRS.name / "preparation-dialogue-2028-10-12.pdf"))
    # review17: no table of « non évalué » at all before any value or comment
    assert "Statut des objectifs" not in text
    assert "Commentaire" not in text and "derniers commentaires" not in text


def test_a_compte_rendu_keeps_its_comment_column(asba_report) -> None:
    text = " ".join(_pages(asba_report))
    assert "Statut des objectifs et commentaires Objectif Statut Commentaire" in text
