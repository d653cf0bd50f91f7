"""What session 16's reader of the built examples fixed: the versions annotées' annexe 5 ending
with two lines alone on a page, and the wording and typography found on the way."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document as WordDocument
from test_law18 import _pages, _planned, _stranded_pages

from cpomdocs.render.docx import render_docx
from cpomdocs.render.pdf import render_pdf

REDLINES = ["asba-beaujolais-2024", "chrs-estuaire-2026"]
CLOSING = "Évolution, EPRD et affectation des résultats"


# --- 1. The versions annotées: annexe 5's closing section kept on one page ---------------------


@pytest.mark.parametrize("name", REDLINES)
def test_a_version_annotee_does_not_end_annexe_5_with_lines_alone(
    name: str, tmp_path: Path
) -> None:
    """asba p. 31 and chrs p. 18 held the last two lines of annexe 5 (its old and new amounts
    side by side make it longer than the signed annexe): the closing section is now kept on
    one page when it fits one, and opens the page it moves to."""
    pdf = tmp_path / "d.pdf"
    pdf.write_bytes(render_pdf(_planned(name, "comparaisons/avenant-01").compose(), tagged=False))
    pages = _pages(pdf)
    assert _stranded_pages(pages) == []
    opening = [p for p in pages if any(line.strip() == CLOSING for line in p.splitlines())]
    assert len(opening) == 1
    body = [line for line in opening[0].splitlines() if line.strip()]
    assert body[1].strip() == CLOSING  # the heading opens its page (the running title first)
    following = [line for line in pages[pages.index(opening[0]) + 1].splitlines() if line.strip()]
    assert following[1].startswith("Annexe 6 –")  # the section, to its last line, on one page
    assert len(body) > 8


def test_the_docx_keeps_annexe_5_closing_section_together() -> None:
    """The DOCX says the same to Word: each paragraph of the closing section but the last
    keeps with the next one (LibreOffice already fitted it; Word's page may differ)."""
    data = render_docx(_planned("chrs-estuaire-2026", "comparaisons/avenant-01").compose())
    paragraphs = WordDocument(io.BytesIO(data)).paragraphs
    start = next(
        i for i, p in enumerate(paragraphs) if p.text == CLOSING and "Heading" in p.style.name
    )
    end = next(i for i, p in enumerate(paragraphs) if i > start and p.text.startswith("Annexe 6"))
    section = [p for p in paragraphs[start:end] if p.text.strip()]
    assert len(section) >= 4
    kept = [
        p.paragraph_format.keep_with_next or p.style.paragraph_format.keep_with_next
        for p in section
    ]  # a heading keeps with the next by its style
    assert kept[:-1] == [True] * (len(section) - 1)
