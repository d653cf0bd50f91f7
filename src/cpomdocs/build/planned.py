"""What the build plans: a validated contract with what its documents are made from, and each
document it yields (name, label, composer, templates)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cpomdocs.data.model import Contract
from cpomdocs.data.validate import ContractFolder
from cpomdocs.documents.blocks import ComposedDocument
from cpomdocs.documents.compose import template_dependencies


@dataclass
class ContractInput:
    """A validated contract and what its documents are made from."""

    id: str
    folder: Path
    checked: ContractFolder
    contract: Contract
    source_name: str
    source_bytes: bytes
    created: str  # ISO 8601, UTC: from SOURCE_DATE_EPOCH, the last commit, or the files' mtime
    templates: Path | None
    as_of: dt.date | None = None  # build --as-of: also the contract as in force at that date
    failure: str = ""  # why no document can be made (an invalid contract, a bad date)
    provenance: dict[str, Any] = field(default_factory=dict)  # attached to each PDF


@dataclass(frozen=True)
class PlannedDocument:
    """One document a contract yields: its file name (without extension), label and composer,
    and the names of the templates it is made from (for incremental builds)."""

    name: str
    label: str
    compose: Callable[[], ComposedDocument]
    templates: tuple[str, ...] = ()


DocumentSource = Callable[[ContractInput], list[PlannedDocument]]


def templates_of(source: ContractInput, *roots: str) -> tuple[str, ...]:
    """The templates these root templates are made of, with their inclusions."""
    return tuple(sorted({t for r in roots for t in template_dependencies(r, source.templates)}))
