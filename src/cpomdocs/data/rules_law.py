"""Rules of sector law: who funds an ESAT, dependency scores, fongibilité, model conformance."""

from __future__ import annotations

from cpomdocs.data.conformance import check_conformance
from cpomdocs.data.document import Document
from cpomdocs.data.model import Contract, Direction
from cpomdocs.data.model_law import ResultAllocation, ResultRule
from cpomdocs.errors import Problem, Severity

WARNING = Severity.WARNING
ESAT_CATEGORY = "246"
# Natures paid by the assurance maladie (ONDAM médico-social), never an ESAT's operating budget.
HEALTH_INSURANCE_NATURES = {
    "forfait_global_soins",
    "dotation_globalisee_commune",
    "dotation_globale",
    "forfait_global_annuel",
}
DEPENDENCY_SCORES = ("GMP", "PMP", "GIR MOYEN", "PATHOS MOYEN")
PUBLIC_MARKERS = ("établissement public", "etablissement public", "centre communal", "ccas")


def check_sector_law(doc: Document, c: Contract) -> list[Problem]:
    """Warnings where the contract contradicts the law of its sector, then conformance gaps."""
    return [*_esat_funding(doc, c), *_dependency_targets(doc, c), *_fongibility(doc, c),
            *check_conformance(doc, c)]  # fmt: skip


def _esat_funding(doc: Document, c: Contract) -> list[Problem]:
    found = []
    for finess, by_party in c.financement.lignes.items():
        essms = c.etablissements.get(finess)
        if essms is None or essms.categorie.code != ESAT_CATEGORY:
            continue
        for party, funding in by_party.items():
            for nature, amounts in funding:
                if amounts and nature in HEALTH_INSURANCE_NATURES:
                    msg = (
                        "le fonctionnement d'un ESAT est financé par l'État (aide sociale, "
                        "programme 157, crédits gérés par l'ARS), non par l'assurance maladie : "
                        "utilisez la nature dotation_globale_esat"
                    )
                    where = ("financement", "lignes", finess, party, nature)
                    found.append(doc.problem(where, msg, key=True, severity=WARNING))
    return found


def _dependency_targets(doc: Document, c: Contract) -> list[Problem]:
    found = []
    for oid, objective in c.objectifs.items():
        for code, indicator in objective.indicateurs.items():
            label = f"{code} {indicator.libelle}".upper()
            is_score = any(word in label for word in DEPENDENCY_SCORES)
            if is_score and indicator.sens is Direction.HAUSSE:
                msg = (
                    "le GMP et le PMP sont des mesures validées de la dépendance et des besoins "
                    "en soins, pas des cibles à relever : décrivez-les dans "
                    "etablissements.<FINESS>.ehpad (valeur, date de validation, réévaluation)"
                )
                where = ("objectifs", oid, "indicateurs", code, "sens")
                found.append(doc.problem(where, msg, severity=WARNING))
    return found


def _fongibility(doc: Document, c: Contract) -> list[Problem]:
    rule = c.financement.affectation_resultats
    if not isinstance(rule, ResultAllocation) or rule.regle is not ResultRule.FONGIBILITE:
        return []
    status = c.gestionnaire.statut_juridique.lower()
    if any(marker in status for marker in PUBLIC_MARKERS):
        msg = (
            "la fongibilité des résultats entre ESSMS (R.314-235 CASF) vaut pour un gestionnaire "
            "privé ; un gestionnaire public a déjà un bilan unique : choisissez « par ESSMS »"
        )
        where = ("financement", "affectation_resultats", "regle")
        return [doc.problem(where, msg, severity=WARNING)]
    return []
