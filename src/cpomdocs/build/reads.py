"""Which files of a contract folder each document reads, and the date and commit it carries.

A change rebuilds only the documents that read the changed file (schedule.py): a new
compte-rendu rebuilds itself and the preparation file, not the contract. For the same reason a
document's date, commit and attached sources come from its own files, not from the whole
folder: a document left as it was is then byte-identical to one built from scratch.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cpomdocs import gitinfo
from cpomdocs.data.folders import REDLINES_DIR, REPORTS_DIR
from cpomdocs.data.model_acts import MeetingReport
from cpomdocs.data.validate import ContractFolder

CONTRACT_ONLY = ("contrat", "annexes")  # the signed contract: its file, nothing else
CONTRACT_LIFE = ("contrat-", "annexes-", "avenant-", f"{REDLINES_DIR}/")  # and its avenants


def document_reads(folder: ContractFolder, name: str) -> list[str]:
    """The files (relative to the contract folder) that document `name` is made from."""
    root = folder.folder

    def relative(paths: list[Path]) -> list[str]:
        return sorted({p.relative_to(root).as_posix() for p in paths})

    main = [folder.contract.path]
    avenants = [c.path for c in folder.avenants]
    reports = [(c.path, c.model) for c in folder.reports if isinstance(c.model, MeetingReport)]
    if name in CONTRACT_ONLY:
        return relative(main)
    if name.startswith(f"{REPORTS_DIR}/"):
        stem = name.split("/", 1)[1]
        this = next((report for path, report in reports if path.stem == stem), None)
        if this is not None:  # the comptes-rendus before it and itself (actuals, actions)
            shown = [p for p, r in reports if r.date < this.date or p.stem == stem]
            return relative([*main, *avenants, *shown])
    elif name.startswith("preparation-dialogue"):
        return relative([*main, *avenants, *(p for p, _ in reports)])
    elif name.startswith(CONTRACT_LIFE):
        return relative([*main, *avenants])
    # a document this list does not know: every source of the folder, to be safe
    from cpomdocs.data.folders import source_files

    return relative(list(source_files(root)))


@dataclass(frozen=True)
class Origin:
    """What a document says about its sources: its date, the commit of its files, local edits."""

    created: str  # ISO 8601 UTC
    commit: str | None
    dirty: bool

    def parts(self) -> list[str]:
        """Fingerprint parts: a new commit or date gives new bytes, so a rebuild."""
        return [f"created:{self.created}", f"commit:{self.commit or ''}", f"dirty:{self.dirty}"]


@dataclass
class FolderHistory:
    """The git history of one contract folder, read once for all its documents."""

    folder: Path
    commits: dict[str, tuple[str, int]]
    modified: set[str]

    @classmethod
    def read(cls, folder: Path) -> FolderHistory:
        """One `git log` and one `git status` of the folder (nothing outside git)."""
        return cls(folder, gitinfo.file_commits(folder), gitinfo.modified_files(folder))

    def origin(self, reads: list[str]) -> Origin:
        """SOURCE_DATE_EPOCH, else the newest commit among `reads`, else their newest mtime."""
        known = [self.commits[name] for name in reads if name in self.commits]
        newest = max(known, key=lambda commit: commit[1], default=None)
        stamp = gitinfo.source_date_epoch()
        if stamp is None and newest is not None:
            stamp = dt.datetime.fromtimestamp(newest[1], dt.UTC)
        if stamp is None:
            mtimes = [(self.folder / name).stat().st_mtime for name in reads]
            stamp = dt.datetime.fromtimestamp(int(max(mtimes, default=0)), dt.UTC)
        dirty = any(name in self.modified for name in reads)
        commit = newest[0] if newest else None
        return Origin(stamp.strftime("%Y-%m-%dT%H:%M:%SZ"), commit, dirty)
