"""French typography (Imprimerie nationale) over every text of a composed document.

Both writers call `typeset` on the blocks they are given, so template text and user prose alike
get: a narrow no-break space before « ; ! ? » and inside « », a no-break space before « : », after
« n° », between a number and its unit and inside a date (« 31 décembre » too); the apostrophe ’;
the minus sign « − »; an en dash in a range of years (« 2023–2027 », as the dates cpomdocs
writes); ordinals (1er, 1re, 2e) with superscript letters; references
(CPOM-ARS-HDF-59-2026-PH-017) and codes (DELAI-SSIAD) never broken at their hyphens. Identifiers
in `code`, web and mail addresses and file names are left as they are. Applying it twice changes
nothing.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any

from cpomdocs import fmt
from cpomdocs.documents.blocks import (
    Block,
    ComposedDocument,
    Heading,
    Image,
    Inline,
    ListBlock,
    Paragraph,
    Run,
    Section,
    Table,
    run_with,
)

NBSP, NNBSP, MINUS = "\u00a0", "\u202f", "\u2212"
MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
# Units that stay beside their number: money, rates, durations, distances, surfaces, energy and
# the capacities a CPOM counts in (places, lits, ETP). Counted things (« 330 personnes ») are not.
UNITS = (
    r"€|[kM]€|%|euros?\b|places?\b|lits?\b|ETP\b|jours?\b|semaines?\b|mois\b|ans?\b"
    r"|heures?\b|h\b|min\b|km\b|m²|kWh|pts?\b|points?\b"
)
_UNIT = re.compile(f"(?:{UNITS})")
_SPACE = f"[ {NBSP}{NNBSP}]"

# Addresses, paths and file names: never retouched.
_PROTECTED = re.compile(
    r"\S*(?:://|@|\\)\S*|(?<!\S)/\S*|\S+/\S+"
    r"|\S+\.(?:ya?ml|json|pdf|docx|html?|csv|png|svg|md|j2|css|txt|xlsx|zip)\b"
)
# Each rule with the characters one of which its text must hold, so that a text that cannot
# match is not searched: most texts need two or three of the eleven rules. A replacement with
# groups is a function: re's string templates are parsed again at every call.
_DIGITS = "0123456789"
# Two years joined by a hyphen, the second later (at most 20 years): a period. Not a number of
# an act (« décret n° 2016-1814 », « arrêté n° 2021-2023 ») nor a piece of a reference.
_YEARS = re.compile(r"(?<![\w\-–./])((?:19|20)\d\d)-((?:19|20)\d\d)(?![\w\-–])")


def _year_range(found: re.Match[str]) -> str:
    first, last = int(found[1]), int(found[2])
    act = found.string[: found.start()].rstrip(f" {NBSP}{NNBSP}").endswith("°")
    return found[0] if act or not 0 < last - first <= 20 else f"{found[1]}–{found[2]}"


_RULES: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str], str]] = [
    (re.compile(r"(?<=\w)'(?=\w)"), "’", "'"),
    (re.compile(f"«{_SPACE}*"), f"«{NNBSP}", "«"),
    (re.compile(f"{_SPACE}*»"), f"{NNBSP}»", "»"),
    (re.compile(f"[ {NBSP}]+(?=[;!?])"), NNBSP, ";!?"),
    (re.compile(f"[ {NNBSP}]+(?=:)"), NBSP, ":"),
    (_YEARS, _year_range, "-"),
    (re.compile(f"\\b([nN]°){_SPACE}*(?=\\w)"), lambda m: m.group(1) + NBSP, "°"),
    (re.compile(r"(?<![\w\-−.,])-(?=\d)"), MINUS, "-"),
    (re.compile(f"\\b(1er|\\d{{1,2}}) (?=(?:{MONTHS})\\b)"), lambda m: m.group(1) + NBSP, _DIGITS),
    (re.compile(f"\\b({MONTHS}) (\\d{{4}})\\b"), lambda m: f"{m[1]}{NBSP}{m[2]}", _DIGITS),
    (re.compile(f"(?<=\\d) (?=(?:{UNITS}))"), NBSP, _DIGITS),
]
_DIGIT = re.compile(r"\d")
_MAY_PROTECT = re.compile(r"[/@\\.]")  # what every _PROTECTED match holds
# Thousands written with ordinary spaces in prose, before a unit: « 20 000 € ».
_GROUPED = re.compile(f"\\d{{1,3}}(?: \\d{{3}})+(?:,\\d+)?(?={_SPACE}?(?:{UNITS}))")
# Pieces that become runs of their own: ordinals (superscript letters), references and codes.
_PIECES = re.compile(
    r"(?<![\w\-])(?P<number>\d+)(?P<letters>er|re|ers|res|e|es)(?![\w])"
    r"|(?P<code>\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\b)"
)


@fmt.text_cache
def text(value: str) -> str:
    """A plain text with the spacing, apostrophe and minus rules (no runs: titles, footers)."""
    if not _MAY_PROTECT.search(value):
        return _rules(value)
    parts, position = [], 0
    for found in _PROTECTED.finditer(value):
        before = _rules(value[position : found.start()])
        if before[-2:-1].isdigit() and before[-1] == " " and _UNIT.match(found.group()):
            before = before[:-1] + NBSP  # « 232 kWh/m²/an »: a unit that reads as a path
        parts.append(before)
        parts.append(found.group())
        position = found.end()
    parts.append(_rules(value[position:]))
    return "".join(parts)


_PLAIN = str.maketrans(
    {NBSP: " ", NNBSP: " ", "\u2009": " ", "’": "'", MINUS: "-", "\u2011": "-", "–": "-"}
)


def plain(value: str) -> str:
    """The text as a person types it: the typography undone (no-break spaces, ’, −, U+2011, –),
    one character for one, so that offsets in `value` hold in the result."""
    return value.translate(_PLAIN)


def _rules(value: str) -> str:
    if not value:
        return value
    present = set(value)  # no rule adds a character that another one needs
    digits = _DIGIT.search(value) is not None
    if digits:
        value = _GROUPED.sub(lambda m: m.group().replace(" ", NNBSP), value)
    for pattern, replacement, needs in _RULES:
        if digits if needs is _DIGITS else not present.isdisjoint(needs):
            value = pattern.sub(replacement, value)
    return value


def runs(items: Inline) -> Inline:
    """Runs with the rules applied, ordinals and references split into runs of their own."""
    out: Inline = []
    for k, run in enumerate(items):
        if run.keep or run.superscript or not run.text:
            out.append(run)
            continue
        typed = text(run.text)  # unchanged, the run itself: runs are frozen
        if typed[0] == " " and _unit_after_number(out, run, typed[1:] or None, items[k + 1 :]):
            typed = NBSP + typed[1:]  # « {{ duree_mois }} mois »: the number is a run of its own
        if typed[-1] == " " and _NUMERO_END.search(typed) and _word_next(run, items[k + 1 :]):
            typed = typed[:-1] + NBSP  # « n° » then a redline's struck and inserted numbers
        out.extend(_pieces(run if typed == run.text else run_with(run, text=typed)))
    return out


_NUMERO_END = re.compile(r"\b[nN]° $")


def _word_next(run: Run, following: Inline) -> bool:
    """Whether the text after `run`, on its side of a redline, starts with a word."""
    other = "ins" if run.change == "del" else "del"
    after = next((r.text for r in following if r.change != other and r.text), "")
    return bool(after) and (after[0].isalnum() or after[0] == "_")


def _unit_after_number(before: Inline, run: Run, after: str | None, following: Inline) -> bool:
    """Whether a space that starts `run` parts a number (the runs before) from its unit (the
    rest of the run, or the next run when the space is alone), on the run's side of a redline."""
    other = "ins" if run.change == "del" else "del"
    number = next((r for r in reversed(before) if r.change != other), None)
    if number is None or number.line_break or not number.text[-1:].isdigit():
        return False
    if after is None:  # « (90 » + « » + « places » in a redline's cell
        after = next((r.text for r in following if r.change != other), "")
    return _UNIT.match(after) is not None


