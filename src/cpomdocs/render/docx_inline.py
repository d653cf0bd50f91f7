"""The inline XML of a Word body: runs (bold, italic, colour, links, blanks to fill, tracked
changes), the hidden bookmarks that bind values and paragraphs to the data, and the headings'
bookmarks for the table of contents. Mixed into docx_body.BodyWriter."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from cpomdocs.documents.blocks import Block, Heading, Inline, Run, Section, walk
from cpomdocs.documents.redline_words import unmarked_spaces
from cpomdocs.render.columns import plain
from cpomdocs.render.docx_xml import attr, text
from cpomdocs.render.html_inline import CAPITALISED

# Word has no « do not hyphenate » for a run (w:suppressAutoHyphens is a paragraph's; its
# w:doNotHyphenateCaps covers words in capitals only): a proper name, in a table cell or in a
# paragraph (« Départe-ment », « Alzhei-mer »), gets the language « zxx » (no linguistic
# content), which LibreOffice never hyphenates (checked: 7.4 with hyphen-fr cut « La
# Paren-thèse », « Ville-franche » but not the same words in zxx). A capitalised word at the
# start of a sentence is taken too: it is only not hyphenated (nor spell-checked).
# Word: not checked here (no Word); it hyphenates with the tools of a run's language.
NAME_RPR = '<w:lang w:val="zxx"/>'  # last in w:rPr: the schema puts w:lang after w:vertAlign
# A proper name (as the PDF's), or a word in capitals after an elision: w:doNotHyphenateCaps
# does not cover « l’EHPAD » in LibreOffice (« l’EH-PAD », asba avenant p. 2).
NAME = re.compile(rf"{CAPITALISED.pattern}|(?<=[’'])[A-ZÀ-ÖØ-Þ]{{2,}}\b")


class InlineWriter:
    """Runs and bookmarks; the state lives in BodyWriter's fields."""

    change_author: str
    change_date: str
    add_link: Callable[[str], str]
    last_id: int
    bindings: dict[str, str]
    place: str
    counters: dict[str, int]

    def runs(self, runs: Inline, bold: bool = False, size: int = 0, names: bool = True) -> str:
        """The XML of inline runs; changed runs become tracked insertions and deletions.

        `bold` makes every run bold (table headers and totals); `size` is in half-points;
        `names`: proper names in language zxx (False in a paragraph never hyphenated).
        """
        parts: list[str] = []
        group: list[str] = []
        path = ""
        for run in [*unmarked_spaces(runs), None]:
            if run is None or run.path != path:
                if path and group:
                    parts.append(self._bookmark("_v", f"valeur:{path}", "".join(group)))
                else:
                    parts.extend(group)
                group, path = [], run.path if run else ""
            if run is not None:
                group.append(self._run(run, bold, size, names))
        return "".join(parts)

    def cell_runs(self, runs: Inline, bold: bool = False, size: int = 0) -> str:
        """A table cell's runs, bookmarked as one paragraph of the current place."""
        return self._bookmark("_p", self._paragraph_key(""), self.runs(runs, bold, size))

    def _bookmark(self, prefix: str, key: str, content: str) -> str:
        """`content` inside a hidden bookmark whose name is derived from `key` (Word: ≤ 40)."""
        digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
        name, n = f"{prefix}{digest}", 1
        while name in self.bindings:
            n += 1
            name = f"{prefix}{digest}_{n}"
        self.bindings[name] = key
        number = self._id()
        return (
            f'<w:bookmarkStart w:id="{number}" w:name="{name}"/>{content}'
            f'<w:bookmarkEnd w:id="{number}"/>'
        )

    def _paragraph_key(self, field_path: str) -> str:
        """« prose:<field>/<n> » for a paragraph of a Markdown field, else « texte:<place>/<n> »."""
        where = f"prose:{field_path}" if field_path else f"texte:{self.place}"
        self.counters[where] = self.counters.get(where, 0) + 1
        return f"{where}/{self.counters[where]}"

    def _run(self, run: Run, bold: bool, size: int, names: bool = True) -> str:
        rpr = "<w:b/><w:bCs/>" if bold or run.bold else ""
        if run.italic:
            rpr += "<w:i/><w:iCs/>"
        if run.colour:  # after b and i, before sz: the schema's order
            rpr += f'<w:color w:val="{attr(run.colour.lstrip("#").upper())}"/>'
        if run.link:
            rpr = '<w:color w:val="1F4E79"/>' + rpr + '<w:u w:val="single"/>'
        if size:
            rpr += f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
        if run.pending:  # a blank to fill, as print.css's mark.a-completer
            rpr += '<w:highlight w:val="yellow"/>'
        if run.superscript:
            rpr += '<w:vertAlign w:val="superscript"/>'
        tag = "w:delText" if run.change == "del" else "w:t"
        xml = "".join(
            _run_xml(piece, tag, rpr + extra, run.keep)
            for piece, extra in self._pieces(run.text, run.keep or not names)
        )
        if run.line_break:  # inside the last run, after its text
            xml = xml[: -len("</w:r>")] + "<w:br/></w:r>"
        rid = self.add_link(run.link) if run.link else ""
        if rid:
            xml = f'<w:hyperlink r:id="{rid}" w:history="1">{xml}</w:hyperlink>'
        if run.change in ("ins", "del"):
            xml = (
                f'<w:{run.change} w:id="{self._id()}" w:author="{attr(self.change_author)}"'
                f' w:date="{self.change_date}">{xml}</w:{run.change}>'
            )
        return xml

    def _pieces(self, value: str, keep: bool) -> list[tuple[str, str]]:
        """The run's text in pieces, each with its extra properties: each proper name is a
        piece in language zxx (NAME_RPR), not hyphenated."""
        if keep or not NAME.search(value):
            return [(value, "")]
        pieces, position = [], 0
        for found in NAME.finditer(value):
            if found.start() > position:
                pieces.append((value[position : found.start()], ""))
            pieces.append((found.group(), NAME_RPR))
            position = found.end()
        if position < len(value):
            pieces.append((value[position:], ""))
        return pieces

    def _change_mark(self, change: str) -> str:
        """A tracked-change mark for a paragraph mark or a table row."""
        author = attr(self.change_author)
        return f'<w:{change} w:id="{self._id()}" w:author="{author}" w:date="{self.change_date}"/>'

    def _id(self) -> int:
        self.last_id += 1
        return self.last_id


