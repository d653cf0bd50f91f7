"""JSON Schema and pydantic errors, told in French at the line of the key or value at fault."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from typing import Any

import jsonschema
from pydantic import ValidationError

from cpomdocs import fmt
from cpomdocs.data.load import Document
from cpomdocs.data.message_words import (
    PATTERN_HINTS,
    TYPE_NAMES,
    amount_bound_message,
    is_amount,
    keyword_message,
    kind_of_value,
    shown_amount,
    shown_number,
    shown_value,
)
from cpomdocs.data.model import YEAR_KEY
from cpomdocs.errors import Problem

# pydantic's error types → JSON Schema words, so that both speak the same French.
_PYDANTIC_TYPES = {
    "string_type": "string",
    "int_type": "integer",
    "int_parsing": "integer",
    "int_from_float": "integer",
    "float_type": "number",
    "float_parsing": "number",
    "bool_type": "boolean",
    "bool_parsing": "boolean",
    "dict_type": "object",
    "model_type": "object",
    "model_attributes_type": "object",
    "list_type": "array",
}
_PYDANTIC_BOUNDS = {
    "greater_than_equal": ("ge", "trop petit : {} au moins"),
    "greater_than": ("gt", "trop petit : plus de {}"),
    "less_than_equal": ("le", "trop grand : {} au plus"),
    "less_than": ("lt", "trop grand : moins de {}"),
}


def schema_problems(error: jsonschema.ValidationError, doc: Document) -> list[Problem]:
    """One JSON Schema error as located French problems (a union error names its real cause)."""
    path = tuple(error.absolute_path)
    value = error.instance
    keyword = error.validator
    if "propertyNames" in list(error.relative_schema_path)[-2:]:
        return [doc.problem((*path, str(value)), bad_key(str(value), error.schema), key=True)]
    if keyword in ("anyOf", "oneOf") and error.context:
        return _union(error, doc)
    if keyword == "additionalProperties" and isinstance(value, dict):
        allowed = sorted(error.schema.get("properties", {}))
        extras = [k for k in value if k not in allowed]
        return [doc.problem((*path, k), unknown_field(k, allowed, path), key=True) for k in extras]
    if keyword == "required" and isinstance(value, dict):
        known = error.schema.get("properties", {})
        typos = [k for k in value if k not in known]
        names = [k for k in error.validator_value if k not in value]
        # A misspelt field is said once, by « champ inconnu … vouliez-vous dire … ? ».
        names = [n for n in names if not difflib.get_close_matches(n, typos, n=1, cutoff=0.6)]
        return [doc.problem(path, missing_field(name), key=True) for name in names]
    if keyword == "type" and not path:
        wanted = TYPE_NAMES.get(str(error.validator_value), str(error.validator_value))
        message = f"le fichier doit contenir {wanted}, pas {kind_of_value(value)}"
        return [doc.problem(path, message)]
    if keyword == "type" and error.schema.get("format") == "date":
        return [doc.problem(path, _not_a_date(value))]
    if keyword in ("minimum", "maximum") and is_amount(path):
        return [doc.problem(path, amount_bound_message(keyword, error.validator_value, value))]
    return [doc.problem(path, keyword_message(keyword, error.validator_value, value))]


def _union(error: jsonschema.ValidationError, doc: Document) -> list[Problem]:
    """Report the branches whose type fits the value, or one type message if none fits."""
    depth = len(error.absolute_path)
    branches: dict[Any, list[jsonschema.ValidationError]] = defaultdict(list)
    for sub in error.context or []:
        branches[sub.relative_schema_path[0]].append(sub)
    fitting, types = [], []
    for errors in branches.values():
        misfit = [e for e in errors if e.validator == "type" and len(e.absolute_path) == depth]
        if misfit:
            wanted = misfit[0].validator_value
            types.extend(wanted if isinstance(wanted, list) else [wanted])
        else:
            fitting.append(errors)
    if fitting:
        best = min(fitting, key=len)
        return [p for e in best for p in schema_problems(e, doc)]
    path = tuple(error.absolute_path)
    misfits = [e for errors in branches.values() for e in errors if e.validator == "type"]
    if any(e.schema.get("format") == "date" for e in misfits):  # an optional date
        return [doc.problem(path, _not_a_date(error.instance))]
    return [doc.problem(path, keyword_message("type", types, error.instance))]


def _not_a_date(value: Any) -> str:
    return f"attendu une date AAAA-MM-JJ (ex. 2026-01-31), trouvé {kind_of_value(value)}"


def model_problems(exc: ValidationError, doc: Document) -> list[Problem]:
    """pydantic's errors as located French problems (JSON Schema normally finds them first)."""
    problems = []
    for error in exc.errors():
        path, is_key = _data_path(error["loc"], doc.data)
        kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
        if kind == "missing":
            message, path, is_key = missing_field(str(path[-1])), path[:-1], True
        elif kind == "extra_forbidden":
            message, is_key = unknown_field(str(path[-1]), []), True
        elif is_key and kind in (*_PYDANTIC_BOUNDS, "int_parsing"):
            message = bad_key(str(value), {"pattern": YEAR_KEY})  # the only integer keys: years
        elif kind in _PYDANTIC_TYPES:
            message = keyword_message("type", _PYDANTIC_TYPES[kind], value)
        elif kind in _PYDANTIC_BOUNDS:
            name, template = _PYDANTIC_BOUNDS[kind]
            if is_amount(path) and isinstance(value, int | float):
                bound = fmt.amount(float(ctx.get(name) or 0))
                message = f"{shown_amount(value)} {template.format(bound)}"
            else:
                message = f"{shown_value(value)} {template.format(shown_number(ctx.get(name)))}"
        elif kind == "string_pattern_mismatch" and is_key:
            message = bad_key(str(value), {"propertyNames": {"pattern": ctx.get("pattern")}})
        elif kind == "string_pattern_mismatch":
            message = keyword_message("pattern", ctx.get("pattern"), value)
        elif kind in ("enum", "literal_error"):
            options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
            message = keyword_message("enum", options, value)
        elif kind == "date_range":
            message = f"date {shown_value(value)} hors limites : attendu une date de 1900 à 2199"
        elif kind.startswith("date"):
            message = keyword_message("format", "date", value)
        elif kind == "string_too_short":
            message = keyword_message("minLength", 1, value)
        elif kind == "string_too_long":
            message = keyword_message("maxLength", ctx.get("max_length"), value)
        elif kind == "too_long":
            keyword = "maxProperties" if isinstance(value, dict) else "maxItems"
            message = keyword_message(keyword, ctx.get("max_length"), value)
        else:
            message = f"valeur {shown_value(value)} invalide : {error['msg']}"
        problems.append(doc.problem(path, message, key=is_key))
    return problems


