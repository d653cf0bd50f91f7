"""One build at a time per output folder: a lock file inside it, held with flock."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cpomdocs.errors import OutputError
from cpomdocs.write import output_failure

LOCK_FILE = ".cpomdocs.lock"
NOT_A_FOLDER = "{output}: c'est un fichier, pas un dossier : choisissez un dossier de sortie (-o)"
BUSY = (
    "{output}: une autre commande cpomdocs écrit déjà dans ce dossier (verrou {lock}) : "
    "attendez qu'elle se termine, puis relancez"
)


@contextmanager
def output_lock(output: Path) -> Iterator[None]:
    """Create `output` if needed and hold its lock; another holder makes this fail at once."""
    if output.exists() and not output.is_dir():
        raise OutputError(NOT_A_FOLDER.format(output=output))
    lock = output / LOCK_FILE
    try:
        output.mkdir(parents=True, exist_ok=True)
        handle = open(lock, "a+b")  # noqa: SIM115 -- held until the block ends
    except OSError as exc:
        raise output_failure(lock, exc) from exc
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(BUSY.format(output=output, lock=lock)) from None
        yield
    finally:
        handle.close()  # closing releases the lock
