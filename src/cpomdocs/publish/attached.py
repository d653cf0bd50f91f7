"""The files a PDF carries (its sources, its provenance, its sealed identity), read with bounds.

A PDF anyone made may carry hundreds of attachments, each inflating to pypdf's cap of 75 MB
(30 of them in a 2 MB file took 2.4 GB and 29 s, three times per PDF): only the files asked
for are inflated, one at a time, each no larger than a source may be, and a PDF with more
attachments than a contract has sources is refused unread.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from cpomdocs.errors import CpomError

SOURCE_SUFFIXES = (".json", ".yaml", ".yml")
IDENTITY_NAME = "cpomdocs-publication.json"  # publish.seal: the identity, not a source
MAX_SOURCE_BYTES = 5_000_000  # a data file is refused over 2 MB (data.load.MAX_BYTES)
MAX_ATTACHMENTS = 200  # a contract's files, its provenance and its identity: 20 in asba's
TOO_MANY = (
    "{} pièces jointes (au plus {} dans un PDF de cpomdocs : ses sources, sa provenance et son "
    "identité) : aucune n'est lue"
)
_LIMITS = ("zlib", "lzw", "run_length", "brotli", "jbig2")


class AttachmentsError(CpomError, ValueError):
    """Raised when a PDF carries more attachments than any cpomdocs PDF."""


@contextmanager
def _bounded() -> Iterator[None]:
    """pypdf inflating no stream past a source's size (its own cap is 75 MB), when it can."""
    import pypdf

    apply = getattr(pypdf, "apply_configuration", None)  # pypdf 7; older ones keep 75 MB
    if apply is None:
        yield
        return
    fields = pypdf.Configuration.__dataclass_fields__
    limits = {f"{n}_maximum_output_length": MAX_SOURCE_BYTES + 1 for n in _LIMITS}
    with apply(**{k: v for k, v in limits.items() if k in fields}):
        yield


def _entries(reader: Any) -> list[tuple[str, Callable[[], bytes]]]:
    """(name, how to inflate it) of each attachment, none inflated yet."""
    listed = getattr(reader, "attachment_list", None)
    if listed is not None:
        return [(entry.name, lambda e=entry: e.content) for entry in listed]
    lazy = reader.attachments  # pypdf 5: a lazy mapping, name → every copy's contents
    return [(name, lambda n=name: (lazy[n] or [b""])[0]) for name in lazy]


def attachments(pdf: bytes, wanted: Callable[[str], bool] | None = None) -> dict[str, bytes]:
    """The embedded files of a PDF that `wanted` accepts (all by default), by name, the first
    copy of each name; AttachmentsError past MAX_ATTACHMENTS, pypdf's LimitReachedError for a
    file inflating past MAX_SOURCE_BYTES."""
    from pypdf import PdfReader

    entries = _entries(PdfReader(io.BytesIO(pdf)))
    if len(entries) > MAX_ATTACHMENTS:
        raise AttachmentsError(TOO_MANY.format(len(entries), MAX_ATTACHMENTS))
    found: dict[str, bytes] = {}
    with _bounded():
        for name, content in entries:
            if name not in found and (wanted is None or wanted(name)):
                found[name] = content()
    return found


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


def _is_source(name: str) -> bool:
    return name.endswith(SOURCE_SUFFIXES) and name != IDENTITY_NAME


def attached_source(pdf: bytes) -> tuple[str, dict[str, Any]] | None:
    """The source attached to a rendered document (name, parsed content), JSON first, or None."""
    found = attachments(pdf, _is_source)
    for name in sorted(found, key=lambda n: (not n.endswith(".json"), n)):
        parsed = _parse_source(name, found[name])
        if isinstance(parsed, dict):
            return name, parsed
    return None


def attached_identity(pdf: bytes) -> bytes | None:
    """The bytes of the identity sealed into a signed PDF, or None."""
    return attachments(pdf, lambda name: name == IDENTITY_NAME).get(IDENTITY_NAME)
