"""What a published PDF carries: the digests and commits of its sources, its attached files."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import Any

from cpomdocs.gitinfo import file_commit


def sha256_bytes(data: bytes) -> str:
    """The sha256 of `data`, in hex."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """The sha256 of a file's content, in hex."""
    return sha256_bytes(path.read_bytes())


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
IDENTITY_NAME = "cpomdocs-publication.json"  # publish.seal: the identity, not a source
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
        if name.endswith(SOURCE_SUFFIXES) and name != IDENTITY_NAME:
            parsed = _parse_source(name, found[name])
            if isinstance(parsed, dict):
                return name, parsed
    return None


def pdf_keywords(pdf: bytes) -> str:
    """The Keywords entry of a PDF's document information, "" when it has none."""
    from pypdf import PdfReader

    info = PdfReader(io.BytesIO(pdf)).metadata
    return str(info.get("/Keywords", "")) if info else ""
