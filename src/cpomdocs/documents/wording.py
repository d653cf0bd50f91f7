"""The words of the contract an avenant amends: where each kind of field is printed (article,
part, alinéa, table row) and the noun légistique uses for it (« les mots », « la date »,
« le nombre »), so that a change is told as « À l'alinéa présentant l'EHPAD X, la date :
« 3 janvier 2017 » est remplacée par la date : « 15 septembre 2025 » », never by a field name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from num2words import num2words

from cpomdocs import fmt
from cpomdocs.data.identifiers import CATEGORIES, SERVICE_CATEGORIES
from cpomdocs.data.model import Contract, Establishment
from cpomdocs.data.model_parties import Authorisation
from cpomdocs.fmt import MarkdownText, md_escape


@dataclass(frozen=True)
class Noun:
    """How légistique names a piece of text: « les mots » (plural), « la date » (feminine)."""

    name: str
    feminine: bool = False
    plural: bool = False

    def done(self, verb: str) -> str:
        """« remplacé » agreed with the noun: « remplacée », « remplacés »."""
        return verb + ("e" if self.feminine else "") + ("s" if self.plural else "")

    def be(self) -> str:
        return "sont" if self.plural else "est"


WORDS = Noun("les mots", plural=True)
DATE = Noun("la date", feminine=True)
NUMBER = Noun("le nombre")
AMOUNT = Noun("le montant")
RATE = Noun("le taux")
SENTENCE = Noun("la phrase", feminine=True)

# An establishment's fields told by their words, by the place of the contract that prints them:
# article 1er's alinéa presenting it (« L'EHPAD X … est autorisé par … du … »), or its name
# everywhere. Those printed in rows of tables (category, commune, GMP, activity…) are told by
# their rows (legistique_essms); the others are printed in annex 1 only, which is replaced.
ESSMS_FIELDS: dict[str, tuple[int, str, Noun]] = {
    "autorisation": (1, "À l'alinéa présentant {essms}", WORDS),
    "tarification": (1, "À l'alinéa présentant {essms}", WORDS),
    "option_tarifaire": (1, "À l'alinéa présentant {essms}", WORDS),
    "publics": (1, "À l'alinéa présentant {essms}", WORDS),
    "nom": (1, "Dans l'ensemble du contrat", WORDS),
}
# Text fields printed as their own alinéas: (article, what the alinéas are).
PROSE = {
    ("etablissements", "activites"): (1, "l'alinéa décrivant les activités {of_essms}"),
    ("etablissements", "projets"): (1, "l'alinéa « Projets de restructuration » {of_essms}"),
    ("diagnostic", "synthese"): (2, "les alinéas exposant la synthèse du diagnostic partagé"),
    ("gestionnaire", "presentation"): (1, "les alinéas présentant {manager}"),
    ("preambule",): ("preambule", "les alinéas du préambule"),
    ("financement", "evolution"): (
        4,
        "dans la partie « Financement », les alinéas relatifs à l'évolution des financements",
    ),
    ("financement", "eprd_pgfp"): (
        4,
        "les alinéas de la partie relative à l'EPRD, à l'ERRD et au plan global de financement "
        "pluriannuel",
    ),
    ("clauses",): (None, "les stipulations de l'article"),
}


def replace(noun: Noun, old: str, new: str) -> str:
    """« la date : « a » est remplacée par la date : « b » », « les mots : « a » sont … »."""
    return (
        f"{noun.name} : {fmt.quoted(md_escape(old))} {noun.be()} {noun.done('remplacé')} par "
        f"{noun.name} : {fmt.quoted(md_escape(new))}"
    )


def change(noun: Noun, old: str, new: str) -> str:
    """`replace`, or « les mots : « a » sont complétés par les mots : « , modifié par … » »
    when the new words only add to the old ones (an act that modifies, not replaces)."""
    if not new.startswith(old) or new == old:
        return replace(noun, old, new)
    added = new[len(old) :]
    return (
        f"{noun.name} : {fmt.quoted(md_escape(old))} {noun.be()} {noun.done('complété')} par "
        f"{WORDS.name} : {fmt.quoted(md_escape(added))}"
    )


def quoted_text(markdown: str) -> MarkdownText:
    """A text inserted whole, in guillemets as légistique quotes it: « first … last »."""
    text = markdown.strip()
    return MarkdownText(f"«{fmt.NBSP}{text}{fmt.NBSP}»" if text else text)


def of_essms(contract: Contract, finess: str) -> str:
    """« de l'EHPAD Les Vignes »."""
    essms = contract.etablissements.get(finess)
    return md_escape(fmt.of(essms.nom if essms else f"ESSMS {finess}"))


def essms_the(contract: Contract, finess: str) -> str:
    """« l'EHPAD Les Vignes », « le SESSAD X », « la MAS Y »."""
    return _swap(of_essms(contract, finess), ("le ", "les ", "la ", "l'"))


def to_essms(contract: Contract, finess: str) -> str:
    """« à l'EHPAD Les Vignes », « au SESSAD X », « à la MAS Y » (after « relative »)."""
    return _swap(of_essms(contract, finess), ("au ", "aux ", "à la ", "à l'"), "à ")


