"""French formatting for documents (Babel, num2words) and the Markdown escaping of plain text."""

from __future__ import annotations

import datetime as dt
import re
import string
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

from cpomdocs.blanks import (
    PENDING_END,
    PENDING_START,
    PENDING_TEXT,
    PLACEHOLDER,
    ZERO_IDENTIFIER,
    gaps,
    is_placeholder,
)

LOCALE = "fr_FR"
_FR = Locale.parse(LOCALE)  # parsed once: Babel parses a locale name at every call
NNBSP = "\u202f"  # narrow no-break space: CLDR's French group separator
NBSP = "\u00a0"
MINUS = "\u2212"  # the minus sign of French typography, not the hyphen-minus
NO_VALUE = "–"  # a missing value in a table

_ESCAPED = str.maketrans({c: "\\" + c for c in string.punctuation})  # all of ASCII's
# A bound value's path is not text: its punctuation is carried by private-use characters that
# Markdown reads as letters (no escape to parse), and documents/markdown.py puts it back.
_PATH_CODE = {ord(c): chr(0xF0000 + ord(c)) for c in string.punctuation}
PATH_DECODE = {ord(code): chr(char) for char, code in _PATH_CODE.items()}
_BLANKS = re.compile(r"[ \t\r\n\f\v]+")  # not \s: no-break spaces are meant


# Binding markers: private-use characters (stripped from the data's own text by the filters), put
# around a value by the `at` filter and read back by documents/markdown.py into Run.path.
BIND_START = "\ue000"  # then the path, BIND_PATH_END, the value, BIND_END
BIND_PATH_END = "\ue001"
BIND_END = "\ue002"
BLOCK_START = "\ue003"  # a paragraph of its own: the path; Markdown blocks until BLOCK_END
BLOCK_END = "\ue004"
_MARKERS = re.compile("[\ue000-\ue006]")  # and blanks.PENDING_START/END


class MarkdownText(str):
    """Text that is already Markdown: templates insert it as is, without escaping."""


def md_escape(value: object) -> MarkdownText:
    """Plain text as Markdown that displays exactly that text (every punctuation escaped)."""
    text = _BLANKS.sub(" ", _MARKERS.sub("", str(value)))
    return MarkdownText(text.translate(_ESCAPED))


def upper_first(value: str) -> MarkdownText:
    """A value with a capital first letter (« Directeur général »), a blank left as it is."""
    text = str(value)
    return finalize(text if is_placeholder(text) else text[:1].upper() + text[1:])  # type: ignore[return-value]


def pending() -> MarkdownText:
    """The blank of a figure, date or identifier not yet known: « [à compléter] »."""
    return MarkdownText(f"{PENDING_START}{md_escape(PENDING_TEXT)}{PENDING_END}")


def prose(value: str | None) -> MarkdownText:
    """A Markdown field of the model, inserted as Markdown (its blocks kept)."""
    return MarkdownText(gaps(_MARKERS.sub("", value or "").strip(), str))


def inline_prose(value: str | None) -> MarkdownText:
    """A Markdown field on one line (a table cell): line breaks become spaces, pipes escaped."""
    text = _BLANKS.sub(" ", _MARKERS.sub("", value or "")).strip()
    return MarkdownText(gaps(text, str).replace("|", "\\|"))


def finalize(value: object) -> str:
    """Jinja's finalize hook: every `{{ … }}` output is escaped unless it is MarkdownText; a
    value still « à compléter » shows its gaps as blanks to fill."""
    if value is None:
        return ""
    if isinstance(value, MarkdownText):
        return value
    if isinstance(value, str) and ZERO_IDENTIFIER.match(value):
        return pending()  # a draft's 00000 postal code, printed as such by a template
    return MarkdownText(gaps(str(value), md_escape))


