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

# YAML 1.2 core typing for plain scalars; everything else stays a string, so that
# `no` is not False, `0755` is not 493 and `2024-05-01` stays an ISO date string.
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][-+]?[0-9]+)?$")
_STANDARD_TAGS = {"str", "int", "float", "bool", "null", "map", "seq", "timestamp"}

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
    if size > MAX_BYTES:
        message = f"fichier trop volumineux ({size / 1e6:.1f} Mo) : {MAX_BYTES // 2**20} Mo au plus"
        raise InputError([Problem(name, 0, 0, "", message)])
    text = _decode(path.read_bytes(), name)
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise InputError([Problem(name, 1, 1, "", "fichier vide : un contenu YAML était attendu")])
    if path.suffix.lower() == ".json":
        _check_json_syntax(text, name)
    _refuse_aliases(text, name)
    try:
        root = yaml.compose(text, Loader=Loader)
    except yaml.YAMLError as exc:
        raise InputError([_yaml_problem(exc, name)]) from None
    document = Document(path, None)
    problems: list[Problem] = []
    document.data = _build(root, (), document, problems, 0)
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


def _check_json_syntax(text: str, name: str) -> None:
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError([Problem(name, exc.lineno, exc.colno, "", f"JSON invalide : {exc.msg}")])


def _refuse_aliases(text: str, name: str) -> None:
    """Refuse anchors and aliases: they let a few bytes expand into gigabytes of data."""
    try:
        for event in yaml.parse(text, Loader=Loader):
            anchor = getattr(event, "anchor", None)
            if anchor is not None or isinstance(event, yaml.AliasEvent):
                mark = event.start_mark
                message = (
                    f"ancre ou alias YAML (&{anchor} / *{anchor}) refusé : "
                    "recopiez la valeur au lieu d'y faire référence"
                )
                raise InputError([Problem(name, mark.line + 1, mark.column + 1, "", message)])
    except yaml.YAMLError as exc:
        raise InputError([_yaml_problem(exc, name)]) from None


def _yaml_problem(exc: yaml.YAMLError, name: str) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    reason = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"syntaxe YAML invalide : {reason}" + (f" ({context})" if context else "")
    return Problem(name, line, column, "", message)


def _build(node: yaml.Node, path: Path_, doc: Document, problems: list[Problem], depth: int) -> Any:
    doc.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if depth > MAX_DEPTH:
        problems.append(doc.problem(path, f"imbrication trop profonde ({MAX_DEPTH} niveaux au plus)"))
        return None
    tag = node.tag.rsplit(":", 1)[-1] if node.tag.startswith("tag:yaml.org,2002:") else node.tag
    if tag not in _STANDARD_TAGS:
        problems.append(doc.problem(path, f"étiquette YAML « {node.tag} » non prise en charge"))
        return None
    if isinstance(node, yaml.MappingNode):
        return _build_mapping(node, path, doc, problems, depth)
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(item, (*path, index), doc, problems, depth + 1)
            for index, item in enumerate(node.value)
        ]
    return _scalar(node)


def _build_mapping(
    node: yaml.MappingNode, path: Path_, doc: Document, problems: list[Problem], depth: int
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    first_line: dict[str, int] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            where = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            problems.append(Problem(doc.name, *where, dotted(path), "une clé doit être un texte"))
            continue
        key = key_node.value
        key_path = (*path, key)
        line = key_node.start_mark.line + 1
        if key in result:
            message = (
                f"clé « {key} » donnée deux fois (première fois ligne {first_line[key]}) : "
                "fusionnez les deux blocs, aucun ne doit en remplacer un autre"
            )
            problems.append(Problem(doc.name, line, key_node.start_mark.column + 1, dotted(key_path), message))
            continue
        first_line[key] = line
        doc.keys[key_path] = (line, key_node.start_mark.column + 1)
        result[key] = _build(value_node, key_path, doc, problems, depth + 1)
    return result


def _scalar(node: yaml.ScalarNode) -> Any:
    value = node.value
    if node.style in ("'", "\"", "|", ">") or node.tag.endswith(":str"):
        return value  # quoted or block scalars are always text
    if _NULL.match(value):
        return None
    if _BOOL.match(value):
        return value.lower() == "true"
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value) and not re.match(r"^[-+]?0[0-9]", value):
        return float(value)
    return value
