"""An avenant's changes in the wording of French legal drafting (légistique).

Each change is told where the contract prints it and in what it says, never by a field name:
« À l'alinéa présentant l'EHPAD X, les mots : « arrêté … du 3 janvier 2017 » sont remplacés par
les mots : « … » », « Au tableau « Activité et capacités », à la ligne relative à l'hébergement
permanent de l'EHPAD X, le nombre de places autorisées : « 80 » est remplacé par le nombre :
« 90 » », « Dans la partie « Financement », le tableau est remplacé par le tableau suivant : ».
A change printed only in an annex (a target, a financing line, places habilitées) is carried by
the replacement of that annex; the figures that follow from a change (the places of the
perimeter, the financing by financeur, the notice date) are restated where they are printed.
The places and nouns per kind of field are the tables of `documents.wording`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cpomdocs import fmt
from cpomdocs.data.model import Contract
from cpomdocs.data.periods import add_months
from cpomdocs.documents import contract_views as views
from cpomdocs.documents import wording as w
from cpomdocs.fmt import md_escape
from cpomdocs.versions.diff import Change
from cpomdocs.versions.format import MISSING, plain


@dataclass
class Point:
    """One numbered point (« 1° … ; »); `content` is Markdown inserted whole after it."""

    text: str
    content: str = ""
    where: str = ""  # « Au tableau « Activité et capacités » »: points sharing it are grouped
    rank: int = 5  # the order of the contract inside an article: 1 its first alinéas, 2 a table


Found = list[tuple[Any, Point]]  # (article number or preamble part, point)


def _get(data: Any, path: tuple) -> Any:
    for step in path:
        if not isinstance(data, dict) or str(step) not in {str(k) for k in data}:
            return MISSING
        data = next(v for k, v in data.items() if str(k) == str(step))
    return data


def unit_of(path: tuple) -> tuple:
    """The item a changed leaf belongs to: an ESSMS's authorisation, a capacity, a party's
    members of the comité, an objective…"""
    head = str(path[0])
    if head == "etablissements" and len(path) > 2:
        return path[:4] if path[2] == "capacites" and len(path) > 3 else path[:3]
    if head == "objectifs" and len(path) > 2:
        return path[:3]
    if head == "suivi" and len(path) > 2 and path[1] == "comite":
        return path[:3]
    if head in ("financement", "totaux-financeurs") and len(path) > 1:
        return path[:2]
    if head in ("dates", "clauses") and len(path) > 1:
        return path[:2]
    return path


class Drafter:
    """Writes the points of an avenant from the contract before and after it."""

    def __init__(
        self, before: dict[str, Any], after: dict[str, Any], old: Contract, new: Contract
    ) -> None:
        self.before, self.after, self.old, self.new = before, after, old, new
        self.last = 9 if views.is_ehpad(new) else 8

    def points(self, changes: list[Change]) -> dict[Any, list[Point]]:
        """The points of each modified article (or preamble part), in the contract's order."""
        units: dict[tuple, list[Change]] = {}
        for change in changes:
            if str(change.path[0]) not in ("version", "statut"):
                units.setdefault(unit_of(change.path), []).append(change)
        found: Found = []
        for path, leaves in units.items():
            found.extend(self.point(path, leaves))
        found.extend(self.derived())
        by_part: dict[Any, list[Point]] = {}
        for part, point in sorted(found, key=lambda item: item[1].rank):
            by_part.setdefault(part, []).append(point)
        return by_part

    # --- one item -----------------------------------------------------------------------------

    def point(self, path: tuple, leaves: list[Change]) -> Found:
        head = str(path[0])
        old, new = _get(self.before, path), _get(self.after, path)
        if head == "etablissements" and len(path) >= 2:
            return self.establishment(path, old, new)
        if head == "objectifs" and len(path) >= 2:
            return self.objective(path, old, new)
        if head == "suivi" and path[1:2] == ("comite",) and len(path) == 3:
            return self.comite(str(path[2]), old, new)
        if head in ("financement", "totaux-financeurs", "dates", "duree_mois", "prorogations"):
            if path[:2] in (("financement", "evolution"), ("financement", "eprd_pgfp")):
                return self.prose(path, new)
            return []  # annex 5 and annex 6; what follows in the body is told by derived()
        if head in ("preambule", "diagnostic") or head == "clauses":
            return self.prose(path, new)
        return self.words(path, leaves, old, new)

    def establishment(self, path: tuple, old: Any, new: Any) -> Found:
        finess = str(path[1])
        contract = self.new if new is not MISSING else self.old
        essms, of = w.essms_the(contract, finess), w.of_essms(contract, finess)
        if len(path) == 2:
            return self.perimeter(finess, new is not MISSING)
        field = str(path[2])
        if field in ("activites", "projets"):
            return self.prose(path, new)
        if field == "capacites":
            return [(4, self.capacity(finess, str(path[3]), old, new))]
        if field not in w.ESSMS_FIELDS:
            return []  # printed in annex 1 only, which the avenant replaces
        part, where, noun = w.ESSMS_FIELDS[field]
        where = where.format(essms=essms, of_essms=of)
        if field in ("autorisation", "tarification", "option_tarifaire", "publics"):
            before = w.essms_sentences(self.old.etablissements[finess])
            after = w.essms_sentences(self.new.etablissements[finess])
            if len(before) != len(after):
                alinea = w.quoted_text(w.essms_alinea(finess, self.new.etablissements[finess]))
                text = f"L'alinéa présentant {essms} est remplacé par l'alinéa suivant :"
                return [(part, Point(text, alinea))]
            return [
                (part, Point(w.replace(noun, a, b), where=where))
                for (a, noun), (b, _) in zip(before, after, strict=True)
                if a != b
            ]
        shown = w.value_words
        if isinstance(old, dict) or isinstance(new, dict):
            shown = plain
        return [(part, Point(w.replace(noun, shown(old), shown(new)), where=where))]

    def perimeter(self, finess: str, added: bool) -> Found:
        """An ESSMS enters or leaves: its row of the perimeter, its alinéa, its capacities."""
        found: Found = [(1, self.count())]
        if not added:
            essms = w.essms_the(self.old, finess)
            return [
                *found,
                (
                    1,
                    Point(
                        f"la ligne relative {w.to_essms(self.old, finess)} est supprimée",
                        where=w.PERIMETER,
                        rank=2,
                    ),
                ),  # fmt: skip
                (
                    1,
                    Point(
                        f"L'alinéa présentant {essms}, et ceux qui le suivent relatifs à cet "
                        "établissement ou service, sont supprimés"
                    ),
                ),  # fmt: skip
                (
                    4,
                    Point(
                        "Aux tableaux de l'article, les lignes relatives "
                        f"{w.to_essms(self.old, finess)} sont supprimées"
                    ),
                ),  # fmt: skip
            ]
        essms = self.new.etablissements[finess]
        keys = list(self.new.etablissements)
        index = keys.index(finess)
        after = (
            f"après la ligne relative {w.to_essms(self.new, keys[index - 1])}, " if index else ""
        )
        alinea = w.quoted_text(w.essms_alinea(finess, essms))
        if essms.activites:
            alinea += "\n\n" + w.quoted_text(fmt.prose(essms.activites))
        return [
            *found,
            (
                1,
                Point(
                    f"{after}il est inséré une ligne ainsi rédigée :",
                    w.perimeter_row(finess, essms),
                    w.PERIMETER,
                    2,
                ),
            ),  # fmt: skip
            (
                1,
                Point(
                    "Après l'alinéa présentant "
                    f"{w.essms_the(self.new, keys[index - 1])}, il est inséré"
                    if index
                    else "Il est inséré",
                    alinea,
                ),
            ),  # fmt: skip
            (
                4,
                Point(
                    f"{after.replace('la ligne', 'les lignes')}sont insérées les lignes "
                    "suivantes :",
                    w.capacity_table(essms),
                    w.CAPACITIES,
                ),
            ),  # fmt: skip
        ]

    def count(self) -> Point:
        """« Le présent contrat couvre 4 établissements et services » restated."""
        words = ("établissement ou service", "établissements et services")
        old = fmt.plural(len(self.old.etablissements), *words)
        new = fmt.plural(len(self.new.etablissements), *words)
        where = "Dans la partie « Présentation du gestionnaire »"
        return Point(w.replace(w.WORDS, old, new), where=where, rank=1)

    def capacity(self, finess: str, mode: str, old: Any, new: Any) -> Point:
        """A row of article 4's table « Activité et capacités »."""
        contract = self.new if new is not MISSING else self.old
        label = w.capacity_label(mode)
        row = f"la ligne relative {_to(label)} {w.of_essms(contract, finess)}"
        if new is MISSING or not new:
            return Point(f"{row} est supprimée", where=w.CAPACITIES)
        if old is MISSING or not old:
            return Point("il est inséré une ligne ainsi rédigée :",
                         w.capacity_table(_only(contract, finess, mode)), w.CAPACITIES)  # fmt: skip
        parts = [
            w.replace(w.NUMBER, str(old.get(k) or "–"), str(new.get(k) or "–")).replace(
                "le nombre :", f"le nombre de places {name} :", 1
            )
            for k, name in (("autorisees", "autorisées"), ("installees", "installées"))
            if old.get(k) != new.get(k)
        ]
        return Point(f"à {row}, " + " et ".join(parts), where=w.CAPACITIES)

    def objective(self, path: tuple, old: Any, new: Any) -> Found:
        """Article 3 lists each objective: its title, axis and deadline; the rest is annex 3."""
        oid = str(path[1])
        label = f"l'objectif {md_escape(views.objective_number(oid))}"
        if len(path) == 2:
            words = ("objectif", "objectifs")
            old_n = fmt.plural(len(self.old.objectifs), *words)
            new_n = fmt.plural(len(self.new.objectifs), *words)
            count = Point(w.replace(w.WORDS, old_n, new_n), where="Au premier alinéa")
            if new is MISSING:
                return [(3, count), (3, Point(f"L'alinéa relatif à {label} est supprimé"))]
            keys = list(self.new.objectifs)
            index = keys.index(oid)
            before = f"l'objectif {md_escape(views.objective_number(keys[index - 1]))}"
            text = (f"Après l'alinéa relatif à {before}, il est inséré un alinéa ainsi rédigé :"
                    if index else "Il est inséré un alinéa ainsi rédigé :")  # fmt: skip
            return [(3, count), (3, Point(text, w.quoted_text(w.objective_alinea(oid, self.new))))]
        field = str(path[2])
        if field not in ("titre", "axe", "echeance"):
            return []  # annexes 3 and 4, which the avenant replaces
        noun = w.DATE if field == "echeance" else w.WORDS
        text = w.replace(noun, w.value_words(old), w.value_words(new))
        return [(3, Point(text, where=f"À l'alinéa relatif à {label}"))]

    def comite(self, party: str, old: Any, new: Any) -> Found:
        """Article 5 lists the comité's members by party, one alinéa each."""
        contract = self.new if new is not MISSING else self.old
        who = md_escape(views.with_article(contract, party))
        if new is MISSING or not new:
            return [(5, Point(f"l'alinéa relatif à {who} est supprimé", where=w.COMITE))]
        alinea = w.quoted_text(w.comite_alinea(self.new, party))
        verb = "est remplacé par l'alinéa suivant" if old is not MISSING and old else (
            "il est inséré un alinéa ainsi rédigé")  # fmt: skip
        text = f"l'alinéa relatif à {who} {verb} :" if "remplacé" in verb else f"{verb} :"
        return [(5, Point(text, alinea, w.COMITE))]

    def prose(self, path: tuple, new: Any) -> Found:
        """Alinéas replaced whole by the new text, in guillemets."""
        head = str(path[0])
        key = (head, str(path[2])) if head == "etablissements" else tuple(map(str, path[:2]))
        part, what = w.PROSE.get(key, w.PROSE.get(key[:1], (1, "les alinéas")))
        if head == "clauses":
            part = {"litiges": 6, "revision": 7, "conventions_tripartites": 8}.get(
                str(path[1]), self.last
            )
        if head == "etablissements":
            contract = self.new if new is not MISSING else self.old
            what = what.format(of_essms=w.of_essms(contract, str(path[1])))
        what = what[:1].upper() + what[1:]
        plural = what.startswith("Les ")
        if new is MISSING or not str(new).strip():
            return [(part, Point(f"{what} {'sont supprimés' if plural else 'est supprimé'}"))]
        verb = "sont remplacés par les alinéas suivants" if plural else (
            "est remplacé par l'alinéa suivant")  # fmt: skip
        return [(part, Point(f"{what} {verb} :", w.quoted_text(fmt.prose(str(new)))))]

    def words(self, path: tuple, leaves: list[Change], old: Any, new: Any) -> Found:
        """Any other printed value: its words replaced in the part of the contract that holds
        it (the designation of the parties, the visas, the territory…)."""
        part = w.part_of(str(path[0]))
        if isinstance(old, list) or isinstance(new, list):
            noun = "un visa" if part == "visas" else "un alinéa"
            found: Found = []
            for leaf in leaves:
                if leaf.kind == "ajout":
                    text = f"Il est ajouté {noun} ainsi rédigé :"
                    found.append((part, Point(text, w.quoted_text(md_escape(leaf.new)))))
                elif leaf.kind == "suppression":
                    the = "Le visa" if part == "visas" else "L'alinéa"
                    text = f"{the} {fmt.quoted(md_escape(leaf.old))} est supprimé"
                    found.append((part, Point(text)))
            return found
        if isinstance(old, dict) or isinstance(new, dict):
            old, new = plain(old), plain(new)
        if new is MISSING:
            text = f"les mots : {fmt.quoted(md_escape(w.value_words(old)))} sont supprimés"
            return [(part, Point(text))]
        if old is MISSING:
            return []  # a value the contract did not print: shown by the replaced annexes
        return [(part, Point(w.replace(w.WORDS, w.value_words(old), w.value_words(new))))]

    # --- what follows from the changes ----------------------------------------------------------

    def derived(self) -> Found:
        """The figures the body prints that follow from other changes, restated once each."""
        found: Found = []
        for finess, essms in self.new.etablissements.items():
            old = self.old.etablissements.get(finess)
            if old is None:
                continue
            before, after = views.total_places(old.capacites), views.total_places(essms.capacites)
            if before != after:
                row = f"à la ligne relative {w.to_essms(self.new, finess)}, "
                text = w.replace(w.NUMBER, str(before), str(after))
                text = text.replace("le nombre :", "le nombre de places autorisées :", 1)
                found.append((1, Point(row + text, where=w.PERIMETER, rank=2)))
        found.extend(self.finance())
        found.extend(self.duration())
        return found

    def finance(self) -> Found:
        """Article 4's table of the financing by financeur, and the sentence under it."""
        cents = views.finance(self.new).cents or views.finance(self.old).cents
        old, new = views.finance(self.old), views.finance(self.new)
        found: Found = []
        if w.finance_table(old, cents) != w.finance_table(new, cents):
            text = "le tableau est remplacé par le tableau suivant :"
            found.append((4, Point(text, w.finance_table(new, cents), w.FINANCE)))
        first_old, first_new = (w.finance_first_sentence(f, cents) for f in (old, new))
        if first_old != first_new:
            text = ("la première phrase de l'alinéa qui suit ce tableau est remplacée par la "
                    "phrase suivante :")  # fmt: skip
            found.append((4, Point(text, w.quoted_text(md_escape(first_new)), w.FINANCE)))
        if fmt.amount(old.total, cents) != fmt.amount(new.total, cents):
            text = w.replace(w.AMOUNT, fmt.amount(old.total, cents), fmt.amount(new.total, cents))
            text = f"à la deuxième phrase de l'alinéa qui suit ce tableau, {text}"
            found.append((4, Point(text, where=w.FINANCE)))
        if fmt.amount(old.investments_total, cents) != fmt.amount(new.investments_total, cents):
            shown = [fmt.amount(f.investments_total, cents) for f in (old, new)]
            where = "Dans la partie « Investissements »"
            found.append((4, Point(w.replace(w.AMOUNT, *shown), where=where)))
        return found

    def duration(self) -> Found:
        """Article « La date d'entrée en vigueur … »: dates, duration and notice date."""
        if self.new.clauses.duree:
            return []
        old, new = self.old, self.new
        first = [
            (w.DATE, fmt.date_fr(old.dates.effet), fmt.date_fr(new.dates.effet)),
            (w.WORDS, f"{old.duree_mois} mois", f"{new.duree_mois} mois"),
            (w.DATE, fmt.date_fr(old.dates.fin), fmt.date_fr(new.dates.fin)),
        ]
        notice = [fmt.date_fr(add_months(c.dates.fin, -6)) for c in (old, new)]
        found: Found = []
        for noun, a, b in first:
            if a != b:
                found.append((self.last, Point(w.replace(noun, a, b), where="Au premier alinéa")))
        if notice[0] != notice[1]:
            found.append((self.last, Point(w.replace(w.DATE, *notice), where="Au deuxième alinéa")))
        before = [w.prorogation_alinea(p) for p in old.prorogations]
        for alinea in [w.prorogation_alinea(p) for p in new.prorogations][len(before) :]:
            text = "Il est ajouté un alinéa ainsi rédigé :"
            found.append((self.last, Point(text, w.quoted_text(alinea))))
        return found


def _to(label: str) -> str:
    """« à l'hébergement permanent », « au PASA »."""
    if label[:1] in "aeiouyéèêh":
        return f"à l'{label}"
    return f"au {label}" if label.isupper() else f"à la {label}"


def _only(contract: Contract, finess: str, mode: str) -> Any:
    """An ESSMS with one capacity only, for the row inserted in article 4's table."""
    essms = contract.etablissements[finess]
    kept = {k: (v if k == mode else None) for k, v in essms.capacites.model_dump().items()}
    return essms.model_copy(update={"capacites": type(essms.capacites).model_validate(kept)})