def at(value: object, path: str, blank: bool = False) -> MarkdownText:
    """A value bound to its data path: the DOCX keeps where it came from, the PDF ignores it;
    with `blank`, a figure still « à compléter » (the templates' `at` knows which, blanks.py)."""
    shown = pending() if blank else value if isinstance(value, MarkdownText) else finalize(value)
    code = _BLANKS.sub(" ", _MARKERS.sub("", path)).translate(_PATH_CODE)
    return MarkdownText(f"{BIND_START}{code}{BIND_PATH_END}{shown}{BIND_END}")


def prose_at(value: str | None, path: str) -> MarkdownText:
    """A Markdown field inserted as Markdown (like `prose`), its blocks bound to `path`."""
    text = prose(value)
    if not text:
        return text
    return MarkdownText(f"{BLOCK_START}{md_escape(path)}\n\n{text}\n\n{BLOCK_END}")


def path(*parts: object) -> str:
    """A data path from its keys: path("objectifs", "O3", "cibles", 2027)."""
    return ".".join(str(part) for part in parts)


def date_fr(value: dt.date | None) -> str:
    """A date as French contracts write it: « 1er janvier 2026 », « 14 mars 2025 »."""
    if value is None:
        return ""
    text = format_date(value, format="d MMMM y", locale=_FR)
    return "1er" + text[1:] if value.day == 1 else text


def date_or(value: dt.date | None, missing: str = "date à fixer") -> str:
    """A date in words, or `missing` when it is not known."""
    return missing if value is None else date_fr(value)


def month_fr(value: dt.date) -> str:
    """Month and year: « septembre 2026 »."""
    return format_date(value, format="MMMM y", locale=_FR)


_WIDE = Context(prec=400)  # room for the largest float's 309 digits and its cents


def _quantize(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP, context=_WIDE)


@lru_cache(maxsize=4096)
def amount(value: float, cents: bool = True) -> str:
    """Euros with CLDR's French separators: « 1 234 567,89 € », or « 1 234 568 € » without cents."""
    if not cents:
        return amount_round(value)
    with localcontext(_WIDE):  # Babel quantizes too: 1e28 passes the default 28 digits
        return _minus(format_currency(_quantize(value), "EUR", locale=_FR))


def amount_round(value: float) -> str:
    """Euros without cents, for wide tables: « 1 234 568 € »."""
    return _minus(
        format_currency(
            round(value), "EUR", format=_pattern("#,##0\u00a0¤"), locale=_FR, currency_digits=False
        )
    )


@lru_cache(maxsize=64)
def _pattern(pattern: str) -> NumberPattern:
    """A Babel number pattern, parsed once (Babel parses a pattern string at every call)."""
    return parse_pattern(pattern)


def number(value: float, digits: int = 2) -> str:
    """A number with French separators, trailing zeros dropped: « 1 234,5 »."""
    pattern = _pattern("#,##0" + ("." + "#" * digits if digits else ""))
    return _minus(format_decimal(round(value, digits) + 0, format=pattern, locale=_FR))


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
    """An indicator's value: « 92,5 % », « 172 », « 35 jours », « 1 200,00 € »; « – » if none."""
    if value is None:
        return NO_VALUE
    if unit == "%":
        return percent(value)
    if unit == "€":
        return amount(value)
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


def quoted(value: object) -> str:
    """French quotation marks with no-break spaces: « texte »."""
    return f"«{NBSP}{value}{NBSP}»"


def finess(value: str) -> str:
    """A FINESS number as displayed: « 34 000 513 1 » (NN NNN NNN N)."""
    v = str(value)
    if ZERO_IDENTIFIER.match(v):
        return pending()
    return f"{v[:2]}{NBSP}{v[2:5]}{NBSP}{v[5:8]}{NBSP}{v[8:]}" if len(v) == 9 else v


def siret(value: str) -> str:
    """A SIRET as displayed: « 433 702 156 00012 »; a SIREN: « 433 702 156 »."""
    v = str(value)
    if ZERO_IDENTIFIER.match(v):
        return pending()
    groups = [v[0:3], v[3:6], v[6:9]] + ([v[9:]] if len(v) > 9 else [])
    return NBSP.join(groups)


