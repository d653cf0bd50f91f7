"""The legal texts a CPOM rests on: default « Vu » lines by legal basis, CHRS indicators."""

from __future__ import annotations

import re

from cpomdocs.data.model import Contract, LegalBasis

CASF = "le code de l'action sociale et des familles"
DECREE_EPRD = (
    "le décret n° 2016-1815 du 21 décembre 2016 modifiant les dispositions financières "
    "applicables aux établissements et services sociaux et médico-sociaux mentionnés au I de "
    "l'article L.312-1 du code de l'action sociale et des familles"
)
# Each basis's visas, as the model contract of its arrêté lists them.
DEFAULT_VISAS: dict[LegalBasis, list[str]] = {
    LegalBasis.GENERIC: [
        f"{CASF}, notamment ses articles L.313-11 et L.314-2",
    ],
    LegalBasis.EHPAD: [
        f"{CASF}, notamment ses articles L.313-11, L.313-12 et L.314-2",
        "la loi n° 2015-1702 du 21 décembre 2015 de financement de la sécurité sociale pour 2016",
        "la loi n° 2015-1776 du 28 décembre 2015 relative à l'adaptation de la société au "
        "vieillissement",
        "le décret n° 2016-1814 du 21 décembre 2016 relatif aux principes généraux de la "
        "tarification, au forfait global de soins, au forfait global dépendance et aux tarifs "
        "journaliers des établissements hébergeant des personnes âgées dépendantes relevant du I "
        "et du II de l'article L.313-12 du code de l'action sociale et des familles",
        DECREE_EPRD,
        "l'arrêté du 3 mars 2017 fixant le contenu du cahier des charges du contrat pluriannuel "
        "d'objectifs et de moyens prévu au IV ter de l'article L.313-12 du code de l'action "
        "sociale et des familles",
    ],
    LegalBasis.HANDICAP: [
        f"{CASF}, notamment ses articles L.313-11, L.313-12-2 et L.314-2",
        "la loi n° 2015-1702 du 21 décembre 2015 de financement de la sécurité sociale pour 2016",
        DECREE_EPRD,
    ],
    LegalBasis.CHRS: [
        f"{CASF}, notamment ses articles L.313-11, L.313-11-2, L.322-1, L.345-1 et R.314-39 "
        "à R.314-43-1",
        "la loi n° 2018-1021 du 23 novembre 2018 portant évolution du logement, de "
        "l'aménagement et du numérique",
        "l'arrêté du 25 octobre 2019 fixant le contenu du cahier des charges du contrat "
        "pluriannuel d'objectifs et de moyens prévu à l'article L.313-11-2 du code de l'action "
        "sociale et des familles pour les établissements mentionnés à l'article L.345-1 du même "
        "code",
    ],
}
_ACT_NUMBER = re.compile(r"n° (\d{4})-(\d+)")
_RANKS = ("le code", "la loi", "l'ordonnance", "le décret", "l'arrêté")


def _identity(visa: str) -> str:
    """What names a text in a visa: its number, its date, or the code's name."""
    number = _ACT_NUMBER.search(visa)
    if number:
        return number.group(0)
    lowered = visa.lower()
    for marker in ("arrêté du ", "code de "):
        if marker in lowered:
            start = lowered.index(marker)
            return lowered[start : start + 40].split(",")[0]
    return lowered


def _order(visa: str) -> tuple[int, int, int]:
    """Codes, then laws, ordinances, decrees (by number), arrêtés, then everything else."""
    lowered = visa.lower()
    rank = next((i for i, word in enumerate(_RANKS) if lowered.startswith(word)), len(_RANKS))
    number = _ACT_NUMBER.search(visa)
    return (rank, int(number.group(1)), int(number.group(2))) if number else (rank, 0, 0)


def visas(contract: Contract) -> list[str]:
    """The contract's « Vu » lines: its legal basis's defaults merged with its own.

    A default that the contract already cites (same number, same arrêté, the same code) gives
    way to the contract's wording; the result is in the usual order of the texts.
    """
    own = list(contract.visas)
    cited = {_identity(v).lower() for v in own}
    defaults = [v for v in DEFAULT_VISAS[contract.base_legale] if _identity(v).lower() not in cited]
    merged = defaults + own
    return sorted(merged, key=_order)


# The four indicators the arrêté du 25 octobre 2019 makes compulsory in a CHRS CPOM, by the
# code cpomdocs expects them under; the first two in number of households and in rate.
CHRS_INDICATORS = {
    "SORTIE-LO": "taux de sortie vers un logement ordinaire, social ou privé (hors ménages à "
    "droits incomplets)",
    "SORTIE-LO-NB": "nombre de ménages sortis vers un logement ordinaire, social ou privé (hors "
    "ménages à droits incomplets)",
    "SORTIE-LA": "taux de sortie vers un logement adapté (hors ménages à droits incomplets)",
    "SORTIE-LA-NB": "nombre de ménages sortis vers un logement adapté (hors ménages à droits "
    "incomplets)",
    "DLS-ACTIVE": "ménages disposant d'une demande de logement social active, rapportés aux "
    "ménages accueillis (hors ménages à droits incomplets)",
    "SEJOUR-LONG": "taux de présence au-delà d'une durée de séjour anormalement longue",
}
CHRS_AXES = (
    "Favoriser l'accès rapide à un logement ordinaire ou adapté",
    "Adapter l'offre à l'évolution des besoins des territoires et des personnes accueillies",
)
CHRS_CATEGORY = "214"
CHRS_MAX_MONTHS_WITH_PROROGATION = 72
