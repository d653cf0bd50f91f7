"""The texts of a chart (tick labels, axis label, value labels) drawn straight to the renderer.

A matplotlib Text is an artist of its own: made, clipped and laid out anew for each chart, which
cost about a third of a chart once the legend had gone. Here one artist per figure draws them
all, each where a Text with the same alignment would be: the offset from the anchor to the
first glyph depends only on the text, its style and the renderer (SVG at 72 dpi, PNG at 200),
so it is asked of matplotlib once per process. A value label's white round box is the path
matplotlib's `bbox={"boxstyle": "round,pad=0.15"}` would draw. Imported only when a chart is
drawn.
"""

from __future__ import annotations

from typing import Any

from matplotlib.artist import Artist
from matplotlib.colors import to_rgba
from matplotlib.patches import BoxStyle
from matplotlib.text import Text
from matplotlib.transforms import Affine2D, IdentityTransform

_LAYOUTS: dict[tuple, tuple] = {}  # (renderer kind, dpi, text, style) → offsets, angle, font…
BOX = BoxStyle.Round(pad=0.15)
WHITE = (1.0, 1.0, 1.0, 1.0)


class PlainTexts(Artist):
    """Single-line texts at points of given transforms, drawn without Text objects."""

    def __init__(self) -> None:
        super().__init__()
        self.set_clip_on(False)
        self.items: list[tuple[Any, float, float, str, tuple, tuple[float, float], bool]] = []

    def add(
        self,
        transform: Any,
        xy: tuple[float, float],
        text: str,
        offset: tuple[float, float] = (0.0, 0.0),
        boxed: bool = False,
        **style: Any,
    ) -> None:
        """A text anchored at `xy` of `transform`, moved by `offset` points, on a white round
        box when `boxed`; `style` as for matplotlib's Text."""
        style_key = tuple(sorted(style.items()))
        self.items.append((transform, *xy, text, style_key, offset, boxed))

    def draw(self, renderer: Any) -> None:
        """Each text where matplotlib's Text.draw would put it, in the renderer's units."""
        if not self.get_visible():
            return
        figure = self.get_figure(root=True)
        height = renderer.get_canvas_width_height()[1]
        for transform, x, y, text, style, offset, boxed in self.items:
            (dx, dy), box, angle, font, colour = _layout(renderer, figure, text, style)
            px, py = transform.transform((x, y))
            px += renderer.points_to_pixels(offset[0])
            py += renderer.points_to_pixels(offset[1])
            gc = renderer.new_gc()
            if boxed:
                gc.set_linewidth(0)
                gc.set_foreground(WHITE, isRGBA=True)
                renderer.draw_path(gc, box, Affine2D().translate(px, py), WHITE)
            gc.set_foreground(colour, isRGBA=True)
            y_drawn = height - py - dy if renderer.flipy() else py + dy
            renderer.draw_text(gc, px + dx, y_drawn, text, font, angle)
            gc.restore()
        self.stale = False


def _layout(renderer: Any, figure: Any, text: str, style: tuple) -> tuple:
    """Offset of the first glyph from the anchor, angle, font and colour, as Text computes them."""
    key = (type(renderer).__name__, figure.dpi, text, style)
    if key not in _LAYOUTS:
        probe = Text(0, 0, text, transform=IdentityTransform(), **dict(style))
        probe.set_figure(figure)
        _, lines, ((x_box, y_box), (w_box, h_box)) = probe._get_layout(renderer)
        size = renderer.points_to_pixels(probe.get_size())
        box = BOX(x_box, y_box, w_box, h_box, size)  # as FancyBboxPatch, at the anchor
        font = probe.get_fontproperties().copy()
        colour = to_rgba(probe.get_color())
        _LAYOUTS[key] = (lines[0][2], box, probe.get_rotation(), font, colour)
    return _LAYOUTS[key]
