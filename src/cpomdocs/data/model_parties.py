"""The base of the contract's models (strict models, ids, amounts) and its parties and ESSMS:
the organisme gestionnaire, the financeurs, each establishment or service and its capacities."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from cpomdocs.data.identifiers import FINESS_PATTERN, SIREN_PATTERN, SIRET_PATTERN
from cpomdocs.data.model_law import (
    ActivitySheet,
    EhpadTariff,
    HeadOffice,
)
from cpomdocs.data.model_terms import (
    CENTS_NOTE,
    FIRST_YEAR,
    LAST_YEAR,
    MAX_AMOUNT,
    MAX_ENTRIES,
    MAX_PROSE,
    MAX_TEXT,
    PartyKind,
    Places,
    Tarification,
    date_in_range,
    items,
)

YEAR_KEY = r"^20[0-9]{2}$"
PARTY_ID = r"^[a-z][a-z0-9_-]*$"
OBJECTIVE_ID = r"^O[0-9]+(\.[0-9]+)*$"
CODE_ID = r"^[A-Z][A-Za-z0-9_.-]*$"

Markdown = Annotated[
    str, Field(max_length=MAX_PROSE, json_schema_extra={"contentMediaType": "text/markdown"})
]
Finess = Annotated[str, Field(pattern=FINESS_PATTERN, description="Numéro FINESS, 9 caractères")]
Amount = Annotated[float, Field(ge=0, le=MAX_AMOUNT, description=CENTS_NOTE)]
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]


def keyed(pattern: str, title: str, description: str, max_length: int = MAX_ENTRIES) -> Any:
    """A Field for a mapping whose keys are stable ids matching `pattern` (at most `max_length`)."""
    return Field(
        default_factory=dict,
        title=title,
        description=description,
        max_length=max_length,
        json_schema_extra={"propertyNames": {"pattern": pattern}},
    )


class Strict(BaseModel):
    """Base of every user-written model: unknown keys are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_max_length=MAX_TEXT)

    _dates_in_range = field_validator("*")(date_in_range)


class Representative(Strict):
    nom: str = Field(min_length=1, title="Nom", description="Prénom et nom du représentant")
    qualite: str = Field(min_length=1, title="Qualité", description="Titre ou fonction")
    habilitation: str | None = Field(
        None,
        title="Acte qui habilite le signataire",
        description="Ex. : la délibération du conseil d'administration du 28 mars 2024",
    )


class Address(Strict):
    voie: str = Field(title="Voie", description="Numéro et rue")
    code_postal: str = Field(pattern=r"^[0-9]{5}$", title="Code postal")
    commune: str = Field(title="Commune")


class Party(Strict):
    type: PartyKind = Field(title="Type d'autorité")
    nom: str = Field(title="Nom", description="Ex. : Agence régionale de santé Occitanie")
    representant: Representative = Field(title="Représentant signataire")
    adresse: Address | None = Field(None, title="Adresse")


class Manager(Strict):
    nom: str = Field(title="Raison sociale de l'organisme gestionnaire")
    sigle: str | None = Field(None, title="Sigle")
    finess_ej: Finess = Field(title="FINESS de l'entité juridique (EJ)")
    siren: str = Field(pattern=SIREN_PATTERN, title="SIREN", description="9 chiffres")
    statut_juridique: str = Field(
        title="Statut juridique", description="Ex. : association loi 1901"
    )
    adresse: Address = Field(title="Adresse du siège")
    representant: Representative = Field(title="Représentant signataire")
    presentation: Markdown = Field("", title="Présentation", description="Organisation, activités")
    organigramme: str | None = Field(
        None, title="Organigramme", description="Référence de l'organigramme joint à l'annexe 1"
    )
    frais_de_siege: HeadOffice | None = Field(None, title="Frais de siège autorisés")
    autres_cpom: list[str] = items(
        "Autres CPOM du gestionnaire",
        "Référence et objet de chaque autre contrat, pour leur articulation",
    )


class Category(Strict):
    code: str = Field(pattern=r"^[0-9]{3}$", title="Code catégorie FINESS", description="Ex. : 500")
    libelle: str = Field(title="Libellé de la catégorie", description="Ex. : EHPAD")


