"""Accessible PDFs: a structure tree (headings, lists, tables with header cells, figures with
their text alternative) in a PDF that stays PDF/A-3b with its source attached, signed or not."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from cpomdocs.data.validate import check_folder
from cpomdocs.documents.blocks import Heading, Image
from cpomdocs.followup.reports import followup_jobs
from cpomdocs.publish.signing import load_key, pdfa_identification, sign_pdf
from cpomdocs.publish.testcert import make_test_certificates
from cpomdocs.publish.verify import VerifyReport, check_pdfa
from cpomdocs.render.pdf import render_html, render_pdf

FIXTURE = Path(__file__).parent / "fixtures" / "reports" / "ehpad-suivi"
REPORT = "comptes-rendus/2026-06-20-dialogue-annuel"
CREATED = "2026-12-01T00:00:00Z"


@pytest.fixture(scope="module")
def report():
    """The approved compte-rendu of the small fixture: headings, lists, tables, six charts."""
    job = next(j for j in followup_jobs(check_folder(FIXTURE)) if j.name == REPORT)
    return job.compose(CREATED, None)


@pytest.fixture(scope="module")
def pdf(report) -> bytes:
    return render_pdf(report)


def structure(pdf: bytes) -> list[dict[str, Any]]:
    """The structure elements of a PDF in reading order (depth first), as dicts."""
    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        node = node.get_object()
        if "/S" in node:
            found.append(node)
        kids = node.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            if hasattr(kid, "get_object") and isinstance(kid.get_object(), dict):
                walk(kid)

    walk(root["/StructTreeRoot"])
    return found


def test_the_pdf_is_tagged_in_french(pdf: bytes, report) -> None:
    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"].value is True
    assert root["/Lang"] == "fr"
    html = render_html(report)
    assert '<html lang="fr">' in html
    assert '<th scope="col">' in html or '<th scope="col" class=' in html


def test_headings_lists_and_tables_are_tagged(pdf: bytes, report) -> None:
    elements = structure(pdf)
    kinds = Counter(e["/S"] for e in elements)
    headings = [b for b in report.blocks if isinstance(b, Heading)]
    assert kinds["/H1"] + kinds["/H2"] + kinds["/H3"] == len(headings)
    assert kinds["/L"] >= 1 and kinds["/LI"] >= kinds["/L"]
    assert kinds["/Table"] >= 1 and kinds["/TH"] >= 1
    header_ids = {e["/ID"] for e in elements if e["/S"] == "/TH"}
    cells = [e for e in elements if e["/S"] == "/TD"]
    assert cells and all(set(c["/A"]["/Headers"]) <= header_ids for c in cells)
    assert all(c["/A"]["/Headers"] for c in cells)  # every data cell names its column header
    order = [e["/S"] for e in elements if e["/S"] in ("/H1", "/H2", "/H3")]
    assert order[0] == "/H1"  # the title comes first in reading order


def test_charts_carry_their_text_alternative(pdf: bytes, report) -> None:
    def images(blocks) -> list[Image]:
        found = []
        for block in blocks:
            if isinstance(block, Image):
                found.append(block)
            found += images(getattr(block, "children", []))
        return found

    alts = [e["/Alt"] for e in structure(pdf) if e["/S"] == "/Figure"]
    expected = [image.alt for image in images(report.blocks)]
    assert len(expected) == 6 and alts == expected
    assert alts[0].startswith(
        "Trajectoire de l’indicateur ABS-AS (Taux d’absentéisme des aides-soignants)\u00a0: "
        "référence 2023\u00a0: 11,2\u00a0%\u202f; cible 2025\u00a0: 10,5\u00a0%"
    )


def test_still_pdfa3b_with_the_source_attached(pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    assert pdfa_identification(pdf) == ("3", "B")
    source = (FIXTURE / f"{REPORT}.yaml").read_bytes()
    assert reader.attachments["2026-06-20-dialogue-annuel.yaml"] == [source]
    (spec,) = (ref.get_object() for ref in reader.trailer["/Root"]["/AF"])
    assert spec["/AFRelationship"] == "/Source"


def test_untagged_rendering_is_only_for_the_bench(report) -> None:
    root = PdfReader(io.BytesIO(render_pdf(report, tagged=False))).trailer["/Root"]
    assert "/StructTreeRoot" not in root and "/MarkInfo" not in root


def test_signing_keeps_the_tags_and_pdfa(pdf: bytes, tmp_path: Path) -> None:
    certs = make_test_certificates(tmp_path)
    signed = sign_pdf(pdf, load_key(certs.p12, certs.password), "test")
    root = PdfReader(io.BytesIO(signed)).trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"].value is True
    verdict = VerifyReport()
    check_pdfa(signed, "compte-rendu.pdf", verdict)
    assert [str(c) for c in verdict.checks] == [
        "OK          compte-rendu.pdf — PDF/A : identification PDF/A-3b, PDF 1.7 et métadonnées "
        "cohérentes après signature"
    ]
