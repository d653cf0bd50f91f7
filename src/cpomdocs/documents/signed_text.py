"""The text of a signed act, as digests: what a reader reads, cut into passages at its headings.

A signed contract's empreinte freezes its data; its wording also comes from the templates. At
sign-off, each document of the act (contract body and annexes, or the avenant) is composed and
its text recorded as a sha256 and one short digest per passage (a heading and what follows it,
up to the next heading). At build, the same is computed on the document being rendered: a
difference is named by the first passage that differs, without storing the text itself.

The text is canonical: the composed blocks before typography (a new spacing rule is not a new
wording), every run of whitespace as one space, soft hyphens and zero-width spaces dropped;
images count by their alternative text; build date, commit, format and page layout play no part.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Iterator
from itertools import zip_longest

from cpomdocs.data.model_terms import MAX_PASSAGES
from cpomdocs.documents.blocks import (
    CAPTION,
    HEADING,
    IMAGE,
    MARKER,
    PARAGRAPH,
    ROW,
    Block,
    ComposedDocument,
    Inline,
    Paragraph,
    Run,
    pieces,
)

PASSAGE_DIGITS = 8  # hex digits kept per passage: only says where the first difference is
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")  # not str.translate: slow per character
WATERMARK = "RÉÉDITION – TEXTE NON SIGNÉ"
REISSUE_KEYWORD = "réédition non signée"  # in the PDF's keywords: publish refuses such a PDF
MENTION = (
    "Réédition : le texte de ce document diffère de celui de l'exemplaire signé le {signed} "
    "(premier passage différent : « {passage} »). Seul l'exemplaire signé fait foi."
)


def _clean(text: str) -> str:
    return " ".join(_INVISIBLE.sub("", text).split())


def _inline(runs: Inline) -> str:
    return _clean("".join(run.text + ("\n" if run.line_break else "") for run in runs))


def _lines(blocks: list[Block]) -> Iterator[tuple[bool, str]]:
    """(is a heading, its text) for each readable piece, in reading order: list markers, table
    rows (cells joined by « | »), captions and images' alternative texts included."""
    for kind, value in pieces(blocks):
        if kind == ROW:
            yield False, " | ".join(_inline(cell) for cell in value)
        elif kind in (HEADING, PARAGRAPH):
            yield kind == HEADING, _inline(value)
        elif kind == MARKER:
            yield False, value
        elif kind in (CAPTION, IMAGE):
            yield False, _clean(value)


def passages(document: ComposedDocument) -> list[tuple[str, str]]:
    """The document's text cut at each heading: (heading, text of the heading and what follows)."""
    found: list[tuple[str, list[str]]] = [("début du document", [])]
    for heading, line in _lines(document.blocks):
        if heading:
            found.append((line, []))
        found[-1][1].append(line)
    return [(title, "\n".join(lines)) for title, lines in found if lines]


def same_text(first: ComposedDocument, second: ComposedDocument) -> bool:
    """Whether two documents read the same (their passages are equal), told line by line to
    the first line that differs: passages are made of these lines, cut at the headings."""
    pairs = zip_longest(_lines(first.blocks), _lines(second.blocks))
    return all(one == other for one, other in pairs)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def text_record(document: ComposedDocument) -> dict[str, object]:
    """The digests of a document's text: sha256 of the whole and a short one per passage."""
    return _record(passages(document))


def _record(cut: list[tuple[str, str]]) -> dict[str, object]:
    whole = "\n\n".join(text for _, text in cut)
    short = [_sha(text)[:PASSAGE_DIGITS] for _, text in cut[:MAX_PASSAGES]]
    return {"sha256": _sha(whole), "passages": short}


def first_difference(recorded: dict[str, object], document: ComposedDocument) -> str | None:
    """None when the document says what was recorded; else the heading of the first passage
    (of this document) that differs from the recorded one."""
    cut = passages(document)  # cut once: it gives the digests and the titles
    current = _record(cut)
    if current["sha256"] == recorded.get("sha256"):
        return None
    before = list(recorded.get("passages") or [])  # type: ignore[call-overload]
    for index, (title, _) in enumerate(cut):
        if index >= len(before) or current["passages"][index] != before[index]:  # type: ignore[index]
            return title
    return cut[-1][0] if cut else "fin du document"  # passages removed at the end


def mark_reissue(document: ComposedDocument, signed: str, passage: str) -> ComposedDocument:
    """The document marked as not the signed copy: a watermark on each page and a mention first."""
    mention = Paragraph([Run(MENTION.format(signed=signed, passage=passage), bold=True)], "note")
    keywords = [*document.meta.keywords, REISSUE_KEYWORD]
    meta = dataclasses.replace(document.meta, watermark=WATERMARK, keywords=keywords)
    return dataclasses.replace(document, meta=meta, blocks=[mention, *document.blocks])
