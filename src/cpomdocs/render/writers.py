"""The one list of output formats, and the writer that makes each from a composed document."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from cpomdocs.documents.blocks import ComposedDocument

FORMATS = ("pdf", "docx")
Writer = Callable[[ComposedDocument, Path | None], bytes]


def writers(formats: tuple[str, ...] = FORMATS) -> dict[str, Writer]:
    """The writers of the requested formats that this installation has."""
    found: dict[str, Writer] = {}
    if "pdf" in formats:
        from cpomdocs.render.pdf import render_pdf

        found["pdf"] = render_pdf
    if "docx" in formats:
        from cpomdocs.render.docx import render_docx

        found["docx"] = render_docx
    return found