def heading_bookmarks(blocks: list[Block]) -> tuple[dict[int, str], list[tuple[int, str, str]]]:
    """Each heading's bookmark name (by block id), and the table of contents' entries: level,
    text and bookmark of the headings of levels 1 and 2 outside the cover page."""
    bookmarks: dict[int, str] = {}
    toc: list[tuple[int, str, str]] = []
    used: set[str] = set()
    cover = {
        id(b) for s in blocks if isinstance(s, Section) and s.role == "cover" for b in walk([s])
    }
    for block in walk(blocks):
        if isinstance(block, Heading):
            base = "_" + re.sub(r"[^A-Za-z0-9_]", "_", block.anchor or "titre")[:30]
            name, n = base, 1
            while name in used:
                n += 1
                name = f"{base}_{n}"
            used.add(name)
            bookmarks[id(block)] = name
            if block.level <= 2 and id(block) not in cover:
                toc.append((block.level, plain(block.runs), name))
    return bookmarks, toc


def _run_xml(value: str, tag: str, rpr: str, keep: bool) -> str:
    """One <w:r>: a kept run's hyphens are non-breaking (no line break at a hyphen)."""
    pieces = value.split("-") if keep else [value]
    inner = "<w:noBreakHyphen/>".join(
        f'<{tag} xml:space="preserve">{text(piece)}</{tag}>' if piece else "" for piece in pieces
    )
    return f"<w:r><w:rPr>{rpr}</w:rPr>{inner}</w:r>" if rpr else f"<w:r>{inner}</w:r>"
