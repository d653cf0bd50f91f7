"""Avenants applied in order: JSON Merge Patch (RFC 7396) over the contract's id-keyed data."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from cpomdocs.data import rules
from cpomdocs.data.load import Document, Path_, dotted
from cpomdocs.data.model import Action, Contract, Establishment, Indicator, Objective
from cpomdocs.data.model_acts import Avenant, AvenantStatus
from cpomdocs.data.rules_acts import check_capacity_changes, check_stated_rate
from cpomdocs.data.rules_removal import check_removed_essms
from cpomdocs.data.schema import Kind, check_model, check_schema
from cpomdocs.errors import CpomError, InputError, Problem

# Keyed collections whose unknown keys must come as full new items (else: a typo in an id).
_ITEM_MODELS: dict[tuple[str, ...], type[BaseModel]] = {
    ("etablissements",): Establishment,
    ("objectifs",): Objective,
    ("objectifs", "*", "indicateurs"): Indicator,
    ("objectifs", "*", "actions"): Action,
}
_FROZEN_KEYS = ("empreinte", "statut", "reference")


def merge_patch(target: Any, patch: Any) -> Any:
    """Apply a JSON Merge Patch (RFC 7396) to `target`, returning a new value."""
    return _patched(copy.deepcopy(target), patch)


def _patched(target: Any, patch: Any) -> Any:
    """`patch` applied in place to `target`, a copy of its own (copied once, not per level)."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = target if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = _patched(result.get(key), value)
    return result


@dataclass
class Consolidated:
    """The contract as in force at a date: its data, its model and the avenants applied."""

    data: dict[str, Any]
    contract: Contract
    applied: list[Avenant] = field(default_factory=list)
    as_of: dt.date | None = None
    base: dict[str, Any] = field(default_factory=dict)  # the contract's data as signed

    @property
    def date(self) -> dt.date | None:
        """The date the consolidated version speaks of: `as_of`, else the last avenant's effect."""
        if self.as_of:
            return self.as_of
        return max((a.dates.effet for a in self.applied), default=None)


def apply_avenants(contract_data: dict[str, Any], modifications: list[Any]) -> dict[str, Any]:
    """The contract's data (without its fingerprint) with each avenant's modifications applied
    in the order given: the one place where avenants change a contract."""
    data = {k: v for k, v in contract_data.items() if k != "empreinte"}
    for patch in modifications:
        data = merge_patch(data, patch)
    return data


def in_force(avenants: list[Avenant], as_of: dt.date | None = None) -> list[Avenant]:
    """Signed avenants in effect at `as_of` (all signed ones without a date), by number."""
    chosen = [
        a
        for a in avenants
        if a.statut is AvenantStatus.SIGNE and (as_of is None or a.dates.effet <= as_of)
    ]
    return sorted(chosen, key=lambda a: a.numero)


def consolidate(
    contract_data: dict[str, Any], avenants: list[Avenant], as_of: dt.date | None = None
) -> Consolidated:
    """The contract with its signed avenants in force at `as_of` applied in number order."""
    applied = in_force(avenants, as_of)
    data = apply_avenants(contract_data, [a.modifications for a in applied])
    try:
        contract = Contract.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        problem = Problem("(version consolidée)", 0, 0, where, first["msg"])
        raise InputError([problem]) from None
    return Consolidated(data, contract, applied, as_of, contract_data)


def _matches(pattern: tuple[str, ...], path: Path_) -> bool:
    return len(pattern) == len(path) and all(
        p in ("*", str(q)) for p, q in zip(pattern, path, strict=True)
    )


def missing_targets(base: Any, patch: dict[str, Any], doc: Document) -> list[Problem]:
    """Problems of a patch that modifies or deletes what `base` does not hold."""
    found: list[Problem] = []

    def add(here: Path_, message: str) -> None:
        line, column = doc.locate(("modifications", *here), key=True)
        found.append(Problem(doc.name, line, column, dotted(here), message))

    def walk(target: Any, node: dict[str, Any], path: Path_) -> None:
        for key, value in node.items():
            here = (*path, key)
            exists = isinstance(target, dict) and key in target
            if not path and key in _FROZEN_KEYS:
                msg = f"« {key} » ne se modifie pas par avenant"
                add(here, msg)
            elif value is None and not exists:
                msg = f"suppression de « {key} » : cet élément n'existe pas dans le contrat"
                add(here, msg)
            elif not exists and isinstance(target, dict):
                model = next((m for p, m in _ITEM_MODELS.items() if _matches(p, path)), None)
                if model is not None and not _is_full(model, value):
                    known = ", ".join(sorted(target)) or "aucun"
                    msg = (
                        f"« {key} » n'existe pas dans le contrat (existants : {known}) : "
                        "pour l'ajouter, donnez l'élément complet ; "
                        "pour le modifier, corrigez l'identifiant"
                    )
                    add(here, msg)
            elif exists and isinstance(value, dict) and isinstance(target[key], dict):
                walk(target[key], value, here)

    walk(base, patch, ())
    return found


