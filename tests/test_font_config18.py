"""One WeasyPrint FontConfiguration per process (render/engine.py): documents without @font-face
share it, and a PDF made after other documents is byte for byte the PDF made alone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from cpomdocs.documents.blocks import (
    ComposedDocument,
    DocumentMeta,
    Heading,
    Paragraph,
    Run,
    Table,
)
from cpomdocs.render.engine import font_config
from cpomdocs.render.pdf import render_html, render_pdf

META = DocumentMeta("T", "T", "A", "S", [], "v1", "2025-03-14T09:00:00Z")
TEXT = "L’organisme gestionnaire s’engage à améliorer la qualité de l’accompagnement. " * 8
ALONE = """
import sys
from cpomdocs.documents.blocks import ComposedDocument, Paragraph, Run
from tests.test_font_config18 import META, TEXT
from cpomdocs.render.pdf import render_pdf
sys.stdout.buffer.write(render_pdf(ComposedDocument(META, [Paragraph([Run(TEXT)])])))
"""


def _other() -> ComposedDocument:
    """A document with other fonts than TEXT's: a heading, bold, italic, a condensed table."""
    table = Table([[Run("Année")], [Run("Montant")]], [[[Run("2025")], [Run("12 000 €")]]])
    runs = [Run("Gras", bold=True), Run(" et italique", italic=True)]
    body = [Heading(1, [Run("Titre de section")]), Paragraph(runs), table]
    return ComposedDocument(META, body)


def test_documents_without_font_face_share_one_configuration() -> None:
    html = render_html(ComposedDocument(META, [Paragraph([Run(TEXT)])]))
    assert font_config(html) is font_config(render_html(_other()))


def test_a_stylesheet_with_font_face_gets_its_own_configuration() -> None:
    plain = render_html(ComposedDocument(META, [Paragraph([Run(TEXT)])]))
    faced = plain.replace("<style>", '<style>@font-face { font-family: X; src: local("A"); }')
    own = font_config(faced)
    assert own is not font_config(plain) and own is not font_config(faced)


def test_a_pdf_made_after_other_documents_is_the_pdf_made_alone() -> None:
    root = Path(__file__).resolve().parent.parent
    alone = subprocess.run(
        [sys.executable, "-c", ALONE], cwd=root, capture_output=True, check=True
    ).stdout
    render_pdf(_other())
    after = render_pdf(ComposedDocument(META, [Paragraph([Run(TEXT)])]))
    assert alone.startswith(b"%PDF-") and after == alone
