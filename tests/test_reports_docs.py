"""Documents of the follow-up: compte-rendu and preparatory file, their contexts and content."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cpomdocs.blocks import Heading, Image, Paragraph, Run, Section
from cpomdocs.model import Contract
from cpomdocs.model_acts import MeetingKind, MeetingReport, NextMeeting
from cpomdocs.report_views import (
    PlannedMeeting,
    next_dialogue,
    preparation_context,
    report_context,
)
from cpomdocs.reports import place_charts
from cpomdocs.validate import check_folder

FIXTURE = Path(__file__).parent / "fixtures" / "reports" / "ehpad-suivi"
NBSP = "\u00a0"


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


def test_place_charts_replaces_sections_by_images() -> None:
    image = Image(b"<svg/>", b"png", "alt")
    blocks = [
        Heading(2, [Run("Trajectoire")]),
        Section("graphique", [Paragraph([Run("ABS-AS")])]),
        Section("annex", [Section("graphique", [Paragraph([Run("ABS-AS")])])]),
    ]
    placed = place_charts(blocks, {"ABS-AS": image})
    assert placed[1] is image
    assert isinstance(placed[2], Section) and placed[2].children == [image]
