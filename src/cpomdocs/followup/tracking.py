"""Objectives tracking: each indicator's target, actual value, gap and status for one year.

The status of an indicator for a year compares the actual value `a` with the year's target `t`
and the indicator's reference value `r`, in the indicator's direction (sens: « hausse », higher
is better; « baisse », lower is better). With s = +1 for « hausse » and -1 for « baisse »:

- « non évalué »: no target for that year, or no actual value reported; in a draft, a target
  or an actual value still « à compléter », or a reference still to fill when the target is
  not reached (report_rows.Pending: such a value is never taken for 0);
- « atteint »: the target is reached or beaten, s × (a − t) ≥ 0 (reached exactly counts);
- « partiellement atteint »: not reached, but
  - when the target asks for progress over the reference (s × (t − r) > 0): the actual has
    covered at least PARTIAL_SHARE (half) of the way from the reference to the target,
    (a − r) / (t − r) ≥ 0.5;
  - when it asks for none (target equal to the reference, or below it: « maintenir »): the
    actual falls short of the target by at most MAINTAIN_TOLERANCE (2 %) of |t|;
- « non atteint »: otherwise;
- « abandonné »: the objective was declared abandoned by a compte-rendu (it then leaves the
  achievement rates).

The gap (écart) is a − t, in the indicator's unit (points for a percentage). The achievement
rate is the share of evaluated indicators (atteint, partiellement atteint, non atteint) that are
« atteint »; it is None when no indicator could be evaluated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from cpomdocs.data.model import Contract, Direction, Indicator, Objective
from cpomdocs.data.model_acts import (
    ActionStatus,
    FollowUpAction,
    MeetingReport,
    ObjectiveReview,
)
from cpomdocs.followup.report_rows import BLANK, NONE, Pending

PARTIAL_SHARE = 0.5
MAINTAIN_TOLERANCE = 0.02
_EPSILON = 1e-9


class Status(StrEnum):
    """The status of an indicator or an objective for one year."""

    ATTEINT = "atteint"
    PARTIEL = "partiellement atteint"
    NON_ATTEINT = "non atteint"
    NON_EVALUE = "non évalué"
    ABANDONNE = "abandonné"


EVALUATED = (Status.ATTEINT, Status.PARTIEL, Status.NON_ATTEINT)


def classify(
    direction: Direction, reference: float | None, target: float | None, actual: float | None
) -> Status:
    """The status of one actual value against its target (see the module docstring); a
    `reference` None is one still to fill."""
    if target is None or actual is None:
        return Status.NON_EVALUE
    sign = 1.0 if direction is Direction.HAUSSE else -1.0
    slack = _EPSILON * max(1.0, abs(target))
    shortfall = sign * (target - actual)
    if shortfall <= slack:
        return Status.ATTEINT
    if reference is None:
        return Status.NON_EVALUE  # partly or not reached: measured from the reference
    effort = sign * (target - reference)
    if effort > slack:
        covered = (actual - reference) / (target - reference)
        return Status.PARTIEL if covered >= PARTIAL_SHARE - _EPSILON else Status.NON_ATTEINT
    allowed = MAINTAIN_TOLERANCE * abs(target)
    return Status.PARTIEL if shortfall <= allowed + slack else Status.NON_ATTEINT


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator for one year: reference, target, actual, gap and status."""

    objective_id: str
    code: str
    indicator: Indicator
    year: int
    target: float | None
    actual: float | None
    status: Status
    reason: str = ""  # why it is not evaluated, in French

    @property
    def gap(self) -> float | None:
        """Actual minus target, in the indicator's unit (None when either is missing)."""
        if self.target is None or self.actual is None:
            return None
        return self.actual - self.target


@dataclass
class ObjectiveResult:
    """One objective for one year: its indicators' results and an overall status."""

    objective_id: str
    objective: Objective
    indicators: list[IndicatorResult]
    status: Status
    comment: str = ""
    reviewed: bool = False  # named by at least one compte-rendu so far


@dataclass
class Rate:
    """Counts of statuses and the achievement rate they give."""

    counts: dict[Status, int] = field(default_factory=lambda: {s: 0 for s in Status})

    def add(self, status: Status) -> None:
        """Count one more indicator of this status."""
        self.counts[status] += 1

    @property
    def evaluated(self) -> int:
        """How many indicators could be evaluated."""
        return sum(self.counts[s] for s in EVALUATED)

    @property
    def rate(self) -> float | None:
        """Share of evaluated indicators that are « atteint » (None when none was evaluated)."""
        return self.counts[Status.ATTEINT] / self.evaluated if self.evaluated else None


@dataclass
class Tracking:
    """The objectives of a contract for one year, with the achievement rates."""

    year: int
    objectives: list[ObjectiveResult]
    overall: Rate
    by_axis: dict[str, Rate]
    unreviewed: list[str]  # ids of objectives that no compte-rendu has reviewed

    @property
    def indicators(self) -> list[IndicatorResult]:
        """Every indicator result, objective by objective."""
        return [r for o in self.objectives for r in o.indicators]


