"""WeasyPrint alone on an HTML page, as a careful user of it would call it: the bench's floor.

Shared by bench_kinds, bench_instructions and bench_yardstick so the three measure the same
engine side. Like cpomdocs' render_pdf (render/engine.py `font_config`), it keeps one
FontConfiguration per process for pages without @font-face: that is WeasyPrint's documented
`font_config` argument, open to any user, so the floor gets it too (session 15; before, the
engine side paid a new font configuration per document and our ratio looked ~3 % better).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

_SHARED: dict[str, Any] = {}


def fonts_for(html: str) -> Any:
    """One FontConfiguration per process for pages without @font-face, else a new one."""
    from weasyprint.text.fonts import FontConfiguration

    if "@font-face" in html:
        return FontConfiguration()
    if "shared" not in _SHARED:
        _SHARED["shared"] = FontConfiguration()
    return _SHARED["shared"]


def write_pdf(html: str) -> bytes:
    """The page as a tagged PDF/A-3b, as render_pdf makes it, by WeasyPrint alone."""
    import weasyprint

    page = weasyprint.HTML(string=html, base_url=str(Path.cwd()))
    return page.render(font_config=fonts_for(html)).write_pdf(pdf_variant="pdf/a-3b", pdf_tags=True)
