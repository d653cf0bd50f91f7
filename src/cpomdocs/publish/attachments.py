"""Provenance of published documents: git commits of their sources, files attached to a PDF."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
from pathlib import Path
from typing import Any


def sha256_bytes(data: bytes) -> str:
    """The sha256 of `data`, in hex."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """The sha256 of a file's content, in hex."""
    return sha256_bytes(path.read_bytes())


def git_output(folder: Path, *args: str) -> str | None:
    """The stripped output of a git command run in `folder`, or None when it fails."""
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def head_commit(folder: Path) -> str | None:
    """The commit checked out in the git repository holding `folder`, or None."""
    return git_output(folder, "rev-parse", "HEAD") or None


def file_commit(path: Path) -> str | None:
    """The last commit that touched `path`, or None when it has uncommitted changes or no git."""
    folder = path.parent
    if git_output(folder, "status", "--porcelain", "--", path.name):
        return None
    return git_output(folder, "log", "-1", "--format=%H", "--", path.name) or None


def source_entry(path: Path, root: Path) -> dict[str, Any]:
    """A manifest entry for one source file: its path, sha256 and commit."""
    try:
        shown = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        shown = path.as_posix()
    return {"chemin": shown, "sha256": sha256_file(path), "commit": file_commit(path)}


def attachments(pdf: bytes) -> dict[str, bytes]:
    """The embedded files of a PDF, by name (the first copy of each name)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return {name: contents[0] for name, contents in reader.attachments.items() if contents}


SOURCE_SUFFIXES = (".json", ".yaml", ".yml")
MAX_SOURCE_BYTES = 5_000_000


def _parse_source(name: str, data: bytes) -> Any:
    import yaml

    if len(data) > MAX_SOURCE_BYTES:
        return None
    try:
        text = data.decode("utf-8")
        if name.endswith(".json"):
            return json.loads(text)
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (UnicodeDecodeError, ValueError, yaml.YAMLError):
        return None


def attached_source(pdf: bytes) -> tuple[str, dict[str, Any]] | None:
    """The source attached to a rendered document (name, parsed content), JSON first, or None."""
    found = attachments(pdf)
    names = sorted(found, key=lambda n: (not n.endswith(".json"), n))
    for name in names:
        if name.endswith(SOURCE_SUFFIXES):
            parsed = _parse_source(name, found[name])
            if isinstance(parsed, dict):
                return name, parsed
    return None