def _pieces(run: Run) -> list[Run]:
    cuts = _cuts(run.text)
    if not cuts:
        return [run]
    found = [run_with(run, **changes) for changes in cuts]
    if not run.line_break:
        return found
    last = len(found) - 1  # the run's line break after its last piece only
    return [r if i == last else run_with(r, line_break=False) for i, r in enumerate(found)]


@fmt.text_cache
def _cuts(value: str) -> tuple[dict[str, object], ...]:
    """How a run's text splits into ordinals' letters and kept codes: the changes of each piece
    (none when it stays whole). Kept by text: the same words come back in every table."""
    found: list[dict[str, object]] = []
    position = 0
    protected: list[tuple[int, int]] | None = None  # looked for at the first piece only
    for match in _PIECES.finditer(value):
        if protected is None:
            protected = [(m.start(), m.end()) for m in _PROTECTED.finditer(value)]
        if any(start <= match.start() < end for start, end in protected):
            continue
        if match.start() > position:
            found.append({"text": value[position : match.start()]})
        if match.group("number"):
            found.append({"text": match.group("number")})
            found.append({"text": match.group("letters"), "superscript": True})
        else:
            found.append({"text": match.group("code"), "keep": True})
        position = match.end()
    if found and position < len(value):
        found.append({"text": value[position:]})
    return tuple(found)


def blocks(items: list[Block]) -> list[Block]:
    """The blocks with French typography in every text."""
    return [_block(block) for block in items]


def _block(block: Any) -> Any:
    if isinstance(block, Heading | Paragraph):
        return dataclasses.replace(block, runs=runs(block.runs))
    if isinstance(block, ListBlock):
        return ListBlock(block.ordered, [blocks(item) for item in block.items])
    if isinstance(block, Table):
        return dataclasses.replace(
            block,
            header=[runs(cell) for cell in block.header],
            rows=[[runs(cell) for cell in row] for row in block.rows],
            caption=text(block.caption),
        )
    if isinstance(block, Image):
        block.alt = text(block.alt)  # an Image draws itself once: the same object, its text set
        return block
    if isinstance(block, Section):
        return Section(block.role, blocks(block.children))
    return block


def typeset(document: ComposedDocument) -> ComposedDocument:
    """The document with French typography in its blocks and in its page furniture (once: the
    build typesets a document before both writers, which typeset it again for free)."""
    if document.typeset:
        return document
    meta = document.meta
    meta = dataclasses.replace(
        meta,
        title=text(meta.title),  # the PDF's and the DOCX's properties: « d’objectifs »
        subject=text(meta.subject),
        keywords=[text(k) for k in meta.keywords],
        author=text(meta.author),
        running_title=text(meta.running_title),
        version_label=text(meta.version_label),
        watermark=text(meta.watermark),
    )
    return ComposedDocument(meta, blocks(document.blocks), typeset=True)
