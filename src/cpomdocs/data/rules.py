"""Business rules of a CPOM that a JSON Schema cannot say, told in French at the right line."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from cpomdocs import fmt
from cpomdocs.data.identifiers import CATEGORIES, finess_key_valid, siren_valid, siret_valid
from cpomdocs.data.load import Document
from cpomdocs.data.model import Contract, ContractStatus, Establishment
from cpomdocs.data.rules_dates import WHERE_SIGNED, check_action_deadlines, check_authorisations
from cpomdocs.data.rules_rates import check_rates
from cpomdocs.errors import Problem, Severity

MANAGER_PARTY = "gestionnaire"
WARNING = Severity.WARNING
UNUSUAL_FINESS = (
    "clé de contrôle FINESS inhabituelle (le contrôle de Luhn, vérifié sur les numéros réels, "
    "échoue) : vérifiez le numéro"
)


euros = fmt.amount


def contract_years(contract: Contract) -> range:
    """The calendar years the contract runs over, from its date d'effet to its end."""
    return range(contract.dates.effet.year, contract.dates.fin.year + 1)


def check_contract(
    doc: Document, c: Contract, pending: Collection[str] = frozenset()
) -> list[Problem]:
    """Every business-rule problem of one contract; `pending`: the figures a draft still marks
    « à compléter » (data/placeholders.pending_figures), which no sum is checked against."""
    found = [*_identifiers(doc, c), *_dates(doc, c), *check_authorisations(doc, c)]
    found.extend([*_objectives(doc, c), *check_rates(doc, c)])
    found.extend(_financing(doc, c, pending))
    found.extend(_follow_up(doc, c))
    # With an end before the start every year would be « hors période »: one cause, one message.
    if c.dates.fin > c.dates.effet:
        found.extend([*_period(doc, c), *check_action_deadlines(doc, c)])
    from cpomdocs.data.rules_law import check_sector_law  # conformance imports this module

    found.extend(check_sector_law(doc, c))
    return found


# Services that work where people live (FINESS categories): an EHPAD's or an IME's lodging
# modes there are a copy-paste from another establishment (a warning, as the categories are).
SERVICES = {
    "182": "« milieu_ordinaire »",
    "354": "« domicile »",
    "209": "« domicile »",
    "460": "« domicile »",
    "445": "« milieu_ordinaire » ou « domicile »",
    "446": "« milieu_ordinaire » ou « domicile »",
}
LODGING = frozenset(
    {"hebergement_permanent", "hebergement_temporaire", "internat", "semi_internat", "pasa",
     "uhr", "hebergement_collectif", "hebergement_diffus", "hebergement_urgence"}
)  # fmt: skip


def _identifiers(doc: Document, c: Contract) -> list[Problem]:
    found = []
    manager = c.gestionnaire
    if not finess_key_valid(manager.finess_ej):
        found.append(doc.problem(("gestionnaire", "finess_ej"), UNUSUAL_FINESS, severity=WARNING))
    if not siren_valid(manager.siren):
        msg = "clé de contrôle du SIREN invalide (algorithme de Luhn) : vérifiez le numéro"
        found.append(doc.problem(("gestionnaire", "siren"), msg))
    for finess, essms in c.etablissements.items():
        base = ("etablissements", finess)
        if not finess_key_valid(finess):
            found.append(doc.problem(base, UNUSUAL_FINESS, key=True, severity=WARNING))
        if essms.finess_ej != manager.finess_ej:
            msg = (
                f"FINESS EJ {essms.finess_ej} différent de celui du gestionnaire "
                f"({manager.finess_ej}) : chaque ESSMS doit relever de l'organisme gestionnaire"
            )
            found.append(doc.problem((*base, "finess_ej"), msg))
        if not siret_valid(essms.siret):
            msg = "clé de contrôle du SIRET invalide (algorithme de Luhn) : vérifiez le numéro"
            found.append(doc.problem((*base, "siret"), msg))
        elif not essms.siret.startswith(manager.siren):
            msg = f"le SIRET ne commence pas par le SIREN du gestionnaire ({manager.siren})"
            found.append(doc.problem((*base, "siret"), msg, severity=WARNING))
        found.extend(_category_and_places(doc, base, essms))
    return found


