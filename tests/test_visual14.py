"""What a reader saw on the pages of the examples (session 12, visual14): a label column squeezed
by one long figure, read on the real PDFs (WeasyPrint, pdftotext -bbox) and DOCX."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from example_texts import CONTRACTS, CREATED, checked

from cpomdocs.build.catalog import contract_input, planned_documents
from cpomdocs.build.inputs import folder_digest
from cpomdocs.build.schedule import BuildReport
from cpomdocs.data.model import Contract
from cpomdocs.data.validate import check_folder
from cpomdocs.documents.compose import compose_contract
from cpomdocs.followup import charts
from cpomdocs.render.docx import render_docx

Word = tuple[int, float, float, float, str]  # page, x min, x max, y (middle), text
HYPHEN = "\u2010"  # WeasyPrint's hyphenate-character
TEXT_WIDTH = 481.9  # points: A4 less 2 × 2 cm (print.css)


def pdf_words(pdf: Path) -> list[Word]:
    """Every word of a PDF with its page and position (pdftotext -bbox)."""
    command = ["pdftotext", "-enc", "UTF-8", "-bbox", str(pdf), "-"]
    html = subprocess.run(command, capture_output=True, check=True).stdout.decode("utf-8")
    found = []
    for page, text in enumerate(html.split("<page ")):
        for x0, y0, x1, y1, word in re.findall(
            r'<word xMin="([^"]+)" yMin="([^"]+)" xMax="([^"]+)" yMax="([^"]+)">([^<]*)</word>',
            text,
        ):
            found.append((page, float(x0), float(x1), (float(y0) + float(y1)) / 2, word))
    return found


@pytest.fixture(scope="module")
def report_words(built_examples: tuple[Path, BuildReport]) -> list[Word]:
    """The words of the asba compte-rendu of 2026-10-08, as its built PDF draws them."""
    built = built_examples[0] / "asba-beaujolais-2024" / "comptes-rendus"
    return pdf_words(built / "2026-10-08-point-a-mi-parcours.pdf")


def test_one_long_figure_does_not_squeeze_the_objectives_labels(report_words: list[Word]) -> None:
    """Compte-rendu asba 2026-10-08, p. 3: « 232 kWh/m²/an (2022) » widened its column for
    every row; the labels got 23 % of the table, hyphenated on most lines, over two pages."""
    words = report_words
    head = next(i for i, w in enumerate(words) if w[4] == "Objectif" and words[i + 1][4] == "et")
    end = next(i for i, w in enumerate(words) if w[4] == "Statut" and words[i + 1][4] == "des")
    table = words[head:end]
    first = next(w for w in table if w[4] == "TO-HT")
    last = next(w for w in table if w[4] == "ENERGIE")
    assert first[0] == last[0]  # the whole summary on one page
    line = [w for w in table if w[0] == first[0] and abs(w[3] - first[3]) < 2]
    label = [w for w in line if w[1] < next(w[1] for w in line if w[4] == "68,2")]
    assert label[-1][2] - label[0][1] > 0.3 * TEXT_WIDTH  # was « O1 · TO-HT – Taux d’occu- »
    # the long figures wrap between their number and their unit, never inside the unit
    units = [w[4] for w in table if "kWh" in w[4]]
    assert units == ["kWh/m²/an"] * 4, units


@pytest.fixture(scope="module")
def annex_words(built_examples: tuple[Path, BuildReport]) -> list[Word]:
    """The words of the asba annexes, as their built PDF draws them."""
    return pdf_words(built_examples[0] / "asba-beaujolais-2024" / "annexes.pdf")


def test_proper_names_and_acronyms_are_not_hyphenated(annex_words: list[Word]) -> None:
    """Annexes asba: « Accueil de jour La Paren-thèse » in the habilitation table's first
    column, « centre hospitalier de Ville-franche », « plateforme OPE-RAT »."""
    cut = [w[4] for w in annex_words if w[4].endswith(HYPHEN)]
    assert [w for w in cut if w[0].isupper()] == []
    assert len(cut) > 20  # the other words still are, where the lines need it


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) absent")
def test_the_docx_contents_give_each_heading_its_page_in_libreoffice(tmp_path: Path) -> None:
    """The DOCX « Sommaire » listed its headings without page numbers once LibreOffice made a
    PDF of it: a TOC field's result is shown as written. Each entry now has a PAGEREF field."""
    data, _ = checked("asba-beaujolais-2024")
    document = compose_contract(Contract.model_validate(data), contract_id="x", created=CREATED)
    (tmp_path / "contrat.docx").write_bytes(render_docx(document))
    profile = f"-env:UserInstallation=file://{tmp_path}/profile"
    command = ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path)]
    subprocess.run([*command, str(tmp_path / "contrat.docx")], capture_output=True, timeout=300)
    layout = ["pdftotext", "-layout", str(tmp_path / "contrat.pdf"), "-"]
    pages = subprocess.run(layout, capture_output=True, text=True, check=True).stdout.split("\f")
    sommaire = next(page for page in pages if "Sommaire" in page)
    entries = re.findall(r"^\s*(\S.*?)\.{4,}\s*(\d+)\s*$", sommaire, re.MULTILINE)
    assert len(entries) >= 10
    for label, number in entries:
        assert label[:30] in " ".join(pages[int(number) - 1].split()), (label, number)


