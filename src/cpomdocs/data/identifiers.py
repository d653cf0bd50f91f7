"""French administrative identifiers: FINESS, SIREN, SIRET and FINESS categories.

The région of each département (the 18 régions since 1 January 2016), by FINESS prefix.
"""

from __future__ import annotations

import re

from stdnum import luhn
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

FINESS_PATTERN = r"^(?:[0-9]{2}|2[AB])[0-9]{7}$"
SIREN_PATTERN = r"^[0-9]{9}$"
SIRET_PATTERN = r"^[0-9]{14}$"

# FINESS category codes that a CPOM covers (code → usual label).
CATEGORIES: dict[str, str] = {
    "500": "EHPAD",
    "202": "Résidence autonomie",
    "207": "Centre de jour pour personnes âgées",
    "354": "SSIAD",
    "209": "SPASAD",
    "460": "SAAD",
    "183": "IME",
    "182": "SESSAD",
    "186": "ITEP",
    "188": "EEAP",
    "190": "CAMSP",
    "189": "CMPP",
    "192": "IEM",
    "255": "MAS",
    "437": "FAM",
    "448": "EAM",
    "449": "EANM",
    "382": "Foyer de vie",
    "252": "Foyer d'hébergement",
    "246": "ESAT",
    "445": "SAMSAH",
    "446": "SAVS",
    "214": "CHRS",
}
# The categories above that are services (they work where people live: at home, in ordinary
# settings); the others are establishments. A contract says « deux établissements » for two
# CHRS and « un service » for one SSIAD, « établissements et services » for a mix.
SERVICE_CATEGORIES = frozenset({"182", "209", "354", "445", "446", "460"})


def siren_valid(siren: str) -> bool:
    """True when a SIREN has 9 digits and a right Luhn key."""
    return bool(re.fullmatch(SIREN_PATTERN, siren)) and stdnum_siren.is_valid(siren)


def siret_valid(siret: str) -> bool:
    """True when a SIRET has 14 digits and a right key (La Poste's own rule included)."""
    return bool(re.fullmatch(SIRET_PATTERN, siret)) and stdnum_siret.is_valid(siret)


def finess_key_valid(finess: str) -> bool:
    """True when a FINESS passes the Luhn check observed on real numbers (not an official rule)."""
    if finess[:2] in ("2A", "2B"):
        return luhn.is_valid("20" + finess[2:])
    return finess.isdigit() and luhn.is_valid(finess)


def with_luhn_key(prefix: str) -> str:
    """`prefix` followed by the Luhn key digit that makes it valid."""
    return prefix + luhn.calc_check_digit(prefix)


def finess_department(finess: str) -> str:
    """The département code a FINESS starts with (97x/98x overseas take three characters)."""
    return finess[:3] if finess[:2] in ("97", "98") else finess[:2]


def format_finess(finess: str) -> str:
    """Display a FINESS as « NN NNN NNN N »."""
    return f"{finess[:2]} {finess[2:5]} {finess[5:8]} {finess[8:]}"


def format_siret(siret: str) -> str:
    """Display a SIRET as « NNN NNN NNN NNNNN »."""
    return f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"


def format_siren(siren: str) -> str:
    """Display a SIREN as « NNN NNN NNN »."""
    return f"{siren[:3]} {siren[3:6]} {siren[6:]}"


_DEPARTMENTS_BY_REGION: dict[str, tuple[str, ...]] = {
    "Auvergne-Rhône-Alpes": (
        "01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74",
    ),
    "Bourgogne-Franche-Comté": ("21", "25", "39", "58", "70", "71", "89", "90"),
    "Bretagne": ("22", "29", "35", "56"),
    "Centre-Val de Loire": ("18", "28", "36", "37", "41", "45"),
    "Corse": ("2A", "2B"),
    "Grand Est": ("08", "10", "51", "52", "54", "55", "57", "67", "68", "88"),
    "Hauts-de-France": ("02", "59", "60", "62", "80"),
    "Île-de-France": ("75", "77", "78", "91", "92", "93", "94", "95"),
    "Normandie": ("14", "27", "50", "61", "76"),
    "Nouvelle-Aquitaine": (
        "16", "17", "19", "23", "24", "33", "40", "47", "64", "79", "86", "87",
    ),
    "Occitanie": (
        "09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82",
    ),
    "Pays de la Loire": ("44", "49", "53", "72", "85"),
    "Provence-Alpes-Côte d'Azur": ("04", "05", "06", "13", "83", "84"),
    "Guadeloupe": ("971",),
    "Martinique": ("972",),
    "Guyane": ("973",),
    "La Réunion": ("974",),
    "Mayotte": ("976",),
}  # fmt: skip
REGION_OF_DEPARTMENT: dict[str, str] = {
    department: region
    for region, departments in _DEPARTMENTS_BY_REGION.items()
    for department in departments
}


# The département whose préfet is the préfet de région (chef-lieu of the région).
CHIEF_DEPARTMENT: dict[str, str] = {
    "Auvergne-Rhône-Alpes": "69", "Bourgogne-Franche-Comté": "21", "Bretagne": "35",
    "Centre-Val de Loire": "45", "Corse": "2A", "Grand Est": "67", "Hauts-de-France": "59",
    "Île-de-France": "75", "Normandie": "76", "Nouvelle-Aquitaine": "33", "Occitanie": "31",
    "Pays de la Loire": "44", "Provence-Alpes-Côte d'Azur": "13", "Guadeloupe": "971",
    "Martinique": "972", "Guyane": "973", "La Réunion": "974", "Mayotte": "976",
}  # fmt: skip


def finess_region(finess: str) -> str | None:
    """The région of the département a FINESS number starts with; None if not a région's."""
    return REGION_OF_DEPARTMENT.get(finess_department(finess))