def _data_path(loc: tuple[Any, ...], data: Any) -> tuple[tuple[Any, ...], bool]:
    """The part of a pydantic location that exists in the data (union tags dropped)."""
    path: list[Any] = []
    current, is_key = data, False
    for index, part in enumerate(loc):
        if part == "[key]":
            is_key = True
        elif isinstance(current, dict) and str(part) in current:
            path.append(str(part))
            current = current[str(part)]
        elif isinstance(current, list) and isinstance(part, int) and part < len(current):
            path.append(part)
            current = current[part]
        elif index == len(loc) - 1 and isinstance(part, str) and not part[:1].isupper():
            path.append(part)  # a missing or unknown field's name
    return tuple(path), is_key


# Fields a newcomer writes where the model does not keep them (the date beside the place of
# signature): said with where they go.
ELSEWHERE = {
    "signature.date": "la date de signature s'écrit dans dates.signature",
    "date_signature": "la date de signature s'écrit dans dates.signature",
    "date_effet": "la date d'effet s'écrit dans dates.effet",
    "effet": "la date d'effet s'écrit dans dates.effet",
    "fin": "la date de fin s'écrit dans dates.fin",
    "date_fin": "la date de fin s'écrit dans dates.fin",
}


def unknown_field(key: str, allowed: list[str], parent: tuple[Any, ...] = ()) -> str:
    """« champ inconnu » with the field it most likely meant, or where it goes."""
    where = ELSEWHERE.get(".".join(map(str, (*parent, key))))
    if where and (parent or "dates" in allowed):  # a compte-rendu has no « dates »
        return f"champ inconnu « {key} » : {where}"
    guess = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if guess:
        return f"champ inconnu « {key} » : vouliez-vous dire « {guess[0]} » ?"
    listed = f" (champs possibles : {', '.join(allowed)})" if allowed else ""
    return f"champ inconnu « {key} »{listed}"


def missing_field(name: str) -> str:
    """The message of a required field that is absent."""
    return f"champ obligatoire « {name} » manquant"


def bad_key(key: str, schema: dict[str, Any]) -> str:
    """The message of a mapping key that does not have the expected form."""
    names = schema.get("propertyNames", schema)
    pattern = names.get("pattern", "")
    if len(key) > names.get("maxLength", len(key)):
        size, limit = shown_number(len(key)), shown_number(names["maxLength"])
        return f"clé trop longue ({size} caractères) : {limit} au plus"
    expected = PATTERN_HINTS.get(pattern, f"un identifiant de la forme {pattern}")
    return f"clé « {key} » invalide : attendu {expected}"
