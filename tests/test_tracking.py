"""Objectives tracking: statuses on the edge cases, achievement rates, open actions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cpomdocs.data.model import Contract, Direction
from cpomdocs.data.model_acts import MeetingReport
from cpomdocs.data.validate import check_folder
from cpomdocs.followup.tracking import (
    Status,
    classify,
    open_actions,
    reviewed_objectives,
    track,
    track_report,
)

FIXTURE = Path(__file__).parent / "fixtures" / "reports" / "ehpad-suivi"
UP, DOWN = Direction.HAUSSE, Direction.BAISSE


@pytest.fixture(scope="module")
def folder() -> tuple[Contract, list[MeetingReport]]:
    checked = check_folder(FIXTURE)
    assert checked.ok, checked.all_problems
    reports = [c.model for c in checked.reports]
    assert all(isinstance(r, MeetingReport) for r in reports)
    return checked.contract.model, reports  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("direction", "reference", "target", "actual", "expected"),
    [
        # higher is better: beaten, reached exactly, half way, less than half way, worse
        (UP, 60, 70, 72, Status.ATTEINT),
        (UP, 60, 70, 70, Status.ATTEINT),
        (UP, 60, 70, 65, Status.PARTIEL),
        (UP, 60, 70, 64.9, Status.NON_ATTEINT),
        (UP, 60, 70, 55, Status.NON_ATTEINT),
        # lower is better: the same cases mirrored
        (DOWN, 11.2, 10.5, 10.2, Status.ATTEINT),
        (DOWN, 11.2, 10.5, 10.5, Status.ATTEINT),
        (DOWN, 11.2, 10.5, 10.85, Status.PARTIEL),
        (DOWN, 11.2, 10.5, 10.9, Status.NON_ATTEINT),
        (DOWN, 11.2, 10.5, 11.5, Status.NON_ATTEINT),
        # floating-point sums that land on the target count as reached
        (UP, 0.1, 0.3, 0.1 + 0.2, Status.ATTEINT),
        # reference equal to the target: 2 % of the target tolerated
        (UP, 97, 97, 95.06, Status.PARTIEL),
        (UP, 97, 97, 95.0, Status.NON_ATTEINT),
        (DOWN, 15, 15, 15.3, Status.PARTIEL),
        (DOWN, 15, 15, 15.31, Status.NON_ATTEINT),
        # target below an already better reference (« maintenir »): same 2 % rule
        (UP, 97.4, 97, 96.1, Status.PARTIEL),
        (UP, 97.4, 97, 97.4, Status.ATTEINT),
        # a target of zero leaves no tolerance
        (DOWN, 0, 0, 0.5, Status.NON_ATTEINT),
        # missing target or missing actual
        (UP, 60, None, 70, Status.NON_EVALUE),
        (UP, 60, 70, None, Status.NON_EVALUE),
    ],
)
def test_classify(direction, reference, target, actual, expected) -> None:
    assert classify(direction, reference, target, actual) is expected


def _by_code(tracking) -> dict:
    return {r.code: r for r in tracking.indicators}


def test_statuses_of_the_first_dialogue(folder) -> None:
    contract, reports = folder
    first = next(r for r in reports if r.exercice == 2025)
    tracking = track_report(contract, first, reports)
    rows = _by_code(tracking)
    assert tracking.year == 2025
    assert rows["ABS-AS"].status is Status.PARTIEL  # lower is better, 57 % of the way
    assert rows["ABS-AS"].gap == pytest.approx(0.3)
    assert rows["ROTATION"].status is Status.ATTEINT  # reference = target, reached exactly
    assert rows["ROTATION"].gap == 0
    assert rows["TO-HP"].status is Status.PARTIEL  # maintain 97, 96.1 is within 2 %
    assert rows["PAP"].status is Status.ATTEINT  # target reached exactly
    assert rows["ENERGIE"].status is Status.NON_ATTEINT  # moved away from the target
    assert rows["TO-HT"].status is Status.NON_EVALUE
    assert rows["TO-HT"].reason == "valeur réalisée non renseignée"
    assert rows["TO-HT"].gap is None
    # a later compte-rendu does not leak into an earlier one
    assert rows["ABS-AS"].actual == 10.8


def test_rates_overall_and_per_axis(folder) -> None:
    contract, reports = folder
    first = next(r for r in reports if r.exercice == 2025)
    tracking = track_report(contract, first, reports)
    assert tracking.overall.evaluated == 5
    assert tracking.overall.rate == pytest.approx(2 / 5)
    rates = {axis: rate.rate for axis, rate in tracking.by_axis.items()}
    assert rates == {
        "Ressources humaines": 0.5,
        "Activité": 0.0,
        "Qualité de l'accompagnement": 1.0,
        "Immobilier et développement durable": 0.0,
        "Parcours": None,
    }
    objectives = {o.objective_id: o.status for o in tracking.objectives}
    assert objectives == {
        "O1": Status.PARTIEL,
        "O2": Status.PARTIEL,
        "O3": Status.ATTEINT,
        "O4": Status.NON_ATTEINT,
        "O5": Status.NON_EVALUE,
    }


def test_second_meeting_year_without_target_and_abandon(folder) -> None:
    contract, reports = folder
    second = next(r for r in reports if r.exercice == 2026)
    tracking = track_report(contract, second, reports)
    rows = _by_code(tracking)
    assert rows["ABS-AS"].status is Status.ATTEINT  # 9.5 = target, lower is better
    assert rows["PAP"].status is Status.NON_EVALUE
    assert rows["PAP"].reason == "pas de cible pour 2026"
    assert rows["PAP"].target is None and rows["PAP"].actual == 80
    assert rows["ENERGIE"].status is Status.ABANDONNE
    assert rows["ROTATION"].status is Status.NON_EVALUE  # no actual for 2026
    # abandoned and unevaluated indicators leave the rate: ABS-AS alone is evaluated
    assert tracking.overall.evaluated == 1
    assert tracking.overall.rate == 1.0
    assert tracking.overall.counts[Status.ABANDONNE] == 1
    assert {o.objective_id: o.status for o in tracking.objectives}["O4"] is Status.ABANDONNE


def test_unreviewed_objectives_are_flagged(folder) -> None:
    contract, reports = folder
    assert reviewed_objectives(contract, reports) == {"O1", "O2", "O3", "O4"}
    assert track(contract, 2026, reports).unreviewed == ["O5"]
    assert track(contract, 2026, []).unreviewed == ["O1", "O2", "O3", "O4", "O5"]


def test_open_actions_carry_over(folder) -> None:
    _, reports = folder
    before_second = open_actions(reports, before=dt.date(2026, 11, 12))
    assert [a.code for a in before_second] == ["S1", "S3"]  # S2 was done
    after_all = open_actions(reports)
    # S1 was closed by the second compte-rendu; S4 is new
    assert [a.code for a in after_all] == ["S3", "S4"]
    assert after_all[0].decided_on == dt.date(2026, 6, 20)
