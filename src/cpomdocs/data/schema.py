"""JSON Schemas generated from the models (French titles for editors), and checks against them."""

from __future__ import annotations

import json
import re
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from pydantic import BaseModel, ValidationError

from cpomdocs.data.load import Document
from cpomdocs.data.messages import model_problems, schema_problems
from cpomdocs.data.model import Contract
from cpomdocs.data.model_acts import Avenant, MeetingReport
from cpomdocs.errors import Problem
from cpomdocs.write import write_text_atomic


class Kind(StrEnum):
    """The three kinds of file a contract folder holds."""

    CONTRACT = "cpom"
    AVENANT = "avenant"
    REPORT = "compte-rendu"


MODELS: dict[Kind, type[BaseModel]] = {
    Kind.CONTRACT: Contract,
    Kind.AVENANT: Avenant,
    Kind.REPORT: MeetingReport,
}
SCHEMA_FILES = {kind: f"{kind.value}.schema.json" for kind in Kind}
SCHEMA_BASE = "https://cpomdocs.example/schema/"

# French title and short help of each model, shown by a YAML language server while typing.
# The model classes keep English names; a test fails when a new class lacks its entry here.
TITLES: dict[str, tuple[str, str]] = {
    "Action": ("Action", "Action d'une fiche objectif : libellé, pilote, échéance, moyens."),
    "ActionStatus": ("Statut d'une action", "à faire, en cours, fait ou abandonné."),
    "Activity": ("Activité d'un ESSMS", "Capacité, activité prévue et réalisée sur l'exercice."),
    "ActivityUnit": ("Unité de l'activité", "journées (par défaut) ou actes."),
    "Address": ("Adresse", "Voie, code postal et commune."),
    "Authorisation": ("Autorisation", "Arrêté d'autorisation de l'ESSMS et son échéance."),
    "AuthorisationChange": (
        "Acte modifiant l'autorisation",
        "Arrêté d'extension, de réduction ou de transformation : acte, date, objet.",
    ),
    "AvenantDates": ("Dates de l'avenant", "Signature (absente en projet) et date d'effet."),
    "AvenantStatus": ("Statut de l'avenant", "projet ou signé."),
    "Capacities": ("Capacités", "Places autorisées et installées, par mode d'accueil."),
    "Capacity": ("Places", "Nombre de places autorisées et installées."),
    "Category": ("Catégorie FINESS", "Code à 3 chiffres et libellé (ex. 500, EHPAD)."),
    "Clauses": ("Clauses particulières", "Rédaction propre remplaçant le texte type (Markdown)."),
    "CommonAllocation": (
        "Dotation globalisée commune",
        "ESSMS qui la perçoit et montant annuel (somme des parts).",
    ),
    "ContractStatus": ("Statut du contrat", "projet, signé, prorogé, échu ou résilié."),
    "Dates": ("Dates du contrat", "Signature, date d'effet et date de fin."),
    "Decision": ("Décision", "Décision prise en réunion ; dit si un avenant est nécessaire."),
    "Diagnosis": ("Diagnostic partagé", "Synthèse, points forts et faibles, enjeux, sources."),
    "Direction": ("Sens de l'indicateur", "hausse (plus haut est mieux) ou baisse."),
    "Establishment": ("ESSMS", "Établissement ou service couvert par le contrat."),
    "FinancialExecution": ("Exécution financière", "Résultat prévu (EPRD) et réalisé (ERRD)."),
    "Financing": ("Moyens et financement", "Lignes par ESSMS, financeur et année ; totaux."),
    "Fingerprint": (
        "Empreinte de signature",
        "SHA-256 du contenu signé, sa date et l'empreinte du texte signé.",
    ),
    "FollowUp": ("Suivi du contrat", "Comité de suivi, dialogues de gestion, évaluations."),
    "FollowUpAction": ("Action de suivi", "Ce qui est à faire, par qui, pour quand."),
    "Funding": ("Financement d'un financeur", "Montants par nature de financement et année."),
    "Indicator": ("Indicateur", "Définition, valeur de référence et cibles annuelles."),
    "Investment": ("Investissement", "Opération du plan d'investissement."),
    "LegalBasis": ("Base légale", "Article du CASF qui fonde le contrat."),
    "Manager": ("Organisme gestionnaire", "L'OG signataire : FINESS EJ, SIREN, représentant."),
    "MeetingKind": ("Type de réunion", "Dialogue de gestion, comité de suivi ou de pilotage."),
    "NextMeeting": ("Prochaine réunion", "Date, type et lieu."),
    "Objective": ("Fiche objectif", "Constat, actions, indicateurs, échéance et financeur."),
    "ObjectiveReview": ("Revue d'un objectif", "Commentaire ; objectif abandonné ou non."),
    "Party": ("Autorité signataire", "ARS, conseil départemental ou métropole."),
    "PartyKind": ("Type d'autorité", "ARS, conseil départemental, métropole, collectivité."),
    "PlannedDialogue": ("Dialogue de gestion prévu", "Année, type et date prévue."),
    "PlannedEvaluation": ("Évaluation prévue", "GMP/PMP, évaluation de la qualité…"),
    "Prorogation": ("Prorogation", "Prolongation d'un an au plus, décidée avant la fin."),
    "Reference": ("Valeur de référence", "Valeur de départ de l'indicateur et son année."),
    "ReportStatus": ("Statut du compte-rendu", "projet ou approuvé."),
    "Representative": ("Représentant", "Personne : nom et qualité."),
    "Sector": ("Secteur", "personnes âgées, personnes handicapées ou mixte."),
    "Signature": ("Signature", "Lieu de signature (« Fait à … »)."),
    "SignedText": (
        "Texte signé",
        "Version de cpomdocs et empreinte du texte de chaque document de l'acte signé.",
    ),
    "Tarification": ("Mode de tarification", "Dotation, prix de journée, forfaits…"),
    "TextDigest": (
        "Empreinte du texte d'un document",
        "SHA-256 du texte entier et empreinte courte de chaque passage (un par titre).",
    ),
    "Unit": ("Unité", "Unité de mesure de l'indicateur."),
    "ResultRule": ("Règle d'affectation", "par ESSMS, fongibilité ou même programme (CHRS)."),
    "ResultAllocation": ("Affectation des résultats", "Règle, part hébergement, précisions."),
    "MeasuredScore": ("Mesure validée", "Valeur, date de validation, validée par qui."),
    "TariffOption": ("Option tarifaire", "Tarif global ou partiel, avec ou sans PUI."),
    "EhpadTariff": ("Données tarifaires de l'EHPAD", "GMP, PMP, point GIR, tarif hébergement."),
    "ActivitySheet": ("Fiche d'activité", "File active, jours d'ouverture, activité, ETP."),
    "ActivityModulation": ("Modulation selon l'activité", "Taux cible et seuil de la DGC."),
    "HeadOffice": ("Frais de siège", "Arrêté, autorité, taux et échéance."),
    "SubsidisedActivity": ("Activité subventionnée", "Veille sociale, logement adapté…"),
    "CommitteeMember": ("Membre du comité de suivi", "Sa qualité ; le titulaire, indicatif."),
}
ROOT_DESCRIPTIONS = {
    Kind.CONTRACT: "Le contrat : parties, ESSMS, objectifs, financement et suivi.",
    Kind.AVENANT: "Avenant au CPOM : les modifications apportées au contrat, clé par clé.",
    Kind.REPORT: "Compte-rendu d'un dialogue de gestion, d'un comité de suivi ou de pilotage.",
}


