"""What a returned DOCX says outside the text of its body: Word comments, footnotes and endnotes,
text boxes, headers and footers.

They are not data and the import does not apply them, but a counter-party's « nous demandons
95 % » written as a comment was lost without a word (« Aucune modification des données »): the
report lists each one, with its author, its date and the paragraph it hangs on.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cpomdocs.wordback.paragraphs import W

if TYPE_CHECKING:
    from lxml.etree import _Element as Element

COMMENTS_PART = "word/comments.xml"
NOTES_PARTS = {"word/footnotes.xml": "footnote", "word/endnotes.xml": "endnote"}
KINDS = {"footnote": "note de bas de page", "endnote": "note de fin de document"}
SEPARATORS = ("separator", "continuationSeparator", "continuationNotice")  # Word's own notes
ANCHOR_CHARACTERS = 60
HEADER = "en-tête ou pied de page modifié"


@dataclass(frozen=True)
class Remark:
    """A comment, a note or a text box: what it says, who wrote it, where it hangs."""

    kind: str  # « commentaire », « note de bas de page », « zone de texte »…
    text: str
    author: str = ""
    date: str = ""  # ISO 8601, as Word writes it
    anchor: str = ""  # the first words of the body paragraph it hangs on


def _text(element: Element) -> str:
    """The words of an element's paragraphs, one space between paragraphs."""
    paragraphs = element.iter(f"{W}p")
    found = (" ".join("".join(t.text or "" for t in p.iter(f"{W}t")).split()) for p in paragraphs)
    return " ".join(text for text in found if text)


def _first_words(paragraph: Element) -> str:
    words = "".join(t.text or "" for t in paragraph.iter(f"{W}t")).strip()
    cut = len(words) > ANCHOR_CHARACTERS
    return words[:ANCHOR_CHARACTERS].rstrip() + ("…" if cut else "")


def _anchors(body: Element, *tags: str) -> dict[str, str]:
    """The id of each reference among `tags` → the first words of its body paragraph."""
    found: dict[str, str] = {}
    for mark in body.iter(*tags):
        paragraph = next(mark.iterancestors(f"{W}p"), None)
        if paragraph is not None and (key := mark.get(f"{W}id", "")) not in found:
            found[key] = _first_words(paragraph)
    return found


def _in_simple_field(element: Element) -> bool:
    return next(element.iterancestors(f"{W}fldSimple"), None) is not None


def _visible_words(paragraph: Element) -> str:
    """A paragraph's words without its fields' results (the page numbers that Word and
    LibreOffice write again on each save)."""
    words: list[str] = []
    fields: list[bool] = []  # each open field: whether its result has begun
    for element in paragraph.iter(f"{W}fldChar", f"{W}t", f"{W}tab", f"{W}br"):
        kind = element.get(f"{W}fldCharType") if element.tag == f"{W}fldChar" else None
        if kind == "begin":
            fields.append(False)
        elif kind == "separate" and fields:
            fields[-1] = True
        elif kind == "end" and fields:
            fields.pop()
        elif kind is None and not any(fields) and not _in_simple_field(element):
            words.append(element.text or "" if element.tag == f"{W}t" else " ")
    return " ".join("".join(words).split())


def read_remarks(
    package: zipfile.ZipFile,
    body: Element,
    parse: Callable[[str], Element],
    headers: list[Element],
) -> list[Remark]:
    """The comments, notes, text boxes and header or footer texts of a DOCX (`parse` reads a
    part, size-checked; `headers` are its headers' and footers' parts)."""
    names = set(package.namelist())
    remarks: list[Remark] = []
    if COMMENTS_PART in names:
        anchors = _anchors(body, f"{W}commentRangeStart", f"{W}commentReference")
        for comment in parse(COMMENTS_PART).iter(f"{W}comment"):
            remarks.append(
                Remark(
                    "commentaire",
                    _text(comment),
                    comment.get(f"{W}author", ""),
                    comment.get(f"{W}date", ""),
                    anchors.get(comment.get(f"{W}id", ""), ""),
                )
            )
    for part, tag in NOTES_PARTS.items():
        if part not in names:
            continue
        anchors = _anchors(body, f"{W}{tag}Reference")
        for note in parse(part).iter(f"{W}{tag}"):
            if note.get(f"{W}type", "normal") in SEPARATORS or not (text := _text(note)):
                continue
            remarks.append(Remark(KINDS[tag], text, anchor=anchors.get(note.get(f"{W}id", ""), "")))
    for box in body.iter(f"{W}txbxContent"):
        if text := _text(box):
            paragraph = next(box.iterancestors(f"{W}p"), None)
            anchor = _first_words(paragraph) if paragraph is not None else ""
            remarks.append(Remark("zone de texte", text, anchor=anchor))
    for part in headers:  # the document's own are left out by the import (as built)
        found = (_visible_words(p) for p in part.iter(f"{W}p"))
        remarks += [Remark(HEADER, text) for text in found if text]
    return list(dict.fromkeys(remarks))  # Word writes a text box twice (drawing and fallback)