def indicator_result(
    objective_id: str,
    code: str,
    indicator: Indicator,
    year: int,
    actual: float | None,
    abandoned: bool,
    pending: Pending = NONE,
) -> IndicatorResult:
    """The result of one indicator for `year`, with the reason when it cannot be evaluated
    (a value still « à compléter » in a draft, `pending`, is no value)."""
    target_to_fill = pending.target(objective_id, code, year)
    target = None if target_to_fill else indicator.cibles.get(year)
    if abandoned:
        return IndicatorResult(
            objective_id, code, indicator, year, target, actual, Status.ABANDONNE
        )
    reference_to_fill = pending.reference(objective_id, code)
    reference = None if reference_to_fill else indicator.reference.valeur
    status = classify(indicator.sens, reference, target, actual)
    reason = ""
    if target_to_fill:
        reason = f"cible {year} {BLANK}"
    elif target is None:
        reason = f"pas de cible pour {year}"
    elif actual is None:
        to_fill = pending.actual(code, year)
        reason = f"valeur réalisée {BLANK if to_fill else 'non renseignée'}"
    elif status is Status.NON_EVALUE:
        reason = f"valeur de référence {BLANK}"
    return IndicatorResult(objective_id, code, indicator, year, target, actual, status, reason)


def objective_status(results: list[IndicatorResult]) -> Status:
    """An objective's status from its indicators' (abandoned, atteint when all are, …)."""
    statuses = [r.status for r in results]
    if statuses and all(s is Status.ABANDONNE for s in statuses):
        return Status.ABANDONNE
    evaluated = [s for s in statuses if s in EVALUATED]
    if not evaluated:
        return Status.NON_EVALUE
    if all(s is Status.ATTEINT for s in evaluated):
        return Status.ATTEINT
    if all(s is Status.NON_ATTEINT for s in evaluated):
        return Status.NON_ATTEINT
    return Status.PARTIEL


def merged_actuals(reports: Iterable[MeetingReport]) -> dict[str, dict[int, float]]:
    """Actual values by indicator and year, later comptes-rendus overriding earlier ones."""
    actuals: dict[str, dict[int, float]] = {}
    for report in sorted(reports, key=lambda r: r.date):
        for code, by_year in report.realisations.items():
            actuals.setdefault(code, {}).update(by_year)
    return actuals


def merged_reviews(reports: Iterable[MeetingReport]) -> dict[str, ObjectiveReview]:
    """The latest review of each objective across comptes-rendus."""
    reviews: dict[str, ObjectiveReview] = {}
    for report in sorted(reports, key=lambda r: r.date):
        reviews.update(report.objectifs)
    return reviews


def reviewed_objectives(contract: Contract, reports: Iterable[MeetingReport]) -> set[str]:
    """Ids of objectives a compte-rendu reviewed: named, or one of its indicators reported."""
    owner = {code: oid for code, (oid, _) in contract.all_indicators().items()}
    reviewed: set[str] = set()
    for report in reports:
        reviewed.update(report.objectifs)
        reviewed.update(owner[code] for code in report.realisations if code in owner)
    return reviewed


def track(
    contract: Contract, year: int, reports: list[MeetingReport], pending: Pending = NONE
) -> Tracking:
    """The objectives of `contract` for `year`, from the actual values of `reports`; `pending`:
    what a draft contract or compte-rendu still leaves « à compléter »."""
    actuals = merged_actuals(reports)
    reviews = merged_reviews(reports)
    reviewed = reviewed_objectives(contract, reports)
    overall, by_axis, objectives = Rate(), {}, []
    for oid, objective in contract.objectifs.items():
        review = reviews.get(oid, ObjectiveReview())
        results = [
            indicator_result(
                oid,
                code,
                indicator,
                year,
                actuals.get(code, {}).get(year),
                review.abandonne,
                pending,
            )  # fmt: skip
            for code, indicator in objective.indicateurs.items()
        ]
        axis = by_axis.setdefault(objective.axe, Rate())
        for result in results:
            overall.add(result.status)
            axis.add(result.status)
        objectives.append(
            ObjectiveResult(
                oid,
                objective,
                results,
                objective_status(results),
                review.commentaire,
                oid in reviewed,
            )
        )
    unreviewed = [o.objective_id for o in objectives if not o.reviewed]
    return Tracking(year, objectives, overall, by_axis, unreviewed)


def track_report(
    contract: Contract, report: MeetingReport, others: list[MeetingReport]
) -> Tracking:
    """The tracking a compte-rendu shows: its exercice, its values over those of earlier ones."""
    earlier = [r for r in others if r.date < report.date and r is not report]
    return track(contract, report.exercice, [*earlier, report])


@dataclass(frozen=True)
class OpenAction:
    """An action of a compte-rendu still « à faire » or « en cours »."""

    code: str
    action: FollowUpAction
    decided_on: dt.date  # date of the compte-rendu that last listed it


def open_actions(
    reports: Iterable[MeetingReport], before: dt.date | None = None
) -> list[OpenAction]:
    """Actions still open after the comptes-rendus held before `before` (all when None)."""
    latest: dict[str, OpenAction] = {}
    for report in sorted(reports, key=lambda r: r.date):
        if before is not None and report.date >= before:
            continue
        for code, action in report.actions.items():
            latest[code] = OpenAction(code, action, report.date)
    still_open = (ActionStatus.A_FAIRE, ActionStatus.EN_COURS)
    found = [a for a in latest.values() if a.action.statut in still_open]
    return sorted(found, key=lambda a: (a.action.echeance, a.code))
