"""Table columns of the example documents: no date, amount or percentage in a cell is hyphenated
or split over two lines (real WeasyPrint PDFs of every table, read back with pdftotext -bbox)."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from cpomdocs.build.catalog import contract_input, planned_documents
from cpomdocs.build.inputs import folder_digest
from cpomdocs.documents import typography
from cpomdocs.documents.blocks import Block, ComposedDocument, ListBlock, Section, Table
from cpomdocs.render.columns import PDF, column_widths, text_width
from cpomdocs.render.pdf import PDF_TEXT_WIDTH

EXAMPLES = Path(__file__).resolve().parents[1] / "contracts"
HYPHEN = "\u2010"  # WeasyPrint's hyphenate-character
MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
MONTH = re.compile(f"\\(?({MONTHS})\\W*")
DAY = re.compile(r"\(?(1|1er|\d{1,2})")
YEAR = re.compile(r"\d{4}\W*")
UNIT = re.compile(r"(€|%|k€)\W*")
Word = tuple[int, float, float, str]  # page, x, y (middle of the line), text


WIDE = 7  # pdf.WIDE_TABLE_COLUMNS
TEXT_TOP, TEXT_BOTTOM = 62, 780  # points: print.css's page margins (2.2 cm), less its header


def _tables(blocks: list[Block]) -> Iterator[Table]:
    for block in blocks:
        if isinstance(block, Table):
            yield block
        elif isinstance(block, Section):
            yield from _tables(block.children)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from _tables(item)


def _example_tables() -> tuple[list[Table], object]:
    tables: list[Table] = []
    meta = None
    for name in ("asba-beaujolais-2024", "chrs-estuaire-2026", "fondation-val-d-ouche-2027"):
        folder = EXAMPLES / name
        source = contract_input(folder, None, None, folder_digest(folder))
        for planned in planned_documents(source):
            document = planned.compose()
            meta = meta or document.meta
            tables.extend(_tables(document.blocks))
    return tables, meta


@pytest.fixture(scope="module")
def words(tmp_path_factory: pytest.TempPathFactory) -> list[Word]:
    """Every word of every table of the examples' documents, each table as the PDF draws it."""
    tables, meta = _example_tables()
    assert len(tables) > 100
    return _pdf_words(list(tables), meta, tmp_path_factory.mktemp("columns"))


@pytest.fixture(scope="module")
def wide_words(tmp_path_factory: pytest.TempPathFactory) -> list[Word]:
    """Every word of the examples' tables of 7 columns or more (7.5 pt, amounts by year)."""
    tables, meta = _example_tables()
    wide = [t for t in tables if len(t.header) >= WIDE]
    assert len(wide) > 20
    return _pdf_words(list(wide), meta, tmp_path_factory.mktemp("wide"))


def _pdf_words(tables: list[Block], meta: object, folder: Path) -> list[Word]:
    from cpomdocs.render.pdf import render_pdf

    pdf = render_pdf(typography.typeset(ComposedDocument(meta, tables)), tagged=False)
    (folder / "t.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-bbox", "t.pdf", "t.html"], cwd=folder, check=True
    )
    found = []
    for page, text in enumerate((folder / "t.html").read_text(encoding="utf-8").split("<page ")):
        for x, y0, y1, word in re.findall(
            r'<word xMin="([^"]+)" yMin="([^"]+)" xMax="[^"]+" yMax="([^"]+)">([^<]*)</word>', text
        ):
            found.append((page, float(x), (float(y0) + float(y1)) / 2, word))
    return found


def _same_line(a: Word, b: Word) -> bool:
    return a[0] == b[0] and abs(a[2] - b[2]) < 4  # a superscript « er » is 2 pt higher


def test_no_date_amount_or_percentage_is_hyphenated(words: list[Word]) -> None:
    cut = [
        f"{word}{after}"
        for (_, _, _, word), (_, _, _, after) in zip(words, words[1:], strict=False)
        if word.endswith(HYPHEN)
        and (MONTH.fullmatch(word.rstrip(HYPHEN) + after) or re.search(r"\d", word + after))
    ]
    assert cut == []


def test_no_date_amount_or_percentage_is_split_over_two_lines(words: list[Word]) -> None:
    split = []
    # the running header and footer (« … – version 4 ») are not table text: pdftotext may put
    # them beside a cell's words (« 4 » before « septembre » of « 1er septembre 2028 »)
    words = [w for w in words if TEXT_TOP < w[2] < TEXT_BOTTOM]
    for before, after in zip(words, words[1:], strict=False):
        held = (
            (DAY.fullmatch(before[3]) and MONTH.fullmatch(after[3]))
            or (MONTH.fullmatch(before[3]) and YEAR.fullmatch(after[3]))
            or (re.search(r"\d$", before[3]) and UNIT.fullmatch(after[3]))
        )
        if held and not _same_line(before, after):
            split.append(f"{before[3]} / {after[3]} (page {before[0]})")
    assert split == []


def test_no_word_of_a_wide_table_is_cut(wide_words: list[Word]) -> None:
    """Labels of the financing tables: « ARS / Auvergne-Rhône-Alpes », not « ARS Auvergne-Rhône-
    / Alpes »; « Crédits non / reconductibles », not « re- / conductibles »."""
    cut = [
        f"{word} / {after}"
        for (_, _, _, word), (_, _, _, after) in zip(wide_words, wide_words[1:], strict=False)
        if word.endswith((HYPHEN, "-"))
    ]
    assert cut == []


def test_a_date_without_its_year_keeps_its_cell_from_hyphenation() -> None:
    from cpomdocs.render.pdf import _table

    cell = "à compter du 1er septembre"
    table = Table([[_run("Action")], [_run("Échéance")]], [[[_run("A1")], [_run(cell)]]])
    html = _table(typography.blocks([table])[0])
    assert '<td class="held">à compter du 1<sup>er</sup>\u00a0septembre</td>' in html


def test_a_date_column_is_as_wide_as_its_widest_date() -> None:
    dates = ["30\u00a0septembre\u00a02024", "1er\u00a0septembre\u00a02025", "31\u00a0mai\u00a02026"]
    long = "Réserver deux places d’hébergement temporaire aux sorties d’hospitalisation " * 3
    table = Table(
        [[_run(h)] for h in ("Action", "Libellé", "Pilote", "Échéance", "Moyens")],
        [[[_run(c)] for c in ("A1.1", long, "directrice de l’EHPAD", d, long)] for d in dates],
    )
    widths = column_widths(table, 17, PDF_TEXT_WIDTH, deletions_shown=True, font=PDF)
    widest = max(text_width(date, 17, False, PDF) for date in dates)
    assert widths[3] >= widest + 170  # the cell's padding in print.css: 2 × 0.15 cm


def _run(text: str):  # noqa: ANN202
    from cpomdocs.documents.blocks import Run

    return Run(text)
