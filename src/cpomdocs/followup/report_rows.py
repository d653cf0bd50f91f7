"""The compte-rendu's own tables: activity and financial results, as its template lays them out.

A draft's figure still « à compléter » prints the blank « [à compléter] » (pending.py), a value
the compte-rendu does not give « – »; a rate or a gap over either is « – ».
"""

from __future__ import annotations

from cpomdocs import blanks, fmt
from cpomdocs.data.model import Contract
from cpomdocs.data.model_acts import MeetingReport
from cpomdocs.data.placeholders import ACTIVITY, FINANCES
from cpomdocs.followup.pending import Pending, or_blank

euros_whole = fmt.amount_round  # results are reported without cents: « −18 700 € »


def activity_rows(
    contract: Contract, report: MeetingReport, pending: Pending
) -> list[dict[str, str]]:
    """One row per ESSMS of the compte-rendu's « activite »: places, days planned and done, rate."""
    activity = []
    for finess, a in report.activite.items():
        essms = contract.etablissements.get(finess)
        rate = None
        if a.journees_prevues and a.journees_realisees is not None:
            rate = fmt.rate(a.journees_realisees / a.journees_prevues, digits=1)
        activity.append(
            {
                "name": essms.nom if essms else finess,
                "capacity": or_blank(
                    pending.in_report(ACTIVITY, finess, "capacite"), str(a.capacite)
                ),
                "planned": _measure(pending, finess, "journees_prevues", a.journees_prevues),
                "actual": _measure(pending, finess, "journees_realisees", a.journees_realisees),
                "rate": rate or "–",
                "unit": a.unite.value,
                "comment": a.commentaire,
            }
        )
    return activity


def finance_rows(
    contract: Contract, report: MeetingReport, pending: Pending
) -> list[dict[str, str]]:
    """One row per line of « execution_financiere »: results planned and realised, their gap."""
    finances = []
    for index, f in enumerate(report.execution_financiere):
        essms = contract.etablissements.get(f.etablissement or "")
        known = f.resultat_realise is not None and f.resultat_prevu is not None
        gap = f.resultat_realise - f.resultat_prevu if known else None  # type: ignore[operator]
        finances.append(
            {
                "scope": essms.nom if essms else "Ensemble du CPOM",
                "year": str(f.exercice),
                # resultat_prevu None: a draft's figure still « à compléter » (the schema
                # requires it); resultat_realise None: to fill, or not given (« – »)
                "planned": blanks.PENDING_TEXT
                if f.resultat_prevu is None
                else euros_whole(f.resultat_prevu),
                "actual": _result(pending, index, f.resultat_realise),
                "gap": fmt.NO_VALUE if gap is None else fmt.signed(round(gap), euros_whole(gap)),
                "allocation": f.affectation,
            }
        )
    return finances


def _measure(pending: Pending, finess: str, name: str, value: int | None) -> str:
    """An activity measure: its figure, the blank when still to fill, « – » when not given."""
    if value is None:
        return or_blank(pending.in_report(ACTIVITY, finess, name), "–")
    return fmt.number(value)


def _result(pending: Pending, index: int, value: float | None) -> str:
    """A realised result: in euros, the blank when still to fill, « – » when not given."""
    if value is None:
        return or_blank(pending.in_report(FINANCES, index, "resultat_realise"), "–")
    return euros_whole(value)