def test_a_chart_axis_label_is_not_cut_by_finer_tick_labels() -> None:
    """Compte-rendu fondation, p. 4 (TO-MAS): ticks « 93,5 … 97,5 » while the left margin was
    counted for « 93 … 98 »: the axis label « en % » was cut at the chart's left edge."""
    from test_chart_svg import TEXT, indicator

    targets = {2027: 95, 2028: 95.5, 2029: 96, 2030: 96.5, 2031: 97}
    drawing = charts.ChartDrawing("k", "X", indicator(93.8, targets), {}, None, True)
    svg = drawing.draw(["svg"])["svg"].decode("utf-8")
    assert "97,5" in [text for _, _, text in TEXT.findall(svg)]
    x = next(float(x) for x, _, text in TEXT.findall(svg) if text == "en %")
    assert x > 8 * 0.76  # rotated: the label's glyphs rise this far left of x (8 pt, ascent)


def test_the_portfolio_page_is_written_with_french_typography(tmp_path: Path) -> None:
    """The portfolio page: « du 1er janvier 2027 au 31 / décembre 2031 » cut across two lines,
    « Val d'Ouche », « Taux d'atteinte » with a typewriter apostrophe beside the documents’ ’."""
    from cpomdocs.build.portfolio import write_portfolio

    folder = check_folder(CONTRACTS / "fondation-val-d-ouche-2027")
    html = write_portfolio([folder], tmp_path, today=dt.date(2026, 12, 3)).read_text("utf-8")
    text = html[html.index("<body") :]
    assert "du 1er\u00a0janvier\u00a02027 au 31\u00a0décembre\u00a02031" in text
    assert "Fondation Val d’Ouche" in text and "Taux d’atteinte" in text
    words = re.sub(r"<[^>]*>", "", text)
    assert "'" not in words  # no typewriter apostrophe in the text
    assert not re.search(" [;:!?]", words)  # a no-break space before « ; : ! ? »


def test_a_hyphenated_proper_name_is_one_unhyphenated_span() -> None:
    """Contract fondation, p. 10: « Bourgogne-F / ranche-Comté » cut inside a word when each
    part of the name was a span of its own (no line break at a hyphen between two spans)."""
    from cpomdocs.documents.blocks import Run
    from cpomdocs.render.html_inline import inline_html

    text = "l’Agence de santé Bourgogne-Franche-Comté (ARS), Clermont-l’Hérault"
    html = inline_html([Run(text)], names=True)
    assert '<span class="name">Bourgogne-Franche-Comté</span> (ARS)' in html
    assert '<span class="name">Agence</span>' in html
    assert '<span class="name">Clermont-l’Hérault</span>' in html


def test_paragraphs_carry_no_name_spans() -> None:
    """Each `<span class="name">` is a box of its own to WeasyPrint: in every paragraph they
    cost it 12 % more instructions on the asba contract; they stay in wrapping table cells."""
    from cpomdocs.render.pdf import render_html

    folder = CONTRACTS / "asba-beaujolais-2024"
    source = contract_input(folder, None, None, folder_digest(folder))
    planned = next(p for p in planned_documents(source) if p.name == "contrat")
    html = render_html(planned.compose())
    paragraphs = re.findall(r"<p[ >].*?</p>", html)
    assert len(paragraphs) > 100 and not [p for p in paragraphs if 'class="name"' in p]
    assert '<span class="name">' in html  # in the cells that wrap, names are still kept whole
