"""Edits made to a DOCX the way a counter-party makes them in Word: with tracked changes
(w:ins / w:del, an author and a date) or without, written with lxml; and a LibreOffice re-save."""

from __future__ import annotations

import copy
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

from lxml import etree

from cpomdocs.documents.typography import plain

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
AUTHOR = "Nadia Benali (ARS)"
DATE = "2026-11-30T10:15:00Z"


def _text(element: etree._Element) -> str:
    """The element's text as a person reads it: typography undone (no-break spaces, ’, −)."""
    return plain("".join(t.text or "" for t in element.iter(f"{W}t")))


class DocxEditor:
    """A DOCX opened for edits; `tracked` makes each edit a tracked change."""

    def __init__(self, data: bytes, tracked: bool) -> None:
        self.package = zipfile.ZipFile(io.BytesIO(data))
        self.root = etree.fromstring(self.package.read("word/document.xml"))
        self.tracked = tracked
        self.next_id = 90000

    def _id(self) -> str:
        self.next_id += 1
        return str(self.next_id)

    def _mark(self, tag: str) -> etree._Element:
        mark = etree.Element(f"{W}{tag}")
        mark.set(f"{W}id", self._id())
        mark.set(f"{W}author", AUTHOR)
        mark.set(f"{W}date", DATE)
        return mark

    def paragraph(self, contains: str, row: str = "") -> etree._Element:
        """The first paragraph whose text contains `contains` (in the table row holding `row`)."""
        scope = self.root
        if row:
            scope = next(tr for tr in self.root.iter(f"{W}tr") if plain(row) in _text(tr))
        for p in scope.iter(f"{W}p"):
            if plain(contains) in _text(p):
                return p
        raise AssertionError(f"no paragraph with « {contains} »")

    def replace(
        self, old: str, new: str, contains: str = "", row: str = "", cell: int = -1
    ) -> None:
        """Replace `old` by `new` inside one run of the paragraph found by `contains`/`row`:
        `old` is found whatever its typography (« 15 octobre » matches « 15\u00a0octobre »),
        `new` is written as typed."""
        if cell >= 0:
            tr = next(tr for tr in self.root.iter(f"{W}tr") if plain(row) in _text(tr))
            paragraph = list(tr.iter(f"{W}tc"))[cell].find(f"{W}p")
        else:
            paragraph = self.paragraph(contains or old, row)
        for t in paragraph.iter(f"{W}t"):
            if t.text and plain(old) in plain(t.text):
                break
        else:
            raise AssertionError(f"« {old} » not in one run of « {_text(paragraph)} »")
        at = plain(t.text).index(plain(old))  # plain keeps offsets: one character for one
        before, old, after = t.text[:at], t.text[at : at + len(old)], t.text[at + len(old) :]
        if not self.tracked:
            t.text = before + new + after
            return
        run = t.getparent()
        parent, index = run.getparent(), run.getparent().index(run)
        pieces = []
        for text, kind in ((before, ""), (old, "del"), (new, "ins"), (after, "")):
            if not text:
                continue
            piece = copy.deepcopy(run)
            for child in list(piece):
                if child.tag != f"{W}rPr":
                    piece.remove(child)
            node = etree.SubElement(piece, f"{W}delText" if kind == "del" else f"{W}t")
            node.text = text
            node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            if kind:
                wrapper = self._mark(kind)
                wrapper.append(piece)
                piece = wrapper
            pieces.append(piece)
        parent.remove(run)
        for offset, piece in enumerate(pieces):
            parent.insert(index + offset, piece)

    def add_paragraph_after(self, contains: str, text: str) -> None:
        """A new paragraph like the one holding `contains` (a list item stays one), after it."""
        model = self.paragraph(contains)
        fresh = etree.Element(f"{W}p")
        properties = model.find(f"{W}pPr")
        if properties is not None:
            fresh.append(copy.deepcopy(properties))
        run = etree.SubElement(fresh, f"{W}r")
        node = etree.SubElement(run, f"{W}t")
        node.text = text
        if self.tracked:
            ppr = fresh.find(f"{W}pPr")
            if ppr is None:
                ppr = etree.SubElement(fresh, f"{W}pPr")
                fresh.insert(0, ppr)
            rpr = ppr.find(f"{W}rPr")
            if rpr is None:
                rpr = etree.SubElement(ppr, f"{W}rPr")
            rpr.append(self._mark("ins"))
            wrapper = self._mark("ins")
            fresh.remove(run)
            wrapper.append(run)
            fresh.append(wrapper)
        model.addnext(fresh)

    def delete_paragraph(self, contains: str) -> None:
        """Delete a whole paragraph: tracked (text and mark in w:del) or removed outright."""
        paragraph = self.paragraph(contains)
        if not self.tracked:
            paragraph.getparent().remove(paragraph)
            return
        for run in list(paragraph.iter(f"{W}r")):
            wrapper = self._mark("del")
            run.addprevious(wrapper)
            wrapper.append(run)
            for t in run.iter(f"{W}t"):
                t.tag = f"{W}delText"
        ppr = paragraph.find(f"{W}pPr")
        if ppr is None:
            ppr = etree.Element(f"{W}pPr")
            paragraph.insert(0, ppr)
        rpr = ppr.find(f"{W}rPr")
        if rpr is None:
            rpr = etree.SubElement(ppr, f"{W}rPr")
        rpr.append(self._mark("del"))

    def move_paragraph_after(self, contains: str, after: str) -> None:
        """Move a paragraph as Word does with tracking: w:moveFrom where it was (its mark
        too), w:moveTo in a new paragraph after the one holding `after`."""
        source = self.paragraph(contains)
        copy_ = copy.deepcopy(source)
        for kind, paragraph in (("moveFrom", source), ("moveTo", copy_)):
            for bookmark in list(paragraph.iter(f"{W}bookmarkStart", f"{W}bookmarkEnd")):
                if kind == "moveTo":
                    bookmark.getparent().remove(bookmark)
            runs = [r for r in paragraph.iter(f"{W}r")]
            for run in runs:
                wrapper = self._mark(kind)
                run.addprevious(wrapper)
                wrapper.append(run)
                if kind == "moveFrom":
                    for t in run.iter(f"{W}t"):
                        t.tag = f"{W}delText"
            ppr = paragraph.find(f"{W}pPr")
            rpr = ppr.find(f"{W}rPr")
            if rpr is None:
                rpr = etree.SubElement(ppr, f"{W}rPr")
            rpr.append(self._mark(kind))
        self.paragraph(after).addnext(copy_)

    def save(self) -> bytes:
        """The edited DOCX."""
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in self.package.infolist():
                data = self.package.read(info.filename)
                if info.filename == "word/document.xml":
                    data = etree.tostring(self.root, xml_declaration=True, encoding="UTF-8")
                target.writestr(info.filename, data)
        return out.getvalue()


def libreoffice_resave(paths: list[Path], folder: Path) -> list[Path]:
    """Each file opened and saved again as DOCX by LibreOffice headless (into `folder`)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) est nécessaire : apt-get install libreoffice-writer"
    folder.mkdir(parents=True, exist_ok=True)
    profile = folder / "profil-lo"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "docx:MS Word 2007 XML", "--outdir", str(folder), *map(str, paths)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return [folder / path.name for path in paths]


def body_texts(data: bytes) -> list[str]:
    """The text of each body paragraph of a DOCX, tracked changes accepted."""
    from cpomdocs.wordback.read import read_docx_bytes

    return [p.text for p in read_docx_bytes(data, "x.docx").paragraphs if not p.toc]
