"""The fingerprint of a signed file: the sha256 of its canonical content, checked at validation."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

from pydantic import BaseModel

from cpomdocs.data.load import Document
from cpomdocs.data.model import Contract, ContractStatus
from cpomdocs.data.model_acts import Avenant, AvenantStatus
from cpomdocs.errors import Problem

FINGERPRINT_KEY = "empreinte"
CONTRACT_CHANGED = (
    "le contrat signé a été modifié depuis sa signature : toute modification passe par un avenant"
)
AVENANT_CHANGED = (
    "l'avenant signé a été modifié depuis sa signature : toute modification passe par un "
    "nouvel avenant"
)


MISSING = (
    "document signé sans empreinte : lancez « cpomdocs sign-off {file} » pour l'enregistrer "
    "(sans elle, une modification du document signé passerait inaperçue)"
)


def _numbers(value: Any) -> Any:
    # As in RFC 8785 (JCS): 1120400.00 and 1120400 are one number, written 1120400.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbers(v) for v in value]
    return value


def canonical_json(data: dict[str, Any]) -> bytes:
    """The content without its fingerprint: sorted keys, integral numbers as integers, no
    whitespace, UTF-8."""
    content = _numbers({k: v for k, v in data.items() if k != FINGERPRINT_KEY})
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def fingerprint(data: dict[str, Any]) -> str:
    """The sha256 (hex) of the canonical JSON form of a document's content."""
    return hashlib.sha256(canonical_json(data)).hexdigest()


def is_signed(model: BaseModel) -> bool:
    """True for a contract or an avenant whose statut is « signé »."""
    if isinstance(model, Contract):
        return model.statut is ContractStatus.SIGNE
    return isinstance(model, Avenant) and model.statut is AvenantStatus.SIGNE


def check_fingerprint(doc: Document, model: BaseModel) -> list[Problem]:
    """A problem when a signed-off file's content no longer matches its recorded fingerprint."""
    recorded = getattr(model, FINGERPRINT_KEY, None)
    if recorded is None or not isinstance(doc.data, dict):
        return []
    if isinstance(model, Contract) and model.statut is ContractStatus.PROJET:
        return []  # rules.check_contract already refuses a fingerprint on a draft
    if fingerprint(doc.data) == recorded.sha256:
        return []
    message = CONTRACT_CHANGED if isinstance(model, Contract) else AVENANT_CHANGED
    return [doc.problem((FINGERPRINT_KEY, "sha256"), message)]


def check_signed_off(doc: Document, model: BaseModel) -> list[Problem]:
    """A problem when a signed contract or avenant carries no fingerprint: without it, the
    signed-freeze could be switched off by deleting the block. Said only of a file without
    other errors, since `cpomdocs sign-off` refuses those."""
    if not is_signed(model) or getattr(model, FINGERPRINT_KEY, None) is not None:
        return []
    problem = doc.problem(("statut",), MISSING.format(file=doc.name))
    return [dataclasses.replace(problem, field=FINGERPRINT_KEY)]
