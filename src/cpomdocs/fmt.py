"""French formatting for documents (Babel, num2words) and the Markdown escaping of plain text."""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Callable
from typing import TypeVar

from cpomdocs import figures
from cpomdocs.blanks import (
    PENDING_END,
    PENDING_START,
    PENDING_TEXT,
    PLACEHOLDER,
    ZERO_IDENTIFIER,
    gaps,
    is_placeholder,
)
from cpomdocs.figures import (  # re-exported: templates and callers use fmt.amount etc.
    NBSP,
    amount,
    amount_round,
    date_fr,
    decimals,
    euros_in_words,
    exact_amount,
    fixed,
    gap,
    month_fr,
    number,
    percent,
    rate,
    signed,
    with_unit,
)

# Constants of French figures, still read as fmt.LOCALE, fmt.NO_VALUE… by other modules.
has_cents = figures.has_cents  # the cents decision of a table's amounts
date_or = figures.date_or  # a date in words, or « date à fixer »
LOCALE, MINUS, NNBSP, NO_VALUE = figures.LOCALE, figures.MINUS, figures.NNBSP, figures.NO_VALUE
_PUNCTUATION = frozenset(string.punctuation)  # all of ASCII's, each escaped by md_escape
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


K = TypeVar("K")
T = TypeVar("T")
TEXT_CACHES: list[functools._lru_cache_wrapper] = []  # cleared by the bench: a document cold


def text_cache(function: Callable[[K], T]) -> Callable[[K], T]:
    """`function` of a text (or a date), its results kept (bounded): a document prints the same
    words and dates often; `clear_text_caches` forgets them all."""
    cached = functools.lru_cache(maxsize=4096)(function)  # a document: < 2 000 texts
    TEXT_CACHES.append(cached)
    return cached


# Figures are kept as texts are (figures.py caches them; it is below fmt: registered here).
TEXT_CACHES.extend((figures.amount, figures.amount_round, figures.number, figures.fixed))
TEXT_CACHES.extend((figures.percent, figures.kept_date, figures.month_fr))


def clear_text_caches() -> None:
    """Forget every kept text result (the bench measures each document as a first one)."""
    for cached in TEXT_CACHES:
        cached.cache_clear()


class MarkdownText(str):
    """Text that is already Markdown: templates insert it as is, without escaping."""


def md_escape(value: object) -> MarkdownText:
    """Plain text as Markdown that displays exactly that text (every punctuation escaped)."""
    text = str(value)
    # printable: no marker (private use) nor \t\n\r\f\v; then only a double space is a change
    if not text.isprintable() or "  " in text:
        text = _BLANKS.sub(" ", _MARKERS.sub("", text))
    found = _PUNCTUATION.intersection(text)
    if "\\" in found:  # first: the backslashes put before the others stay single
        text = text.replace("\\", "\\\\")
    for char in found - {"\\"}:  # a replace per sign present (str.translate tries a dict per
        text = text.replace(char, "\\" + char)  # character: 3 times slower on a name)
    return MarkdownText(text)


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
    if type(value) is str:
        return _escaped(value)
    if isinstance(value, str) and ZERO_IDENTIFIER.match(value):
        return pending()  # a draft's 00000 postal code, printed as such by a template
    return MarkdownText(gaps(str(value), md_escape))


@text_cache
def _escaped(value: str) -> MarkdownText:
    """`finalize` of a plain string, kept: a contract prints the same names and codes often."""
    if ZERO_IDENTIFIER.match(value):
        return pending()
    return MarkdownText(gaps(value, md_escape))


def at(value: object, path: str, blank: bool = False) -> MarkdownText:
    """A value bound to its data path: the DOCX keeps where it came from, the PDF ignores it;
    with `blank`, a figure still « à compléter » (the templates' `at` knows which, blanks.py)."""
    shown = pending() if blank else value if isinstance(value, MarkdownText) else finalize(value)
    return MarkdownText(f"{BIND_START}{_path_code(path)}{BIND_PATH_END}{shown}{BIND_END}")


@text_cache
def _path_code(path: str) -> str:
    """A data path with its punctuation coded, so that Markdown leaves it alone."""
    return _BLANKS.sub(" ", _MARKERS.sub("", path)).translate(_PATH_CODE)


def prose_at(value: str | None, path: str) -> MarkdownText:
    """A Markdown field inserted as Markdown (like `prose`), its blocks bound to `path`."""
    text = prose(value)
    if not text:
        return text
    return MarkdownText(f"{BLOCK_START}{md_escape(path)}\n\n{text}\n\n{BLOCK_END}")


def path(*parts: object) -> str:
    """A data path from its keys: path("objectifs", "O3", "cibles", 2027)."""
    return ".".join(map(str, parts))


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
    "exact_amount": exact_amount,
    "number": number,
    "fixed": fixed,
    "decimals": decimals,
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
