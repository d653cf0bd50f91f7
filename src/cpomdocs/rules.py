"""Business rules of a CPOM that a JSON Schema cannot say, told in French at the right line."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from babel.numbers import format_currency

from cpomdocs.errors import Problem, Severity
from cpomdocs.identifiers import CATEGORIES, finess_key_valid, siren_valid, siret_valid
from cpomdocs.load import Document
from cpomdocs.model import Contract, ContractStatus
from cpomdocs.model_acts import Avenant, AvenantStatus, MeetingReport

MAX_MONTHS = 60
MANAGER_PARTY = "gestionnaire"
WARNING = Severity.WARNING


def euros(amount: float) -> str:
    """An amount as French contracts print it: 1 234 500,00 €."""
    return format_currency(amount, "EUR", locale="fr_FR")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (clamped to the month's end)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def contract_years(contract: Contract) -> range:
    """The calendar years the contract runs over, from its date d'effet to its end."""
    return range(contract.dates.effet.year, contract.dates.fin.year + 1)


def check_contract(doc: Document, c: Contract) -> list[Problem]:
    """Every business-rule problem of one contract."""
    return [
        *_identifiers(doc, c),
        *_dates(doc, c),
        *_objectives(doc, c),
        *_financing(doc, c),
        *_follow_up(doc, c),
    ]


def _identifiers(doc: Document, c: Contract) -> list[Problem]:
    found = []
    unusual = "clé de contrôle FINESS inhabituelle (contrôle de Luhn non vérifié) : vérifiez le numéro"
    if not finess_key_valid(c.gestionnaire.finess_ej):
        found.append(doc.problem(("gestionnaire", "finess_ej"), unusual, severity=WARNING))
    if not siren_valid(c.gestionnaire.siren):
        msg = "clé de contrôle du SIREN invalide (algorithme de Luhn) : vérifiez le numéro"
        found.append(doc.problem(("gestionnaire", "siren"), msg))
    for finess, essms in c.etablissements.items():
        base = ("etablissements", finess)
        if not finess_key_valid(finess):
            found.append(doc.problem(base, unusual, key=True, severity=WARNING))
        if essms.finess_ej != c.gestionnaire.finess_ej:
            msg = (
                f"FINESS EJ {essms.finess_ej} différent de celui du gestionnaire "
                f"({c.gestionnaire.finess_ej}) : chaque ESSMS doit relever de l'organisme gestionnaire"
            )
            found.append(doc.problem((*base, "finess_ej"), msg))
        if not siret_valid(essms.siret):
            msg = "clé de contrôle du SIRET invalide (algorithme de Luhn) : vérifiez le numéro"
            found.append(doc.problem((*base, "siret"), msg))
        elif not essms.siret.startswith(c.gestionnaire.siren):
            msg = f"le SIRET ne commence pas par le SIREN du gestionnaire ({c.gestionnaire.siren})"
            found.append(doc.problem((*base, "siret"), msg, severity=WARNING))
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
    return found


def _dates(doc: Document, c: Contract) -> list[Problem]:
    found = []
    d = c.dates
    if d.fin <= d.effet:
        found.append(doc.problem(("dates", "fin"), f"la date de fin {d.fin} précède la date d'effet {d.effet}"))
    if c.duree_mois > MAX_MONTHS:
        msg = f"durée de {c.duree_mois} mois : un CPOM dure {MAX_MONTHS} mois au plus, hors prorogation"
        found.append(doc.problem(("duree_mois",), msg))
    extension = sum(p.duree_mois for p in c.prorogations)
    expected_end = add_months(d.effet, c.duree_mois + extension) - dt.timedelta(days=1)
    if d.fin > d.effet and d.fin != expected_end:
        msg = (
            f"la date de fin {d.fin} ne correspond pas à la date d'effet et à la durée "
            f"({c.duree_mois} mois" + (f" + {extension} mois de prorogation" if extension else "")
            + f") : attendu {expected_end}"
        )
        found.append(doc.problem(("dates", "fin"), msg))
    signed = c.statut is not ContractStatus.PROJET
    if signed and d.signature is None:
        found.append(doc.problem(("dates",), f"un contrat au statut « {c.statut.value} » doit avoir une date de signature"))
    if d.signature and d.signature > d.fin:
        found.append(doc.problem(("dates", "signature"), "la date de signature est postérieure à la fin du contrat"))
    if c.statut is ContractStatus.PROJET and c.empreinte:
        found.append(doc.problem(("empreinte",), "un projet ne porte pas d'empreinte de signature"))
    for index, prorogation in enumerate(c.prorogations):
        if prorogation.decision > expected_end:
            msg = "la prorogation doit être décidée avant la fin du contrat"
            found.append(doc.problem(("prorogations", index, "decision"), msg))
    return found


