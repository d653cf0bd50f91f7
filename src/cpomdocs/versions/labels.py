"""Labels of the diff: what a data path is called, and how its value is written, in French.

Every fact of a piece of a contract as French lines « what : value » (textconv, diff details).
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from typing import Any

from cpomdocs.fmt import plural
from cpomdocs.versions.format import (
    entry,
    essms_label,
    essms_name,
    euros,
    item_summary,
    long_date,
    objective_label,
    of,
    party_label,
    path_titles,
    plain,
    title,
    with_unit,
)


def subject(path: tuple, data: dict) -> str:
    """What a data path is, in the domain's words (Objectif O3 « … », indicateur TO, cible 2027)."""
    head, rest = str(path[0]), path[1:]
    names = path_titles(path)
    if head == "etablissements" and rest:
        label = essms_label(str(rest[0]), data)
        tail = rest[1:]
        if tail[:1] == ("capacites",) and len(tail) >= 2:
            mode = f"capacité {names[3]}"
            return f"{label}, {mode}" + (f", {names[4]}" if len(tail) > 2 else "")
        return ", ".join([label, *names[2:]])
    if head == "objectifs" and rest:
        oid = str(rest[0])
        label, tail = objective_label(oid, data), rest[1:]
        rest_names = names[2:]
        if tail[:1] == ("indicateurs",) and len(tail) >= 2:
            code = str(tail[1])
            indicator = entry(entry(data, "objectifs", oid), "indicateurs", code)
            named = indicator.get("libelle") and len(tail) == 2
            label += f", indicateur {code}" + (
                f" «\u00a0{indicator['libelle']}\u00a0»" if named else ""
            )
            tail, rest_names = tail[2:], rest_names[2:]
            if tail[:1] == ("cibles",) and len(tail) == 2:
                return f"{label}, cible {tail[1]}"
        elif tail[:1] == ("actions",) and len(tail) >= 2:
            action = entry(entry(data, "objectifs", oid), "actions", str(tail[1]))
            named = action.get("libelle") and len(tail) == 2
            label += f", action {tail[1]}" + (
                f" «\u00a0{action['libelle']}\u00a0»" if named else ""
            )
            rest_names = rest_names[2:]
        return ", ".join([label, *rest_names])
    if head == "financement" and rest[:1] == ("lignes",) and len(rest) >= 2:
        finess, tail = str(rest[1]), rest[2:]
        where = of(essms_name(finess, data))
        if len(tail) == 3:
            party, nature, year = tail
            return f"{title(nature).capitalize()} {year} {where} ({party_label(str(party), data)})"
        return f"Financement {where}" + "".join(f", {party_label(str(p), data)}" for p in tail[:1])
    if head == "financement" and rest[:1] == ("totaux",) and len(rest) == 2:
        return f"Total annuel déclaré {rest[1]}"
    if head == "dates" and len(rest) == 1:
        return titles_cap(names[1])
    if head == "duree_mois":
        return "Durée"
    if head == "suivi" and rest[:1] == ("comite",) and len(rest) == 2:
        who = "du gestionnaire" if rest[1] == "gestionnaire" else party_label(str(rest[1]), data)
        return f"Comité de suivi, membres {who}"
    if head == "autorites" and rest:
        party = entry(data, "autorites", str(rest[0])).get("nom", rest[0])
        if len(rest) == 1:
            return f"Autorité signataire {party}"
        return ", ".join([str(party), *names[2:]])
    if head == "gestionnaire":
        return ", ".join(["Organisme gestionnaire", *names[1:]])
    return titles_cap(", ".join(names))


def titles_cap(name: str | int) -> str:
    """A text (or a field's title) with its first letter in upper case."""
    text = name if isinstance(name, str) and " " in name else title(name)
    return text[:1].upper() + text[1:]


def indicator_unit(path: tuple, data: dict) -> str | None:
    """The unit of the indicator whose reference value or target is at `path` (None elsewhere)."""
    if str(path[0]) != "objectifs" or len(path) < 6 or path[2] != "indicateurs":
        return None
    if path[4] not in ("cibles", "reference") or path[-1] == "annee":
        return None
    indicator = entry(entry(data, "objectifs", str(path[1])), "indicateurs", str(path[3]))
    return str(indicator.get("unite", ""))


def formatter(path: tuple, data: dict) -> Any:
    """The function that formats the value at `path` (euros, percent, dates, places)."""
    head = str(path[0])
    if head == "financement" and path[1:2] != ("investissements",):
        return lambda v: euros(v) if isinstance(v, int | float) else plain(v)
    if head == "duree_mois" or path[-1:] == ("duree_mois",):
        return lambda v: f"{v} mois"
    unit = indicator_unit(path, data)
    if unit is not None:
        return lambda v: with_unit(v, unit)
    if path[-1] in ("autorisees", "installees", "places_habilitees"):
        return lambda v: plural(v, "place") if isinstance(v, int) else plain(v)  # 0, 1 place
    if head == "dates":
        return lambda v: long_date(v) if v else "—"
    return plain


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
