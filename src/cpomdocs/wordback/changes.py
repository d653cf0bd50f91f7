"""Edits found in a returned DOCX turned into new data and a merge patch (RFC 7396).

Each value edit is read back with the type the data held (values.py); a Markdown field gets its
changed paragraphs replaced in its source, the other paragraphs kept as they were written; a
list of the data gets its added or removed items. What cannot be applied is kept with its reason.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from cpomdocs.wordback.compare import Edit
from cpomdocs.wordback.prose import edit_markdown
from cpomdocs.wordback.values import ValueError_, typed_value

DataPath = tuple[str | int, ...]
CLAUSE = "modification de clause type"
COMPUTED = "valeur calculée à partir des autres : elle suit d'elle-même, non appliquée"
FINANCING_LINES = ("financement", "lignes")


@dataclass
class Applied:
    """An edit that changes the data: where, before and after (typed)."""

    edit: Edit
    path: DataPath
    before: Any
    after: Any


@dataclass
class ChangeSet:
    """The outcome of an import: the new data, its merge patch, and what was left out."""

    old: dict[str, Any]
    new: dict[str, Any]
    applied: list[Applied] = field(default_factory=list)
    refused: list[tuple[Edit, str]] = field(default_factory=list)
    clauses: list[Edit] = field(default_factory=list)
    recomputed: list[tuple[DataPath, Any, Any]] = field(default_factory=list)

    def applied_edits(self) -> list[Edit]:
        """The edits applied, each once."""
        return list({id(a.edit): a.edit for a in self.applied}.values())

    @property
    def patch(self) -> dict[str, Any]:
        """The RFC 7396 merge patch from the old data to the new."""
        return merge_diff(self.old, self.new)


def resolve(data: Any, dotted: str) -> DataPath | None:
    """The keys of a dotted path in `data`, ids with dots (« O2.3 ») found longest first."""
    parts = dotted.split(".")
    node, found, i = data, [], 0
    while i < len(parts):
        if isinstance(node, list):
            if not parts[i].isdigit() or int(parts[i]) >= len(node):
                return None
            found.append(int(parts[i]))
            node, i = node[int(parts[i])], i + 1
            continue
        if not isinstance(node, dict):
            return None
        for j in range(len(parts), i, -1):
            key = ".".join(parts[i:j])
            if key in node:
                break
        else:
            return None
        found.append(key)
        node, i = node[key], j
    return tuple(found)


def get(data: Any, path: DataPath) -> Any:
    """The value at `path`."""
    for key in path:
        data = data[key]
    return data


def put(data: Any, path: DataPath, value: Any) -> None:
    """Set the value at `path` (its parent exists)."""
    get(data, path[:-1])[path[-1]] = value


def merge_diff(old: Any, new: Any) -> Any:
    """The merge patch that turns `old` into `new` (lists replaced whole, removed keys null)."""
    if not (isinstance(old, dict) and isinstance(new, dict)):
        return copy.deepcopy(new)
    patch: dict[str, Any] = {}
    for key in old:
        if key not in new:
            patch[key] = None
    for key, value in new.items():
        if key not in old:
            patch[key] = copy.deepcopy(value)
        elif old[key] != value:
            patch[key] = merge_diff(old[key], value)
    return patch


def build_change_set(data: dict[str, Any], edits: list[Edit]) -> ChangeSet:
    """Apply the edits to a copy of `data`; what cannot be applied goes to `refused`."""
    changes = ChangeSet(data, copy.deepcopy(data))
    by_path: dict[str, list[Edit]] = {}
    for edit in edits:
        if edit.kind == "valeur":
            by_path.setdefault(edit.path, []).append(edit)
        elif edit.kind == "calcul":
            changes.refused.append((edit, COMPUTED))
        elif edit.kind in ("clause", "hors-champ"):
            changes.clauses.append(edit)
    for dotted, group in by_path.items():
        _apply_value(changes, dotted, group)
    _apply_fields(changes, [e for e in edits if e.kind == "prose"])
    _apply_lists(changes, [e for e in edits if e.kind == "liste"])
    _recompute_totals(changes)
    return changes


def _apply_value(changes: ChangeSet, dotted: str, group: list[Edit]) -> None:
    path = resolve(changes.old, dotted)
    if path is None:
        for edit in group:
            changes.refused.append((edit, f"« {dotted} » n'existe pas dans les données"))
        return
    afters = {edit.after for edit in group}
    if len(afters) > 1:
        shown = " ; ".join(f"« {a} »" for a in sorted(afters))
        for edit in group:
            changes.refused.append(
                (edit, f"valeurs différentes au même endroit des données ({shown})")
            )
        return
    edit = group[0]
    before = get(changes.old, path)
    try:
        after = typed_value(edit.after, edit.before, before, str(path[-1]))
    except ValueError_ as exc:
        changes.refused.append((edit, f"« {edit.after} » illisible : {exc}"))
        return
    if after != before:
        put(changes.new, path, after)
        changes.applied.append(Applied(edit, path, before, after))


def _apply_fields(changes: ChangeSet, edits: list[Edit]) -> None:
    """Markdown fields: their changed paragraphs replaced in the source text."""
    by_field: dict[str, list[Edit]] = {}
    for edit in edits:
        by_field.setdefault(edit.path, []).append(edit)
    for dotted, group in by_field.items():
        path = resolve(changes.old, dotted)
        before = get(changes.old, path) if path is not None else None
        if path is None or not isinstance(before, str):
            for edit in group:
                changes.refused.append((edit, f"champ « {dotted} » introuvable dans les données"))
            continue
        after = edit_markdown(before, group)
        if after != before:
            put(changes.new, path, after)
            for edit in group:
                changes.applied.append(Applied(edit, path, before, after))


def _apply_lists(changes: ChangeSet, edits: list[Edit]) -> None:
    """Lists of texts of the data: items added after an item, items removed."""
    by_list: dict[str, list[Edit]] = {}
    for edit in edits:
        by_list.setdefault(edit.path, []).append(edit)
    for dotted, group in by_list.items():
        path = resolve(changes.old, dotted)
        items = get(changes.new, path) if path is not None else None
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            why = f"« {dotted} » n'est pas une liste de textes"
            if isinstance(items, dict):  # a value by year: a cell emptied, a line typed after it
                why = (f"une valeur de « {dotted} » ne s'ajoute ni ne s'efface dans le document : "
                       "corrigez le nombre dans sa cellule, ou modifiez le YAML")  # fmt: skip
            changes.refused.extend((edit, why) for edit in group)
            continue
        assert path is not None
        updated = list(items)
        # From the end, so that each index still names the place it named in the old list.
        for edit in sorted(group, key=lambda e: (e.paragraph, e.operation), reverse=True):
            if edit.operation == "supprime" and edit.paragraph < len(updated):
                del updated[edit.paragraph]
            elif edit.operation == "ajoute":
                updated.insert(min(edit.paragraph, len(updated)), edit.after)
        put(changes.new, path, updated)
        for edit in group:
            changes.applied.append(Applied(edit, path, items, updated))


def _recompute_totals(changes: ChangeSet) -> None:
    """financement.totaux of a year follows its lines when it was their sum before."""
    old_fin, new_fin = changes.old.get("financement"), changes.new.get("financement")
    if not (isinstance(old_fin, dict) and isinstance(old_fin.get("totaux"), dict)):
        return
    if not any(a.path[:2] == FINANCING_LINES for a in changes.applied):
        return
    old_sums, new_sums = _year_sums(old_fin.get("lignes")), _year_sums(new_fin.get("lignes"))
    for year, total in old_fin["totaux"].items():
        if abs(old_sums.get(str(year), 0.0) - float(total)) < 0.005:
            fresh = round(new_sums.get(str(year), 0.0), 2)
            if abs(fresh - float(total)) >= 0.005:
                new_fin["totaux"][year] = fresh
                changes.recomputed.append((("financement", "totaux", year), total, fresh))


def _year_sums(lines: Any) -> dict[str, float]:
    sums: dict[str, float] = {}
    for by_party in (lines or {}).values():
        for funding in (by_party or {}).values():
            for amounts in (funding or {}).values():
                if isinstance(amounts, dict):
                    for year, value in amounts.items():
                        sums[str(year)] = sums.get(str(year), 0.0) + float(value)
    return sums
