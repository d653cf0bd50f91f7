"""The examples' texts as a reader reads them, for the wording tests, and their copies to edit."""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path
from typing import Any

from cpomdocs.data.model import Contract
from cpomdocs.data.validate import check_folder
from cpomdocs.documents.compose import compose_annexes, compose_contract
from cpomdocs.documents.redline import accept_all

CONTRACTS = Path(__file__).resolve().parent.parent / "contracts"
CREATED = "2026-12-03T00:00:00Z"


def flat(text: str) -> str:
    """`text` on one line, no-break and narrow no-break spaces as spaces."""
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


@functools.cache
def built_pdf_text(built: Path, name: str, document: str) -> str:
    """The text of a built document's real PDF (pdftotext), on one line, no-break spaces as
    spaces, words cut at a line's end joined again."""
    pdf = str(built / name / f"{document}.pdf")
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, check=True)
    return flat(text.stdout.decode("utf-8").replace("\u2010\n", ""))


def checked(name: str) -> tuple[dict[str, Any], list[Any]]:
    """An example's validated data and its avenants' models."""
    found = check_folder(CONTRACTS / name)
    assert found.contract.document is not None, found.contract.errors
    return found.contract.document.data, [c.model for c in found.avenants]


def contract_text(name: str) -> str:
    """The text of an example's contract, on one line, no-break spaces as spaces."""
    data, _ = checked(name)
    document = compose_contract(Contract.model_validate(data), contract_id=name, created=CREATED)
    return flat(accept_all(document.blocks))


def annexes_text(name: str) -> str:
    """The text of an example's annexes, on one line."""
    data, _ = checked(name)
    document = compose_annexes(Contract.model_validate(data), contract_id=name, created=CREATED)
    return flat(accept_all(document.blocks))


def copy_example(tmp_path: Path, name: str) -> Path:
    """A copy of an example's folder under `tmp_path`, to edit."""
    folder = tmp_path / name
    shutil.copytree(CONTRACTS / name, folder)
    return folder


def edit(path: Path, old: str, new: str) -> int:
    """Replace `old` (found once) by `new`; the 1-based line where it stands."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1
