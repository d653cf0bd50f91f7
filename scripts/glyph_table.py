"""Print the code points that the PDF's fonts draw, as ranges for src/cpomdocs/data/glyphs.py.

Run it when print.css changes its fonts: .venv/bin/python scripts/glyph_table.py
It reads DejaVu Sans and DejaVu Serif (Debian's fonts-dejavu-core, which fontconfig always
installs): every character of the documents falls back to one of them when the first font
of the CSS stack lacks it.
"""

from __future__ import annotations

import textwrap
import unicodedata
from pathlib import Path

from fontTools.ttLib import TTFont

FONTS = Path("/usr/share/fonts/truetype/dejavu")
FILES = ("DejaVuSans.ttf", "DejaVuSerif.ttf")
# Control, format, private-use and unassigned code points are never « drawable » text.
EXCLUDED_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn"}


def drawable() -> list[int]:
    """The code points that at least one of FILES maps to a glyph."""
    found: set[int] = set()
    for name in FILES:
        found |= set(TTFont(FONTS / name).getBestCmap())
    return sorted(c for c in found if unicodedata.category(chr(c)) not in EXCLUDED_CATEGORIES)


def ranges(points: list[int]) -> list[tuple[int, int]]:
    """Consecutive code points grouped as (first, last)."""
    grouped: list[list[int]] = []
    for point in points:
        if grouped and grouped[-1][1] == point - 1:
            grouped[-1][1] = point
        else:
            grouped.append([point, point])
    return [(a, b) for a, b in grouped]


if __name__ == "__main__":
    table = " ".join(f"{a:04X}-{b:04X}" for a, b in ranges(drawable()))
    print("\n".join(textwrap.wrap(table, 94)))