def schema_for(kind: Kind) -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12) of one kind of file, made from its pydantic model."""
    schema = MODELS[kind].model_json_schema()
    for name, definition in schema.get("$defs", {}).items():
        title, description = TITLES.get(name, (name, ""))
        definition["title"] = title
        if description:
            definition["description"] = description
    schema["description"] = ROOT_DESCRIPTIONS[kind]
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": _id(kind), **schema}


def _id(kind: Kind) -> str:
    return SCHEMA_BASE + SCHEMA_FILES[kind]


def schema_text(kind: Kind) -> str:
    """The schema of `kind` exactly as `cpomdocs schema` writes it."""
    return json.dumps(schema_for(kind), ensure_ascii=False, indent=2) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into `folder` (only those that changed) and return their paths; not
    into a contract folder, where `avenants/cpom.schema.json` would be read as an avenant."""
    from cpomdocs.data.folders import refuse_writing_over_sources

    refuse_writing_over_sources(
        folder / SCHEMA_FILES[Kind.CONTRACT], [], over_input="", in_contract=lambda name: (
            f"{folder}: ce dossier est dans le dossier du contrat {name}, parmi ses sources : "
            "écrivez les schémas ailleurs, par exemple -o schema"
        ),
    )  # fmt: skip
    written = []
    for kind in Kind:
        target = folder / SCHEMA_FILES[kind]
        text = schema_text(kind)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            write_text_atomic(target, text)
        written.append(target)
    return written


