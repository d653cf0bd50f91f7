"""The PDF writer: blocks → HTML (with print.css) → WeasyPrint → tagged PDF/A-3b, source attached.

`render_html` is the readable intermediate that golden tests compare; `render_pdf` only adds
WeasyPrint. Every text of the document is HTML-escaped here, so nothing typed by a user can
become markup.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
from pathlib import Path

from cpomdocs.documents import typography
from cpomdocs.documents.blocks import (
    Block,
    ComposedDocument,
    DocumentMeta,
    Heading,
    Image,
    Inline,
    ListBlock,
    PageBreak,
    Paragraph,
    Section,
    Table,
    TableOfContents,
)
from cpomdocs.documents.compose import find_template_file
from cpomdocs.errors import RenderError
from cpomdocs.gitinfo import epoch_pinned_to
from cpomdocs.render.columns import (
    CELL_PADDING,
    PDF,
    PDF_SPARE,
    column_widths,
    figure_runs,
    text_width,
    whole_compounds,
    words_fit,
)
from cpomdocs.render.html_inline import SHORT_CELL, inline_html
from cpomdocs.render.html_inline import escaped as _text

CSS_TEMPLATE = "print.css"
TOC_TITLE = "Sommaire"
WIDE_TABLE_COLUMNS = 7  # from this many columns, tables use a smaller font
SMALL_TABLE_ROWS = 10  # tables this short are kept on one page
# Column widths are computed here (columns.py) for print.css's `table-layout: fixed`: the sizes
# and the text width (A4 less 2 × 2 cm) of print.css, in half-points and twips.
TABLE_SIZE, WIDE_SIZE = 17, 15
PDF_TEXT_WIDTH = 9638
CELL_ROOM = CELL_PADDING - PDF_SPARE  # twips of a PDF column that its text cannot use


# A date or an amount: digits and words held by no-break spaces (typography.py), « 1er mars ».
HELD = re.compile("\\d(?:er)?[\u00a0\u202f]|[\u00a0\u202f]\\d")


def _plain(runs: Inline) -> str:
    return "".join(run.text for run in runs)


def _headings(blocks: list[Block], found: list[Heading]) -> list[Heading]:
    for block in blocks:
        if isinstance(block, Heading) and block.level <= 2:
            found.append(block)
        elif isinstance(block, Section) and block.role != "cover":
            _headings(block.children, found)
    return found


def _toc(blocks: list[Block]) -> str:
    items = "".join(
        f'<li class="toc-{h.level}"><a href="#{_text(h.anchor)}">{inline_html(h.runs)}</a></li>'
        for h in _headings(blocks, [])
    )
    return f'<nav class="toc"><p class="toc-title">{TOC_TITLE}</p><ul>{items}</ul></nav>'


def _table(table: Table) -> str:
    short = [
        all(len(_plain(row[n])) <= SHORT_CELL for row in table.rows if n < len(row))
        for n in range(len(table.header))
    ]
    wide = len(table.header) >= WIDE_TABLE_COLUMNS
    aligns = [*table.align, *[""] * len(short)][: len(short)]
    unbroken = [s or a == "right" for s, a in zip(short, aligns, strict=True)]
    size = WIDE_SIZE if wide else TABLE_SIZE
    widths = column_widths(table, size, PDF_TEXT_WIDTH, unbroken, deletions_shown=True, font=PDF)
    first_total = len(table.rows) - table.total_rows
    cells = [[(r[n], i >= first_total) for i, r in enumerate(table.rows) if n < len(r)]
             for n in range(len(widths))]  # fmt: skip
    # A wide table's label columns are not hyphenated when their words fit.
    fit = [wide and words_fit(cells[n], widths[n], size) for n in range(len(widths))]

    def cell(tag: str, runs: Inline, column: int, total: bool = False) -> str:
        align = table.align[column] if column < len(table.align) else "left"
        classes = [align] if align != "left" else []
        # A heading may wrap between its words: widths come from font metrics, and a heading
        # kept on one line would run past its column when they are off by a point.
        kept = tag == "td" and column < len(short) and short[column]
        wraps = False  # a rare long figure in a column sized by its typical cell (columns.py)
        if tag == "td" and column < len(widths) and align == "right":
            runs, wraps = figure_runs(runs, widths[column], size, total)
        classes += ["wrap"] if wraps else ["nowrap"] if kept else []
        # A date or an amount in a cell's prose is never hyphenated (« 15 no-vembre 2022 »): its
        # no-break spaces keep it on one line, its column is as wide (columns.py), and the cell
        # is not hyphenated at all (a class is cheaper for WeasyPrint than a span per date).
        # Nor are the narrow label columns of a wide table (« Crédits non re-conductibles »).
        text = _plain(runs)
        prose = tag == "td" and not kept and align != "right"
        if prose and ((column < len(fit) and fit[column]) or (" " in text and HELD.search(text))):
            classes.append("held")
        if prose and column < len(widths):  # « ARS / Auvergne-Rhône-Alpes », if it fits
            runs = whole_compounds(runs, widths[column], size, total)
        # a proper name is not hyphenated (« La Paren-thèse »): only where a line may end
        names = prose and "held" not in classes and column < len(widths)
        names = names and text_width(text, size, total, PDF) > widths[column] - CELL_ROOM
        css = f' class="{" ".join(classes)}"' if classes else ""
        name = tag.split()[0]
        return f"<{tag}{css}>{inline_html(runs, breakable=True, names=names)}</{name}>"

    columns = "".join(f'<col style="width: {100 * w / sum(widths):.2f}%">' for w in widths)
    wider = sum(widths) > PDF_TEXT_WIDTH  # amounts that cannot fit: into the margin
    style = f' style="width: {100 * sum(widths) / PDF_TEXT_WIDTH:.2f}%"' if wider else ""
    head = "".join(cell('th scope="col"', runs, n) for n, runs in enumerate(table.header))
    body = []
    for index, row in enumerate(table.rows):
        css = ' class="total"' if index >= first_total else ""
        cells = "".join(cell("td", r, n, index >= first_total) for n, r in enumerate(row))
        body.append(f"<tr{css}>{cells}</tr>")
    caption = f"<caption>{_text(table.caption)}</caption>" if table.caption else ""
    sizes = (["wide"] if wide else []) + (["small"] if len(table.rows) <= SMALL_TABLE_ROWS else [])
    css = f' class="{" ".join(sizes)}"' if sizes else ""
    rows = "\n".join(body)
    return (
        f"<table{css}{style}>{caption}<colgroup>{columns}</colgroup><thead><tr>{head}</tr></thead>\n"
        f"<tbody>\n{rows}\n</tbody></table>"
    )


def _image(image: Image) -> str:
    kind, data = ("svg+xml", image.svg) if image.svg else ("png", image.png)
    source = f"data:image/{kind};base64,{base64.b64encode(data).decode('ascii')}"
    return f'<img src="{source}" alt="{_text(image.alt)}" style="width: {image.width_cm}cm">'


def blocks_html(blocks: list[Block], all_blocks: list[Block]) -> str:
    """The HTML of a list of blocks; `all_blocks` is the whole document (for the contents)."""
    out = []
    for block in blocks:
        if isinstance(block, Heading):
            level = min(max(block.level, 1), 6)
            out.append(f'<h{level} id="{_text(block.anchor)}">{inline_html(block.runs)}</h{level}>')
        elif isinstance(block, Paragraph):
            css = f' class="{_text(block.style)}"' if block.style else ""
            # no name spans in paragraphs: full lines rarely cut a name, and each span costs
            # WeasyPrint a box (html_inline.CAPITALISED)
            out.append(f"<p{css}>{inline_html(block.runs)}</p>")
        elif isinstance(block, ListBlock):
            tag = "ol" if block.ordered else "ul"
            items = "".join(f"<li>{blocks_html(item, all_blocks)}</li>" for item in block.items)
            out.append(f"<{tag}>{items}</{tag}>")
        elif isinstance(block, Table):
            out.append(_table(block))
        elif isinstance(block, Image):
            out.append(_image(block))
        elif isinstance(block, PageBreak):
            out.append('<div class="page-break"></div>')
        elif isinstance(block, TableOfContents):
            out.append(_toc(all_blocks))
        elif isinstance(block, Section):
            children = blocks_html(block.children, all_blocks)
            out.append(f'<section class="{_text(block.role)}">{children}</section>')
    return "\n".join(out)


def _head(meta: DocumentMeta, css: str) -> str:
    fields = {
        "author": meta.author,
        "description": meta.subject,
        "keywords": ", ".join(meta.keywords),
        "generator": "cpomdocs",
        "dcterms.created": meta.created,
        "dcterms.modified": meta.created,
    }
    metas = "".join(f'<meta name="{k}" content="{_text(v)}">' for k, v in fields.items())
    return f'<meta charset="utf-8"><title>{_text(meta.title)}</title>{metas}<style>{css}</style>'


def render_html(doc: ComposedDocument, template_dir_override: Path | None = None) -> str:
    """The document as one HTML page with its print CSS, ready for WeasyPrint."""
    doc = typography.typeset(doc)
    meta = doc.meta
    css = find_template_file(CSS_TEMPLATE, template_dir_override).read_text(encoding="utf-8")
    body = [
        f'<p class="running-title">{_text(meta.running_title)}</p>',
        f'<p class="version-label">{_text(meta.version_label)}</p>',
    ]
    if meta.watermark:
        body.append(f'<div class="watermark">{_text(meta.watermark)}</div>')
    body.append(blocks_html(doc.blocks, doc.blocks))
    return (
        f'<!DOCTYPE html>\n<html lang="{_text(meta.language)}">\n<head>{_head(meta, css)}</head>\n'
        "<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


def _timestamp(created: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(created.replace("Z", "+00:00"))
    except ValueError:
        raise RenderError(f"date de création invalide : {created!r}") from None


def _unique_associated_files(document: object, pdf: object) -> None:
    """WeasyPrint 70 lists each attachment twice in the catalog's /AF: keep one of each."""
    import pydyf

    catalog = pdf.catalog  # type: ignore[attr-defined]
    if "AF" in catalog:
        catalog["AF"] = pydyf.Array(dict.fromkeys(catalog["AF"]))


