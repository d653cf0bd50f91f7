"""French figures as documents print them: amounts, numbers, percentages, signed gaps, units
and euros in words (Babel, num2words), with French spaces and minus sign; and dates in words."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from functools import lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import (
    NumberPattern,
    format_currency,
    format_decimal,
    format_percent,
    parse_pattern,
)
from num2words import num2words

LOCALE = "fr_FR"
_FR = Locale.parse(LOCALE)  # parsed once: Babel parses a locale name at every call
NNBSP = "\u202f"  # narrow no-break space: CLDR's French group separator
NBSP = "\u00a0"
MINUS = "\u2212"  # the minus sign of French typography, not the hyphen-minus
NO_VALUE = "–"  # a missing value in a table


_WIDE = Context(prec=400)  # room for the largest float's 309 digits and its cents
# The euro's patterns (CLDR fr: « #,##0.00 ¤ ») with « € » written in: for any « ¤ », Babel looks
# the currency's name and plural rules up, half of an amount's time (format_currency's output).
_EUROS = parse_pattern(_FR.currency_formats["standard"].pattern.replace("¤", "'€'"))
_WHOLE_EUROS = parse_pattern("#,##0\u00a0'€'")


def _quantize(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP, context=_WIDE)


@lru_cache(maxsize=4096)
def amount(value: float, cents: bool = True) -> str:
    """Euros with CLDR's French separators: « 1 234 567,89 € », or « 1 234 568 € » without cents."""
    if not cents:
        return amount_round(value)
    with localcontext(_WIDE):  # Babel quantizes too: 1e28 passes the default 28 digits
        return _minus(_EUROS.apply(_quantize(value), _FR))


def exact_amount(value: float) -> str:
    """Euros with every decimal the value holds, at least the cents: « 7,4825 € », « 68,50 € »."""
    exponent = Decimal(repr(float(value))).as_tuple().exponent
    places = max(2, -exponent if isinstance(exponent, int) else 0)
    if places == 2:
        return amount(value)
    pattern = _pattern("#,##0." + "0" * places + "\u00a0¤")
    with localcontext(_WIDE):
        text = format_currency(
            Decimal(repr(float(value))), "EUR", format=pattern, locale=_FR, currency_digits=False
        )
    return _minus(text)


@lru_cache(maxsize=4096, typed=True)  # Babel: ~10 µs a figure
def amount_round(value: float) -> str:
    """Euros without cents, for wide tables: « 1 234 568 € »."""
    with localcontext(_WIDE):  # a float's 309 digits, as for amount
        return _minus(_WHOLE_EUROS.apply(round(value), _FR))


@lru_cache(maxsize=64)
def _pattern(pattern: str) -> NumberPattern:
    """A Babel number pattern, parsed once (Babel parses a pattern string at every call)."""
    return parse_pattern(pattern)


@lru_cache(maxsize=4096, typed=True)  # Babel: ~10 µs a figure
def number(value: float, digits: int = 2) -> str:
    """A number with French separators, trailing zeros dropped: « 1 234,5 »."""
    pattern = _pattern("#,##0" + ("." + "#" * digits if digits else ""))
    return _minus(format_decimal(round(value, digits) + 0, format=pattern, locale=_FR))


@lru_cache(maxsize=4096, typed=True)  # Babel: ~10 µs a figure
def fixed(value: float, digits: int) -> str:
    """A number with exactly `digits` decimals, for a column: « 14,0 » beside « 65,5 »."""
    pattern = _pattern("#,##0" + ("." + "0" * digits if digits else ""))
    return _minus(format_decimal(round(value, digits) + 0, format=pattern, locale=_FR))


def decimals(values: Iterable[float], most: int = 2) -> int:
    """How many decimals (up to `most`) the values need: 1 for [14, 65.5], 0 for [14, 107]."""
    needed = 0
    for value in values:
        exponent = Decimal(repr(round(float(value), most))).normalize().as_tuple().exponent
        needed = max(needed, min(most, -exponent if isinstance(exponent, int) else 0))
    return needed


def has_cents(amounts: Iterable[float]) -> bool:
    """True when any amount is not whole euros: its table then prints every amount's cents."""
    return any(_quantize(value) % 1 for value in amounts)


