"""What the rules can still read of a file the schema refuses: its broken values stood in for.

A misspelt field is read as the field it most likely meant; a value of the wrong type (« quarante »
places, a date written in words, a list where a mapping is expected) or a missing field is
replaced by a stand-in that the schema accepts. Two copies are made with different stand-ins:
a rule's problem found identically in both does not depend on the broken values, and it is
reported with the schema's own messages; any other (or one about a replaced value) is left out.
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
import itertools
import re
import unicodedata
from typing import Any

import jsonschema

from cpomdocs.data.document import Document, Path_, dotted
from cpomdocs.data.schema import Kind, validator

MAX_ERRORS = 50  # beyond, the file is far from a contract: the schema's messages say enough
MAX_LEAVES = 5000  # values looked through for a donor: the cost stays bounded
ROUNDS = 4  # a stand-in object may hold fields that need one of their own: a few passes
# Sections that the rest of the contract refers to (FINESS EJ, financeurs, ESSMS): unreadable,
# they stand in as nothing in one reading and as every id the document names in the other, so
# that a reference to them is found missing in one reading only, and never reported.
REFERENCED = {("gestionnaire",), ("autorites",), ("etablissements",)}
# Amounts summed by the money's rules: a stand-in among them changes every sum alike.
SUMS = (("financement", "totaux"), ("financement", "dotation_globalisee_commune", "montants"))
_DATES = ("2001-01-01", "2099-12-31")
# Texts of the shapes the schemas' patterns ask for (a SIRET, a year, an id), when no value of
# the document itself fits: « 00000000000000 » stands in for a SIRET written as a number.
_SHAPES = [
    *(digit * size for size in (*range(1, 16), 64) for digit in "01"),
    *("2025", "2026", "O1", "O2", "A", "B", "a", "b"),
]
_TYPO_ERRORS = {"additionalProperties", "required"}


@dataclasses.dataclass(frozen=True)
class Salvaged:
    """Two readings of a refused file, and the data paths whose values were stood in for."""

    copies: tuple[Document, Document]
    replaced: frozenset[Path_]

    def depends_on_replaced(self, field: str) -> bool:
        """True when a problem's field is a replaced value or lies inside one."""
        return any(field == dotted(p) or field.startswith(dotted(p) + ".") for p in self.replaced)


def salvage(document: Document, kind: Kind) -> Salvaged | None:
    """The document read twice with its schema errors stood in for; None when nothing is wrong
    or when some error has no stand-in (the file is then reported by the schema alone)."""
    if not isinstance(document.data, dict):
        return None
    count = len(list(itertools.islice(validator(kind).iter_errors(document.data), MAX_ERRORS + 1)))
    if not 0 < count <= MAX_ERRORS:
        return None
    replaced: set[Path_] = set()
    copies = []
    for variant in (0, 1):
        data = _repaired(copy.deepcopy(document.data), kind, variant, replaced)
        if data is None:
            return None
        copies.append(dataclasses.replace(document, data=data))
    return Salvaged((copies[0], copies[1]), frozenset(replaced))


def _repaired(data: Any, kind: Kind, variant: int, replaced: set[Path_]) -> Any:
    _DEFS.update(validator(kind).schema.get("$defs", {}))
    for _ in range(ROUNDS):
        errors = list(validator(kind).iter_errors(data))
        if not errors:
            return data
        # The document's own values and keys, once a pass: the cost stays bounded.
        donors = _Donors(_leaves(data)[:MAX_LEAVES], _keys(data))
        # Deepest first: a stand-in for a parent would make its children's paths stale.
        for error in sorted(errors, key=lambda e: -len(e.absolute_path)):
            path = tuple(error.absolute_path)
            if not _fix(data, path, error, variant, replaced, donors):
                return None
    return None if list(validator(kind).iter_errors(data)) else data


@dataclasses.dataclass(frozen=True)
class _Donors:
    values: list[Any]  # every value and key of the document, in order
    keys: set[str]  # every key of every table


