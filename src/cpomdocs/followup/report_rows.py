"""The compte-rendu's own tables, and the figures a draft leaves « à compléter » in the follow-up.

The tables: activity and financial results, as the compte-rendu's template lays them out.
A draft's figure still « à compléter » prints the blank « [à compléter] » (Pending), a value
the compte-rendu does not give « – »; a rate or a gap over either is « – ».

What a draft leaves « à compléter » that the follow-up documents show as blanks.

A compte-rendu and the file preparing a dialogue print the contract's indicator references and
targets, and the compte-rendu's own measures and actual values. In a draft, a value still to fill
prints the highlighted blank « [à compléter] » (cpomdocs.blanks), is never counted as 0 (no
status, no gap, no point on a chart), and a value the file simply does not give keeps its own
words (« – », « non renseignée »): « to fill » is a task of the editor, « absent » a fact the
meeting records. Both sets are data/placeholders.pending_figures' dotted paths (Checked.figures):
the numbers present on a line marked « # à compléter », so an absent value is in neither.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from cpomdocs import blanks, fmt
from cpomdocs.data.document import dotted
from cpomdocs.data.model import Contract
from cpomdocs.data.model_acts import MeetingReport
from cpomdocs.data.placeholders import ACTIVITY, FINANCES

BLANK = blanks.PENDING_TEXT


@dataclass(frozen=True)
class Pending:
    """The figures to fill of a contract (`contract`) and of the compte-rendu shown (`report`)."""

    contract: frozenset[str] = frozenset()
    report: frozenset[str] = frozenset()

    def reference(self, oid: str, code: str) -> bool:
        """True when the reference value of indicator `code` (objective `oid`) is to fill."""
        return _indicator(oid, code, "reference", "valeur") in self.contract

    def reference_year(self, oid: str, code: str) -> bool:
        """True when the year of that reference value is to fill."""
        return _indicator(oid, code, "reference", "annee") in self.contract

    def target(self, oid: str, code: str, year: int) -> bool:
        """True when the target of indicator `code` for `year` is to fill."""
        return _indicator(oid, code, "cibles", str(year)) in self.contract

    def target_years(self, oid: str, code: str, years: Iterable[int]) -> list[int]:
        """Which of `years` (an indicator's cibles) hold a target to fill, in order."""
        return sorted(y for y in years if self.target(oid, code, y))

    def actual(self, code: str, year: int) -> bool:
        """True when the compte-rendu's actual value of `code` for `year` is to fill."""
        return dotted(("realisations", code, str(year))) in self.report

    def in_report(self, *path: str | int) -> bool:
        """True when the compte-rendu's number at `path` is to fill."""
        return dotted(path) in self.report


NONE = Pending()  # a signed contract, an approved compte-rendu: nothing to fill


def _indicator(oid: str, code: str, *rest: str) -> str:
    return dotted(("objectifs", oid, "indicateurs", code, *rest))


def or_blank(pending: bool, shown: str) -> str:
    """The blank « [à compléter] » for a value to fill, else `shown`."""
    return BLANK if pending else shown


def euros_of(report: MeetingReport) -> Callable[[float], str]:
    """How the results table prints euros: without cents (« −18 700 € ») unless any result
    has cents, then every one with them (« 148 600,50 € »): no figure differs from the data."""
    results = [
        r for f in report.execution_financiere for r in (f.resultat_prevu, f.resultat_realise)
    ]
    cents = fmt.has_cents(r for r in results if r is not None)
    return lambda value: fmt.amount(value, cents)


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
    euros = euros_of(report)
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
                else euros(f.resultat_prevu),
                "actual": _result(pending, index, f.resultat_realise, euros),
                "gap": fmt.NO_VALUE if gap is None else fmt.signed(round(gap, 2), euros(gap)),
                "allocation": f.affectation,
            }
        )
    return finances


def _measure(pending: Pending, finess: str, name: str, value: int | None) -> str:
    """An activity measure: its figure, the blank when still to fill, « – » when not given."""
    if value is None:
        return or_blank(pending.in_report(ACTIVITY, finess, name), "–")
    return fmt.number(value)


def _result(
    pending: Pending, index: int, value: float | None, euros: Callable[[float], str]
) -> str:
    """A realised result: in euros, the blank when still to fill, « – » when not given."""
    if value is None:
        return or_blank(pending.in_report(FINANCES, index, "resultat_realise"), "–")
    return euros(value)


# « n'est pas évalué », « non renseignée », « pas encore disponibles » … in a comment
NOT_EVALUATED = re.compile(
    r"\b(?:non|pas)(?:\s+encore)?\s+(?:évalu|renseign|disponible|connu|consolid|mesur)",
    re.IGNORECASE,
)


def already_said(comment: str, code: str, label: str, reason: str, *, alone: bool) -> bool:
    """Whether `comment` already says why the indicator `code` is not evaluated: it says « non
    évalué » (or the like) and names the indicator, or it is the objective's only such one; a
    value still « à compléter » is always shown (the editor's task)."""
    if BLANK in reason or not NOT_EVALUATED.search(comment):
        return False
    named = re.search(rf"\b{re.escape(code)}\b", comment) or label.lower() in comment.lower()
    return bool(named or alone)


def by_code(item: tuple[str, object]) -> list:
    """« R2 » before « R10 »: a relevé lists its actions by code, letters then number."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", item[0])]
