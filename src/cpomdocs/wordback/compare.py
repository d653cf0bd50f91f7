"""What changed between the DOCX cpomdocs built and the one that came back, paragraph by paragraph.

Paragraphs are matched by their hidden bookmark; inside a matched paragraph the words are
compared (difflib). A change that falls inside a bound value is a change of that value; one that
touches the template's own words is a « modification de clause type »; paragraphs of a Markdown
field (the préambule…) change that field; a paragraph added after a list item of the data adds an
item to that list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from cpomdocs.documents.typography import plain
from cpomdocs.wordback.paragraphs import Piece, WordParagraph
from cpomdocs.wordback.read import WordDocument

_TOKEN = re.compile(r"\w+|\s|[^\w\s]")
_LIST_ITEM = re.compile(r"^(.+)\.(\d+)$")
COMPUTED = "="  # paths of figures computed from the data (totals, amounts in words)


@dataclass(frozen=True)
class Author:
    """Who made a change and when; empty for a change made without tracking."""

    name: str = ""
    date: str = ""


@dataclass
class Edit:
    """One change found in the returned document."""

    kind: str  # "valeur", "calcul", "prose", "liste", "clause", "hors-champ"
    path: str  # data path (valeur, calcul, liste, prose) or "" (clause, hors-champ)
    before: str
    after: str
    where: str  # where it stands in the document, as people read it
    authors: list[Author] = field(default_factory=list)
    paragraph: int = 0  # prose: the rank of the paragraph in the field (1-based)
    operation: str = "modifie"  # prose and liste: "modifie", "ajoute", "supprime"
    pieces: list[Piece] = field(default_factory=list)  # prose: the new paragraph's runs
    list_item: bool = False
    context: str = ""  # the paragraph's text (or the table row's), to find it in the document


@dataclass
class Bindings:
    """What the bookmarks of the document cpomdocs built mark (docx_body.BodyWriter)."""

    names: dict[str, str]  # bookmark → « valeur:path », « texte:place/n », « prose:path/n »

    def value_path(self, name: str) -> str:
        """The data path a value bookmark marks ("" for an unknown bookmark)."""
        target = self.names.get(name, "")
        return target[len("valeur:") :] if target.startswith("valeur:") else ""

    def prose(self, key: str) -> tuple[str, int] | None:
        """(field path, paragraph rank) when the paragraph bookmark belongs to a Markdown field."""
        target = self.names.get(key, "")
        if not target.startswith("prose:"):
            return None
        path, _, rank = target[len("prose:") :].rpartition("/")
        return path, int(rank)


def tokens(text: str) -> list[tuple[str, int]]:
    """Words, spaces and punctuation marks of `text` with their offsets."""
    return [(m.group(), m.start()) for m in _TOKEN.finditer(text)]


def regions(old: str, new: str) -> list[tuple[int, int, str]]:
    """The changed stretches of `old` (start, end) and what replaces each in `new`; the texts
    are compared with their typography undone (« 15\u00a0octobre » reads as « 15 octobre »)."""
    a, b = tokens(plain(old)), tokens(plain(new))
    a_at = [offset for _, offset in a] + [len(old)]
    b_at = [offset for _, offset in b] + [len(new)]
    matcher = SequenceMatcher(None, [t for t, _ in a], [t for t, _ in b], autojunk=False)
    return [
        (a_at[i1], a_at[i2], new[b_at[j1] : b_at[j2]])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def _inside(span: tuple[int, int, str], start: int, end: int) -> bool:
    return span[0] <= start and end <= span[1]


def _shift(changes: list[tuple[int, int, str]]) -> int:
    """How much longer the new text is than the old over `changes`."""
    return sum(len(replacement) - (end - start) for start, end, replacement in changes)


def _after(new: str, span: tuple[int, int, str], changes: list[tuple[int, int, str]]) -> str:
    """What stands in `new` where the value `span` of the old text stood: the new text itself,
    as typed (the words compared equal only modulo typography are the new text's too)."""
    start, end = span[0], span[1]
    inside = [c for c in changes if _inside(span, c[0], c[1])]
    before = [c for c in changes if c[1] <= start and c not in inside]
    new_start = start + _shift(before)
    return new[new_start : new_start + (end - start) + _shift(inside)]


def _authors(paragraphs: list[WordParagraph]) -> list[Author]:
    found: list[Author] = []
    for paragraph in paragraphs:
        for piece in paragraph.tracked:
            author = Author(piece.author, piece.date)
            if author not in found:
                found.append(author)
    return found


class Comparison:
    """The comparison of the built document (`baseline`) with the returned one."""

    def __init__(self, baseline: WordDocument, bindings: Bindings, returned: WordDocument):
        self.bindings = bindings
        self.base = [p for p in baseline.paragraphs if p.key in bindings.names and not p.toc]
        self.returned = [p for p in returned.paragraphs if not p.toc]
        self.removed = {p.key: p for p in returned.removed if p.key}
        self.headings = self._headings()
        self.by_key = {p.key: p for p in self.base}
        self.first_cells: dict[tuple[int, int], str] = {}
        for paragraph in self.base:
            self.first_cells.setdefault((paragraph.table, paragraph.row), paragraph.text)
        self.rows: dict[tuple[int, int], list[str]] = {}
        for cell in self.returned:
            if cell.table:
                self.rows.setdefault((cell.table, cell.row), []).append(cell.text)
        self.edits: list[Edit] = []

    def _headings(self) -> dict[str, str]:
        """The text of the heading that opens each place (« texte:<place>/1 »)."""
        found = {}
        for paragraph in self.base:
            target = self.bindings.names[paragraph.key]
            if target.startswith("texte:") and target.endswith("/1"):
                found[target[len("texte:") : -2]] = paragraph.text
        return found

    def where(self, paragraph: WordParagraph) -> str:
        """« Article 4 – …, tableau 3, ligne 2 (EHPAD Les Cèdres) » or « …, paragraphe 2 »."""
        target = self.bindings.names.get(paragraph.key, "")
        kind, _, rest = target.partition(":")
        place, _, rank = rest.rpartition("/")
        if kind == "prose":
            return f"champ « {place} », paragraphe {rank}"
        heading = self.headings.get(place, "début du document")
        if paragraph.table:
            first = self.first_cells.get((paragraph.table, paragraph.row), "")
            return f"{heading}, tableau {paragraph.table}, ligne {paragraph.row} (« {first} »)"
        return f"{heading}, paragraphe {rank}"

    def run(self) -> list[Edit]:
        """Every change, in the order of the document."""
        by_key = {p.key: p for p in self.returned if p.key}
        previous: WordParagraph | None = None
        inserted_after: dict[str, int] = {}
        matched = set()
        for paragraph in self.returned:
            if paragraph.key in self.by_key and paragraph.key not in matched:
                matched.add(paragraph.key)
                base = self.by_key[paragraph.key]
                self._paragraph(base, paragraph)
                previous = base
            elif paragraph.text.strip():
                count = inserted_after.get(previous.key if previous else "", 0) + 1
                inserted_after[previous.key if previous else ""] = count
                self._inserted(previous, paragraph, count)
        for base in self.base:
            if base.key not in by_key:
                self._deleted(base)
        return self.edits

    def _paragraph(self, base: WordParagraph, new: WordParagraph) -> None:
        if plain(base.text) == plain(new.text):
            return
        authors = _authors([new])
        prose = self.bindings.prose(base.key)
        if prose is not None:
            self.edits.append(
                Edit("prose", prose[0], base.text, new.text, self.where(base), authors,
                     prose[1], pieces=new.pieces, list_item=new.list_item)
            )  # fmt: skip
            return
        changes = regions(base.text, new.text)
        outside = []
        for span in base.values:
            inside = [c for c in changes if _inside(span, c[0], c[1])]
            if not inside:
                continue
            path = self.bindings.value_path(span[2])
            before = base.text[span[0] : span[1]]
            after = _after(new.text, span, changes)
            kind = "calcul" if path.startswith(COMPUTED) else "valeur"
            context = self._row_text(new) if new.table else new.text
            edit = Edit(kind, path, before, after, self.where(base), authors, context=context)
            self.edits.append(edit)
        for change in changes:
            if not any(_inside(span, change[0], change[1]) for span in base.values):
                outside.append(change)
        if outside:
            self.edits.append(Edit("clause", "", base.text, new.text, self.where(base), authors))

    def _row_text(self, paragraph: WordParagraph) -> str:
        """The cells of the returned table row holding `paragraph`, « | » between them."""
        return " | ".join(self.rows.get((paragraph.table, paragraph.row), []))

    def _list_path(self, base: WordParagraph | None) -> tuple[str, int] | None:
        """(list path, index) when `base` shows one item of a list of the data."""
        if base is None:
            return None
        for _, _, name in base.values:
            found = _LIST_ITEM.match(self.bindings.value_path(name))
            if found:
                return found.group(1), int(found.group(2))
        return None

    def _inserted(self, previous: WordParagraph | None, new: WordParagraph, count: int) -> None:
        authors = _authors([new])
        prose = self.bindings.prose(previous.key) if previous else None
        if prose is not None:
            edit = Edit("prose", prose[0], "", new.text, self.where(previous), authors, prose[1],
                        "ajoute", new.pieces, new.list_item)  # fmt: skip
            self.edits.append(edit)
            return
        listed = self._list_path(previous)
        if previous is not None and listed is not None:
            text = _without_frame(previous, new.text)
            edit = Edit("liste", listed[0], "", text, self.where(previous), authors,
                        listed[1] + count, "ajoute")  # fmt: skip
            self.edits.append(edit)
            return
        where = self.where(previous) if previous else "début du document"
        self.edits.append(Edit("hors-champ", "", "", new.text, f"après {where}", authors))

    def _deleted(self, base: WordParagraph) -> None:
        removed = self.removed.get(base.key)
        authors = _authors([removed]) if removed else []
        prose = self.bindings.prose(base.key)
        if prose is not None:
            self.edits.append(Edit("prose", prose[0], base.text, "", self.where(base), authors,
                                   prose[1], "supprime"))  # fmt: skip
            return
        listed = self._list_path(base)
        if listed is not None:
            self.edits.append(Edit("liste", listed[0], base.text, "", self.where(base), authors,
                                   listed[1], "supprime"))  # fmt: skip
            return
        self.edits.append(Edit("clause", "", base.text, "", self.where(base), authors))


def _without_frame(model: WordParagraph, text: str) -> str:
    """The new item's own words: the fixed words around the model item's value removed
    (« Vu … ; » gives the visa alone)."""
    if not model.values:
        return text.strip()
    start, end, _ = model.values[0]
    prefix, suffix = model.text[:start], model.text[end:]
    if text.startswith(prefix) and text.endswith(suffix) and len(text) >= len(prefix + suffix):
        text = text[len(prefix) : len(text) - len(suffix)]
    return text.strip()


def compare(baseline: WordDocument, bindings: dict[str, str], returned: WordDocument) -> list[Edit]:
    """Every change between the built document and the returned one."""
    return Comparison(baseline, Bindings(bindings), returned).run()
