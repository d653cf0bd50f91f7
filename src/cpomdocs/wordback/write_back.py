"""The file an import writes (an avenant draft, the draft's new cpom.yaml), written only if it
is still what the import read."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from cpomdocs.wordback.read import WordbackError


class ImportResult(Protocol):
    """What write_back needs of importer.ImportResult (which imports this module)."""

    folder: Path
    target: Path | None
    text: str
    expected: bytes | None


def write_result(result: ImportResult) -> Path | None:
    """Write the avenant draft or the new cpom.yaml atomically; its path, or None."""
    from cpomdocs.write import inside, write_text_like

    if result.target is None:
        return None
    # checked again when writing: a link made since the import began is not followed out
    target = inside(result.folder, result.target.relative_to(result.folder).as_posix())
    check_unchanged(result)
    return write_text_like(target, result.text)  # a draft edited in place keeps its CRLF


def check_unchanged(result: ImportResult) -> None:
    """Refuse to write over a target that changed while the import ran (an edit saved in an
    editor, a second import given another DOCX at once): it was replaced without a word."""
    if result.target is None:
        return
    try:
        now = result.target.read_bytes() if result.target.exists() else None
    except OSError:
        now = b""
    if now != result.expected:
        what = "modifié" if result.expected is not None else "créé"
        raise WordbackError(
            f"{result.target} : fichier {what} pendant l'import (un éditeur, un autre import ?) :"
            " rien n'est écrit ; relancez l'import"
        )
