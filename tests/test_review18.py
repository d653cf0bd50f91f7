"""What session 18's reader of the built examples fixed, mostly in the follow-up documents (the
comptes-rendus and the preparatory files). Each test reads a real PDF (pdftotext) or DOCX
(python-docx) of one document as the examples' build made it (conftest.py: built once)."""

from __future__ import annotations

import functools
import io
import re
from pathlib import Path

from docx import Document as WordDocument
from example_texts import built_pdf_text as _pdf
from example_texts import flat

ASBA = "asba-beaujolais-2024"
MID_TERM = "comptes-rendus/2026-10-08-point-a-mi-parcours"
PREPARATION = "preparation-dialogue-2028-06-15"


@functools.cache
def _word(built: Path, name: str, document: str) -> WordDocument:
    return WordDocument(io.BytesIO((built / name / f"{document}.docx").read_bytes()))


def _docx(built: Path, name: str, document: str) -> str:
    """The paragraphs of a document's real DOCX (python-docx), joined, no-break spaces as spaces."""
    return " ".join(flat(p.text) for p in _word(built, name, document).paragraphs)


def _between(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


# --- 1. « (Avenant nécessaire.) » after a decision that says it --------------------------------


def test_a_decision_that_says_an_avenant_is_needed_is_not_marked_twice(built: Path) -> None:
    """asba, 8 October 2026: « Un avenant n° 2 est nécessaire pour : … avant le 31 janvier 2027.
    (Avenant nécessaire.) ». The mark stays for a decision that does not say it
    (test_reports_docs)."""
    for text in (_pdf(built, ASBA, MID_TERM), _docx(built, ASBA, MID_TERM)):
        decisions = _between(text, "Décisions", "Relevé d’actions")
        assert "Un avenant n° 2 est nécessaire pour" in decisions
        assert "Avenant nécessaire" not in decisions


# --- 2. The open actions on an agenda: no parentheses inside or beside parentheses ------------

R5 = (
    "R5 – Transmettre le projet d’avenant n° 2 (accueil de jour, service autonomie à domicile) ; "
    "pilote : directeur général ; échéance : 31 janvier 2027 ; à faire (relevé du 8 octobre 2026)"
)
R7 = (
    "R7 – Relancer la validation de la coupe PATHOS du Clos des Saules ; pilote : médecin "
    "inspecteur de santé publique (ARS) ; échéance : 30 novembre 2026 ; en cours"
)


def test_an_open_action_on_the_agenda_reads_without_nested_parentheses(built: Path) -> None:
    """asba preparatory file: « R7 – Relancer … (médecin inspecteur de santé publique (ARS),
    échéance … ; relevé du 8 octobre 2026) » and « R5 – … (accueil de jour, service autonomie
    à domicile) (directeur général, échéance …) »."""
    for text in (_pdf(built, ASBA, PREPARATION), _docx(built, ASBA, PREPARATION)):
        agenda = _between(text, "Suivi des actions ouvertes", "Questions diverses")
        assert R5 in agenda and R7 in agenda
        assert not re.search(r"\) \(|\([^()]*\([^()]*\)[^()]*\)", agenda)


def test_a_compte_rendu_carries_the_open_actions_the_same_way(built: Path) -> None:
    agenda = _between(
        _pdf(built, ASBA, MID_TERM), "Suivi des actions ouvertes", "Documents examinés"
    )
    assert (
        "R2 – Étendre le transport de l’accueil de jour aux communes situées à moins de 20 km ; "
        "pilote : responsable de l’accueil de jour ; échéance : 1er septembre 2025 ; en cours "
        "(relevé du 12 juin 2025)"
    ) in agenda
    assert not re.search(r"\) \(", agenda)


# --- 3. « des 2 comptes-rendus enregistrés » ------------------------------------------------


def test_the_preparatory_file_counts_its_comptes_rendus_in_letters(built: Path) -> None:
    for text in (_pdf(built, ASBA, PREPARATION), _docx(built, ASBA, PREPARATION)):
        assert (
            "Document établi à partir du contrat et des deux comptes-rendus enregistrés au "
            "8 octobre 2026"
        ) in text
        assert "des 2 comptes-rendus" not in text


# --- 4. One value, one writing: « 66 % » in the table, « 66,0 % » in the comment -------------


def test_the_comment_on_o1_writes_the_rate_as_the_table_does(built: Path) -> None:
    for text in (_pdf(built, ASBA, MID_TERM), _pdf(built, ASBA, PREPARATION)):
        assert "66,0 %" not in text
        assert "l’accueil de jour (66 % pour 70 %) restent en deçà" in text


# --- 5. The relevé d'actions in the order of its codes --------------------------------------


def test_the_releve_lists_its_actions_in_the_order_of_their_codes(built: Path) -> None:
    """asba, 8 October 2026: the relevé read R5, R6, R7, R3, R1, R2 (the order of the YAML)."""
    releve = _between(_pdf(built, ASBA, MID_TERM), "Relevé d’actions", "Prochaine réunion")
    assert re.findall(r"\b(R\d+) – ", releve) == ["R1", "R2", "R3", "R5", "R6", "R7"]
    table = next(t for t in _word(built, ASBA, MID_TERM).tables if t.cell(0, 0).text == "Action")
    codes = [row.cells[0].text.split(" ")[0] for row in table.rows[1:]]
    assert codes == ["R1", "R2", "R3", "R5", "R6", "R7"]


def test_an_action_code_is_ordered_by_its_number() -> None:
    from cpomdocs.followup.report_rows import by_code

    assert sorted([("R10", 0), ("R2", 0), ("C1", 0)], key=by_code) == [
        ("C1", 0),
        ("R2", 0),
        ("R10", 0),
    ]


# --- 6. The chrs avenant restates the places of the OG's presentation -----------------------

CHRS = "chrs-estuaire-2026"
PRESENTATION = (
    "1° L’alinéa présentant l’organisme gestionnaire est remplacé par l’alinéa suivant : "
    "« L’Association Estuaire Accueil et Insertion (EAI), créée en 1979,"
)


def test_the_chrs_avenant_restates_the_places_of_the_two_chrs(built: Path) -> None:
    """Article 1er's presentation said « deux centres d'hébergement et de réinsertion sociale (135
    places) »; the avenant took Le Phare from 85 to 95 places and left the 135 standing beside a
    table of 95 + 50. It now replaces that alinéa, first in article 1er's order, in article 1er
    (a first try of cpomdocs quoted it raw, « **deux centres** », in the parties' designation)."""
    for text in (_pdf(built, CHRS, "avenant-01"), _docx(built, CHRS, "avenant-01")):
        article = _between(text, "Article 1er – Modification", "Article 2 –")
        assert PRESENTATION in article
        assert "sociale (145 places), un accueil de jour" in article
        assert "**" not in text and "135 places" not in text
        assert article.index(PRESENTATION) < article.index("2° Au tableau du périmètre")


# --- 7. cedres: the GMP/PMP coupe of the third year, in the third year -----------------------

CEDRES = "ehpad-les-cedres-2025"


def test_the_cedres_calendar_puts_the_coupe_in_the_third_year_as_article_4_says(
    built: Path,
) -> None:
    """Article 4 (2025–2029): GMP and PMP « font l'objet d'une nouvelle évaluation au cours de
    la troisième année du contrat », « Réévaluation avant le 30 juin 2027 »; annexe 6 dated the
    coupe PATHOS et AGGIR « 31 mai 2026 » (the second year). asba's calendar and article 4 agree
    (2024–2028: coupes in March and May 2026, before 30 June 2026)."""
    text = _pdf(built, CEDRES, "annexes")
    calendar = text[text.rindex("Annexe 6 –") : text.rindex("Annexe 7 –")]  # not the sommaire
    assert "31 mai 2027 coupe PATHOS et AGGIR (GMP/PMP)" in calendar
    assert "2026 coupe" not in calendar
    assert calendar.index("31 mai 2027") < calendar.index("15 octobre 2027")
