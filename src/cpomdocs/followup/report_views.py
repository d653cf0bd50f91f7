"""What the follow-up documents show: contexts of the compte-rendu and preparatory templates.

Values are formatted in French here (cpomdocs.fmt), so that templates only lay them out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from cpomdocs import fmt
from cpomdocs.data.model import Contract, Unit
from cpomdocs.data.model_acts import MeetingKind, MeetingReport, ReportStatus
from cpomdocs.data.rules import MANAGER_PARTY, contract_years
from cpomdocs.documents.legal_views import documents_to_produce
from cpomdocs.followup.charts import gap_fr, value_fr
from cpomdocs.followup.report_rows import (
    NONE,
    Pending,
    activity_rows,
    already_said,
    by_code,
    finance_rows,
    or_blank,
)
from cpomdocs.followup.tracking import (
    MAINTAIN_TOLERANCE,
    PARTIAL_SHARE,
    Status,
    Tracking,
    merged_actuals,
    open_actions,
    track,
)

DIALOGUE_KINDS = (MeetingKind.DIALOGUE_ANNUEL, MeetingKind.MI_PARCOURS, MeetingKind.BILAN_FINAL)
STATUS_RULE = (
    f"Règle de statut : « atteint » quand la cible de l'année est atteinte ou dépassée dans le "
    f"sens de l'indicateur ; « partiellement atteint » quand le réalisé a parcouru au moins "
    f"{PARTIAL_SHARE:.0%} du chemin entre la valeur de référence et la cible, ou, pour une cible "
    f"de maintien (égale ou en deçà de la référence), quand il s'en écarte de "
    f"{MAINTAIN_TOLERANCE:.0%} de la cible au plus ; « non évalué » sans cible ou sans valeur "
    f"réalisée. Le taux d'atteinte rapporte les indicateurs atteints aux indicateurs évalués."
).replace("%", "\u00a0%")


date_long = fmt.date_or  # « 1er juillet 2027 »; « date à fixer » when unknown
rate_fr = fmt.rate  # an achievement rate: « 40 % »; « – » when nothing could be evaluated


@dataclass(frozen=True)
class PlannedMeeting:
    """A dialogue de gestion to prepare: its date (when fixed), year, kind and place."""

    date: dt.date | None
    year: int
    kind: str
    place: str = ""

    @property
    def slug(self) -> str:
        """The date (or the year) used in the file name: preparation-dialogue-<slug>."""
        return self.date.isoformat() if self.date else str(self.year)


def next_dialogue(contract: Contract, reports: list[MeetingReport]) -> PlannedMeeting | None:
    """The first dialogue de gestion planned after the latest compte-rendu (None if none is)."""
    latest = max((r.date for r in reports), default=None)
    candidates = [
        PlannedMeeting(d.date_prevue, d.annee, d.type)
        for d in contract.suivi.dialogues
        if latest is None or (d.date_prevue or dt.date(d.annee, 12, 31)) > latest
    ]
    last = max(reports, key=lambda r: r.date, default=None)
    if last and last.prochaine_reunion and last.prochaine_reunion.type in DIALOGUE_KINDS:
        nxt = last.prochaine_reunion
        candidates.append(PlannedMeeting(nxt.date, nxt.date.year, nxt.type.value, nxt.lieu))
    return min(candidates, key=lambda m: m.date or dt.date(m.year, 12, 31), default=None)


def summary_rows(tracking: Tracking, pending: Pending = NONE) -> list[dict[str, str]]:
    """The « tableau récapitulatif des objectifs », one row per indicator, values in French;
    a value still « à compléter » in a draft (`pending`) is a blank, what follows from it « – »."""
    rows = []
    for result in tracking.indicators:
        unit, oid, code = result.indicator.unite, result.objective_id, result.code
        reference = result.indicator.reference
        value_to_fill, year_to_fill = (
            pending.reference(oid, code),
            pending.reference_year(oid, code),
        )
        year = or_blank(year_to_fill, str(reference.annee))
        actual_to_fill = result.actual is None and pending.actual(code, tracking.year)
        rows.append(
            {
                "objective": oid,
                "code": code,
                "label": result.indicator.libelle,
                "reference": or_blank(value_to_fill, value_fr(reference.valeur, unit)),
                # a reference still to fill: one blank, not « [à compléter] ([à compléter]) »
                "reference_year": "" if value_to_fill and year_to_fill else year,
                "target": or_blank(
                    pending.target(oid, code, tracking.year), value_fr(result.target, unit)
                ),
                "actual": or_blank(actual_to_fill, value_fr(result.actual, unit)),
                "gap": gap_fr(result.gap, unit),
                "status": result.status.value,
            }
        )
    return rows


def objective_rows(
    tracking: Tracking, comments: dict[str, str] | None = None, *, missing_values: bool = True
) -> list[dict[str, str]]:
    """One row per objective: its status and comment (from `comments`, else its latest review),
    followed by why any of its indicators could not be evaluated (a missing value only when
    `missing_values`: a preparatory file expects them all to be missing)."""
    rows = []
    for objective in tracking.objectives:
        own = objective.comment if comments is None else comments.get(objective.objective_id, "")
        shown = [
            r for r in objective.indicators if r.reason and (missing_values or r.target is None)
        ]
        reasons = [
            f"{r.code} : {r.reason}."
            for r in shown
            if not already_said(own, r.code, r.indicator.libelle, r.reason, alone=len(shown) == 1)
        ]
        rows.append(
            {
                "objective": objective.objective_id,
                "title": objective.objective.titre,
                "axis": objective.objective.axe,
                "status": objective.status.value,
                "comment": " ".join(p for p in (own.strip(), *reasons) if p),
            }
        )
    return rows


def rate_rows(tracking: Tracking) -> list[dict[str, str]]:
    """The achievement rate per axis, then overall (last row)."""
    rows = []
    for axis, rate in [*tracking.by_axis.items(), ("Ensemble du contrat", tracking.overall)]:
        counts = rate.counts
        rows.append(
            {
                "axis": axis,
                "evaluated": str(rate.evaluated),
                "atteint": str(counts[Status.ATTEINT]),
                "partiel": str(counts[Status.PARTIEL]),
                "non_atteint": str(counts[Status.NON_ATTEINT]),
                "rate": rate_fr(rate.rate),
            }
        )
    return rows


def _common_context(
    contract: Contract,
    contract_id: str,
    tracking: Tracking,
    comments: dict[str, str] | None,
    pending: Pending,
) -> dict[str, Any]:
    years = contract_years(contract)
    names = {pid: party.nom for pid, party in contract.autorites.items()}
    names[MANAGER_PARTY] = f"{contract.gestionnaire.nom} (organisme gestionnaire)"
    unreviewed = [
        f"{o.objective_id} – {o.objective.titre}" for o in tracking.objectives if not o.reviewed
    ]
    return {
        "c": contract,
        "contract_id": contract_id,
        "period": f"{years.start}\u2013{years.stop - 1}",
        "party_names": names,
        "year": tracking.year,
        "in_period": tracking.year in years,
        "summary": summary_rows(tracking, pending),
        "objectives": objective_rows(tracking, comments),
        "remarks": [  # what was said of objectives in a meeting outside the contract's period
            {"objective": o.objective_id, "title": o.objective.titre, "comment": said}
            for o in tracking.objectives
            if (said := (comments or {}).get(o.objective_id, "").strip())
        ],
        "not_evaluated": tracking.overall.counts[Status.NON_EVALUE],
        "abandoned": tracking.overall.counts[Status.ABANDONNE],
        "rates": rate_rows(tracking),
        "evaluated": tracking.overall.evaluated,
        "attained": tracking.overall.counts[Status.ATTEINT],
        "preparation": False,
        "overall_rate": rate_fr(tracking.overall.rate),
        "unreviewed": unreviewed,
        "status_rule": STATUS_RULE,
        "charts": [r.code for r in tracking.indicators],
        "date_long": date_long,
    }


def _open_actions_context(reports: list[MeetingReport], before: dt.date | None) -> list[dict]:
    return [
        {
            "code": a.code,
            "label": a.action.libelle,
            "owner": a.action.responsable,
            "due": date_long(a.action.echeance),
            "status": a.action.statut.value,
            "decided": date_long(a.decided_on),
        }
        for a in open_actions(reports, before)
    ]


def report_context(
    contract: Contract,
    contract_id: str,
    report: MeetingReport,
    reports: list[MeetingReport],
    pending: Pending = NONE,
) -> dict[str, Any]:
    """The variables of the compte-rendu template; `pending`: what the draft contract and this
    compte-rendu still leave « à compléter » (printed as blanks, report_rows.Pending)."""
    earlier = [r for r in reports if r.date < report.date]
    tracking = track(contract, report.exercice, [*earlier, report], pending)
    comments = {oid: review.commentaire for oid, review in report.objectifs.items()}
    context = _common_context(contract, contract_id, tracking, comments, pending)
    context.update(
        {
            "r": report,
            "kind": report.type.value,
            "date": date_long(report.date),
            "approved": report.statut is ReportStatus.APPROUVE,
            "carried_actions": _open_actions_context(earlier, None),
            "activity": activity_rows(contract, report, pending),
            "finances": finance_rows(contract, report, pending),
            "actions": [
                {
                    "code": code,
                    "label": a.libelle,
                    "owner": a.responsable,
                    "due": date_long(a.echeance),
                    "status": a.statut.value,
                }
                for code, a in sorted(report.actions.items(), key=by_code)
            ],
            "next_date": date_long(report.prochaine_reunion.date)
            if report.prochaine_reunion
            else "",
        }
    )
    return context


def preparation_year(contract: Contract, meeting: PlannedMeeting) -> int:
    """The exercice a dialogue examines: the year before it (its ERRD), within the contract."""
    years = contract_years(contract)
    return min(max(meeting.year - 1, years.start), years.stop - 1)


def tracking_unit(tracking: Tracking, code: str) -> Unit:
    """The unit of indicator `code` in `tracking`."""
    return next(r.indicator.unite for r in tracking.indicators if r.code == code)


def preparation_context(
    contract: Contract,
    contract_id: str,
    meeting: PlannedMeeting,
    reports: list[MeetingReport],
    pending: Pending = NONE,
) -> dict[str, Any]:
    """The variables of the template of the file that prepares a dialogue de gestion; `pending`:
    the contract's figures still « à compléter »."""
    year = preparation_year(contract, meeting)
    tracking = track(contract, year, reports, pending)
    context = _common_context(contract, contract_id, tracking, None, pending)
    latest = max((r.date for r in reports), default=None)
    actuals = merged_actuals(reports)
    for row in context["summary"]:
        known = {y: v for y, v in actuals.get(row["code"], {}).items() if y <= year}
        unit = tracking_unit(tracking, row["code"])
        last = max(known, default=None)
        row["latest"] = "–" if last is None else f"{value_fr(known[last], unit)} ({last})"
    context.update(
        {
            "preparation": True,
            "objectives": objective_rows(tracking, None, missing_values=False),
            "meeting": meeting,
            "date": date_long(meeting.date) if meeting.date else f"{meeting.year} (date à fixer)",
            "as_of": date_long(latest) if latest else "",
            "open_actions": _open_actions_context(reports, None),
            "reports_count": len(reports),
            # the contract's article 5 list, so the file asks for what the contract asks for
            "documents": documents_to_produce(contract),
        }
    )
    return context
