"""French hyphenation in the PDF: body paragraphs still hyphenated, narrow cells cut as a
typographer would (6 letters at least, 2 before the hyphen, 3 after), nothing overflows."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from cpomdocs.documents.blocks import ComposedDocument, DocumentMeta, Paragraph, Run, Table
from cpomdocs.render.pdf import render_pdf

HYPHEN = "\u2010"  # WeasyPrint's hyphenate-character
BODY = (
    "L’établissement s’engage à mettre en œuvre l’accompagnement personnalisé des résidents, "
    "la professionnalisation des intervenants, la contractualisation avec les partenaires "
    "hospitaliers, l’individualisation des projets d’accompagnement et la structuration "
    "des coopérations interdépartementales, conformément aux recommandations de bonnes "
    "pratiques professionnelles et aux orientations du schéma régional de santé. "
) * 3
LONG_WORD = "anticonstitutionnellement"
# An action table of the synthetic portfolio's annexes (scripts/gen_portfolio.py): before
# print.css's hyphenate-limit-chars, « suivi » was cut « sui-vi » in its Libellé column.
HEADER = ["Action", "Libellé", "Pilote", "Échéance", "Moyens"]
ROWS = [
    [f"A1.{n}", f"Action {n} de l’objectif 1 : plan de travail, formation et suivi"]
    + ["responsable qualité", f"31 décembre 202{n + 4}", "–"]
    for n in (1, 2)
]


def _cells(texts: list[str]) -> list[list[Run]]:
    return [[Run(text)] for text in texts]


@pytest.fixture(scope="module")
def words(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[float, float, str]]:
    """(xMin, xMax, word) of every word of a PDF with a justified paragraph and the table."""
    meta = DocumentMeta("T", "T", "A", "S", [], "v1", "2025-03-14T09:00:00Z")
    table = Table(_cells(HEADER), [_cells(row) for row in ROWS])
    pdf = render_pdf(ComposedDocument(meta, [Paragraph([Run(BODY)]), table]), tagged=False)
    return _words(pdf, tmp_path_factory.mktemp("hyphens"))


def _words(pdf: bytes, folder: Path) -> list[tuple[float, float, str]]:
    """(xMin, xMax, word) of every word of the PDF, in reading order (pdftotext -bbox)."""
    (folder / "t.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-bbox", "t.pdf", "t.html"], cwd=folder, check=True
    )
    boxes = (folder / "t.html").read_text(encoding="utf-8")
    found = re.findall(
        r'<word xMin="([^"]+)" yMin="[^"]+" xMax="([^"]+)"[^>]*>([^<]*)</word>', boxes
    )
    return [(float(x_min), float(x_max), word) for x_min, x_max, word in found]


def _cut(words: list[tuple[float, float, str]]) -> list[tuple[str, str]]:
    """Each word cut at a line end: (the part before the hyphen, the first word after it)."""
    return [
        (words[i][2].rstrip(HYPHEN), words[i + 1][2])
        for i in range(len(words) - 1)
        if words[i][2].endswith(HYPHEN)
    ]


def test_justified_paragraphs_are_still_hyphenated(words) -> None:
    body_cuts = [cut for cut in _cut(words) if cut[0] + cut[1] in BODY]
    assert len(body_cuts) >= 2, _cut(words)


def test_no_cut_leaves_fewer_than_three_letters_or_cuts_a_short_word(words) -> None:
    cuts = _cut(words)
    assert cuts, "nothing was hyphenated"
    for before, after in cuts:
        letters_before = re.sub(r"^.*[’'(]", "", before)  # « l’héber- » counts « héber »
        letters_after = re.match(r"[^\W\d_]*", after).group()
        assert len(letters_before) >= 2 and len(letters_after) >= 3, (before, after)
        assert len(letters_before + letters_after) >= 6, (before, after)


def test_long_words_in_narrow_cells_stay_in_their_cells(tmp_path: Path) -> None:
    header = [f"Colonne {n}" for n in range(1, 9)]  # 8 columns of long words: each too narrow
    rows = [[LONG_WORD, "interdépartementales", "professionnalisation", "hébergement"] * 2] * 2
    meta = DocumentMeta("T", "T", "A", "S", [], "v1", "2025-03-14T09:00:00Z")
    table = Table(_cells(header), [_cells(row) for row in rows])
    pdf = render_pdf(ComposedDocument(meta, [table]), tagged=False)
    found = _words(pdf, tmp_path)
    lefts = sorted({x_min for x_min, _, word in found if word == "Colonne"})
    assert len(lefts) == 8
    pieces = [w for w in found if any(w[2].rstrip(HYPHEN) in cell for cell in rows[0])]
    cut = [word for _, _, word in pieces if word.endswith(HYPHEN)]
    assert any("interdépartementales".startswith(word.rstrip(HYPHEN)) for word in cut), cut
    for x_min, x_max, word in pieces:
        column = max(n for n, left in enumerate(lefts) if left <= x_min + 1)
        if column + 1 < len(lefts):  # 2 pt: the cell's padding, then the next cell's text
            assert x_max < lefts[column + 1] - 2, (word, x_max, lefts[column + 1])