def render_pdf(
    doc: ComposedDocument, template_dir_override: Path | None = None, *, tagged: bool = True
) -> bytes:
    """The document as PDF/A-3b, its source files attached with the relationship Source.

    Tagged (RGAA: public bodies publish accessible documents): a structure tree with headings,
    lists, tables whose data cells name their header cells, figures with their alternative
    text, in reading order, and the document's language. PDF/A-3b still: the tags come on top
    of the « b » conformance, which is all that is claimed. `tagged=False` is for the bench.
    """
    from cpomdocs.render.engine import font_config, load_weasyprint

    weasyprint = load_weasyprint()  # 0.3–0.7 s to import: only when a PDF is really made
    html = render_html(doc, template_dir_override)
    stamp = _timestamp(doc.meta.created)
    attachments = [
        weasyprint.Attachment(
            file_obj=io.BytesIO(data),
            name=name,
            description=f"Source du document ({mime})",
            created=stamp,
            modified=stamp,
            relationship="Source",
        )
        for name, data, mime in doc.meta.attachments
    ]
    page = weasyprint.HTML(string=html, base_url=str(Path.cwd()))
    document = page.render(font_config=font_config(html))  # one per worker: fonts found once
    with epoch_pinned_to(stamp):  # fontTools stamps font subsets otherwise
        return document.write_pdf(
            pdf_variant="pdf/a-3b",
            pdf_tags=tagged,
            attachments=attachments,
            finisher=_unique_associated_files,
        )
