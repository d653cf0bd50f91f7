"""Parts of the contract that the law of each sector asks for: results, tariffs, activity, CHRS."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from cpomdocs.data.model_terms import (
    CENTS_NOTE,
    FIRST_YEAR,
    LAST_YEAR,
    MAX_AMOUNT,
    MAX_ENTRIES,
    MAX_PLACES,
    MAX_PROSE,
    MAX_TEXT,
    MAX_VALUE,
    date_in_range,
)

Markdown = Annotated[
    str, Field(max_length=MAX_PROSE, json_schema_extra={"contentMediaType": "text/markdown"})
]
Euros = Annotated[float, Field(ge=0, le=MAX_AMOUNT, description=CENTS_NOTE)]
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_max_length=MAX_TEXT)

    _dates_in_range = field_validator("*")(date_in_range)


class ResultRule(StrEnum):
    """How the gestionnaire allocates the results under the EPRD."""

    PAR_ESSMS = "par ESSMS"
    FONGIBILITE = "fongibilité"
    MEME_PROGRAMME = "même programme budgétaire"


class ResultAllocation(_Strict):
    regle: ResultRule = Field(
        title="Règle d'affectation",
        description=(
            "par ESSMS : résultat de chaque établissement ou service (R.314-234 CASF) ; "
            "fongibilité : entre les ESSMS du contrat, gestionnaire privé (R.314-235) ; "
            "même programme budgétaire : CHRS, libre affectation entre les ESSMS et dispositifs "
            "d'un même budget opérationnel de programme, gestionnaire privé (arrêté du 25 octobre "
            "2019)"
        ),
    )
    hebergement: str | None = Field(
        None,
        title="Règle du Département pour l'hébergement",
        description="Part hébergement d'un EHPAD habilité à l'aide sociale : règle fixée par le "
        "Département, ex. « l'excédent vient en réduction du tarif de l'exercice N+2 »",
    )
    precisions: Markdown = Field("", title="Précisions", description="Ordre de priorité…")


class MeasuredScore(_Strict):
    valeur: float = Field(ge=0, le=MAX_VALUE, title="Valeur validée")
    date_validation: dt.date = Field(title="Date de validation")
    valide_par: str = Field("", title="Validé par", description="Ex. : médecin du Département")


class TariffOption(StrEnum):
    """The tariff option of an EHPAD's forfait global de soins."""

    GLOBAL_PUI = "tarif global avec pharmacie à usage intérieur"
    GLOBAL = "tarif global sans pharmacie à usage intérieur"
    PARTIEL_PUI = "tarif partiel avec pharmacie à usage intérieur"
    PARTIEL = "tarif partiel sans pharmacie à usage intérieur"


class EhpadTariff(_Strict):
    """What the forfaits of an EHPAD are computed from (décret n° 2016-1814)."""

    option_tarifaire: TariffOption | None = Field(None, title="Option tarifaire (soins)")

    gmp: MeasuredScore | None = Field(None, title="GIR moyen pondéré (GMP) validé")
    pmp: MeasuredScore | None = Field(None, title="PATHOS moyen pondéré (PMP) validé")
    revalorisation: dt.date | None = Field(
        None, title="Réévaluation GMP/PMP", description="Coupe prévue la 3e année du contrat"
    )
    valeur_point_gir: float | None = Field(
        None,
        ge=0,
        le=MAX_AMOUNT,
        title="Valeur du point GIR départemental (€)",
        description="Telle que le Département la fixe ; imprimée avec toutes ses décimales",
    )
    tarif_hebergement: float | None = Field(
        None,
        ge=0,
        le=MAX_AMOUNT,
        title="Tarif journalier hébergement (€)",
        description=f"Si habilité. {CENTS_NOTE}",
    )


class ActivityUnit(StrEnum):
    """What an activity counts: days of presence, or acts (a SESSAD's interventions)."""

    JOURNEES = "journées"
    ACTES = "actes"


class ActivitySheet(_Strict):
    """The activity of one ESSMS of the handicap sector (L.313-12-2)."""

    file_active: int | None = Field(
        None, ge=0, le=MAX_PLACES, title="File active", description="Personnes"
    )
    jours_ouverture: int | None = Field(None, ge=0, le=366, title="Jours d'ouverture par an")
    cible_activite: float | None = Field(
        None, ge=0, le=MAX_VALUE, title="Activité cible", description="Journées ou actes par an"
    )
    unite: ActivityUnit = Field(ActivityUnit.JOURNEES, title="Unité de l'activité")
    etp: dict[str, Annotated[float, Field(ge=0, le=MAX_PLACES)]] = Field(
        default_factory=dict,
        max_length=MAX_ENTRIES,
        title="ETP par catégorie",
        description="Catégorie → ETP",
    )


class ActivityModulation(_Strict):
    """Modulation of the dotation globalisée commune by the level of activity (L.313-12-2)."""

    taux_cible: float = Field(ge=0, le=100, title="Taux de réalisation cible (%)")
    seuil: float = Field(
        ge=0,
        le=100,
        title="Seuil (%)",
        description="En deçà, la dotation peut faire l'objet d'un abattement (L.313-12-2 CASF)",
    )
    clause: Markdown = Field("", title="Clause particulière de modulation")


class HeadOffice(_Strict):
    """The authorisation of the frais de siège (R.314-87 and following)."""

    arrete: str = Field(title="Arrêté d'autorisation", description="Référence de l'arrêté")
    date: dt.date = Field(title="Date de l'arrêté")
    autorite: str = Field(title="Autorité qui l'a délivré")
    taux: float = Field(ge=0, le=100, title="Taux (%)", description="Part des charges brutes")
    echeance: dt.date | None = Field(None, title="Échéance de l'autorisation")


class SubsidisedActivity(_Strict):
    """An activity outside the ESSMS that a CHRS CPOM may include (veille sociale, SIAO…)."""

    libelle: str = Field(title="Activité")
    financeur: str = Field(pattern=r"^[a-z][a-z0-9_-]*$", title="Financeur (id de partie)")
    programme: str = Field("", title="Programme budgétaire", description="Ex. : BOP 177")
    montants: dict[Year, Euros] = Field(
        default_factory=dict,
        max_length=MAX_ENTRIES,
        title="Subvention annuelle",
        json_schema_extra={"propertyNames": {"pattern": r"^20[0-9]{2}$"}},
    )


class CommitteeMember(_Strict):
    qualite: str = Field(min_length=1, title="Qualité", description="Fonction au comité")
    nom: str | None = Field(None, title="Titulaire actuel", description="Indicatif, hors annexe")