def ordinal_article(number_: int) -> str:
    """« 1er », « 2 », … as article numbers are written."""
    return "1er" if number_ == 1 else str(number_)


# The article of a name by its first word: « du SESSAD », « de l'EHPAD », « de la MAS ».
_MASCULINE = {"sessad", "ssiad", "spasad", "saad", "camsp", "cmpp", "fam", "savs", "samsah",
              "chrs", "foyer", "centre", "service", "pôle", "dispositif"}  # fmt: skip
_FEMININE = {"mas", "maison", "résidence", "plateforme", "unité", "structure"}
_PLURAL = {"les"}
_VOWELS = "aeiouyhàâéèêëîïôöûüAEIOUYHÀÂÉÈÊËÎÏÔÖÛÜ"


def of(name: str) -> str:
    """« de » and its article before a name: « du SESSAD X », « de l'EHPAD Y », « de la MAS Z »."""
    if is_placeholder(name) and PLACEHOLDER.match(name):
        return f"de {PENDING_TEXT}"  # not « de l'à compléter »
    first = name.split(" ", 1)[0].lower() if name else ""
    rest = name.split(" ", 1)[1] if " " in name else ""
    if first == "le" and rest:
        return f"du {rest}"
    if first == "les" and rest:
        return f"des {rest}"
    if first == "la" and rest:
        return f"de la {rest}"
    if first in _MASCULINE:
        return f"du {name}"
    if first in _FEMININE:
        return f"de la {name}"
    if name[:1] in _VOWELS:
        return f"de l'{name}"  # EHPAD, IME, ITEP, ESAT, EEAP, accueil de jour
    return f"de {name}"


def to(name: str) -> str:
    """« à » and its article before a name: « au SESSAD X », « à l'IME Y », « à la MAS Z »."""
    text = of(name)
    pairs = (("du ", "au "), ("des ", "aux "), ("de la ", "à la "), ("de l'", "à l'"))
    for prefix, article in pairs:
        if text.startswith(prefix):
            return article + text[len(prefix) :]
    return "à " + text[3:] if text.startswith("de ") else text


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """« 1 place », « 78 places »."""
    word = singular if count <= 1 else (plural_form or singular + "s")
    return f"{count} {word}"


def article(name: str) -> MarkdownText:
    """The article that opens a sentence about an ESSMS: « L'» EHPAD X, « Le » SESSAD Y,
    « La » MAS Z; none when the name has its own (« Le Clos… ») or its gender is unknown."""
    first = name.split(" ", 1)[0].lower() if name else ""
    if is_placeholder(name) or first in ("le", "la", "les", "l'", "l’"):
        return MarkdownText("")
    if first in _MASCULINE:
        return MarkdownText("Le ")
    if first in _FEMININE:
        return MarkdownText("La ")
    return MarkdownText("L’" if name[:1] in _VOWELS else "")  # ’: the next run is bold


def feminine(name: str) -> bool:
    """Whether an ESSMS name takes the feminine (« la MAS », « La Maison… »)."""
    first = name.split(" ", 1)[0].lower() if name else ""
    return first in _FEMININE or first == "la"


FILTERS = {
    "md": md_escape,
    "prose": prose,
    "inline_prose": inline_prose,
    "date_fr": date_fr,
    "month_fr": month_fr,
    "amount": amount,
    "amount_round": amount_round,
    "number": number,
    "percent": percent,
    "rate": rate,
    "signed": signed,
    "with_unit": with_unit,
    "gap": gap,
    "euros_in_words": euros_in_words,
    "quoted": quoted,
    "finess": finess,
    "siret": siret,
    "article": ordinal_article,
    "plural": plural,
    "at": at,
    "pending": lambda value: pending(),
    "upper_first": upper_first,
    "prose_at": prose_at,
}
