"""Composition: Jinja2 templates render Markdown, markdown-it-py turns it into blocks.

Templates are looked up in the user's own `templates/` folder first, then in the package's
defaults, file by file (like MkDocs' `custom_dir`). Data never becomes template source: it is
passed as variables, and every `{{ … }}` output is Markdown-escaped unless a filter says it is
Markdown already (`prose`), so « Fondation A & B <Est> », `{{ x }}` or `*x*` come out as typed.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Collection
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta

from cpomdocs import blanks, fmt
from cpomdocs.data.model import Contract, ContractStatus
from cpomdocs.documents import contract_views as views
from cpomdocs.documents.blocks import ComposedDocument, DocumentMeta, Image
from cpomdocs.documents.legal_views import AnnexEntry
from cpomdocs.documents.markdown import MarkdownError, markdown_to_blocks
from cpomdocs.documents.wording import act_parts, amended, counted, essms_counted
from cpomdocs.errors import RenderError

PACKAGE_TEMPLATES = Path(__file__).parents[1] / "templates"
_PACKAGE_FOLDERS = (PACKAGE_TEMPLATES.resolve(),)  # resolved once: a render asks at every call
CONTRACT_TEMPLATE = "contrat.md.j2"
ANNEXES_TEMPLATE = "annexes.md.j2"
ANNEX_TEMPLATES = views.ANNEX_TEMPLATES
CONTRACT_TITLE = "Contrat pluriannuel d'objectifs et de moyens"


def search_path(override_dir: Path | None = None) -> list[Path]:
    """Folders where templates are looked up, the user's overrides first."""
    return [*([override_dir] if override_dir and override_dir.is_dir() else []), PACKAGE_TEMPLATES]


def find_template_file(name: str, override_dir: Path | None = None) -> Path:
    """The file that serves template `name` (print.css, a DOCX template…), override first."""
    for folder in search_path(override_dir):
        if (folder / name).is_file():
            return folder / name
    raise RenderError(f"modèle introuvable : {name}")


@cache
def _environment(folders: tuple[Path, ...]) -> jinja2.Environment:
    loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(f)) for f in folders])
    env = jinja2.Environment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        finalize=fmt.finalize,
        autoescape=False,  # finalize escapes for Markdown, which HTML autoescaping would break
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(fmt.FILTERS)
    env.filters["at"] = _at
    env.filters["act_number"] = lambda ref: act_parts(ref)[0]
    env.filters["act_object"] = lambda ref: act_parts(ref)[1]
    env.filters["amended"] = amended
    env.filters["counted"] = counted
    env.globals.update(views.HELPERS, any_pending=_any_pending, essms_counted=essms_counted)
    return env


@jinja2.pass_context
def _at(context: jinja2.runtime.Context, value: object, path: str, blank: bool = False) -> str:
    """fmt.at, a number still « à compléter » in a draft (`pending_figures`) shown as a blank."""
    figures = context.get("pending_figures", ())
    return fmt.at(value, path, blank or blanks.is_pending(figures, path))


@jinja2.pass_context
def _any_pending(context: jinja2.runtime.Context, prefix: str) -> bool:
    """True when a number at or under `prefix` is still « à compléter » (a total over it)."""
    return blanks.any_pending(context.get("pending_figures", ()), prefix)


def environment(override_dir: Path | None = None) -> jinja2.Environment:
    """The Jinja2 environment for a templates folder (compiled templates are kept)."""
    if override_dir is None:
        return _environment(_PACKAGE_FOLDERS)
    return _environment(tuple(p.resolve() for p in search_path(override_dir)))


def _location(exc: BaseException, env: jinja2.Environment) -> tuple[str, int]:
    """The template name and line where a render error happened (Jinja rewrites tracebacks)."""
    roots = [Path(p) for loader in env.loader.loaders for p in loader.searchpath]  # type: ignore[union-attr]
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        path = Path(frame.filename)
        for root in roots:
            if path.is_relative_to(root):
                return path.relative_to(root).as_posix(), frame.lineno or 0
    return "?", 0


