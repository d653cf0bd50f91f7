"""Rules of sector law: ESAT funding, dependency scores, results, prices, CHRS région and
co-signatories."""

from __future__ import annotations

from cpomdocs import fmt
from cpomdocs.data.conformance import EHPAD_CATEGORY, check_conformance
from cpomdocs.data.document import Document
from cpomdocs.data.identifiers import CHIEF_DEPARTMENT, finess_department, finess_region
from cpomdocs.data.model import Contract, Direction, LegalBasis
from cpomdocs.data.model_law import ResultAllocation, ResultRule
from cpomdocs.data.model_terms import PartyKind
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
            *_free_prices(doc, c), *_chrs_one_region(doc, c),
            *_chrs_department_prefect(doc, c),
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
    if not isinstance(rule, ResultAllocation) or rule.regle is ResultRule.PAR_ESSMS:
        return []
    status = c.gestionnaire.statut_juridique.lower()
    if not any(marker in status for marker in PUBLIC_MARKERS):
        return []
    if rule.regle is ResultRule.FONGIBILITE:
        msg = (
            "la fongibilité des résultats entre ESSMS (R.314-235 CASF) vaut pour un gestionnaire "
            "privé ; un gestionnaire public a déjà un bilan unique : choisissez « par ESSMS »"
        )
    else:
        msg = (
            "la libre affectation des résultats entre les établissements, services et dispositifs "
            "d'un même budget opérationnel de programme vaut pour un gestionnaire privé (arrêté du "
            "25 octobre 2019) : choisissez « par ESSMS »"
        )
    where = ("financement", "affectation_resultats", "regle")
    return [doc.problem(where, msg, severity=WARNING)]


def _free_prices(doc: Document, c: Contract) -> list[Problem]:
    """An EHPAD not habilité (L.342-1, 1°) has prices set under L.342-3, not a tarif arrêté."""
    found = []
    for finess, e in c.etablissements.items():
        if e.categorie.code != EHPAD_CATEGORY or e.habilitation_aide_sociale:
            continue
        if e.ehpad is not None and e.ehpad.tarif_hebergement is not None:
            msg = (
                f"{e.nom} n'est pas habilité à l'aide sociale : il relève de l'article L.342-1 "
                "CASF et le prix de ses prestations d'hébergement est fixé dans les conditions de "
                "l'article L.342-3, non par un tarif hébergement arrêté par le Département ; "
                "retirez ehpad.tarif_hebergement ou indiquez habilitation_aide_sociale: true"
            )
            where = ("etablissements", finess, "ehpad", "tarif_hebergement")
            found.append(doc.problem(where, msg, severity=WARNING))
    return found


def _chrs_one_region(doc: Document, c: Contract) -> list[Problem]:
    """A CHRS CPOM may span several départements of one région, never two régions."""
    if c.base_legale is not LegalBasis.CHRS:
        return []
    first: tuple[str, str] | None = None  # (région, FINESS) of the first establishment placed
    found = []
    for finess, e in c.etablissements.items():
        region = finess_region(finess)
        if region is None:
            continue
        if first is None:
            first = (region, finess)
        elif region != first[0]:
            other = c.etablissements[first[1]]
            msg = (
                f"le CPOM d'un CHRS ne peut pas être interrégional (arrêté du 25 octobre 2019, "
                f"cahier des charges) : {e.nom} (FINESS {fmt.finess(finess)}, département "
                f"{finess_department(finess)}) est en région {region}, alors que {other.nom} "
                f"(département {finess_department(first[1])}) est en région {first[0]} ; "
                "concluez un contrat par région"
            )
            found.append(doc.problem(("etablissements", finess), msg, key=True))
    return found


def _chrs_department_prefect(doc: Document, c: Contract) -> list[Problem]:
    """A CHRS CPOM with subsidised activities is co-signed by the préfet de département (Nota of
    annexe II of the arrêté du 25 octobre 2019); the préfet de région is the préfet of the
    région's chef-lieu, so he also signs for that département."""
    if c.base_legale is not LegalBasis.CHRS or not c.financement.activites_subventionnees:
        return []
    prefects = [p for p in c.autorites.values() if p.type is PartyKind.PREFET]
    if any("région" not in p.nom.lower() for p in prefects):
        return []  # a préfet de département is a party
    departments = sorted({finess_department(f) for f in c.etablissements})
    regions = {finess_region(f) for f in c.etablissements}
    chief = {CHIEF_DEPARTMENT.get(r or "") for r in regions}
    if prefects and set(departments) <= chief:
        return []  # the préfet de région is also the préfet of these CHRS' département
    msg = (
        "le contrat comporte des activités subventionnées : le préfet de département est "
        "également cosignataire (arrêté du 25 octobre 2019, annexe II, Nota) ; ajoutez-le aux "
        f"autorités (département {', '.join(departments)}) avec type: préfet"
    )
    return [doc.problem(("financement", "activites_subventionnees"), msg, severity=WARNING)]
