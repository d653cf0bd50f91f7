"""Signs that imitate Latin letters without being letters of the alphabet: full-width letters
(« ＡＲＳ »), mathematical ones (« 𝐴𝑅𝑆 », « ℍ »), Roman numerals (« Ⅾ », « Ⅿ »), the Kelvin
and Ångström signs. Unicode folds each onto its Latin letter (NFKC); the PDF prints it like one."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator

# Where such signs live: letterlike symbols, Roman numerals, full-width Latin letters,
# mathematical alphanumerics. Text holding none of them costs one regex search.
_BLOCKS = re.compile(r"[\u2100-\u214f\u2160-\u217f\uff21-\uff3a\uff41-\uff5a\U0001d400-\U0001d7ff]")
_WORD = re.compile(r"[^\W\d_]+")


def latin_fold(char: str) -> str:
    """The Latin letters that `char` imitates (« Ａ » → « A », « Ⅿ » → « M »), or "".

    Only font variants (<font>), full-width forms (<wide>), Roman numerals and signs whose
    canonical form is a Latin letter (K KELVIN SIGN, Å ANGSTROM SIGN): superscripts (« 1ᵉʳ »),
    ordinals (« nº »), ligatures (« ﬁ ») and « № » are French typography, not imitations.
    """
    if not _BLOCKS.match(char):
        return ""
    decomposition = unicodedata.decomposition(char)
    tag = decomposition.split(" ", 1)[0] if decomposition.startswith("<") else ""
    roman = 0x2160 <= ord(char) <= 0x217F
    if tag not in ("<font>", "<wide>", "") and not roman:
        return ""
    folded = unicodedata.normalize("NFKC", char)
    if folded == char or not all(
        c.isalpha() and "LATIN" in unicodedata.name(c, "") for c in folded
    ):
        return ""
    return folded


def _described(chars: list[str]) -> str:
    names = ", ".join(f"« {c} » U+{ord(c):04X} {unicodedata.name(c)}" for c in chars[:5])
    return names + (", …" if len(chars) > 5 else "")


def imitations(text: str, drawable: Callable[[str], bool]) -> Iterator[tuple[int, str, bool]]:
    """Each word of `text` holding such signs, as (index, why, refused): refused when the word
    mixes them with real letters (« EHPAⅮ »: a name forged letter for letter) or when the fonts
    cannot draw them; a warning when the whole word is made of them (« 𝐴𝑅𝑆 », two signs or
    more), as for a word wholly in Cyrillic letters that look Latin."""
    if not _BLOCKS.search(text):
        return
    for word in _WORD.finditer(text):
        letters = word.group()
        odd = [i for i, c in enumerate(letters) if latin_fold(c)]
        if not odd:
            continue
        chars = list(dict.fromkeys(letters[i] for i in odd))
        retyped = "".join(latin_fold(c) or c for c in letters)
        mixed = len(odd) < len(letters)
        hidden = not all(drawable(c) for c in chars)
        if not (mixed or hidden) and len(letters) < 2:
            continue
        twins = ", ".join(f"« {latin_fold(c)} »" for c in chars[:5])
        if mixed:
            verb = "imite la lettre latine" if len(chars) == 1 else "imitent les lettres latines"
            why = (
                f"mot « {letters} » : {_described(chars)} {verb} {twins} sans en être "
                f"(un nom imité lettre pour lettre ?) : retapez « {retyped} » en lettres ordinaires"
            )
        else:
            signs = (
                "fait d'un signe qui imite une lettre latine"
                if len(letters) == 1
                else "écrit en signes qui imitent des lettres latines"
            )
            why = (
                f"mot « {letters} » {signs} ({_described(chars)}) : il "
                + ("ne s'imprimerait pas (les polices n'ont pas ces signes)" if hidden else
                   f"s'imprimerait comme « {retyped} » sans en être")
                + f" ; retapez-le « {retyped} » en lettres ordinaires"
            )  # fmt: skip
        yield word.start() + odd[0], why, mixed or hidden