class Capacity(Strict):
    autorisees: Places = Field(title="Places autorisées")
    installees: Places | None = Field(None, title="Places installées")


class Capacities(Strict):
    hebergement_permanent: Capacity | None = Field(None, title="Hébergement permanent")
    hebergement_temporaire: Capacity | None = Field(None, title="Hébergement temporaire")
    accueil_de_jour: Capacity | None = Field(None, title="Accueil de jour")
    pasa: Capacity | None = Field(
        None, title="PASA", description="Pôle d'activités et de soins adaptés"
    )
    uhr: Capacity | None = Field(None, title="UHR", description="Unité d'hébergement renforcée")
    internat: Capacity | None = Field(None, title="Internat")
    semi_internat: Capacity | None = Field(None, title="Semi-internat")
    externat: Capacity | None = Field(None, title="Externat")
    milieu_ordinaire: Capacity | None = Field(None, title="Milieu ordinaire")
    domicile: Capacity | None = Field(None, title="À domicile")
    travail_protege: Capacity | None = Field(None, title="Travail protégé (ESAT)")
    hebergement_collectif: Capacity | None = Field(None, title="Hébergement en collectif")
    hebergement_diffus: Capacity | None = Field(None, title="Hébergement en diffus")
    hebergement_urgence: Capacity | None = Field(None, title="Hébergement d'urgence")


class AuthorisationChange(Strict):
    """An act that modifies an authorisation (extension, réduction) without renewing it."""

    acte: str = Field(
        title="Acte modificatif",
        description="Ex. : arrêté préfectoral n° 2026-DDETS-0933",
        min_length=1,
    )
    date: dt.date = Field(title="Date de l'acte modificatif")
    objet: str | None = Field(
        None, title="Objet de la modification", description="Ex. : extension de 10 places"
    )


class Authorisation(Strict):
    date: dt.date = Field(title="Date de l'autorisation")
    reference: str | None = Field(None, title="Référence de l'arrêté")
    echeance: dt.date | None = Field(None, title="Échéance", description="Fin des 15 ans")
    autorite: str | None = Field(
        None,
        title="Autorité qui a délivré l'autorisation",
        description="Ex. : le directeur général de l'ARS et le président du conseil départemental",
    )
    renouvellement: dt.date | None = Field(None, title="Date du dernier renouvellement")
    modifications: list[AuthorisationChange] = items(
        "Actes modifiant l'autorisation",
        "Extension, réduction ou transformation : l'autorisation garde son acte et son "
        "échéance (une extension ne renouvelle pas les 15 ans, CASF L.313-1)",
    )


class Establishment(Strict):
    nom: str = Field(title="Nom de l'ESSMS")
    finess_ej: Finess = Field(title="FINESS EJ", description="Doit être celui du gestionnaire")
    siret: str = Field(pattern=SIRET_PATTERN, title="SIRET", description="14 chiffres")
    categorie: Category = Field(title="Catégorie FINESS")
    adresse: Address = Field(title="Adresse")
    autorisation: Authorisation = Field(title="Autorisation")
    capacites: Capacities = Field(title="Capacités par mode d'accueil")
    habilitation_aide_sociale: bool = Field(title="Habilitation à l'aide sociale")
    places_habilitees: Places | None = Field(None, title="Places habilitées à l'aide sociale")
    tarification: Tarification = Field(title="Mode de tarification")
    option_tarifaire: str | None = Field(
        None, title="Option tarifaire", description="Tarif global…"
    )
    publics: str = Field("", title="Publics accueillis")
    activites: Markdown = Field("", title="Activités")
    projets: Markdown = Field("", title="Projets de restructuration")
    habilitation_acte: str | None = Field(
        None, title="Acte d'habilitation à l'aide sociale", description="Arrêté ou convention"
    )
    ehpad: EhpadTariff | None = Field(None, title="Données tarifaires de l'EHPAD")
    activite: ActivitySheet | None = Field(None, title="Fiche d'activité (handicap)")
