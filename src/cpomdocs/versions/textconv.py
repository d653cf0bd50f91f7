"""A contract as plain French text, one fact per line, for `git diff` (diff.cpom.textconv)."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cpomdocs.data.load import load_document
from cpomdocs.versions.diff import SECTIONS
from cpomdocs.versions.format import item_summary, plain
from cpomdocs.versions.labels import formatter, subject

_ORDER = [key for keys in SECTIONS.values() for key in keys]
_SECTION_OF = {key: name for name, keys in SECTIONS.items() for key in keys}
WIDTH = 100
_DATE_WORDS = {"signature": "de signature", "effet": "d'effet"}


def _facts(value: Any, path: tuple, data: dict) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _facts(item, (*path, key), data)
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


def contract_text(data: dict[str, Any]) -> str:
    """Every fact of a contract (or an avenant's modifications) as French lines, by section."""
    if "modifications" in data and "numero" in data:
        dates = data.get("dates") if isinstance(data.get("dates"), dict) else {}
        head = [f"Avenant n° {data.get('numero')} : {data.get('objet', '')}"]
        head += [f"Statut : {data.get('statut', '')}"]
        head += [f"Date {_DATE_WORDS.get(k, k)} : {plain(v)}" for k, v in dates.items()]
        motifs = textwrap.wrap(" ".join(str(data.get("motifs", "")).split()), WIDTH - 4)
        head += ["Exposé des motifs :", *(f"    {line}" for line in motifs)]
        return "\n".join([*head, "", "Modifications :", contract_text(data["modifications"])])
    lines: list[str] = []
    keys = sorted((k for k in data if k != "empreinte"), key=lambda k: (_order(k), k))
    current = ""
    for key in keys:
        section = _SECTION_OF.get(key, "Contrat")
        if section != current:
            lines += ["", f"== {section} =="] if lines else [f"== {section} =="]
            current = section
        lines.extend(_facts(data[key], (key,), data))
    return "\n".join(lines) + "\n"


def _order(key: str) -> int:
    return _ORDER.index(key) if key in _ORDER else len(_ORDER)


def textconv(path: Path) -> str:
    """The text `git diff` shows for a contract or avenant file."""
    data = load_document(path).data
    return contract_text(data) if isinstance(data, dict) else str(data)
