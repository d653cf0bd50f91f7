"""Semantic diff of two contract datasets, told in the domain's words (ESSMS, objectives, money)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from cpomdocs import fmt
from cpomdocs.data.message_words import READABLE_AMOUNT
from cpomdocs.figures import gap as unit_gap
from cpomdocs.versions.format import (
    MISSING,
    euros,
    item_summary,
    number,
    party_label,
    plain,
    signed,
)
from cpomdocs.versions.labels import formatter, indicator_unit, item_details, subject
from cpomdocs.versions.word_groups import grouped_opcodes

SECTIONS = {
    "Contrat": ("reference", "version", "statut", "secteur", "base_legale", "territoire", "dates",
                "duree_mois", "prorogations", "signature"),
    "Parties": ("gestionnaire", "autorites"),
    "Établissements et services": ("etablissements",),
    "Visas, préambule et diagnostic": ("visas", "preambule", "diagnostic"),
    "Objectifs et indicateurs": ("objectifs",),
    "Financement": ("financement",),
    "Totaux par financeur": ("totaux-financeurs",),
    "Suivi et évaluation": ("suivi",),
    "Clauses": ("clauses",),
}  # fmt: skip
_SECTION_OF = {key: name for name, keys in SECTIONS.items() for key in keys}
# Collections whose members are added or removed as a whole, one statement each.
_ITEMS = (
    ("etablissements", "*"),
    ("objectifs", "*"),
    ("objectifs", "*", "indicateurs", "*"),
    ("objectifs", "*", "actions", "*"),
    ("autorites", "*"),
    ("etablissements", "*", "capacites", "*"),
)
_IGNORED = ("empreinte",)


@dataclass
class Change:
    """One difference: what changed (subject), before, after, the gap, or a word-by-word diff."""

    path: tuple[str | int, ...]
    subject: str
    old: str = ""
    new: str = ""
    kind: str = "modification"  # "ajout", "suppression", "modification", "texte"
    delta: str = ""
    words: list[tuple[str, str]] = field(default_factory=list)  # ("", "del", "ins"), text
    details: list[str] = field(default_factory=list)  # an added or removed item, in full
    computed: bool = False  # a total nobody wrote (per financeur): context, never counted

    @property
    def section(self) -> str:
        """The part of the contract the change belongs to."""
        return _SECTION_OF.get(str(self.path[0]), "Contrat")

    @property
    def statement(self) -> str:
        """The change in one French sentence."""
        if self.kind == "ajout":
            return f"{self.subject} : ajout" + (f" ({self.new})" if self.new else "")
        if self.kind == "suppression":
            return f"{self.subject} : suppression" + (f" ({self.old})" if self.old else "")
        if self.kind == "texte":
            return f"{self.subject} : texte modifié"
        gap = f" ({self.delta})" if self.delta else ""
        return f"{self.subject} : {self.old} → {self.new}{gap}"


@dataclass
class ContractDiff:
    """The differences between two versions of a contract."""

    old_label: str
    new_label: str
    changes: list[Change]

    @property
    def counted(self) -> list[Change]:
        """The changes someone made (computed totals left out)."""
        return [c for c in self.changes if not c.computed]

    def by_section(self) -> dict[str, list[Change]]:
        """Changes grouped by part of the contract, in the contract's order."""
        grouped: dict[str, list[Change]] = {name: [] for name in SECTIONS}
        for change in self.changes:
            grouped[change.section].append(change)
        return {name: found for name, found in grouped.items() if found}


# A line break inside a Markdown paragraph is a space: a text rewrapped in the YAML (an avenant
# that rewrites « activites » with its lines cut elsewhere) must not show its unchanged words as
# struck then inserted. A blank line, or a line that opens a list item, a quote, a heading or a
# table row, stays a break.
_SOFT_BREAK = re.compile(r"(?<=\S)[ \t]*\n[ \t]*(?!\n|(?:[-*+>|]|#+|\d+[.)])(?:\s|$))(?=\S)")


def _unwrapped(text: str) -> str:
    """The text with its soft line breaks (inside a paragraph) read as spaces."""
    return _SOFT_BREAK.sub(" ", text)


# Bold as the documents print it, not as the YAML marks it: a reader of the diff (a référent CPOM,
# an ARS officer) saw « **deux centres** » with its asterisks. A change of bold alone keeps them.
_STRONG = re.compile(r"(?<!\\)\*\*(?=\S)(.+?)(?<=\S)(?<!\\)\*\*", re.DOTALL)