_NO_ATTRIBUTE = re.compile(r"^'(?:[\w.]+\.)?(\w+) object' has no attribute '(.+)'$")
_UNDEFINED = re.compile(r"^'(.+)' is undefined$")


def _undefined_message(message: str) -> str:
    """Jinja's message about a missing variable, told in French."""
    if found := _NO_ATTRIBUTE.match(message):
        return f"le champ « {found.group(2)} » n'existe pas dans {found.group(1)}"
    if found := _UNDEFINED.match(message):
        return f"la variable « {found.group(1)} » n'est pas définie"
    return message


def render_markdown(
    template_name: str, context: dict[str, Any], override_dir: Path | None = None
) -> str:
    """Render one template to Markdown; template errors become RenderError naming file and line."""
    env = environment(override_dir)
    try:
        return env.get_template(template_name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"{exc.name}:{exc.lineno}: erreur de syntaxe : {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise RenderError(f"modèle introuvable : {exc.name}") from None
    except jinja2.UndefinedError as exc:
        name, line = _location(exc, env)
        message = _undefined_message(exc.message or "")
        raise RenderError(f"{name}:{line}: {message}") from None


def _template_image(templates: Path | None) -> Callable[[str, str], Image | None]:
    """Images of the templates folders (a logo: logos/ars.png); PNG only, so both writers can."""

    def resolve(src: str, alt: str) -> Image | None:
        relative = Path(src)
        if relative.is_absolute() or ".." in relative.parts or relative.suffix.lower() != ".png":
            return None
        for folder in search_path(templates):
            if (folder / relative).is_file():
                return Image(svg=b"", png=(folder / relative).read_bytes(), alt=alt, width_cm=4.0)
        return None

    return resolve


def has_template_file(name: str, templates: Path | None = None) -> bool:
    """True when a templates folder (override or default) holds the file `name`."""
    return any((folder / name).is_file() for folder in search_path(templates))


def template_dependencies(template_name: str, templates: Path | None = None) -> list[str]:
    """The templates a template uses, itself and its includes, recursively (for caches)."""
    folders = tuple(p.resolve() for p in search_path(templates))
    return list(_dependencies(template_name, folders))


@cache
def _dependencies(template_name: str, folders: tuple[Path, ...]) -> tuple[str, ...]:
    env = _environment(folders)
    found: list[str] = []
    pending = [template_name]
    while pending:
        name = pending.pop()
        if name in found:
            continue
        found.append(name)
        source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
        for included in jinja2.meta.find_referenced_templates(env.parse(source)):
            if included is None:  # a computed name: every template may be used
                return tuple(sorted(env.list_templates()))
            pending.append(included)
    return tuple(sorted(found))


def compose_markdown(
    template_name: str,
    context: dict[str, Any],
    meta: DocumentMeta,
    templates: Path | None = None,
) -> ComposedDocument:
    """Render a template to Markdown and parse it into a document ready for both writers."""
    markdown = render_document(template_name, context, templates)
    return parse_document(template_name, markdown, meta, templates)


def render_document(
    template_name: str, context: dict[str, Any], templates: Path | None = None
) -> str:
    """The Markdown of a document's template (the first half of compose_markdown)."""
    context = {"has_template_file": lambda name: has_template_file(name, templates), **context}
    return render_markdown(template_name, context, templates)


def parse_document(
    template_name: str, markdown: str, meta: DocumentMeta, templates: Path | None = None
) -> ComposedDocument:
    """A document from its template's Markdown (the second half of compose_markdown)."""
    try:
        blocks = markdown_to_blocks(markdown, _template_image(templates))
    except MarkdownError as exc:
        raise RenderError(f"{template_name}: {exc}") from None
    return ComposedDocument(meta, blocks)


def contract_meta(
    contract: Contract,
    *,
    title: str,
    created: str,
    source_bytes: bytes | None = None,
    source_name: str = "cpom.yaml",
) -> DocumentMeta:
    """The metadata of a document about `contract`: titles, version, watermark, source file."""
    og = contract.gestionnaire
    reference, name = (  # the running heads and footers of a draft: « [à compléter] » too
        blanks.PENDING_TEXT if blanks.is_placeholder(text) else text
        for text in (contract.reference, og.sigle or og.nom)
    )
    years = f"{contract.dates.effet.year}\u2013{contract.dates.fin.year}"
    projet = contract.statut is ContractStatus.PROJET
    version = f"version {contract.version}" + (" – projet" if projet else "")
    return DocumentMeta(
        title=title,
        running_title=f"CPOM {years} – {name}",
        author=og.nom,
        subject=f"{title} {years} – {og.nom} – {contract.reference}",
        keywords=["CPOM", contract.reference, og.nom, contract.territoire, contract.secteur.value],
        version_label=f"{reference} – {version}",
        created=created,
        watermark=f"PROJET – version {contract.version}" if projet else "",
        properties={
            "cpomdocs.reference": contract.reference,
            "cpomdocs.version": str(contract.version),
            "cpomdocs.statut": contract.statut.value,
        },
        attachments=[(source_name, source_bytes, "application/yaml")] if source_bytes else [],
    )


def compose_contract(
    contract: Contract,
    *,
    contract_id: str,
    created: str,
    source_bytes: bytes | None = None,
    templates: Path | None = None,
    pending_figures: Collection[str] = frozenset(),
) -> ComposedDocument:
    """The contract body: cover, parties, visas, préambule, Titres 1 and 2, signatures, annexes."""
    meta = contract_meta(contract, title=CONTRACT_TITLE, created=created, source_bytes=source_bytes)
    context = views.contract_context(contract, contract_id, pending_figures)
    return compose_markdown(CONTRACT_TEMPLATE, context, meta, templates)


def compose_annex(
    contract: Contract,
    number: int,
    *,
    contract_id: str,
    created: str,
    source_bytes: bytes | None = None,
    templates: Path | None = None,
    pending_figures: Collection[str] = frozenset(),
) -> ComposedDocument:
    """One opposable annex as a document of its own (an avenant's « annexe jointe »), the
    model's seven or one that applies to this contract (habilitation, frais de siège)."""
    entry = next((a for a in views.annex_list(contract) if a.number == number), None)
    if entry is None:
        raise RenderError(f"annexe {number} : le contrat n'a pas d'annexe de ce numéro")
    meta = annex_meta(contract, entry, created=created, source_bytes=source_bytes)
    context = views.contract_context(contract, contract_id, pending_figures)
    return compose_markdown(entry.template, context, meta, templates)


def annex_meta(
    contract: Contract, entry: AnnexEntry, *, created: str, source_bytes: bytes | None = None
) -> DocumentMeta:
    """The metadata of one annex printed on its own: « Annexe 5 – Financement »."""
    title = f"Annexe {entry.number} – {entry.title}"
    return contract_meta(contract, title=title, created=created, source_bytes=source_bytes)


def compose_annexes(
    contract: Contract,
    *,
    contract_id: str,
    created: str,
    source_bytes: bytes | None = None,
    templates: Path | None = None,
    pending_figures: Collection[str] = frozenset(),
) -> ComposedDocument:
    """The volume of the seven opposable annexes, each starting on a new page."""
    title = f"Annexes au {CONTRACT_TITLE[0].lower()}{CONTRACT_TITLE[1:]}"
    meta = contract_meta(contract, title=title, created=created, source_bytes=source_bytes)
    context = views.contract_context(contract, contract_id, pending_figures)
    return compose_markdown(ANNEXES_TEMPLATE, context, meta, templates)
