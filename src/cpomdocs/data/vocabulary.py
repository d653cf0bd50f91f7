"""The fixed vocabularies of the CPOM model: statuses, sectors, legal bases, units…"""

from __future__ import annotations

from enum import StrEnum


class ContractStatus(StrEnum):
    PROJET = "projet"
    SIGNE = "signé"
    PROROGE = "prorogé"
    ECHU = "échu"
    RESILIE = "résilié"


class Sector(StrEnum):
    PA = "personnes âgées"
    PH = "personnes handicapées"
    MIXTE = "mixte"
    AHI = "accueil, hébergement et insertion"


class LegalBasis(StrEnum):
    GENERIC = "L.313-11"
    EHPAD = "L.313-12 IV ter"
    HANDICAP = "L.313-12-2"
    CHRS = "L.313-11-2"


class PartyKind(StrEnum):
    ARS = "ARS"
    DEPARTEMENT = "conseil départemental"
    METROPOLE = "métropole"
    COLLECTIVITE = "collectivité territoriale"
    PREFET = "préfet"


class Direction(StrEnum):
    HAUSSE = "hausse"
    BAISSE = "baisse"


class Unit(StrEnum):
    PERCENT = "%"
    NUMBER = "nombre"
    DAYS = "jours"
    EUROS = "€"
    RATIO = "ratio"
    POINTS = "points"
    HOURS = "heures"
    FTE = "ETP"
    KWH_M2_YEAR = "kWh/m²/an"


class Tarification(StrEnum):
    DOTATION_GLOBALE = "dotation globale"
    DGC = "dotation globalisée commune"
    PRIX_DE_JOURNEE = "prix de journée"
    FORFAIT_JOURNALIER = "forfait journalier"
    FORFAIT_GLOBAL_ANNUEL = "forfait global annuel"
    FORFAITS_EHPAD = "forfaits soins et dépendance"
