"""The terms every model uses: bounds on what a file may hold, whole months, fixed vocabularies.

Bounds on what one file may hold, shared by the models (and so by the schemas).
Generous for real contracts (the largest example has 7 objectives, 11 ESSMS, texts of 1 700
characters), small enough that a document's cost stays bounded. Listed in the README
(« Validation »).

Date arithmetic of contracts: whole months, as durations and notice periods are counted.

The fixed vocabularies of the CPOM model: statuses, sectors, legal bases, units…
"""

from __future__ import annotations

import calendar
import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field
from pydantic_core import PydanticCustomError

MAX_TEXT = 1_000  # characters of a name, a label, a list item
MAX_PROSE = 20_000  # characters of a Markdown field (préambule, constat…)
MAX_ITEMS = 100  # items of a list (forces, visas, décisions…)
MAX_ENTRIES = 200  # entries of an id-keyed table (ESSMS, financing lines…)
MAX_OBJECTIVES = 50  # objectives of a contract, actions or indicators of an objective
MAX_MEMBERS = 50  # people of one party in a committee or a meeting
MAX_AMOUNT = 10_000_000_000  # euros: ten billion, far above any CPOM line
# Checked on the number's text by data/cents.py: a schema's multipleOf 0.01 fails on floats.
CENTS_NOTE = "Montant en euros, au centime près au plus (deux décimales)"
MAX_VALUE = 1_000_000_000_000  # an indicator's value, in any unit
MAX_PLACES = 100_000  # places of an ESSMS
MAX_PASSAGES = 1_000  # passages (headings) of one signed document's text, in its empreinte
MAX_MONTHS = 60  # a CPOM lasts five years at most (L.313-11 CASF)
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2199, 12, 31)  # any date of a contract
FIRST_YEAR, LAST_YEAR = 2000, 2099  # a year key (cibles, financement) or a reference year

Measure = Annotated[float, Field(ge=-MAX_VALUE, le=MAX_VALUE)]
Places = Annotated[int, Field(ge=0, le=MAX_PLACES)]


def items(title: str, description: str | None = None, max_length: int = MAX_ITEMS) -> Any:
    """A Field for a list of at most `max_length` items, empty by default."""
    return Field(default_factory=list, title=title, description=description, max_length=max_length)


def date_in_range(value: Any) -> Any:
    """A date from 1900 to 2199 (date arithmetic, end and notice, never overflows)."""
    if isinstance(value, dt.date) and not FIRST_DAY <= value <= LAST_DAY:
        raise PydanticCustomError("date_range", "date hors limites", {"value": value})
    return value


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months (backwards when negative), kept inside the target month."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def period_end(start: dt.date, months: int) -> dt.date:
    """The last day of a period of `months` whole months that starts on `start`."""
    return add_months(start, months) - dt.timedelta(days=1)


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
