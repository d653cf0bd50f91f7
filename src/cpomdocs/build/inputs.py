"""What a build's outputs are made from, cheaply: contract folders, templates, git state.

Everything here runs on the no-op path of an incremental build, so it reads and hashes files
but imports neither pydantic, jsonschema nor the writers.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from cpomdocs.build.cache import file_digest, fingerprint
from cpomdocs.errors import UsageError

PACKAGE_TEMPLATES = Path(__file__).parents[1] / "templates"
CONTRACT_FILES = ("cpom.yaml", "cpom.yml", "cpom.json")
FORMAT_ASSETS = {"pdf": "print.css", "docx": "docx/document.docx"}
ALL_TEMPLATES = "*"  # a document that did not say which templates it uses depends on all


def is_contract_folder(path: Path) -> bool:
    """True when `path` is a folder holding a contract file (cpom.yaml, cpom.yml or cpom.json)."""
    return path.is_dir() and any((path / name).is_file() for name in CONTRACT_FILES)


BAD_ID = (
    "{path}: nom de dossier de contrat refusé « {name} » : l'identifiant du contrat est le nom "
    "de son dossier ; il ne peut être vide, ni « . » ou « .. », ni commencer par un point, ni "
    "contenir de séparateur de chemin"
)


def is_safe_id(name: str) -> bool:
    """True when `name` can name a folder under the output folder: a contract id."""
    unsafe = name in ("", ".", "..") or name.startswith(".")
    return not (unsafe or any(c in "/\\" or ord(c) < 32 for c in name))


def contract_folder(path: Path) -> Path:
    """The folder a path names, resolved when its last part is not its real name
    (`contracts/x/notes/..`, `.`), with a name checked to be a safe contract id."""
    folder = path if path.name == path.resolve().name else path.resolve()
    if not is_safe_id(folder.name):
        raise UsageError(BAD_ID.format(path=path, name=folder.name))
    return folder


def find_contract_folders(paths: list[Path]) -> list[Path]:
    """Contract folders named by `paths`: a contract folder itself, or a folder of them."""
    folders: list[Path] = []
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: chemin introuvable (ni fichier ni dossier)")
        if is_contract_folder(path):
            folders.append(contract_folder(path))
        elif path.is_dir():
            folders.extend(
                contract_folder(sub) for sub in sorted(path.iterdir()) if is_contract_folder(sub)
            )
    return folders


def folder_digest(folder: Path) -> str:
    """One sha256 over every file of a contract folder (relative names and contents)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@functools.cache
def code_digest() -> str:
    """One sha256 over cpomdocs' own modules: a changed cpomdocs (a new release, or a developer's
    edit that its version number does not show) rebuilds every document."""
    digest = hashlib.sha256()
    package = Path(__file__).parents[1]
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _newest_mtime(folder: Path) -> int:
    return int(max((p.stat().st_mtime for p in folder.rglob("*") if p.is_file()), default=0))


def git_states(sources: list[Path], folders: list[Path]) -> dict[Path, str]:
    """The last commit (hash and time) that touched each folder, from one `git log` per source.

    Documents carry that commit and its date: a new commit must rebuild them. Folders outside
    git (or never committed) get no state; their files' mtime is used instead.
    """
    wanted = {folder.resolve(): folder for folder in folders}
    states: dict[Path, str] = {}
    for source in sources:
        root = source.resolve()
        if not root.is_dir():
            continue
        pending = {p for p in wanted if p == root or p.parent == root}
        if not pending:
            continue
        try:
            process = subprocess.Popen(
                ["git", "log", "--format=%x00%H %ct", "--name-only", "--relative", "--", "."],
                cwd=root,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
        except OSError:  # git is not installed
            return states
        assert process.stdout is not None
        commit = ""
        for line in process.stdout:
            line = line.rstrip("\n")
            if line.startswith("\0"):
                commit = line[1:]
            elif line:
                owner = root if root in pending else root / line.split("/", 1)[0]
                if owner in pending:
                    states[wanted[owner]] = commit
                    pending.discard(owner)
                    if not pending:
                        break
        process.kill()
        process.wait()
    return states


def _notes(name: str) -> bool:
    """A file of a templates folder that no document uses: its README, a hidden file."""
    return name.endswith((".md", ".txt")) or any(part.startswith(".") for part in name.split("/"))


@dataclass
class Templates:
    """The template files a build may use, resolved override first, with memoised digests."""

    override: Path | None
    formats: tuple[str, ...]

    def __post_init__(self) -> None:
        self._digests: dict[str, str] = {}
        folders = [PACKAGE_TEMPLATES] + ([self.override] if self.override else [])
        names: set[str] = set()
        for folder in folders:
            if folder.is_dir():
                names.update(
                    p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()
                )
        names = {n for n in names if not n.startswith("portfolio/") and not _notes(n)}
        self.sources = sorted(n for n in names if n.endswith(".j2"))
        used = {FORMAT_ASSETS[f] for f in self.formats if f in FORMAT_ASSETS}
        others = {n for n in names if not n.endswith(".j2") and n not in FORMAT_ASSETS.values()}
        self.assets = sorted(others | (used & names))

    def path(self, name: str) -> Path:
        """The file that serves `name`: the user's override, else the package's default."""
        if self.override is not None and (self.override / name).is_file():
            return self.override / name
        return PACKAGE_TEMPLATES / name

    def digest(self, name: str) -> str:
        """The sha256 of the file serving `name` (memoised for this build)."""
        if name not in self._digests:
            self._digests[name] = file_digest(self.path(name))
        return self._digests[name]

    def expand(self, names: list[str] | tuple[str, ...]) -> list[str]:
        """Template names, with ALL_TEMPLATES (or no name at all) meaning every template."""
        if not names or ALL_TEMPLATES in names:
            return list(self.sources)
        return sorted(set(names))

    def parts(self, names: list[str] | tuple[str, ...]) -> list[str]:
        """The fingerprint parts of these templates plus the assets (CSS, DOCX, images)."""
        return [f"{n}:{self.digest(n)}" for n in [*self.expand(names), *self.assets]]


@dataclass(frozen=True)
class BuildSettings:
    """The options that change the bytes of every document."""

    formats: tuple[str, ...]
    as_of: dt.date | None

    def base(self, folder: Path, contract_digest: str, git_state: str | None) -> list[str]:
        """The fingerprint parts shared by every document of a contract."""
        from cpomdocs import __version__

        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        when = f"git:{git_state}" if git_state else f"mtime:{_newest_mtime(folder)}"
        return [
            f"cpomdocs:{__version__}:{code_digest()}",
            "formats:" + ",".join(sorted(self.formats)),
            f"as-of:{self.as_of.isoformat() if self.as_of else ''}",
            f"epoch:{epoch}",
            when,
            f"contract:{contract_digest}",
        ]


def document_fingerprint(base: list[str], templates: Templates, names: list[str]) -> str:
    """The fingerprint of one document: its contract's parts and its templates'."""
    return fingerprint([*base, *templates.parts(names)])
