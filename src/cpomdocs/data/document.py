"""A loaded file: its data, and where each key and value stands in the source."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cpomdocs.errors import Problem

Path_ = tuple[str | int, ...]


@dataclass
class Document:
    """A loaded file: its data, and where each value and each key stands in the source."""

    path: Path
    data: Any
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    numbers: dict[Path_, str] = field(default_factory=dict)  # a decimal number's text as written

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


def strings_of(value: Any, path: Path_ = ()) -> Iterator[tuple[Path_, str]]:
    """Every string of a YAML document's data, with its path (the top value left out)."""
    if isinstance(value, str) and path:
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_of(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings_of(item, (*path, index))
