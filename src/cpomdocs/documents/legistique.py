"""An avenant's changes in the wording of French legal drafting (légistique).

« Au tableau des cibles de l'indicateur SCOL de l'objectif O1, la cible pour 2027 : « 50 % » est
remplacée par « 52 % » », « Après l'objectif O2, il est inséré un objectif O3 ainsi rédigé : »
followed by the whole objective, « L'objectif O4 est supprimé. », « L'établissement … est retiré
du périmètre du contrat. ». One change is told once: the leaves of the data that make one item
(a capacity, a target, a financing amount) give one point; the declared totals that follow from
changed amounts are restated in one sentence; computed totals are left to the replaced annex.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cpomdocs import fmt
from cpomdocs.fmt import MarkdownText, md_escape, of, quoted
from cpomdocs.versions.diff import Change
from cpomdocs.versions.format import (
    MISSING,
    essms_label,
    is_date,
    long_date,
    party_label,
    plain,
    title,
)
from cpomdocs.versions.labels import formatter, subject

# « du forfait global soins »: the nature of a financing line with its article.
NATURES = {
    "forfait_global_soins": "du forfait global soins",
    "forfait_global_dependance": "du forfait global dépendance",
    "hebergement": "des produits de l'hébergement",
    "dotation_globalisee_commune": "de la part de la dotation globalisée commune",
    "dotation_globale": "de la dotation globale",
    "prix_de_journee": "des produits du prix de journée",
    "forfait_global_annuel": "du forfait global annuel",
    "mesures_nouvelles": "des mesures nouvelles",
    "credits_non_reconductibles": "des crédits non reconductibles",
}
CAPACITIES = "Au tableau « Activité et capacités »"
COMPUTED = ("totaux-financeurs",)  # shown by the replaced annex, never a point of the avenant


@dataclass
class Point:
    """One numbered point (« 1° … ; »); `content` is Markdown inserted whole after it."""

    text: str
    content: str = ""
    where: str = ""  # « Au tableau du financement de l'EHPAD X »: points sharing it are grouped


def _get(data: Any, path: tuple) -> Any:
    for step in path:
        if not isinstance(data, dict) or str(step) not in {str(k) for k in data}:
            return MISSING
        data = next(v for k, v in data.items() if str(k) == str(step))
    return data


def unit_of(path: tuple) -> tuple:
    """The item a changed leaf belongs to: a whole capacity, target, amount, objective…"""
    head = str(path[0])
    if head == "etablissements" and len(path) > 2:
        return path[:4] if path[2] == "capacites" else path
    if head == "objectifs" and len(path) > 2:
        if path[2] in ("indicateurs", "actions") and len(path) > 4:
            if path[4] == "cibles" and len(path) > 5:
                return path[:6]
            return path[:5]
        return path[:4] if path[2] in ("indicateurs", "actions") else path[:3]
    if head == "dates" and len(path) > 1:
        return path[:2]
    return path


def q(value: object) -> str:
    """A value quoted as légistique quotes what it replaces: « 50 % » (escaped Markdown)."""
    return quoted(md_escape(value))


class Drafter:
    """Writes the points of an avenant from the data before and after it."""

    def __init__(self, before: dict[str, Any], after: dict[str, Any], cents: bool = True) -> None:
        self.before, self.after = before, after
        # amounts quoted as the contract's tables print them (whole euros when all are)
        self.euros: Callable[[float], str] = lambda v: fmt.amount(v, cents)

    def points(self, changes: list[Change]) -> list[Point]:
        """The points of one article, one per changed item, totals restated once at the end."""
        units: dict[tuple, list[Change]] = {}
        totals: dict[tuple, None] = {}
        for change in changes:
            head = str(change.path[0])
            if head in COMPUTED:
                continue
            if head == "financement" and change.path[1:2] in (("totaux",),):
                totals[change.path] = None
                continue
            if head == "financement" and change.path[1:3] == ("dotation_globalisee_commune",
                                                              "montants"):  # fmt: skip
                totals[change.path] = None
                continue
            units.setdefault(unit_of(change.path), []).append(change)
        found = [self.point(path, leaves) for path, leaves in units.items()]
        if totals:
            found.append(self.totals(list(totals)))
        return found

    # --- one item -----------------------------------------------------------------------------

    def point(self, path: tuple, leaves: list[Change]) -> Point:
        old, new = _get(self.before, path), _get(self.after, path)
        head = str(path[0])
        prose = (
            "\n" in f"{old if isinstance(old, str) else ''}{new if isinstance(new, str) else ''}"
        )
        if leaves[0].kind == "texte" and len(leaves) == 1 and prose:
            return self.text(path, leaves[0], new)
        if head == "etablissements":
            return self.establishment(path, old, new)
        if head == "objectifs":
            return self.objective(path, old, new)
        if head == "financement" and path[1:2] == ("lignes",) and len(path) == 6:
            return self.amount(path, old, new)
        return self.generic(path, leaves, old, new)

    def _replace(
        self, what: str, old: Any, new: Any, value: Callable[[Any], str], fem: bool
    ) -> str:
        if old is MISSING:
            return f"{what} : {q(value(new))} est {'insérée' if fem else 'inséré'}"
        if new is MISSING:
            return f"{what} est {'supprimée' if fem else 'supprimé'}"
        done = "remplacée" if fem else "remplacé"
        return f"{what} : {q(value(old))} est {done} par {q(value(new))}"

    def text(self, path: tuple, change: Change, new: Any) -> Point:
        head, where = str(path[0]), ""
        name = md_escape(change.subject)
        if head == "etablissements" and len(path) >= 3:
            data = self.after if new is not MISSING else self.before
            where = f"À la fiche {md_escape(of(_name(str(path[1]), data)))}"
            name = md_escape(title(path[-1]))
        elif head == "objectifs" and len(path) == 3:
            where, name = f"À l'objectif {md_escape(path[1])}", md_escape(title(path[2]))
        the = "le texte" if where else "Le texte"
        if new is MISSING or not str(new).strip():
            return Point(f"{the} {quoted(name)} est supprimé", where=where)
        return Point(
            f"{the} {quoted(name)} est remplacé par le texte suivant :",
            fmt.prose(str(new)),
            where,
        )

    def establishment(self, path: tuple, old: Any, new: Any) -> Point:
        finess = str(path[1])
        data = self.after if new is not MISSING else self.before
        name = md_escape(essms_label(finess, data))
        if len(path) == 2:
            if new is MISSING:
                return Point(f"L'établissement {name} est retiré du périmètre du contrat")
            return Point(
                "Il est inséré un établissement ainsi désigné :", essms_content(finess, new, data)
            )
        card = f"À la fiche {md_escape(of(_name(finess, data)))}"
        if path[2] == "capacites":  # the table « Activité et capacités » of article 4
            mode = md_escape(title(path[3]))
            mode = ("d'" if mode[:1] in "aeéèêhiouy" else "de ") + mode
            what = f"la capacité {mode} {md_escape(of(_name(finess, data)))}"
            return Point(self._replace(what, old, new, places, True), where=CAPACITIES)
        what = f"la mention {quoted(md_escape(title(path[-1])))}"
        return Point(self._replace(what, old, new, _value(path, data), True), where=card)

    def objective(self, path: tuple, old: Any, new: Any) -> Point:
        oid = md_escape(path[1])
        data = self.after if new is not MISSING else self.before
        if len(path) == 2:
            if new is MISSING:
                return Point(f"L'objectif {oid} est supprimé")
            where = _after_which(self.after["objectifs"], path[1], "l'objectif")
            return Point(
                f"{where}il est inséré un objectif {oid} ainsi rédigé :",
                objective_content(str(path[1]), new, data),
            )
        kind = path[2]
        if kind in ("indicateurs", "actions") and len(path) >= 4:
            code = md_escape(path[3])
            noun = "indicateur" if kind == "indicateurs" else "action"
            the = "l'indicateur" if kind == "indicateurs" else "l'action"
            fem = kind == "actions"
            if len(path) == 4:
                if new is MISSING:
                    gone = "supprimée" if fem else "supprimé"
                    return Point(
                        f"{the[:1].upper()}{the[1:]} {code} de l'objectif {oid} est {gone}"
                    )
                siblings = self.after["objectifs"][path[1]][kind]
                where = _after_which(siblings, path[3], the)
                inserted = "insérée une" if fem else "inséré un"
                render = indicator_content if kind == "indicateurs" else action_content
                return Point(
                    f"À l'objectif {oid}, {where[:1].lower()}{where[1:]}il est {inserted} "
                    f"{noun} {code} ainsi rédigé{'e' if fem else ''} :",
                    render(str(path[3]), new, _unit(data, path)),
                )
            field = path[4]
            unit = _unit(data, path)
            value = (lambda v: fmt.with_unit(v, unit)) if kind == "indicateurs" else plain
            if field == "cibles" and len(path) == 6:
                where = f"Au tableau des cibles de l'indicateur {code} de l'objectif {oid}"
                what = f"la cible pour {path[5]}"
                return Point(self._replace(what, old, new, value, True), where=where)
            if field == "reference":
                where = f"À l'indicateur {code} de l'objectif {oid}"
                text = self._replace("la valeur de référence", old, new, reference(unit), True)
                return Point(text, where=where)
            where = f"À {the} {code} de l'objectif {oid}"
            what = f"la mention {quoted(md_escape(title(field)))}"
            return Point(self._replace(what, old, new, _value(path, data), True), where=where)
        what = f"la mention {quoted(md_escape(title(kind)))}"
        text = self._replace(what, old, new, _value(path, data), True)
        return Point(text, where=f"À l'objectif {oid}")

    def amount(self, path: tuple, old: Any, new: Any) -> Point:
        _, _, finess, party, nature, year = (str(p) for p in path)
        data = self.after if new is not MISSING else self.before
        where = f"Au tableau du financement {md_escape(of(_name(finess, data)))}"
        nature_of = NATURES.get(nature, f"de {quoted(title(nature))}")
        what = f"le montant {year} {nature_of} ({md_escape(party_label(party, data))})"
        return Point(self._replace(what, old, new, self.euros, False), where=where)

    def generic(self, path: tuple, leaves: list[Change], old: Any, new: Any) -> Point:
        data = self.after if new is not MISSING else self.before
        what = f"la mention {quoted(md_escape(subject(path, data)))}"
        if str(path[0]) == "dates" and len(path) == 2:
            what = md_escape(title(path[1]))
            what = "la " + what if what.startswith("date") else f"la mention {quoted(what)}"
        if str(path[0]) == "duree_mois":
            what = "la durée du contrat"
        if isinstance(old, list) or isinstance(new, list):
            listname = md_escape(title(path[-1]).lower())
            parts = [
                f"il est ajouté : {q(c.new)}"
                if c.kind == "ajout"
                else f"l'élément {q(c.old)} est supprimé"
                for c in leaves
            ]
            return Point(" ; ".join(parts), where=f"À la liste des {listname}")
        return Point(self._replace(what, old, new, _value(path, data), True))

    def totals(self, paths: list[tuple]) -> Point:
        """The declared totals that follow from the changed amounts, in one sentence."""
        kinds: dict[str, list[str]] = {}
        for path in paths:
            value = _get(self.after, path)
            what = (
                "le montant annuel de la dotation globalisée commune"
                if "dotation_globalisee_commune" in path
                else "le total annuel du financement"
            )
            shown = "n'est plus fixé" if value is MISSING else q(self.euros(value))
            kinds.setdefault(what, []).append(f"{shown} pour {path[-1]}")
        parts = [f"{what} est porté à {_and(years)}" for what, years in kinds.items()]
        return Point("En conséquence, " + " ; ".join(parts))


def _value(path: tuple, data: dict) -> Callable[[Any], str]:
    """How the value at `path` is written inside « »: formatted, a plain text as it is."""
    shown = formatter(path, data)
    return lambda v: v if isinstance(v, str) and not is_date(v) else shown(v)


def _and(items: list[str]) -> str:
    """« a, b et c »."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1]


