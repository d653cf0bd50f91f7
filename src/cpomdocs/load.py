"""YAML and JSON files into plain data that remembers the line and column of every value."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cpomdocs.errors import InputError, Problem

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 40
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PLAIN = "tag:cpomdocs:plain"
_STD = "tag:yaml.org,2002:"


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Tags every unquoted scalar as plain, so that our own YAML 1.2 typing decides its type."""


_Loader.yaml_implicit_resolvers = {}
_Loader.add_implicit_resolver(_PLAIN, re.compile(r".*", re.DOTALL), None)

# YAML 1.2 core typing for plain scalars; everything else stays a string, so that
# `no` is not False, `0755` is not 493 and `2024-05-01` stays an ISO date string.
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$")
_EXPLICIT = {"str", "int", "float", "bool", "null", "timestamp", "map", "seq"}
# libyaml's usual complaints, said in French (the original stays in parentheses).
_YAML_REASONS = {
    "mapping values are not allowed in this context": "deux-points inattendu ; une valeur "
    "contenant « : » doit être entre guillemets, ou l'indentation est décalée",
    "did not find expected key": "indentation incohérente ou tiret de liste mal placé",
    "could not find expected ':'": "deux-points « : » manquant après une clé",
    "found character that cannot start any token": "caractère interdit en début de valeur "
    "(tabulation, @ ou `) : indentez avec des espaces ou mettez la valeur entre guillemets",
    "found unexpected end of stream": "fin de fichier inattendue (guillemet non refermé ?)",
    "but found another document": "un seul document YAML par fichier (retirez le second « --- »)",
}
_JSON_REASONS = {
    "Expecting ',' delimiter": "virgule manquante",
    "Expecting ':' delimiter": "deux-points manquant",
    "Expecting value": "valeur attendue",
    "Expecting property name enclosed in double quotes": "nom de clé entre guillemets attendu "
    "(ou virgule en trop)",
    "Unterminated string starting at": "texte non refermé",
    "Extra data": "contenu après la fin du document",
    "Illegal trailing comma before end of object": "virgule en trop avant «}»",
    "Illegal trailing comma before end of array": "virgule en trop avant «]»",
}

Path_ = tuple[str | int, ...]


@dataclass
class Document:
    """A loaded file: its data, and where each value and each key stands in the source."""

    path: Path
    data: Any
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The file name as shown to the user."""
        return str(self.path)

    def locate(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Line and column of the value (or key) at `path`, else of its nearest known parent."""
        path = tuple(str(p) if not isinstance(p, int) else p for p in path)
        if key and path in self.keys:
            return self.keys[path]
        while path:
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), (1, 1))

    def problem(self, path: Path_, message: str, *, key: bool = False, **kw: Any) -> Problem:
        """A Problem located at `path` in this file."""
        line, column = self.locate(path, key=key)
        return Problem(self.name, line, column, dotted(path), message, **kw)


def dotted(path: Path_) -> str:
    """A data path as people read it: objectifs.O2.indicateurs.TO.cibles.2027."""
    return ".".join(str(p) for p in path)


def load_document(path: Path) -> Document:
    """Read a YAML or JSON file, refusing what could hurt or silently lose data."""
    name = str(path)
    if not path.exists():
        raise InputError([Problem(name, 0, 0, "", "fichier introuvable")])
    if path.is_dir():
        raise InputError([Problem(name, 0, 0, "", "c'est un dossier, un fichier était attendu")])
    size = path.stat().st_size
    if size > MAX_BYTES:  # refused before reading a byte of it
        shown = f"{size / 2**20:.1f}".replace(".", ",")
        message = f"fichier trop volumineux ({shown} Mo) : {MAX_BYTES // 2**20} Mo au plus"
        raise InputError([Problem(name, 0, 0, "", message)])
    text = _decode(path.read_bytes(), name)
    return load_text(text, path, json_syntax=path.suffix.lower() == ".json")


def load_text(text: str, path: Path, *, json_syntax: bool = False) -> Document:
    """Turn YAML (or JSON) text into a Document; `path` only names it in messages."""
    name = str(path)
    if all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        raise InputError([Problem(name, 1, 1, "", "fichier vide : un contenu YAML était attendu")])
    shadow: Any = None
    if json_syntax:
        shadow = _json_data(text, name)
        # libyaml reads JSON too, but not its \uXXXX surrogate pairs: the values come from
        # json, the positions from libyaml, on a same-length copy that it can read.
        text = re.sub(r"\\u[0-9a-fA-F]{4}", r"\\u0041", text)
    _screen_events(text, name)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise InputError([_yaml_problem(exc, name)]) from None
    document = Document(path, None)
    problems: list[Problem] = []
    document.data = _build(root, (), document, problems, shadow, json_syntax)
    if problems:
        raise InputError(problems)
    return document


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        message = (
            f"octet 0x{raw[exc.start]:02x} invalide en UTF-8 : enregistrez le fichier en UTF-8 "
            "(et non en Windows-1252 ou Latin-1)"
        )
        raise InputError([Problem(name, line, column, "", message)]) from None


class _Pairs(list):
    """A JSON object as its list of (key, value) pairs, duplicates kept for the check."""


