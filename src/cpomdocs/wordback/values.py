"""Values read back from their French formatting: amounts, percentages, numbers, dates, text.

The type comes from the value the data held before (an amount stays a number, a date a date);
Babel parses the numbers with the French separators, its month names the dates.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.dates import get_month_names
from babel.numbers import NumberFormatError, parse_decimal

from cpomdocs.blanks import PENDING_TEXT
from cpomdocs.fmt import LOCALE

_SPACES = re.compile("[ \u00a0\u202f\u2009\t]")
_NUMBER_AND_UNIT = re.compile(r"^([+\-−]?[\d.,]+)(.*)$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WRITTEN_DATE = re.compile(r"^(\d{1,2})(?:er)?\s+([^\W\d_]+)\s+(\d{4})$")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
MAX_DIGITS = 18
# Fields whose numbers are counts: a decimal there is an error, not a new type.
INTEGER_FIELDS = {"autorisees", "installees", "duree_mois", "annee", "version", "places_habilitees"}


class ValueError_(ValueError):
    """Raised when a text does not read as a value of the expected kind; says what was expected."""


def _unit(text: str) -> str:
    """The unit written after a number (« € », « % », « places »), spaces removed."""
    found = _NUMBER_AND_UNIT.match(_SPACES.sub("", text))
    return found.group(2) if found else ""


def parse_number(text: str, before: str) -> Decimal:
    """A number written the French way (« 1 150 000 € », « 9,5 % »): same unit as `before`."""
    squeezed = _SPACES.sub("", text.strip())
    found = _NUMBER_AND_UNIT.match(squeezed)
    if not found:
        raise ValueError_("un nombre était attendu")
    number, unit = found.groups()
    expected = _unit(before)
    if unit and unit != expected and before.strip() != PENDING_TEXT:  # a blank has no unit
        shown = f"« {expected} »" if expected else "aucune unité"
        raise ValueError_(f"unité « {unit} » inattendue ({shown} attendu)")
    if len(re.sub(r"\D", "", number)) > MAX_DIGITS:
        raise ValueError_("nombre trop long")
    try:
        return parse_decimal(number.replace("−", "-"), locale=LOCALE, strict=False)
    except (NumberFormatError, InvalidOperation):
        raise ValueError_("un nombre écrit à la française était attendu (« 1 234,50 »)") from None


def parse_date(text: str) -> dt.date:
    """« 1er janvier 2026 », « 15 octobre 2027 » or « 15/10/2027 »."""
    cleaned = _SPACES.sub(" ", text.strip())
    months = {name.lower(): n for n, name in get_month_names("wide", locale=LOCALE).items()}
    try:
        if found := _WRITTEN_DATE.match(cleaned):
            day, month_name, year = found.groups()
            month = months.get(month_name.lower())
            if month is None:
                raise ValueError_(f"mois « {month_name} » inconnu")
            return dt.date(int(year), month, int(day))
        if found := _NUMERIC_DATE.match(cleaned):
            day, month, year = found.groups()
            return dt.date(int(year), int(month), int(day))
    except ValueError as exc:
        if isinstance(exc, ValueError_):
            raise
        raise ValueError_("date impossible") from None
    raise ValueError_("une date était attendue (« 15 octobre 2027 » ou « 15/10/2027 »)")


def typed_value(text: str, before_text: str, before: Any, field: str = "") -> Any:
    """The new value for `text`, typed like `before` (the data's value, shown as `before_text`);
    `field` is the last key of its path (a count stays whole)."""
    if isinstance(before, bool):
        raise ValueError_("une valeur oui/non ne se modifie pas dans le document")
    if isinstance(before, int):
        number = parse_number(text, before_text)
        if number == number.to_integral_value():
            return int(number)
        if field in INTEGER_FIELDS:
            raise ValueError_("un nombre entier était attendu")
        return float(number)
    if isinstance(before, float):
        return float(parse_number(text, before_text))
    if isinstance(before, str) and _ISO_DATE.match(before):
        return parse_date(text).isoformat()
    if isinstance(before, str):
        cleaned = _SPACES.sub(" ", text).strip()
        if not cleaned:
            raise ValueError_("le texte est vide")
        return _kept_as_written(before, before_text, cleaned)
    raise ValueError_("cette valeur ne se modifie pas dans le document")


def _kept_as_written(data: str, shown: str, new: str) -> str:
    """`new` with the words left alone written as the data wrote them: the document shows the
    data's text typeset (« l’accueil »), so only the words that changed come from the document."""
    from cpomdocs.documents.typography import plain
    from cpomdocs.wordback.compare import regions

    if len(data) != len(shown) or plain(data) != plain(shown):
        return new
    out = data
    for start, end, replacement in sorted(regions(shown, new), reverse=True):
        out = out[:start] + replacement + out[end:]
    return out.strip()
