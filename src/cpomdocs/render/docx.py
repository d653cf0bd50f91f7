"""The DOCX writer: a composed document into the DOCX template, through docxtpl.

The template (templates/docx/document.docx, made by scripts/make_docx_template.py) holds the
Word styles, the page set-up, the header with the draft watermark and the footer. Its variables:
`body` (where the whole body goes, placed by `{{p body }}`), `title`, `running_title`,
`version_label`, `watermark` ("" for a signed document), `author`, `subject`. Jinja renders with
autoescape on, so user text in the header and footer is escaped; the body's text is escaped by
docx_xml.text(). docxtpl renders the template with a mark for the body (docx_package.BODY_MARK):
the body's XML, 80 % of the document, goes in as bytes when the package is written, after
docxtpl's passes (regular expressions, Jinja, lxml), which would only give it back unchanged.

The words of a composed document in order, and their digest, which the DOCX carries so that
a document rebuilt later from the same commit can be told apart from one whose templates changed.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cpomdocs.documents import typography
from cpomdocs.documents.blocks import (
    HEADING,
    PARAGRAPH,
    ROW,
    Block,
    ComposedDocument,
    DocumentMeta,
    pieces,
)
from cpomdocs.documents.compose import find_template_file
from cpomdocs.errors import RenderError
from cpomdocs.render.columns import plain
from cpomdocs.render.docx_body import BodyWriter, TemplateStyles
from cpomdocs.render.docx_package import BODY_MARK, custom_parts, package_entries, write_zip

_RUNS = (HEADING, PARAGRAPH)


def text_digest(blocks: list[Block]) -> str:
    """The sha256 of the document's words in order: a DOCX rebuilt later from the same commit
    must give the same, or its templates (or cpomdocs) have changed since. The words are those
    Word shows once the changes are accepted: headings, paragraphs and each table cell on a
    line (list markers, captions and images play no part)."""
    digest = hashlib.sha256()
    for kind, value in pieces(blocks):
        cells = value if kind == ROW else [value] if kind in _RUNS else []
        for runs in cells:
            digest.update(plain(runs).encode("utf-8") + b"\n")
    return digest.hexdigest()


if TYPE_CHECKING:
    from docx.document import Document
    from docxtpl import DocxTemplate
    from jinja2 import Environment

TEMPLATE_NAME = "docx/document.docx"
PACKAGED_TEMPLATE = Path(__file__).parents[1] / "templates" / TEMPLATE_NAME
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT_DIGEST = "cpomdocs.texte_sha256"  # custom property: the words of the document (import docx)
CORE_PROPERTY_LIMIT = 255  # python-docx refuses a longer title, subject or keyword list
COMPILED_PARTS = 64  # template parts kept compiled (a template has about ten)


def template_path(template_dir_override: Path | None = None) -> Path:
    """The DOCX template: `<override>/docx/document.docx` when it exists, else the packaged one."""
    return find_template_file(TEMPLATE_NAME, template_dir_override)


def render_docx(
    doc: ComposedDocument,
    template_dir_override: Path | None = None,
    bindings: dict[str, str] | None = None,
) -> bytes:
    """Render a composed document as DOCX bytes; the same input gives the same bytes.

    `bindings`, when given, receives what each hidden bookmark marks (docx_body.BodyWriter).
    """
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError, UndefinedError
    from markupsafe import Markup

    doc = typography.typeset(doc)
    path = template_path(template_dir_override)
    meta = doc.meta
    created = document_date(meta)
    try:
        template = DocxTemplate(path)
        template.init_docx()
    except Exception as exc:  # python-docx raises several kinds on a damaged package
        raise RenderError(
            f"{path}: modèle DOCX illisible : ce n'est pas un fichier DOCX valide"
        ) from exc
    if path.resolve() != PACKAGED_TEMPLATE.resolve():
        check_override(template, path)
        document = template.docx
    else:  # the packaged template looks like the PDF; an ARS's own template keeps its fonts
        document = template.docx
        use_pdf_fonts(document)
    styles = template_styles(document)
    list_number_num_id = style_num_id(document, styles.get("list number"))
    writer = BodyWriter(
        styles=styles,
        change_author=meta.change_author,
        change_date=created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        new_numbering=lambda: new_numbering(document, list_number_num_id),
        add_image=lambda png, alt: add_image(document, png, alt),
        add_link=lambda url: add_link(document, url),
    )
    body = writer.render(doc.blocks)
    try:
        template.render(template_context(meta, Markup(BODY_MARK)), jinja_environment())
    except UndefinedError as exc:
        name = re.search(r"'(.+?)' is undefined", exc.message or "")
        what = f"« {name.group(1)} »" if name else str(exc.message)
        raise RenderError(f"{path}: le modèle DOCX utilise une variable inconnue : {what}") from exc
    except TemplateError as exc:
        raise RenderError(f"{path}: modèle DOCX invalide : {exc.message}") from exc
    set_core_properties(document, meta, created)
    entries = package_entries(document, body, str(path))
    if bindings is not None:
        bindings.update(writer.bindings)
    properties = {**meta.properties, TEXT_DIGEST: text_digest(doc.blocks)}
    return write_zip(entries, created, custom_parts(properties))


def template_context(meta: DocumentMeta, body: str) -> dict[str, str]:
    """The variables of the DOCX template: the body, and the texts of the header and footer."""
    return {
        "body": body,
        "title": meta.title,
        "running_title": meta.running_title,
        "version_label": meta.version_label,
        "watermark": meta.watermark,
        "author": meta.author,
        "subject": meta.subject,
    }


@functools.cache
def jinja_environment() -> Environment:
    """The Jinja environment of every DOCX: autoescape on, unknown variables refused, and each
    part of a template compiled once (without the body, the parts never change: a tenth of the
    DOCX time went to compiling them again)."""
    from jinja2 import Environment, StrictUndefined, Template
    from jinja2.utils import LRUCache

    class CompilingOnce(Environment):
        compiled = LRUCache(COMPILED_PARTS)

        def from_string(
            self, source: Any, globals: Any = None, template_class: Any = None
        ) -> Template:
            if globals is not None or template_class is not None or not isinstance(source, str):
                return super().from_string(source, globals, template_class)
            found = self.compiled.get(source)
            if found is None:
                found = self.compiled[source] = super().from_string(source)
            return found

    return CompilingOnce(autoescape=True, undefined=StrictUndefined)


def check_override(template: DocxTemplate, path: Path) -> None:
    """A user's template must have the tag that receives the body, or the body would vanish."""
    from jinja2 import Environment, TemplateError

    try:
        variables = template.get_undeclared_template_variables(Environment())
    except TemplateError as exc:
        raise RenderError(f"{path}: modèle DOCX invalide : {exc.message}") from exc
    if "body" not in variables:
        raise RenderError(
            f"{path}: le modèle DOCX ne contient pas la balise {{{{p body }}}}"
            " qui reçoit le corps du document"
        )


