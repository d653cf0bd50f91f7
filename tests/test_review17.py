"""What session 17's reader of the built examples fixed: the EPRD by its CASF name, the count of
the ESSMS a contract covers, the versions annotées' spaces, the CHRS subsidies' totals, and the
wording and typography found on the way. Each test reads a real PDF (pdftotext) or DOCX."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document as WordDocument
from example_texts import CONTRACTS, copy_example, edit, flat
from lxml import etree
from PIL import Image
from test_law18 import _pages, _warnings
from test_review16 import _docx_text, _pdf_text

from cpomdocs.data.validate import check_folder

ASBA, CHRS = "asba-beaujolais-2024", "chrs-estuaire-2026"
ANNOTEE = "comparaisons/avenant-01"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


# --- 1. The EPRD by its name in the CASF (R.314-210 ff., R.314-221) -------------------------

EPRD = "état des prévisions de recettes et de dépenses"
WRONG_EPRD = "état prévisionnel des recettes et des dépenses"


@pytest.mark.parametrize(
    ("name", "document"),
    [("ehpad-les-cedres-2025", "contrat"), ("fondation-val-d-ouche-2027", "annexes")],
)
def test_the_eprd_is_named_as_the_casf_names_it(built: Path, name: str, document: str) -> None:
    """cedres (article 4) and fondation (annexe 5, the dotation globalisée commune) said « état
    prévisionnel des recettes et des dépenses »; the CASF says « état des prévisions de recettes
    et de dépenses » (R.314-221: « L'état des prévisions de recettes et de dépenses satisfait
    les conditions suivantes »), as the asba preamble and the CHRS clause already did."""
    for text in (_pdf_text(built, name, document), " ".join(_docx_text(built, name, document))):
        assert WRONG_EPRD not in text
        assert EPRD in text


def test_the_eprd_sentence_of_an_ehpad_contract(built: Path) -> None:
    assert (
        "Le gestionnaire transmet chaque année aux autorités de tarification un état des "
        "prévisions de recettes et de dépenses (EPRD) accompagné d’un plan global de financement "
        "pluriannuel (PGFP), puis l’état réalisé des recettes et des dépenses (ERRD)"
    ) in _pdf_text(built, "ehpad-les-cedres-2025", "contrat")


# --- 4. The ESSMS a contract covers, counted by their kind ----------------------------------


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("ehpad-les-cedres-2025", "un établissement du gestionnaire"),
        ("chrs-estuaire-2026", "deux établissements de l’organisme gestionnaire"),
        ("asba-beaujolais-2024", "quatre établissements et services du gestionnaire"),
        ("fondation-val-d-ouche-2027", "cinq établissements et services du gestionnaire"),
    ],
)
def test_the_contract_counts_its_essms_by_their_kind(built: Path, name: str, count: str) -> None:
    """« Le présent contrat couvre un établissement ou service du gestionnaire » (one EHPAD) and
    « deux établissements et services » (two CHRS) read as a form: the count says what they
    are; a mix of establishments and services keeps « établissements et services »."""
    sentence = f"Le présent contrat couvre {count}, sur le territoire suivant"
    pdf = _pdf_text(built, name, "contrat")
    assert sentence in pdf
    assert any(sentence in p for p in _docx_text(built, name, "contrat"))
    assert "un établissement ou service du" not in pdf


# --- 2. Versions annotées: the space before a changed value is neither struck nor underlined --

WORD_BOX = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


def _marked_pixels_before(pdf: Path, page: int, pairs: set[tuple[str, str]]) -> dict[str, int]:
    """For each word of `pairs` (the word before, the word), the coloured pixels (the green
    underline, the red strike) in the gap between the two words, on the page drawn at 144 dpi."""
    box = ["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"]
    words = [
        (float(a), float(b), float(c), float(d), t)
        for a, b, c, d, t in WORD_BOX.findall(subprocess.run(box, **RUN).stdout)
    ]
    png = pdf.with_suffix("")
    draw = ["pdftoppm", "-png", "-r", "144", "-f", str(page), "-l", str(page), "-singlefile"]
    subprocess.run([*draw, str(pdf), str(png)], **RUN)
    image = Image.open(f"{png}.png").convert("RGB")
    found = {}
    for before, (x0, y0, _, y1, word) in zip(words, words[1:], strict=False):
        if (before[4], word) not in pairs:
            continue
        gap = [
            image.getpixel((x, y))
            for x in range(int((before[2] + 1) * 2), int((x0 - 0.5) * 2))
            for y in range(int(y0 * 2), int((y1 + 3) * 2))
        ]
        found[word] = sum(
            1 for r, g, b in gap if (g > r + 40 and g > b + 40) or (r > g + 60 and r > b + 60)
        )
    return found


RUN: dict = {"capture_output": True, "text": True, "check": True}


def test_a_changed_amount_in_a_version_annotee_pdf_has_no_marked_space(
    built: Path, tmp_path: Path
) -> None:
    """asba p. 9: « leur montant prévisionnel est de ~~ 20 422 000 €~~ _ 21 016 700 €_ » and
    « indicatifs : _ hors crédits non reconductibles,_ »: the spaces were struck or underlined
    (drawn inside <del>/<ins>). They are drawn outside now: no red or green in the gaps."""
    pdf = tmp_path / "annotee.pdf"  # a copy: the page is drawn beside it, not in the build
    shutil.copyfile(built / ASBA / f"{ANNOTEE}.pdf", pdf)
    pages = _pages(pdf)
    page = next(n for n, p in enumerate(pages, 1) if "montant prévisionnel est de" in p)
    gaps = _marked_pixels_before(pdf, page, {("de", "20"), ("€", "21"), (":", "hors")})
    assert gaps == {"20": 0, "21": 0, "hors": 0}
    text = flat(pages[page - 1])
    assert "est de 20 422 000 € 21 016 700 €." in text  # still apart, one space each


def test_a_changed_amount_in_a_version_annotee_docx_tracks_no_space(built: Path) -> None:
    """The DOCX's tracked changes: the space that parted « 20 422 000 € » from « 21 016 700 € »
    was in both the w:del and the w:ins (struck and underlined in Word and LibreOffice); it is
    one unmarked space before them now, and accepting or rejecting still reads right."""
    docx = built / ASBA / f"{ANNOTEE}.docx"
    body = etree.fromstring(zipfile.ZipFile(docx).read("word/document.xml"))
    paragraph = next(
        p for p in body.iter(f"{W}p") if "montant prévisionnel est de" in "".join(p.itertext())
    )
    deleted = ["".join(d.itertext()) for d in paragraph.iter(f"{W}del")]
    inserted = ["".join(i.itertext()) for i in paragraph.iter(f"{W}ins")]
    assert [flat(t) for t in deleted] == ["20 422 000 €"] and deleted[0][0] != " "
    assert [flat(t) for t in inserted] == ["21 016 700 €"] and inserted[0][0] != " "

    def read(drop: str) -> str:
        kept = [
            "".join(r.itertext())
            for r in paragraph.iter(f"{W}r")
            if r.getparent().tag != f"{W}{drop}"
        ]
        return flat("".join(kept))

    assert "est de 21 016 700 €. Leur détail" in read("del")
    assert "est de 20 422 000 €. Leur détail" in read("ins")


# --- 3. The CHRS subsidised activities: a Total column, as every other money table ----------

SUBSIDIES = "Activités subventionnées rattachées au contrat"


def test_the_chrs_subsidies_have_their_total_over_the_contract(built: Path) -> None:
    """chrs annexe 5: each subsidised activity's five years had no total (every other money
    table of the annexe has its Total column). The Total column is there now; the programme,
    the same for both activities, is said once above the table (the column left room for it)."""
    text = _pdf_text(built, CHRS, "annexes")
    start = text.rindex(SUBSIDIES)
    table = text[start : text.index("Évolution et affectation", start)]
    assert "financées par subvention (programme 177), à titre prévisionnel" in table
    assert "Activité Financeur 2026 2027 2028 2029 2030 Total" in table
    assert "186 000 € 188 800 € 191 600 € 194 500 € 197 400 € 958 300 €" in table
    assert "224 000 € 227 400 € 230 800 € 234 300 € 237 800 € 1 154 300 €" in table
    tables = WordDocument(built / CHRS / "annexes.docx").tables
    subsidies = next(t for t in tables if t.rows[0].cells[0].text == "Activité")
    assert [flat(c.text) for c in subsidies.rows[0].cells][-1] == "Total"
    assert [flat(r.cells[-1].text) for r in subsidies.rows[1:]] == ["958 300 €", "1 154 300 €"]


def test_the_chrs_annexe_5_still_ends_on_its_page(built: Path) -> None:
    """The wider table does not push the closing section onto a page of its own: annexe 5
    still holds on one page (p. 9 of 11), annexe 6 opens the next."""
    pages = _pages(built / CHRS / "annexes.pdf")
    assert len(pages) == 11
    page = next(p for p in pages if SUBSIDIES in p and "Annexe 5 –" in p)
    assert "Évolution et affectation des résultats" in page  # no EPRD in a CHRS (review19)


# --- 5. The reader's pass: typography and wording found on the way ---------------------------


def test_numero_keeps_its_redlined_number_on_its_line(built: Path) -> None:
    """asba version annotée, annexe 8: « … du Rhône n° » ended a line of the cell and the struck
    « 2016-5880 » began the next: « n° » then a changed number (another run) got a plain space.
    It gets the no-break space, in the PDF and in the DOCX."""
    pdf = built / ASBA / f"{ANNOTEE}.pdf"
    lines = [line.rstrip() for page in _pages(pdf) for line in page.splitlines()]
    assert [line for line in lines if line.endswith(" n°")] == []
    assert any("Rhône n° 2016-5880" in line for line in lines)
    docx = built / ASBA / f"{ANNOTEE}.docx"
    body = etree.fromstring(zipfile.ZipFile(docx).read("word/document.xml"))
    before = [
        "".join(d.getprevious().itertext())
        for d in body.iter(f"{W}del")
        if "".join(d.itertext()) == "2016-5880" and d.getprevious() is not None
    ]
    assert before and all(text.endswith("n°\u00a0") for text in before)


def test_an_act_older_than_the_ars_that_names_one_is_warned(tmp_path: Path) -> None:
    """asba's SSIAD was « autorisé par arrêté ARS n° 2009-0712 du 1er juillet 2009 », « délivré
    par le directeur général de l'ARS Rhône-Alpes »: the ARS took office on 1 April 2010. The
    example now cites the préfet's act; an act dated before that naming an ARS is warned."""
    path = copy_example(tmp_path, "ehpad-les-cedres-2025") / "cpom.yaml"
    edit(path, "statut: signé", "statut: projet")
    edit(path, "      date: 2017-01-03", "      date: 2009-06-30")
    line = edit(
        path, "reference: arrêté conjoint ARS/CD n° 2017-0042", "reference: arrêté ARS n° 1"
    )
    authority = line + 2  # autorite: two lines below the reference in this example
    why = (
        "acte du 30 juin 2009 attribué à une ARS : les agences régionales de santé n'existent "
        "que depuis le 1er avril 2010 (loi n° 2009-879 du 21 juillet 2009) ; avant, "
        "l'autorisation relevait du préfet (ou du président du conseil général)"
    )
    found = [w for w in _warnings(path) if "1er avril 2010" in w[2]]
    assert found == [
        (line, "etablissements.340005131.autorisation.reference", why),
        (authority, "etablissements.340005131.autorisation.autorite", why),
    ]


