"""JSON Schemas generated from the models, and their errors told in French at the right line."""

from __future__ import annotations

import difflib
import json
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from pydantic import BaseModel, ValidationError

from cpomdocs.errors import Problem
from cpomdocs.identifiers import FINESS_PATTERN, SIREN_PATTERN, SIRET_PATTERN
from cpomdocs.load import Document
from cpomdocs.model import Contract
from cpomdocs.model_acts import Avenant, MeetingReport


class Kind(str, Enum):
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

TYPE_NAMES = {
    "object": "une table de clés (mapping)",
    "array": "une liste",
    "string": "un texte",
    "integer": "un nombre entier",
    "number": "un nombre",
    "boolean": "true ou false",
    "null": "rien (null)",
}
PATTERN_HINTS = {
    FINESS_PATTERN: "un numéro FINESS de 9 caractères (ex. « 340780477 »)",
    SIREN_PATTERN: "un SIREN de 9 chiffres",
    SIRET_PATTERN: "un SIRET de 14 chiffres",
    r"^[0-9]{5}$": "un code postal de 5 chiffres",
    r"^[0-9]{3}$": "un code catégorie FINESS de 3 chiffres (ex. « 500 »)",
    r"^20[0-9]{2}$": "une année (ex. 2026)",
}


def schema_for(kind: Kind) -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12) of one kind of file, made from its pydantic model."""
    schema = MODELS[kind].model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_BASE + SCHEMA_FILES[kind],
        **schema,
    }


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into `folder` and return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in Kind:
        target = folder / SCHEMA_FILES[kind]
        text = json.dumps(schema_for(kind), ensure_ascii=False, indent=2) + "\n"
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            tmp = target.with_suffix(".tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(target)
        written.append(target)
    return written


@cache
def _validator(kind: Kind) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        schema_for(kind), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def check_schema(document: Document, kind: Kind) -> list[Problem]:
    """Every JSON Schema problem of a document, each at its line."""
    problems: list[Problem] = []
    for error in _validator(kind).iter_errors(document.data):
        problems.extend(_translate(error, document))
    return sorted(set(problems))


def check_model(document: Document, kind: Kind) -> tuple[BaseModel | None, list[Problem]]:
    """Build the pydantic object, turning any ValidationError into located problems."""
    try:
        return MODELS[kind].model_validate(document.data), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            path = tuple(p for p in error["loc"] if p != "[key]")
            problems.append(document.problem(path, error["msg"]))
        return None, problems


def _translate(error: jsonschema.ValidationError, doc: Document) -> list[Problem]:
    path = tuple(error.absolute_path)
    value = error.instance
    keyword = error.validator
    if keyword in ("anyOf", "oneOf") and error.context:
        branches = [e for e in error.context if e.schema.get("type") != "null"]
        if branches:
            return [p for e in branches for p in _translate(e, doc)]
    if keyword == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extras = [k for k in value if k not in allowed]
        return [doc.problem((*path, k), _unknown(k, allowed), key=True) for k in extras]
    if keyword == "required":
        missing = error.validator_value
        names = [k for k in missing if k not in value]
        return [doc.problem(path, f"champ obligatoire « {name} » manquant") for name in names]
    if keyword == "propertyNames":
        key = str(value)
        return [doc.problem((*path, key), _bad_key(key, error.schema), key=True)]
    return [doc.problem(path, _message(keyword, error, value))]


def _unknown(key: str, allowed: list[str]) -> str:
    guess = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    hint = f" ; vouliez-vous dire « {guess[0]} » ?" if guess else ""
    return f"champ inconnu « {key} »{hint} (champs possibles : {', '.join(allowed)})"


def _bad_key(key: str, schema: dict[str, Any]) -> str:
    pattern = schema.get("propertyNames", {}).get("pattern", "")
    expected = PATTERN_HINTS.get(pattern, f"un identifiant de la forme {pattern}")
    return f"clé « {key} » invalide : attendu {expected}"


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "…"


def _message(keyword: str, error: jsonschema.ValidationError, value: Any) -> str:
    expected = error.validator_value
    if keyword == "type":
        wanted = expected if isinstance(expected, list) else [expected]
        names = " ou ".join(TYPE_NAMES.get(t, t) for t in wanted if t != "null")
        hint = ""
        if "string" in wanted and isinstance(value, int | float) and not isinstance(value, bool):
            hint = f" ; mettez la valeur entre guillemets : \"{value}\""
        return f"attendu {names or 'une autre valeur'}, trouvé {_shown(value)}{hint}"
    if keyword == "enum":
        options = [str(o) for o in expected]
        guess = difflib.get_close_matches(str(value), options, n=1, cutoff=0.5)
        hint = f" ; vouliez-vous dire « {guess[0]} » ?" if guess else ""
        listed = ", ".join(f"« {o} »" for o in options)
        return f"valeur {_shown(value)} non reconnue{hint} (valeurs possibles : {listed})"
    if keyword == "pattern":
        wanted = PATTERN_HINTS.get(expected, f"une valeur de la forme {expected}")
        return f"{_shown(value)} invalide : attendu {wanted}"
    if keyword == "format" and expected == "date":
        return f"date {_shown(value)} invalide : attendu AAAA-MM-JJ (ex. 2026-01-31)"
    if keyword == "minimum":
        return f"{_shown(value)} trop petit : {expected} au moins"
    if keyword == "maximum":
        return f"{_shown(value)} trop grand : {expected} au plus"
    if keyword == "minLength":
        return "texte vide : une valeur est attendue"
    return f"{_shown(value)} invalide ({keyword})"
