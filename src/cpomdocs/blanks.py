"""The blanks of a draft: which values are still « à compléter », and how a document marks them.

One convention everywhere: a value to fill prints as the highlighted blank « [à compléter] »
(print.css's mark.a-completer, a yellow w:highlight in the DOCX), never as a value that reads
like an agreed one (« 0 place », « 0,00 € », a FINESS « 00 000 000 0 »). Text values carry their
own marker; a number can't, so data/placeholders.py names the numbers marked « # à compléter »
by their data path, and the templates' `at` filter prints the blank for them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

# Private-use characters put around a blank (stripped from the data's own text by fmt's
# filters); documents/markdown.py reads them into Run.pending.
PENDING_START = "\ue005"
PENDING_END = "\ue006"
PENDING_TEXT = "[à compléter]"  # what a pending figure, date or identifier prints

# A text value still to fill in a draft (data/placeholders.py uses the same rule): it starts
# with « à compléter », or holds one between brackets (« Département [à compléter] »). A signed
# clause may say « le dossier à compléter par le gestionnaire »: that is not a placeholder.
PLACEHOLDER = re.compile(
    r"^\s*[àa] compl[ée]ter|\[[^\]\n]*\b[àa] compl[ée]ter\b[^\]\n]*\]", re.IGNORECASE
)
# In such a value, each gap: a bracketed one as written, a bare « à compléter » bracketed.
_GAP = re.compile(r"\[[^\]\n]*\b[àa] compl[ée]ter\b[^\]\n]*\]|\b[àa] compl[ée]ter\b", re.I)
# A draft's fictitious FINESS (« 000000000 », « 000000018 » for its 2nd ESSMS: no département
# is « 00 »), SIRET and postcode.
ZERO_IDENTIFIER = re.compile(r"^(?:0{5}|0{7}[0-9]{2}|0{14})$")


def is_placeholder(value: object) -> bool:
    """True for a text value still « à compléter » (see PLACEHOLDER)."""
    return isinstance(value, str) and PLACEHOLDER.search(value) is not None


def gaps(text: str, escape: Callable[[str], str]) -> str:
    """`text` escaped, each gap « [à compléter] » between the pending markers."""
    if not PLACEHOLDER.search(text):
        return escape(text)
    parts, position = [], 0
    for found in _GAP.finditer(text):
        gap = found.group()
        gap = gap if gap.startswith("[") else f"[{gap}]"
        parts += [escape(text[position : found.start()]), PENDING_START, escape(gap), PENDING_END]
        position = found.end()
    parts.append(escape(text[position:]))
    return "".join(parts)


def is_pending(figures: Collection[str], path: str) -> bool:
    """True when the number at the dotted data `path` is still « à compléter » in a draft
    (`figures`: the dotted paths of such numbers, data/placeholders.pending_figures)."""
    return bool(figures) and path in figures


def any_pending(figures: Collection[str], prefix: str) -> bool:
    """True when a number at or under the dotted path `prefix` is still « à compléter »: a
    total over it (the places of an establishment) is pending too."""
    head = prefix + "."
    return any(f == prefix or f.startswith(head) for f in figures)
