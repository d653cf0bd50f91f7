"""WeasyPrint, imported without ctypes' library search: 0.2–0.5 s less per process that makes PDFs.

WeasyPrint opens Pango, HarfBuzz, fontconfig… through cffi, trying for each library names made
for every system ('libgobject-2.0-0', 'gobject-2.0-0', 'gobject-2.0', 'libgobject-2.0.so.0',
…). cffi hands each name that the loader cannot open as it is to ctypes.util.find_library,
which on Linux runs ldconfig, then gcc and ld, in subprocesses: 22 searches and some 40
processes per import, 16 of them failing (WeasyPrint issue #1125). The Linux names further down
each list open directly, the loader looking where it always does (LD_LIBRARY_PATH, its cache,
the system folders). So while WeasyPrint imports, find_library answers « not found » at once.
Should WeasyPrint then fail to import, it is imported again with the real search, as before.
Only on Linux: elsewhere find_library is how these libraries are found at all.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import importlib
import io
import sys
from types import ModuleType
from typing import Any

from cpomdocs.render import cffi_arrays


def _not_searched(name: str) -> None:
    """find_library while WeasyPrint imports: no subprocess, the loader opens the Linux names."""
    return None


def load_weasyprint() -> ModuleType:
    """The weasyprint module, imported on first use (0.3–0.7 s) without searching libraries."""
    weasyprint = _imported()
    from weasyprint.text.ffi import ffi

    cffi_arrays.install(ffi)  # glyph arrays typed without parsing C (cffi_arrays.py)
    return weasyprint


def _imported() -> ModuleType:
    """The weasyprint module, imported on first use without searching libraries."""
    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        return importlib.import_module("weasyprint")
    search = ctypes.util.find_library
    ctypes.util.find_library = _not_searched
    try:  # WeasyPrint prints a notice when a library is missing: only the real search may
        with contextlib.redirect_stdout(io.StringIO()):
            return importlib.import_module("weasyprint")
    except OSError:  # a library found only by the search (not under its Linux name)
        pass
    finally:
        ctypes.util.find_library = search
    return importlib.import_module("weasyprint")


_FONT_CONFIGS: dict[str, Any] = {}


def font_config(html: str) -> Any:
    """One FontConfiguration per process for documents without @font-face, else a new one.

    WeasyPrint makes a FontConfiguration per document when given none: fontconfig loads its
    configuration and font list again (FcInitLoadConfigAndFonts) and Pango's font map starts
    empty, so every font, fontset and shaped glyph of the document is looked up anew. Shared
    by the documents of a worker, they are found once; the PDF is the same (its fonts and
    subsets are the document's own). A stylesheet with @font-face (a template's print.css)
    adds fonts to the configuration it is given: such a document gets its own, as before.
    """
    fonts = importlib.import_module("weasyprint.text.fonts")
    if "@font-face" in html:
        return fonts.FontConfiguration()
    if "shared" not in _FONT_CONFIGS:
        _FONT_CONFIGS["shared"] = fonts.FontConfiguration()
    return _FONT_CONFIGS["shared"]
