"""The words of the contract an avenant amends: where each kind of field is printed (article,
part, alinéa, table row) and the noun légistique uses for it (« les mots », « la date »,
« le nombre »), so that a change is told as « À l'alinéa présentant l'EHPAD X, la date :
« 3 janvier 2017 » est remplacée par la date : « 15 septembre 2025 » », never by a field name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cpomdocs import fmt
from cpomdocs.data.model import Contract, Establishment
from cpomdocs.documents import contract_views as views
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

# An establishment's fields, by the place of the contract that prints them: article 1er's
# alinéa presenting it (« L'EHPAD X … est autorisé par … du … »), its table of the perimeter,
# article 4's tables. A field absent from this table is printed in annex 1 only: the
# replaced annex carries its change (places habilitées, SIRET, address, staff…).
ESSMS_FIELDS: dict[str, tuple[int, str, Noun]] = {
    "autorisation": (1, "À l'alinéa présentant {essms}", WORDS),
    "tarification": (1, "À l'alinéa présentant {essms}", WORDS),
    "option_tarifaire": (1, "À l'alinéa présentant {essms}", WORDS),
    "publics": (1, "À l'alinéa présentant {essms}", WORDS),
    "nom": (1, "Dans l'ensemble du contrat", WORDS),
    "categorie": (1, "Au tableau du périmètre du contrat, à la ligne relative à {essms}", WORDS),
    "adresse": (1, "Au tableau du périmètre du contrat, à la ligne relative à {essms}", WORDS),
    "ehpad": (
        4,
        "Aux tableaux de la partie « Dépendance et besoins en soins des résidents », à la ligne "
        "relative à {essms}",
        WORDS,
    ),
    "activite": (
        4,
        "Au tableau « Activité de chaque établissement ou service », à la ligne relative à {essms}",
        WORDS,
    ),
}
# Text fields printed as their own alinéas: (article, what the alinéas are).
PROSE = {
    ("etablissements", "activites"): (1, "l'alinéa décrivant les activités {of_essms}"),
    ("etablissements", "projets"): (1, "l'alinéa « Projets de restructuration » {of_essms}"),
    ("diagnostic", "synthese"): (2, "les alinéas exposant la synthèse du diagnostic partagé"),
    ("preambule",): ("preambule", "les alinéas du préambule"),
    ("financement", "evolution"): (
        4,
        "dans la partie « Financement », les alinéas qui suivent le montant prévisionnel des "
        "financements",
    ),
    ("financement", "eprd_pgfp"): (
        4,
        "les alinéas de la partie relative à l'EPRD, à l'ERRD et au plan global de financement "
        "pluriannuel",
    ),
    ("clauses",): (None, "les stipulations de l'article"),
}
COMITE = "Dans la partie « La composition du comité de suivi »"
FINANCE = "Dans la partie « Financement »"
CAPACITIES = "Au tableau « Activité et capacités »"
PERIMETER = "Au tableau du périmètre du contrat"


def replace(noun: Noun, old: str, new: str) -> str:
    """« la date : « a » est remplacée par la date : « b » », « les mots : « a » sont … »."""
    return (
        f"{noun.name} : {fmt.quoted(md_escape(old))} {noun.be()} {noun.done('remplacé')} par "
        f"{noun.name} : {fmt.quoted(md_escape(new))}"
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


def authorised(essms: Establishment) -> str:
    """The words of article 1er that name the authorisation: « arrêté n° X du 3 janvier 2017 »."""
    auth = essms.autorisation
    return f"{auth.reference or 'arrêté'} du {fmt.date_fr(auth.date)}"


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


def essms_alinea(finess: str, essms: Establishment) -> str:
    """The whole alinéa of article 1er presenting an ESSMS (as the contract template writes it)."""
    auth = essms.autorisation
    text = f"{fmt.article(essms.nom)}{essms.nom} (FINESS ET {fmt.finess(finess)}) est autorisé"
    text += "e" if fmt.feminine(essms.nom) else ""
    text += f" par {authorised(essms)}."
    if auth.autorite:
        text += f" L'autorisation a été délivrée par {auth.autorite}"
        text += (
            f" et renouvelée le {fmt.date_fr(auth.renouvellement)}." if auth.renouvellement else "."
        )
    elif auth.renouvellement:
        text += f" L'autorisation a été renouvelée le {fmt.date_fr(auth.renouvellement)}."
    if auth.echeance:
        text += f" Elle court jusqu'au {fmt.date_fr(auth.echeance)}."
    text += f" Mode de tarification : {essms.tarification.value}"
    text += f" ({essms.option_tarifaire})." if essms.option_tarifaire else "."
    if essms.publics:
        text += f" Publics accueillis : {essms.publics}."
    return md_escape(text)


def perimeter_row(finess: str, essms: Establishment) -> str:
    """A row of article 1er's table of the perimeter, as a one-row Markdown table."""
    cells = [
        fmt.finess(finess),
        essms.nom,
        f"{essms.categorie.code} – {essms.categorie.libelle}",
        essms.adresse.commune,
        str(views.total_places(essms.capacites)),
    ]
    head = ["FINESS ET", "Établissement ou service", "Catégorie", "Commune", "Places autorisées"]
    return _table(head, [[md_escape(c) for c in cells]], numeric=1)


