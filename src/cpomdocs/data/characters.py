"""Characters refused in texts: invisible controls, lone surrogates, direction overrides, and
characters that the PDF's fonts cannot draw (they would print as empty boxes)."""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from cpomdocs.data.document import Document, Path_
from cpomdocs.data.imitations import imitations, latin_fold
from cpomdocs.errors import Problem, Severity

# Control characters other than tab and line breaks (C0, DEL, C1) and the two noncharacters
# that XML refuses: python-docx and lxml reject them, a reader would not see them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# Half of a UTF-16 pair on its own (JSON's "\ud800"): no text encoding can write it.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Explicit direction marks, embeddings, overrides and isolates: the PDF would show the text
# in another order than the data holds (U+202E turns « 1 000 » into « 000 1 »).
_BIDI = re.compile(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Invisible but harmless: soft hyphen, zero-width space and joiners, word joiner.
_INVISIBLE_OK = frozenset("\t\n\r\u00ad\u200b\u200c\u200d\u2060")

# Code points that DejaVu Sans or DejaVu Serif draw (scripts/glyph_table.py writes this list).
_DRAWABLE = """
    0020-007E 00A0-00AC 00AE-02E9 02EC-02F0 02F3-02F3 02F7-02F7 0300-034F 0351-0353 0357-0358
    035A-035A 035C-0362 0370-0377 037A-037F 0384-038A 038C-038C 038E-03A1 03A3-0525 0531-0556
    0559-055F 0561-0587 0589-058A 05B0-05C3 05C6-05C7 05D0-05EA 05F0-05F4 0606-0607 0609-060A
    060C-060C 0615-0615 061B-061B 061F-061F 0621-063A 0640-0655 0657-0657 065A-065A 0660-0670
    0674-0674 0679-06BF 06C6-06C8 06CB-06CC 06CE-06CE 06D0-06D0 06D5-06D5 06F0-06F9 07C0-07E7
    07EB-07F5 07F8-07FA 0E3F-0E3F 0E81-0E82 0E84-0E84 0E87-0E88 0E8A-0E8A 0E8D-0E8D 0E94-0E97
    0E99-0E9F 0EA1-0EA3 0EA5-0EA5 0EA7-0EA7 0EAA-0EAB 0EAD-0EB9 0EBB-0EBD 0EC0-0EC4 0EC6-0EC6
    0EC8-0ECD 0ED0-0ED9 0EDC-0EDD 10A0-10C5 10D0-10FC 1401-1407 1409-141B 141D-1435 1437-144A
    144C-1452 1454-14BD 14C0-14EA 14EC-1507 1510-153E 1540-1550 1552-156A 1574-1585 158A-1596
    15A0-15AF 15DE-15DE 15E1-15E1 1646-1647 166E-1676 1680-169C 1D00-1D6B 1D77-1D78 1D7B-1D7F
    1D85-1D85 1D9B-1DBF 1DC4-1DC9 1E00-1EFB 1F00-1F15 1F18-1F1D 1F20-1F45 1F48-1F4D 1F50-1F57
    1F59-1F59 1F5B-1F5B 1F5D-1F5D 1F5F-1F7D 1F80-1FB4 1FB6-1FC4 1FC6-1FD3 1FD6-1FDB 1FDD-1FEF
    1FF2-1FF4 1FF6-1FFE 2000-200A 2010-2029 202F-205F 2070-2071 2074-208E 2090-209C 20A0-20B5
    20B8-20BA 20BD-20BD 20D0-20D1 20D6-20D7 20DB-20DC 20E1-20E1 2100-2109 210B-2149 214B-214B
    214E-214E 2150-2185 2189-2189 2190-2311 2318-2319 231C-2321 2324-2328 232B-232C 2373-2375
    237A-237A 237D-237D 2387-2387 2394-2394 239B-23AE 23B7-23B7 23CE-23CF 23E3-23E3 23E5-23E5
    23E8-23E8 2422-2423 2460-2469 2500-269C 269E-26B8 26C0-26C3 26E2-26E2 2701-2704 2706-2709
    270C-2727 2729-274B 274D-274D 274F-2752 2756-2756 2758-275E 2761-2794 2798-27AF 27B1-27BE
    27C5-27C6 27E0-27E0 27E6-27EB 27F0-297F 2983-2984 29CE-29D5 29EB-29EB 29FA-29FB 2A00-2A02
    2A0C-2A1C 2A2F-2A2F 2A6A-2A6B 2A7D-2AA0 2AAE-2ABA 2AF9-2AFA 2B00-2B1A 2B1F-2B24 2B53-2B54
    2C60-2C77 2C79-2C7F 2D00-2D25 2D30-2D65 2D6F-2D6F 2E18-2E18 2E1F-2E1F 2E22-2E25 2E2E-2E2E
    4DC0-4DFF A4D0-A4FF A644-A647 A64C-A64D A650-A651 A654-A657 A662-A66E A68A-A68D A694-A695
    A698-A699 A708-A716 A71B-A71F A722-A741 A746-A74B A74E-A753 A756-A757 A764-A769 A77B-A77C
    A780-A787 A789-A78E A790-A791 A7A0-A7AA A7F8-A7FF FB00-FB06 FB13-FB17 FB1D-FB36 FB38-FB3C
    FB3E-FB3E FB40-FB41 FB43-FB44 FB46-FB4F FB52-FBA3 FBAA-FBAD FBD3-FBDC FBDE-FBDF FBE4-FBE9
    FBFC-FBFF FE00-FE0F FE20-FE23 FE70-FE74 FE76-FEFC FFFC-FFFD 10300-1031E 10320-10323
    1D300-1D356 1D434-1D454 1D456-1D467 1D538-1D539 1D53B-1D53E 1D540-1D544 1D546-1D546
    1D54A-1D550 1D552-1D56B 1D5A0-1D5D3 1D6A4-1D6A5 1D7D8-1D7EB 1EE00-1EE03 1EE05-1EE1F
    1EE21-1EE22 1EE24-1EE24 1EE27-1EE27 1EE29-1EE32 1EE34-1EE37 1EE39-1EE39 1EE3B-1EE3B
    1EE61-1EE62 1EE64-1EE64 1EE67-1EE6A 1EE6C-1EE72 1EE74-1EE77 1EE79-1EE7C 1EE7E-1EE7E
    1F030-1F093 1F0A0-1F0AE 1F0B1-1F0BE 1F0C1-1F0CF 1F0D1-1F0DF 1F311-1F318 1F42D-1F42E
    1F431-1F431 1F435-1F435 1F600-1F623 1F625-1F62B 1F62D-1F640 1F643-1F643
"""
_RANGES = [tuple(int(x, 16) for x in part.split("-")) for part in _DRAWABLE.split()]
_STARTS = [first for first, _ in _RANGES]


def drawable(char: str) -> bool:
    """True when the document fonts hold a glyph for `char`."""
    if char in _INVISIBLE_OK:
        return True
    point = ord(char)
    index = bisect.bisect_right(_STARTS, point) - 1
    return index >= 0 and _RANGES[index][0] <= point <= _RANGES[index][1]


def code(char: str) -> str:
    """A code point as people look it up: U+202E."""
    return f"U+{ord(char):04X}"


def bad_character(text: str) -> tuple[int, str] | None:
    """The index of the first character refused in `text`, and why (None when all is well)."""
    if text.isascii() and not _CONTROL.search(text):
        return None
    found: list[tuple[int, str]] = []
    for pattern, reason in (
        (
            _SURROGATE,
            "caractère {} invalide (moitié de paire UTF-16 isolée, écrite « \\u{:04x} » en JSON) : "
            "supprimez-le",
        ),
        (_CONTROL, "caractère de contrôle invisible {} interdit : supprimez-le"),
        (
            _BIDI,
            "caractère de contrôle de direction {} interdit (il changerait l'ordre "
            "d'affichage du texte) : supprimez-le",
        ),
    ):
        match = pattern.search(text)
        if match:
            char = match.group()
            found.append((match.start(), reason.format(code(char), ord(char))))
    refused_elsewhere = (_SURROGATE, _CONTROL, _BIDI)
    for char in dict.fromkeys(c for c in text if not c.isascii()):
        if latin_fold(char):  # said as the letter it imitates, below
            continue
        if not drawable(char) and not any(p.match(char) for p in refused_elsewhere):
            found.append((text.index(char), _undrawable(char)))
    if _LOOKALIKE_SCRIPTS.search(text):
        found.extend(mixed_words(text)[:1])
    found.extend([(i, why) for i, why, refused in imitations(text, drawable) if refused][:1])
    return min(found) if found else None


# Cyrillic and Greek (with their extensions): their capitals А В Е Н К М О Р С Т Х, Α Β Ε Ζ Η Ι
# Κ Μ Ν Ο Ρ Τ Χ Υ and small а е о р с х у, ο ν look like Latin letters in every font.
# Armenian (Օ, ս, հ, ո) and Lisu (ꓮ ꓣ ꓢ: its whole alphabet) are drawn by the fonts too.
_LOOKALIKE_SCRIPTS = re.compile(
    r"[\u0370-\u03ff\u0400-\u052f\u0530-\u058f\u1c80-\u1c8f\u1f00-\u1fff\ua4d0-\ua4ff]"
)
_WORD = re.compile(r"[^\W\d_]+")
_SCRIPT_NAMES = {
    "LATIN": "latin",
    "CYRILLIC": "cyrillique",
    "GREEK": "grec",
    "ARMENIAN": "arménien",
    "LISU": "lisu",
}
_OTHERS = frozenset(_SCRIPT_NAMES) - {"LATIN"}


def _script(char: str) -> str:
    """LATIN, CYRILLIC, GREEK, or another script's first word in the character's name."""
    return unicodedata.name(char, "?").split(" ", 1)[0]


def mixed_words(text: str) -> list[tuple[int, str]]:
    """Each word of `text` mixing Latin letters with Cyrillic, Greek, Armenian or Lisu ones (« АRS »
    with a Cyrillic А: a name forged letter for letter), as (index, why); a word wholly in one
    alphabet (« Ελλάδα », « Москва ») is not one."""
    found = []
    for word in _WORD.finditer(text):
        letters = word.group()
        scripts = {_script(char) for char in letters}
        if "LATIN" not in scripts or not scripts & _OTHERS:
            continue
        # Documents are French: the letters that are not Latin are the ones named.
        odd = [i for i, c in enumerate(letters) if _script(c) in _OTHERS]
        chars = list(dict.fromkeys(letters[i] for i in odd))
        names = ", ".join(f"« {c} » {code(c)} {unicodedata.name(c)}" for c in chars[:5])
        names += ", …" if len(chars) > 5 else ""
        verb = (
            "n'est pas une lettre latine, même s'il lui ressemble"
            if len(chars) == 1
            else "ne sont pas des lettres latines, même s'ils leur ressemblent"
        )
        alphabets = " et ".join(_SCRIPT_NAMES[n] for n in _SCRIPT_NAMES if n in scripts)
        why = (
            f"mot « {letters} » mêlant les alphabets {alphabets} : {names} {verb} "
            "(un nom imité lettre pour lettre ?) : retapez ce mot en lettres "
            "latines, ou tout entier dans l'autre alphabet"
        )
        if "\u03bc" in chars:
            why += " (le préfixe micro s'écrit « µ », U+00B5 MICRO SIGN)"
        found.append((word.start() + odd[0], why))
    return found


# Cyrillic and Greek letters that UTS #39 (confusables.txt) maps to a Latin letter, as drawn by
# the documents' fonts: a word made only of them (« ЕНРА », « АRS » retyped wholly in Cyrillic)
# prints exactly as its Latin twin. A real Cyrillic or Greek word nearly always holds another
# letter (« Москва »: в ; « Ελλάδα »: λ, δ), so it is left alone.
_LATIN_TWINS = frozenset(
    "АВЕНІЈКМОРСЅТХУҮӀԚԜаеіјорсѕхуүһԁԛԝӏ"  # Cyrillic
    "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧϳαινορυ"  # Greek
    "ՕՍօսհոց"  # Armenian
    "ꓐꓑꓒꓓꓔꓕꓖꓗꓘꓙꓚꓛꓜꓝꓞꓟꓠꓡꓢꓣꓤꓥꓦꓧꓨꓩꓪꓫꓬꓭꓮꓯꓰꓱꓲꓳꓴꓵꓶꓷ"  # Lisu
)


def latin_twins(text: str) -> list[tuple[int, str]]:
    """Each word of two letters or more written wholly in Cyrillic, Greek, Armenian or Lisu
    letters that look Latin, as (index, why): a warning, since such a word may be meant."""
    if not _LOOKALIKE_SCRIPTS.search(text):
        return []
    found = []
    for word in _WORD.finditer(text):
        letters = word.group()
        if len(letters) < 2 or not set(letters) <= _LATIN_TWINS:
            continue
        scripts = " et ".join(
            name for key, name in _SCRIPT_NAMES.items() if any(_script(c) == key for c in letters)
        )
        chars = list(dict.fromkeys(letters))
        names = ", ".join(f"« {c} » {code(c)} {unicodedata.name(c)}" for c in chars[:5])
        names += ", …" if len(chars) > 5 else ""
        why = (
            f"mot « {letters} » écrit tout entier en lettres de l'alphabet {scripts} qui "
            f"ressemblent à des lettres latines ({names}) : il s'imprimerait comme le mot latin "
            "qu'il imite ; si c'est un mot ou un sigle français, retapez-le en lettres latines"
        )
        found.append((word.start(), why))
    return found


def lookalike_words(text: str) -> list[tuple[int, str]]:
    """The words of `text` that imitate Latin ones and are only warned about, as (index, why)."""
    imitated = [(i, why) for i, why, refused in imitations(text, drawable) if not refused]
    return sorted(latin_twins(text) + imitated)


def check_latin_twins(document: Document) -> list[Problem]:
    """A warning for each key or text value of a loaded file holding such a word."""
    problems = []
    for path, value in _texts(document.data, ()):
        for is_key, text in ((True, path[-1]), (False, value)):
            if isinstance(text, str) and (is_key or not isinstance(value, (dict, list))):
                for _, why in lookalike_words(text)[:1]:
                    problems.append(
                        document.problem(path, why, key=is_key, severity=Severity.WARNING)
                    )
    return problems


def _texts(value: Any, path: Path_) -> Iterator[tuple[Path_, Any]]:
    if path:
        yield path, value
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, item in items:
        yield from _texts(item, (*path, key))


def _undrawable(char: str) -> str:
    return (
        f"caractère « {char} » ({code(char)}) que les polices du document ne savent pas "
        "dessiner (il sortirait en carré vide dans le PDF) : remplacez-le ou retirez-le"
    )
