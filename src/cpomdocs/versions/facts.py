"""Every fact of a piece of a contract as French lines « what : value » (textconv, diff details)."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from typing import Any

from cpomdocs.versions.format import item_summary
from cpomdocs.versions.labels import formatter, subject

WIDTH = 100


def facts(value: Any, path: tuple, data: dict) -> Iterator[str]:
    """The leaves under `path`, one line each (long texts wrapped under their label)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from facts(item, (*path, key), data)
        return
    label = subject(path, data)
    if isinstance(value, list):
        yield from (f"{label} : {item_summary(item, path)}" for item in value)
    elif isinstance(value, str) and ("\n" in value or len(value) > 80):
        yield f"{label} :"
        for paragraph in value.strip().split("\n\n"):
            wrapped = textwrap.wrap(" ".join(paragraph.split()), WIDTH - 4)
            yield from (f"    {line}" for line in wrapped)
    else:
        yield f"{label} : {formatter(path, data)(value)}"


def keyed_by_finess(data: dict[str, Any]) -> dict[str, Any]:
    """`data` whose establishments have no name, so that labels name them by FINESS only: a
    renamed establishment then changes one line (its name), not every line that names it."""
    found = data.get("etablissements")
    if not isinstance(found, dict):
        return data
    nameless = {k: {f: v for f, v in e.items() if f != "nom"} if isinstance(e, dict) else e
                for k, e in found.items()}  # fmt: skip
    return {**data, "etablissements": nameless}


def item_details(value: Any, path: tuple, data: dict, label: str) -> list[str]:
    """An added or removed item (objective, indicator, ESSMS…) in full, its label left out."""
    if not isinstance(value, dict):
        return []
    lines: list[str] = []
    for line in facts(value, path, data):
        if line.startswith("    ") and lines:  # a long text: on its label's line
            lines[-1] += " " + line.strip()
        else:
            lines.append(line.removeprefix(label + ", "))
    return lines
