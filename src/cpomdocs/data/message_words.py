"""The words of a validation message: what was expected and what was found, for each JSON
Schema keyword (type, enum, pattern, bounds, lengths), amounts shown as French amounts."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from typing import Any

from cpomdocs import fmt
from cpomdocs.data.identifiers import FINESS_PATTERN, SIREN_PATTERN, SIRET_PATTERN
from cpomdocs.data.model import YEAR_KEY

TYPE_NAMES = {
    "object": "une table de clés (champ: valeur)",
    "array": "une liste (lignes « - … »)",
    "string": "un texte",
    "integer": "un nombre entier",
    "number": "un nombre",
    "boolean": "true ou false",
    "null": "rien (null)",
}
PATTERN_HINTS = {
    FINESS_PATTERN: "un numéro FINESS de 9 caractères (ex. « 340780477 »)",
    SIREN_PATTERN: "un SIREN de 9 chiffres",
    SIRET_PATTERN: "un SIRET de 14 chiffres",
    r"^[0-9]{5}$": "un code postal de 5 chiffres",
    r"^[0-9]{3}$": "un code catégorie FINESS de 3 chiffres (ex. « 500 »)",
    YEAR_KEY: "une année de 2000 à 2099 (ex. 2026)",
    r"^[a-z][a-z0-9_-]*$": "un identifiant de partie en minuscules (ex. « ars », « cd34 »)",
    r"^O[0-9]+(\.[0-9]+)*$": "un identifiant d'objectif (ex. « O1 », « O2.3 »)",
    r"^[A-Z][A-Za-z0-9_.-]*$": "un code commençant par une majuscule (ex. « A1.2 », « TO-HP »)",
    r"^[0-9a-f]{64}$": "une empreinte SHA-256 (64 caractères hexadécimaux)",
}


def shown_value(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "…"


def shown_number(value: Any) -> str:
    """An integer bound as French text writes it: 10 000 000 000 (other values unchanged)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}".replace(",", "\u202f") if isinstance(value, int) else str(value)


def kind_of_value(value: Any) -> str:
    if isinstance(value, list):
        return "une liste"
    return "une valeur vide" if value is None else shown_value(value)


YES_NO = {"oui": True, "vrai": True, "yes": True, "on": True, "non": False, "faux": False}
YES_NO |= {"no": False, "off": False}


def type_hint(wanted: list[str], value: Any) -> str:
    """How to write the value so that it has the expected type, when that can be guessed."""
    if "string" in wanted and isinstance(value, int | float) and not isinstance(value, bool):
        return f' ; mettez la valeur entre guillemets : "{value}"'
    if not isinstance(value, str):
        return ""
    if "boolean" in wanted and value.strip().lower() in YES_NO:
        return f" ; écrivez {str(YES_NO[value.strip().lower()]).lower()}"
    if "number" in wanted or "integer" in wanted:
        # French habits: « 1 234,50 € », « 12 % », or a number put between quotes.
        bare = re.sub(r"[\s\u202f\xa0]", "", value).rstrip("€%").replace(",", ".")
        if re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", bare):
            if "number" in wanted:
                return f" ; écrivez {bare} (sans guillemets, espaces ni unité ; point décimal)"
            if "." not in bare:
                return f" ; écrivez {bare} (sans guillemets ni espaces)"
    return ""


def is_amount(path: tuple[Any, ...]) -> bool:
    """True for a path that holds euros (financing lines, totals, investments, results)."""
    names = {str(p) for p in path}
    return "financement" in names or "montant" in names or "execution_financiere" in names


READABLE_AMOUNT = 1e15


def shown_amount(value: float) -> str:
    """An amount in a message: « −25 000,00 € »; an absurd one as written (« 1e+28 »)."""
    return repr(value) if abs(value) >= READABLE_AMOUNT else fmt.amount(value)


def amount_bound_message(keyword: str, bound: Any, value: Any) -> str:
    """« −25 000,00 € trop petit : 0,00 € au moins », amounts written as contracts write them."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return keyword_message(keyword, bound, value)
    # An absurd amount reads better as written (« 1e+28 ») than as 29 digits in groups.
    shown, limit = shown_amount(value), fmt.amount(float(bound))
    if keyword == "minimum":
        return f"{shown} trop petit : {limit} au moins"
    return f"{shown} trop grand : {limit} au plus"


def keyword_message(keyword: str, expected: Any, value: Any) -> str:
    if keyword == "type":
        wanted = expected if isinstance(expected, list) else [expected]
        names = " ou ".join(dict.fromkeys(TYPE_NAMES.get(t, t) for t in wanted if t != "null"))
        found = "une table de clés" if isinstance(value, dict) else kind_of_value(value)
        return f"attendu {names or 'rien (null)'}, trouvé {found}{type_hint(wanted, value)}"
    if keyword == "enum":
        options = [str(o) for o in expected]
        guess = difflib.get_close_matches(str(value), options, n=1, cutoff=0.5)
        hint = f" ; vouliez-vous dire « {guess[0]} » ?" if guess else ""
        listed = ", ".join(f"« {o} »" for o in options)
        return f"valeur {shown_value(value)} non reconnue{hint} (valeurs possibles : {listed})"
    if keyword == "pattern":
        wanted = PATTERN_HINTS.get(expected, f"une valeur de la forme {expected}")
        return f"{shown_value(value)} invalide : attendu {wanted}"
    if keyword == "format" and expected == "date":
        iso = iso_date(value)
        hint = f" ; écrivez {iso}" if iso else " (ex. 2026-01-31)"
        return f"date {shown_value(value)} invalide : attendu AAAA-MM-JJ{hint}"
    if keyword == "minimum":
        return f"{shown_value(value)} trop petit : {shown_number(expected)} au moins"
    if keyword == "maximum":
        return f"{shown_value(value)} trop grand : {shown_number(expected)} au plus"
    if keyword == "minLength":
        return "texte vide : une valeur est attendue"
    if keyword == "maxLength":
        size = len(value) if isinstance(value, str) else "?"
        return (
            f"texte trop long ({shown_number(size)} caractères) : {shown_number(expected)} au plus"
        )
    if keyword == "maxItems":
        size = len(value) if isinstance(value, list) else "?"
        return (
            f"liste trop longue ({shown_number(size)} éléments) : {shown_number(expected)} au plus"
        )
    if keyword == "maxProperties":
        size = len(value) if isinstance(value, dict) else "?"
        return f"trop d'entrées ({shown_number(size)}) : {shown_number(expected)} au plus"
    if keyword == "const":
        return f"{shown_value(value)} invalide : attendu {shown_value(expected)}"
    return f"{shown_value(value)} invalide ({keyword})"


_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août"]
_MONTHS += ["septembre", "octobre", "novembre", "décembre"]
_NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
_WORDED_DATE = re.compile(r"^\s*(1er|premier|\d{1,2})\s+(\w+)\s+(\d{4})\s*$", re.IGNORECASE)


def iso_date(value: Any) -> str | None:
    """A date written the French way (« 30/09/2028 », « 1er juin 2028 ») as AAAA-MM-JJ, for the
    message to give the very line to write; None for anything else or an impossible day."""
    if not isinstance(value, str):
        return None
    if found := _NUMERIC_DATE.match(value):
        day, month, year = (int(part) for part in found.groups())
    elif (found := _WORDED_DATE.match(value)) and found.group(2).lower() in _MONTHS:
        first = found.group(1).lower()
        day = 1 if first in ("1er", "premier") else int(first)
        month, year = _MONTHS.index(found.group(2).lower()) + 1, int(found.group(3))
    else:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None
