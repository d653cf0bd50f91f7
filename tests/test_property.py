"""Property tests: any file either validates and builds, or is refused in French, never a crash.

Bounded for `make test` (fixed seed, few examples); `make fuzz` runs the same tests longer:
CPOMDOCS_FUZZ_VALIDATE files per kind to validate, CPOMDOCS_FUZZ_BUILD contracts to build.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from property_support import HOSTILE_TEXT, documents, readable_text

from cpomdocs.data.model import Contract
from cpomdocs.data.validate import ContractFolder, check_folder
from cpomdocs.documents.compose import compose_annexes, compose_contract
from cpomdocs.render.docx import render_docx
from cpomdocs.render.pdf import render_pdf

VALID = Path(__file__).parent / "fixtures" / "valid" / "ehpad-minimal"
VALIDATE_EXAMPLES = int(os.environ.get("CPOMDOCS_FUZZ_VALIDATE", "40"))
BUILD_EXAMPLES = int(os.environ.get("CPOMDOCS_FUZZ_BUILD", "3"))
FOLDERS = {"avenant": "avenants", "compte-rendu": "comptes-rendus"}
STRATEGIES = {kind: documents(kind) for kind in ("cpom", "avenant", "compte-rendu")}
BUILT: list[str] = []  # contracts made from the schema that validated and were built


def fuzz_settings(examples: int) -> settings:
    """Same examples on every run (derandomize), no deadline: rendering takes seconds."""
    return settings(
        max_examples=max(examples, 1),
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def serialised(document: Any, syntax: str) -> str:
    """A document as its user would write it: JSON, or YAML."""
    if syntax == "json":
        return json.dumps(document, ensure_ascii=True)
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


def checked(kind: str, document: Any, syntax: str, folder: Path) -> ContractFolder:
    """Validate `document` as its kind of file: a contract, or an act of the valid contract."""
    if kind == "cpom":
        folder.mkdir()
        (folder / f"cpom.{syntax}").write_text(serialised(document, syntax), encoding="utf-8")
    else:
        shutil.copytree(VALID, folder)
        target = folder / FOLDERS[kind] / f"2099-01-01-genere.{syntax}"
        target.write_text(serialised(document, syntax), encoding="utf-8")
    result = check_folder(folder)
    for problem in result.all_problems:
        str(problem).encode("utf-8")  # each message can be printed (no lone surrogate)
        assert "erreur interne" not in problem.message
    event("valide" if result.ok else "refusé")
    return result


def render_both(contract: Contract) -> None:
    """The contract and its annexes, as PDF and DOCX: none may fail."""
    made = {"contract_id": "genere", "created": "2025-01-01"}
    for document in (compose_contract(contract, **made), compose_annexes(contract, **made)):
        assert render_pdf(document).startswith(b"%PDF")
        assert render_docx(document).startswith(b"PK")


@pytest.mark.parametrize("kind", ["cpom", "avenant", "compte-rendu"])
@fuzz_settings(VALIDATE_EXAMPLES)
@given(data=st.data(), syntax=st.sampled_from(["json", "yaml"]))
def test_any_file_made_from_the_schema_is_validated_without_crash(
    kind: str, data: st.DataObject, syntax: str
) -> None:
    document = data.draw(STRATEGIES[kind], label="document")
    with tempfile.TemporaryDirectory() as temporary:
        result = checked(kind, document, syntax, Path(temporary) / "c")
        contract = result.contract.model
        valid = kind == "cpom" and result.ok and isinstance(contract, Contract)
        if valid and len(BUILT) < BUILD_EXAMPLES:
            render_both(contract)  # type: ignore[arg-type]
            BUILT.append(contract.reference)  # type: ignore[union-attr]


TEXT_FIELDS = (
    ("gestionnaire", "nom"),
    ("etablissements", "340005131", "nom"),
    ("territoire",),
    ("preambule",),
    ("diagnostic", "synthese"),
    ("objectifs", "O1", "titre"),
    ("signature", "lieu"),
)


def with_texts(texts: list[str], forces: list[str]) -> dict[str, Any]:
    """The valid minimal contract with its texts replaced (its signing fingerprint dropped)."""
    data = copy.deepcopy(MINIMAL)
    for path, text in zip(TEXT_FIELDS, texts, strict=True):
        target = data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = text
    data["diagnostic"]["forces"] = forces
    return data


def _minimal() -> dict[str, Any]:
    data = json.loads(json.dumps(yaml.safe_load((VALID / "cpom.yaml").read_text()), default=str))
    data.pop("empreinte", None)
    data["statut"], data["dates"]["signature"] = "projet", None
    return data


MINIMAL = _minimal()


@fuzz_settings(VALIDATE_EXAMPLES)
@given(
    texts=st.lists(HOSTILE_TEXT, min_size=len(TEXT_FIELDS), max_size=len(TEXT_FIELDS)),
    forces=st.lists(HOSTILE_TEXT, max_size=3),
)
def test_hostile_texts_are_refused_at_their_line_or_accepted(texts: list[str], forces: list[str]):
    with tempfile.TemporaryDirectory() as temporary:
        checked("cpom", with_texts(texts, forces), "yaml", Path(temporary) / "c")


@fuzz_settings(BUILD_EXAMPLES)
@given(
    texts=st.lists(readable_text(), min_size=len(TEXT_FIELDS), max_size=len(TEXT_FIELDS)),
    forces=st.lists(readable_text(), max_size=3),
)
def test_every_contract_that_validates_builds_its_pdf_and_docx(texts: list[str], forces: list[str]):
    with tempfile.TemporaryDirectory() as temporary:
        result = checked("cpom", with_texts(texts, forces), "yaml", Path(temporary) / "c")
        assert result.ok, [str(p) for p in result.all_problems]
        assert isinstance(result.contract.model, Contract)
        render_both(result.contract.model)
