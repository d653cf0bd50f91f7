"""The PDF and the DOCX of each example document say the same thing (DESIGN.md, property 2).

What is compared, exactly:
- DOCX: the text (w:t) of the body in document order, table cells row by row, the pre-filled
  table of contents included; the header, the footer and the watermark are not in the body.
- PDF: the text pypdf extracts, page by page, less the page furniture that the DOCX keeps in its
  header and footer (running title, version label, watermark: the exact strings the DOCX header,
  first-page footer and watermark hold, removed from both sides), less « page X / Y », less the
  table of contents' dot leaders and page numbers, less the bullets « • » (Word draws its list
  markers, they are not text), less the hyphens WeasyPrint adds when it breaks a word at a line
  end (U+2010 then a line break), less a table's header row repeated at the top of a page.
- Then all whitespace is removed on both sides: pypdf's spacing between table cells and at
  line ends is not reliable, while every character must match, in order.
Numbered-list numbers are not compared: the examples have no numbered list.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest

from cpomdocs.build import BuildReport

CONTRACTS = Path(__file__).resolve().parent.parent / "contracts"
EXAMPLES = sorted(p.name for p in CONTRACTS.iterdir() if (p / "cpom.yaml").is_file())
DOCUMENTS = [(cid, name) for cid in EXAMPLES for name in ("contrat", "annexes")]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def built(built_examples: tuple[Path, BuildReport]) -> Path:
    """The examples, built once per session (conftest.py) as PDF and DOCX."""
    output, report = built_examples
    assert report.failed == []
    return output


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
                texts.append("".join(t.text or "" for t in child.iter(f"{W}t")))
            elif child.tag == f"{W}tbl":
                rows = list(child.iterchildren(f"{W}tr"))
                if rows and rows[0].find(f"{W}trPr/{W}tblHeader") is not None:
                    headers.append(squash("".join(t.text or "" for t in rows[0].iter(f"{W}t"))))
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
    for page in pypdf.PdfReader(path).pages:
        text = re.sub("\u2010\\s+", "", page.extract_text())
        text = re.sub(r"\s*\.{4,}\s*\d+", "", text)
        text = re.sub(r"page \d+ / \d+", "", text).replace("•", "")
        for item in furniture:
            text = text.replace(item, "")
        pages.append(squash(text))
    return pages


def first_difference(found: str, expected: str) -> int:
    return next(
        (i for i, (a, b) in enumerate(zip(found, expected, strict=False)) if a != b), len(found)
    )


@pytest.mark.parametrize(("contract", "name"), DOCUMENTS, ids=lambda v: v)
def test_pdf_and_docx_hold_the_same_text(built: Path, contract: str, name: str) -> None:
    body, headers, furniture = docx_text(built / contract / f"{name}.docx")
    assert all(furniture[:2]), "en-tête ou pied de page vide"
    expected = squash(body)
    for item in furniture:
        expected = expected.replace(squash(item), "")
    position = 0
    for number, page in enumerate(pdf_pages(built / contract / f"{name}.pdf", furniture), 1):
        if not expected.startswith(page, position):
            repeated = [h for h in headers if page.startswith(h)]
            if repeated and expected.startswith(page[len(repeated[0]) :], position):
                page = page[len(repeated[0]) :]
            else:
                at = first_difference(page, expected[position:])
                pytest.fail(
                    f"page {number} : le PDF et le DOCX divergent\n"
                    f"  PDF  : …{page[max(at - 60, 0) : at + 60]}…\n"
                    f"  DOCX : …{expected[position + max(at - 60, 0) : position + at + 60]}…"
                )
        position += len(page)
    assert expected[position:] == "", "le DOCX contient du texte absent du PDF"


def test_the_examples_have_tables_that_run_across_pages(built: Path) -> None:
    """The repeated-header rule above is exercised, not dead code."""
    _, headers, furniture = docx_text(built / "fondation-val-d-ouche-2027" / "annexes.docx")
    pages = pdf_pages(built / "fondation-val-d-ouche-2027" / "annexes.pdf", furniture)
    assert any(page.startswith(h) for page in pages[1:] for h in headers)