@pytest.mark.parametrize("day", ["2009-13-45", "2009", "'1er juin 2009'"])
def test_an_act_whose_date_is_not_one_gets_the_schema_error_not_an_internal_one(
    tmp_path: Path, day: str
) -> None:
    """« erreur interne : ValueError: month must be in 1..12 »: the ARS check read the date of
    an act that the schema refuses as a date."""
    folder = copy_example(tmp_path, "ehpad-les-cedres-2025")
    path = folder / "cpom.yaml"
    edit(path, "      date: 2017-01-03", f"      date: {day}")
    edit(path, "reference: arrêté conjoint ARS/CD n° 2017-0042", "reference: arrêté ARS n° 1")
    errors = [p for p in check_folder(folder).all_problems if p.is_error]
    assert [p.field for p in errors][:1] == ["etablissements.340005131.autorisation.date"]


def test_the_asba_ssiad_was_authorised_by_the_prefet(built: Path) -> None:
    contract, avenant = _pdf_text(built, ASBA, "contrat"), _pdf_text(built, ASBA, "avenant-01")
    assert (
        "Le SSIAD Saône-Beaujolais (FINESS ET 69 079 443 3) est autorisé par arrêté préfectoral "
        "n° 2009-0712 du 1er juillet 2009. L’autorisation a été délivrée par le préfet du Rhône "
        "et renouvelée le 1er juillet 2024."
    ) in contract
    assert "arrêté préfectoral n° 2009-0712 du 1er juillet 2009" in avenant  # its annexe 1
    assert "l’autorisation le préfet du Rhône" in avenant
    for text in (contract, avenant):
        assert "arrêté ARS n° 2009" not in text and "ARS Rhône-Alpes Habilitation" not in text
    for name in ("asba-beaujolais-2024", "chrs-estuaire-2026", "ehpad-les-cedres-2025"):
        problems = check_folder(CONTRACTS / name).all_problems
        assert [p for p in problems if "1er avril 2010" in p.message] == []


