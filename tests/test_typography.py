"""French typography on every text of every document kind, in the PDF and in the DOCX."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree
from pdftext import page_texts

from cpomdocs.documents import typography
from cpomdocs.documents.blocks import Run

NBSP, NNBSP, MINUS = "\u00a0", "\u202f", "\u2212"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# pypdf may add an ordinary space after a justified line's no-break space (« mots \xa0 : »)
SPACE_BEFORE = re.compile(r"(?<![\u00a0\u202f]) [:;!?]")
STRAIGHT_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
HYPHEN_AS_SIGN = re.compile(r"(?<![\w\-.,/:])-\d")
UNIT_APART = re.compile(r"\d (?:€|%|km|heures?|mois|jours|ans|places|ETP)(?!\w)")
# Web and mail addresses and file names keep their characters.
ADDRESS = re.compile(r"\S*(?:://|@|/)\S*|\S+\.(?:yaml|json|pdf|docx|html)\b")


@pytest.mark.parametrize(
    ("written", "typeset"),
    [
        ("L'article 3 : voir « texte » ; ok ! vraiment ?",
         f"L’article 3{NBSP}: voir «{NNBSP}texte{NNBSP}»{NNBSP}; ok{NNBSP}! vraiment{NNBSP}?"),
        ("arrêté n°12 et n° 2025-4127", f"arrêté n°{NBSP}12 et n°{NBSP}2025-4127"),
        ("écart -25 000,00 € soit -3 %",
         f"écart {MINUS}25{NNBSP}000,00{NBSP}€ soit {MINUS}3{NBSP}%"),
        ("le 1er janvier 2026, en juin 2025", f"le 1er{NBSP}janvier{NBSP}2026, en juin{NBSP}2025"),
        ("2025-2029, 90 places", f"2025–2029, 90{NBSP}places"),
        # a period takes the en dash that cpomdocs writes (« 2026–2030 »); an act's number, a
        # reference or a span of more than 20 years does not
        ("PRS 2018-2028 ; décret n° 2016-1814, arrêté n° 2021-2023",
         f"PRS 2018–2028{NNBSP}; décret n°{NBSP}2016-1814, arrêté n°{NBSP}2021-2023"),
        ("CPOM-ARS-ARA-69-2024-2028, AB-2020-2024, 2020-2024-1, 1990-2030, 2024-05-01",
         "CPOM-ARS-ARA-69-2024-2028, AB-2020-2024, 2020-2024-1, 1990-2030, 2024-05-01"),
        ("au 31 décembre, le 1er mars", f"au 31{NBSP}décembre, le 1er{NBSP}mars"),
        ("à moins de 20 km, sous 72 heures, 2 semaines, 15 min",
         f"à moins de 20{NBSP}km, sous 72{NBSP}heures, 2{NBSP}semaines, 15{NBSP}min"),
        ("12 k€ et 1,2 M€ pour 330 personnes", f"12{NBSP}k€ et 1,2{NBSP}M€ pour 330 personnes"),
        ("classe E (232 kWh/m²/an en 2022)", f"classe E (232{NBSP}kWh/m²/an en 2022)"),
        ("https://ex.fr/a'b?c=1 : cpom.yaml l'a", f"https://ex.fr/a'b?c=1{NBSP}: cpom.yaml l’a"),
    ],
)  # fmt: skip
def test_text_rules(written: str, typeset: str) -> None:
    assert typography.text(written) == typeset
    assert typography.text(typeset) == typeset  # twice changes nothing


def test_a_unit_after_a_number_run_is_held_to_it() -> None:
    """« {{ duree_mois }} mois »: the number is a run of its own (its source path)."""
    runs = typography.runs([Run("60", path="duree_mois"), Run(" mois, soit"), Run(" résidents")])
    assert [r.text for r in runs] == ["60", f"{NBSP}mois, soit", " résidents"]
    assert typography.runs(runs) == runs
    apart = typography.runs([Run("60", line_break=True), Run(" mois")])
    assert apart[1].text == " mois"  # a hard break between them: nothing to hold
    cell = [  # a redline's cell: the old value above the new one, the space between common
        Run("(80", change="del", line_break=True),
        Run("(90", change="ins"),
        Run(" "),
        Run("places)", change="del", line_break=True),
        Run("places, dont 10", change="ins"),
    ]
    assert typography.runs(cell)[2].text == NBSP


def test_ordinals_and_references_become_runs_of_their_own() -> None:
    runs = typography.runs(
        [Run("Article 1er du CPOM-ARS-HDF-59-2026-PH-017, 2e et 1re", bold=True)]
    )
    assert [(r.text, r.superscript, r.keep, r.bold) for r in runs] == [
        ("Article ", False, False, True),
        ("1", False, False, True),
        ("er", True, False, True),
        (" du ", False, False, True),
        ("CPOM-ARS-HDF-59-2026-PH-017", False, True, True),
        (", ", False, False, True),
        ("2", False, False, True),
        ("e", True, False, True),
        (" et ", False, False, True),
        ("1", False, False, True),
        ("re", True, False, True),
    ]
    assert typography.runs(runs) == runs
    code = [Run("cpom.yaml, l'id `O1-2`", keep=True)]
    assert typography.runs(code) == code  # `code` stays as written


def pdf_pages(path: Path) -> list[str]:
    return list(page_texts(path))


def docx_paragraphs(path: Path) -> list[str]:
    body = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    pieces = (f"{W}t", f"{W}delText", f"{W}noBreakHyphen")
    return [
        "".join("-" if t.tag.endswith("Hyphen") else t.text or "" for t in p.iter(*pieces))
        for p in body.iter(f"{W}p")
    ]


def faults(texts: list[str], units: bool = False) -> list[tuple[str, str]]:
    """`units`: no ordinary space between a number and its unit (the DOCX: pypdf's text joins
    lines with a space, « O6 / jours d’absence » in a table reads « O6 jours »)."""
    found = []
    rules = [
        ("espace ordinaire avant : ; ! ?", SPACE_BEFORE),
        ("apostrophe droite", STRAIGHT_APOSTROPHE),
        ("trait d'union comme signe moins", HYPHEN_AS_SIGN),
    ]
    rules += [("espace ordinaire entre un nombre et son unité", UNIT_APART)] if units else []
    for text in texts:
        prose = ADDRESS.sub(" ", text)  # a chart's « Sens : » is text of the document too
        for name, rule in rules:
            found += [
                (name, prose[max(m.start() - 30, 0) : m.end() + 10]) for m in rule.finditer(prose)
            ]
    return found


def documents(built: Path, suffix: str) -> list[Path]:
    return sorted(built.rglob(f"*{suffix}"))


def test_a_typeset_document_is_typeset_once() -> None:
    from docx_samples import contract

    from cpomdocs.documents.blocks import ComposedDocument, Paragraph

    meta = contract().meta
    document = ComposedDocument(meta, [Paragraph([Run("l'article 2 : 5 %")])])
    once = typography.typeset(document)
    assert once.typeset and not document.typeset
    assert once.blocks[0].runs[0].text == "l’article 2\u00a0: 5\u00a0%"
    assert typography.typeset(once) is once  # the build's second writer pays nothing
    assert typography.typeset(document) == once


def test_every_document_kind_is_built(built: Path) -> None:
    names = {p.stem.split("-")[0] for p in documents(built, ".pdf")}
    assert {"contrat", "annexes", "avenant", "2025", "preparation"} <= names | {
        p.parent.name for p in documents(built, ".pdf")
    }


def test_pdf_texts_follow_french_typography(built: Path) -> None:
    found = {str(p.relative_to(built)): faults(pdf_pages(p)) for p in documents(built, ".pdf")}
    assert len(found) >= 15
    assert {name: fault for name, fault in found.items() if fault} == {}


def test_docx_texts_follow_french_typography(built: Path) -> None:
    found = {
        str(p.relative_to(built)): faults(docx_paragraphs(p), units=True)
        for p in documents(built, ".docx")
    }
    assert len(found) >= 15
    assert {name: fault for name, fault in found.items() if fault} == {}


def pdf_superscripts(path: Path) -> list[tuple[str, float, float]]:
    """(letters, their size, the size of the number before) of each ordinal's letters."""
    chunks: list[tuple[str, float]] = []

    def visit(text, cm, tm, font, size) -> None:  # noqa: ANN001
        if text:
            chunks.append((text, size * cm[0] * tm[0]))

    for page in pypdf.PdfReader(path).pages:
        page.extract_text(visitor_text=visit)
    return [
        (text, size, chunks[i - 1][1])
        for i, (text, size) in enumerate(chunks)
        if i and text in ("er", "re", "e", "es") and chunks[i - 1][0][-1:].isdigit()
    ]


