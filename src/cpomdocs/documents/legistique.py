"""An avenant's changes in the wording of French legal drafting (légistique).

Each change is told where the contract prints it and in what it says, never by a field name:
« À l'alinéa présentant l'EHPAD X, les mots : « arrêté … du 3 janvier 2017 » sont remplacés par
les mots : « … » », « Au tableau « Activité et capacités », à la ligne relative à l'hébergement
permanent de l'EHPAD X, le nombre de places autorisées : « 80 » est remplacé par le nombre :
« 90 » », « Dans la partie « Financement », le tableau est remplacé par le tableau suivant : ».
A change printed only in an annex (a target, a financing line, places habilitées) is carried by
the replacement of that annex. This module sorts the changes by item and tells objectives, the
comité, texts and plain words; an ESSMS's changes are `legistique_essms`, what follows from them
`legistique_derived`; the texts quoted are the contract's as composed (`contract_text`).
"""

from __future__ import annotations

from typing import Any

from cpomdocs import fmt
from cpomdocs.documents import contract_views as views
from cpomdocs.documents import wording as w
from cpomdocs.documents.contract_text import alinea_markdown
from cpomdocs.documents.legistique_derived import DerivedPoints
from cpomdocs.documents.legistique_essms import EssmsPoints
from cpomdocs.documents.party_views import manager_term
from cpomdocs.documents.points import Found, Point, capital, get, part_where, quoted_alineas
from cpomdocs.fmt import md_escape
from cpomdocs.versions.diff import Change
from cpomdocs.versions.format import MISSING, plain

__all__ = ["Drafter", "Point", "unit_of"]


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


