"""Models of the acts that follow a contract: avenants and comptes-rendus of meetings."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

from pydantic import ConfigDict, Field

from cpomdocs.data.model import (
    CODE_ID,
    OBJECTIVE_ID,
    PARTY_ID,
    YEAR_KEY,
    Finess,
    Fingerprint,
    Markdown,
    Signature,
    Strict,
    Year,
    keyed,
)
from cpomdocs.data.model_law import ActivityUnit
from cpomdocs.data.model_parties import Representative
from cpomdocs.data.model_terms import (
    CENTS_NOTE,
    MAX_AMOUNT,
    MAX_MEMBERS,
    MAX_OBJECTIVES,
    Measure,
    Places,
    items,
)

# A deficit is negative.
Result = Annotated[float, Field(ge=-MAX_AMOUNT, le=MAX_AMOUNT, description=CENTS_NOTE)]
Attendees = Annotated[list[Representative], Field(max_length=MAX_MEMBERS)]


class AvenantStatus(StrEnum):
    PROJET = "projet"
    SIGNE = "signé"


class AvenantDates(Strict):
    signature: dt.date | None = Field(
        None, title="Date de signature", description="Absente en projet"
    )
    effet: dt.date = Field(title="Date d'effet")


class Avenant(Strict):
    """Avenant au CPOM: a change set over the contract's id-keyed data."""

    model_config = ConfigDict(title="Avenant à un CPOM")

    numero: int = Field(ge=1, le=999, title="Numéro de l'avenant", description="1, 2, 3… sans trou")
    objet: str = Field(title="Objet", description="Ex. : extension de capacité de l'EHPAD …")
    statut: AvenantStatus = Field(title="Statut")
    dates: AvenantDates = Field(title="Dates")
    signature: Signature | None = Field(None, title="Signature")
    motifs: Markdown = Field(title="Exposé des motifs")
    modifications: dict[str, Any] = Field(
        max_length=MAX_OBJECTIVES,
        title="Modifications",
        description=(
            "Extrait du contrat à fusionner (JSON Merge Patch, RFC 7396) : une clé donne sa "
            "nouvelle valeur, null supprime l'élément."
        ),
    )
    empreinte: Fingerprint | None = Field(None, title="Empreinte de signature")


class MeetingKind(StrEnum):
    DIALOGUE_ANNUEL = "dialogue de gestion annuel"
    MI_PARCOURS = "point à mi-parcours"
    BILAN_FINAL = "bilan final"
    COMITE_SUIVI = "comité de suivi"
    COMITE_PILOTAGE = "comité de pilotage"


class ReportStatus(StrEnum):
    PROJET = "projet"
    APPROUVE = "approuvé"


class ActionStatus(StrEnum):
    A_FAIRE = "à faire"
    EN_COURS = "en cours"
    FAIT = "fait"
    ABANDONNE = "abandonné"


class Activity(Strict):
    capacite: Places = Field(title="Capacité autorisée (places)")
    journees_prevues: Measure | None = Field(None, ge=0, title="Activité prévue (journées, actes)")
    journees_realisees: Measure | None = Field(None, ge=0, title="Activité réalisée")
    unite: ActivityUnit = Field(ActivityUnit.JOURNEES, title="Unité de l'activité")
    commentaire: str = Field("", title="Commentaire")


class FinancialExecution(Strict):
    etablissement: Finess | None = Field(None, title="ESSMS", description="Vide : tout le CPOM")
    exercice: Year = Field(title="Exercice")
    resultat_prevu: Result = Field(title="Résultat prévu à l'EPRD (€)")
    resultat_realise: Result | None = Field(None, title="Résultat réalisé à l'ERRD (€)")
    affectation: str = Field("", title="Affectation du résultat")


class ObjectiveReview(Strict):
    commentaire: Markdown = Field("", title="Commentaire")
    abandonne: bool = Field(False, title="Objectif abandonné")


class Decision(Strict):
    texte: Markdown = Field(title="Décision")
    avenant_necessaire: bool = Field(False, title="Un avenant est nécessaire")


class FollowUpAction(Strict):
    libelle: str = Field(title="Action")
    responsable: str = Field(title="Responsable")
    echeance: dt.date = Field(title="Échéance")
    statut: ActionStatus = Field(ActionStatus.A_FAIRE, title="Statut")


class NextMeeting(Strict):
    date: dt.date = Field(title="Date")
    type: MeetingKind = Field(title="Type de réunion")
    lieu: str = Field("", title="Lieu")


class MeetingReport(Strict):
    """Compte-rendu d'un dialogue de gestion, d'un comité de suivi ou de pilotage."""

    model_config = ConfigDict(title="Compte-rendu de réunion d'un CPOM")

    type: MeetingKind = Field(title="Type de réunion")
    statut: ReportStatus = Field(title="Statut du compte-rendu")
    date: dt.date = Field(title="Date de la réunion")
    lieu: str = Field(title="Lieu")
    exercice: Year = Field(title="Exercice examiné")
    participants: dict[str, Attendees] = keyed(
        PARTY_ID, "Participants", "Partie (ou « gestionnaire ») → personnes présentes"
    )
    ordre_du_jour: list[str] = items("Ordre du jour")
    documents_examines: list[str] = items("Documents examinés")
    activite: dict[str, Activity] = keyed(r"^(?:[0-9]{2}|2[AB])[0-9]{7}$", "Activité", "FINESS →")
    realisations: dict[str, dict[Year, Measure]] = keyed(
        CODE_ID, "Valeurs réalisées", "Code indicateur → année → valeur constatée"
    )
    objectifs: dict[str, ObjectiveReview] = keyed(
        OBJECTIVE_ID, "Revue des objectifs", "Id →", MAX_OBJECTIVES
    )
    execution_financiere: list[FinancialExecution] = items("Exécution financière (EPRD / ERRD)")
    points_attention: list[Markdown] = items("Points d'attention")
    decisions: list[Decision] = items("Décisions")
    actions: dict[str, FollowUpAction] = keyed(CODE_ID, "Relevé d'actions", "Code → action")
    prochaine_reunion: NextMeeting | None = Field(None, title="Prochaine réunion")


__all__ = ["Avenant", "MeetingReport", "YEAR_KEY"]
