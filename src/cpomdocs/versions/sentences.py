"""Where a French sentence ends: after « . ! ? … », but not after an abbreviation (« M. Dupont »,
« art. 4 », « L. 313-12 », « cf. ») nor inside « etc. » that a lowercase word follows.

No maintained sentence splitter reads our contracts right (December 2026): sentencex 1.0.32
cuts « M. | Dupont », pysbd 0.3.4 (2021) cuts « art. | L. 313-12 », sentence-splitter (Moses
lists) was last released in 2019. So a small list, the abbreviations a contract writes."""

from __future__ import annotations

import re

# Titles and references that a name, a number or a code article always follows: never an end.
ABBREVIATIONS = frozenset(
    {
        *(
            "m",
            "mm",
            "mme",
            "mmes",
            "mlle",
            "mlles",
            "dr",
            "pr",
            "me",
            "mgr",
            "st",
            "ste",
        ),  # titles
        *(
            "art",
            "al",
            "chap",
            "cf",
            "ex",
            "p",
            "pp",
            "réf",
            "n",
            "nos",
            "vol",
            "éd",
            "env",
            "coll",
        ),
    }
)
# May end a sentence: an end when a capitalised word (or nothing) follows.
AMBIGUOUS = frozenset({"etc", "s", "suiv", "sq"})  # « et s. », « et suiv. »: « art. 4 et s. »
_MARK = re.compile(r"[.!?…][)»\"'’\u00a0\u202f]*$")  # a word that ends with a stop
_CLOSING = ")»\"'’\u00a0\u202f"
_INITIAL = re.compile(r"^(?:[A-ZÀ-Ý]\.-?)+$")  # « L. », « J.-P. »: initials, article prefixes
_UPPER = re.compile(r"^[«(\"“\u00a0\u202f ]*[A-ZÀ-Ý0-9]")
_CANDIDATE = re.compile(r"(?<=[.!?…])([)»\"'’\u00a0\u202f]*)(\s+)(?=[«\"“(]?\s*[A-ZÀ-Ý])")


def ends_sentence(word: str, following: str | None = None) -> bool:
    """Whether `word` (with its punctuation) ends a sentence, `following` the next word."""
    if not _MARK.search(word):
        return False
    bare = word.rstrip(_CLOSING)
    if not bare.endswith("."):
        return True  # « ! », « ? », « … »
    stem = bare[:-1].lstrip('(«"“')
    if _INITIAL.match(stem + "."):
        return False
    key = stem.lower()
    if key in ABBREVIATIONS:
        return False
    if key in AMBIGUOUS:
        return following is None or bool(_UPPER.match(following))
    return True


def split_sentences(text: str) -> list[str]:
    """`text` cut into sentences at a stop that a space and a capitalised word follow."""
    pieces: list[str] = []
    start = 0
    for hit in _CANDIDATE.finditer(text):
        end = hit.start(2)
        before = text[start:end].rsplit(None, 1)
        after = text[hit.end() :].split(None, 1)
        if before and ends_sentence(before[-1], after[0] if after else None):
            pieces.append(text[start:end])
            start = hit.end()
    pieces.append(text[start:])
    return pieces
