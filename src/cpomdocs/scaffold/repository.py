"""`cpomdocs init`: a users' repository that works with `pip install cpomdocs` alone."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from cpomdocs import __version__
from cpomdocs.data.folders import not_a_file
from cpomdocs.errors import UsageError
from cpomdocs.write import failure_reason, output_failure, write_new_text

REPOSITORY_FILES = Path(__file__).parent / "templates" / "repository"
DOT_PREFIX = "dot-"  # files stored without their leading dot, so that packaging keeps them
VERSION_MARK = "@CPOMDOCS_VERSION@"
TEXTCONV_COMMAND = 'git config diff.cpom.textconv "cpomdocs textconv"'


@dataclass
class InitResult:
    """What `init` did: files written, files that were already there (kept), refused paths."""

    root: Path
    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)
    refused: list[tuple[Path, str]] = field(default_factory=list)
    missing_lines: list[tuple[Path, list[str]]] = field(default_factory=list)


def repository_files() -> dict[str, bytes]:
    """Every file `init` writes, by path relative to the repository, with its content."""
    files: dict[str, bytes] = {}
    for source in sorted(p for p in REPOSITORY_FILES.rglob("*") if p.is_file()):
        parts = source.relative_to(REPOSITORY_FILES).parts
        name = "/".join(
            "." + p.removeprefix(DOT_PREFIX) if p.startswith(DOT_PREFIX) else p for p in parts
        )
        files[name] = source.read_bytes().replace(VERSION_MARK.encode(), _pinned().encode())
    for schema_name, text in schema_files().items():
        files[f"schema/{schema_name}"] = text.encode("utf-8")
    return files


def _pinned() -> str:
    """The version the workflows install: this very cpomdocs (a source tree says « 0.0.0 »)."""
    return __version__


def schema_files() -> dict[str, str]:
    """The JSON Schemas: those shipped in the wheel, else (a source tree) generated now."""
    shipped = resources.files("cpomdocs") / "schema"
    if shipped.is_dir():
        schemas = (p for p in shipped.iterdir() if p.name.endswith(".json"))
        return {p.name: p.read_text(encoding="utf-8") for p in schemas}
    from cpomdocs.data.schema import SCHEMA_FILES, Kind, schema_text

    return {SCHEMA_FILES[kind]: schema_text(kind) for kind in Kind}


def _inside(root: Path, target: Path) -> bool:
    """True when `target`, symbolic links resolved, stays inside `root`."""
    resolved = target.parent.resolve()
    return resolved == root or root in resolved.parents


def init_repository(directory: Path) -> InitResult:
    """Write the repository's files into `directory`; an existing file is never touched."""
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory} : c'est un fichier, un dossier était attendu")
    if ".git" in directory.resolve().parts:  # `init .git` by completion: 13 files written there
        raise UsageError(
            f"{directory} : c'est le dossier interne de git, pas le dépôt : lancez la commande "
            "à la racine du dépôt (cpomdocs init .)"
        )
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_failure(directory, exc) from None
    root = directory.resolve()
    result = InitResult(directory)
    for name, content in repository_files().items():
        target = directory / name
        if os.path.lexists(target):
            if target.is_dir() or not (target.is_file() or target.is_symlink()):
                kind = not_a_file(target)  # « conservé » hid that there is no README
                reason = f"c'est un {kind}, un fichier était attendu : rien n'est écrit à sa place"
                result.refused.append((target, reason))
            else:
                result.kept.append(target)
                _lines_it_lacks(result, target, content)
            continue
        blocking = _file_in_the_way(directory, target)
        if blocking is not None:
            result.refused.append((target, f"{blocking} est un fichier, un dossier était attendu"))
            continue
        if not _inside(root, target):
            result.refused.append((target, f"pointe hors de {directory} (lien symbolique)"))
            continue
        try:
            write_new_text(target, content.decode("utf-8"))
        except FileExistsError:
            result.kept.append(target)
        except OSError as exc:  # a read-only folder, a full disk: said per file, none half-written
            result.refused.append((target, f"écriture impossible : {failure_reason(exc)}"))
        else:
            result.written.append(target)
    return result


def _lines_it_lacks(result: InitResult, target: Path, content: bytes) -> None:
    """A kept .gitattributes without our attribute lines: git diff would stay raw, unsaid."""
    if target.name != ".gitattributes" or target.parent != result.root:
        return
    present: set[str] = set()
    try:  # a link or a device (/dev/zero) is not read: its lines are said to be missing
        if not target.is_symlink() and target.is_file() and target.stat().st_size < 2**20:
            present = {" ".join(line.split()) for line in target.read_text("utf-8").splitlines()}
    except (OSError, UnicodeDecodeError):
        pass
    ours = content.decode("utf-8").splitlines()
    lacking = [line for line in ours if line and not line.startswith("#") and line not in present]
    if lacking:
        result.missing_lines.append((target, lacking))


def _file_in_the_way(directory: Path, target: Path) -> Path | None:
    """The first folder of `target` under `directory` that exists as something else."""
    for parent in reversed(target.relative_to(directory).parents[:-1]):
        if os.path.lexists(directory / parent) and not (directory / parent).is_dir():
            return directory / parent
    return None