def stale_schemas(folder: Path) -> list[Path]:
    """The schema files of `folder` that are missing or differ from the models."""
    stale = []
    for kind in Kind:
        target = folder / SCHEMA_FILES[kind]
        if not target.is_file() or target.read_text(encoding="utf-8") != schema_text(kind):
            stale.append(target)
    return stale


@cache
def validator(kind: Kind) -> jsonschema.Draft202012Validator:
    """The compiled validator of `kind`, built once per process."""
    # No check against the meta-schema here: it costs ~0.4 s per kind (a test does it).
    # $refs are inlined (the models are not recursive): ~30 % less time per contract.
    schema = schema_for(kind)
    checker = jsonschema.validators.extend(jsonschema.Draft202012Validator, {"pattern": _pattern})
    return checker(
        _inline(schema, schema.get("$defs", {})),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Any:
    """JSON Schema's `pattern` with ECMA-262's `$`, the end of the text: Python's `re.search`
    also lets it match before a final newline (« O1\n » passed as a second objective O1)."""
    if validator.is_type(instance, "string") and not _anchored(pattern).search(instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _anchored(pattern: str) -> re.Pattern[str]:
    """`pattern` compiled with a final `$` made `\\Z`."""
    end = pattern.endswith("$") and not pattern.endswith("\\$")
    return re.compile(pattern[:-1] + r"\Z" if end else pattern)


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    """A copy of `node` where each local $ref is replaced by the definition it names."""
    if isinstance(node, list):
        return [_inline(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    inlined = {k: _inline(v, defs) for k, v in node.items() if k not in ("$ref", "$defs")}
    if "$ref" in node:
        return {**_inline(defs[node["$ref"].removeprefix("#/$defs/")], defs), **inlined}
    return inlined


def check_schema(document: Document, kind: Kind) -> list[Problem]:
    """Every JSON Schema problem of a document, each at its line."""
    errors = list(validator(kind).iter_errors(document.data))
    # A value of the wrong type also fails its enum or pattern: say the type only.
    mistyped = {tuple(e.absolute_path) for e in errors if e.validator == "type"}
    problems: list[Problem] = []
    for error in errors:
        if error.validator == "type" or tuple(error.absolute_path) not in mistyped:
            problems.extend(schema_problems(error, document))
    return sorted(set(problems))


def check_model(document: Document, kind: Kind) -> tuple[BaseModel | None, list[Problem]]:
    """Build the pydantic object, turning any ValidationError into located French problems."""
    try:
        return MODELS[kind].model_validate(document.data), []
    except ValidationError as exc:
        return None, sorted(set(model_problems(exc, document)))
