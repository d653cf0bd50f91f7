"""print.css as a reader sees it: a superscript « 1er » keeps its line's height, a centred
cover line is never hyphenated (WeasyPrint PDFs read back with pdftotext -bbox)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from cpomdocs.documents.blocks import ComposedDocument, DocumentMeta, Paragraph, Run, Section
from cpomdocs.render.pdf import render_pdf

META = DocumentMeta("T", "T", "A", "S", [], "v1", "2025-03-14T09:00:00Z")
VISA = (
    "Vu le contrat pluriannuel d’objectifs et de moyens CPOM-ARS-ARA-69-2024-012 conclu le "
    "18 avril 2024, ayant pris effet le 1"
)
AFTER = " janvier 2024, et les avenants qui l’ont modifié depuis sa signature par les parties ;"
SUBJECT = (
    "Extension de capacité de l’EHPAD Les Vignes (+ 10 places d’hébergement permanent) "
    "et financements correspondants"
)


def _lines(pdf: bytes, folder: Path) -> list[tuple[float, str]]:
    """(yMax, text) of each line of the PDF's first page, top to bottom."""
    (folder / "t.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftotext", "-bbox-layout", "-l", "1", "t.pdf", "t.html"], cwd=folder, check=True
    )
    page = (folder / "t.html").read_text(encoding="utf-8")
    lines = []
    for y_max, inner in re.findall(r'<line [^>]*yMax="([^"]+)">(.*?)</line>', page, re.S):
        lines.append((float(y_max), " ".join(re.findall(r">([^<]+)</word>", inner))))
    return lines


def test_a_superscript_does_not_open_a_gap_above_its_line(tmp_path: Path) -> None:
    runs = [Run(VISA), Run("er", superscript=True), Run(AFTER * 2)]
    pdf = render_pdf(ComposedDocument(META, [Paragraph(runs)]), tagged=False)
    lines = [(y, text) for y, text in _lines(pdf, tmp_path) if y < 700]  # not the footer
    assert any("1er" in text for _, text in lines)
    baselines = sorted({round(y, 1) for y, _ in lines})
    assert len(baselines) >= 3
    gaps = {round(b - a, 1) for a, b in zip(baselines, baselines[1:], strict=False)}
    assert max(gaps) - min(gaps) < 0.5, f"interlignes inégaux : {sorted(gaps)}"


def test_a_cover_line_is_not_hyphenated(tmp_path: Path) -> None:
    cover = Section("cover", [Paragraph([Run(SUBJECT * 2)], style="center")])
    pdf = render_pdf(ComposedDocument(META, [cover]), tagged=False)
    text = " ".join(text for _, text in _lines(pdf, tmp_path))
    assert "correspondants" in text and "\u2010" not in text
