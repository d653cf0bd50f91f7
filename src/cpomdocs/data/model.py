"""The CPOM contract as pydantic models: the single source of the data model and of schema/."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from cpomdocs.data.bounds import (
    MAX_AMOUNT,
    MAX_ENTRIES,
    MAX_MEMBERS,
    MAX_MONTHS,
    MAX_OBJECTIVES,
    MAX_PROSE,
    MAX_TEXT,
    Measure,
    Places,
    date_in_range,
    items,
)
from cpomdocs.data.identifiers import FINESS_PATTERN, SIREN_PATTERN, SIRET_PATTERN
from cpomdocs.data.model_law import (
    ActivityModulation,
    ActivitySheet,
    CommitteeMember,
    EhpadTariff,
    HeadOffice,
    ResultAllocation,
    SubsidisedActivity,
)
from cpomdocs.data.model_signoff import Fingerprint
from cpomdocs.data.periods import period_end
from cpomdocs.data.vocabulary import (
    ContractStatus,
    Direction,
    LegalBasis,
    PartyKind,
    Sector,
    Tarification,
    Unit,
)

YEAR_KEY = r"^20[0-9]{2}$"
PARTY_ID = r"^[a-z][a-z0-9_-]*$"
OBJECTIVE_ID = r"^O[0-9]+(\.[0-9]+)*$"
CODE_ID = r"^[A-Z][A-Za-z0-9_.-]*$"

Markdown = Annotated[
    str, Field(max_length=MAX_PROSE, json_schema_extra={"contentMediaType": "text/markdown"})
]
Finess = Annotated[str, Field(pattern=FINESS_PATTERN, description="Numéro FINESS, 9 caractères")]
Amount = Annotated[float, Field(ge=0, le=MAX_AMOUNT, description="Montant en euros")]
Year = Annotated[int, Field(ge=2000, le=2099)]


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
    forfait_global_soins: dict[Year, Amount] = keyed(YEAR_KEY, "Forfait global soins", "Année → €")
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
    libelle: str = Field(title="Évaluation", description="GMP/PMP, évaluation externe…")
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
