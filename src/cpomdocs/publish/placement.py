"""Where a publication's files land: signed PDFs staged then moved into place, the entries
of the previous manifest kept or their files removed."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from cpomdocs.publish.seal import safe_member
from cpomdocs.write import inside

MANIFEST = "manifest.json"
PAGE = "index.html"  # its sha256 in the manifest (« page »): verify finds it changed
# Signed PDFs wait here (inside the publication folder: a rename into place is atomic) until
# every document is signed; an interrupted run leaves the last publication as it was.
STAGING_PREFIX = ".publication-en-cours-"


def kept_entries(out_dir: Path, failed: set[str], done: set[str]) -> list[dict[str, Any]]:
    """The previous publication's entries that stay: a document that could not be signed again
    (a typo in --build-dir withdrew every signed PDF) and those of contracts not published now."""
    try:
        previous = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))["documents"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    kept = []
    for entry in (e for e in previous if isinstance(e, dict)):
        path = safe_member(out_dir, str(entry.get("fichier", "")))
        if path is None or not path.is_file() or path.is_symlink():
            continue
        if entry["fichier"] in failed or entry.get("contrat") not in done:
            kept.append(entry)
    return kept


def stale_files(out_dir: Path, published: set[str]) -> list[Path]:
    """The files that the previous publication listed and this one does not."""
    try:
        previous = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))["documents"]
        listed = {str(entry["fichier"]) for entry in previous}
    except (OSError, ValueError, KeyError, TypeError):
        return []
    paths = (safe_member(out_dir, relative) for relative in sorted(listed - published))
    return [p for p in paths if p is not None and p.is_file() and not p.is_symlink()]


def remove_stale(out_dir: Path, published: set[str]) -> list[Path]:
    """Remove the files that the previous publication listed and this one does not."""
    removed = stale_files(out_dir, published)
    for path in removed:
        path.unlink()
    return removed


def staging_folder(out_dir: Path) -> Path:
    """A fresh staging folder in `out_dir`, once the leftovers of killed runs are removed."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for leftover in out_dir.glob(f"{STAGING_PREFIX}*"):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))


def move_into_place(staging: Path, out_dir: Path, signed: set[str]) -> None:
    """Move the signed PDFs into place: renames only, after every signature was made, and
    every place checked first (a folder linked out of `out_dir` stops them all, not half)."""
    targets = {relative: inside(out_dir, relative) for relative in sorted(signed)}
    for relative, target in targets.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / relative, target)
