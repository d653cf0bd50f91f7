"""What session 16's reader of the built examples fixed: the versions annotées' annexe 5 ending
with two lines alone on a page, and the wording and typography found on the way."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from docx import Document as WordDocument
from example_texts import flat
from pypdf import PdfReader
from test_law18 import _pages, _stranded_pages

REDLINES = ["asba-beaujolais-2024", "chrs-estuaire-2026"]
# A CHRS has no EPRD unless its parties agree on one (review19): its heading does not name it.
CLOSING = {
    "asba-beaujolais-2024": "Évolution, EPRD et affectation des résultats",
    "chrs-estuaire-2026": "Évolution et affectation des résultats",
}


# --- 1. The versions annotées: annexe 5's closing section kept on one page ---------------------


@pytest.mark.parametrize("name", REDLINES)
def test_a_version_annotee_does_not_end_annexe_5_with_lines_alone(name: str, built: Path) -> None:
    """asba p. 31 and chrs p. 18 held the last two lines of annexe 5 (its old and new amounts
    side by side make it longer than the signed annexe): the closing section is now kept on
    one page when it fits one, and opens the page it moves to."""
    pages = _pages(built / name / "comparaisons/avenant-01.pdf")
    assert _stranded_pages(pages) == []
    opening = [p for p in pages if any(line.strip() == CLOSING[name] for line in p.splitlines())]
    assert len(opening) == 1
    body = [line for line in opening[0].splitlines() if line.strip()]
    assert body[1].strip() == CLOSING[name]  # the heading opens its page (the running title first)
    following = [line for line in pages[pages.index(opening[0]) + 1].splitlines() if line.strip()]
    assert following[1].startswith("Annexe 6 –")  # the section, to its last line, on one page
    assert len(body) > 8


def test_the_docx_keeps_annexe_5_closing_section_together(built: Path) -> None:
    """The DOCX says the same to Word: each paragraph of the closing section but the last
    keeps with the next one (LibreOffice already fitted it; Word's page may differ)."""
    docx = built / "chrs-estuaire-2026" / "comparaisons/avenant-01.docx"
    paragraphs = WordDocument(docx).paragraphs
    heading = CLOSING["chrs-estuaire-2026"]
    start = next(
        i for i, p in enumerate(paragraphs) if p.text == heading and "Heading" in p.style.name
    )
    end = next(i for i, p in enumerate(paragraphs) if i > start and p.text.startswith("Annexe 6"))
    section = [p for p in paragraphs[start:end] if p.text.strip()]
    assert len(section) >= 4
    kept = [
        p.paragraph_format.keep_with_next or p.style.paragraph_format.keep_with_next
        for p in section
    ]  # a heading keeps with the next by its style
    assert kept[:-1] == [True] * (len(section) - 1)


# --- 2. Wording: the CHRS arrêté by its full title, the JO's full stops, the fondation ---------


def _pdf_text(built: Path, name: str, document: str) -> str:
    """The text of a document's PDF as the build made it (pdftotext), on one line, no-break
    spaces as spaces."""
    pdf = str(built / name / f"{document}.pdf")
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, check=True)
    return flat(text.stdout.decode("utf-8").replace("\u2010\n", ""))  # a word hyphenated


def _docx_text(built: Path, name: str, document: str) -> list[str]:
    """The paragraphs of a document's DOCX as the build made it (python-docx), no-break spaces
    as spaces."""
    paragraphs = WordDocument(built / name / f"{document}.docx").paragraphs
    return [flat(p.text) for p in paragraphs if p.text.strip()]


ARRETE_2019 = (
    "l'arrêté du 25 octobre 2019 fixant le contenu du cahier des charges du contrat pluriannuel "
    "d'objectifs et de moyens prévu à l'article L.313-11-2 du code de l'action sociale et des "
    "familles pour les établissements mentionnés à l'article L.345-1 du même code"
)


def test_the_chrs_results_clause_cites_the_arrete_by_its_title_as_published(
    built: Path,
) -> None:
    """The visa gave the arrêté its title as published (JO of 9 November 2019, NOR
    TERS1926489A); the results clause cut it after « familles »: one act, two titles."""
    expected = f"En application de {ARRETE_2019}, l'organisme gestionnaire affecte librement"
    pdf = _pdf_text(built, "chrs-estuaire-2026", "contrat").replace("’", "'")
    assert pdf.count(ARRETE_2019) == 2  # the visa and the clause
    assert expected in pdf
    docx = " ".join(_docx_text(built, "chrs-estuaire-2026", "annexes")).replace("’", "'")
    assert expected in docx


