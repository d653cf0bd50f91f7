"""Documents of the follow-up: compte-rendu and preparatory file, their contexts and content."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from cpomdocs.data.model import Contract
from cpomdocs.data.model_acts import MeetingKind, MeetingReport, NextMeeting
from cpomdocs.data.validate import check_folder
from cpomdocs.documents.blocks import Heading, Image, Paragraph, Run, Section
from cpomdocs.followup.report_views import (
    PlannedMeeting,
    next_dialogue,
    preparation_context,
    report_context,
)
from cpomdocs.followup.reports import followup_jobs, place_charts

FIXTURE = Path(__file__).parent / "fixtures" / "reports" / "ehpad-suivi"
NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.fixture(scope="module")
def folder() -> tuple[Contract, list[MeetingReport]]:
    checked = check_folder(FIXTURE)
    reports = [c.model for c in checked.reports]
    return checked.contract.model, reports  # type: ignore[return-value]


def _report(reports: list[MeetingReport], year: int) -> MeetingReport:
    return next(r for r in reports if r.exercice == year)


def test_summary_rows_in_french(folder) -> None:
    contract, reports = folder
    context = report_context(contract, "ehpad-suivi", _report(reports, 2025), reports)
    rows = {row["code"]: row for row in context["summary"]}
    assert rows["ABS-AS"] == {
        "objective": "O1",
        "code": "ABS-AS",
        "label": "Taux d'absentéisme des aides-soignants",
        "reference": f"11,2{NBSP}%",
        "reference_year": "2023",
        "target": f"10,5{NBSP}%",
        "actual": f"10,8{NBSP}%",
        "gap": f"+0,3{NBSP}pt",
        "status": "partiellement atteint",
    }
    assert rows["ENERGIE"]["gap"] == "+10"
    assert rows["ENERGIE"]["status"] == "non atteint"
    objectives = {row["objective"]: row for row in context["objectives"]}
    assert objectives["O1"] == {
        "objective": "O1",
        "title": "Fidéliser les équipes soignantes",
        "axis": "Ressources humaines",
        "status": "partiellement atteint",
        "comment": "Les plannings à 12 heures sont en place depuis septembre.",
    }
    assert objectives["O5"]["comment"] == "TO-HT : valeur réalisée non renseignée."
    assert objectives["O5"]["status"] == "non évalué"
    assert context["overall_rate"] == f"40{NBSP}%"
    assert context["rates"][-1]["axis"] == "Ensemble du contrat"
    assert context["unreviewed"] == ["O5 – Développer l'hébergement temporaire"]


def test_comments_come_from_the_report_itself(folder) -> None:
    contract, reports = folder
    context = report_context(contract, "ehpad-suivi", _report(reports, 2026), reports)
    rows = {row["code"]: row for row in context["summary"]}
    objectives = {row["objective"]: row for row in context["objectives"]}
    # O1 was commented in June, not in November; ROTATION has no value for 2026
    assert objectives["O1"]["comment"] == "ROTATION : valeur réalisée non renseignée."
    assert rows["ENERGIE"]["status"] == "abandonné"
    assert objectives["O4"]["status"] == "abandonné"
    assert (
        objectives["O4"]["comment"] == "Le projet de menuiseries est reporté au prochain contrat."
    )
    assert objectives["O3"]["comment"] == "PAP : pas de cible pour 2026."


def test_open_actions_of_earlier_reports_go_on_the_agenda(folder) -> None:
    contract, reports = folder
    first = report_context(contract, "ehpad-suivi", _report(reports, 2025), reports)
    assert first["carried_actions"] == []
    second = report_context(contract, "ehpad-suivi", _report(reports, 2026), reports)
    assert [(a["code"], a["status"], a["decided"]) for a in second["carried_actions"]] == [
        ("S1", "à faire", "20 juin 2026"),
        ("S3", "en cours", "20 juin 2026"),
    ]


def test_next_planned_dialogue(folder) -> None:
    contract, reports = folder
    meeting = next_dialogue(contract, reports)
    assert meeting == PlannedMeeting(dt.date(2027, 10, 15), 2027, "point à mi-parcours")
    assert meeting.slug == "2027-10-15"
    assert next_dialogue(contract, []) == meeting  # nothing held yet: the first one planned
    context = preparation_context(contract, "ehpad-suivi", meeting, reports)
    assert context["year"] == 2026
    assert [a["code"] for a in context["open_actions"]] == ["S3", "S4"]
    assert context["date"] == "15 octobre 2027"


def test_next_dialogue_from_the_last_report(folder) -> None:
    contract, reports = folder
    last = max(reports, key=lambda r: r.date)
    changed = last.model_copy(
        update={
            "prochaine_reunion": NextMeeting(
                date=dt.date(2027, 4, 2), type=MeetingKind.DIALOGUE_ANNUEL, lieu="Clermont"
            )
        }
    )
    others = [r for r in reports if r is not last]
    meeting = next_dialogue(contract, [*others, changed])
    expected = PlannedMeeting(dt.date(2027, 4, 2), 2027, "dialogue de gestion annuel", "Clermont")
    assert meeting == expected


def test_place_charts_replaces_sections_by_figures() -> None:
    figure = Section("chart", [Paragraph([Run("ABS-AS – …")], "figure"), Image(b"<svg/>")])
    blocks = [
        Heading(2, [Run("Trajectoire")]),
        Section("graphique", [Paragraph([Run("ABS-AS")])]),
        Section("annex", [Section("graphique", [Paragraph([Run("ABS-AS")])])]),
    ]
    placed = place_charts(blocks, {"ABS-AS": figure})
    assert placed[1] is figure
    assert isinstance(placed[2], Section) and placed[2].children == [figure]


# --- the documents themselves: real PDF and DOCX, opened and read back ------------------------

CREATED = "2026-12-01T00:00:00Z"


def _plain(text: str) -> str:
    """Text with hyphenation undone, no-break spaces as spaces, the typographic apostrophe as
    a straight one and runs of blanks collapsed."""
    text = text.replace("\u2010\n", "").replace("’", "'")
    return re.sub(r"\s+", " ", text.replace(NBSP, " ").replace(NNBSP, " "))


@pytest.fixture(scope="module")
def rendered() -> dict[str, tuple[bytes, bytes]]:
    from cpomdocs.render.docx import render_docx
    from cpomdocs.render.pdf import render_pdf

    made = {}
    for job in followup_jobs(check_folder(FIXTURE)):
        document = job.compose(CREATED, None)
        made[job.name] = (render_pdf(document), render_docx(document))
    return made


def _pdf_text(data: bytes) -> str:
    return _plain(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def _docx(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def _table(document: docx.document.Document, first_header: str) -> list[list[str]]:
    table = next(t for t in document.tables if t.rows[0].cells[0].text == first_header)
    return [[_plain(c.text) for c in row.cells] for row in table.rows]


def test_the_build_plans_each_report_and_the_preparatory_file(rendered) -> None:
    assert sorted(rendered) == [
        "comptes-rendus/2026-06-20-dialogue-annuel",
        "comptes-rendus/2026-11-12-comite-suivi",
        "preparation-dialogue-2027-10-15",
    ]


def test_report_pdf_shows_the_summary_table_and_the_charts(rendered) -> None:
    text = _pdf_text(rendered["comptes-rendus/2026-06-20-dialogue-annuel"][0])
    assert "Compte-rendu – dialogue de gestion annuel du 20 juin 2026" in text
    assert "Tableau récapitulatif des objectifs – exercice 2025" in text
    assert "O1 · ABS-AS – Taux d'absentéisme des aides-soignants" in text
    assert "11,2 % (2023) 10,5 % 10,8 % +0,3 pt partiellement atteint" in text
    assert "97,4 % (2023) 97 % 96,1 % −0,9 pt partiellement atteint" in text
    assert "245 (2023) 240 250 +10 non atteint" in text
    assert "Taux d'atteinte global des indicateurs pour l'exercice 2025 : 40 %" in text
    assert "O5 – Développer l'hébergement temporaire" in text
    # the result is −23 400,50 €: its gap to the EPRD keeps the cents (cents12), as the data
    assert "15 000,00 € −23 400,50 € −38 400,50 €" in text
    # one chart per indicator, under its caption: title, direction and key are text
    assert text.count("Exercice 2025") == 6
    assert text.count("Sens : baisse (plus bas est mieux).") == 3
    assert text.count("Sens : hausse (plus haut est mieux).") == 3
    assert "ABS-AS – Taux d'absentéisme des aides-soignants Sens : baisse" in text


def test_report_docx_holds_the_same_table_and_one_picture_per_indicator(rendered) -> None:
    document = _docx(rendered["comptes-rendus/2026-06-20-dialogue-annuel"][1])
    rows = _table(document, "Objectif et indicateur")
    assert rows[0] == [
        "Objectif et indicateur",
        "Référence",
        "Cible 2025",
        "Réalisé 2025",
        "Écart à la cible",
        "Statut",
    ]
    assert rows[1] == [
        "O1 · ABS-AS – Taux d'absentéisme des aides-soignants",
        "11,2 % (2023)",
        "10,5 %",
        "10,8 %",
        "+0,3 pt",
        "partiellement atteint",
    ]
    assert [r[-1] for r in rows[1:]] == [
        "partiellement atteint",
        "atteint",
        "partiellement atteint",
        "atteint",
        "non atteint",
        "non évalué",
    ]
    statuses = _table(document, "Objectif")
    assert statuses[5] == [
        "O5 – Développer l'hébergement temporaire",
        "non évalué",
        "TO-HT : valeur réalisée non renseignée.",
    ]
    pictures = document.inline_shapes
    assert len(pictures) == 6
    captions = [p for p in document.paragraphs if p.style.name == "Légende graphique"]
    assert len(captions) == 6 and all("Sens : " in _plain(p.text) for p in captions)
    assert sum("Exercice 2025" in p.text for p in captions) == 6
    blobs = [
        p.part.related_parts[r]
        for p in [document.part]
        for r in p.rels
        if "image" in p.rels[r].reltype
    ]
    assert all(blob.blob.startswith(b"\x89PNG") for blob in blobs)


def test_open_actions_are_carried_into_the_next_agenda(rendered) -> None:
    pdf, data = rendered["comptes-rendus/2026-11-12-comite-suivi"]
    text = _pdf_text(pdf)
    agenda = text[text.index("Ordre du jour") : text.index("Tableau récapitulatif")]
    assert (
        "S1 – Transmettre le plan de formation 2026 ; pilote : directrice ; échéance : "
        "30 septembre 2026 ; à faire (relevé du 20 juin 2026)"
    ) in agenda
    assert "S3 – Chiffrer le remplacement des menuiseries" in agenda
    assert "S2" not in agenda  # done in June
    assert "abandonné" in text and "(Avenant nécessaire.)" in text
    assert "PROJET" in text  # a draft compte-rendu carries the watermark
    paragraphs = _plain(" ".join(p.text for p in _docx(data).paragraphs))
    assert "S3 – Chiffrer le remplacement des menuiseries" in paragraphs


def test_preparatory_file_from_the_data_alone(rendered) -> None:
    pdf, data = rendered["preparation-dialogue-2027-10-15"]
    text = _pdf_text(pdf)
    assert "Dossier préparatoire – point à mi-parcours du 15 octobre 2027" in text
    assert "Exercice examiné 2026" in text
    assert "S3 – Chiffrer le remplacement des menuiseries" in text
    assert "S4 – Préparer le projet d'avenant" in text
    assert "S1 –" not in text  # closed in November
    # reference, latest known actual, target and actual of the year examined, status
    assert "11,2 % (2023) 9,5 % (2026) 9,5 % 9,5 % atteint" in text
    assert "15 % (2024) 15 % (2025) 14 % – non évalué" in text
    assert "valeur réalisée non renseignée" not in text  # expected in a preparatory file
    assert text.count("Exercice 2026") == 6
    assert len(_docx(data).inline_shapes) == 6


def test_documents_are_reproducible(rendered) -> None:
    from cpomdocs.render.docx import render_docx
    from cpomdocs.render.pdf import render_pdf

    job = next(j for j in followup_jobs(check_folder(FIXTURE)) if j.name.endswith("comite-suivi"))
    document = job.compose(CREATED, None)
    assert (render_pdf(document), render_docx(document)) == rendered[job.name]


def test_the_build_plans_the_followup_documents() -> None:
    from cpomdocs.build.catalog import planned_documents
    from cpomdocs.build.planned import ContractInput

    checked = check_folder(FIXTURE)
    source = ContractInput(
        "ehpad-suivi", FIXTURE, checked, checked.contract.model, "cpom.yaml", b"", CREATED, None
    )
    names = [planned.name for planned in planned_documents(source)]
    assert names[-3:] == [
        "comptes-rendus/2026-06-20-dialogue-annuel",
        "comptes-rendus/2026-11-12-comite-suivi",
        "preparation-dialogue-2027-10-15",
    ]


def test_no_preparatory_file_for_a_draft_contract(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(FIXTURE, tmp_path / "projet")
    cpom = tmp_path / "projet" / "cpom.yaml"
    text = cpom.read_text(encoding="utf-8").replace("statut: signé", "statut: projet", 1)
    text = text[: text.index("empreinte:")]  # a draft carries no fingerprint
    cpom.write_text(text.replace("  signature: 2025-03-14\n", ""), encoding="utf-8")
    checked = check_folder(tmp_path / "projet")
    assert checked.ok, checked.all_problems
    names = [job.name for job in followup_jobs(checked)]
    assert names == [
        "comptes-rendus/2026-06-20-dialogue-annuel",
        "comptes-rendus/2026-11-12-comite-suivi",
    ]
