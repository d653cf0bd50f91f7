"""pypdf's text of each page of a PDF, extracted once per test process for the same bytes.

Several test files read the text of the same built examples (test_law, test_typography,
test_pdf, test_parity): pypdf's extraction is ~80 % of their time. The cache is keyed by the
file's bytes (sha256), not its path, so a file rebuilt in place is read again; it holds
immutable tuples of strings, so no test can change what another one reads.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from pypdf import PdfReader

_PAGES: dict[bytes, tuple[str, ...]] = {}


def page_texts(pdf: Path | bytes) -> tuple[str, ...]:
    """`page.extract_text()` of each page of this PDF (a path or its bytes), in order."""
    data = pdf if isinstance(pdf, bytes) else Path(pdf).read_bytes()
    key = hashlib.sha256(data).digest()
    if key not in _PAGES:
        _PAGES[key] = tuple(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return _PAGES[key]
