"""The contract as composed before and after an avenant: its body, for the avenant to quote, and
its annexes, to tell which ones the avenant replaces and to attach them.

Each version's annexes are rendered to Markdown once; an annex is parsed only when its Markdown
differs between the versions (the same Markdown composes to the same text) or when it is
attached, and then only once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cpomdocs.data.model import Contract
from cpomdocs.documents import contract_views as views
from cpomdocs.documents.blocks import ComposedDocument
from cpomdocs.documents.compose import (
    CONTRACT_TEMPLATE,
    CONTRACT_TITLE,
    annex_meta,
    contract_meta,
    parse_document,
    render_document,
)
from cpomdocs.documents.contract_text import ContractText
from cpomdocs.documents.signed_text import same_text
from cpomdocs.errors import RenderError


def valid_contract(data: dict[str, Any], label: str) -> Contract:
    """A consolidated version of the contract as a model, or a RenderError naming the act."""
    try:
        return Contract.model_validate(data)
    except Exception as exc:  # validated before; a failure here is worth a clear message
        raise RenderError(f"{label} : contrat consolidé invalide ({exc})") from None


class VersionTexts:
    """One version of the contract as its templates print it, composed on demand, once."""

    def __init__(
        self, contract: Contract, *, contract_id: str, created: str, templates: Path | None
    ) -> None:
        self.contract, self.created, self.templates = contract, created, templates
        self.annexes = {entry.number: entry for entry in views.annex_list(contract)}
        self._context = views.contract_context(contract, contract_id)
        self._markdown: dict[int, str] = {}
        self._documents: dict[int, ComposedDocument] = {}
        self._text: ContractText | None = None

    def context(self) -> dict[str, object]:
        """A copy of the variables the contract's templates receive (views.contract_context)."""
        return dict(self._context)

    def text(self) -> ContractText:
        """The contract's body, indexed for quoting."""
        if self._text is None:
            markdown = render_document(CONTRACT_TEMPLATE, self._context, self.templates)
            meta = contract_meta(self.contract, title=CONTRACT_TITLE, created=self.created)
            document = parse_document(CONTRACT_TEMPLATE, markdown, meta, self.templates)
            self._text = ContractText(document)
        return self._text

    def annex_markdown(self, number: int) -> str:
        """The Markdown of annex `number`, as its template renders it."""
        if number not in self._markdown:
            template = self.annexes[number].template
            self._markdown[number] = render_document(template, self._context, self.templates)
        return self._markdown[number]

    def annex(self, number: int) -> ComposedDocument:
        """Annex `number` as a document of its own (compose.compose_annex)."""
        if number not in self._documents:
            entry = self.annexes[number]
            meta = annex_meta(self.contract, entry, created=self.created)
            markdown = self.annex_markdown(number)
            self._documents[number] = parse_document(entry.template, markdown, meta, self.templates)
        return self._documents[number]


def changed_annexes(before: VersionTexts, after: VersionTexts) -> set[int]:
    """The annexes whose text differs after the avenant (a capacity also changes the places
    habilitées of annex 8, say): each is replaced whole, none is left stale."""
    found = set()
    for number, entry in after.annexes.items():
        old = before.annexes.get(number)
        same_template = old is not None and old.template == entry.template
        if not same_template or _texts_differ(before, after, number):
            found.add(number)
    return found


def _texts_differ(before: VersionTexts, after: VersionTexts, number: int) -> bool:
    """Whether annex `number` reads differently (its Markdown first: cheaper than parsing)."""
    if before.annex_markdown(number) == after.annex_markdown(number):
        return False
    return not same_text(before.annex(number), after.annex(number))
