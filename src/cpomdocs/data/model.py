"""The CPOM contract as pydantic models: the single source of the data model and of schema/.

The empreinte of a signed file: its data's digest and the digest of the text signed.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from cpomdocs.data.identifiers import FINESS_PATTERN
from cpomdocs.data.model_law import (
    ActivityModulation,
    CommitteeMember,
    ResultAllocation,
    SubsidisedActivity,
)
from cpomdocs.data.model_parties import (
    CODE_ID,
    OBJECTIVE_ID,
    PARTY_ID,
    YEAR_KEY,
    Amount,
    Establishment,
    Finess,
    Manager,
    Markdown,
    Party,
    Strict,
    Year,
    keyed,
)
from cpomdocs.data.model_terms import (
    MAX_ENTRIES,
    MAX_MEMBERS,
    MAX_MONTHS,
    MAX_OBJECTIVES,
    MAX_PASSAGES,
    MAX_TEXT,
    ContractStatus,
    Direction,
    LegalBasis,
    Measure,
    Sector,
    Unit,
    date_in_range,
    items,
    period_end,
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_max_length=MAX_TEXT)

    _dates_in_range = field_validator("*")(date_in_range)


class TextDigest(_Strict):
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", title="SHA-256 du texte du document")
    passages: list[Annotated[str, Field(pattern=r"^[0-9a-f]{8}$")]] = items(
        "Empreintes courtes des passages du texte, un par titre, dans l'ordre",
        max_length=MAX_PASSAGES,
    )


class SignedText(_Strict):
    cpomdocs: str = Field(title="Version de cpomdocs qui a composé le texte signé", max_length=100)
    documents: dict[Annotated[str, Field(pattern=r"^[a-z0-9-]{1,40}$")], TextDigest] = Field(
        title="Texte de chaque document de l'acte signé (contrat, annexes, avenant-NN)",
        max_length=10,
    )


class Fingerprint(_Strict):
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", title="Empreinte SHA-256 du contenu signé")
    date: dt.date = Field(title="Date d'enregistrement de l'empreinte")
    texte: SignedText | None = Field(
        None,
        title="Empreinte du texte signé",
        description="Enregistrée par « cpomdocs sign-off » : la construction signale un document "
        "dont le texte ne serait plus celui qui a été signé (modèles changés depuis).",
    )


class Dates(Strict):
    signature: dt.date | None = Field(
        None, title="Date de signature", description="Absente en projet"
    )
    effet: dt.date = Field(title="Date d'effet", description="Peut précéder la signature")
    fin: dt.date = Field(title="Date de fin", description="Dernier jour du contrat")


class Prorogation(Strict):
    duree_mois: int = Field(ge=1, le=12, title="Durée en mois", description="Un an au plus")
    decision: dt.date = Field(title="Date de la décision")
    motif: str = Field("", title="Motif")


class Diagnosis(Strict):
    synthese: Markdown = Field(title="Synthèse du diagnostic partagé")
    forces: list[str] = items("Points forts")
    faiblesses: list[str] = items("Points faibles")
    enjeux: list[str] = items("Enjeux")
    sources: list[str] = items("Sources", "Documents")


class Reference(Strict):
    valeur: Measure = Field(title="Valeur de référence")
    annee: Year = Field(title="Année de la valeur de référence")


class Indicator(Strict):
    libelle: str = Field(title="Libellé")
    methode_calcul: str = Field(title="Méthode de calcul", description="Numérateur × 100 / …")
    source: str = Field(title="Source des données", description="Ex. : tableau de bord ANAP")
    unite: Unit = Field(title="Unité")
    sens: Direction = Field(title="Sens", description="hausse : plus haut est mieux")
    reference: Reference = Field(title="Valeur de référence")
    cibles: dict[Year, Measure] = keyed(YEAR_KEY, "Cibles annuelles", "Année → valeur cible")


class Action(Strict):
    libelle: str = Field(title="Libellé de l'action")
    pilote: str = Field(title="Pilote")
    echeance: dt.date = Field(title="Échéance")
    moyens: str = Field("", title="Moyens mobilisés")


class Objective(Strict):
    titre: str = Field(title="Intitulé de l'objectif")
    axe: str = Field(title="Axe", description="Ex. : Qualité de l'accompagnement")
    politique_publique: str = Field("", title="Politique publique", description="PRS, schéma…")
    etablissements: list[Finess] = items(
        "ESSMS concernés", "Vide : tous les ESSMS", max_length=MAX_ENTRIES
    )
    constat: Markdown = Field(title="Constat")
    actions: dict[str, Action] = keyed(
        CODE_ID, "Actions", "Code → action (ex. A1.1)", MAX_OBJECTIVES
    )
    indicateurs: dict[str, Indicator] = keyed(
        CODE_ID, "Indicateurs", "Code → indicateur", MAX_OBJECTIVES
    )
    echeance: dt.date = Field(title="Échéance de l'objectif")
    financeur: str = Field(pattern=PARTY_ID, title="Financeur", description="Identifiant de partie")


class Funding(Strict):
    forfait_global_soins: dict[Year, Amount] = keyed(
        YEAR_KEY, "Forfait global de soins", "Année → €"
    )
    forfait_global_dependance: dict[Year, Amount] = keyed(
        YEAR_KEY, "Forfait global dépendance", "Année → €"
    )
    hebergement: dict[Year, Amount] = keyed(YEAR_KEY, "Produits de l'hébergement", "Année → €")
    dotation_globalisee_commune: dict[Year, Amount] = keyed(
        YEAR_KEY, "Part de la dotation globalisée commune", "Année → €"
    )
    dotation_globale: dict[Year, Amount] = keyed(YEAR_KEY, "Dotation globale", "Année → €")
    prix_de_journee: dict[Year, Amount] = keyed(
        YEAR_KEY, "Produits du prix de journée", "Année → €"
    )
    forfait_global_annuel: dict[Year, Amount] = keyed(
        YEAR_KEY, "Forfait global annuel", "Année → €"
    )
    dotation_globale_esat: dict[Year, Amount] = keyed(
        YEAR_KEY, "Dotation globale de fonctionnement de l'ESAT (État, programme 157)", "Année → €"
    )
    fc_hebergement_temporaire: dict[Year, Amount] = keyed(
        YEAR_KEY, "Financement complémentaire : hébergement temporaire", "Année → €"
    )
    fc_pasa: dict[Year, Amount] = keyed(YEAR_KEY, "Financement complémentaire : PASA", "Année → €")
    fc_uhr: dict[Year, Amount] = keyed(YEAR_KEY, "Financement complémentaire : UHR", "Année → €")
    fc_accueil_de_jour: dict[Year, Amount] = keyed(
        YEAR_KEY, "Financement complémentaire : accueil de jour", "Année → €"
    )
    mesures_nouvelles: dict[Year, Amount] = keyed(YEAR_KEY, "Mesures nouvelles", "Année → €")
    credits_non_reconductibles: dict[Year, Amount] = keyed(
        YEAR_KEY, "Crédits non reconductibles", "Année → €"
    )


class CommonAllocation(Strict):
    beneficiaire: Finess = Field(title="ESSMS percevant la dotation globalisée commune")
    montants: dict[Year, Amount] = keyed(YEAR_KEY, "Montant annuel", "Somme des parts des ESSMS")


class Investment(Strict):
    libelle: str = Field(title="Opération")
    etablissement: Finess = Field(title="ESSMS")
    annee: Year = Field(title="Année")
    montant: Amount = Field(title="Montant")


class Financing(Strict):
    lignes: dict[str, Annotated[dict[str, Funding], Field(max_length=MAX_OBJECTIVES)]] = keyed(
        FINESS_PATTERN, "Lignes de financement", "FINESS ET → financeur → nature → année → €"
    )
    totaux: dict[Year, Amount] = keyed(YEAR_KEY, "Totaux annuels déclarés", "Année → total")
    dotation_globalisee_commune: CommonAllocation | None = Field(None, title="DGC")
    affectation_resultats: ResultAllocation | Markdown = Field(
        title="Règle d'affectation des résultats",
        description="regle : par ESSMS ou fongibilité (texte libre : avertissement)",
    )
    modulation_activite: ActivityModulation | None = Field(
        None, title="Modulation de la dotation selon l'activité"
    )
    activites_subventionnees: list[SubsidisedActivity] = items(
        "Activités subventionnées (CHRS : veille sociale, SIAO…)", max_length=MAX_ENTRIES
    )
    evolution: Markdown = Field("", title="Évolution annuelle", description="Taux de campagne…")
    eprd_pgfp: Markdown = Field("", title="EPRD, ERRD et PGFP")
    investissements: list[Investment] = items("Plan d'investissement", max_length=MAX_ENTRIES)


class PlannedDialogue(Strict):
    annee: Year = Field(title="Année")
    type: str = Field(title="Type", description="Ex. : dialogue de gestion à mi-parcours")
    date_prevue: dt.date | None = Field(None, title="Date prévue")


class PlannedEvaluation(Strict):
    libelle: str = Field(title="Évaluation", description="GMP/PMP, évaluation de la qualité…")
    etablissement: Finess | None = Field(None, title="ESSMS")
    date_prevue: dt.date = Field(title="Date prévue")


class FollowUp(Strict):
    comite: dict[str, Annotated[list[CommitteeMember], Field(max_length=MAX_MEMBERS)]] = keyed(
        PARTY_ID, "Comité de suivi", "Partie (ou « gestionnaire ») → membres, par qualité"
    )
    dialogues: list[PlannedDialogue] = items("Dialogues de gestion")
    evaluations: list[PlannedEvaluation] = items("Évaluations", max_length=MAX_ENTRIES)
    documents: list[str] = items("Documents à produire")


class Clauses(Strict):
    """Optional wording that replaces the default text of an article, in Markdown."""

    litiges: Markdown | None = Field(None, title="Article 6 – Traitement des litiges")
    revision: Markdown | None = Field(None, title="Article 7 – Révision du contrat")
    conventions_tripartites: Markdown | None = Field(None, title="Article 8 – Conventions")
    duree: Markdown | None = Field(None, title="Article 9 – Entrée en vigueur et durée")
    objectifs_non_atteints: Markdown | None = Field(
        None, title="Conséquences d'objectifs non atteints"
    )


class Signature(Strict):
    lieu: str = Field(title="Lieu de signature", description="« Fait à … »")


class Contract(Strict):
    """Contrat pluriannuel d'objectifs et de moyens."""

    model_config = ConfigDict(title="Contrat pluriannuel d'objectifs et de moyens (CPOM)")

    reference: str = Field(title="Référence du contrat", description="Ex. : CPOM-ARS-OCC-2024-017")
    version: int = Field(ge=1, le=999, title="Version", description="Numéro de version du document")
    statut: ContractStatus = Field(title="Statut")
    secteur: Sector = Field(title="Secteur")
    base_legale: LegalBasis = Field(title="Base légale (CASF)")
    territoire: str = Field(title="Territoire", description="Département(s) ou région")
    dates: Dates = Field(title="Dates")
    duree_mois: int = Field(
        ge=1, le=MAX_MONTHS, title="Durée en mois", description=f"{MAX_MONTHS} mois au plus"
    )
    prorogations: list[Prorogation] = items("Prorogations")
    signature: Signature = Field(title="Signature")
    gestionnaire: Manager = Field(title="Organisme gestionnaire")
    autorites: dict[str, Party] = keyed(PARTY_ID, "Autorités signataires", "Id → autorité")
    etablissements: dict[str, Establishment] = keyed(FINESS_PATTERN, "ESSMS", "FINESS ET → ESSMS")
    visas: list[str] = items("Visas", "« Vu … »")
    preambule: Markdown = Field(title="Préambule")
    diagnostic: Diagnosis = Field(title="Diagnostic partagé")
    objectifs: dict[str, Objective] = keyed(
        OBJECTIVE_ID, "Objectifs", "Id (O1, O2…) → objectif", MAX_OBJECTIVES
    )
    financement: Financing = Field(title="Moyens et financement")
    suivi: FollowUp = Field(title="Suivi et évaluation")
    clauses: Clauses = Field(default_factory=Clauses, title="Clauses particulières")
    empreinte: Fingerprint | None = Field(None, title="Empreinte de signature")

    @property
    def expected_end(self) -> dt.date:
        """The last day the contract runs: its date d'effet, its duration and its prorogations."""
        months = self.duree_mois + sum(p.duree_mois for p in self.prorogations)
        return period_end(self.dates.effet, months)

    def all_indicators(self) -> dict[str, tuple[str, Indicator]]:
        """Every indicator by code, with the id of the objective that holds it."""
        return {
            code: (objective_id, indicator)
            for objective_id, objective in self.objectifs.items()
            for code, indicator in objective.indicateurs.items()
        }