QUOTED_THEN_STOP = re.compile(r"[.!?]\s*»\s*\.")


def test_a_quoted_alinea_ending_an_article_takes_no_second_full_stop(built: Path) -> None:
    """« … dans l'aile Est réaménagée. ». »: the JO ends such an article with the quoted
    alinéa's own full stop (« … réaménagée. »); a quote inside a point still takes « ; »."""
    pdf = _pdf_text(built, "asba-beaujolais-2024", "avenant-01")
    assert QUOTED_THEN_STOP.search(pdf) is None
    assert "dans l’aile Est réaménagée. » Article 2 – Modification de l’article 4" in pdf
    assert "infirmière de coordination (IDEC). » ; 4°" in pdf
    paragraphs = _docx_text(built, "chrs-estuaire-2026", "avenant-01")
    assert not [p for p in paragraphs if QUOTED_THEN_STOP.search(p)]
    assert (
        "« Hébergement en collectif (45 places) et en appartements diffus (50 places) avec un "
        "accompagnement social global vers le logement, l’emploi et la santé. »"
    ) in paragraphs


def test_the_fondation_preamble_says_how_the_last_contract_was_extended(built: Path) -> None:
    """« prorogé de deux fois un an » is not French: « prorogé deux fois d'un an »."""
    pdf = _pdf_text(built, "fondation-val-d-ouche-2027", "contrat")
    assert "succède au CPOM 2020–2024, prorogé deux fois d’un an." in pdf
    assert "de deux fois un an" not in pdf


def test_the_document_properties_follow_french_typography(built: Path) -> None:
    """The title and subject in the PDF's and the DOCX's properties (what a file manager and a
    screen reader show) kept the straight apostrophe and a breakable « n° 1 »."""
    reader = PdfReader(built / "asba-beaujolais-2024" / "avenant-01.pdf")
    props = WordDocument(built / "asba-beaujolais-2024" / "avenant-01.docx").core_properties
    for title, subject in [(reader.metadata.title, reader.metadata.subject),
                           (props.title, props.subject)]:  # fmt: skip
        assert "'" not in title + subject
        assert subject.startswith("Avenant n°\u00a01 au CPOM CPOM-ARS-ARA-69-2024-012 – ")
        assert "de l’EHPAD Les Vignes (+ 10\u00a0places d’hébergement permanent)" in subject


# --- 3. What a reader sees first: the cover's title, the preparatory file's comments ------------


def test_the_cover_title_never_leaves_moyens_alone_on_its_last_line(built: Path) -> None:
    """« Contrat pluriannuel d'objectifs et de / moyens » (PDF and LibreOffice alike): the last
    words are held together, the title breaks after « pluriannuel »."""
    folder = built / "ehpad-les-cedres-2025"
    layout = ["pdftotext", "-layout", "-f", "1", "-l", "1", str(folder / "contrat.pdf"), "-"]
    cover = subprocess.run(layout, capture_output=True, check=True).stdout.decode()
    lines = [line.strip() for line in cover.splitlines() if line.strip()]
    title = lines.index("Contrat pluriannuel")
    assert lines[title + 1] == "d’objectifs et de moyens"
    paragraphs = WordDocument(folder / "contrat.docx").paragraphs
    assert "Contrat pluriannuel d’objectifs\u00a0et\u00a0de\u00a0moyens" in [
        p.text for p in paragraphs
    ]


def test_a_preparatory_file_shows_the_last_comments_without_statuses_not_yet_known(
    built: Path,
) -> None:
    """No value of the year under review is known before the meeting: every status read « non
    évalué », beside comments of the last compte-rendu saying « dépassent leurs cibles »."""
    name, document = "asba-beaujolais-2024", "preparation-dialogue-2028-06-15"
    pdf = _pdf_text(built, name, document)
    assert "Derniers commentaires sur les objectifs Objectif Dernier commentaire O1 –" in pdf
    assert "Statut des objectifs" not in pdf
    tables = WordDocument(built / name / f"{document}.docx").tables
    table = next(t for t in tables if t.rows[0].cells[0].text == "Objectif" and len(t.columns) == 2)
    assert [c.text for c in table.rows[0].cells] == ["Objectif", "Dernier commentaire"]
    cells = [c.text for row in table.rows[1:] for c in row.cells]
    assert len(table.rows) == 9 and "non évalué" not in cells
    assert any("dépassent leurs cibles" in c for c in cells)
