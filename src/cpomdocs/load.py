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
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STD = "tag:yaml.org,2002:"

# YAML 1.2 core typing for plain scalars; everything else stays a string, so that
# `no` is not False, `0755` is not 493 and `2024-05-01` stays an ISO date string.
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$")
_SCALAR_TAGS = {
    "str": str,
    "timestamp": str,
    "int": int,
    "float": float,
    "bool": bool,
    "null": type(None),
}
# libyaml's usual complaints, said in French (the original stays in parentheses).
_YAML_REASONS = {
    "mapping values are not allowed in this context": "deux-points inattendu ; une valeur "
    "contenant « : » doit être entre guillemets, ou l'indentation est décalée",
    "did not find expected key": "indentation incohérente ou tiret de liste mal placé",
    "could not find expected ':'": "deux-points « : » manquant après une clé",
    "found character that cannot start any token": "caractère interdit en début de valeur "
    "(tabulation, @ ou `) : indentez avec des espaces ou mettez la valeur entre guillemets",
    "found unexpected end of stream": "fin de fichier inattendue (guillemet non refermé ?)",
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
    document = Document(path, None)
    problems: list[Problem] = []
    try:
        document.data = _Composer(document, problems, json_syntax).run(text, shadow)
    except yaml.YAMLError as exc:
        if not json_syntax:
            raise InputError([_yaml_problem(exc, name)]) from None
        # Valid JSON that libyaml cannot read (a colon on the line after its key): keep the
        # data, without positions (its problems then point at the first line).
        document, problems = Document(path, None), []
        document.data = _unpaired(shadow, (), document, problems)
    if problems:
        raise InputError(problems)
    return document


def _unpaired(value: Any, path: Path_, doc: Document, problems: list[Problem]) -> Any:
    """JSON data read with _Pairs as plain dicts and lists (duplicates and depth refused)."""
    if len(path) > MAX_DEPTH:
        message = f"imbrication trop profonde ({MAX_DEPTH} niveaux au plus)"
        raise InputError([doc.problem(path, message)])
    if isinstance(value, list) and not isinstance(value, _Pairs):
        return [_unpaired(item, (*path, i), doc, problems) for i, item in enumerate(value)]
    if not isinstance(value, _Pairs):
        return value
    result: dict[str, Any] = {}
    for key, item in value:
        if key in result:
            message = f"clé « {key} » donnée deux fois : le second bloc remplacerait le premier"
            problems.append(doc.problem((*path, key), message))
        result[key] = _unpaired(item, (*path, key), doc, problems)
    return result


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


_NO_KEY = object()


@dataclass
class _Frame:
    """A mapping or sequence being filled, with its JSON twin when the file is JSON."""

    container: dict[str, Any] | list[Any]
    path: Path_
    shadow: Any
    key: Any = _NO_KEY  # in a mapping: the key whose value comes next
    keys_seen: int = 0
    first_line: dict[str, int] = field(default_factory=dict)


class _Composer:
    """Builds the data from libyaml's events in one pass, noting where each key and value stands.

    Working on events (rather than on yaml.compose's nodes) lets it refuse anchors, aliases
    and deep nesting before anything grows: a few hundred bytes of aliases ("billion laughs")
    would expand into gigabytes, and deep nesting would exhaust the C composer's stack.
    """

    def __init__(self, doc: Document, problems: list[Problem], json_syntax: bool):
        self.doc, self.problems, self.json_syntax = doc, problems, json_syntax

    def run(self, text: str, shadow: Any) -> Any:
        """The data of `text` (values from `shadow`, the json module's reading, for JSON)."""
        stack: list[_Frame] = []
        root: Any = None
        documents = 0
        for event in yaml.parse(text, Loader=Loader):
            kind = type(event)
            if kind in (yaml.CollectionEndEvent, yaml.MappingEndEvent, yaml.SequenceEndEvent):
                stack.pop()
                continue
            mark = event.start_mark
            where = (mark.line + 1, mark.column + 1)
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    message = "un seul document YAML par fichier (retirez le second « --- »)"
                    raise InputError([Problem(self.doc.name, *where, "", message)])
            if not isinstance(event, yaml.NodeEvent):
                continue
            if event.anchor is not None:
                sign = "*" if kind is yaml.AliasEvent else "&"
                message = (
                    f"ancre ou alias YAML ({sign}{event.anchor}) refusé : "
                    "recopiez la valeur au lieu d'y faire référence"
                )
                raise InputError([Problem(self.doc.name, *where, "", message)])
            parent = stack[-1] if stack else None
            if parent is not None and isinstance(parent.container, dict) and parent.key is _NO_KEY:
                self._key(event, parent, where)
                continue
            path, twin = self._place(parent, shadow)
            self.doc.values[path] = where
            if kind is yaml.ScalarEvent:
                value = twin if self.json_syntax else self._scalar(event, path)
            else:
                self._check_collection_tag(event, path, kind is yaml.MappingStartEvent)
                value = {} if kind is yaml.MappingStartEvent else []
                stack.append(_Frame(value, path, twin))
                if len(stack) > MAX_DEPTH:
                    message = f"imbrication trop profonde ({MAX_DEPTH} niveaux au plus)"
                    raise InputError([Problem(self.doc.name, *where, "", message)])
            if parent is None:
                root = value
            elif isinstance(parent.container, dict):
                parent.container[parent.key] = value
                parent.key = _NO_KEY
            else:
                parent.container.append(value)
        return root

    def _key(self, event: yaml.NodeEvent, parent: _Frame, where: tuple[int, int]) -> None:
        if not isinstance(event, yaml.ScalarEvent):
            problem = Problem(
                self.doc.name, *where, dotted(parent.path), "une clé doit être un texte"
            )
            raise InputError([*self.problems, problem])
        pairs = parent.shadow if isinstance(parent.shadow, _Pairs) else None
        key = pairs[parent.keys_seen][0] if pairs else event.value
        parent.keys_seen += 1
        key_path = (*parent.path, key)
        if key in parent.first_line:
            message = (
                f"clé « {key} » donnée deux fois (lignes {parent.first_line[key]} et {where[0]}) : "
                "fusionnez les deux blocs, le second remplacerait le premier"
            )
            self.problems.append(Problem(self.doc.name, *where, dotted(key_path), message))
        else:
            parent.first_line[key] = where[0]
            self.doc.keys[key_path] = where
        parent.key = key

    def _place(self, parent: _Frame | None, shadow: Any) -> tuple[Path_, Any]:
        """The path of the node that starts now, and its JSON twin."""
        if parent is None:
            return (), shadow
        if isinstance(parent.container, dict):
            pairs = parent.shadow if isinstance(parent.shadow, _Pairs) else None
            return (*parent.path, parent.key), pairs[parent.keys_seen - 1][1] if pairs else None
        index = len(parent.container)
        items = parent.shadow if isinstance(parent.shadow, list) else None
        return (*parent.path, index), items[index] if items else None

    def _check_collection_tag(self, event: yaml.NodeEvent, path: Path_, mapping: bool) -> None:
        allowed = (None, "!", _STD + ("map" if mapping else "seq"))
        if event.tag not in allowed:
            self._bad_tag(event.tag, path)

    def _bad_tag(self, tag: str, path: Path_) -> None:
        shown = tag.replace(_STD, "!!")
        self.problems.append(
            self.doc.problem(path, f"étiquette YAML « {shown} » non prise en charge")
        )

    def _scalar(self, event: yaml.ScalarEvent, path: Path_) -> Any:
        value, tag = event.value, event.tag
        if tag is None and event.implicit[0]:
            return _plain(value)
        if tag in (None, "!"):
            return value  # quoted or block scalars are always text
        wanted = tag.removeprefix(_STD)
        if not tag.startswith(_STD) or wanted not in _SCALAR_TAGS:
            self._bad_tag(tag, path)
            return None
        if wanted in ("str", "timestamp"):
            return value  # dates stay ISO text: the models turn them into dates
        typed = _plain(value)
        if _SCALAR_TAGS[wanted] is not type(typed) and not (
            wanted == "float" and type(typed) is int
        ):
            self.problems.append(
                self.doc.problem(path, f"« {value} » ne peut pas être lu comme !!{wanted}")
            )
            return None
        return float(typed) if wanted == "float" else typed


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
