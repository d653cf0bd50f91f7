"""What the templates show but the model does not hold as such: tables, totals, labels, orders.

Computed here, in Python, so that no template adds amounts up and both writers get the same
figures.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from cpomdocs import blanks, fmt
from cpomdocs.data.model import Contract, Funding, LegalBasis, Unit
from cpomdocs.data.model_parties import Capacities
from cpomdocs.data.model_terms import add_months
from cpomdocs.data.rules import MANAGER_PARTY, contract_years
from cpomdocs.documents.legal_views import AnnexEntry, annexes, legal_context
from cpomdocs.documents.party_views import (
    forecast_reserve,
    manager_term,
    party_name,
    party_short_name,
    signatories,
    with_article,
)

ANNEXES = [
    (1, "Fiche signalétique du gestionnaire et des établissements et services"),
    (2, "Synthèse du diagnostic partagé"),
    (3, "Fiches objectifs et fiches actions"),
    (4, "Tableau des indicateurs et de leurs cibles annuelles"),
    (5, "Annexe financière"),
    (6, "Calendrier des évaluations et des dialogues de gestion"),
    (7, "Composition du comité de suivi"),
]
ANNEX_TEMPLATES = {
    1: "annexe-1-fiche-signaletique.md.j2",
    2: "annexe-2-diagnostic.md.j2",
    3: "annexe-3-objectifs.md.j2",
    4: "annexe-4-indicateurs.md.j2",
    5: "annexe-5-financiere.md.j2",
    6: "annexe-6-calendrier.md.j2",
    7: "annexe-7-comite.md.j2",
}
EHPAD_CATEGORY = "500"


@dataclass
class FinanceLine:
    """One nature of financing of one ESSMS by one financeur, year by year."""

    financeur: str
    nature: str
    amounts: dict[int, float]
    path: str = (
        ""  # where the amounts live in the data: financement.lignes.<finess>.<party>.<nature>
    )
    pending: set[int] = field(default_factory=set)  # years whose amount is still to fill

    @property
    def total(self) -> float:
        """The line's total over the contract."""
        return sum(self.amounts.values())


@dataclass
class EstablishmentFinance:
    """The financing of one ESSMS: its lines and its totals per year."""

    finess: str
    name: str
    lines: list[FinanceLine] = field(default_factory=list)
    per_year: dict[int, float] = field(default_factory=dict)
    pending: set[int] = field(default_factory=set)  # years with an amount still to fill

    @property
    def total(self) -> float:
        """Everything this ESSMS receives over the contract."""
        return sum(self.per_year.values())


@dataclass
class Finance:
    """The annexe financière's figures: per ESSMS, per financeur, per year, overall."""

    years: list[int]
    establishments: list[EstablishmentFinance]
    per_financeur: dict[str, dict[int, float]]
    per_year: dict[int, float]
    total: float
    investments_total: float
    cents: bool = True  # False when every amount is whole euros: tables then drop « ,00 »
    # A total over an amount still « à compléter » is one too (printed as a blank): the years
    # with such an amount, overall, per financeur, and whether the DGC or the investments have.
    pending: set[int] = field(default_factory=set)
    pending_per_financeur: dict[str, set[int]] = field(default_factory=dict)
    pending_dgc: bool = False
    pending_investments: bool = False


def nature_label(nature: str) -> str:
    """The French label of a kind of financing (a field of Funding)."""
    return Funding.model_fields[nature].title or nature


# Permanent modes first, then part-time and temporary ones: a MAS reads « Internat,
# Hébergement temporaire, Accueil de jour », as an EHPAD reads « Hébergement permanent, … ».
MODE_ORDER = ("hebergement_permanent", "internat", "hebergement_collectif", "hebergement_diffus",
              "hebergement_urgence", "semi_internat", "externat", "hebergement_temporaire",
              "accueil_de_jour", "pasa", "uhr")  # fmt: skip


def capacity_rows(capacities: Capacities) -> list[tuple[str, int, int | None]]:
    """(mode, places autorisées, places installées) for each mode the ESSMS offers."""
    rows = []
    fields = Capacities.model_fields
    for name in sorted(fields, key=lambda n: (MODE_ORDER + tuple(fields)).index(n)):
        info, value = fields[name], getattr(capacities, name)
        if value is not None:
            rows.append((info.title or name, value.autorisees, value.installees))
    return rows


def capacity_key(mode: str) -> str:
    """The field of Capacities whose title is `mode` (« hébergement permanent »)."""
    for name, info in Capacities.model_fields.items():
        if (info.title or name) == mode:
            return name
    return mode


def total_places(capacities: Capacities) -> int:
    """Authorised places over all modes, PASA and UHR excepted (they are inside the others)."""
    return sum(a for mode, a, _ in capacity_rows(capacities) if mode not in ("PASA", "UHR"))