def _is_full(model: type[BaseModel], value: Any) -> bool:
    try:
        model.model_validate(value)
    except ValidationError:
        return False
    return True


def _in_patch(patch: Any, path: Path_) -> bool:
    node = patch
    for step in path:
        if isinstance(node, dict) and str(step) in node:
            node = node[str(step)]
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
        else:
            return False
    return True


class PatchedDocument(Document):
    """The contract with an avenant applied, locating each problem in the file that caused it."""

    def __init__(self, contract: Document, avenant: Document, numero: int, data: Any):
        super().__init__(contract.path, data)
        self.contract_doc, self.avenant_doc, self.numero = contract, avenant, numero
        self.patch = (avenant.data or {}).get("modifications") or {}

    def problem(self, path: Path_, message: str, *, key: bool = False, **kw: Any) -> Problem:
        """A problem at the avenant's line when the avenant wrote `path`, else at the contract's."""
        if path and _in_patch(self.patch, path):
            line, column = self.avenant_doc.locate(("modifications", *path), key=key)
            return Problem(self.avenant_doc.name, line, column, dotted(path), message, **kw)
        line, column = self.contract_doc.locate(path, key=key)
        suffix = f" (une fois l'avenant n° {self.numero} appliqué)"
        return Problem(self.contract_doc.name, line, column, dotted(path), message + suffix, **kw)


def _check_data(doc: Document) -> list[Problem]:
    problems = check_schema(doc, Kind.CONTRACT)
    if problems:
        return problems
    model, problems = check_model(doc, Kind.CONTRACT)
    if model is None:
        return problems
    assert isinstance(model, Contract)
    return rules.check_contract(doc, model)


def _key(problem: Problem) -> tuple[str, str, str]:
    message = problem.message.split(" (une fois l'avenant n° ")[0]
    return (problem.field, message, problem.severity.value)


def check_avenant_patches(
    contract_doc: Document, base_problems: list[Problem], avenants: list[tuple[Document, Avenant]]
) -> dict[int, list[Problem]]:
    """Problems of each avenant (by number): unknown targets, validity of the patched contract."""
    found: dict[int, list[Problem]] = {}
    data = {k: v for k, v in (contract_doc.data or {}).items() if k != "empreinte"}
    seen = {_key(p) for p in base_problems}
    for doc, avenant in sorted(avenants, key=lambda pair: pair[1].numero):
        problems = missing_targets(data, avenant.modifications, doc)
        patched = merge_patch(data, avenant.modifications)
        # what still names an ESSMS the avenant removes: told once, on the avenant's line,
        # instead of « absent du périmètre » on the contract's
        problems.extend(check_removed_essms(data, patched, doc, avenant.dates.effet))
        flagged = tuple(p.field for p in problems)
        problems.extend(check_capacity_changes(data, patched, doc))
        problems.extend(check_stated_rate(data, patched, doc))
        result = _check_data(PatchedDocument(contract_doc, doc, avenant.numero, patched))
        problems.extend(
            p
            for p in result
            if _key(p) not in seen
            and not any(p.field == f or p.field.startswith(f + ".") for f in flagged)
        )
        found[avenant.numero] = problems
        seen = {_key(p) for p in result}
        data = patched
    return found


def contract_in_force(
    contract: Contract, data: dict[str, Any], avenants: list[Avenant], day: dt.date
) -> Contract:
    """The contract as consolidated on `day` (the base contract when no avenant applies)."""
    if not any(a.statut is AvenantStatus.SIGNE and a.dates.effet <= day for a in avenants):
        return contract
    try:
        return consolidate(data, avenants, day).contract
    except CpomError:  # a broken avenant is reported on its own file
        return contract