def _name(finess: str, data: dict) -> str:
    return data.get("etablissements", {}).get(finess, {}).get("nom") or f"ESSMS {finess}"


def _unit(data: dict, path: tuple) -> str:
    indicator = _get(data, ("objectifs", path[1], "indicateurs", path[3]))
    return str(indicator.get("unite", "")) if isinstance(indicator, dict) else ""


def _after_which(siblings: dict, key: Any, the: str) -> str:
    """« Après l'objectif O2, », « Avant l'objectif O1, » or « » (the only one)."""
    keys = [str(k) for k in siblings]
    index = keys.index(str(key))
    if index > 0:
        return f"Après {the} {md_escape(keys[index - 1])}, "
    if len(keys) > 1:
        return f"Avant {the} {md_escape(keys[1])}, "
    return ""


def places(value: Any) -> str:
    """« 90 places autorisées, 90 installées »."""
    if not isinstance(value, dict):
        return plain(value)
    text = fmt.plural(int(value.get("autorisees", 0)), "place") + " autorisée"
    text += "s" if int(value.get("autorisees", 0)) > 1 else ""
    installed = value.get("installees")
    return text + (f", {installed} installée{'s' if installed > 1 else ''}" if installed else "")


def reference(unit: str) -> Callable[[Any], str]:
    """A reference value with its year: « 97,4 % (2023) »."""
    return lambda v: f"{fmt.with_unit(v.get('valeur'), unit)} ({v.get('annee')})"


