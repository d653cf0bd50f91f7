"""An avenant's reasons: the acts its visas cite (authorisation, extension, habilitation), and
its exposé des motifs checked against what the avenant amends: a motifs that names « l'article
3 » or « l'annexe 4 » of the contract while no article of the avenant modifies that article or
replaces that annex is a warning at build (the text was written before the changes were, or
for another avenant)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from cpomdocs import fmt
from cpomdocs.documents.blocks import Block, ComposedDocument, Heading, Section
from cpomdocs.documents.wording import act_parts, with_article

_NUMBER = r"\d+(?:er|re)?"
# « l'article 3 », « articles 1er et 4 », « annexes 1, 5 et 8 », « articles 2 à 4 »
_REFERENCE = re.compile(
    rf"\b(article|annexe)s?\s+({_NUMBER}(?:\s*(?:,|et|à)\s*{_NUMBER})*)(?![\w-]|\.\d)"
    r"(?=(.{0,14}))",
    re.IGNORECASE | re.DOTALL,
)
# what makes it another text's article: « de l'arrêté », « du code », « du présent avenant »
_ELSEWHERE = re.compile(r"\s*(?:du|de|des|d['’])\s+(?!contrat\b|CPOM\b)", re.IGNORECASE)
_AMENDED = re.compile(r"(Modification de l'article|Remplacement de l'annexe) (\d+)")


def named(motifs: str) -> tuple[set[int], set[int]]:
    """The articles and annexes of the contract that a motifs names (those of other texts
    left out: « l'article D.313-2 du code », « l'article 2 de l'arrêté du … »)."""
    found: tuple[set[int], set[int]] = (set(), set())
    text = " ".join(motifs.replace("\u00a0", " ").replace("\u202f", " ").split())
    for kind, numbers, after in _REFERENCE.findall(text):
        if _ELSEWHERE.match(after):
            continue
        values = [int(re.sub(r"\D", "", n)) for n in re.split(r"\s*(?:,|et|à)\s*", numbers)]
        if " à " in f" {numbers} " and len(values) == 2:
            values = list(range(values[0], values[1] + 1))
        found[0 if kind.lower() == "article" else 1].update(values)
    return found


def amended(document: ComposedDocument) -> tuple[set[int], set[int]]:
    """The articles an avenant modifies and the annexes it replaces, read from its own
    articles' headings (« Article 2 – Modification de l'article 4 du contrat »)."""
    found: tuple[set[int], set[int]] = (set(), set())

    def walk(blocks: list[Block]) -> None:
        for block in blocks:
            if isinstance(block, Heading):
                text = "".join(run.text for run in block.runs)
                for kind, number in _AMENDED.findall(text):
                    found[0 if kind.startswith("Modification") else 1].add(int(number))
            elif isinstance(block, Section):
                walk(block.children)

    walk(document.blocks)
    return found


def _listed(noun: str, numbers: set[int]) -> str:
    """« l'article 3 », « les articles 1er et 4 », « l'annexe 4 »."""
    shown = [fmt.ordinal_article(n) if noun == "article" else str(n) for n in sorted(numbers)]
    if len(shown) == 1:
        return f"l'{noun} {shown[0]}"
    return f"les {noun}s {', '.join(shown[:-1])} et {shown[-1]}"


def motifs_warning(file: str, motifs: str, document: ComposedDocument) -> str:
    """The warning for a motifs naming articles or annexes that the avenant leaves as they are,
    "" when it names none (or only amended ones)."""
    articles, annexes = named(motifs)
    modified, replaced = amended(document)
    stray = [
        _listed(noun, extra)
        for noun, extra in (("article", articles - modified), ("annexe", annexes - replaced))
        if extra
    ]
    if not stray:
        return ""
    done = [
        f"modifie {_listed('article', modified)}" if modified else "",
        f"remplace {_listed('annexe', replaced)}" if replaced else "",
    ]
    does = " et ".join(d for d in done if d) or "ne modifie aucun article ni aucune annexe"
    return (
        f"{file} : motifs : l'exposé des motifs cite {' et '.join(stray)}, que l'avenant ne "
        f"modifie pas (il {does}) : corrigez l'exposé des motifs, ou ajoutez la modification "
        "qu'il annonce"
    )


def _modifying(change: dict[str, Any], name: str) -> str:
    """« l'arrêté n° Y du 2 octobre 2026 modifiant l'autorisation du CHRS X (extension …) »."""
    day = change["date"]
    day = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day))
    subject = f" ({change['objet']})" if change.get("objet") else ""
    act = with_article(str(change["acte"]))
    return f"{act} du {fmt.date_fr(day)} modifiant l'autorisation {fmt.of(name)}{subject}"


def authorising_acts(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """« l'arrêté … du 15 septembre 2025 autorisant l'EHPAD X » for each ESSMS whose capacities
    the avenant changes (the authorisation of the data after the avenant), and each new act of
    habilitation à l'aide sociale the avenant cites."""
    acts = []
    for finess, essms in (after.get("etablissements") or {}).items():
        old = (before.get("etablissements") or {}).get(finess) or {}
        if old and old.get("capacites") == essms.get("capacites"):
            continue
        auth = essms.get("autorisation") or {}
        known = ((old.get("autorisation") or {}).get("modifications")) or []
        added = [m for m in auth.get("modifications") or [] if m not in known]
        if added:  # an extension modifies the authorisation, which keeps its act
            acts += [_modifying(m, essms["nom"]) for m in added]
            continue
        if not auth.get("date"):
            continue
        day = auth["date"]
        day = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day))
        what, subject = act_parts(auth.get("reference")) if auth.get("reference") else ("", "")
        what = what or "l'arrêté d'autorisation"
        what = "l'" + what if what.lower().startswith("arrêté") else what
        of = fmt.of(essms["nom"])
        acts.append(f"{what} du {fmt.date_fr(day)} portant autorisation {of}{subject}")
    for finess, essms in (after.get("etablissements") or {}).items():
        act = str(essms.get("habilitation_acte") or "")
        old = (before.get("etablissements") or {}).get(finess) or {}
        if old and act and act != old.get("habilitation_acte"):  # a new act of habilitation
            act = "l'" + act if act.lower().startswith("arrêté") else act
            acts.append(f"{act} portant habilitation à l'aide sociale {fmt.of(essms['nom'])}")
    return acts
