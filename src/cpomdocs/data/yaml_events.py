"""libyaml's events into data in one pass, with YAML 1.2 typing and every position noted."""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from cpomdocs.data.characters import bad_character
from cpomdocs.data.document import Document, Path_, dotted
from cpomdocs.errors import InputError, Problem

MAX_DEPTH = 40
MAX_COLLECTION = 1_000  # entries of one list or table; the models allow 200 at most
MAX_DIGITS = 30  # an integer longer than this is no amount, and Python refuses 4 300 digits
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STD = "tag:yaml.org,2002:"

# YAML 1.2 core typing for plain scalars; everything else stays a string, so that
# `no` is not False, `0755` is not 493 and `2024-05-01` stays an ISO date string.
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$")
_NOT_FINITE = re.compile(r"^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")
_SCALAR_TAGS = {
    "str": str,
    "timestamp": str,
    "int": int,
    "float": float,
    "bool": bool,
    "null": type(None),
}


# YAML's one-letter escapes of the control characters, to find them in a quoted text.
_SHORT_ESCAPES = {0: "\\0", 7: "\\a", 8: "\\b", 0xB: "\\v", 0xC: "\\f", 0x1B: "\\e", 0x85: "\\N"}


class JsonPairs(list):
    """A JSON object as its list of (key, value) pairs, duplicates kept for the check."""


class OutOfRange(str):
    """A number too long or too large to be read (1e999, 5 000 digits), kept as its text."""


def read_int(text: str) -> int | OutOfRange:
    """An integer's text as a number, unless it has more than MAX_DIGITS digits."""
    return int(text) if len(text.lstrip("+-")) <= MAX_DIGITS else OutOfRange(text)


def read_float(text: str) -> float | OutOfRange:
    """A decimal number's text as a float, unless it overflows (1e999)."""
    number = float(text)
    return number if math.isfinite(number) else OutOfRange(text)


def value_problem(value: Any) -> str | None:
    """Why a scalar read from a file cannot be kept, if it cannot."""
    if isinstance(value, OutOfRange):
        shown = value if len(value) <= 24 else value[:20] + "…"
        return (
            f"nombre « {shown} » hors limites : un nombre fini d'au plus {MAX_DIGITS} chiffres "
            "est attendu"
        )
    if isinstance(value, float) and not math.isfinite(value):
        return "nombre infini ou indéfini (NaN) refusé : un nombre fini est attendu"
    if isinstance(value, str):
        found = bad_character(value)
        return found[1] if found else None
    return None


def printable(key: str) -> str:
    """A key that can be printed in a message (lone surrogates written as \\udXXX)."""
    return key.encode("utf-8", "backslashreplace").decode("utf-8")


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


class Composer:
    """Builds the data from libyaml's events in one pass, noting where each key and value stands.

    Working on events (rather than on yaml.compose's nodes) lets it refuse anchors, aliases
    and deep nesting before anything grows: a few hundred bytes of aliases ("billion laughs")
    would expand into gigabytes, and deep nesting would exhaust the C composer's stack.
    """

    def __init__(self, doc: Document, problems: list[Problem], json_syntax: bool):
        self.doc, self.problems, self.json_syntax = doc, problems, json_syntax
        self.text = ""
        self.line_starts: list[int] = []  # offsets of each line's start, computed when needed

    def run(self, text: str, shadow: Any, source: str | None = None) -> Any:
        """The data of `text` (values from `shadow`, the json module's reading, for JSON;
        `source`, of the same length, is the text as written, where characters are found)."""
        self.text, self.line_starts = source or text, []
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
                self._check_value(value, path, event)
                if type(value) is float:
                    self.doc.numbers[path] = event.value  # for the cents check (data/cents.py)
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
            if parent is not None and len(parent.container) > MAX_COLLECTION:
                raise InputError([self._too_long(parent)])
        return root

    def _too_long(self, frame: _Frame) -> Problem:
        """A list or table far longer than any schema bound: reading stops (cost guard)."""
        what = (
            "table de plus de {} entrées"
            if isinstance(frame.container, dict)
            else ("liste de plus de {} éléments")
        )
        limit = f"{MAX_COLLECTION:,}".replace(",", "\u202f")
        message = f"{what.format(limit)} : bien au-delà des limites d'un contrat, lecture arrêtée"
        return Problem(self.doc.name, *self.doc.values[frame.path], dotted(frame.path), message)

    def _key(self, event: yaml.NodeEvent, parent: _Frame, where: tuple[int, int]) -> None:
        if not isinstance(event, yaml.ScalarEvent):
            problem = Problem(
                self.doc.name, *where, dotted(parent.path), "une clé doit être un texte"
            )
            raise InputError([*self.problems, problem])
        pairs = parent.shadow if isinstance(parent.shadow, JsonPairs) else None
        key = pairs[parent.keys_seen][0] if pairs is not None else event.value
        parent.keys_seen += 1
        found = bad_character(key)
        if found:
            line, column = self._where(key, found[0], event)
            message = f"clé « {printable(key)} » : {found[1]}"
            self.problems.append(Problem(self.doc.name, line, column, dotted(parent.path), message))
            key = printable(key)
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

    def _check_value(self, value: Any, path: Path_, event: yaml.ScalarEvent) -> None:
        message = value_problem(value)
        if message is None:
            return
        found = bad_character(value) if isinstance(value, str) else None
        line, column = self._where(value, found[0], event) if found else self.doc.values[path]
        self.problems.append(Problem(self.doc.name, line, column, dotted(path), message))

    def _where(self, text: str, index: int, event: yaml.NodeEvent) -> tuple[int, int]:
        """Line and column of text[index] in the source: the character itself, its escape
        (« \\u202e », « \\x0b »), or else the start of the value."""
        start, end = event.start_mark.index, event.end_mark.index
        point = ord(text[index])
        source = self.text[start:end]
        escapes = (f"\\u{point:04x}", f"\\x{point:02x}", _SHORT_ESCAPES.get(point, "\\u"))
        for needle in (text[index], *escapes):
            found = source.lower().find(needle.lower()) if len(needle) > 1 else source.find(needle)
            if found >= 0:
                offset = start + found
                if not self.line_starts:
                    self.line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
                line = bisect.bisect_right(self.line_starts, offset)
                return line, offset - self.line_starts[line - 1] + 1
        return event.start_mark.line + 1, event.start_mark.column + 1

    def _place(self, parent: _Frame | None, shadow: Any) -> tuple[Path_, Any]:
        """The path of the node that starts now, and its JSON twin."""
        if parent is None:
            return (), shadow
        if isinstance(parent.container, dict):
            pairs = parent.shadow if isinstance(parent.shadow, JsonPairs) else None
            twin = pairs[parent.keys_seen - 1][1] if pairs is not None else None
            return (*parent.path, parent.key), twin
        index = len(parent.container)
        items = parent.shadow if isinstance(parent.shadow, list) else None
        return (*parent.path, index), items[index] if items is not None else None

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
        return read_int(value)
    if _FLOAT.match(value):
        return read_float(value)
    if _NOT_FINITE.match(value):
        return OutOfRange(value)  # YAML 1.2 reads these as infinity and NaN: no amount is
    return value
