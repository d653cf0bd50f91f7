"""A fresh draft (`cpomdocs new`) prints each value « à compléter » as a highlighted blank
« [à compléter] », the same in the PDF and the DOCX: never as text that reads like a value
(« Fait à à compléter »), nor as a fictitious FINESS « 00 000 000 0 »."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from cpomdocs import fmt
from cpomdocs.cli.main import main

BLANK = "[à compléter]"


def _plain(text: str) -> str:
    text = text.replace("\u2010\n", "").replace("’", "'")
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The contract of `cpomdocs new --base ehpad`, built for real (PDF and DOCX)."""
    root = tmp_path_factory.mktemp("projet")
    folder = root / "contracts" / "ehpad-projet"
    runner = CliRunner()
    made = runner.invoke(main, ["new", str(folder), "--base", "ehpad", "--effet", "2027-01-01"])
    assert made.exit_code == 0, made.output
    assert "signature:\n  lieu: à compléter\n" in (folder / "cpom.yaml").read_text("utf-8")
    output = root / "build"
    result = runner.invoke(main, ["build", str(folder), "-o", str(output), "-j", "1"])
    assert result.exit_code == 0, result.output
    return output / "ehpad-projet"


def test_the_contract_pdf_shows_blanks(built: Path) -> None:
    text = _plain(" ".join(page.extract_text() for page in PdfReader(built / "contrat.pdf").pages))
    assert "Fait à [à compléter], le" in text
    assert "Fait à à compléter" not in text
    assert "FINESS sous le numéro d'entité juridique [à compléter] (SIREN [à compléter])" in text
    assert "00 000 000 0" not in text and "00000" not in text  # the fictitious identifiers
    assert (
        "pour le gestionnaire [à compléter] : [à compléter]" in text
    )  # not « pour l'à compléter »
    assert "CPOM 2027–2031 – [à compléter]" in text  # the running head
    assert "[À compléter] : contexte du contrat" in text  # a prose field's hint, kept
    # each gap, bracketed or bare, is bracketed: no bare « à compléter » is left
    assert re.findall(r"(?<!\[)\b[àÀ] compléter\b", text) == []


def test_the_docx_highlights_the_same_blanks(built: Path) -> None:
    document = docx.Document(str(built / "contrat.docx"))
    paragraphs = [p for p in document.paragraphs if p.text.startswith("Fait à ")]
    assert [_plain(p.text).split(",")[0] for p in paragraphs] == ["Fait à [à compléter]"]
    marked = [r for r in paragraphs[0].runs if r.font.highlight_color is not None]
    assert [r.text for r in marked] == [BLANK]
    fixed = [r for r in paragraphs[0].runs if r.text.startswith("Fait à")]
    assert fixed and all(r.font.highlight_color is None for r in fixed)


def test_a_signed_clause_saying_a_completer_is_no_blank() -> None:
    """The same rule as validation: only a value that starts with it, or a bracketed one."""
    assert fmt.finalize("le dossier à compléter par le gestionnaire") == (
        "le dossier à compléter par le gestionnaire"
    )
    assert fmt.PENDING_START in fmt.finalize("Département [à compléter]")
    assert fmt.finalize(0) == "0" and fmt.finess("340005131") == "34\u00a0000\u00a0513\u00a01"
