"""What a reader saw on the pages of the examples (session 12, visual14): a label column squeezed
by one long figure, read on the real PDFs (WeasyPrint, pdftotext -bbox) and DOCX."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from example_texts import CONTRACTS, CREATED

from cpomdocs.data.validate import check_folder
from cpomdocs.followup.reports import followup_jobs
from cpomdocs.render.pdf import render_pdf

Word = tuple[int, float, float, float, str]  # page, x min, x max, y (middle), text
HYPHEN = "\u2010"  # WeasyPrint's hyphenate-character
TEXT_WIDTH = 481.9  # points: A4 less 2 × 2 cm (print.css)


def pdf_words(pdf: bytes, folder: Path) -> list[Word]:
    """Every word of a PDF with its page and position (pdftotext -bbox)."""
    (folder / "d.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-bbox", "d.pdf", "d.html"], cwd=folder, check=True
    )
    found = []
    for page, text in enumerate((folder / "d.html").read_text(encoding="utf-8").split("<page ")):
        for x0, y0, x1, y1, word in re.findall(
            r'<word xMin="([^"]+)" yMin="([^"]+)" xMax="([^"]+)" yMax="([^"]+)">([^<]*)</word>',
            text,
        ):
            found.append((page, float(x0), float(x1), (float(y0) + float(y1)) / 2, word))
    return found


@pytest.fixture(scope="module")
def report_words(tmp_path_factory: pytest.TempPathFactory) -> list[Word]:
    """The words of the asba compte-rendu of 2026-10-08, as its PDF draws them."""
    folder = check_folder(CONTRACTS / "asba-beaujolais-2024")
    job = next(j for j in followup_jobs(folder) if "mi-parcours" in j.name)
    pdf = render_pdf(job.compose(CREATED, None), tagged=False)
    return pdf_words(pdf, tmp_path_factory.mktemp("report"))


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