@pytest.mark.parametrize("name", ["asba-beaujolais-2024", "ehpad-les-cedres-2025"])
def test_ordinals_are_superscript_in_both_formats(built: Path, name: str) -> None:
    found = pdf_superscripts(built / name / "contrat.pdf")
    assert found and all(size < before for _, size, before in found)  # « Article 1er »
    document = docx.Document(str(built / name / "contrat.docx"))
    superscripts = [
        run.text
        for paragraph in document.paragraphs
        for run in paragraph.runs
        if run.font.superscript
    ]
    assert "er" in superscripts
    assert any(p.text.startswith("Article 1er") for p in document.paragraphs)


def test_the_docx_uses_the_fonts_of_the_pdf(built: Path) -> None:
    styles = docx.Document(str(built / "ehpad-les-cedres-2025" / "contrat.docx")).styles
    assert styles["Normal"].font.name == "Liberation Serif"
    assert styles["Heading 1"].font.name == "DejaVu Sans"
    assert styles["Title"].font.name == "DejaVu Sans"


def test_words_agree_with_their_number(built: Path) -> None:
    from cpomdocs import fmt

    assert fmt.with_unit(1, "jours") == f"1{NBSP}jour"
    assert fmt.gap(1, "jours") == f"+1{NBSP}jour"
    assert fmt.with_unit(12, "jours") == f"12{NBSP}jours"
    texts = " ".join(" ".join(pdf_pages(p)) for p in built.rglob("preparation-*.pdf"))
    assert "comptes-rendus enregistrés" in texts or "compte-rendu enregistré" in texts
    assert not re.search(r"des [01]\s+comptes-rendus", texts)