def _json_data(text: str, name: str) -> Any:
    def refuse(constant: str) -> Any:
        raise ValueError(constant)

    try:
        return json.loads(text, object_pairs_hook=_Pairs, parse_constant=refuse)
    except json.JSONDecodeError as exc:
        reason = _JSON_REASONS.get(exc.msg, exc.msg)
        message = f"JSON invalide : {reason}" + (f" ({exc.msg})" if reason != exc.msg else "")
        raise InputError([Problem(name, exc.lineno, exc.colno, "", message)]) from None
    except ValueError as exc:
        message = f"JSON invalide : {exc} n'est pas un nombre admis"
        raise InputError([Problem(name, 1, 1, "", message)]) from None
    except RecursionError:
        message = f"imbrication trop profonde ({MAX_DEPTH} niveaux au plus)"
        raise InputError([Problem(name, 1, 1, "", message)]) from None


def _screen_events(text: str, name: str) -> None:
    """Refuse anchors, aliases and deep nesting on the event stream, before building anything.

    Anchors and aliases let a few hundred bytes expand into gigabytes of data ("billion
    laughs"); deep nesting would exhaust the C stack of the composer.
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            anchor = getattr(event, "anchor", None)
            mark = event.start_mark
            where = (mark.line + 1, mark.column + 1)
            if anchor is not None:
                sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
                message = (
                    f"ancre ou alias YAML ({sign}{anchor}) refusé : "
                    "recopiez la valeur au lieu d'y faire référence"
                )
                raise InputError([Problem(name, *where, "", message)])
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    message = f"imbrication trop profonde ({MAX_DEPTH} niveaux au plus)"
                    raise InputError([Problem(name, *where, "", message)])
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as exc:
        raise InputError([_yaml_problem(exc, name)]) from None


def _yaml_problem(exc: yaml.YAMLError, name: str) -> Problem:
    reason = getattr(exc, "problem", None) or str(exc)
    mark = getattr(exc, "problem_mark", None)
    if reason == "could not find expected ':'" or mark is None:
        mark = getattr(exc, "context_mark", None) or mark  # the key that lacks its colon
    line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    said = _YAML_REASONS.get(reason)
    message = (
        f"syntaxe YAML invalide : {said} ({reason})"
        if said
        else f"syntaxe YAML invalide : {reason}"
    )
    return Problem(name, line, column, "", message)


def _build(
    node: yaml.Node,
    path: Path_,
    doc: Document,
    problems: list[Problem],
    shadow: Any,
    json_syntax: bool,
) -> Any:
    doc.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    tag = node.tag
    if tag != _PLAIN and tag.removeprefix(_STD) not in _EXPLICIT:
        shown = tag.replace(_STD, "!!")
        problems.append(doc.problem(path, f"étiquette YAML « {shown} » non prise en charge"))
        return None
    if isinstance(node, yaml.MappingNode):
        return _build_mapping(node, path, doc, problems, shadow, json_syntax)
    if isinstance(node, yaml.SequenceNode):
        items = shadow if json_syntax and isinstance(shadow, list) else [None] * len(node.value)
        return [
            _build(item, (*path, index), doc, problems, items[index], json_syntax)
            for index, item in enumerate(node.value)
        ]
    if json_syntax:
        return shadow
    return _scalar(node, path, doc, problems)


def _build_mapping(
    node: yaml.MappingNode,
    path: Path_,
    doc: Document,
    problems: list[Problem],
    shadow: Any,
    json_syntax: bool,
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    first_line: dict[str, int] = {}
    pairs = shadow if json_syntax and isinstance(shadow, _Pairs) else None
    for index, (key_node, value_node) in enumerate(node.value):
        where = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(Problem(doc.name, *where, dotted(path), "une clé doit être un texte"))
            continue
        key = pairs[index][0] if pairs else key_node.value
        key_path = (*path, key)
        if key in result:
            message = (
                f"clé « {key} » donnée deux fois (lignes {first_line[key]} et {where[0]}) : "
                "fusionnez les deux blocs, le second remplacerait le premier"
            )
            problems.append(Problem(doc.name, *where, dotted(key_path), message))
            continue
        first_line[key] = where[0]
        doc.keys[key_path] = where
        value_shadow = pairs[index][1] if pairs else None
        result[key] = _build(value_node, key_path, doc, problems, value_shadow, json_syntax)
    return result


def _scalar(node: yaml.ScalarNode, path: Path_, doc: Document, problems: list[Problem]) -> Any:
    value = node.value
    if node.tag != _PLAIN:  # quoted, block or explicitly tagged
        wanted = node.tag.removeprefix(_STD)
        if node.style or wanted in ("str", "timestamp"):
            return value  # quoted or block scalars are always text; dates stay ISO text
        typed = _plain(value)
        if wanted != {bool: "bool", int: "int", float: "float", type(None): "null"}.get(
            type(typed), "str"
        ) and not (wanted == "float" and isinstance(typed, int)):
            problems.append(doc.problem(path, f"« {value} » ne peut pas être lu comme !!{wanted}"))
            return None
        return float(typed) if wanted == "float" else typed
    return _plain(value)


def _plain(value: str) -> Any:
    """The YAML 1.2 core-schema value of an unquoted scalar (strings for all the rest)."""
    if _NULL.match(value):
        return None
    if _BOOL.match(value):
        return value.lower() == "true"
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    return value
