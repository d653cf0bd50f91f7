"""What a build keeps in its output folder: the incremental cache and the lock.

Incremental builds: each output remembers the fingerprint of the inputs it was made from.
One build at a time per output folder: a lock file inside it, held with flock.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cpomdocs.build.cache_shape import (
    cache_json,
    encodable,
    read_cache,
    shown,
    stays_inside,
    well_formed,
)
from cpomdocs.errors import OutputError
from cpomdocs.write import output_failure, remove_output, write_text_atomic

CACHE_FILE = ".cpomdocs-cache.json"
CACHE_FORMAT = 2
TAMPERED = (
    "{path}: cache de construction refusé : {what} « {name} » sort du dossier de sortie ; "
    "rien n'a été écrit ni supprimé (supprimez ce fichier pour tout reconstruire)"
)
ASTRAY = (
    "{path}: cache de construction refusé : le fichier « {name} » n'est pas dans le dossier "
    "« {cid} » de son contrat ; rien n'a été écrit ni supprimé (supprimez ce fichier pour tout "
    "reconstruire)"
)


def file_digest(path: Path) -> str:
    """The sha256 of a file's bytes, or "absent" when it does not exist."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return "absent"


def fingerprint(parts: list[str]) -> str:
    """One sha256 over several strings, length-prefixed so that no two lists collide."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


@dataclass
class Entry:
    """What one document was last built from, the files it wrote, and how long it took."""

    fingerprint: str
    outputs: list[str]
    templates: list[str] = field(default_factory=list)
    seconds: float = 0.0  # wall time of its last render: the longest documents start first
    charts: list[str] = field(default_factory=list)  # stored charts it shows (chart_store.py)
    warnings: list[str] = field(default_factory=list)  # said again while the output is kept
    digests: dict[str, str] = field(default_factory=dict)  # output → sha256: publish checks


class BuildCache:
    """The fingerprints of build/'s outputs, kept in build/.cpomdocs-cache.json."""

    def __init__(self, output: Path):
        self.output = output
        self.path = output / CACHE_FILE
        self.entries: dict[str, Entry] = {}
        self.cards: dict[str, dict[str, Any]] = {}  # contract id → {"day": …, "card": …}
        self.sources: dict[str, str] = {}  # contract id → its folder, absolute
        self.page = ""  # the fingerprint of the portfolio page last written
        self._saved = ""
        self._loaded: dict[str, Any] | None = None  # the file as read, while nothing was written
        self.damaged = False  # there, but not a cache this version of cpomdocs wrote
        try:
            self._saved = read_cache(self.path)
            raw = json.loads(self._saved)
            self.damaged = raw.get("format") != CACHE_FORMAT or not well_formed(raw)
            # « \\udcff » reads as a lone surrogate, which no page or cache can be written with
            self.damaged = self.damaged or ("\\u" in self._saved and not encodable(raw))
            if not self.damaged:
                self._loaded = raw
                self.entries = {k: Entry(**v) for k, v in raw["entries"].items()}
                self.cards = dict(raw.get("cards", {}))
                self.sources = dict(raw.get("sources", {}))
                self.page = str(raw.get("page", ""))
        except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
            # RecursionError: « [[[[… » nested deeper than json's C decoder goes
            self.damaged = self.path.exists()
        if self.damaged:  # a damaged cache costs a full build
            self.entries, self.cards, self.sources, self._loaded = {}, {}, {}, None
        self._check_paths()

    def _check_paths(self) -> None:
        """Refuse a cache naming a contract id or an output that would lead outside `output`:
        its paths are later written and removed (a hand-edited cache, a hostile shard)."""
        from cpomdocs.data.folders import is_safe_id

        top = self.output.resolve()
        folders: dict[Path, bool] = {}  # each contract's folder resolved once, not per file
        for key, entry in self.entries.items():
            if not is_safe_id(key.split("/", 1)[0]):
                raise OutputError(TAMPERED.format(path=self.path, what="l'entrée", name=shown(key)))
            cid = key.split("/", 1)[0]
            for name in entry.outputs:
                if not stays_inside(self.output, top, name, folders):
                    message = TAMPERED.format(path=self.path, what="le fichier", name=shown(name))
                    raise OutputError(message) from None
                if not name.startswith(f"{cid}/"):  # build/publish, index.html: not its own
                    message = ASTRAY.format(path=self.path, name=shown(name), cid=shown(cid))
                    raise OutputError(message) from None
        for cid in self.cards:
            if not is_safe_id(cid):
                message = TAMPERED.format(path=self.path, what="le contrat", name=shown(cid))
                raise OutputError(message)

    def templates_of(self, key: str) -> list[str]:
        """The template names a document used when it was last built."""
        entry = self.entries.get(key)
        return list(entry.templates) if entry else []

    def is_fresh(self, key: str, digest: str) -> bool:
        """True when `key` was built from the same inputs and all its outputs still exist."""
        entry = self.entries.get(key)
        return (
            entry is not None
            and entry.fingerprint == digest
            and all((self.output / name).is_file() for name in entry.outputs)
        )

    def record(
        self,
        key: str,
        digest: str,
        outputs: list[Path],
        templates: list[str],
        seconds: float = 0.0,
        charts: list[str] | None = None,
        warnings: list[str] | None = None,
        written: dict[Path, str] | None = None,
    ) -> None:
        """Remember what `key` was built from, what it wrote (`written`: their sha256), how long
        it took, its charts, and its render's warnings (a text not the signed one)."""
        names = sorted(p.relative_to(self.output).as_posix() for p in outputs)
        charts = sorted(set(charts or []))
        sums = {p.relative_to(self.output).as_posix(): d for p, d in (written or {}).items()}
        self.entries[key] = Entry(
            digest, names, sorted(set(templates)), round(seconds, 2), charts, list(warnings or []),
            {name: sums[name] for name in names if name in sums},
        )  # fmt: skip

    def warnings_of(self, key: str) -> list[str]:
        """The warnings a document's last render gave (its outputs still carry them)."""
        entry = self.entries.get(key)
        return list(entry.warnings) if entry else []

    def charts_in_use(self) -> set[str]:
        """The stored charts that some document of this build folder shows."""
        return {name for entry in self.entries.values() for name in entry.charts}

    def seconds_of(self, key: str) -> float:
        """How long a document took to render last time (0 when it was never built)."""
        entry = self.entries.get(key)
        return entry.seconds if entry else 0.0

    def forget(self, key: str, remove_outputs: bool = False) -> None:
        """Drop a document from the cache, so that it is rebuilt next time (and its files)."""
        entry = self.entries.pop(key, None)
        if entry is not None and remove_outputs:
            for name in entry.outputs:
                remove_output(self.output, name)

    def documents_of(self, contract_id: str) -> list[str]:
        """The names of the documents of a contract that the cache knows."""
        prefix = f"{contract_id}/"
        return [key[len(prefix) :] for key in self.entries if key.startswith(prefix)]

    def document_counts(self) -> dict[str, int]:
        """How many documents the cache knows per contract, in one pass (documents_of per
        contract scans every entry: quadratic over a portfolio's no-op build)."""
        counts: dict[str, int] = {}
        for key in self.entries:
            contract_id, slash, _ = key.partition("/")
            if slash:
                counts[contract_id] = counts.get(contract_id, 0) + 1
        return counts

    def outputs_of(self, key: str) -> list[str]:
        """The files (relative to the output folder) that a document wrote."""
        entry = self.entries.get(key)
        return list(entry.outputs) if entry else []

    def merge(self, other: BuildCache) -> None:  # other's paths were checked when it loaded
        """Take the entries and cards of another build folder's cache (a shard's)."""
        self.entries.update(other.entries)
        self.cards.update(other.cards)
        self.sources.update(other.sources)
        self.page = ""

    def prune(self, live: dict[str, Path]) -> list[str]:
        """Remove the outputs of contracts whose folder is gone; return their ids.

        A contract built earlier from a folder that still exists is kept even when this build
        was not asked for it (`cpomdocs build contracts/one` leaves the others in place). Only
        the files the cache recorded go, and the folders they leave empty: never a folder that
        holds anything else (build/publish).
        """
        for contract_id, folder in live.items():
            self.sources[contract_id] = str(folder.resolve())
        known = {key.split("/", 1)[0] for key in self.entries} | set(self.cards)
        removed = sorted(cid for cid in known - set(live) if self._folder_gone(cid))
        for contract_id in removed:
            for key in [k for k in self.entries if k.split("/", 1)[0] == contract_id]:
                for name in self.entries.pop(key).outputs:
                    remove_output(self.output, name)
            self.cards.pop(contract_id, None)
            self.sources.pop(contract_id, None)
        return removed

    def _folder_gone(self, contract_id: str) -> bool:
        from cpomdocs.data.folders import is_contract_folder

        recorded = self.sources.get(contract_id)
        try:
            return recorded is None or not is_contract_folder(Path(recorded))
        except (OSError, ValueError):  # a name no folder can have (too long, NUL): none there
            return True

    def save(self) -> None:
        """Write the cache atomically (unless unchanged), entries sorted so that it diffs well."""
        data = {
            "format": CACHE_FORMAT,
            "entries": {k: dict(vars(self.entries[k])) for k in sorted(self.entries)},
            "cards": {k: self.cards[k] for k in sorted(self.cards)},
            "sources": {k: self.sources[k] for k in sorted(self.sources)},
            "page": self.page,
        }
        # A no-op build compares its data with the file as read (0.5 ms at 100 contracts)
        # instead of writing it out as indented JSON again (15 ms: the pure-Python encoder).
        if data == self._loaded:
            return
        text = cache_json(data)
        if text != self._saved:
            write_text_atomic(self.path, text)
            self._saved = text
            self._loaded = None  # `data` shares the entries' lists: compare texts from now on