def indicator_content(code: str, value: dict, unit: str) -> MarkdownText:
    """An indicator written whole: label, method, source, reference and yearly targets."""
    unit = str(value.get("unite", unit))
    targets = " ; ".join(
        f"{year} : {fmt.with_unit(v, unit)}" for year, v in sorted(value.get("cibles", {}).items())
    )
    lines = [
        f"**Indicateur {md_escape(code)} – {md_escape(value.get('libelle', ''))}**",
        f"Méthode de calcul : {md_escape(value.get('methode_calcul', ''))}. "
        f"Source : {md_escape(value.get('source', ''))}. Unité : {md_escape(unit)}. "
        f"Sens d'évolution attendu : {md_escape(value.get('sens', ''))}.",
        f"Valeur de référence : {md_escape(reference(unit)(value.get('reference', {})))}. "
        f"Cibles annuelles : {md_escape(targets)}.",
    ]
    return MarkdownText("\n\n".join(lines))


def action_content(code: str, value: dict, _unit: str = "") -> MarkdownText:
    """An action written whole: label, pilot, deadline, means."""
    due = value.get("echeance")
    text = f"**Action {md_escape(code)} – {md_escape(value.get('libelle', ''))}** ; pilote : "
    text += md_escape(value.get("pilote", ""))
    text += f" ; échéance : {md_escape(long_date(due)) if due else '—'}"
    if value.get("moyens"):
        text += f" ; moyens mobilisés : {md_escape(value['moyens'])}"
    return MarkdownText(text + ".")


