"""What the model contract of each legal basis requires, and the warnings for what is missing.

One row per requirement: the legal bases it applies to, what it asks, the text that asks it,
where cpomdocs keeps it, and a check that returns the places where it is missing. The README's
conformance table is this table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from cpomdocs.data.document import Document
from cpomdocs.data.legal import (
    CHRS_AXES,
    CHRS_CATEGORY,
    CHRS_INDICATORS,
    CHRS_MAX_MONTHS_WITH_PROROGATION,
)
from cpomdocs.data.model import Contract, LegalBasis
from cpomdocs.data.model_law import ResultAllocation
from cpomdocs.data.model_terms import PartyKind
from cpomdocs.errors import Problem, Severity

Where = tuple[tuple[str | int, ...], str]  # (data path to point at, what is missing there)
ALL = tuple(LegalBasis)
EHPAD_CATEGORY = "500"
JOINT_CATEGORIES = {"437": "FAM", "448": "EAM"}  # compétence tarifaire conjointe ARS-Département


@dataclass(frozen=True)
class Requirement:
    """One thing the model contract of some legal bases requires."""

    bases: tuple[LegalBasis, ...]
    what: str
    text: str
    field: str  # where cpomdocs keeps it (README column)
    missing: Callable[[Contract], Iterator[Where]]


def _deliberation(c: Contract) -> Iterator[Where]:
    if not c.gestionnaire.representant.habilitation:
        yield ("gestionnaire", "representant"), "gestionnaire.representant.habilitation"


def _authorising_authority(c: Contract) -> Iterator[Where]:
    for finess, e in c.etablissements.items():
        if not e.autorisation.autorite:
            yield ("etablissements", finess, "autorisation"), "autorisation.autorite"


def _result_rule(c: Contract) -> Iterator[Where]:
    if not isinstance(c.financement.affectation_resultats, ResultAllocation):
        yield ("financement", "affectation_resultats"), "affectation_resultats.regle"


def _department_rule(c: Contract) -> Iterator[Where]:
    rule = c.financement.affectation_resultats
    habilitated = any(
        e.categorie.code == EHPAD_CATEGORY and e.habilitation_aide_sociale
        for e in c.etablissements.values()
    )
    if habilitated and isinstance(rule, ResultAllocation) and not rule.hebergement:
        yield ("financement", "affectation_resultats"), "affectation_resultats.hebergement"


def _dependency_scores(c: Contract) -> Iterator[Where]:
    for finess, e in c.etablissements.items():
        if e.categorie.code != EHPAD_CATEGORY:
            continue
        base = ("etablissements", finess)
        for name in ("gmp", "pmp"):
            if e.ehpad is None or getattr(e.ehpad, name) is None:
                yield base, f"ehpad.{name}"
        if e.ehpad is None or e.ehpad.revalorisation is None:
            yield base, "ehpad.revalorisation"


def _tariff_inputs(c: Contract) -> Iterator[Where]:
    for finess, e in c.etablissements.items():
        if e.categorie.code != EHPAD_CATEGORY:
            continue
        base = ("etablissements", finess)
        if e.ehpad is None or e.ehpad.valeur_point_gir is None:
            yield base, "ehpad.valeur_point_gir"
        if not e.option_tarifaire and (e.ehpad is None or e.ehpad.option_tarifaire is None):
            yield base, "ehpad.option_tarifaire"
        if e.habilitation_aide_sociale and (e.ehpad is None or e.ehpad.tarif_hebergement is None):
            yield base, "ehpad.tarif_hebergement"


def _department_party(c: Contract) -> Iterator[Where]:
    kinds = {p.type for p in c.autorites.values()}
    if not kinds & {PartyKind.DEPARTEMENT, PartyKind.METROPOLE}:
        yield ("autorites",), "une autorité de type « conseil départemental » ou « métropole »"


def _joint_department(c: Contract) -> Iterator[Where]:
    """A FAM or an EAM is tarified jointly: soins by the ARS, hébergement by the Département."""
    if any(_department_party(c)):
        for finess, e in c.etablissements.items():
            if e.categorie.code in JOINT_CATEGORIES:
                yield (
                    ("etablissements", finess, "categorie"),
                    (
                        f"une autorité de type « conseil départemental » ou « métropole », qui "
                        f"arrête le tarif d'hébergement du {JOINT_CATEGORIES[e.categorie.code]}"
                    ),
                )


def _activity_sheets(c: Contract) -> Iterator[Where]:
    for finess, e in c.etablissements.items():
        if e.activite is None or e.activite.file_active is None or not e.activite.etp:
            yield ("etablissements", finess), "activite (file_active, jours_ouverture, etp)"


def _modulation(c: Contract) -> Iterator[Where]:
    if c.financement.dotation_globalisee_commune and not c.financement.modulation_activite:
        yield ("financement",), "financement.modulation_activite"


def _prefect(c: Contract) -> Iterator[Where]:
    if not any(p.type is PartyKind.PREFET for p in c.autorites.values()):
        yield ("autorites",), "une autorité de type « préfet » (DREETS, DDETS ou DRIHL)"


def _chrs_in_perimeter(c: Contract) -> Iterator[Where]:
    if not any(e.categorie.code == CHRS_CATEGORY for e in c.etablissements.values()):
        yield ("etablissements",), "au moins un CHRS (catégorie 214)"


def _chrs_indicators(c: Contract) -> Iterator[Where]:
    present = c.all_indicators()
    for code, label in CHRS_INDICATORS.items():
        if code not in present:
            yield ("objectifs",), f"indicateur {code} : {label}"


def _chrs_axes(c: Contract) -> Iterator[Where]:
    axes = {o.axe for o in c.objectifs.values()}
    for axis in CHRS_AXES:
        if axis not in axes:
            yield ("objectifs",), f"un objectif d'axe « {axis} »"


def _chrs_visas(c: Contract) -> Iterator[Where]:
    text = " ".join(c.visas).lower()
    wanted = {
        "PDALHPD": ("pdalhpd", "plan départemental d'action pour le logement"),
        "arrêté régional de programmation des CPOM": ("programmation",),
        "plan Logement d'abord": ("logement d'abord",),
    }
    for label, markers in wanted.items():
        if not any(m in text for m in markers):
            yield ("visas",), f"visa : {label}"


def _chrs_duration(c: Contract) -> Iterator[Where]:
    if c.duree_mois + sum(p.duree_mois for p in c.prorogations) > CHRS_MAX_MONTHS_WITH_PROROGATION:
        yield ("prorogations",), "une durée totale de six ans au plus, prorogations comprises"


EHPAD, PH, CHRS = (LegalBasis.EHPAD,), (LegalBasis.HANDICAP,), (LegalBasis.CHRS,)
A317 = "arrêté du 3 mars 2017"
A2019 = "arrêté du 25 octobre 2019"
REQUIREMENTS: list[Requirement] = [
    Requirement(ALL, "la délibération habilitant le signataire du gestionnaire",
                "modèle de contrat, désignation des parties",
                "gestionnaire.representant.habilitation",
                _deliberation),
    Requirement(ALL, "l'autorité qui a délivré l'autorisation", "CASF, art. L.313-3",
                "etablissements.<FINESS>.autorisation.autorite", _authorising_authority),
    Requirement((LegalBasis.GENERIC, LegalBasis.EHPAD, LegalBasis.HANDICAP),
                "la règle d'affectation des résultats", "CASF, art. R.314-234 et R.314-235",
                "financement.affectation_resultats.regle", _result_rule),
    Requirement(CHRS, "la règle d'affectation des résultats", A2019,
                "financement.affectation_resultats.regle", _result_rule),
    Requirement(EHPAD, "la partie du Département (forfait dépendance, hébergement)",
                "CASF, art. L.313-12, IV ter", "autorites", _department_party),
    Requirement(EHPAD, "le GMP et le PMP validés de chaque EHPAD et leur réévaluation la "
                "3e année", A317, "etablissements.<FINESS>.ehpad", _dependency_scores),
    Requirement(EHPAD, "les données du tarif : valeur du point GIR départemental, option "
                "tarifaire, tarif hébergement si habilité",
                "décret n° 2016-1814 du 21 décembre 2016", "etablissements.<FINESS>.ehpad",
                _tariff_inputs),
    Requirement(EHPAD, "la règle du Département pour la part hébergement d'un EHPAD habilité",
                "CASF, art. R.314-234", "financement.affectation_resultats.hebergement",
                _department_rule),
    Requirement(PH, "la fiche d'activité de chaque ESSMS (file active, jours d'ouverture, ETP)",
                "CASF, art. L.313-12-2", "etablissements.<FINESS>.activite", _activity_sheets),
    Requirement(PH, "la partie du Département pour un FAM ou un EAM (hébergement)",
                "CASF, art. L.313-12-2", "autorites", _joint_department),
    Requirement(PH, "la modulation de la dotation globalisée commune selon l'activité",
                "CASF, art. L.313-12-2", "financement.modulation_activite", _modulation),
    Requirement(CHRS, "le préfet de région, autorité de tarification", A2019, "autorites",
                _prefect),
    Requirement(CHRS, "les CHRS du gestionnaire dans le département", A2019, "etablissements",
                _chrs_in_perimeter),
    Requirement(CHRS, "les quatre indicateurs obligatoires", A2019,
                "objectifs.<Id>.indicateurs.<code>", _chrs_indicators),
    Requirement(CHRS, "les deux axes stratégiques obligatoires", A2019, "objectifs.<Id>.axe",
                _chrs_axes),
    Requirement(CHRS, "les visas du modèle (PDALHPD, programmation, Logement d'abord)", A2019,
                "visas", _chrs_visas),
    Requirement(CHRS, "une durée de six ans au plus, prorogations comprises", A2019,
                "duree_mois, prorogations", _chrs_duration),
]  # fmt: skip


def check_conformance(doc: Document, c: Contract) -> list[Problem]:
    """A warning for each piece of content the model of the contract's legal basis requires."""
    found = []
    for requirement in REQUIREMENTS:
        if c.base_legale not in requirement.bases:
            continue
        missing: dict[tuple[str | int, ...], list[str]] = {}
        for path, what in requirement.missing(c):
            missing.setdefault(path, []).append(what)
        for path, fields in missing.items():
            message = (
                f"requis par le modèle ({c.base_legale.value} ; {requirement.text}) : "
                f"{requirement.what} ; à renseigner : {', '.join(fields)}"
            )
            found.append(doc.problem(path, message, key=True, severity=Severity.WARNING))
    return found