class Drafter(EssmsPoints, DerivedPoints):
    """Writes the points of an avenant from the contract before and after it."""

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
        old, new = get(self.before, path), get(self.after, path)
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
        if path[:2] == ("gestionnaire", "presentation"):  # article 1er, not the parties
            return self.prose(path, new)
        return self.words(path, leaves, old, new)

    def establishment(self, path: tuple, old: Any, new: Any) -> Found:
        finess = str(path[1])
        if len(path) == 2:
            return self.entering(finess) if new is not MISSING else self.leaving(finess)
        field = str(path[2])
        if field in ("activites", "projets"):
            return self.prose(path, new)
        if field == "capacites":
            return self.capacity(finess, str(path[3]), old, new)
        if field in ("categorie", "adresse", "ehpad", "activite"):
            return self.rows_replaced(finess)  # printed in rows of tables; the rest in annex 1
        if field in ("autorisation", "tarification", "option_tarifaire", "publics"):
            return self.presentation(finess, field)
        if field in w.ESSMS_FIELDS:
            return self.field_words(finess, field, old, new)
        return []  # printed in annex 1 only, which the avenant replaces

    def objective(self, path: tuple, old: Any, new: Any) -> Found:
        """Article 3 lists each objective: its title, axis and deadline; the rest is annex 3."""
        oid = str(path[1])
        label = f"l'objectif {md_escape(views.objective_number(oid))}"
        article = self.article_of(f"objectifs.{oid}", 3)
        if len(path) == 2:
            words = ("objectif", "objectifs")
            old_n = w.counted(len(self.old.objectifs), *words)  # as contrat.md.j2 prints it
            new_n = w.counted(len(self.new.objectifs), *words)
            count = self.phrase(article, w.WORDS, old_n, new_n, "le nombre d'objectifs")
            if new is MISSING:
                return [*count, (article, Point(f"L'alinéa relatif à {label} est supprimé"))]
            keys = list(self.new.objectifs)
            index = keys.index(oid)
            before = f"l'objectif {md_escape(views.objective_number(keys[index - 1]))}"
            text = (f"Après l'alinéa relatif à {before}, il est inséré un alinéa ainsi rédigé :"
                    if index else "Il est inséré un alinéa ainsi rédigé :")  # fmt: skip
            what = f"l'alinéa relatif à l'objectif {oid}"
            quoted = self.quoted(self.text_new, f"objectifs.{oid}", what)
            return [*count, (article, Point(text, quoted))]
        field = str(path[2])
        if field not in ("titre", "axe", "echeance"):
            return []  # annexes 3 and 4, which the avenant replaces
        noun = w.DATE if field == "echeance" else w.WORDS
        text = w.replace(noun, w.value_words(old), w.value_words(new))
        return [(article, Point(text, where=f"À l'alinéa relatif à {label}"))]

    def comite(self, party: str, old: Any, new: Any) -> Found:
        """The comité's members by party, one alinéa each, designated where the composed
        contract prints them (its article and sub-heading, whatever the trame)."""
        contract = self.new if new is not MISSING else self.old
        who = md_escape(views.with_article(contract, party))
        removed = new is MISSING or not new
        what = f"l'alinéa relatif à {who}"
        alinea = self.quote(self.text_old if removed else self.text_new, f"suivi.comite.{party}",
                            what)  # fmt: skip
        where = part_where(alinea)
        if removed:
            return [(alinea.article, Point(capital(f"{what} est supprimé", where), where=where))]
        quoted = quoted_alineas([alinea_markdown(alinea)])
        text = f"{what} est remplacé par l'alinéa suivant :" if old is not MISSING and old else (
            "il est inséré un alinéa ainsi rédigé :")  # fmt: skip
        return [(alinea.article, Point(capital(text, where), quoted, where))]

    def prose(self, path: tuple, new: Any) -> Found:
        """Alinéas replaced whole by the new text, in guillemets."""
        head = str(path[0])
        key = (head, str(path[2])) if head == "etablissements" else tuple(map(str, path[:2]))
        part, what = w.PROSE.get(key, w.PROSE.get(key[:1], (1, "les alinéas")))
        if head == "clauses":
            part = {"litiges": 6, "revision": 7, "conventions_tripartites": 8}.get(
                str(path[1]), self.last
            )
        part = self.article_of(".".join(map(str, path[:3])), part)  # as the trame numbers it
        if head == "etablissements":
            contract = self.new if new is not MISSING else self.old
            what = what.format(of_essms=w.of_essms(contract, str(path[1])))
        what = what.replace("{manager}", manager_term(self.new).le)
        where, _, what = what.rpartition("», ")  # « Dans la partie « X », les alinéas … »
        where = where.rstrip().replace("« ", "«\u00a0") + "\u00a0»" if where else ""  # fmt.quoted
        where, rank = (where[:1].upper() + where[1:], 6) if where else ("", 5)
        rank = 1 if head == "gestionnaire" else rank  # the alinéas opening article 1er
        old = get(self.before, path)
        if what.startswith("les alinéas ") and _alineas(old) == 1:
            what = "l'alinéa " + what.removeprefix("les alinéas ").replace("relatifs ", "relatif ")
        what = what if where else what[:1].upper() + what[1:]
        plural = what.lower().startswith("les ")
        stipulations = what.lower().startswith("les stipulations")  # feminine
        if new is MISSING or not str(new).strip():
            gone = "sont supprimées" if stipulations else "sont supprimés" if plural else (
                "est supprimé")  # fmt: skip
            return [(part, Point(f"{what} {gone}", where=where, rank=rank))]
        if stipulations:
            verb = "sont remplacées par les stipulations suivantes"
        else:
            verb = "sont remplacés par" if plural else "est remplacé par"
            verb += " l'alinéa suivant" if _alineas(new) == 1 else " les alinéas suivants"
        said = f"{what} {verb} :"
        return [(part, Point(said, w.quoted_text(fmt.prose(str(new))), where, rank))]

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


def _alineas(text: Any) -> int:
    """How many alinéas a text field prints (its paragraphs, split by blank lines)."""
    if text is MISSING or not isinstance(text, str):
        return 0
    return len([p for p in text.split("\n\n") if p.strip()])
