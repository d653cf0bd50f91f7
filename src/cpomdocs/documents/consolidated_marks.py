"""The marks of a consolidated version, as Légifrance prints them: under each article, annex or
preamble part (parties, visas, préambule) that an avenant changed, « Article modifié par l'avenant
n° 1 du … (effet au …) », « Visas modifiés par l'avenant n° 2 du … (effet au …) »; on the cover,
for the general mentions (reference, place of signature…), « Mentions générales modifiées … »."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

from cpomdocs import fmt
from cpomdocs.data.consolidate import Consolidated, apply_avenants
from cpomdocs.data.model_acts import Avenant
from cpomdocs.documents import contract_views as views
from cpomdocs.documents.avenant_articles import avenant_articles
from cpomdocs.documents.avenant_texts import VersionTexts, changed_annexes, valid_contract
from cpomdocs.documents.blocks import Block, ComposedDocument, Heading, Paragraph, Run, Section
from cpomdocs.documents.legistique import Drafter
from cpomdocs.versions.diff import diff_contracts

_HEADING = {
    False: re.compile(r"Article (\d+)(?:er)?\b"),
    True: re.compile(r"Annexe (\d+)\b"),
}
# The parts before article 1er, as the avenant's articles name them (avenant_articles'
# PREAMBLE_PARTS), their headings in the contract and the first words of their note.
_PREAMBLE = {
    "parties": (re.compile(r"Désignation des parties\b"), "Désignation des parties modifiée"),
    "visas": (re.compile(r"Visas\b"), "Visas modifiés"),
    "preambule": (re.compile(r"Préambule\b"), "Préambule modifié"),
}
# The mentions (reference, sector, place of signature…) have no heading: their note goes on the
# cover, which prints them.
_MENTIONS = "mentions"
_MENTIONS_NOTE = "Mentions générales modifiées"
Part = int | str  # an article or annex number, or a preamble part (« visas »)


def avenant_words(avenant: Avenant) -> str:
    """« l'avenant n° 1 du 2 octobre 2026 » (its signature date, when it has one)."""
    signed = avenant.dates.signature
    return f"l'avenant n° {avenant.numero}" + (f" du {fmt.date_fr(signed)}" if signed else "")


def drafted(
    before: dict[str, Any],
    after_data: dict[str, Any],
    label: str,
    *,
    contract_id: str,
    created: str,
    templates: Path | None,
) -> tuple[list[dict[str, Any]], list[tuple[int, str]], VersionTexts]:
    """An avenant's articles and replaced annexes, drafted from the versions around it, and
    the version after it."""
    previous, after = valid_contract(before, label), valid_contract(after_data, label)
    old, new = (
        VersionTexts(c, contract_id=contract_id, created=created, templates=templates)
        for c in (previous, after)
    )
    drafter = Drafter(before, after_data, previous, after, (old.text(), new.text()), label)
    changes = diff_contracts(before, after_data).changes
    articles, replaced = avenant_articles(changes, after, drafter, changed_annexes(old, new))
    return articles, replaced, new


def modified_by(
    consolidated: Consolidated,
    annexes: bool,
    *,
    contract_id: str,
    created: str,
    templates: Path | None,
) -> dict[Part, list[Avenant]]:
    """The articles and preamble parts (or, `annexes`, the annexes replaced) that each applied
    avenant changed, in the way its own articles tell them, and the avenants that did.

    Only what tells them is composed: the parts of the avenant's articles (its Drafter, on the
    contract's body before and after it) for the articles; the annexes whose text changed (its
    `changed_annexes`, the annexes it replaces) for the annexes, not the avenant itself."""
    found: dict[Part, list[Avenant]] = {}
    before = apply_avenants(consolidated.base, [])
    for avenant in consolidated.applied:
        after_data = apply_avenants(before, [avenant.modifications])
        label = f"avenant n° {avenant.numero}"
        previous, after = valid_contract(before, label), valid_contract(after_data, label)
        old, new = (
            VersionTexts(c, contract_id=contract_id, created=created, templates=templates)
            for c in (previous, after)
        )
        if annexes:  # as avenant_articles: the changed annexes that the contract lists
            listed = {entry.number for entry in views.annex_list(after)}
            keys = sorted(n for n in changed_annexes(old, new) if n in listed)
        else:  # as avenant_articles: one article per numbered part the Drafter writes points in
            texts = (old.text(), new.text())
            drafter = Drafter(before, after_data, previous, after, texts, label)
            keys = [part for part in drafter.points(diff_contracts(before, after_data).changes)]
        for key in keys:
            if isinstance(key, int) or key in _PREAMBLE or (key == _MENTIONS and not annexes):
                found.setdefault(key, []).append(avenant)
        before = after_data
    return found


def mark_modified(
    document: ComposedDocument, found: dict[Part, list[Avenant]], annexes: bool
) -> None:
    """A note under the heading of each article, preamble part (annex) in `found`, naming its
    avenants; the mentions' note at the end of the cover (or first, without a cover)."""
    found = dict(found)
    mentions = found.pop(_MENTIONS, None)
    if found:
        document.blocks[:] = _marked(document.blocks, found, annexes)
    if mentions:
        _on_cover(document, _note(mentions, annexes, _MENTIONS))


def _on_cover(document: ComposedDocument, note: Paragraph) -> None:
    """`note` as the last line of the cover's mentions (its last note), so that it stays on the
    cover page; first in the document without a cover."""
    cover = next((b for b in document.blocks if isinstance(b, Section) and b.role == "cover"), None)
    if cover is None:
        document.blocks.insert(0, note)
        return
    notes = [i for i, b in enumerate(cover.children) if getattr(b, "style", "") == "note"]
    if not notes:
        cover.children.append(note)
        return
    last = cover.children[notes[-1]]
    assert isinstance(last, Paragraph)
    runs = [*last.runs[:-1], dataclasses.replace(last.runs[-1], line_break=True), *note.runs]
    cover.children[notes[-1]] = dataclasses.replace(last, runs=runs)


def _note(avenants: list[Avenant], annexes: bool, part: Part) -> Paragraph:
    acts = " puis par ".join(avenant_words(a) for a in avenants)
    last = avenants[-1]
    verb = "Annexe remplacée par l'annexe jointe à " if annexes else "Article modifié par "
    if isinstance(part, str):
        verb = f"{_MENTIONS_NOTE if part == _MENTIONS else _PREAMBLE[part][1]} par "
    text = f"{verb}{acts} (effet au {fmt.date_fr(last.dates.effet)})"
    return Paragraph([Run(text, italic=True)], style="note")


def _marked(blocks: list[Block], found: dict[Part, list[Avenant]], annexes: bool) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Section):
            block = dataclasses.replace(block, children=_marked(block.children, found, annexes))
        out.append(block)
        if isinstance(block, Heading) and block.level <= 2:
            part = _part(block, annexes)
            if part is not None and part in found:
                out.append(_note(found.pop(part), annexes, part))
    return out


def _part(heading: Heading, annexes: bool) -> Part | None:
    """The article, annex or preamble part a heading opens, as the default trame titles it."""
    title = "".join(r.text for r in heading.runs).strip()
    hit = _HEADING[annexes].match(title)
    if hit:
        return int(hit.group(1))
    parts = () if annexes else _PREAMBLE.items()
    return next((part for part, (pattern, _) in parts if pattern.match(title)), None)