def test_make_help_speaks_french() -> None:
    import subprocess

    repo = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        ["make", "-s", "-C", str(repo), "help"], capture_output=True, text=True, check=True
    ).stdout
    assert (
        "make build               Valider et produire chaque contrat de contracts/ dans build/"
        in out
    )
    # every description starts in the same column, the longest target's (bench-instructions) too
    assert len({line.index(" ", 7 + len("bench-instructions")) for line in out.splitlines()}) == 1
    assert not re.search(r"\b(the|and|every|into)\b", out)


_TYPED = [
    " ", "\u00a0", "\u202f", "1", "12", "2025", "1er", "er", "janvier", "mars", "décembre", "€",
    "places", "km", "%", "ans", "'", "l", "«", "»", ";", ":", "!", "?", "-", "n°", ".", ",", "/",
    "a", "Z", "٣", "x@y.fr", "\n",
]  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_TYPED), max_size=12))
@example(["le ", "1er", " ", "mars"])
@example(["en ", "juin", " ", "2025"])
@example(["90", " ", "places", " ", "au ", "31", " ", "décembre"])
def test_rules_skipped_on_a_text_give_what_every_rule_applied_gives(pieces: list[str]) -> None:
    """A rule is skipped only where it cannot match (none of the characters it needs): the
    text every rule applied in order makes."""
    value = "".join(pieces)
    expected = value
    if typography._DIGIT.search(value):
        expected = typography._GROUPED.sub(lambda m: m.group().replace(" ", NNBSP), expected)
    for pattern, replacement, _ in typography._RULES:
        expected = pattern.sub(replacement, expected)
    assert typography._rules(value) == expected
