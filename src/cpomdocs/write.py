"""Atomic writes inside an output folder: build/ never holds a half-written file, and nothing is
written or removed outside the folder a command was given."""

from __future__ import annotations

import codecs
import contextlib
import errno
import glob
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from cpomdocs.errors import OutputError

OUTSIDE = "chemin « {name} » refusé : il sort du dossier de sortie {root}"
_REASONS = {
    errno.ENOSPC: "disque plein",
    errno.EDQUOT: "quota disque dépassé",
    errno.EFBIG: "fichier plus grand que la taille permise (limite du système, ulimit -f)",
    errno.EROFS: "système de fichiers en lecture seule",
    errno.EACCES: "permission refusée",
    errno.EPERM: "permission refusée",
    errno.ENOTDIR: "un fichier se trouve là où un dossier est attendu",
    errno.EEXIST: "un fichier se trouve là où un dossier est attendu",
    errno.EISDIR: "un dossier se trouve là où un fichier est attendu",
    errno.ENOENT: "dossier introuvable (supprimé pendant l'écriture, ou créé ailleurs ?)",
    errno.ENAMETOOLONG: "nom de fichier trop long pour le système",
    errno.ELOOP: "trop de liens symboliques à suivre (une boucle ?)",
    errno.EIO: "erreur d'entrée-sortie du disque",
}
# the rename would replace it: `-o /dev/null` as root put a regular file in place of /dev/null
NOT_A_FILE = "ce n'est pas un fichier ordinaire (périphérique, tube nommé…), il serait remplacé"


def failure_reason(error: OSError) -> str:
    """Why a write failed, in French (« disque plein », « permission refusée »…)."""
    return _REASONS.get(error.errno or 0, error.strerror or type(error).__name__)


def output_failure(target: Path, error: OSError) -> OutputError:
    """A French message for an OSError met while writing `target`."""
    return OutputError(f"{target}: écriture impossible : {failure_reason(error)}")


def inside(root: Path, name: str | PurePosixPath) -> Path:
    """`root / name`, refused unless it stays inside `root` (no absolute path, no « .. », no
    symbolic link leading out)."""
    relative = PurePosixPath(name)
    if (
        not str(name)
        or relative.is_absolute()
        or any(part in ("", "..") for part in relative.parts)
        or "\\" in str(name)
    ):
        raise OutputError(OUTSIDE.format(name=name, root=root))
    target = root / relative
    if not target.resolve().is_relative_to(root.resolve()):
        raise OutputError(OUTSIDE.format(name=name, root=root))
    return target


LEFTOVER_SECONDS = 600  # a write in progress takes seconds: older, its run was killed


def _remove_leftovers(target: Path) -> None:
    """The half-written copies of `target` that a killed run left beside it (SIGKILL, a CI
    runner lost: nothing could remove them), older than any write in progress."""
    cutoff = time.time() - LEFTOVER_SECONDS
    for stale in target.parent.glob(f".{glob.escape(target.name)}.{'?' * 8}.tmp"):
        with contextlib.suppress(OSError):
            if not stale.is_symlink() and stale.is_file() and stale.stat().st_mtime < cutoff:
                stale.unlink()


def write_bytes_atomic(target: Path, data: bytes | BinaryIO) -> Path:
    """Write `data` (bytes, or a file read a block at a time) to a temporary file beside
    `target`, then rename it into place."""
    try:
        if target.exists() and not target.is_file() and not target.is_dir():
            raise OutputError(f"{target}: écriture impossible : {NOT_A_FILE}")
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(target)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise output_failure(target, exc) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, bytes):
                handle.write(data)
            else:
                shutil.copyfileobj(data, handle)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise output_failure(target, exc) from exc
        raise
    return target


def copy_file_atomic(source: Path, target: Path) -> Path:
    """Copy `source` over `target` atomically, a block at a time (never read whole)."""
    try:
        handle = source.open("rb")
    except OSError as exc:
        raise OutputError(f"{source}: lecture impossible : {failure_reason(exc)}") from exc
    with handle:
        return write_bytes_atomic(target, handle)


def write_text_atomic(target: Path, text: str) -> Path:
    """Write UTF-8 text atomically."""
    return write_bytes_atomic(target, text.encode("utf-8"))


def write_text_like(target: Path, text: str) -> Path:
    """Write `text` (read with Python's universal newlines) over a file edited in place, keeping
    its CRLF line ends and byte-order mark: a compte-rendu or a contract saved on Windows came
    back all LF, and git showed every line changed by an import or a sign-off."""
    try:
        former = target.read_bytes()
    except OSError:
        former = b""
    if b"\r\n" in former and "\r\n" not in text:
        text = text.replace("\n", "\r\n")
    bom = former.startswith(codecs.BOM_UTF8) and not text.startswith("\ufeff")
    return write_bytes_atomic(target, (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8"))


def remove_output(root: Path, name: str) -> bool:
    """Remove one file that a build recorded under `root` (checked to be inside it), then its
    folders left empty up to `root`; never a folder that still holds anything."""
    target = inside(root, name)
    if target.is_symlink() or not target.is_file():
        return False
    target.unlink()
    top = root.resolve()
    folder = target.parent
    while folder.resolve() != top and folder.resolve().is_relative_to(top):
        try:
            folder.rmdir()  # only when empty
        except OSError:
            break
        folder = folder.parent
    return True


def write_new_text(target: Path, text: str) -> Path:
    """Write a file that must not exist yet: atomically, and never over an existing file
    (FileExistsError), even one created meanwhile."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
        os.chmod(tmp, 0o644)
        os.link(tmp, target)  # fails when target exists: nothing is ever replaced
    finally:
        Path(tmp).unlink(missing_ok=True)
    return target


DEFERRED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Ctrl-C, SIGTERM and SIGHUP held back while the block runs, then delivered: a few renames
    that must land together (a publication's files and its manifest) are never cut halfway."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = {n: signal.signal(n, lambda number, _: received.append(number)) for n in DEFERRED}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)
        for number in received[:1]:
            signal.raise_signal(number)  # its own handler now: Stopped, KeyboardInterrupt…


def missing_folders(out_dir: Path) -> list[Path]:
    """`out_dir` and those of its parents that do not exist yet, deepest first."""
    missing = []
    folder = out_dir.absolute()
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    return missing


def remove_empty(folders: list[Path]) -> None:
    """Remove the folders a failed run created, deepest first, each only if still empty."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:  # something landed there meanwhile: left as it is
            return