def _category_and_places(
    doc: Document, base: tuple[str, ...], essms: Establishment
) -> list[Problem]:
    found = []
    known = CATEGORIES.get(essms.categorie.code)
    if known is None:
        msg = f"catégorie FINESS {essms.categorie.code} inconnue de cpomdocs"
        found.append(doc.problem((*base, "categorie", "code"), msg, severity=WARNING))
    elif known.lower() != essms.categorie.libelle.lower():
        msg = f"le code {essms.categorie.code} correspond à « {known} »"
        found.append(doc.problem((*base, "categorie", "libelle"), msg, severity=WARNING))
    for mode, capacity in essms.capacites:
        if capacity and capacity.installees and capacity.installees > capacity.autorisees:
            msg = "plus de places installées que de places autorisées"
            found.append(doc.problem((*base, "capacites", mode), msg, severity=WARNING))
        if capacity and known and essms.categorie.code in SERVICES and mode in LODGING:
            msg = (
                f"mode d'accueil « {mode} » inhabituel pour un {known}, service qui intervient "
                f"sans héberger : attendu {SERVICES[essms.categorie.code]}"
            )
            found.append(doc.problem((*base, "capacites", mode), msg, key=True, severity=WARNING))
    return found


def _dates(doc: Document, c: Contract) -> list[Problem]:
    found = []
    d = c.dates
    if d.fin <= d.effet:
        msg = f"la date de fin {d.fin} doit être postérieure à la date d'effet {d.effet}"
        found.append(doc.problem(("dates", "fin"), msg))
    # duree_mois ≤ 60 is the model's bound (bounds.MAX_MONTHS): the schema refuses it first
    extension = sum(p.duree_mois for p in c.prorogations)
    expected_end = c.expected_end
    if d.fin > d.effet and d.fin != expected_end:
        months = f"{c.duree_mois} mois" + (f" + {extension} de prorogation" if extension else "")
        msg = (
            f"la date de fin {d.fin} ne correspond pas à la date d'effet et à la durée "
            f"({months}) : attendu {expected_end}"
        )
        found.append(doc.problem(("dates", "fin"), msg))
    if c.statut is not ContractStatus.PROJET and d.signature is None:
        msg = (
            f"un contrat au statut « {c.statut.value} » doit avoir une date de signature : "
            f"{WHERE_SIGNED}"
        )
        found.append(doc.problem(("dates",), msg, key=True))
    if d.signature and d.effet < d.fin < d.signature:
        msg = "la date de signature est postérieure à la fin du contrat"
        found.append(doc.problem(("dates", "signature"), msg))
    if c.statut is ContractStatus.PROJET and c.empreinte:
        msg = "un projet ne porte pas d'empreinte de signature"
        found.append(doc.problem(("empreinte",), msg, key=True))
    for index, prorogation in enumerate(c.prorogations):
        if prorogation.decision > expected_end:
            msg = "la prorogation doit être décidée avant la fin du contrat"
            found.append(doc.problem(("prorogations", index, "decision"), msg))
    return found


def _objectives(doc: Document, c: Contract) -> list[Problem]:
    found = []
    seen_indicators: dict[str, str] = {}
    seen_actions: dict[str, str] = {}
    for oid, objective in c.objectifs.items():
        base = ("objectifs", oid)
        if not objective.indicateurs:
            msg = "un objectif doit avoir au moins un indicateur"
            found.append(doc.problem(base, msg, key=True))
        if objective.financeur not in c.autorites:
            found.append(doc.problem((*base, "financeur"), unknown_party(objective.financeur, c)))
        for index, finess in enumerate(objective.etablissements):
            if finess not in c.etablissements:
                found.append(doc.problem((*base, "etablissements", index), _outside(finess)))
        for code in objective.actions:
            if code in seen_actions:
                msg = f"code d'action « {code} » déjà utilisé par l'objectif {seen_actions[code]}"
                found.append(doc.problem((*base, "actions", code), msg, key=True))
            seen_actions.setdefault(code, oid)
        for code, indicator in objective.indicateurs.items():
            where = (*base, "indicateurs", code)
            if code in seen_indicators:
                used = seen_indicators[code]
                msg = f"code d'indicateur « {code} » déjà utilisé par l'objectif {used}"
                found.append(doc.problem(where, msg, key=True))
            seen_indicators.setdefault(code, oid)
            if not indicator.cibles:
                msg = "un indicateur doit avoir au moins une cible annuelle"
                found.append(doc.problem(where, msg, key=True))
            elif indicator.reference.annee > min(indicator.cibles):
                msg = "l'année de référence est postérieure à la première cible"
                found.append(doc.problem((*where, "reference", "annee"), msg, severity=WARNING))
    return found


