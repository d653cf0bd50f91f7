"""What the version annotée and the consolidated versions tell their reader (session 10, left):
a sentence changed in many places replaced whole, a punctuation mark changed shown with its
word, the preamble parts an avenant modified marked in the consolidated contract."""

from __future__ import annotations

import io
import re
import zipfile
from functools import cache
from pathlib import Path

from lxml import etree
from pypdf import PdfReader

from cpomdocs.documents.blocks import Paragraph, Run
from cpomdocs.documents.comparison import compose_avenant_redline
from cpomdocs.documents.redline import accept_all, redline_runs, reject_all
from cpomdocs.render.docx import render_docx
from cpomdocs.render.pdf import render_pdf
from cpomdocs.versions.diff import word_diff

EXAMPLES = Path(__file__).parents[1] / "contracts"
ASBA = EXAMPLES / "asba-beaujolais-2024"
CREATED = "2026-12-03T00:00:00Z"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
OLD_PROJECT = (
    "Réaménagement de l'aile Est (ancien logement de fonction et salles d'activités) afin "
    "d'accueillir 10 places supplémentaires d'hébergement permanent, sous réserve de "
    "l'autorisation d'extension et des financements correspondants."
)
NEW_PROJECT = (
    "Extension de 10 places d'hébergement permanent autorisée par l'arrêté conjoint "
    "n° 2025-4127 du 15 septembre 2025 et installée au 1er janvier 2026 dans l'aile Est "
    "réaménagée."
)


def _changes(runs: list[Run]) -> list[tuple[str, str]]:
    return [(r.change, r.text.strip()) for r in runs if r.change]


def _flat(text: str) -> str:
    """Text read back from a PDF or a DOCX, spaces and apostrophes as typed in the YAML."""
    text = text.replace("’", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text)


def test_a_sentence_changed_in_three_places_is_struck_whole_then_inserted_whole() -> None:
    old = [Run("Projets. Réaménagement de l'aile Est afin d'accueillir 10 places. Suite.")]
    new = [Run("Projets. Extension de 10 places dans l'aile Est réaménagée. Suite.")]
    runs = redline_runs(old, new)
    assert _changes(runs) == [
        ("del", "Réaménagement de l'aile Est afin d'accueillir 10 places."),
        ("ins", "Extension de 10 places dans l'aile Est réaménagée."),
    ]
    paragraph = [Paragraph(runs)]
    assert accept_all(paragraph) == new[0].text and reject_all(paragraph) == old[0].text
    # the other sentences of the paragraph keep their words unmarked
    assert "".join(r.text for r in runs if not r.change).strip() == "Projets. Suite."


def test_one_or_two_changes_in_a_sentence_stay_word_by_word() -> None:
    runs = redline_runs(
        [Run("Les montants sont indicatifs : ils évoluent de 1,5 % par an. Suite.")],
        [Run("Les montants sont indicatifs : hors CNR, ils évoluent de 1,5 % par an, sauf X.")],
    )
    assert _changes(runs) == [
        ("ins", "hors CNR,"),
        ("del", "an. Suite."),
        ("ins", "an, sauf X."),
    ]


def test_words_changed_a_space_apart_are_one_change() -> None:
    assert word_diff("arrêté n° 12 du 3 janvier 2017", "arrêté n° 40 du 15 septembre 2025") == [
        ("", "arrêté n° "),
        ("del", "12"),
        ("ins", "40"),
        ("", " du "),
        ("del", "3 janvier 2017"),
        ("ins", "15 septembre 2025"),
    ]


def test_a_punctuation_mark_changed_is_shown_with_the_word_it_ends() -> None:
    # the date is a value bound to the data: a run of its own, its full stop another
    old = [Run("autorisé le 3 janvier "), Run("2017"), Run(". Elle court.")]
    new = [Run("autorisé le 3 janvier "), Run("2017"), Run(", modifié par X. Elle court.")]
    runs = redline_runs(old, new)
    assert _changes(runs) == [("del", "2017."), ("ins", "2017, modifié par X.")]
    assert accept_all([Paragraph(runs)]) == "autorisé le 3 janvier 2017, modifié par X. Elle court."
    # a value changed before its unchanged full stop: the stop is not struck
    runs = redline_runs(
        [Run("est de "), Run("20\u00a0€"), Run(".")], [Run("est de "), Run("21\u00a0€"), Run(".")]
    )
    assert _changes(runs) == [("del", "20\u00a0€"), ("ins", "21\u00a0€")]


@cache
def _annotee() -> tuple[str, bytes]:
    document = compose_avenant_redline(ASBA, 1, contract_id=ASBA.name, created=CREATED)
    pdf = render_pdf(document)
    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    return _flat(text), render_docx(document)


def _docx_revisions(docx: bytes, start: str) -> list[tuple[str, str]]:
    """The paragraph of the DOCX that begins with `start`, as (revision, text) pieces."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    for paragraph in body.iter(f"{W}p"):
        pieces: list[tuple[str, str]] = []
        for text in paragraph.iter(f"{W}t", f"{W}delText"):
            parent = text.getparent().getparent()
            kind = etree.QName(parent).localname if parent.tag in (f"{W}ins", f"{W}del") else ""
            if pieces and pieces[-1][0] == kind:
                pieces[-1] = (kind, pieces[-1][1] + text.text)
            else:
                pieces.append((kind, text.text or ""))
        if pieces and _flat(pieces[0][1]).startswith(start):
            return [(kind, _flat(text).strip()) for kind, text in pieces]
    raise AssertionError(f"no paragraph « {start} »")


def test_the_annotee_replaces_the_restructuring_sentence_whole_in_the_pdf_and_the_docx() -> None:
    text, docx = _annotee()
    hyphenless = re.sub(r"(\w)[-\u2010] (\w)", r"\1\2", text)  # words cut at the end of a line
    assert f"Projets de restructuration. {OLD_PROJECT} {NEW_PROJECT}" in hyphenless
    assert _docx_revisions(docx, "Projets de restructuration.") == [
        ("", "Projets de restructuration."),
        ("del", OLD_PROJECT),
        ("ins", NEW_PROJECT),
    ]


def test_the_annotee_strikes_the_date_and_its_stop_then_inserts_them_with_the_comma() -> None:
    text, docx = _annotee()
    assert "du 3 janvier 2017. 2017, modifié par l'arrêté conjoint" in text
    pieces = _docx_revisions(docx, "L'EHPAD Les Vignes")
    assert pieces[1] == ("del", "2017.")
    assert pieces[2][0] == "ins" and pieces[2][1].startswith("2017, modifié par l'arrêté")
