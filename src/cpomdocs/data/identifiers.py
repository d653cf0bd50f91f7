"""French administrative identifiers: FINESS, SIREN, SIRET and FINESS categories."""

from __future__ import annotations

import re

FINESS_PATTERN = r"^(?:[0-9]{2}|2[AB])[0-9]{7}$"
SIREN_PATTERN = r"^[0-9]{9}$"
SIRET_PATTERN = r"^[0-9]{14}$"
LA_POSTE_SIREN = "356000000"

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


def luhn_valid(digits: str) -> bool:
    """True when a string of digits passes the Luhn check."""
    if not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def luhn_complete(prefix: str) -> str:
    """Append the Luhn key digit that makes `prefix` valid."""
    for key in "0123456789":
        if luhn_valid(prefix + key):
            return prefix + key
    raise ValueError(prefix)  # unreachable: one digit always fits


def siren_valid(siren: str) -> bool:
    """True when a SIREN has 9 digits and a right Luhn key."""
    return bool(re.fullmatch(SIREN_PATTERN, siren)) and luhn_valid(siren)


def siret_valid(siret: str) -> bool:
    """True when a SIRET has 14 digits and a right key (La Poste's own rule included)."""
    if not re.fullmatch(SIRET_PATTERN, siret):
        return False
    if siret.startswith(LA_POSTE_SIREN):
        return sum(int(c) for c in siret) % 5 == 0
    return luhn_valid(siret)


def finess_key_valid(finess: str) -> bool:
    """True when a FINESS passes the Luhn check observed on real numbers (not an official rule)."""
    if finess[:2] in ("2A", "2B"):
        return luhn_valid("20" + finess[2:])
    return luhn_valid(finess)


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