LOCK_FILE = ".cpomdocs.lock"
NOT_A_FOLDER = "{output}: c'est un fichier, pas un dossier : choisissez un dossier de sortie (-o)"
LINKED_LOCK = "{lock}: le verrou est un lien symbolique : supprimez-le, puis relancez"
BUSY = (
    "{output}: une autre commande cpomdocs écrit déjà dans ce dossier (verrou {lock}) : "
    "attendez qu'elle se termine, puis relancez"
)


@contextmanager
def output_lock(output: Path, leave: bool = True) -> Iterator[None]:
    """Create `output` if needed and hold its lock (another holder: fail at once)."""
    if output.exists() and not output.is_dir():
        raise OutputError(NOT_A_FOLDER.format(output=output))
    lock = output / LOCK_FILE
    try:
        output.mkdir(parents=True, exist_ok=True)  # a link is not followed: it made a file
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        handle = os.fdopen(fd, "a+b")  # held until the block ends
    except OSError as exc:
        if lock.is_symlink():  # wherever it led (a build/ restored from a CI cache)
            raise OutputError(LINKED_LOCK.format(lock=lock)) from exc
        raise output_failure(lock, exc) from exc
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(BUSY.format(output=output, lock=lock)) from None
        try:
            yield
        finally:
            if not leave:  # a publication is served as it is; a command starting now: new file
                lock.unlink(missing_ok=True)
    finally:
        handle.close()  # closing releases the lock