def _shown(text: str) -> str:
    """The text without its Markdown bold marks."""
    return _STRONG.sub(r"\1", text)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word-by-word differences of one block of text: ("", same), ("del", …), ("ins", …)."""
    old, new = _unwrapped(old), _unwrapped(new)
    if _shown(old) != _shown(new):
        old, new = _shown(old), _shown(new)
    a, b = re.findall(r"\S+|\s+", old), re.findall(r"\S+|\s+", new)
    pieces: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in grouped_opcodes(a, b):
        if op == "equal":
            pieces.append(("", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("del", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(("ins", "".join(b[j1:j2])))
    return pieces


def money_delta(old: float, new: float) -> str:
    """+25 000,00 € ; +2,07 % (the relative change only when the old amount is not zero)."""
    gap = signed(new - old, euros(new - old))
    ratio = (new - old) * 100 / old if old else 0.0
    if old and abs(ratio) < READABLE_AMOUNT:  # not « +1e+302 % » (nor Babel's InvalidOperation)
        gap += " ; " + signed(new - old, fmt.percent(ratio))
    return gap


def _matches(pattern: tuple[str, ...], path: tuple[str | int, ...]) -> bool:
    return len(pattern) == len(path) and all(
        p in ("*", str(q)) for p, q in zip(pattern, path, strict=True)
    )


def _leaves(old: Any, new: Any, path: tuple[str | int, ...]) -> Iterator[tuple[Any, Any, Any]]:
    if old == new:
        return
    item = any(_matches(p, path) for p in _ITEMS)
    if isinstance(old, dict) or isinstance(new, dict):
        both = isinstance(old, dict) and isinstance(new, dict)
        if both or not item:
            a = old if isinstance(old, dict) else {}
            b = new if isinstance(new, dict) else {}
            for key in [*a, *(k for k in b if k not in a)]:
                if path or key not in _IGNORED:
                    yield from _leaves(a.get(key, MISSING), b.get(key, MISSING), (*path, key))
            return
    yield path, old, new


def diff_contracts(old: dict[str, Any], new: dict[str, Any], old_label: str = "ancienne version",
                   new_label: str = "nouvelle version") -> ContractDiff:  # fmt: skip
    """Every difference between two contract datasets, in the contract's order."""
    changes = [c for path, a, b in _leaves(old, new, ()) for c in _describe(path, a, b, old, new)]
    changes.extend(_party_totals(old, new))
    return ContractDiff(old_label, new_label, changes)


def _kind(a: Any, b: Any) -> str:
    return "ajout" if a is MISSING else "suppression" if b is MISSING else "modification"


def _describe(path: tuple, a: Any, b: Any, old: dict, new: dict) -> list[Change]:
    data = new if b is not MISSING else old
    head, rest = str(path[0]), path[1:]
    if (
        isinstance(a, list | type(MISSING))
        and isinstance(b, list | type(MISSING))
        and (isinstance(a, list) or isinstance(b, list))
    ):
        return _list_changes(
            path, a if isinstance(a, list) else [], b if isinstance(b, list) else [], data
        )
    if isinstance(a, str) and isinstance(b, str) and ("\n" in a + b or max(len(a), len(b)) > 80):
        return [Change(path, subject(path, data), kind="texte", words=word_diff(a, b))]
    item = any(_matches(p, path) for p in _ITEMS)  # named in the subject already
    fmt = formatter(path, data)
    change = Change(path, subject(path, data), kind=_kind(a, b))
    whole = b if a is MISSING else a if b is MISSING else None
    if isinstance(whole, dict):
        change.details = item_details(whole, path, data, change.subject)
    change.old = "" if a is MISSING else fmt(a)
    change.new = "" if b is MISSING else fmt(b)
    if head == "financement" and all(isinstance(v, int | float) for v in (a, b)):
        change.delta = money_delta(a, b)
    elif all(isinstance(v, int | float) and not isinstance(v, bool) for v in (a, b)):
        # a gap in the indicator's unit, as the comptes-rendus print it: « −1,5 pt » between two
        # percentages (points, not « −1,5 »), « −2 jours »
        unit = indicator_unit(path, data) if abs(b - a) < READABLE_AMOUNT else None  # not 1e300
        change.delta = unit_gap(b - a, unit) if unit else signed(b - a, number(b - a))
    elif head == "etablissements" and len(rest) == 3 and rest[1] == "capacites":
        change.old, change.new = (_places(v) for v in (a, b))
    elif head == "etablissements" and len(rest) == 1:
        change.old, change.new = (_essms_summary(v) if isinstance(v, dict) else "" for v in (a, b))
    elif isinstance(a, dict) or isinstance(b, dict):
        change.old, change.new = (
            "" if v is MISSING or len(path) <= 2 or item else plain(v) for v in (a, b)
        )
    return [change]


def _places(value: Any) -> str:
    if not isinstance(value, dict):
        return ""
    installed = value.get("installees")
    text = f"{value.get('autorisees')} places autorisées"
    return text + (f", {installed} installées" if installed is not None else "")


def _essms_summary(value: dict) -> str:
    places = sum(c.get("autorisees", 0) for c in (value.get("capacites") or {}).values() if c)
    category = (value.get("categorie") or {}).get("libelle", "")
    return f"{category}, {places} places autorisées".strip(", ")


def _list_changes(path: tuple, a: list, b: list, data: dict) -> list[Change]:
    label = subject(path, data)
    changes = [
        Change(path, label, old=item_summary(x, path), kind="suppression") for x in a if x not in b
    ]
    changes += [
        Change(path, label, new=item_summary(x, path), kind="ajout") for x in b if x not in a
    ]
    return changes


def party_totals(data: dict[str, Any]) -> dict[tuple[str, int], float]:
    """Amounts per (financeur, year), summed over the financing lines of every ESSMS."""
    totals: dict[tuple[str, int], float] = defaultdict(float)
    for by_party in _table(_table(data.get("financement")).get("lignes")).values():
        for party, natures in _table(by_party).items():
            for amounts in _table(natures).values():
                for year, amount in _table(amounts).items():
                    # a file being written may hold anything there: validate says what
                    if isinstance(amount, int | float) and str(year).isdigit():
                        totals[(party, int(year))] += amount
    return totals


def _table(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _party_totals(old: dict, new: dict) -> list[Change]:
    before, after = party_totals(old), party_totals(new)
    changes = []
    for party, year in sorted(set(before) | set(after)):
        a, b = before.get((party, year), 0.0), after.get((party, year), 0.0)
        if abs(a - b) > 0.005:
            label = party_label(party, new if (party, year) in after else old)
            subject = f"Total {label} {year}"
            delta = money_delta(a, b)
            path = ("totaux-financeurs", party, year)
            change = Change(path, subject, old=euros(a), new=euros(b), delta=delta, computed=True)
            changes.append(change)
    return changes