def objective_content(oid: str, value: dict, data: dict) -> MarkdownText:
    """A new objective written whole: title, axis, finding, actions, indicators, deadline."""
    parts = [f"**Objectif {md_escape(oid)} – {md_escape(value.get('titre', ''))}**"]
    axis = f"Axe : {md_escape(value.get('axe', ''))}."
    if value.get("politique_publique"):
        axis += f" Politique publique : {md_escape(value['politique_publique'])}."
    parts.append(axis)
    parts.append("Constat :")
    parts.append(fmt.prose(value.get("constat", "")))
    actions = value.get("actions") or {}
    if actions:
        parts.append("Actions :")
        parts.append("\n".join(f"- {action_content(k, a)}" for k, a in actions.items()))
    for code, indicator in (value.get("indicateurs") or {}).items():
        parts.append(indicator_content(code, indicator, ""))
    due = value.get("echeance")
    closing = f"Échéance de l'objectif : {md_escape(long_date(due))}." if due else ""
    if value.get("financeur"):
        closing += f" Financeur : {md_escape(party_label(str(value['financeur']), data))}."
    parts.append(closing.strip())
    return MarkdownText("\n\n".join(p for p in parts if p))


def essms_content(finess: str, value: dict, data: dict) -> MarkdownText:
    """A new establishment written whole: name, FINESS, category, address, authorisation."""
    category = (value.get("categorie") or {}).get("libelle", "")
    address = value.get("adresse") or {}
    auth = value.get("autorisation") or {}
    capacities = "; ".join(
        f"{title(mode)} : {places(c)}" for mode, c in (value.get("capacites") or {}).items() if c
    )
    lines = [
        f"**{md_escape(value.get('nom', ''))}**, FINESS ET {fmt.finess(finess)}, "
        f"{md_escape(category)}, {md_escape(address.get('voie', ''))}, "
        f"{md_escape(address.get('code_postal', ''))} {md_escape(address.get('commune', ''))}.",
        f"Autorisation : {md_escape(auth.get('reference') or '')} du "
        f"{md_escape(long_date(auth['date']) if auth.get('date') else '…')}. "
        f"Capacités : {md_escape(capacities)}.",
    ]
    if value.get("activites"):
        lines.append(fmt.prose(value["activites"]))
    return MarkdownText("\n\n".join(lines))