def _objectives(doc: Document, c: Contract) -> list[Problem]:
    found = []
    years = contract_years(c)
    seen_indicators: dict[str, str] = {}
    seen_actions: dict[str, str] = {}
    for oid, objective in c.objectifs.items():
        base = ("objectifs", oid)
        if not objective.indicateurs:
            found.append(doc.problem(base, "un objectif doit avoir au moins un indicateur", key=True))
        if objective.financeur not in c.autorites:
            found.append(doc.problem((*base, "financeur"), _unknown_party(objective.financeur, c)))
        for index, finess in enumerate(objective.etablissements):
            if finess not in c.etablissements:
                msg = f"ESSMS {finess} absent du périmètre du contrat (etablissements)"
                found.append(doc.problem((*base, "etablissements", index), msg))
        if not c.dates.effet <= objective.echeance <= c.dates.fin:
            msg = f"échéance {objective.echeance} hors de la période du contrat ({c.dates.effet} – {c.dates.fin})"
            found.append(doc.problem((*base, "echeance"), msg))
        for code in objective.actions:
            if code in seen_actions:
                msg = f"code d'action « {code} » déjà utilisé par l'objectif {seen_actions[code]}"
                found.append(doc.problem((*base, "actions", code), msg, key=True))
            seen_actions.setdefault(code, oid)
        for code, indicator in objective.indicateurs.items():
            where = (*base, "indicateurs", code)
            if code in seen_indicators:
                msg = f"code d'indicateur « {code} » déjà utilisé par l'objectif {seen_indicators[code]}"
                found.append(doc.problem(where, msg, key=True))
            seen_indicators.setdefault(code, oid)
            if not indicator.cibles:
                found.append(doc.problem(where, "un indicateur doit avoir au moins une cible annuelle", key=True))
            for year in indicator.cibles:
                if year not in years:
                    msg = f"cible {year} hors de la période du contrat ({years.start}–{years.stop - 1})"
                    found.append(doc.problem((*where, "cibles", str(year)), msg, key=True))
            last_year = min(objective.echeance.year, years.stop - 1)
            missing = [y for y in range(years.start + 1, last_year + 1) if y not in indicator.cibles]
            if indicator.cibles and missing:
                msg = f"pas de cible pour {', '.join(map(str, missing))}"
                found.append(doc.problem((*where, "cibles"), msg, severity=WARNING))
            if indicator.cibles and indicator.reference.annee > min(indicator.cibles):
                msg = "l'année de référence est postérieure à la première cible"
                found.append(doc.problem((*where, "reference", "annee"), msg, severity=WARNING))
    return found


def _unknown_party(party: str, c: Contract) -> str:
    known = ", ".join(c.autorites) or "aucune"
    return f"« {party} » n'est pas une autorité signataire du contrat (autorites : {known})"


def _financing(doc: Document, c: Contract) -> list[Problem]:
    found = []
    years = contract_years(c)
    per_year: dict[int, float] = defaultdict(float)
    dgc_per_year: dict[int, float] = defaultdict(float)
    for finess, by_party in c.financement.lignes.items():
        base = ("financement", "lignes", finess)
        if finess not in c.etablissements:
            msg = f"ESSMS {finess} absent du périmètre du contrat (etablissements)"
            found.append(doc.problem(base, msg, key=True))
        for party, funding in by_party.items():
            if party not in c.autorites:
                found.append(doc.problem((*base, party), _unknown_party(party, c), key=True))
            for nature, amounts in funding:
                for year, amount in amounts.items():
                    per_year[year] += amount
                    if nature == "dotation_globalisee_commune":
                        dgc_per_year[year] += amount
                    if year not in years:
                        msg = f"année {year} hors de la période du contrat ({years.start}–{years.stop - 1})"
                        found.append(doc.problem((*base, party, nature, str(year)), msg, key=True))
    for year, declared in c.financement.totaux.items():
        if abs(declared - per_year.get(year, 0.0)) > 0.005:
            msg = (
                f"total {year} déclaré {euros(declared)}, mais la somme des lignes fait "
                f"{euros(per_year.get(year, 0.0))}"
            )
            found.append(doc.problem(("financement", "totaux", str(year)), msg))
    dgc = c.financement.dotation_globalisee_commune
    if dgc:
        if dgc.beneficiaire not in c.etablissements:
            msg = f"ESSMS {dgc.beneficiaire} absent du périmètre du contrat (etablissements)"
            found.append(doc.problem(("financement", "dotation_globalisee_commune", "beneficiaire"), msg))
        for year, declared in dgc.montants.items():
            if abs(declared - dgc_per_year.get(year, 0.0)) > 0.005:
                msg = (
                    f"dotation globalisée commune {year} de {euros(declared)}, mais les parts des "
                    f"ESSMS font {euros(dgc_per_year.get(year, 0.0))}"
                )
                where = ("financement", "dotation_globalisee_commune", "montants", str(year))
                found.append(doc.problem(where, msg))
    for index, investment in enumerate(c.financement.investissements):
        if investment.etablissement not in c.etablissements:
            msg = f"ESSMS {investment.etablissement} absent du périmètre du contrat"
            found.append(doc.problem(("financement", "investissements", index, "etablissement"), msg))
    return found


