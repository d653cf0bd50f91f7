"""JSON Schema and pydantic errors, told in French at the line of the key or value at fault."""

from __future__ import annotations

import difflib
import json
import re
from collections import defaultdict
from typing import Any

import jsonschema
from pydantic import ValidationError

from cpomdocs import fmt
from cpomdocs.data.identifiers import FINESS_PATTERN, SIREN_PATTERN, SIRET_PATTERN
from cpomdocs.data.load import Document
from cpomdocs.data.model import YEAR_KEY
from cpomdocs.errors import Problem

TYPE_NAMES = {
    "object": "une table de clés (champ: valeur)",
    "array": "une liste (lignes « - … »)",
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
    YEAR_KEY: "une année de 2000 à 2099 (ex. 2026)",
    r"^[a-z][a-z0-9_-]*$": "un identifiant de partie en minuscules (ex. « ars », « cd34 »)",
    r"^O[0-9]+(\.[0-9]+)*$": "un identifiant d'objectif (ex. « O1 », « O2.3 »)",
    r"^[A-Z][A-Za-z0-9_.-]*$": "un code commençant par une majuscule (ex. « A1.2 », « TO-HP »)",
    r"^[0-9a-f]{64}$": "une empreinte SHA-256 (64 caractères hexadécimaux)",
}
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
        return [doc.problem((*path, k), unknown_field(k, allowed), key=True) for k in extras]
    if keyword == "required" and isinstance(value, dict):
        known = error.schema.get("properties", {})
        typos = [k for k in value if k not in known]
        names = [k for k in error.validator_value if k not in value]
        # A misspelt field is said once, by « champ inconnu … vouliez-vous dire … ? ».
        names = [n for n in names if not difflib.get_close_matches(n, typos, n=1, cutoff=0.6)]
        return [doc.problem(path, missing_field(name), key=True) for name in names]
    if keyword == "type" and not path:
        wanted = TYPE_NAMES.get(str(error.validator_value), str(error.validator_value))
        message = f"le fichier doit contenir {wanted}, pas {_kind(value)}"
        return [doc.problem(path, message)]
    if keyword in ("minimum", "maximum") and is_amount(path):
        return [doc.problem(path, _bound_message(keyword, error.validator_value, value))]
    return [doc.problem(path, _message(keyword, error.validator_value, value))]


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
    return [doc.problem(path, _message("type", types, error.instance))]


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
            message = _message("type", _PYDANTIC_TYPES[kind], value)
        elif kind in _PYDANTIC_BOUNDS:
            name, template = _PYDANTIC_BOUNDS[kind]
            if is_amount(path) and isinstance(value, int | float):
                bound = fmt.amount(float(ctx.get(name) or 0))
                message = f"{shown_amount(value)} {template.format(bound)}"
            else:
                message = f"{_shown(value)} {template.format(_number(ctx.get(name)))}"
        elif kind == "string_pattern_mismatch" and is_key:
            message = bad_key(str(value), {"propertyNames": {"pattern": ctx.get("pattern")}})
        elif kind == "string_pattern_mismatch":
            message = _message("pattern", ctx.get("pattern"), value)
        elif kind in ("enum", "literal_error"):
            options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
            message = _message("enum", options, value)
        elif kind == "date_range":
            message = f"date {_shown(value)} hors limites : attendu une date de 1900 à 2199"
        elif kind.startswith("date"):
            message = _message("format", "date", value)
        elif kind == "string_too_short":
            message = _message("minLength", 1, value)
        elif kind == "string_too_long":
            message = _message("maxLength", ctx.get("max_length"), value)
        elif kind == "too_long":
            keyword = "maxProperties" if isinstance(value, dict) else "maxItems"
            message = _message(keyword, ctx.get("max_length"), value)
        else:
            message = f"valeur {_shown(value)} invalide : {error['msg']}"
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


def unknown_field(key: str, allowed: list[str]) -> str:
    """« champ inconnu » with the field it most likely meant."""
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
        size, limit = _number(len(key)), _number(names["maxLength"])
        return f"clé trop longue ({size} caractères) : {limit} au plus"
    expected = PATTERN_HINTS.get(pattern, f"un identifiant de la forme {pattern}")
    return f"clé « {key} » invalide : attendu {expected}"


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "…"


