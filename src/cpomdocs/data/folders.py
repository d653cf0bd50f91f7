"""Where a contract's files are: its folder, its main file, its avenants and comptes-rendus.

Light on purpose: the no-op build path lists folders with it, so it imports no pydantic.
"""

from __future__ import annotations

from pathlib import Path

from cpomdocs.errors import UsageError

CONTRACT_FILES = ("cpom.yaml", "cpom.yml", "cpom.json")
AVENANTS_DIR = "avenants"
REPORTS_DIR = "comptes-rendus"
REDLINES_DIR = "comparaisons"  # in build/<id>/: each avenant's redline (not an input folder)
DATA_SUFFIXES = (".yaml", ".yml", ".json")


def is_contract_folder(path: Path) -> bool:
    """True when `path` is a folder holding a contract file (cpom.yaml, cpom.yml or cpom.json)."""
    return path.is_dir() and any((path / name).is_file() for name in CONTRACT_FILES)


def find_contract_folders(paths: list[Path]) -> list[Path]:
    """Contract folders named by `paths`: a contract folder itself, or a folder of them."""
    folders: list[Path] = []
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: chemin introuvable (ni fichier ni dossier)")
        if is_contract_folder(path):
            folders.append(path)
        elif path.is_dir():
            folders.extend(sub for sub in sorted(path.iterdir()) if is_contract_folder(sub))
    return folders


def contract_file(folder: Path) -> Path:
    """The main file of a contract folder (cpom.yaml by default)."""
    for name in CONTRACT_FILES:
        if (folder / name).is_file():
            return folder / name
    return folder / CONTRACT_FILES[0]


def data_files(folder: Path) -> list[Path]:
    """The data files directly inside `folder` (avenants/ or comptes-rendus/), sorted."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in DATA_SUFFIXES and p.is_file())


def whole_contracts(paths: list[Path]) -> list[Path]:
    """Each file replaced by its contract folder (an avenant or a compte-rendu by its contract's),
    each folder once: a file is then checked with everything it depends on."""
    found: list[Path] = []
    for path in paths:
        folder = path.parent if path.is_file() else path
        if folder.name in (AVENANTS_DIR, REPORTS_DIR) and contract_file(folder.parent).is_file():
            folder = folder.parent
        if path.is_file() and not contract_file(folder).is_file():
            folder = path  # a loose file, outside any contract folder: checked alone
        if folder not in found:
            found.append(folder)
    return found
