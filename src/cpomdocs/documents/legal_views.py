"""What the templates need from the law of each sector: visas, annexes, tariff and activity rows."""

from __future__ import annotations

from dataclasses import dataclass

from cpomdocs import fmt
from cpomdocs.data.legal import visas
from cpomdocs.data.model import Contract, LegalBasis
from cpomdocs.data.model_law import ResultAllocation
from cpomdocs.data.model_terms import PartyKind

EHPAD_CATEGORY = "500"
# « Documents à produire » that every contract names, with the words that show a contract's
# own list already holds them.
REQUIRED_DOCUMENTS = [
    (("évaluation",), "les rapports d'évaluation de la qualité de chaque établissement ou "
     "service et les plans d'action qui en découlent (article L.312-8 du code de l'action "
     "sociale et des familles)"),
    (("objectifs", "indicateurs"), "chaque année, le bilan de la réalisation des objectifs du "
     "contrat, avec le tableau de suivi de ses indicateurs"),
    (("rapport final", "bilan final"), "la dernière année du contrat, un rapport final "
     "d'exécution du contrat, qui prépare la négociation du contrat suivant"),
]  # fmt: skip
EXTRA_ANNEXES = {
    "habilitation": ("Habilitation à l'aide sociale", "annexe-habilitation.md.j2"),
    "siege": ("Frais de siège", "annexe-frais-de-siege.md.j2"),
}


@dataclass
class AnnexEntry:
    """One annex of the contract: its number, title and template."""

    number: int
    title: str
    template: str


def annexes(contract: Contract, fixed: list[tuple[int, str]], templates: dict[int, str]) -> list:
    """The opposable annexes: the seven of the model, then those that apply to this contract."""
    entries = [AnnexEntry(n, title, templates[n]) for n, title in fixed]
    wanted = []
    if any(e.habilitation_aide_sociale for e in contract.etablissements.values()):
        wanted.append("habilitation")
    if contract.gestionnaire.frais_de_siege:
        wanted.append("siege")
    for key in wanted:
        title, template = EXTRA_ANNEXES[key]
        entries.append(AnnexEntry(len(entries) + 1, title, template))
    return entries


def documents_to_produce(contract: Contract) -> list[str]:
    """The contract's own « Documents à produire », completed with those every contract needs."""
    own = list(contract.suivi.documents)
    text = " ".join(own).lower()
    return own + [doc for words, doc in REQUIRED_DOCUMENTS if not any(w in text for w in words)]


def conventions_title(contract: Contract) -> str:
    """Article 8's title as in the model, in the singular or plural of this contract's EHPAD."""
    count = sum(e.categorie.code == EHPAD_CATEGORY for e in contract.etablissements.values())
    if count == 1:
        return "La révision du terme de la convention tripartite pluriannuelle préexistante au CPOM"
    return "La révision du terme des conventions tripartites pluriannuelles préexistantes au CPOM"


def department(contract: Contract) -> str:
    """The id of the contract's Département (or Métropole), empty when it has none."""
    kinds = (PartyKind.DEPARTEMENT, PartyKind.METROPOLE)
    return next((pid for pid, p in contract.autorites.items() if p.type in kinds), "")


def habilitated_ehpads(contract: Contract) -> list[str]:
    """The names of the EHPAD habilitated to receive recipients of aide sociale."""
    return [
        e.nom
        for e in contract.etablissements.values()
        if e.categorie.code == EHPAD_CATEGORY and e.habilitation_aide_sociale
    ]


def free_price_ehpads(contract: Contract) -> list[str]:
    """The names of the EHPAD not habilitated to aide sociale (CASF, L.342-1, 1°)."""
    return [
        e.nom
        for e in contract.etablissements.values()
        if e.categorie.code == EHPAD_CATEGORY and not e.habilitation_aide_sociale
    ]


def dgc_shares(contract: Contract) -> str:
    """The ESSMS that the dotation globalisée commune finances, with their articles: « l'IME X,
    le SESSAD Y et la MAS Z » (a FAM's hébergement or an ESAT is paid otherwise)."""
    names = [
        contract.etablissements[finess].nom
        for finess, by_party in contract.financement.lignes.items()
        if finess in contract.etablissements
        and any(funding.dotation_globalisee_commune for funding in by_party.values())
    ]
    named = [f"{fmt.article(name).lower()}{name}" for name in names]
    return " et ".join([", ".join(named[:-1]), named[-1]] if len(named) > 1 else named)


def legal_context(contract: Contract) -> dict[str, object]:
    """The variables that the sector clauses of the templates use."""
    rule = contract.financement.affectation_resultats
    return {
        "visas": visas(contract),
        "documents_to_produce": documents_to_produce(contract),
        "conventions_title": conventions_title(contract),
        "department_id": department(contract),
        "habilitated_ehpads": habilitated_ehpads(contract),
        "free_price_ehpads": free_price_ehpads(contract),
        "result_rule": rule if isinstance(rule, ResultAllocation) else None,
        "chrs": contract.base_legale is LegalBasis.CHRS,
        "ehpads": {
            f: e for f, e in contract.etablissements.items() if e.categorie.code == EHPAD_CATEGORY
        },
        "dgc_shares": dgc_shares(contract),
        "activity_sheets": {f: e for f, e in contract.etablissements.items() if e.activite},
    }
