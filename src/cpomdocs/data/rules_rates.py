"""The range of an indicator measured in %, told by what its label says it measures.

A share of a whole (absentéisme, vétusté, ETP vacants, sorties vers le logement, « part des… »)
lies between 0 and 100 %. An occupation or activity rate passes 100 % a little (an accueil de
jour that takes more people than it has places some days, a service that does more than its
planned activity): up to 120 %. A turnover or staffing rate has no ceiling but is never
negative. An evolution, a gap, a margin or a self-financing rate may be negative or pass
100 %: nothing is checked. These are warnings (`--strict` refuses them): a label is a hint, not
a proof of what is measured.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from cpomdocs import fmt
from cpomdocs.data.document import Document
from cpomdocs.data.model import Contract, Indicator
from cpomdocs.data.model_acts import MeetingReport
from cpomdocs.data.model_terms import Unit
from cpomdocs.errors import Problem, Severity


@dataclass(frozen=True)
class RateRange:
    """Where the values of one kind of rate lie, and how a message names that kind."""

    low: float
    high: float | None  # None: no ceiling
    kind: str


SHARE = RateRange(0, 100, "un taux qui mesure une part d'un tout")
ACTIVITY = RateRange(
    0, 120, "un taux d'occupation ou d'activité, qui ne dépasse 100\u00a0% que de peu"
)
NO_CEILING = RateRange(0, None, "un taux de rotation, de renouvellement ou d'encadrement")
# Words that begin a word of the label (lower case, without accents): « marge » is not the
# « émargement » of a share, « caf » stands alone. The first family that matches wins.
SIGNED = re.compile(
    r"\b(?:evolution|variation|progression|croissance|ecart|marge|resultat|autofinancement"
    r"|caf\b|solde|rentabilite|excedent|deficit)"
)
FAMILIES = (
    (re.compile(r"\b(?:occupation|realisation|activite|remplissage|frequentation)"), ACTIVITY),
    (re.compile(r"\b(?:rotation|turn-?over|renouvellement|encadrement)"), NO_CEILING),
)


def _plain(text: str) -> str:
    """`text` in lower case without accents: « Évolution » → « evolution »."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def rate_range(indicator: Indicator) -> RateRange | None:
    """The range of an indicator's values, or None when it is not in % or may be negative."""
    if indicator.unite is not Unit.PERCENT:
        return None
    label = _plain(indicator.libelle)
    if SIGNED.search(label):
        return None
    return next((bounds for words, bounds in FAMILIES if words.search(label)), SHARE)


def out_of_range(value: float, bounds: RateRange) -> str:
    """Why `value` (in %) does not fit `bounds`, or ""."""
    if bounds.low <= value and (bounds.high is None or value <= bounds.high):
        return ""
    low = fmt.percent(bounds.low)
    expected = f"de {low} à {fmt.percent(bounds.high)}" if bounds.high else f"{low} ou plus"
    return (
        f"{fmt.percent(value)} hors de la plage attendue pour {bounds.kind} : {expected} ; "
        "vérifiez la valeur (virgule mal placée, autre unité ?)"
    )


def _values(indicator: Indicator) -> Iterator[tuple[tuple[str, ...], float]]:
    yield ("reference", "valeur"), indicator.reference.valeur
    for year, value in indicator.cibles.items():
        yield ("cibles", str(year)), value


def check_rates(doc: Document, c: Contract) -> list[Problem]:
    """A reference or target of an indicator in % outside the range of its kind of rate."""
    found = []
    for oid, objective in c.objectifs.items():
        for code, indicator in objective.indicateurs.items():
            bounds = rate_range(indicator)
            for where, value in _values(indicator) if bounds else ():
                why = out_of_range(value, bounds) if bounds else ""
                if why:
                    path = ("objectifs", oid, "indicateurs", code, *where)
                    found.append(doc.problem(path, why, severity=Severity.WARNING))
    return found


def check_report_rates(doc: Document, c: Contract, report: MeetingReport) -> list[Problem]:
    """A value reached (compte-rendu) of an indicator in % outside the range of its kind."""
    found = []
    indicators = c.all_indicators()
    for code, values in report.realisations.items():
        bounds = rate_range(indicators[code][1]) if code in indicators else None
        for year, value in values.items() if bounds else ():
            why = out_of_range(value, bounds) if bounds else ""
            if why:
                path = ("realisations", code, str(year))
                found.append(doc.problem(path, why, severity=Severity.WARNING))
    return found
