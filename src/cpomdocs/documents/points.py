"""The points of an avenant, and the two versions of the contract they are drawn from: its data
and its composed text, before and after the avenant."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from cpomdocs import fmt
from cpomdocs.data.model import Contract
from cpomdocs.documents import contract_views as views
from cpomdocs.documents import wording as w
from cpomdocs.documents.blocks import Paragraph
from cpomdocs.documents.contract_text import (
    Alinea,
    ContractText,
    Place,
    alinea_markdown,
    bound,
    plain_text,
)
from cpomdocs.errors import RenderError
from cpomdocs.fmt import MarkdownText
from cpomdocs.versions.format import MISSING

_ORDINALS = ("premier", "deuxième", "troisième", "quatrième", "cinquième", "sixième", "septième")
# Tables named otherwise than by the heading of their part (as the signed examples name them).
_TABLES = {
    "Périmètre du CPOM et présentation des établissements et services couverts par le CPOM": (
        "le tableau du périmètre du contrat"
    ),
}
_COUNTS = {2: "deux", 3: "trois", 4: "quatre", 5: "cinq", 6: "six", 7: "sept", 8: "huit"}


@dataclass
class Point:
    """One numbered point (« 1° … ; »); `content` is Markdown inserted whole after it."""

    text: str
    content: str = ""
    where: str = ""  # « Au tableau « Activité et capacités » »: points sharing it are grouped
    rank: int = 5  # the order of the contract inside an article: 1 its first alinéas, 2 a table


Found = list[tuple[Any, Point]]  # (article number or preamble part, point)


def get(data: Any, path: tuple) -> Any:
    """The value at `path` of plain data, or MISSING."""
    for step in path:
        if not isinstance(data, dict) or str(step) not in {str(k) for k in data}:
            return MISSING
        data = next(v for k, v in data.items() if str(k) == str(step))
    return data


def count_words(count: int, one: str, many: str) -> str:
    """« une ligne », « deux lignes », « 12 lignes »."""
    return one if count == 1 else f"{_COUNTS.get(count, str(count))} {many}"


def _spaced(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def holding(text: ContractText, article: int, words: str) -> list[Alinea]:
    """The alinéas of `article` that print `words` (spaces of any kind alike)."""
    words = _spaced(words)
    return [a for a in text.alineas if a.article == article and words in _spaced(plain_text(a))]


def alinea_where(text: ContractText, alinea: Alinea) -> str:
    """« Dans la partie « Présentation du gestionnaire » », or « Au deuxième alinéa » for an
    alinéa of the article under no sub-heading (counted as the composed article prints them)."""
    if alinea.part:
        return f"Dans la partie {fmt.quoted(fmt.md_escape(alinea.part))}"
    rank = [a for a in text.alineas if a.article == alinea.article].index(alinea)
    return f"Au {_ORDINALS[rank] if rank < len(_ORDINALS) else f'{rank + 1}e'} alinéa"


def part_where(alinea: Alinea) -> str:
    """« Dans la partie « La composition du comité de suivi » », or "" for an alinéa under no
    sub-heading (its point is then read under the article's own heading)."""
    return f"Dans la partie {fmt.quoted(fmt.md_escape(alinea.part))}" if alinea.part else ""


def capital(text: str, where: str) -> str:
    """A point's text, capitalised when nothing (« Dans la partie … , ») precedes it."""
    return text if where else text[:1].upper() + text[1:]


def table_noun(text: ContractText, place: Place) -> str:
    """How the avenant names a table of the contract: « le tableau « Activité et capacités » »,
    « le deuxième tableau de la partie « … » », or, for a table under no sub-heading (a trame
    without one), by its rank among the tables of its article: « le tableau de l'article 4 »."""
    if place.part:
        if place.part in _TABLES:
            return _TABLES[place.part]
        same = [p for p in text.places if (p.article, p.part) == (place.article, place.part)]
        where = fmt.quoted(fmt.md_escape(place.part))
    else:
        same = [p for p in text.places if p.article == place.article]
        if not place.article:
            raise RenderError(
                "le modèle du contrat imprime un tableau hors de tout article et sans intertitre : "
                "l'avenant ne peut pas le désigner ; placez-le dans un article ou sous un "
                "intertitre (###)"
            )
    if place.part and len(same) == 1:
        return f"le tableau {where}"
    of = (
        f"de la partie {where}"
        if place.part
        else f"de l'article {fmt.ordinal_article(place.article)}"
    )
    if len(same) == 1:
        return f"le tableau {of}"
    rank = same.index(place)
    ordinal = _ORDINALS[rank] if rank < len(_ORDINALS) else f"{rank + 1}e"
    return f"le {ordinal} tableau {of}"


def table_where(text: ContractText, place: Place) -> str:
    """« Au tableau « Activité et capacités » », « Au premier tableau de l'article 4 »."""
    return "Au " + table_noun(text, place).removeprefix("le ")


def quoted_alineas(alineas: list[str]) -> MarkdownText:
    """Alinéas inserted whole: each opens with « and the last one closes with »."""
    texts = [a.strip() for a in alineas if a.strip()]
    if not texts:
        return MarkdownText("")
    texts[-1] += "\u00a0»"
    return MarkdownText("\n\n".join(f"«\u00a0{text}" for text in texts))


class Versions:
    """The contract before and after the avenant: data, models and composed text."""

    def __init__(
        self,
        before: dict[str, Any],
        after: dict[str, Any],
        old: Contract,
        new: Contract,
        texts: tuple[ContractText, ContractText],
        label: str = "avenant",
    ) -> None:
        self.before, self.after, self.old, self.new = before, after, old, new
        self.text_old, self.text_new = texts
        self.label = label

    @cached_property
    def last(self) -> int:
        """The article on the duration, as the trame numbers it."""
        default = 9 if views.is_ehpad(self.new) else 8
        return self.article_of("duree_mois", self.article_of("clauses.duree", default))

    def article_of(self, prefix: str, default: Any) -> Any:
        """The article whose alinéas show the data at `prefix` in the contract after the
        avenant (before it, for a value it removes): never a number fixed in Python where the
        trame numbers otherwise; `default` when the trame prints it in no article."""
        for text in (self.text_new, self.text_old):
            for alinea in text.alineas:
                shown = (
                    bound(b.runs, prefix) or b.path == prefix or b.path.startswith(prefix + ".")
                    for b in alinea.blocks
                    if isinstance(b, Paragraph)
                )
                if alinea.article and any(shown):
                    return alinea.article
        return default

    def quote(self, text: ContractText, prefix: str, what: str) -> Alinea:
        """The alinéa of the composed contract showing `prefix`, or a clear error: an avenant
        never quotes a text that the contract does not print."""
        found = text.alinea(prefix)
        if found is None:
            raise RenderError(
                f"{self.label} : le modèle du contrat n'imprime pas {what} lié à la donnée "
                f"« {prefix} » (filtre at) : l'avenant ne peut pas le citer"
            )
        return found

    def phrase(self, article: int, noun: w.Noun, old: str, new: str, what: str) -> Found:
        """« Au premier alinéa, les mots : « a » sont remplacés par les mots : « b » », where the
        contract before the avenant prints « a » and the contract after it prints « b » at the
        same place (one point per place); a clear error when the trame does not print them so:
        never a quote of words the contract does not hold."""
        before = [alinea_where(self.text_old, a) for a in holding(self.text_old, article, old)]
        after = [alinea_where(self.text_new, a) for a in holding(self.text_new, article, new)]
        places = [where for where in dict.fromkeys(before) if where in after]
        if not places:
            number = fmt.ordinal_article(article)
            raise RenderError(
                f"{self.label} : le modèle du contrat n'imprime pas {what} comme l'avenant le "
                f"cite (« {old} », puis « {new} », au même endroit de l'article {number}) : "
                "l'avenant ne peut pas le citer sans risque d'erreur ; gardez dans la trame la "
                "phrase du modèle par défaut"
            )
        return [(article, Point(w.replace(noun, old, new), where=where)) for where in places]

    def quoted(self, text: ContractText, prefix: str, what: str) -> MarkdownText:
        """The Markdown of `quote`, in guillemets."""
        return quoted_alineas([alinea_markdown(self.quote(text, prefix, what))])