def _number(value: Any) -> str:
    """An integer bound as French text writes it: 10 000 000 000 (other values unchanged)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}".replace(",", "\u202f") if isinstance(value, int) else str(value)


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "une liste"
    return "une valeur vide" if value is None else _shown(value)


_YES_NO = {"oui": True, "vrai": True, "yes": True, "on": True, "non": False, "faux": False}
_YES_NO |= {"no": False, "off": False}


def _type_hint(wanted: list[str], value: Any) -> str:
    """How to write the value so that it has the expected type, when that can be guessed."""
    if "string" in wanted and isinstance(value, int | float) and not isinstance(value, bool):
        return f' ; mettez la valeur entre guillemets : "{value}"'
    if not isinstance(value, str):
        return ""
    if "boolean" in wanted and value.strip().lower() in _YES_NO:
        return f" ; écrivez {str(_YES_NO[value.strip().lower()]).lower()}"
    if "number" in wanted or "integer" in wanted:
        # French habits: « 1 234,50 € », « 12 % », or a number put between quotes.
        bare = re.sub(r"[\s\u202f\xa0]", "", value).rstrip("€%").replace(",", ".")
        if re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", bare):
            if "number" in wanted:
                return f" ; écrivez {bare} (sans guillemets, espaces ni unité ; point décimal)"
            if "." not in bare:
                return f" ; écrivez {bare} (sans guillemets ni espaces)"
    return ""


def is_amount(path: tuple[Any, ...]) -> bool:
    """True for a path that holds euros (financing lines, totals, investments, results)."""
    names = {str(p) for p in path}
    return "financement" in names or "montant" in names or "execution_financiere" in names


READABLE_AMOUNT = 1e15


def shown_amount(value: float) -> str:
    """An amount in a message: « −25 000,00 € »; an absurd one as written (« 1e+28 »)."""
    return repr(value) if abs(value) >= READABLE_AMOUNT else fmt.amount(value)


def _bound_message(keyword: str, bound: Any, value: Any) -> str:
    """« −25 000,00 € trop petit : 0,00 € au moins », amounts written as contracts write them."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return _message(keyword, bound, value)
    # An absurd amount reads better as written (« 1e+28 ») than as 29 digits in groups.
    shown, limit = shown_amount(value), fmt.amount(float(bound))
    if keyword == "minimum":
        return f"{shown} trop petit : {limit} au moins"
    return f"{shown} trop grand : {limit} au plus"


def _message(keyword: str, expected: Any, value: Any) -> str:
    if keyword == "type":
        wanted = expected if isinstance(expected, list) else [expected]
        names = " ou ".join(dict.fromkeys(TYPE_NAMES.get(t, t) for t in wanted if t != "null"))
        found = "une table de clés" if isinstance(value, dict) else _kind(value)
        return f"attendu {names or 'rien (null)'}, trouvé {found}{_type_hint(wanted, value)}"
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
        return f"{_shown(value)} trop petit : {_number(expected)} au moins"
    if keyword == "maximum":
        return f"{_shown(value)} trop grand : {_number(expected)} au plus"
    if keyword == "minLength":
        return "texte vide : une valeur est attendue"
    if keyword == "maxLength":
        size = len(value) if isinstance(value, str) else "?"
        return f"texte trop long ({_number(size)} caractères) : {_number(expected)} au plus"
    if keyword == "maxItems":
        size = len(value) if isinstance(value, list) else "?"
        return f"liste trop longue ({_number(size)} éléments) : {_number(expected)} au plus"
    if keyword == "maxProperties":
        size = len(value) if isinstance(value, dict) else "?"
        return f"trop d'entrées ({_number(size)}) : {_number(expected)} au plus"
    if keyword == "const":
        return f"{_shown(value)} invalide : attendu {_shown(expected)}"
    return f"{_shown(value)} invalide ({keyword})"
