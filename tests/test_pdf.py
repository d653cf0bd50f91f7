"""Tests of the PDF writer: the PDFs of the examples opened with pypdf, golden HTML, PDF/A."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hostile import (
    HOSTILE_NAME,
    JINJA_TITLE,
    SCRIPT,
    example_data,
    hostile_data,
    write_contract,
)
from pdftext import page_texts
from pypdf import PdfReader

from cpomdocs import fmt
from cpomdocs.build.schedule import BuildReport
from cpomdocs.build.schedule import build_portfolio as build
from cpomdocs.data.folders import find_contract_folders
from cpomdocs.data.model import Contract
from cpomdocs.data.validate import check_folder
from cpomdocs.documents import contract_views as views
from cpomdocs.documents.blocks import ComposedDocument, DocumentMeta, Paragraph, Run
from cpomdocs.documents.compose import compose_annexes, compose_contract
from cpomdocs.render.pdf import render_html

REPO = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
EXAMPLE_IDS = [f.name for f in find_contract_folders([REPO / "contracts"])]
GOLDEN_EXAMPLE = "ehpad-les-cedres-2025"
CREATED = "2025-03-14T09:00:00Z"


def normalised(text: str) -> str:
    """Text with no-break spaces and line breaks made plain spaces, runs of spaces collapsed,
    and words hyphenated at a line end (WeasyPrint's U+2010) joined again."""
    text = re.sub("\u2010\\s*\n", "", text)
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("’", "'").replace("−", "-")
    return re.sub(r"\s+", " ", text)


def pdf_text(path: Path) -> str:
    return normalised(" ".join(page_texts(path)))


def contract_of(contract_id: str) -> Contract:
    model = check_folder(REPO / "contracts" / contract_id).contract.model
    assert isinstance(model, Contract)
    return model


@pytest.fixture(scope="module")
def projet_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    """The example as an unsigned draft, and a hostile contract, built as PDF."""
    sources = tmp_path_factory.mktemp("sources")
    data = example_data()
    data["statut"] = "projet"
    data["version"] = 3
    data["dates"]["signature"] = None
    write_contract(sources / "projet", data)
    write_contract(sources / "hostile", hostile_data())
    output = tmp_path_factory.mktemp("build")
    return output, build([sources], output, formats=("pdf",))


@pytest.mark.parametrize("contract_id", EXAMPLE_IDS)
def test_pdfs_show_every_establishment_objective_target_and_amount(
    built_examples: tuple[Path, BuildReport], contract_id: str
) -> None:
    output, report = built_examples
    assert report.failed == []
    contract = contract_of(contract_id)
    body = pdf_text(output / contract_id / "contrat.pdf")
    annexes = pdf_text(output / contract_id / "annexes.pdf")
    for finess in contract.etablissements:
        shown = normalised(fmt.finess(finess))
        assert re.fullmatch(r"\d\d \d\d\d \d\d\d \d", shown)
        assert shown in body and shown in annexes
    for objective in contract.objectifs.values():
        assert normalised(objective.titre) in body
        assert normalised(objective.titre) in annexes
        for indicator in objective.indicateurs.values():
            for target in indicator.cibles.values():
                assert normalised(views.indicator_value(target, indicator.unite)) in annexes
    finance = views.finance(contract)
    for establishment in finance.establishments:
        for line in establishment.lines:
            for amount in line.amounts.values():
                assert normalised(fmt.amount(amount, finance.cents)) in annexes
    for total in [*finance.per_year.values(), finance.total]:
        assert normalised(fmt.amount(total, finance.cents)) in annexes
        assert normalised(fmt.amount(total, finance.cents)) in body
    # Only the first year is written in words; the total over the contract is a forecast.
    first_year = finance.per_year[finance.years[0]]
    assert normalised(fmt.euros_in_words(first_year)) in body
    assert normalised(fmt.euros_in_words(finance.total)) not in body


@pytest.mark.parametrize("contract_id", EXAMPLE_IDS)
def test_pdf_is_pdfa3b_with_its_source_attached(
    built_examples: tuple[Path, BuildReport], contract_id: str
) -> None:
    output, _ = built_examples
    reader = PdfReader(output / contract_id / "contrat.pdf")
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    source = (REPO / "contracts" / contract_id / "cpom.yaml").read_bytes()
    assert reader.attachments["cpom.yaml"] == [source]
    filespecs = {f["/F"]: f for f in (ref.get_object() for ref in reader.trailer["/Root"]["/AF"])}
    assert sorted(filespecs) == ["cpom.yaml", "cpomdocs-source.json"]  # provenance: publish.py
    assert {f["/AFRelationship"] for f in filespecs.values()} == {"/Source"}
    contract = contract_of(contract_id)
    assert reader.metadata.title == "Contrat pluriannuel d’objectifs et de moyens"
    assert reader.metadata.author == contract.gestionnaire.nom.replace("'", "’")  # typeset
    assert contract.reference in reader.metadata.subject
    assert reader.trailer["/Root"]["/Lang"] == "fr"


@pytest.mark.parametrize("contract_id", EXAMPLE_IDS)
def test_pages_have_header_footer_and_a_real_table_of_contents(
    built_examples: tuple[Path, BuildReport], contract_id: str
) -> None:
    output, _ = built_examples
    pages = PdfReader(output / contract_id / "contrat.pdf").pages
    texts = [normalised(text) for text in page_texts(output / contract_id / "contrat.pdf")]
    contract = contract_of(contract_id)
    for number, text in enumerate(texts[1:], start=2):
        assert f"page {number} / {len(pages)}" in text
        assert f"{contract.reference} – version {contract.version}" in text
        assert "CPOM " in text
    toc = normalised(pages[1].extract_text(extraction_mode="layout"))
    assert "Sommaire" in toc
    signatures_page = next(n for n, t in enumerate(texts, 1) if "Fait à " in t)
    # pypdf's layout mode puts no space between leaders and page number in a tagged PDF
    assert re.search(rf"Signatures ?\.+ ?{signatures_page}\b", toc)


def test_signed_contract_has_no_watermark(built_examples: tuple[Path, BuildReport]) -> None:
    output, _ = built_examples
    assert "PROJET" not in pdf_text(output / GOLDEN_EXAMPLE / "contrat.pdf")


def test_draft_shows_the_watermark_on_every_page(projet_build: tuple[Path, BuildReport]) -> None:
    output, report = projet_build
    assert report.failed == []
    for name in ("contrat.pdf", "annexes.pdf"):
        for page in PdfReader(output / "projet" / name).pages:
            assert "PROJET – version 3" in normalised(page.extract_text())
    assert "Fait à Montpellier, le …………………………" in pdf_text(output / "projet" / "contrat.pdf")


def test_hostile_text_comes_out_literally_in_the_pdf(
    projet_build: tuple[Path, BuildReport],
) -> None:
    output, _ = projet_build
    body = pdf_text(output / "hostile" / "contrat.pdf")
    assert HOSTILE_NAME in body
    assert normalised(JINJA_TITLE) in body
    assert SCRIPT in body
    annexes = pdf_text(output / "hostile" / "annexes.pdf")
    assert "un point | avec [un lien](http://exemple.fr) & &amp;" in annexes


def test_html_escapes_what_users_typed() -> None:
    contract = Contract.model_validate(hostile_data())
    html = render_html(compose_contract(contract, contract_id="h", created=CREATED))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "Fondation A &amp; B &lt;Est&gt;" in html


def test_redline_runs_are_ins_and_del() -> None:
    meta = DocumentMeta("T", "T", "A", "S", [], "v1", CREATED)
    runs = [Run("cible "), Run("92 %", change="del"), Run("95 %", change="ins", bold=True)]
    html = render_html(ComposedDocument(meta, [Paragraph(runs)]))
    assert "<p>cible <del>92\u00a0%</del><ins><strong>95\u00a0%</strong></ins></p>" in html


def test_print_css_can_be_overridden(tmp_path: Path) -> None:
    (tmp_path / "print.css").write_text("body { color: navy; }", encoding="utf-8")
    meta = DocumentMeta("T", "T", "A", "S", [], "v1", CREATED)
    html = render_html(ComposedDocument(meta, []), tmp_path)
    assert "<style>body { color: navy; }</style>" in html


@pytest.mark.parametrize("document", ["contrat", "annexes"])
def test_golden_html(document: str) -> None:
    contract = contract_of(GOLDEN_EXAMPLE)
    compose = compose_contract if document == "contrat" else compose_annexes
    html = render_html(compose(contract, contract_id=GOLDEN_EXAMPLE, created=CREATED))
    html = re.sub(r"<style>.*?</style>", "<style>(print.css)</style>", html, flags=re.S)
    golden = GOLDEN / f"{GOLDEN_EXAMPLE}-{document}.html"
    if os.environ.get("CPOMDOCS_REGEN_GOLDEN"):
        golden.write_text(html, encoding="utf-8")
    assert html == golden.read_text(encoding="utf-8"), "make golden régénère ce fichier"
