"""The parties as the contract names them: in tables (« ARS Occitanie »), in sentences
(« l'Agence régionale de santé … », « le préfet de la région … ») and as they sign."""

from __future__ import annotations

from dataclasses import dataclass

from cpomdocs import blanks
from cpomdocs.data.model import Contract, LegalBasis, Party
from cpomdocs.data.model_terms import PartyKind
from cpomdocs.data.rules import MANAGER_PARTY

FEMININE_KINDS = {PartyKind.ARS, PartyKind.METROPOLE, PartyKind.COLLECTIVITE}
SHORT_NAMES = {
    PartyKind.ARS: "l'ARS",
    PartyKind.DEPARTEMENT: "le Département",
    PartyKind.METROPOLE: "la Métropole",
    PartyKind.COLLECTIVITE: "la collectivité",
    PartyKind.PREFET: "l'autorité de tarification",
}
# Legal entities whose name is feminine: « l'association X, représentée par … ».
FEMININE_ENTITY_WORDS = (
    "association",
    "fondation",
    "mutuelle",
    "mutualité",
    "fédération",
    "union",
    "congrégation",
    "croix",
    "société",
    "œuvre",
    "maison",
)


@dataclass
class Signatory:
    """A party as it signs: its id, name, representative and the agreement of « représenté(e) »."""

    id: str
    name: str
    representative: str
    title: str
    feminine: bool
    short: str  # « ci-après dénommé(e) … »
    named: str = ""  # with its article, as in a sentence: « l'Agence… », « le préfet de … »
    # signs for a préfet without being one: « Pour le préfet de … et par délégation »
    delegated: bool = False


@dataclass(frozen=True)
class DefinedTerm:
    """The OG's defined short name with French contractions: « le gestionnaire », « du … »."""

    noun: str  # « gestionnaire », or « organisme gestionnaire » in a CHRS contract

    @property
    def le(self) -> str:
        """« le gestionnaire », « l'organisme gestionnaire »."""
        return ("l'" if self.noun[:1] in VOWELS else "le ") + self.noun

    @property
    def Le(self) -> str:  # noqa: N802 (the capitalised form, as templates write it)
        """The same at the start of a sentence."""
        return self.le[:1].upper() + self.le[1:]

    @property
    def du(self) -> str:
        """« du gestionnaire », « de l'organisme gestionnaire »."""
        return "de l'" + self.noun if self.noun[:1] in VOWELS else "du " + self.noun

    @property
    def au(self) -> str:
        """« au gestionnaire », « à l'organisme gestionnaire »."""
        return "à l'" + self.noun if self.noun[:1] in VOWELS else "au " + self.noun


VOWELS = "aeiouyéèêàâîôh"


def manager_term(contract: Contract) -> DefinedTerm:
    """The OG's defined term: the CHRS model (arrêté du 25 octobre 2019) names it « l'organisme
    gestionnaire », the other models « le gestionnaire »."""
    chrs = contract.base_legale is LegalBasis.CHRS
    return DefinedTerm("organisme gestionnaire" if chrs else "gestionnaire")


def party_name(contract: Contract, party_id: str) -> str:
    """The name of a party, « gestionnaire » being the OG."""
    if party_id == MANAGER_PARTY:
        return contract.gestionnaire.nom
    party = contract.autorites.get(party_id)
    return party.nom if party else party_id


ARS_PREFIX = "Agence régionale de santé "


def party_short_name(contract: Contract, party_id: str) -> str:
    """A party's name for narrow table columns: « ARS Occitanie », the OG's sigle."""
    if party_id == MANAGER_PARTY:
        return contract.gestionnaire.sigle or contract.gestionnaire.nom
    name = party_name(contract, party_id)
    if name.lower().startswith(ARS_PREFIX.lower()):
        return "ARS " + name[len(ARS_PREFIX) :]
    return name


def with_article(contract: Contract, party_id: str) -> str:
    """A party's name after « pour » or « par » : « l'Agence… », « le Département… »."""
    name = party_name(contract, party_id)
    party = contract.autorites.get(party_id)
    if blanks.is_placeholder(name) and not party:  # not « l'[à compléter] »
        return f"{manager_term(contract).le} {blanks.PENDING_TEXT}"
    if name[:1].lower() in "aeiouyéèêàâîôh":
        return f"l'{name}"
    feminine = (
        party.type in FEMININE_KINDS if party else name.lower().startswith(FEMININE_ENTITY_WORDS)
    )
    if name.startswith("Préfet "):  # a title inside a sentence: « le préfet de la région … »
        name = "p" + name[1:]
    return f"{'la' if feminine else 'le'} {name}"


def signatories(contract: Contract) -> list[Signatory]:
    """The parties in signing order: authorities (ARS first), then the OG."""
    order = sorted(contract.autorites.items(), key=lambda item: item[1].type != PartyKind.ARS)
    people = [_authority(pid, party) for pid, party in order]
    for person in people:
        person.named = with_article(contract, person.id)
    og = contract.gestionnaire
    feminine = og.nom.lower().startswith(FEMININE_ENTITY_WORDS)
    rep = og.representant
    short = manager_term(contract).le
    named = with_article(contract, MANAGER_PARTY)
    people.append(Signatory(MANAGER_PARTY, og.nom, rep.nom, rep.qualite, feminine, short, named))
    return people


def _authority(party_id: str, party: Party) -> Signatory:
    rep = party.representant
    feminine = party.type in FEMININE_KINDS or party.nom.lower().startswith("préfète")
    # A director (DREETS, DDETS, DRIHL) signs for the préfet under a délégation de signature.
    delegated = party.type is PartyKind.PREFET and not rep.qualite.lower().startswith("préfet")
    short = SHORT_NAMES[party.type]
    return Signatory(party_id, party.nom, rep.nom, rep.qualite, feminine, short, "", delegated)


def forecast_reserve(contract: Contract) -> str:
    """What the forecast amounts depend on, by who sets each financeur's rate: « des dotations
    régionales limitatives, des taux d'évolution fixés chaque année lors de la campagne
    budgétaire et de ceux votés chaque année par le conseil départemental »."""
    kinds = {party.type for party in contract.autorites.values()}
    rates = []
    if kinds & {PartyKind.ARS, PartyKind.PREFET}:  # the State's and the assurance maladie's
        rates.append("fixés chaque année lors de la campagne budgétaire")
    if PartyKind.DEPARTEMENT in kinds:
        rates.append("votés chaque année par le conseil départemental")
    if kinds & {PartyKind.METROPOLE, PartyKind.COLLECTIVITE}:
        rates.append("votés chaque année par l'assemblée de la collectivité")
    if not rates:
        return "des taux d'évolution fixés chaque année par les financeurs"
    said = "des taux d'évolution " + " et de ceux ".join(rates)
    if kinds & {PartyKind.ARS, PartyKind.PREFET}:
        return "des dotations régionales limitatives" + (", " if len(rates) > 1 else " et ") + said
    return said
