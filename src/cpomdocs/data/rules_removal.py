"""Business rules of an avenant that takes an ESSMS out of the contract's perimeter: what the
contract still says about it once the avenant applies (objectives, financing, calendar), each
told once, at the line of the avenant that removes it, with what to write in the avenant."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from cpomdocs.data.document import Document
from cpomdocs.errors import Problem, Severity

Path_ = tuple[str | int, ...]
_ARTICLES = ("le ", "la ", "les ", "l'", "l’", "du ", "de la ", "des ", "de l'", "de ")


def _core(name: str) -> str:
    """The words that name an ESSMS in a text: « EHPAD Le Clos des Saules » → « Clos des
    Saules » (texts drop the category and the article); the whole name when that leaves one
    word (« SSIAD du Beaujolais » would match the territory)."""
    words = name.split()
    rest = " ".join(words[1:]) if len(words) > 1 and words[0].isupper() else name
    for article in _ARTICLES:
        if rest.lower().startswith(article):
            rest = rest[len(article) :]
            break
    return rest if len(rest.split()) > 1 else name


def _texts(data: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    """Every text of `data` with its path."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _texts(value, (*path, str(key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _texts(value, (*path, index))


def _dated(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


class _Report:
    """The problems about one removed ESSMS, all at the avenant's line that removes it."""

    def __init__(self, doc: Document, finess: str, name: str, found: list[Problem]) -> None:
        self.file, self.found = doc.name, found
        self.at = doc.locate(("modifications", "etablissements", finess), key=True)
        self.lead = f"l'avenant retire du périmètre « {name} » ({finess}), mais "

    def __call__(self, path: Path_, message: str, warning: bool = False) -> None:
        field = ".".join(str(p) for p in path)
        severity = Severity.WARNING if warning else Severity.ERROR
        self.found.append(Problem(self.file, *self.at, field, self.lead + message, severity))


def check_removed_essms(
    before: dict[str, Any], after: dict[str, Any], doc: Document, effet: dt.date
) -> list[Problem]:
    """What still names an ESSMS the avenant removes, once applied: its objectives' lists
    (errors), its financing lines, investments and dotation globalisée commune (errors), the
    evaluations planned after the avenant's effect and the objectives' texts naming it
    (warnings). `effet`: the avenant's date d'effet."""
    found: list[Problem] = []
    kept = after.get("etablissements") or {}
    for finess, essms in (before.get("etablissements") or {}).items():
        if finess in kept:
            continue
        name = str((essms or {}).get("nom") or finess)
        problem = _Report(doc, finess, name, found)
        gone = _objectives(after, finess, problem)
        _financing(after, finess, problem)
        for index, evaluation in enumerate((after.get("suivi") or {}).get("evaluations") or []):
            day = _dated((evaluation or {}).get("date_prevue"))
            if str((evaluation or {}).get("etablissement")) == finess and day and day >= effet:
                problem(
                    ("suivi", "evaluations", index),
                    f"l'annexe 6 prévoit encore pour lui « {evaluation.get('libelle')} » le "
                    f"{day.isoformat()} : réécrivez dans l'avenant la liste suivi.evaluations "
                    "sans cette évaluation (une liste se remplace entière)",
                    warning=True,
                )
        words = _core(name)
        others = [str((e or {}).get("nom") or "") for e in kept.values()]
        if any(words in other for other in others):
            continue  # the words name another ESSMS too: no text can be told apart
        texts = [
            *_texts(after.get("objectifs") or {}, ("objectifs",)),
            *((p, t) for p, t in _texts(after.get("financement") or {}, ("financement",))
              if p[1] in ("evolution", "eprd_pgfp", "affectation_resultats")),
        ]  # fmt: skip
        for path, text in texts:
            if path[0] == "objectifs" and path[1] in gone:
                continue  # the objective itself is to go
            if re.search(rf"(?<!\w){re.escape(words)}(?!\w)", text):
                problem(
                    path,
                    f"ce texte le nomme encore (« {words} ») : modifiez-le dans l'avenant",
                    warning=True,
                )
    return found


def _objectives(after: dict[str, Any], finess: str, problem: _Report) -> set[str]:
    """Objectives whose list of ESSMS still names `finess`; returns those that name it alone."""
    alone = set()
    for oid, objective in (after.get("objectifs") or {}).items():
        listed = [str(f) for f in (objective or {}).get("etablissements") or []]
        if finess not in listed:
            continue
        rest = [f for f in listed if f != finess]
        path = ("objectifs", str(oid), "etablissements")
        if rest:
            shown = ", ".join(f'"{f}"' for f in rest)
            problem(
                path,
                f"l'objectif {oid} le compte encore parmi ses ESSMS : écrivez dans l'avenant "
                f"objectifs: {{{oid}: {{etablissements: [{shown}]}}}}",
            )
        else:
            alone.add(str(oid))
            problem(
                path,
                f"l'objectif {oid} ne concerne que lui (une liste vide voudrait dire : tous les "
                f"ESSMS) : supprimez l'objectif dans l'avenant (objectifs: {{{oid}: null}}) ou "
                "nommez les ESSMS qu'il concerne désormais",
            )
    return alone


def _financing(after: dict[str, Any], finess: str, problem: _Report) -> None:
    """Its financing lines, investments and dotation globalisée commune."""
    financing = after.get("financement") or {}
    if finess in {str(k) for k in financing.get("lignes") or {}}:
        problem(
            ("financement", "lignes", finess),
            "ses lignes de financement restent (annexe 5) : supprimez-les dans l'avenant "
            f'(financement: {{lignes: {{"{finess}": null}}}})',
        )
    for index, investment in enumerate(financing.get("investissements") or []):
        if str((investment or {}).get("etablissement")) == finess:
            problem(
                ("financement", "investissements", index),
                f"l'opération « {investment.get('libelle')} » ({investment.get('annee')}) du plan "
                "d'investissement le concerne encore : réécrivez dans l'avenant la liste "
                "financement.investissements sans elle (une liste se remplace entière)",
            )
    dgc = financing.get("dotation_globalisee_commune") or {}
    if str(dgc.get("beneficiaire")) == finess:
        problem(
            ("financement", "dotation_globalisee_commune", "beneficiaire"),
            "il perçoit la dotation globalisée commune : nommez dans l'avenant un autre "
            "bénéficiaire (financement.dotation_globalisee_commune.beneficiaire)",
        )
