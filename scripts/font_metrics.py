"""Write src/cpomdocs/render/metrics.py: advance widths of the table fonts, for columns.py.

Run it when print.css or the DOCX template change their table fonts:
    .venv/bin/python scripts/font_metrics.py
The PDF's tables are in DejaVu Sans Condensed (print.css), the DOCX's in Arial, whose metrics
Liberation Sans copies (LibreOffice draws Arial with it). Widths are in thousandths of an em,
rounded up: a column computed from them is never narrower than its text.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

from fontTools.ttLib import TTFont

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
LIBERATION = Path("/usr/share/fonts/truetype/liberation")
FONTS = {
    "ARIAL": LIBERATION / "LiberationSans-Regular.ttf",
    "ARIAL_BOLD": LIBERATION / "LiberationSans-Bold.ttf",
    "DEJAVU_CONDENSED": DEJAVU / "DejaVuSansCondensed.ttf",
    "DEJAVU_CONDENSED_BOLD": DEJAVU / "DejaVuSansCondensed-Bold.ttf",
}
# What the documents write: ASCII, Latin-1, French typography (’ « » – — … ‐ ‑ − and the
# no-break spaces), Œ œ Ÿ and €. Other characters take a wide default in columns.py.
EXTRA = "ŒœŸ€‘’“”–—…‐‑−\u202f\u2009•≤≥"
RANGES = "[*range(0x20, 0x7F), *range(0xA0, 0x100)]"
CHARS = "".join(map(chr, [*range(0x20, 0x7F), *range(0xA0, 0x100)])) + EXTRA
TARGET = Path(__file__).resolve().parent.parent / "src/cpomdocs/render/metrics.py"


def widths(path: Path) -> list[int]:
    """Advance widths of CHARS in thousandths of an em (0 where the font has no glyph)."""
    font = TTFont(path)
    cmap, advances, units = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
    return [
        math.ceil(advances[cmap[ord(c)]][0] * 1000 / units) if ord(c) in cmap else 0 for c in CHARS
    ]


def main() -> None:
    lines = [
        '"""Advance widths of the table fonts in thousandths of an em, one per character of CHARS',
        '(0: no glyph), written by scripts/font_metrics.py: do not edit by hand."""',
        "",
        "from __future__ import annotations",
        "",
        f"EXTRA = {EXTRA!r}",
        f'CHARS = "".join(map(chr, {RANGES})) + EXTRA',
    ]
    for name, path in FONTS.items():
        body = textwrap.fill(" ".join(map(str, widths(path))), 95)
        lines += [f"# {path.name}", f'{name} = """', body, '"""']
    TARGET.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{TARGET}: {len(CHARS)} characters, {len(FONTS)} fonts")


if __name__ == "__main__":
    main()
