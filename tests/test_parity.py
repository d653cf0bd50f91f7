"""The PDF and the DOCX of each example document say the same thing (DESIGN.md, property 2).

What is compared, exactly:
- DOCX: the text (w:t) of the body in document order, table cells row by row, the pre-filled
  table of contents included; the header, the footer and the watermark are not in the body.
- PDF: the text pypdf extracts, page by page, less the page furniture that the DOCX keeps in its
  header and footer (running title, version label, watermark: the exact strings the DOCX header,
  first-page footer and watermark hold, removed from both sides), less « page X / Y », less the
  table of contents' dot leaders (three dots or more) and page numbers, less the list markers
  (« • », « ◦ », « 1. » followed by a space at a line end: pypdf gives WeasyPrint's markers
  apart, and Word draws its list markers, they are not text), less the hyphens WeasyPrint
  adds when it breaks a word at a line end (U+2010 then a line break), less a table's header
  row repeated at the top of a page.
- Then all whitespace is removed on both sides: pypdf's spacing between table cells and at
  line ends is not reliable, while every character must match, in order.
- Figures: the DOCX has a PNG (no text), the PDF an SVG chart whose labels pypdf extracts, not
  always where the chart stands. The PDF may therefore hold up to CHART_TEXT extra characters
  per figure of the document, skipped where the DOCX's text resumes; the DOCX may hold nothing
  that the PDF lacks. A document without figures must match exactly.
Every document of every example is compared: contract, annexes, avenants, consolidated
versions, meeting minutes… (each PDF of the build that has its DOCX beside it).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest
from pdftext import page_texts

CONTRACTS = Path(__file__).resolve().parent.parent / "contracts"
EXAMPLES = sorted(p.name for p in CONTRACTS.iterdir() if (p / "cpom.yaml").is_file())
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FIGURE = "\x00"  # a picture in the DOCX: the PDF may have the text of an SVG chart
CHART_TEXT = 400  # characters of labels a chart may add to the PDF's text
ANCHOR = 40  # characters of the DOCX that show where the PDF's text resumes


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def docx_text(path: Path) -> tuple[str, list[str], list[str]]:
    """The body's text, the header row of each table, and the page furniture strings."""
    document = docx.Document(path)
    texts: list[str] = []
    headers: list[str] = []

    def walk(element) -> None:
        for child in element.iterchildren():
            if child.tag == f"{W}p":
                # a redline's deleted words are in the DOCX as in the PDF (struck through)
                # a w:noBreakHyphen is a hyphen that never ends a line (references, codes)
                pieces = child.iter(f"{W}t", f"{W}delText", f"{W}noBreakHyphen")
                texts.append(
                    "".join("-" if t.tag.endswith("Hyphen") else t.text or "" for t in pieces)
                )
                if next(child.iter(f"{W}drawing"), None) is not None:
                    texts.append(FIGURE)
            elif child.tag == f"{W}tbl":
                rows = list(child.iterchildren(f"{W}tr"))
                if rows and rows[0].find(f"{W}trPr/{W}tblHeader") is not None:
                    cells = rows[0].iter(f"{W}t", f"{W}noBreakHyphen")
                    headers.append(
                        squash(
                            "".join(
                                "-" if t.tag.endswith("Hyphen") else t.text or "" for t in cells
                            )
                        )
                    )
                for row in rows:
                    for cell in row.iterchildren(f"{W}tc"):
                        walk(cell)

    walk(document.element.body)
    section = document.sections[0]
    header_xml = zipfile.ZipFile(path).read("word/header1.xml").decode("utf-8")
    furniture = [
        section.header.paragraphs[0].text.strip(),
        section.first_page_footer.paragraphs[0].text.strip(),
        *re.findall(r'string="([^"]+)"', header_xml),
    ]
    return "".join(texts), headers, furniture


def pdf_pages(path: Path, furniture: list[str]) -> list[str]:
    """Each page's text without furniture, leaders, bullets, hyphenation, whitespace."""
    pages = []
    for page in page_texts(path):
        text = re.sub("\u2010\\s+", "", page)
        text = re.sub(r"\s*\.{3,}\s*\d+", "", text)
        text = re.sub(r"page \d+ / \d+", "", text)
        text = re.sub(r"(?m)^\d+\. $", "", text)  # WeasyPrint's list markers end with a space
        text = re.sub(r"[•◦▪] (?=\n|$)", "", text)
        for item in furniture:
            text = text.replace(item, "")
        pages.append(squash(text))
    return pages


def first_difference(found: str, expected: str) -> int:
    pairs = enumerate(zip(found, expected, strict=False))
    return next((i for i, (a, b) in pairs if a != b), min(len(found), len(expected)))


def difference(pdf: Path, docx_path: Path) -> str:
    """Where the PDF and the DOCX stop saying the same thing, or "" when they agree."""
    body, headers, furniture = docx_text(docx_path)
    if not all(furniture[:2]):
        return "en-tête ou pied de page vide"
    expected = squash(body)
    for item in furniture:
        expected = expected.replace(squash(item), "")
    # SVG charts put their labels in the PDF's text (not always where the chart stands), the
    # DOCX has a PNG: the PDF may hold that much extra text per figure, never the DOCX.
    budget = CHART_TEXT * expected.count(FIGURE)
    expected = expected.replace(FIGURE, "")
    position = 0
    for number, page in enumerate(pdf_pages(pdf, furniture), 1):
        start = 0
        repeated = [h for h in headers if page.startswith(h)]
        if repeated and not expected.startswith(repeated[0], position):
            start = len(repeated[0])  # a table's header row repeated at the top of the page
        while start < len(page):
            at = first_difference(page[start:], expected[position:])
            start, position = start + at, position + at
            if start == len(page):
                break
            anchor = expected[position : position + ANCHOR]
            found = page.find(anchor, start) if anchor else -1
            extra = (found if found >= 0 else len(page)) - start
            if extra > budget:
                return (
                    f"page {number} : le PDF et le DOCX divergent\n"
                    f"  PDF  : …{page[max(start - 60, 0) : start + 60]}…\n"
                    f"  DOCX : …{expected[max(position - 60, 0) : position + 60]}…"
                )
            budget, start = budget - extra, start + extra
    rest = expected[position:]
    return f"le DOCX contient du texte absent du PDF : {rest[:120]}…" if rest else ""


@pytest.mark.parametrize("contract", EXAMPLES)
def test_pdf_and_docx_of_every_document_hold_the_same_text(built: Path, contract: str) -> None:
    pairs = [
        (pdf, pdf.with_suffix(".docx"))
        for pdf in sorted((built / contract).rglob("*.pdf"))
        if pdf.with_suffix(".docx").is_file()
    ]
    assert {"contrat", "annexes"} <= {pdf.stem for pdf, _ in pairs}
    problems = {str(pdf.relative_to(built)): difference(pdf, docx_path) for pdf, docx_path in pairs}
    assert {name: text for name, text in problems.items() if text} == {}


def test_the_examples_have_tables_that_run_across_pages(built: Path) -> None:
    """The repeated-header rule above is exercised, not dead code."""
    _, headers, furniture = docx_text(built / "fondation-val-d-ouche-2027" / "annexes.docx")
    pages = pdf_pages(built / "fondation-val-d-ouche-2027" / "annexes.pdf", furniture)
    assert any(page.startswith(h) for page in pages[1:] for h in headers)
