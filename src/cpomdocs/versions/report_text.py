"""A compte-rendu as French lines, one fact each, for `git diff` (textconv).

The contract's labels misnamed a meeting's facts (its date « Date de l'acte modificatif », its
place « Lieu de signature », its kind « Type d'autorité », « Realisations, TO-HP, 2027 »): a
compte-rendu has its own words, those of its document.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from typing import Any

from cpomdocs.versions.format import essms_label, euros, is_date, party_label, plain

WIDTH = 100
QUOTES = "«\u00a0»"  # plain() quotes a text; a line « label : value » does not
_ONE_LINE = {
    "type": "Type de réunion",
    "statut": "Statut",
    "date": "Date de la réunion",
    "lieu": "Lieu",
    "exercice": "Exercice examiné",
}
_LISTS = {
    "ordre_du_jour": "Ordre du jour",
    "documents_examines": "Document examiné",
    "points_attention": "Point d'attention",
}
_ACTIVITY = {
    "capacite": "capacité",
    "journees_prevues": "activité prévue",
    "journees_realisees": "activité réalisée",
    "unite": "unité",
    "commentaire": "commentaire",
}
_ACTION = {"libelle": "action", "responsable": "responsable", "echeance": "échéance"}


def is_report(data: Any) -> bool:
    """True for the data of a compte-rendu (a meeting that examines a financial year)."""
    return isinstance(data, dict) and "exercice" in data and "participants" in data


def report_text(data: dict[str, Any]) -> str:
    """Every fact of a compte-rendu as French lines, in the order of its document."""
    return "\n".join(_lines(data)) + "\n"


def _lines(data: dict[str, Any]) -> Iterator[str]:
    yield "== Compte-rendu =="
    for key, label in _ONE_LINE.items():
        if key in data:
            yield f"{label} : {plain(data[key]).strip(QUOTES)}"
    for party, people in _items(data.get("participants")):
        who = "gestionnaire" if party == "gestionnaire" else party_label(str(party), {})
        for person in people if isinstance(people, list) else [people]:
            yield f"Participant ({who}) : {_person(person)}"
    for key, label in _LISTS.items():
        if key == "points_attention":
            continue
        yield from (_text(label, item) for item in _list(data.get(key)))
    for finess, activity in _items(data.get("activite")):
        shown = ", ".join(
            f"{_ACTIVITY.get(str(k), str(k))} {_value(v)}" + (" places" if k == "capacite" else "")
            for k, v in _items(activity)
        )
        yield f"Activité de l'{essms_label(str(finess), {})} : {shown}"
    for code, by_year in _items(data.get("realisations")):
        for year, value in _items(by_year):
            yield f"Indicateur {code}, valeur réalisée {year} : {plain(value)}"
    for oid, review in _items(data.get("objectifs")):
        for key, value in _items(review):
            label = "abandonné" if key == "abandonne" else str(key)
            yield _text(f"Objectif {oid}, {label}", value)
    for line in _list(data.get("execution_financiere")):
        yield f"Exécution financière : {_execution(line)}"
    yield from (_text("Point d'attention", item) for item in _list(data.get("points_attention")))
    for decision in _list(data.get("decisions")):
        text = decision.get("texte", "") if isinstance(decision, dict) else decision
        needed = isinstance(decision, dict) and decision.get("avenant_necessaire")
        yield _text("Décision" + (" (avenant nécessaire)" if needed else ""), text)
    for code, action in _items(data.get("actions")):
        shown = ", ".join(f"{_ACTION.get(str(k), str(k))} : {_value(v)}" for k, v in _items(action))
        yield f"Action {code} : {shown}"
    nxt = data.get("prochaine_reunion")
    if isinstance(nxt, dict):
        parts = [f"{plain(nxt.get('type', ''))} le {plain(nxt.get('date'))}"]
        parts += [f"à {nxt['lieu']}"] if nxt.get("lieu") else []
        yield f"Prochaine réunion : {' '.join(parts).strip(QUOTES)}"


def _items(value: Any) -> list[tuple[Any, Any]]:
    return list(value.items()) if isinstance(value, dict) else []


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _value(value: Any) -> str:
    """A value as the document prints it: a text as written, a date in words, a number."""
    return value if isinstance(value, str) and not is_date(value) else plain(value)


def _person(person: Any) -> str:
    if isinstance(person, dict):
        name, role = person.get("nom", ""), person.get("qualite", "")
        return f"{name} ({role})" if role else str(name)
    return str(person)


def _execution(line: Any) -> str:
    if not isinstance(line, dict):
        return str(line)
    parts = [f"exercice {line.get('exercice', '')}"]
    if line.get("etablissement"):
        parts.append(essms_label(str(line["etablissement"]), {}))
    for key, label in (("resultat_prevu", "prévu"), ("resultat_realise", "réalisé")):
        if isinstance(line.get(key), int | float):
            parts.append(f"résultat {label} {euros(line[key])}")
    if line.get("affectation"):
        parts.append(f"affectation : {line['affectation']}")
    return ", ".join(parts)


def _text(label: str, value: Any) -> str:
    """« label : text », a long or multi-line text wrapped under its label."""
    text = " ".join(str(value).split()) if isinstance(value, str) else plain(value)
    if len(text) <= 80:
        return f"{label} : {text}"
    wrapped = textwrap.wrap(text, WIDTH - 4)
    return "\n".join([f"{label} :", *(f"    {line}" for line in wrapped)])
