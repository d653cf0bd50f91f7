"""Redlines of composed documents: runs marked del/ins, accept-all gives NEW, reject-all OLD."""

from __future__ import annotations

import copy
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from gitrepo import CONTRACT, make_repo
from layout_support import laid_out, last_page_with, margin_lines, words_past_the_text_block
from lxml import etree
from pypdf import PdfReader

from cpomdocs.build.compare import render_redline
from cpomdocs.data.load import load_document
from cpomdocs.documents import comparison
from cpomdocs.documents.blocks import Heading, ListBlock, Paragraph, Run, Section, Table
from cpomdocs.documents.comparison import _composed
from cpomdocs.documents.redline import (
    accept_all,
    block_text,
    redline_blocks,
    redline_runs,
    reject_all,
)
from cpomdocs.render.docx import render_docx
from cpomdocs.render.pdf import render_html
from cpomdocs.versions.renames import read_range
from cpomdocs.versions.sources import Version


def para(text: str, **kw: bool) -> Paragraph:
    return Paragraph([Run(text, **kw)])


def table(*rows: tuple[str, ...]) -> Table:
    return Table([[Run("Année")], [Run("Montant")]], [[[Run(c)] for c in row] for row in rows])


OLD = [
    Heading(2, [Run("Article 4 – Moyens")]),
    para("Le forfait global soins est fixé pour cinq ans."),
    ListBlock(False, [[para("premier point")], [para("deuxième point")]]),
    table(("2026", "1 138 300,00 €"), ("2027", "1 156 500,00 €")),
    para("Un paragraphe qui disparaît entièrement de la version suivante."),
    Section("signatures", [para("Fait à Montpellier")]),
]
NEW = [
    Heading(2, [Run("Article 4 – Moyens")]),
    para("Le forfait global soins est fixé pour six ans."),
    ListBlock(False, [[para("premier point")], [para("deuxième point modifié")], [para("ajout")]]),
    table(("2026", "1 163 300,00 €"), ("2027", "1 156 500,00 €"), ("2028", "1 175 000,00 €")),
    Section("signatures", [para("Fait à Montpellier, le 14 mars 2025")]),
]


def test_word_changes_inside_a_paragraph() -> None:
    runs = redline_runs(OLD[1].runs, NEW[1].runs)
    assert [(r.text, r.change) for r in runs] == [
        ("Le forfait global soins est fixé pour", ""),
        (" cinq", "del"),
        (" six", "ins"),
        (" ans.", ""),
    ]


def test_an_amount_with_no_break_spaces_changes_as_a_whole() -> None:
    old = [Run("Total 2026 : 3\u202f183\u202f908\u00a0€, soit 92\u00a0%.")]
    new = [Run("Total 2026 : 3\u202f352\u202f100\u00a0€, soit 95\u00a0%.")]
    assert [(r.text, r.change) for r in redline_runs(old, new)] == [
        ("Total 2026 :", ""),
        (" 3\u202f183\u202f908\u00a0€,", "del"),
        (" 3\u202f352\u202f100\u00a0€,", "ins"),
        (" soit", ""),
        (" 92\u00a0%.", "del"),
        (" 95\u00a0%.", "ins"),
    ]


def test_formatting_of_runs_is_kept() -> None:
    old = [Run("Objectif "), Run("O2", bold=True), Run(" : 92 %")]
    new = [Run("Objectif "), Run("O2", bold=True), Run(" : 95 %")]
    runs = redline_runs(old, new)
    assert [(r.text, r.bold, r.change) for r in runs] == [
        ("Objectif ", False, ""),
        ("O2", True, ""),
        (" :", False, ""),
        (" 92", False, "del"),
        (" 95", False, "ins"),
        (" %", False, ""),
    ]


def test_accept_all_gives_new_and_reject_all_gives_old() -> None:
    merged = redline_blocks(OLD, NEW)
    plain_new = "\n".join(block_text(b) for b in NEW)
    assert accept_all(merged) == accept_all(NEW)
    assert reject_all(merged) == accept_all(OLD)
    assert "cinq" not in accept_all(merged) and "six ans" in accept_all(merged)
    assert "1 175 000,00 €" in plain_new and "1 175 000,00 €" not in reject_all(merged)
    deleted = [b for b in merged if isinstance(b, Paragraph) and b.runs[0].change == "del"]
    assert (
        block_text(deleted[0]) == "Un paragraphe qui disparaît entièrement de la version suivante."
    )


def test_identical_documents_have_no_marks() -> None:
    merged = redline_blocks(OLD, OLD)
    assert merged == OLD


# Redlines of the rendered contract, between two revisions of a real git repository.
EXAMPLES = Path(__file__).resolve().parent.parent / "contracts"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def negotiation(tmp_path_factory: pytest.TempPathFactory) -> tuple[Version, Version]:
    repo = make_repo(tmp_path_factory.mktemp("redline") / "cpom")
    return read_range("HEAD~2..HEAD", str(Path(CONTRACT).parent), repo)


