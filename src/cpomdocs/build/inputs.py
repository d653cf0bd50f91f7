"""What a build's outputs are made from, cheaply: contract folders, templates, git state.

Everything here runs on the no-op path of an incremental build, so it reads and hashes files
but imports neither pydantic, jsonschema nor the writers.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cpomdocs.build.cache import file_digest, fingerprint
from cpomdocs.gitinfo import log_lines, source_date_epoch

PACKAGE_TEMPLATES = Path(__file__).parents[1] / "templates"
FORMAT_ASSETS = {"pdf": "print.css", "docx": "docx/document.docx"}
ALL_TEMPLATES = "*"  # a document that did not say which templates it uses depends on all


def folder_digest(folder: Path) -> str:
    """One sha256 over every file of a contract folder (relative names and contents)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        # the name's own bytes: one that is not UTF-8 (validate refuses it) must not crash here
        digest.update(os.fsencode(path.relative_to(folder).as_posix()) + b"\0")
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
        commit = ""
        for line in log_lines(root) if pending else ():
            if line.startswith("\0"):
                commit = line[1:]
            elif line:
                owner = root if root in pending else root / line.split("/", 1)[0]
                if owner in pending:
                    states[wanted[owner]] = commit
                    pending.discard(owner)
                    if not pending:
                        break
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

    def common(self) -> list[str]:
        """The fingerprint parts shared by every document of the build."""
        from cpomdocs import __version__

        stamp = source_date_epoch()
        epoch = str(int(stamp.timestamp())) if stamp else ""
        return [
            f"cpomdocs:{__version__}:{code_digest()}",
            "formats:" + ",".join(sorted(self.formats)),
            f"as-of:{self.as_of.isoformat() if self.as_of else ''}",
            f"epoch:{epoch}",
        ]

    def base(self, folder: Path, contract_digest: str, git_state: str | None) -> list[str]:
        """The fingerprint parts of a whole contract folder (is anything in it new?)."""
        when = f"git:{git_state}" if git_state else f"mtime:{_newest_mtime(folder)}"
        return [*self.common(), when, f"contract:{contract_digest}"]


def file_parts(folder: Path, names: list[str]) -> list[str]:
    """The fingerprint parts of some files of a contract folder: their names and contents."""
    return [f"file:{name}:{file_digest(folder / name)}" for name in names]


def document_fingerprint(base: list[str], templates: Templates, names: list[str]) -> str:
    """The fingerprint of one document: its contract's parts and its templates'."""
    return fingerprint([*base, *templates.parts(names)])
