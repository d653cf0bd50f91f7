"""A Markdown link in prose keeps its target in both writers, and says it in print."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx_samples import meta
from pypdf import PdfReader

from cpomdocs.documents.blocks import ComposedDocument
from cpomdocs.documents.markdown import markdown_to_blocks
from cpomdocs.render.docx import render_docx
from cpomdocs.render.pdf import render_html, render_pdf

PROSE = (
    "Voir le [cahier des charges](https://www.ars.sante.fr/cahier.pdf), "
    "<https://www.legifrance.gouv.fr> et [écrire](mailto:cpom@ars.fr) ; "
    "[pas ceci](javascript:alert(1))."
)
URL = "https://www.ars.sante.fr/cahier.pdf"


@pytest.fixture(scope="module")
def document() -> ComposedDocument:
    return ComposedDocument(meta(watermark=""), markdown_to_blocks(PROSE))


def test_the_blocks_keep_the_targets(document: ComposedDocument) -> None:
    runs = document.blocks[0].runs
    assert [(r.text, r.link) for r in runs if r.link] == [
        (f"cahier des charges ({URL})", URL),  # the address printed after the text
        ("https://www.legifrance.gouv.fr", "https://www.legifrance.gouv.fr"),
        ("écrire (cpom@ars.fr)", "mailto:cpom@ars.fr"),
    ]
    assert "javascript" not in "".join(r.link for r in runs)


def test_the_pdf_has_link_annotations_and_prints_the_address(document) -> None:
    html = render_html(document)
    assert f'<a href="{URL}">cahier des charges ({URL})</a>' in html
    reader = PdfReader(io.BytesIO(render_pdf(document)))
    targets = {
        annotation.get_object()["/A"].get("/URI")
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if annotation.get_object().get("/Subtype") == "/Link"
    }
    assert {URL, "https://www.legifrance.gouv.fr", "mailto:cpom@ars.fr"} <= targets
    text = " ".join(reader.pages[0].extract_text().split())
    assert f"cahier des charges ({URL})" in text


def test_the_docx_has_hyperlinks(document) -> None:
    with zipfile.ZipFile(io.BytesIO(render_docx(document))) as archive:
        body = archive.read("word/document.xml").decode("utf-8")
        rels = archive.read("word/_rels/document.xml.rels").decode("utf-8")
    assert f'Target="{URL}" TargetMode="External"' in rels
    assert body.count("<w:hyperlink r:id=") == 3
    assert f"cahier des charges ({URL})" in body