def _period(doc: Document, c: Contract) -> list[Problem]:
    """Every year and date that must fall inside the contract's period."""
    found = []
    years = contract_years(c)
    span = f"{years.start}–{years.stop - 1}"
    for oid, objective in c.objectifs.items():
        base = ("objectifs", oid)
        if not c.dates.effet <= objective.echeance <= c.dates.fin:
            msg = (
                f"échéance du {fmt.date_fr(objective.echeance)} hors de la période du contrat "
                f"({fmt.date_fr(c.dates.effet)} – {fmt.date_fr(c.dates.fin)}) : attendu une "
                "date comprise dans cette période"
            )
            found.append(doc.problem((*base, "echeance"), msg))
        for code, indicator in objective.indicateurs.items():
            where = (*base, "indicateurs", code)
            for year in indicator.cibles:
                if year not in years:
                    msg = f"cible {year} hors de la période du contrat ({span})"
                    found.append(doc.problem((*where, "cibles", str(year)), msg, key=True))
            last_year = min(objective.echeance.year, years.stop - 1)
            missing = [
                y for y in range(years.start + 1, last_year + 1) if y not in indicator.cibles
            ]
            if indicator.cibles and missing:
                msg = f"pas de cible pour {', '.join(map(str, missing))}"
                found.append(doc.problem((*where, "cibles"), msg, severity=WARNING))
    for finess, by_party in c.financement.lignes.items():
        for party, funding in by_party.items():
            for nature, amounts in funding:
                for year in amounts:
                    if year not in years:
                        msg = f"année {year} hors de la période du contrat ({span})"
                        where = ("financement", "lignes", finess, party, nature, str(year))
                        found.append(doc.problem(where, msg, key=True))
    for index, dialogue in enumerate(c.suivi.dialogues):
        if dialogue.annee not in years:
            msg = f"année {dialogue.annee} hors de la période du contrat ({span})"
            found.append(doc.problem(("suivi", "dialogues", index, "annee"), msg))
    planned = {d.annee - years.start + 1 for d in c.suivi.dialogues}
    for rank in (3, 5):
        if rank not in planned and rank <= len(years):
            year = years.start + rank - 1
            msg = f"aucun dialogue de gestion prévu la {rank}e année du contrat ({year})"
            found.append(doc.problem(("suivi", "dialogues"), msg, key=True, severity=WARNING))
    return found


def unknown_party(party: str, c: Contract) -> str:
    """The message for a party id that the contract does not name."""
    known = ", ".join(c.autorites) or "aucune"
    return f"« {party} » n'est pas une autorité signataire du contrat (autorites : {known})"


def _outside(finess: str) -> str:
    return f"ESSMS {finess} absent du périmètre du contrat (etablissements)"


def _financing(doc: Document, c: Contract, pending: Collection[str]) -> list[Problem]:
    found = []
    per_year: dict[int, float] = defaultdict(float)
    dgc_per_year: dict[int, float] = defaultdict(float)
    for finess, by_party in c.financement.lignes.items():
        base = ("financement", "lignes", finess)
        if finess not in c.etablissements:
            found.append(doc.problem(base, _outside(finess), key=True))
        for party, funding in by_party.items():
            if party not in c.autorites:
                found.append(doc.problem((*base, party), unknown_party(party, c), key=True))
            for nature, amounts in funding:
                for year, amount in amounts.items():
                    per_year[year] += amount
                    if nature == "dotation_globalisee_commune":
                        dgc_per_year[year] += amount
    for year, declared in c.financement.totaux.items():
        if f"financement.totaux.{year}" in pending:
            continue  # a draft's total still to fill: the documents sum the lines anyway
        if abs(declared - per_year.get(year, 0.0)) > 0.005:
            msg = (
                f"total {year} déclaré {euros(declared)}, mais la somme des lignes fait "
                f"{euros(per_year.get(year, 0.0))}"
            )
            found.append(doc.problem(("financement", "totaux", str(year)), msg))
    dgc = c.financement.dotation_globalisee_commune
    if dgc:
        where = ("financement", "dotation_globalisee_commune")
        if dgc.beneficiaire not in c.etablissements:
            found.append(doc.problem((*where, "beneficiaire"), _outside(dgc.beneficiaire)))
        for year, declared in dgc.montants.items():
            if f"financement.dotation_globalisee_commune.montants.{year}" in pending:
                continue
            if abs(declared - dgc_per_year.get(year, 0.0)) > 0.005:
                msg = (
                    f"dotation globalisée commune {year} de {euros(declared)}, mais les parts des "
                    f"ESSMS font {euros(dgc_per_year.get(year, 0.0))}"
                )
                found.append(doc.problem((*where, "montants", str(year)), msg))
    for index, investment in enumerate(c.financement.investissements):
        if investment.etablissement not in c.etablissements:
            where = ("financement", "investissements", index, "etablissement")
            found.append(doc.problem(where, _outside(investment.etablissement)))
    return found


def _follow_up(doc: Document, c: Contract) -> list[Problem]:
    found = []
    parties = {*c.autorites, MANAGER_PARTY}
    for party in c.suivi.comite:
        if party not in parties:
            found.append(doc.problem(("suivi", "comite", party), unknown_party(party, c), key=True))
    return found