def _swap(text: str, articles: tuple[str, ...], bare: str = "") -> str:
    """« du X » → articles[0] + X, « des », « de la », « de l' » likewise; « de X » → bare X."""
    for prefix, article in zip(("du ", "des ", "de la ", "de l'"), articles, strict=True):
        if text.startswith(prefix):
            return article + text[len(prefix) :]
    return bare + text[3:] if text.startswith("de ") else text


_OBJECT = re.compile(r"^(.*?\S)\s*\(([^()]+)\)\s*$", re.S)


def act_parts(reference: str | None) -> tuple[str, str]:
    """An act's reference and the object in parentheses that may end it: « arrêté n° X
    (extension de 10 places) » is printed « arrêté n° X du 2 octobre 2026 (extension …) »,
    never with the parenthesis between the number and the date."""
    found = _OBJECT.match(reference or "")
    if found:
        return found.group(1), f" ({found.group(2)})"
    return reference or "arrêté", ""


def with_article(act: str) -> str:
    """« l'arrêté n° X », « la décision n° Y »: an act named as a definite one."""
    if act[:1].lower() in "aeiouyéèêàâîôh":
        return "l'" + act
    return (
        "la " if act.lower().startswith(("décision", "convention", "délibération")) else "le "
    ) + act


def amended(auth: Authorisation) -> str:
    """The acts that modified an authorisation without replacing it: « , modifié par l'arrêté
    n° Y du 2 octobre 2026 (extension de 10 places) » (the original act and échéance stay)."""
    if not auth.modifications:
        return ""
    acts = [
        f"{with_article(m.acte)} du {fmt.date_fr(m.date)}" + (f" ({m.objet})" if m.objet else "")
        for m in auth.modifications
    ]
    feminine = act_parts(auth.reference)[0].lower().startswith(("décision", "convention"))
    return f", modifié{'e' if feminine else ''} par " + " puis par ".join(acts)


def authorised(essms: Establishment) -> str:
    """The words of article 1er that name the authorisation: « arrêté n° X du 3 janvier 2017 »,
    then the acts that modified it."""
    auth = essms.autorisation
    number, what = act_parts(auth.reference)
    return f"{number} du {fmt.date_fr(auth.date)}{what}{amended(auth)}"


def essms_sentences(essms: Establishment) -> list[tuple[str, Noun]]:
    """Article 1er's alinéa presenting an ESSMS, its variable pieces in the template's order."""
    auth = essms.autorisation
    pieces: list[tuple[str, Noun]] = [(authorised(essms), WORDS)]
    if auth.autorite:
        pieces.append((f"délivrée par {auth.autorite}", WORDS))
    if auth.renouvellement:
        pieces.append((fmt.date_fr(auth.renouvellement), DATE))
    if auth.echeance:
        pieces.append((fmt.date_fr(auth.echeance), DATE))
    tariff = essms.tarification.value + (
        f" ({essms.option_tarifaire})" if essms.option_tarifaire else ""
    )
    pieces.append((f"Mode de tarification : {tariff}", WORDS))
    if essms.publics:
        pieces.append((f"Publics accueillis : {essms.publics}", WORDS))
    return pieces


def value_words(value: Any) -> str:
    """A plain value as the contract prints it inside a sentence."""
    return fmt.date_fr(value) if hasattr(value, "isoformat") else str(value)


def capacity_label(mode: str) -> str:
    """« hébergement permanent », « PASA »: the title of a mode, as the table prints it."""
    from cpomdocs.data.model_parties import Capacities

    info = Capacities.model_fields.get(mode)
    text = (info.title if info and info.title else mode).replace("_", " ")
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


# The part of the contract that prints a top-level field told by its words.
_PARTS = {"gestionnaire": "parties", "autorites": "parties", "visas": "visas", "territoire": 1}


def part_of(head: str) -> Any:
    """The article (or preamble part) printing a top-level field; « mentions » by default."""
    return _PARTS.get(head, 5 if head == "suivi" else "mentions")


def counted(count: int, singular: str, plural_form: str | None = None) -> str:
    """A count as a contract writes it, in letters below 100: « sept objectifs », « un
    établissement ou service », « trois exemplaires originaux »."""
    if count == 1:
        words = "un"
    elif 0 <= count < 100:
        words = num2words(count, lang="fr")
    else:
        words = fmt.number(count)
    return f"{words} {singular if count <= 1 else (plural_form or singular + 's')}"


def essms_counted(contract: Contract) -> str:
    """The ESSMS a contract covers, counted as its article 1er says it: « un établissement »
    (one EHPAD), « deux établissements » (two CHRS), « un service » (one SSIAD), « quatre
    établissements et services » (a mix, or a category this list does not know)."""
    codes = {e.categorie.code for e in contract.etablissements.values()}
    count = len(contract.etablissements)
    if codes and codes <= SERVICE_CATEGORIES:
        return counted(count, "service")
    if codes and codes <= CATEGORIES.keys() - SERVICE_CATEGORIES:
        return counted(count, "établissement")
    return counted(count, "établissement ou service", "établissements et services")
