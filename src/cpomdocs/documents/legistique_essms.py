"""An avenant's points about an establishment or service (ESSMS): one that enters or leaves the
perimeter (its rows of every table of the contract, its alinéas of article 1er), a field of its
presentation, a capacity, a row of article 4's tables. Rows and alinéas are quoted from the
contract as composed (`documents.contract_text`), so that they are the contract's own words."""

from __future__ import annotations

from typing import Any

from cpomdocs.data.model import Contract
from cpomdocs.documents import wording as w
from cpomdocs.documents.contract_text import (
    ContractText,
    Place,
    alinea_markdown,
    table_markdown,
)
from cpomdocs.documents.points import (
    Found,
    Point,
    Versions,
    count_words,
    quoted_alineas,
    table_where,
)
from cpomdocs.errors import RenderError
from cpomdocs.versions.format import MISSING, plain


def _prefix(finess: str) -> str:
    return f"etablissements.{finess}"


def _lines(count: int) -> tuple[str, str]:
    """(« la ligne relative », « est supprimée ») agreed with the number of rows."""
    if count == 1:
        return "la ligne relative", "est supprimée"
    return "les lignes relatives", "sont supprimées"


class EssmsPoints(Versions):
    """The points about one ESSMS, drawn from its data and the contract's composed text."""

    def owner(self, text: ContractText, contract: Contract, place: Place, index: int) -> str:
        """The FINESS of the ESSMS a row of a table is about, "" when none."""
        row = place.table.rows[index]
        for finess, essms in contract.etablissements.items():
            if text.owns(row, _prefix(finess), essms.nom):
                return finess
        return ""

    def entering(self, finess: str) -> Found:
        """An ESSMS enters: its rows inserted in each table, its alinéas after its neighbour's."""
        text, contract, name = self.text_new, self.new, self.new.etablissements[finess].nom
        found: Found = []
        for place, rows in text.rows(_prefix(finess), name):
            above = self.owner(text, contract, place, rows[0] - 1) if rows[0] else ""
            below = rows[-1] + 1
            last = below >= len(place.table.rows)
            below_owner = "" if last else self.owner(text, contract, place, below)
            if above:
                rows_above = text.rows(_prefix(above), contract.etablissements[above].nom)
                near = next((r for p, r in rows_above if p is place), [0])
                at = f"après {_lines(len(near))[0]} {w.to_essms(contract, above)}, "
            elif below_owner:
                at = f"avant la ligne relative {w.to_essms(contract, below_owner)}, "
            else:
                at = ""
            inserted = count_words(len(rows), "une ligne ainsi rédigée", "lignes ainsi rédigées")
            point = Point(f"{at}il est inséré {inserted} :", table_markdown(place.table, rows))
            point.where, point.rank = table_where(text, place), 2 + text.places.index(place)
            found.append((place.article, point))
        found.extend(self.alineas_entering(finess))
        return [*self.count(), *found]

    def alineas_entering(self, finess: str) -> Found:
        """Its alinéas of article 1er, after those of the ESSMS before it in the contract."""
        text, contract = self.text_new, self.new
        alineas = text.alineas_of(_prefix(finess))
        if not alineas:
            return []
        keys = list(contract.etablissements)
        index = keys.index(finess)
        if index:
            previous = keys[index - 1]
            if len(text.alineas_of(_prefix(previous))) == 1:
                at = f"Après l'alinéa présentant {w.essms_the(contract, previous)}, il"
            else:
                at = f"Après les alinéas relatifs {w.to_essms(contract, previous)}, il"
        elif len(keys) > 1:
            at = f"Avant l'alinéa présentant {w.essms_the(contract, keys[1])}, il"
        else:
            at = "Il"
        inserted = count_words(len(alineas), "un alinéa ainsi rédigé", "alinéas ainsi rédigés")
        content = quoted_alineas([alinea_markdown(a) for a in alineas])
        return [(alineas[0].article, Point(f"{at} est inséré {inserted} :", content))]

    def leaving(self, finess: str) -> Found:
        """An ESSMS leaves: its rows of each table and its alinéas of article 1er are deleted."""
        text, contract = self.text_old, self.old
        name = contract.etablissements[finess].nom
        found: Found = self.count()
        for place, rows in text.rows(_prefix(finess), name):
            lines, deleted = _lines(len(rows))
            point = Point(f"{lines} {w.to_essms(contract, finess)} {deleted}")
            point.where, point.rank = table_where(text, place), 2 + text.places.index(place)
            found.append((place.article, point))
        alineas = text.alineas_of(_prefix(finess))
        if alineas:
            rest = len(alineas) - 1
            follows = {0: "", 1: " et l'alinéa qui le suit"}.get(
                rest, f" et les {count_words(rest, '', 'alinéas')} qui le suivent"
            )
            verb = "sont supprimés" if rest else "est supprimé"
            text_ = f"L'alinéa présentant {w.essms_the(contract, finess)}{follows} {verb}"
            found.append((alineas[0].article, Point(text_)))
        return found

    def count(self) -> Found:
        """« Le présent contrat couvre quatre établissements et services » restated, where
        printed."""
        what = "le nombre d'établissements et services"
        counts = [len(c.etablissements) for c in (self.old, self.new)]
        # A trame copied before review17 prints « deux établissements et services » whatever
        # their kind: its longer words first, as « deux établissements » is found inside them.
        before = tuple(w.counted(n, "établissement ou service", "établissements et services")
                       for n in counts)  # fmt: skip
        words = tuple(map(w.essms_counted, (self.old, self.new)))  # as contrat.md.j2 prints it
        if before != words:
            try:
                return self._ranked(self.phrase(1, w.WORDS, *before, what))
            except RenderError:
                pass
        return self._ranked(self.phrase(1, w.WORDS, *words, what))

    @staticmethod
    def _ranked(found: Found) -> Found:
        """The count's point first in its article."""
        for _, point in found:
            point.rank = 1
        return found

    def rows_replaced(self, finess: str) -> Found:
        """Its rows of a table whose text changed (GMP, PMP, activity sheet…), replaced whole."""
        name = self.new.etablissements[finess].nom
        before = {
            (p.article, p.part, p.rank): table_markdown(p.table, rows)
            for p, rows in self.text_old.rows(_prefix(finess), self.old.etablissements[finess].nom)
        }
        found: Found = []
        for place, rows in self.text_new.rows(_prefix(finess), name):
            shown = table_markdown(place.table, rows)
            if before.get((place.article, place.part, place.rank)) == shown:
                continue
            lines = _lines(len(rows))[0]
            verb = "est remplacée par la ligne suivante" if len(rows) == 1 else (
                "sont remplacées par les lignes suivantes")  # fmt: skip
            point = Point(f"{lines} {w.to_essms(self.new, finess)} {verb} :", shown)
            point.where, point.rank = (
                table_where(self.text_new, place),
                2 + self.text_new.places.index(place),
            )
            found.append((place.article, point))
        return found

    def presentation(self, finess: str, field: str) -> Found:
        """A piece of the alinéa presenting the ESSMS (authorisation, tariff, publics): its
        words replaced when the contract prints them as such, else the alinéa replaced whole."""
        part, where, _ = w.ESSMS_FIELDS[field]
        essms = w.essms_the(self.new, finess)
        prefix = f"{_prefix(finess)}.autorisation"
        alineas = [
            self.quote(t, prefix, f"l'alinéa présentant {essms}")
            for t in (self.text_old, self.text_new)
        ]
        printed = [alinea_markdown(a) for a in alineas]
        part = alineas[1].article or part  # the article the trame prints it in
        before = w.essms_sentences(self.old.etablissements[finess])
        after = w.essms_sentences(self.new.etablissements[finess])
        pieces = [(a, b, noun) for (a, noun), (b, _) in zip(before, after, strict=False) if a != b]
        plain_old, plain_new = (_plain(self.text_old, prefix), _plain(self.text_new, prefix))
        if len(before) != len(after) or not all(
            a in plain_old and b in plain_new for a, b, _ in pieces
        ):
            text = f"L'alinéa présentant {essms} est remplacé par l'alinéa suivant :"
            return [(part, Point(text, quoted_alineas([printed[1]])))]
        where = where.format(essms=essms, of_essms=w.of_essms(self.new, finess))
        return [(part, Point(w.change(noun, a, b), where=where)) for a, b, noun in pieces]

    def capacity(self, finess: str, mode: str, old: Any, new: Any) -> Found:
        """A row of article 4's table « Activité et capacités »; none when the contract prints
        the capacity in no table (annex 1, which the avenant replaces, carries it)."""
        contract = self.new if new is not MISSING else self.old
        text = self.text_new if new is not MISSING and new else self.text_old
        prefix = f"{_prefix(finess)}.capacites.{mode}"
        found = text.rows(prefix)
        if not found:
            return []
        place, rows = found[0]
        where = table_where(text, place)
        row = f"la ligne relative {_to(w.capacity_label(mode))} {w.of_essms(contract, finess)}"
        if new is MISSING or not new:
            return [(place.article, Point(f"{row} est supprimée", where=where))]
        if old is MISSING or not old:
            at = self.row_above(place, rows[0], finess) if rows[0] else ""
            content = table_markdown(place.table, rows)
            return [
                (
                    place.article,
                    Point(f"{at}il est inséré une ligne ainsi rédigée :", content, where),
                )
            ]
        parts = [
            w.replace(w.NUMBER, str(old.get(k) or "–"), str(new.get(k) or "–")).replace(
                "le nombre :", f"le nombre de places {name} :", 1
            )
            for k, name in (("autorisees", "autorisées"), ("installees", "installées"))
            if old.get(k) != new.get(k)
        ]
        return [(place.article, Point(f"à {row}, " + " et ".join(parts), where=where))]

    def row_above(self, place: Place, index: int, finess: str) -> str:
        """« après la ligne relative à l'hébergement temporaire de l'EHPAD X, »: the row of the
        table (after the avenant) above a row inserted for an ESSMS already in the contract."""
        above = place.table.rows[index - 1]
        prefix = f"{_prefix(finess)}.capacites."
        for path in (p.lstrip("=") for cell in above for run in cell for p in [run.path] if p):
            if path.startswith(prefix):
                label = w.capacity_label(path[len(prefix) :].split(".")[0])
                return f"après la ligne relative {_to(label)} {w.of_essms(self.new, finess)}, "
        owner = self.owner(self.text_new, self.new, place, index - 1)
        return f"après les lignes relatives {w.to_essms(self.new, owner)}, " if owner else ""

    def field_words(self, finess: str, field: str, old: Any, new: Any) -> Found:
        """A field printed as words of a row or of the whole contract (name, address…)."""
        part, where, noun = w.ESSMS_FIELDS[field]
        contract = self.new if new is not MISSING else self.old
        where = where.format(essms=w.essms_the(contract, finess), of_essms="")
        shown = plain if isinstance(old, dict) or isinstance(new, dict) else w.value_words
        return [(part, Point(w.replace(noun, shown(old), shown(new)), where=where))]


def _plain(text: ContractText, prefix: str) -> str:
    alinea = text.alinea(prefix)
    return "".join(r.text for b in alinea.blocks for r in getattr(b, "runs", [])) if alinea else ""


def _to(label: str) -> str:
    """« à l'hébergement permanent », « au PASA »."""
    if label[:1] in "aeiouyéèêh":
        return f"à l'{label}"
    return f"au {label}" if label.isupper() else f"à la {label}"