@lru_cache(maxsize=4096, typed=True)  # Babel: ~10 µs a figure
def percent(value: float, digits: int = 2) -> str:
    """A value already in percent: 92.5 → « 92,5 % » (at most `digits` decimals)."""
    pattern = _pattern("#,##0" + ("." + "#" * digits if digits else "") + "\u00a0%")
    return _minus(format_percent(value / 100, format=pattern, locale=_FR))


def rate(ratio: float | None, digits: int = 0) -> str:
    """A ratio as a percentage: 0.4 → « 40 % »; an en dash when unknown."""
    return NO_VALUE if ratio is None else percent(ratio * 100, digits)


def _minus(text: str) -> str:
    """Babel's French numbers start with a hyphen-minus; typography wants « − »."""
    return MINUS + text[1:] if text.startswith("-") else text


def signed(value: float, text: str) -> str:
    """`text` (a formatted magnitude) with an explicit sign: « +25 000,00 € », « −3,2 % »."""
    return ("+" if value >= 0 else MINUS) + text.lstrip("-" + MINUS)


# The unit written after an indicator's value (indicators' `unite`); « % » and « € » have
# their own formats, « nombre » and « ratio » none.
UNIT_SUFFIX = {"nombre": "", "ratio": "", "heures": "h"}
UNIT_WORDS = {"jours": "jour", "points": "point"}  # agreed: « 1 jour », « 1,5 jour », « 2 jours »


def with_unit(value: float | None, unit: str) -> str:
    """An indicator's value: « 92,5 % », « 172 », « 35 jours », « 1 200,00 € », « 12,345 € »;
    « – » if none."""
    if value is None:
        return NO_VALUE
    if unit == "%":
        return percent(value)
    if unit == "€":
        return exact_amount(value)  # a measure, not a payment: no digit of the data is lost
    suffix = UNIT_SUFFIX.get(unit, unit)
    if unit in UNIT_WORDS and abs(value) < 2:
        suffix = UNIT_WORDS[unit]  # French takes the plural from two
    return number(value) + (NBSP + suffix if suffix else "")


def gap(value: float | None, unit: str) -> str:
    """A signed gap to a target: « +0,3 pt » for a percentage, « −5 jours »; « – » if none."""
    if value is None:
        return NO_VALUE
    value = round(value, 2) + 0.0
    if unit == "%":
        return signed(value, number(abs(value)) + NBSP + "pt") if value else "0" + NBSP + "pt"
    text = with_unit(abs(value), unit)
    return signed(value, text) if value else text


def euros_in_words(value: float) -> str:
    """An amount in words: « un million deux cent mille euros », « … euros et cinq centimes »."""
    cents_total = int(_quantize(value) * 100)
    euros, cents = divmod(cents_total, 100)
    words = num2words(euros, lang="fr")
    exact_million = euros > 0 and re.search(r"(millions?|milliards?)$", words)
    unit = "d'euros" if exact_million else ("euro" if euros <= 1 else "euros")
    text = f"{words} {unit}"
    if cents:
        text += f" et {num2words(cents, lang='fr')} centime{'s' if cents > 1 else ''}"
    return text


def date_fr(value: dt.date | None) -> str:
    """A date as French contracts write it: « 1er janvier 2026 », « 14 mars 2025 »."""
    return "" if value is None else kept_date(value)


@lru_cache(maxsize=4096)  # Babel takes ~10 µs, and a contract prints its dates often
def kept_date(value: dt.date) -> str:
    """`date_fr` of a date (kept, as fmt's texts are: fmt.TEXT_CACHES)."""
    text = format_date(value, format="d MMMM y", locale=_FR)
    return "1er" + text[1:] if value.day == 1 else text


def date_or(value: dt.date | None, missing: str = "date à fixer") -> str:
    """A date in words, or `missing` when it is not known."""
    return missing if value is None else date_fr(value)


@lru_cache(maxsize=4096)
def month_fr(value: dt.date) -> str:
    """Month and year: « septembre 2026 »."""
    return format_date(value, format="MMMM y", locale=_FR)
