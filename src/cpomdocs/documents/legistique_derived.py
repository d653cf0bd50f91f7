"""The figures of the contract's body that follow from an avenant's changes, restated once each:
the places of the perimeter, article 4's financing by financeur and the sentences under it, the
dates of the article on the duration and the prorogations added to it. Tables and sentences are
compared as the contract composes them (`documents.contract_text`)."""

from __future__ import annotations

import re

from cpomdocs import fmt
from cpomdocs.data.model_terms import add_months
from cpomdocs.documents import contract_views as views
from cpomdocs.documents import wording as w
from cpomdocs.documents.contract_text import (
    Alinea,
    ContractText,
    Place,
    alinea_markdown,
    plain_text,
    table_markdown,
)
from cpomdocs.documents.points import (
    Found,
    Point,
    Versions,
    alinea_where,
    quoted_alineas,
    table_noun,
    table_where,
)
from cpomdocs.errors import RenderError
from cpomdocs.versions.sentences import split_sentences

_AMOUNT = re.compile(r"^−?[\d\u202f\u00a0 ]+(,\d+)?[\u00a0 ]€$")
_ORDINAL = ("première", "deuxième", "troisième", "quatrième", "cinquième")


def _finance(text: ContractText) -> Place | None:
    """Article 4's table of the financing by financeur (its cells are bound to « financement »)."""
    return next((p for p, _ in text.rows("financement")), None)