def _follow_up(doc: Document, c: Contract) -> list[Problem]:
    found = []
    parties = {*c.autorites, MANAGER_PARTY}
    for party in c.suivi.comite:
        if party not in parties:
            found.append(doc.problem(("suivi", "comite", party), _unknown_party(party, c), key=True))
    years = contract_years(c)
    for index, dialogue in enumerate(c.suivi.dialogues):
        if dialogue.annee not in years:
            msg = f"année {dialogue.annee} hors de la période du contrat"
            found.append(doc.problem(("suivi", "dialogues", index, "annee"), msg))
    planned = {d.annee - years.start + 1 for d in c.suivi.dialogues}
    for rank in (3, 5):
        if rank not in planned:
            msg = f"aucun dialogue de gestion prévu la {rank}e année du contrat ({years.start + rank - 1})"
            found.append(doc.problem(("suivi", "dialogues"), msg, severity=WARNING))
    return found


def check_avenants(c: Contract, avenants: list[tuple[Document, Avenant]]) -> list[Problem]:
    """Numbering and dates of a contract's avenants."""
    found = []
    for expected, (doc, avenant) in enumerate(sorted(avenants, key=lambda a: a[1].numero), 1):
        if avenant.numero != expected:
            msg = f"avenant n° {avenant.numero} : les avenants sont numérotés sans trou, attendu {expected}"
            found.append(doc.problem(("numero",), msg))
        signed = avenant.dates.signature
        if avenant.statut is AvenantStatus.SIGNE and signed is None:
            found.append(doc.problem(("dates",), "un avenant signé doit avoir une date de signature"))
        if signed and c.dates.signature and signed <= c.dates.signature:
            msg = f"signé le {signed}, avant ou le jour de la signature du contrat ({c.dates.signature})"
            found.append(doc.problem(("dates", "signature"), msg))
        if avenant.dates.effet < c.dates.effet:
            msg = f"date d'effet antérieure à celle du contrat ({c.dates.effet})"
            found.append(doc.problem(("dates", "effet"), msg))
        if avenant.statut is AvenantStatus.SIGNE and c.statut is ContractStatus.PROJET:
            found.append(doc.problem(("statut",), "un avenant ne peut être signé sur un contrat en projet"))
    return found


def check_report(c: Contract, doc: Document, report: MeetingReport) -> list[Problem]:
    """A compte-rendu names only parties, objectives and indicators of its contract."""
    found = []
    parties = {*c.autorites, MANAGER_PARTY}
    for party in report.participants:
        if party not in parties:
            found.append(doc.problem(("participants", party), _unknown_party(party, c), key=True))
    indicators = c.all_indicators()
    years = contract_years(c)
    for code in report.realisations:
        if code not in indicators:
            msg = f"indicateur « {code} » absent du contrat"
            found.append(doc.problem(("realisations", code), msg, key=True))
        for year in report.realisations[code]:
            if year not in years:
                msg = f"année {year} hors de la période du contrat ({years.start}–{years.stop - 1})"
                found.append(doc.problem(("realisations", code, str(year)), msg, key=True))
    for oid in report.objectifs:
        if oid not in c.objectifs:
            found.append(doc.problem(("objectifs", oid), f"objectif « {oid} » absent du contrat", key=True))
    for finess in report.activite:
        if finess not in c.etablissements:
            msg = f"ESSMS {finess} absent du périmètre du contrat"
            found.append(doc.problem(("activite", finess), msg, key=True))
    return found
