"""The plain texts of a chart (tick labels, axis label) drawn straight to the renderer.

A matplotlib Text is an artist of its own: made, clipped and laid out anew for each chart, which
cost about a third of a chart once the legend had gone. Here one artist per figure draws them
all, each where a Text with the same alignment would be: the offset from the anchor to the
first glyph depends only on the text, its style and the renderer (SVG at 72 dpi, PNG at 200),
so it is asked of matplotlib once per process. Imported only when a chart is drawn.
"""

from __future__ import annotations

from typing import Any

from matplotlib.artist import Artist
from matplotlib.colors import to_rgba
from matplotlib.text import Text
from matplotlib.transforms import IdentityTransform

_LAYOUTS: dict[tuple, tuple] = {}  # (renderer kind, dpi, text, style) → offsets, angle, font


class PlainTexts(Artist):
    """Single-line texts at points of given transforms, drawn without Text objects."""

    def __init__(self) -> None:
        super().__init__()
        self.set_clip_on(False)
        self.items: list[tuple[Any, float, float, str, tuple]] = []

    def add(self, transform: Any, x: float, y: float, text: str, **style: Any) -> None:
        """A text anchored at (x, y) of `transform`; `style` as for matplotlib's Text."""
        self.items.append((transform, x, y, text, tuple(sorted(style.items()))))

    def draw(self, renderer: Any) -> None:
        """Each text where matplotlib's Text.draw would put it, in the renderer's units."""
        if not self.get_visible():
            return
        figure = self.get_figure(root=True)
        height = renderer.get_canvas_width_height()[1]
        for transform, x, y, text, style in self.items:
            dx, dy, angle, font, colour = _layout(renderer, figure, text, style)
            px, py = transform.transform((x, y))
            px, py = px + dx, py + dy
            gc = renderer.new_gc()
            gc.set_foreground(colour, isRGBA=True)
            renderer.draw_text(gc, px, height - py if renderer.flipy() else py, text, font, angle)
            gc.restore()
        self.stale = False


def _layout(renderer: Any, figure: Any, text: str, style: tuple) -> tuple:
    """Offset of the first glyph from the anchor, angle, font and colour, as Text computes them."""
    key = (type(renderer).__name__, figure.dpi, text, style)
    if key not in _LAYOUTS:
        probe = Text(0, 0, text, transform=IdentityTransform(), **dict(style))
        probe.set_figure(figure)
        _, lines, _ = probe._get_layout(renderer)
        _, _, (dx, dy) = lines[0]
        font = probe.get_fontproperties().copy()
        _LAYOUTS[key] = (dx, dy, probe.get_rotation(), font, to_rgba(probe.get_color()))
    return _LAYOUTS[key]
