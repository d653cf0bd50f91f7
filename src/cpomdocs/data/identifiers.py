"""French administrative identifiers: FINESS, SIREN, SIRET and FINESS categories."""

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
