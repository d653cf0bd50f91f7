"""A contract as plain French text, one fact per line, for `git diff` (diff.cpom.textconv)."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from cpomdocs.data.load import load_document
from cpomdocs.versions.diff import SECTIONS
from cpomdocs.versions.facts import WIDTH, facts, keyed_by_finess
from cpomdocs.versions.format import plain

_ORDER = [key for keys in SECTIONS.values() for key in keys]
_SECTION_OF = {key: name for name, keys in SECTIONS.items() for key in keys}
_DATE_WORDS = {"signature": "de signature", "effet": "d'effet"}


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
    labels = keyed_by_finess(data)
    keys = sorted((k for k in data if k != "empreinte"), key=lambda k: (_order(k), k))
    current = ""
    for key in keys:
        section = _SECTION_OF.get(key, "Contrat")
        if section != current:
            lines += ["", f"== {section} =="] if lines else [f"== {section} =="]
            current = section
        lines.extend(facts(data[key], (key,), labels))
    return "\n".join(lines) + "\n"


def _order(key: str) -> int:
    return _ORDER.index(key) if key in _ORDER else len(_ORDER)


def textconv(path: Path) -> str:
    """The text `git diff` shows for a contract or avenant file."""
    data = load_document(path).data
    return contract_text(data) if isinstance(data, dict) else str(data)