def _fix(
    data: Any,
    path: Path_,
    error: jsonschema.ValidationError,
    variant: int,
    replaced: set[Path_],
    found: _Donors,
) -> bool:
    """Repair the value `error` is about, in place; False when it cannot be."""
    donors = found.values
    try:
        parent = _at(data, path[:-1]) if path else None
        node = _at(data, path)
    except (KeyError, IndexError, TypeError):
        return True  # already replaced with its parent, in this pass
    if error.validator in _TYPO_ERRORS and isinstance(node, dict):
        _rename_unknown(node, error.schema)
        for name in error.schema.get("required", []):
            if name not in node:
                stand_in = _stand_in(
                    error.schema.get("properties", {}).get(name, {}), variant, donors
                )
                if stand_in is _NONE:
                    return False
                node[name] = stand_in
                replaced.add((*path, name))
        return True
    if "propertyNames" in error.schema_path and isinstance(node, dict):
        meant = _rekey(node, error.instance, error.schema, variant, found)
        replaced.add(path if meant is None else (*path, meant))
        if path[:1] == ("financement",):
            replaced.update(SUMS)  # its sums follow from a year or an ESSMS we guessed
        return True
    if path in REFERENCED:
        stand_in = _referenced(error.schema, variant, found)
    else:
        stand_in = _stand_in(error.schema, variant, donors)
    if stand_in is _NONE:
        return False
    parent[path[-1]] = stand_in
    replaced.add(path)
    if isinstance(stand_in, dict | list) and path[0] == "financement":
        replaced.update(SUMS)  # amounts lost alike in both readings: no sum can be checked
    return True


def _referenced(schema: dict[str, Any], variant: int, found: _Donors) -> Any:
    """An unreadable OG, parties or ESSMS: empty in the first reading; in the second, one
    entry (filled in by the next passes) for each id of the document that fits the keys."""
    if schema.get("type") != "object" or "propertyNames" not in schema or not variant:
        return {}
    checker = _checker(schema["propertyNames"])
    ids = [v for v in dict.fromkeys(found.values) if isinstance(v, str) and checker.is_valid(v)]
    return {key: {} for key in ids[: schema.get("maxProperties", 200)]}


def _rekey(
    node: dict[str, Any], key: Any, schema: dict[str, Any], variant: int, found: _Donors
) -> str | None:
    """Read a key that is no year, no FINESS as the one it becomes without its spaces
    (« 2027\\n » → « 2027 ») when that one fits and is absent: None. Else the entry moves to a
    stand-in key, different in each reading, which it returns (or is left out: « »)."""
    value = node.pop(key, None)
    meant = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(key)))
    if meant not in node and _fits(meant, schema):
        node[meant] = value
        return None
    checker = _checker(schema)
    donors, elsewhere = found.values, found.keys
    keys = [k for k in dict.fromkeys([*donors, *_SHAPES]) if isinstance(k, str) and k not in node]
    free = [k for k in keys if checker.is_valid(k)]
    if not free:
        return ""
    # First reading: the likeliest meant key (« 34000513 » → « 340005131 »), else one that
    # other tables use (the money's lines name their ESSMS by FINESS); second reading: another
    # one, so that what depends on the key differs between the two.
    close = difflib.get_close_matches(str(key), free, n=1, cutoff=0.5)
    named = [k for k in free if k in elsewhere and k not in close]
    ordered = [*close, *named, *(k for k in free if k not in close and k not in named)]
    stand_in = ordered[variant % len(ordered)]
    node[stand_in] = value
    return stand_in


def _at(data: Any, path: Path_) -> Any:
    for step in path:
        data = data[step]
    return data