@pytest.mark.parametrize(
    ("name", "document"),
    [
        ("ehpad-les-cedres-2025", "preparation-dialogue-2027-10-15"),
        ("chrs-estuaire-2026", "preparation-dialogue-2028-10-12"),
    ],
)
def test_a_first_preparatory_file_has_no_table_of_non_evalue(
    built: Path, name: str, document: str
) -> None:
    """cedres and chrs: before any compte-rendu, « Statut des objectifs » listed every objective
    as « non évalué », then the sentence « Aucune valeur réalisée n'est encore connue … » and the
    list of the objectives no compte-rendu has examined said it twice more. The table is gone;
    the sentence and the list stay."""
    text = _pdf_text(built, name, document)
    assert "Statut des objectifs" not in text
    assert "Aucune valeur réalisée n’est encore connue pour l’exercice" in text
    assert "Objectifs qu’aucun compte-rendu n’a encore examinés : • O1 –" in text
    paragraphs = _docx_text(built, name, document)
    assert "Statut des objectifs" not in paragraphs
    assert any(p.startswith("Objectifs qu’aucun compte-rendu") for p in paragraphs)


def test_a_count_indicator_chart_has_whole_ticks(built: Path) -> None:
    """chrs preparatory file: « Nombre de ménages sortis vers un logement adapté » had y ticks
    « 18,5 … 22,5 » (half a household). A count's axis now ticks whole numbers only (the PNG of
    the DOCX draws the same ticks: test_chart_svg checks that both agree); a rate keeps its
    ticks."""
    text = "\n".join(_pages(built / CHRS / "preparation-dialogue-2028-10-12.pdf"))

    def ticks(heading: str) -> list[str]:
        chart = text[text.index(heading) :]
        chart = chart[: chart.index("2024    2025")]
        return re.findall(r"^\s+(\d+(?:,\d+)?)\s*$", chart, re.MULTILINE)

    counted = ticks("SORTIE-LA-NB – Nombre de ménages sortis vers un logement adapté (hors")
    assert counted and all("," not in tick for tick in counted), counted
    rate = ticks("SORTIE-LA – Taux de sortie vers un logement adapté (hors")
    assert any("," in tick for tick in rate), rate  # « 17,5 % »: a rate is not a count
