"""CPU seconds of a document's DOCX, beside the DOCX engine alone on the same content.

Used by bench_kinds.py (one process per contract folder and per version of cpomdocs), so only
APIs that both versions have are used: render_docx, BodyWriter.render, template_path, typeset.

« The DOCX engine alone » is what docxtpl, python-docx, lxml and zlib cost to make a package of
this content without cpomdocs' own work: docxtpl opens the same template, stores the same
pictures, renders the same header and footer variables with an empty body and saves; lxml parses
the body XML that cpomdocs wrote and serialises it, and zlib deflates it (level 1), which any
writer holding that body as a tree would have to do. Its ratio to cpomdocs' time is the target.
The pictures (charts) are drawn beforehand and timed apart: matplotlib is not the DOCX engine.
"""

from __future__ import annotations

import io
import time
import zlib
from typing import Any

from cpomdocs.documents import typography
from cpomdocs.documents.blocks import Image
from cpomdocs.render import docx_body
from cpomdocs.render.docx import render_docx, template_context, template_path

try:  # the text walk: documents/blocks.py (session 10); BEFORE= may be older
    from cpomdocs.documents.blocks import walk
except ImportError:
    try:  # documents/reading.py (session 7 to 9)
        from cpomdocs.documents.reading import walk
    except ImportError:
        from cpomdocs.render.docx_text import walk

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
LAST_BODY = [""]


def _watch_body() -> None:
    """Keep the last body XML that cpomdocs wrote (to give the engine the same)."""
    render = docx_body.BodyWriter.render
    if getattr(render, "watched", False):
        return

    def watched(self: Any, blocks: Any) -> str:
        LAST_BODY[0] = render(self, blocks)
        return LAST_BODY[0]

    watched.watched = True  # type: ignore[attr-defined]
    docx_body.BodyWriter.render = watched  # type: ignore[method-assign]


def draw_pictures(document: Any) -> float:
    """Draw the document's PNG pictures now; the CPU seconds it took."""
    started = time.process_time()
    for block in walk(document.blocks):
        if isinstance(block, Image):
            block.png  # noqa: B018 (drawn once, kept by the Image)
    return time.process_time() - started


def cpomdocs_docx(document: Any) -> float:
    """CPU seconds of render_docx (pictures already drawn)."""
    _watch_body()
    started = time.process_time()
    render_docx(document)
    return time.process_time() - started


def engine_alone(document: Any, body: str) -> float:
    """CPU seconds of the DOCX engine alone on the same content (see the module's docstring)."""
    from docxtpl import DocxTemplate
    from jinja2 import Environment
    from lxml import etree

    meta = typography.typeset(document).meta  # the same header and footer texts
    pictures = [b.png for b in walk(document.blocks) if isinstance(b, Image) and b.png]
    context = template_context(meta, "")
    wrapped = f'<w:body xmlns:w="{W_NS}" xmlns:r="{R_NS}">{body}</w:body>'.encode()
    started = time.process_time()
    template = DocxTemplate(template_path())
    template.init_docx()
    for png in pictures:
        template.docx.part.get_or_add_image(io.BytesIO(png))
    template.render(context, Environment(autoescape=True))
    template.save(io.BytesIO())
    zlib.compress(etree.tostring(etree.fromstring(wrapped)), 1)
    return time.process_time() - started


def measure(document: Any, repeats: int) -> dict[str, float]:
    """The fastest of `repeats` alternated runs of each: cpomdocs' DOCX and the engine alone."""
    pictures = draw_pictures(document)
    mine, alone = [], []
    for _ in range(repeats):
        mine.append(cpomdocs_docx(document))
        alone.append(engine_alone(document, LAST_BODY[0]))
    return {"docx": min(mine), "docx_alone": min(alone), "docx_pictures": pictures}


def warm_up(document: Any) -> None:
    """First use (imports, the template read from disk): not counted."""
    draw_pictures(document)
    cpomdocs_docx(document)
    engine_alone(document, LAST_BODY[0])