def _body(docx: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return etree.fromstring(archive.read("word/document.xml")).find(f"{W}body")


def _resolve(body: etree._Element, accept: bool) -> etree._Element:
    """What Word's « accepter tout » (accept=True) or « refuser tout » leaves."""
    body = copy.deepcopy(body)
    drop, keep = ("del", "ins") if accept else ("ins", "del")
    for element in list(body.iter(f"{W}{drop}")):
        element.getparent().remove(element)
    for element in list(body.iter(f"{W}{keep}")):
        parent, index = element.getparent(), element.getparent().index(element)
        for offset, child in enumerate(list(element)):
            parent.insert(index + offset, child)
        parent.remove(element)
    for deleted in list(body.iter(f"{W}delText")):
        deleted.tag = f"{W}t"
    return body


def _paragraphs(body: etree._Element) -> list[str]:
    """Non-empty paragraph texts, out of the table of contents (a field Word regenerates)."""
    texts = []
    for p in body.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        if style is not None and style.get(f"{W}val", "").lower().startswith("toc"):
            continue
        texts.append("".join(t.text or "" for t in p.iter(f"{W}t")))
    return [text for text in texts if text.strip()]


def test_docx_redline_accept_all_gives_new_and_reject_all_gives_old(
    negotiation: tuple[Version, Version],
) -> None:
    old, new = negotiation
    body = _body(render_redline(old, new, "docx"))
    changes = list(body.iter(f"{W}ins", f"{W}del"))
    assert changes and all(c.get(f"{W}author") == "cpomdocs" for c in changes)
    deleted = "".join(t.text for t in body.iter(f"{W}delText"))
    assert "ans," in deleted and "92" in deleted
    # the cover's three lines that say what the document is (annotee12) are in neither version
    added = {"Version annotée", "Document de travail", "Légende"}

    def resolved(accept: bool) -> list[str]:
        found = _paragraphs(_resolve(body, accept=accept))
        return [p for p in found if not p.startswith(tuple(added))]

    assert len(_paragraphs(_resolve(body, accept=True))) == len(resolved(True)) + 3
    assert resolved(True) == _paragraphs(_body(render_docx(_composed(new))))
    assert resolved(False) == _paragraphs(_body(render_docx(_composed(old))))


def test_pdf_and_html_redlines_show_struck_and_inserted_words(
    negotiation: tuple[Version, Version],
) -> None:
    old, new = negotiation
    html = render_redline(old, new, "html").decode("utf-8")
    # the space before a change is drawn outside its marks (review17)
    assert "pour cinq <del>ans,</del> <ins>années civiles,</ins> les objectifs" in html
    assert "<ins>Vu la décision tarifaire 2025\u202f;</ins>" in html
    reader = PdfReader(io.BytesIO(render_redline(old, new, "pdf")))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "pour cinq ans, années civiles, les objectifs" in text  # struck, a space, inserted
    assert "Réduire la consommation d’énergie du bâtiment" in text  # the removed objective
    assert re.search(r"version annotée : version 1 du \d+ \w+ \d{4} → version 3 du ", text)


# The widest table of a redline: every amount of the five-year financing changed.


def _every_amount_changed(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _every_amount_changed(v) for k, v in data.items()}
    if isinstance(data, int | float) and not isinstance(data, bool):
        return float(round(data * 1.1 + 123_456))  # whole euros, as the examples write them
    return data


@pytest.fixture(scope="module")
def widest_redline() -> Any:
    contract = load_document(EXAMPLES / "asba-beaujolais-2024" / "cpom.yaml").data
    old = {k: v for k, v in contract.items() if k != "empreinte"}
    new = copy.deepcopy(old)
    new["financement"]["lignes"] = _every_amount_changed(old["financement"]["lignes"])
    new["financement"].pop("totaux", None)
    old["financement"].pop("totaux", None)
    document = comparison.redline(
        Version("version 1", old, words="version 1 du 15 décembre 2025"),
        Version("version 2", new, words="version 2"),
        "2026-01-01T00:00:00Z",
    )
    return document, laid_out(render_html(document))


def test_a_redline_table_stays_inside_the_text_block(widest_redline) -> None:
    document, layout = widest_redline
    html = render_html(document)
    assert html.count("<del>") > 60  # every amount of the financing tables changed
    # The annexe financière: its five-year tables with their Total column.
    annex = last_page_with(layout, "Annexe 5 – Annexe financière")
    assert annex > 1
    assert [w for w in words_past_the_text_block(layout) if w[0] >= annex] == []


def test_the_footer_names_the_versions_and_the_page_number_keeps_one_line(widest_redline):
    document, layout = widest_redline
    assert document.meta.version_label == (
        "version annotée : version 1 du 15 décembre 2025 → version 2"
    )
    lines_per_page = margin_lines(layout, "page ")
    assert len(lines_per_page) == len(layout.pages) - 1  # none on the cover
    assert set(lines_per_page) == {1}
