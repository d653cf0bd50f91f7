"""Inputs that validate must build: a 171-character name, a word longer than a line, an emoji."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import docx
import pytest

from cpomdocs.data.load import load_document
from cpomdocs.data.schema import Kind, check_model, check_schema
from cpomdocs.documents.compose import compose_annexes, compose_contract
from cpomdocs.render.docx import render_docx
from cpomdocs.render.pdf import render_pdf

MINIMAL = Path(__file__).parent / "fixtures" / "valid" / "ehpad-minimal" / "cpom.yaml"
# An ADAPEI-like name of 172 characters, so the DOCX title (« … – name – reference ») passes 255.
ADAPEI = (
    "Association départementale de parents et d'amis de personnes handicapées mentales "
    "du Morbihan et des territoires voisins réunis pour l'accompagnement et l'insertion sociale"
)
LONG_WORD = "Établissement" + "Supercalifragilistiqueexpidélilicieux" * 4
PAGE_WIDTH = 595.3  # A4 in points
RIGHT_MARGIN = 2 / 2.54 * 72  # print.css: 2 cm


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    """The minimal contract, renamed hostilely, validated, then its annexes as PDF and DOCX."""
    text = MINIMAL.read_text(encoding="utf-8")
    text = text.replace(
        "  nom: EHPAD public autonome Les Cèdres", f"  nom: {ADAPEI} 😀 {LONG_WORD}", 1
    )
    text = text.replace("    nom: EHPAD Les Cèdres", f"    nom: EHPAD {LONG_WORD}", 1)
    path = tmp_path_factory.mktemp("hostile") / "cpom.yaml"
    path.write_text(text, encoding="utf-8")
    document = load_document(path)
    assert check_schema(document, Kind.CONTRACT) == []
    contract, problems = check_model(document, Kind.CONTRACT)
    assert problems == [] and contract is not None
    made = {"contract_id": "x", "created": "2025-03-14"}
    annexes = compose_annexes(contract, **made)  # type: ignore[arg-type]
    # The annexes: the ESSMS name is a heading and an entry of the table of contents.
    return render_pdf(annexes), render_docx(compose_contract(contract, **made))  # type: ignore[arg-type]


def test_a_long_name_builds_with_shortened_docx_properties(rendered) -> None:
    _, docx_bytes = rendered
    properties = docx.Document(io.BytesIO(docx_bytes)).core_properties
    assert len(ADAPEI) == 172
    # With a long word after it (336 characters), the subject and the keywords pass
    # python-docx's limit of 255 characters, which used to stop the build.
    for text in (properties.subject, properties.keywords):
        # typeset as the rest of the document (review16): « d’amis »
        assert len(text) == 255 and text.endswith("…") and ADAPEI.replace("'", "’") in text


def test_no_word_runs_into_the_right_margin(rendered, tmp_path: Path) -> None:
    pdf, _ = rendered
    source = tmp_path / "c.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-bbox", str(source), str(tmp_path / "c.html")], check=True
    )
    boxes = (tmp_path / "c.html").read_text(encoding="utf-8", errors="replace")
    words = re.findall(r'<word xMin="[^"]+" yMin="[^"]+" xMax="([^"]+)"[^>]*>([^<]*)</word>', boxes)
    assert any("Supercalifragilistique" in word for _, word in words)
    overflowing = [word for x_max, word in words if float(x_max) > PAGE_WIDTH - RIGHT_MARGIN + 1]
    assert overflowing == []


def test_the_emoji_is_drawn_not_a_box(rendered, tmp_path: Path) -> None:
    pdf, _ = rendered
    source = tmp_path / "c.pdf"
    source.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(source)], capture_output=True, text=True).stdout
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(source), "-"], capture_output=True, text=True
    ).stdout
    assert "😀" in text
    assert "DejaVu" in fonts  # the fallback font that holds it, embedded