def _changed_words(old: str, new: str) -> tuple[str, str]:
    """The words that differ between two sentences (whole words, amounts kept whole)."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    start = max(old.rfind(" ", 0, start), new.rfind(" ", 0, start)) + 1
    stop_old, stop_new = len(old) - end, len(new) - end
    for_old, for_new = old.find(" ", stop_old), new.find(" ", stop_new)
    stop_old = len(old) if for_old < 0 else for_old
    stop_new = len(new) if for_new < 0 else for_new
    return old[start:stop_old].rstrip(".,;"), new[start:stop_new].rstrip(".,;")


class DerivedPoints(Versions):
    """The points restating what follows from the avenant's other changes."""

    def derived(self) -> Found:
        """Places of the perimeter, financing, duration: each restated where it is printed."""
        found: Found = []
        for finess, essms in self.new.etablissements.items():
            old = self.old.etablissements.get(finess)
            if old is None:
                continue
            before, after = views.total_places(old.capacites), views.total_places(essms.capacites)
            places = self.text_new.rows(f"etablissements.{finess}.places")
            if before != after and places:  # a trame may print no total
                place = places[0][0]
                row = f"à la ligne relative {w.to_essms(self.new, finess)}, "
                text = w.replace(w.NUMBER, str(before), str(after))
                text = text.replace("le nombre :", "le nombre de places autorisées :", 1)
                where = table_where(self.text_new, place)
                found.append((place.article, Point(row + text, where=where, rank=2)))
        found.extend(self.finance())
        found.extend(self.duration())
        return found

    def finance(self) -> Found:
        """Article 4's table of the financing by financeur, and the alinéa under it."""
        old, new = _finance(self.text_old), _finance(self.text_new)
        if old is None or new is None:
            return []
        # « Dans la partie « Financement » : a) le tableau … b) … qui suit ce tableau », or, when
        # the part holds other tables or none (a trame), the table named in each point
        noun = table_noun(self.text_new, new)
        alone = noun == f"le tableau {fmt.quoted(fmt.md_escape(new.part))}"
        where = f"Dans la partie {fmt.quoted(fmt.md_escape(new.part))}" if alone else ""
        the, this = ("le tableau", "ce tableau") if alone else (noun, noun)
        found: Found = []
        table = table_markdown(new.table)
        if table_markdown(old.table) != table:
            text = f"{the} est remplacé par le tableau suivant :"
            found.append((new.article, Point(text, table, where)))
        following = (self.text_old.following(old), self.text_new.following(new))
        found.extend(self.sentences(*following, where, new.article, this))
        cents = views.finance(self.new).cents or views.finance(self.old).cents
        totals = [
            fmt.amount(views.finance(c).investments_total, cents) for c in (self.old, self.new)
        ]
        held = self.text_new.alinea("financement.investissements")
        if totals[0] != totals[1] and held:  # where the trame prints it (else: annex 5 only)
            what = "le montant du plan d'investissement"
            found.extend(self.phrase(held.article, w.AMOUNT, *totals, what))
        return found

    def sentences(
        self, old: Alinea | None, new: Alinea | None, where: str, article: int, table: str
    ) -> Found:
        """The alinéa under the table, sentence by sentence: an amount replaced, a sentence
        replaced, or the alinéa replaced when its sentences do not pair."""
        if old is None or new is None or alinea_markdown(old) == alinea_markdown(new):
            return []
        before, after = (split_sentences(plain_text(a)) for a in (old, new))
        if len(before) != len(after) or len(before) > len(_ORDINAL):
            text = f"l'alinéa qui suit {table} est remplacé par l'alinéa suivant :"
            return [(article, Point(text, quoted_alineas([alinea_markdown(new)]), where))]
        found: Found = []
        for index, (a, b) in enumerate(zip(before, after, strict=True)):
            if a == b:
                continue
            sentence = f"la {_ORDINAL[index]} phrase de l'alinéa qui suit {table}"
            words = _changed_words(a, b)
            if all(_AMOUNT.match(x) for x in words):
                found.append((article, Point(f"à {sentence}, {w.replace(w.AMOUNT, *words)}",
                                             where=where)))  # fmt: skip
            else:
                text = f"{sentence} est remplacée par la phrase suivante :"
                found.append((article, Point(text, quoted_alineas([fmt.md_escape(b)]), where)))
        return found

    def duration(self) -> Found:
        """Article « La date d'entrée en vigueur … »: dates, duration, notice date, and the
        alinéas of the prorogations added, as the contract composes them."""
        last, old, new = self.last, self.old, self.new
        found: Found = []
        if not new.clauses.duree:
            first = [
                (w.DATE, fmt.date_fr(old.dates.effet), fmt.date_fr(new.dates.effet)),
                (w.WORDS, f"{old.duree_mois} mois", f"{new.duree_mois} mois"),
                (w.DATE, fmt.date_fr(old.dates.fin), fmt.date_fr(new.dates.fin)),
            ]
            notice = [fmt.date_fr(add_months(c.dates.fin, -6)) for c in (old, new)]
            first.append((w.DATE, *notice))
            what = "la durée du contrat et ses dates"
            try:
                for noun, a, b in first:
                    if a != b:
                        found.extend(self.phrase(last, noun, a, b, what))
            except RenderError:
                found = self.alineas_replaced(last)  # a trame's own words for the duration
        added = len(new.prorogations) - len(old.prorogations)  # printed last in the article
        after = [alinea_markdown(a) for a in self.text_new.alineas if a.article == last]
        for alinea in after[len(after) - added :] if added > 0 else []:
            text = "Il est ajouté un alinéa ainsi rédigé :"
            found.append((last, Point(text, quoted_alineas([alinea]))))
        return found

    def alineas_replaced(self, article: int) -> Found:
        """The alinéas of an article (under no sub-heading) whose composed text changed, each
        replaced whole by the trame's own words; an error when they do not pair one to one
        (the prorogations added, printed last, apart)."""
        before = [a for a in self.text_old.alineas if a.article == article]
        after = [a for a in self.text_new.alineas if a.article == article]
        after = after[
            : len(after) - max(0, len(self.new.prorogations) - len(self.old.prorogations))
        ]
        if len(before) != len(after) or any(a.part for a in [*before, *after]):
            raise RenderError(
                f"{self.label} : le modèle du contrat imprime la durée du contrat et ses dates "
                f"autrement que l'avenant ne sait les citer (article {article}) : l'avenant ne "
                "peut pas désigner les alinéas qui changent"
            )
        found: Found = []
        for old, new in zip(before, after, strict=True):
            if alinea_markdown(old) != alinea_markdown(new):
                which = alinea_where(self.text_new, new).removeprefix("Au ")
                text = f"le {which} est remplacé par l'alinéa suivant :"
                found.append((article, Point(text, quoted_alineas([alinea_markdown(new)]))))
        return found
