"""An avenant's articles: the contract's parts its changes modify, one article each (« Modification
de l'article 4 du contrat »), their numbered points ended as légistique wants, then one
article per annex it replaces."""

from __future__ import annotations

import re
from typing import Any

from cpomdocs import fmt
from cpomdocs.data.model import Contract
from cpomdocs.documents import contract_views as views
from cpomdocs.documents.legistique import Drafter, Point
from cpomdocs.fmt import MarkdownText
from cpomdocs.versions.diff import Change

ARTICLE_TITLES = {
    1: "L'identification du gestionnaire et périmètre du contrat",
    2: "Diagnostic partagé",
    3: "Objectifs stratégiques fixés dans le cadre du CPOM sur la base du diagnostic partagé",
    4: "Moyens dédiés à la réalisation du contrat",
    5: "Le suivi et l'évaluation du contrat",
    6: "Le traitement des litiges",
    7: "La révision du contrat",
    "conventions": (
        "La révision du terme des conventions tripartites pluriannuelles préexistantes au CPOM"
    ),
    "duree": "La date d'entrée en vigueur du CPOM et la durée du CPOM",
}
# Parts of the contract that are not numbered articles, in the order of the contract.
PREAMBLE_PARTS = {
    "parties": "La désignation des parties au contrat est modifiée comme suit :",
    "visas": "Les visas du contrat sont modifiés comme suit :",
    "preambule": "Le préambule du contrat est modifié comme suit :",
    "mentions": "Les mentions générales du contrat sont modifiées comme suit :",
}
PREAMBLE_TITLES = {
    "parties": "Désignation des parties",
    "visas": "Visas du contrat",
    "preambule": "Préambule du contrat",
    "mentions": "Mentions générales du contrat",
}
_IGNORED = {"version", "statut"}
# A quoted text that ends with its own full stop (or ? ! …), before the closing guillemet.
SENTENCE_END = re.compile(r"[.!?…]\s*»$")


def _part(change: Change, ehpad: bool) -> tuple[Any, tuple[int, ...]]:
    """The contract's part (article number or preamble key) a change modifies, and its annexes."""
    head = str(change.path[0])
    sub = str(change.path[1]) if len(change.path) > 1 else ""
    last = 9 if ehpad else 8
    if head in ("gestionnaire", "autorites"):
        return "parties", (1,) if head == "gestionnaire" else ()
    if head in ("visas", "preambule"):
        return head, ()
    if head == "etablissements":  # capacities by mode are article 4's table
        return (4 if sub and change.path[2:3] == ("capacites",) else 1), (1,)
    if head == "diagnostic":
        return 2, (2,)
    if head == "objectifs":
        return 3, (3, 4) if "indicateurs" in change.path or len(change.path) == 2 else (3,)
    if head in ("financement", "totaux-financeurs"):
        return 4, (5,)
    if head == "suivi":
        return 5, {"comite": (7,), "dialogues": (6,), "evaluations": (6,)}.get(sub, ())
    if head == "clauses":
        articles = {"litiges": 6, "revision": 7, "conventions_tripartites": 8, "duree": last}
        return articles.get(sub, last), ()
    if head in ("dates", "duree_mois", "prorogations"):
        return last, (6,)
    return "mentions", ()


def avenant_articles(
    changes: list[Change], after: Contract, drafter: Drafter, changed: set[int] | None = None
) -> tuple[list[dict[str, Any]], list[tuple[int, str]]]:
    """One article per modified part of the contract (its points in légistique wording), then
    one per replaced annex: those of the changed parts, and those whose text `changed`."""
    ehpad = views.is_ehpad(after)
    annexes: set[int] = set(changed or ())
    for change in changes if changed is None else []:  # else: the annexes whose text changed
        if str(change.path[0]) not in _IGNORED:
            annexes.update(_part(change, ehpad)[1])
    by_part = drafter.points(changes)
    articles: list[dict[str, Any]] = []
    for part in sorted(by_part, key=_in_contract_order):
        points = by_part[part]
        if isinstance(part, str):
            title, intro = PREAMBLE_TITLES[part], PREAMBLE_PARTS[part]
        else:
            key = "duree" if part == (9 if ehpad else 8) else "conventions" if part == 8 else part
            name = drafter.text_new.titles.get(part) or ARTICLE_TITLES[key]  # as the trame says
            number = fmt.ordinal_article(part)
            title = f"Modification de l'article {number} du contrat"
            intro = f"L'article {number} {fmt.quoted(name)} est ainsi modifié :"
        articles.append({"title": title, "intro": intro, "points": numbered(points), "part": part})
    titles = {a.number: a.title for a in views.annex_list(after)}
    replaced = [(n, titles[n]) for n in sorted(annexes) if n in titles]
    for number, name in replaced:
        articles.append({
            "title": f"Remplacement de l'annexe {number}",
            "intro": f"L'annexe {number} {fmt.quoted(name)} est remplacée par l'annexe jointe "
            "au présent avenant.",
            "points": [],
            "part": f"annexe {number}",
        })  # fmt: skip
    for index, article in enumerate(articles, 1):
        article["number"] = index
    return articles, replaced


def _in_contract_order(part: Any) -> tuple[int, int]:
    """Preamble parts first, in the contract's order, then the articles by number."""
    return (0, list(PREAMBLE_PARTS).index(part)) if isinstance(part, str) else (1, part)


def numbered(points: list[Point]) -> list[Point]:
    """« 1° … ; », « 2° … . »; consecutive points about one place (« Au tableau du financement
    de l'EHPAD X ») become one point with its items « a) », « b) »…"""
    groups: list[list[Point]] = []
    for point in points:
        if groups and point.where and groups[-1][0].where == point.where:
            groups[-1].append(point)
        else:
            groups.append([point])
    shown: list[Point] = []
    for index, group in enumerate(groups, 1):
        last_group = index == len(groups)
        number = f"{index}° " if len(groups) > 1 else ""
        if len(group) == 1:
            point = group[0]
            text = f"{point.where}, {point.text}" if point.where else _capital(point.text)
            content = _closed(point.content, last_group)
            shown.append(Point(MarkdownText(number + _ended(text, last_group)), content))
            continue
        shown.append(Point(MarkdownText(f"{number}{group[0].where} :")))
        for letter, point in zip("abcdefghijklmnopqrstuvwxyz" * 9, group, strict=False):
            last = last_group and point is group[-1]
            shown.append(
                Point(
                    MarkdownText(f"{letter}) {_ended(point.text, last)}"),
                    _closed(point.content, last),
                )
            )
    return shown


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _ended(text: str, last: bool) -> str:
    """A point ends with « ; », the last one with « . », one that announces a text with « : »."""
    return text if text.endswith(":") else text + (" ;" if not last else ".")


def _closed(content: str, last: bool) -> str:
    """A quoted alinéa that ends a point is followed by « ; », or « . » when it is the last;
    the last one takes no second full stop after its own (« … la santé. » as in the JO)."""
    if not content.rstrip().endswith("»"):
        return content
    if last and SENTENCE_END.search(content.rstrip()):
        return content
    return MarkdownText(content.rstrip() + (" ;" if not last else "."))