def finance(contract: Contract, pending: Collection[str] = frozenset()) -> Finance:
    """Every figure of the annexe financière, totals computed from the lines; `pending`: the
    numbers still « à compléter » (a total over one is pending too)."""
    years = list(contract_years(contract))
    per_financeur: dict[str, dict[int, float]] = defaultdict(lambda: dict.fromkeys(years, 0.0))
    pending_per_financeur: dict[str, set[int]] = defaultdict(set)
    per_year = dict.fromkeys(years, 0.0)
    establishments = []
    for finess, by_party in contract.financement.lignes.items():
        est = contract.etablissements.get(finess)
        view = EstablishmentFinance(
            finess, est.nom if est else finess, [], dict.fromkeys(years, 0.0)
        )
        for party_id, funding in by_party.items():
            for nature, amounts in funding:
                if not amounts:
                    continue
                where = fmt.path("financement", "lignes", finess, party_id, nature)
                line = FinanceLine(
                    party_short_name(contract, party_id), nature_label(nature), amounts, where
                )
                line.pending = {y for y in amounts if fmt.path(where, y) in pending}
                view.lines.append(line)
                view.pending |= line.pending
                pending_per_financeur[line.financeur] |= line.pending
                for year, value in amounts.items():
                    view.per_year[year] = view.per_year.get(year, 0.0) + value
                    per_financeur[line.financeur][year] = (
                        per_financeur[line.financeur].get(year, 0.0) + value
                    )
                    per_year[year] = per_year.get(year, 0.0) + value
        establishments.append(view)
    investments = sum(i.montant for i in contract.financement.investissements)
    amounts = [v for e in establishments for line in e.lines for v in line.amounts.values()]
    dgc = contract.financement.dotation_globalisee_commune
    amounts += list(dgc.montants.values()) if dgc else []
    amounts += [i.montant for i in contract.financement.investissements]
    amounts += list(contract.financement.totaux.values())
    amounts += [
        v for s in contract.financement.activites_subventionnees for v in s.montants.values()
    ]
    cents = fmt.has_cents(amounts)
    return Finance(
        years,
        establishments,
        dict(per_financeur),
        per_year,
        sum(per_year.values()),
        investments,
        cents,
        set().union(*(e.pending for e in establishments)),
        {name: pending_per_financeur[name] for name in per_financeur},
        blanks.any_pending(pending, "financement.dotation_globalisee_commune.montants"),
        blanks.any_pending(pending, "financement.investissements"),
    )


def indicator_value(value: float, unit: Unit | str) -> str:
    """An indicator's value with its unit: « 92,5 % », « 172 », « 35 jours », « 1 200,00 € »."""
    return fmt.with_unit(value, Unit(unit).value)


def objective_number(objective_id: str) -> str:
    """« O2.3 » → « 2.3 »."""
    return objective_id[1:]


def is_ehpad(contract: Contract) -> bool:
    """True for an EHPAD contract (L.313-12 IV ter, or an EHPAD in its perimeter)."""
    return contract.base_legale is LegalBasis.EHPAD or any(
        e.categorie.code == EHPAD_CATEGORY for e in contract.etablissements.values()
    )


@dataclass
class CalendarEntry:
    """One dated event of the contract's life: an evaluation, a dialogue de gestion, a deadline."""

    day: dt.date
    when: str
    event: str
    establishment: str


def calendar(contract: Contract) -> list[CalendarEntry]:
    """The contract's events in date order (a dialogue without a date: 31 December of its year)."""
    names = {finess: e.nom for finess, e in contract.etablissements.items()}
    everyone = "tous"
    entries = [
        CalendarEntry(
            contract.dates.effet,
            fmt.date_fr(contract.dates.effet),
            "date d'effet du contrat",
            everyone,
        ),
        CalendarEntry(
            contract.dates.fin, fmt.date_fr(contract.dates.fin), "fin du contrat", everyone
        ),
    ]
    notice = add_months(contract.dates.fin, -6)
    entries.append(
        CalendarEntry(
            notice, fmt.date_fr(notice), "date limite de demande de prorogation", everyone
        )
    )
    for d in contract.suivi.dialogues:
        day = d.date_prevue or dt.date(d.annee, 12, 31)
        when = fmt.date_fr(d.date_prevue) if d.date_prevue else f"courant {d.annee}"
        entries.append(CalendarEntry(day, when, f"dialogue de gestion : {d.type}", everyone))
    for e in contract.suivi.evaluations:
        where = names.get(e.etablissement, e.etablissement) if e.etablissement else everyone
        entries.append(CalendarEntry(e.date_prevue, fmt.date_fr(e.date_prevue), e.libelle, where))
    return sorted(entries, key=lambda entry: entry.day)


def contract_context(
    contract: Contract, contract_id: str, pending_figures: Collection[str] = frozenset()
) -> dict[str, object]:
    """The variables every contract template receives; `pending_figures`: the dotted paths of
    the numbers still « à compléter » in a draft (the `at` filter prints them as blanks)."""
    years = list(contract_years(contract))
    return {
        "c": contract,
        "pending_figures": frozenset(pending_figures),
        "contract_id": contract_id,
        "years": years,
        "period": f"{years[0]}\u2013{years[-1]}",
        "signatories": signatories(contract),
        "finance": finance(contract, pending_figures),
        "ehpad": is_ehpad(contract),
        "annexes": ANNEXES,
        "notice_date": add_months(contract.dates.fin, -6),
        "signed": contract.dates.signature is not None and contract.statut.value != "projet",
        "manager_party": MANAGER_PARTY,
        "manager": manager_term(contract),
        "calendar": calendar(contract),
        "annex_list": annex_list(contract),
        **legal_context(contract),
    }


def annex_list(contract: Contract) -> list[AnnexEntry]:
    """The contract's opposable annexes, numbered: the model's seven and those that apply."""
    term = manager_term(contract).du  # « Fiche signalétique de l'organisme gestionnaire … »
    fixed = [(n, title.replace("du gestionnaire", term)) for n, title in ANNEXES]
    return annexes(contract, fixed, ANNEX_TEMPLATES)


HELPERS = {
    "capacity_rows": capacity_rows,
    "capacity_key": capacity_key,
    "path": fmt.path,
    "total_places": total_places,
    "party_name": party_name,
    "forecast_reserve": forecast_reserve,
    "with_article": with_article,
    "indicator_value": indicator_value,
    "objective_number": objective_number,
    "essms_article": fmt.article,
    "to_essms": fmt.to,
    "essms_feminine": fmt.feminine,
}
