"""What WeasyPrint lays out: words that pass the right edge of the text block, margin boxes."""

from __future__ import annotations

from typing import Any

TOLERANCE = 0.5  # CSS pixels


def _boxes(box: Any) -> Any:
    yield box
    for child in getattr(box, "children", []) or []:
        yield from _boxes(child)


def laid_out(html: str) -> Any:
    """The WeasyPrint document of an HTML page (its layout, without writing a PDF)."""
    import weasyprint

    return weasyprint.HTML(string=html).render()


def words_past_the_text_block(document: Any) -> list[tuple[int, str, float]]:
    """(page, text, how far past the right edge) of each piece of text outside the block."""
    from weasyprint.formatting_structure.boxes import MarginBox, TextBox

    found = []
    for number, page in enumerate(document.pages, 1):
        page_box = page._page_box
        right = page_box.content_box_x() + page_box.width
        for child in page_box.children:
            if isinstance(child, MarginBox):
                continue
            for box in _boxes(child):
                if isinstance(box, TextBox) and box.text.strip():
                    end = box.position_x + box.width
                    if end > right + TOLERANCE:
                        found.append((number, box.text, round(end - right, 1)))
    return found


def margin_lines(document: Any, starting: str) -> list[int]:
    """How many lines each margin box whose text starts with `starting` takes, page by page."""
    from weasyprint.formatting_structure.boxes import LineBox, MarginBox, TextBox

    counts = []
    for page in document.pages:
        for box in page._page_box.children:
            if not isinstance(box, MarginBox):
                continue
            texts = "".join(b.text for b in _boxes(box) if isinstance(b, TextBox))
            if texts.startswith(starting):
                counts.append(sum(isinstance(b, LineBox) for b in _boxes(box)))
    return counts


def last_page_with(document: Any, text: str) -> int:
    """The number of the last page whose laid-out text holds `text` (0 when none does)."""
    from weasyprint.formatting_structure.boxes import TextBox

    found = 0
    for number, page in enumerate(document.pages, 1):
        words = " ".join(b.text for b in _boxes(page._page_box) if isinstance(b, TextBox))
        found = number if text in words else found
    return found