def capacity_table(essms: Establishment) -> str:
    """The rows of article 4's table « Activité et capacités » for one ESSMS."""
    rows = [
        [md_escape(essms.nom), mode, str(authorised), "–" if installed is None else str(installed)]
        for mode, authorised, installed in views.capacity_rows(essms.capacites)
    ]
    head = ["Établissement ou service", "Mode d'accueil", "Places autorisées", "Places installées"]
    return _table(head, rows, numeric=2)


def finance_table(finance: views.Finance, cents: bool) -> str:
    """Article 4's table of the financing by financeur and by year, as the contract prints it."""
    head = ["Financeur", *(str(y) for y in finance.years), "Total"]
    rows = [
        [md_escape(name), *(fmt.amount(amounts.get(y, 0), cents) for y in finance.years)]
        + [fmt.amount(sum(amounts.values()), cents)]
        for name, amounts in finance.per_financeur.items()
    ]
    rows.append(
        ["**Total**", *(f"**{fmt.amount(finance.per_year[y], cents)}**" for y in finance.years)]
        + [f"**{fmt.amount(finance.total, cents)}**"]
    )
    return _table(head, rows, numeric=len(head) - 1)


def finance_first_sentence(finance: views.Finance, cents: bool) -> str:
    """« Pour l'année 2024, ces financements s'élèvent à 3 994 600 € (trois millions …). »"""
    year = finance.years[0]
    value = finance.per_year[year]
    return (
        f"Pour l'année {year}, ces financements s'élèvent à {fmt.amount(value, cents)} "
        f"({fmt.euros_in_words(value)})."
    )


def comite_alinea(contract: Contract, party: str) -> str:
    """« pour l'ARS : a ; b », an item of article 5's list of the comité de suivi."""
    members = " ; ".join(m.qualite for m in contract.suivi.comite.get(party, []))
    return md_escape(f"pour {views.with_article(contract, party)} : {members}")


def objective_alinea(oid: str, contract: Contract) -> str:
    """« Objectif 9 – titre (axe : … ; échéance : …) », an item of article 3's list."""
    o = contract.objectifs[oid]
    return md_escape(
        f"Objectif {views.objective_number(oid)} – {o.titre} (axe : {o.axe} ; échéance : "
        f"{fmt.date_fr(o.echeance)})"
    )


def _table(head: list[str], rows: list[list[str]], numeric: int = 0) -> MarkdownText:
    """A Markdown table, its last `numeric` columns aligned right (as the contract's)."""

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    align = [":--"] * (len(head) - numeric) + ["--:"] * numeric
    return MarkdownText("\n".join([line(head), "|" + "|".join(align) + "|", *map(line, rows)]))


def value_words(value: Any) -> str:
    """A plain value as the contract prints it inside a sentence."""
    return fmt.date_fr(value) if hasattr(value, "isoformat") else str(value)


def capacity_label(mode: str) -> str:
    """« hébergement permanent », « PASA »: the title of a mode, as the table prints it."""
    from cpomdocs.data.model import Capacities

    info = Capacities.model_fields.get(mode)
    text = (info.title if info and info.title else mode).replace("_", " ")
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


# The part of the contract that prints a top-level field told by its words.
_PARTS = {"gestionnaire": "parties", "autorites": "parties", "visas": "visas", "territoire": 1}


def part_of(head: str) -> Any:
    """The article (or preamble part) printing a top-level field; « mentions » by default."""
    return _PARTS.get(head, 5 if head == "suivi" else "mentions")


def prorogation_alinea(prorogation: Any) -> str:
    """« Par décision du 15 juin 2029, le contrat est prorogé de 12 mois (motif). »"""
    text = (
        f"Par décision du {fmt.date_fr(prorogation.decision)}, le contrat est prorogé de "
        f"{prorogation.duree_mois} mois"
    )
    return md_escape(text + (f" ({prorogation.motif})." if prorogation.motif else "."))