def document_date(meta: DocumentMeta) -> datetime:
    """The document's date (meta.created) in UTC, without microseconds."""
    try:
        value = datetime.fromisoformat(meta.created)
    except ValueError as exc:
        raise RenderError(f"date du document invalide : « {meta.created} »") from exc
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0, tzinfo=None)


def template_styles(document: Document) -> TemplateStyles:
    """The template's style ids by lower-case name, and the numbering of its bullet style."""
    ids = {}
    for style in document.styles.element.iterchildren(f"{W}style"):
        name = style.find(f"{W}name")
        if name is not None:
            ids[name.get(f"{W}val").lower()] = style.get(f"{W}styleId")
    styles = TemplateStyles(ids)
    styles.bullet_num_id = style_num_id(document, styles.get("list bullet")) or "0"
    return styles


def style_num_id(document: Document, style_id: str) -> str:
    """The numId that a paragraph style carries in its w:numPr, or ""."""
    for style in document.styles.element.iterchildren(f"{W}style"):
        if style.get(f"{W}styleId") == style_id:
            num = style.find(f"{W}pPr/{W}numPr/{W}numId")
            return num.get(f"{W}val") if num is not None else ""
    return ""


def new_numbering(document: Document, num_id: str) -> str:
    """A new w:num over the list definition of `num_id` ("List Number"), starting again at 1."""
    numbering = document.part.numbering_part.element
    for num in numbering.iterchildren(f"{W}num"):
        if num.get(f"{W}numId") == num_id:
            abstract = num.find(f"{W}abstractNumId").get(f"{W}val")
            fresh = numbering.add_num(int(abstract))
            fresh.add_lvlOverride(ilvl=0).add_startOverride(1)
            return str(fresh.numId)
    return "0"


def add_image(document: Document, png: bytes, alt: str) -> tuple[str, tuple[int, int]]:
    """Store a PNG in the package; its relationship id and its size in pixels."""
    try:
        rid, image = document.part.get_or_add_image(io.BytesIO(png))
    except Exception as exc:  # python-docx: UnrecognizedImageError and friends
        raise RenderError(f"figure « {alt} » : l'image PNG est illisible") from exc
    return rid, (image.px_width, image.px_height)


# The fonts of print.css: a serif body, sans-serif headings, cover and furniture, condensed
# tables. Word style id → font.
PDF_FONTS = {
    "Normal": "Liberation Serif",
    **dict.fromkeys(
        ("Heading1", "Heading2", "Heading3", "Title", "Subtitle", "TOCHeading", "Header",
         "Footer", "Caption", "LegendeGraphique"),
        "DejaVu Sans",
    ),
    "TexteTableau": "DejaVu Sans Condensed",
}  # fmt: skip


def use_pdf_fonts(document: Document) -> None:
    """Give the template's styles the fonts the PDF uses, so that both look alike."""
    from docx.oxml.ns import qn

    for fonts in document.styles.element.iterfind(f"{qn('w:docDefaults')}//{qn('w:rFonts')}"):
        for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attribute), PDF_FONTS["Normal"])
    for style in document.styles:
        font = PDF_FONTS.get(style.style_id)
        if font is None:
            continue
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.get_or_add_rFonts()
        for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attribute), font)


def add_link(document: Document, url: str) -> str:
    """The relationship id of an external link (one per address)."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    return document.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)


def set_core_properties(document: Document, meta: DocumentMeta, created: datetime) -> None:
    """docProps/core.xml from the data, never from the clock or the template."""
    props = document.core_properties
    props.title = core_text(meta.title)
    props.author = core_text(meta.author)
    props.last_modified_by = core_text(meta.author)
    props.subject = core_text(meta.subject)
    props.keywords = core_text(", ".join(meta.keywords))
    props.language = meta.language
    props.comments = ""
    props.revision = 1
    props.created = created
    props.modified = created


def core_text(text: str) -> str:
    """A core property within python-docx's limit of 255 characters, cut with « … »."""
    return text if len(text) <= CORE_PROPERTY_LIMIT else text[: CORE_PROPERTY_LIMIT - 1] + "…"