def _rename_unknown(node: dict[str, Any], schema: dict[str, Any]) -> None:
    """Read each unknown key as the absent field « vouliez-vous dire » names, or drop it."""
    if schema.get("additionalProperties", True) is not False:
        return
    allowed = schema.get("properties", {})
    patterns = list(schema.get("patternProperties", {}))
    for key in [k for k in node if k not in allowed]:
        if any(re.search(pattern, key) for pattern in patterns):
            continue
        absent = [name for name in allowed if name not in node]
        meant = difflib.get_close_matches(key, absent, n=1, cutoff=0.6)
        value = node.pop(key)
        if meant:
            node[meant[0]] = value


_NONE = object()  # no stand-in could be made
# The schemas' shared definitions (one set of pydantic models makes them all): a stand-in for
# a field whose schema is a « $ref » (the OG's address) is made from its definition.
_DEFS: dict[str, Any] = {}


def _stand_in(schema: dict[str, Any], variant: int, donors: list[Any]) -> Any:
    """A value `schema` accepts, different for variant 0 and 1 where the schema allows; a text
    with a pattern (a FINESS, an id) is one of the document's own `donors` that fits."""
    if isinstance(schema.get("$ref"), str) and schema["$ref"].startswith("#/$defs/"):
        found = _DEFS.get(schema["$ref"].removeprefix("#/$defs/"))
        if found is None:
            return _NONE
        schema = {**found, **{k: v for k, v in schema.items() if k != "$ref"}}
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][variant % len(schema["enum"])]
    for union in ("anyOf", "oneOf"):
        if union in schema:
            # Null last: two dates, not « no date », tell what depends on the value.
            branches = sorted(schema[union], key=lambda b: b == {"type": "null"})
            for branch in branches:
                value = _stand_in({**_rest(schema, union), **branch}, variant, donors)
                if value is not _NONE and _fits(value, schema):
                    return value
            return _NONE
    kind = schema.get("type")
    value: Any = _NONE
    if kind == "null":
        value = None
    elif kind == "boolean":
        value = bool(variant)
    elif kind in ("integer", "number"):
        value = _number(schema, variant)
    elif kind == "string":
        value = _text(schema, variant, donors)
    elif kind == "array":
        item = _stand_in(schema.get("items", {}), variant, donors)
        value = _NONE if item is _NONE else [item] * schema.get("minItems", 0)
    elif kind == "object":
        value = {}
        for name in schema.get("required", []):
            value[name] = _stand_in(schema.get("properties", {}).get(name, {}), variant, donors)
            if value[name] is _NONE:
                return _NONE
    return value if value is not _NONE and _fits(value, schema) else _NONE


def _rest(schema: dict[str, Any], union: str) -> dict[str, Any]:
    return {k: v for k, v in schema.items() if k != union}


def _number(schema: dict[str, Any], variant: int) -> int:
    low = schema.get("minimum", schema.get("exclusiveMinimum", -1) + 1)
    return int(max(low, 0)) + variant


def _text(schema: dict[str, Any], variant: int, donors: list[Any]) -> Any:
    if schema.get("format") == "date":
        return _DATES[variant]
    if "pattern" in schema:
        checker = _checker(schema)
        found = [v for v in [*donors, *_SHAPES] if checker.is_valid(v)]
        return found[variant % len(found)] if found else _NONE
    return "xy"[variant] * max(schema.get("minLength", 1), 1)


def _leaves(data: Any) -> list[Any]:
    if isinstance(data, dict):
        return [*data.keys(), *(leaf for v in data.values() for leaf in _leaves(v))]
    if isinstance(data, list):
        return [leaf for v in data for leaf in _leaves(v)]
    return [data]


def _keys(data: Any) -> set[str]:
    """Every key of every table of the document."""
    if isinstance(data, dict):
        return {str(k) for k in data} | {k for v in data.values() for k in _keys(v)}
    if isinstance(data, list):
        return {k for v in data for k in _keys(v)}
    return set()


def _fits(value: Any, schema: dict[str, Any]) -> bool:
    return _checker(schema).is_valid(value)


def _checker(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
