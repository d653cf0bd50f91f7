"""What session 14's reader of the law and the looks fixed: headings and titles never
hyphenated (DOCX and PDF), proper names in paragraphs not hyphenated in the DOCX, « Signé à X,
le … » on the covers as « Fait à X, le … » on the signatures page."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from pdftext import page_texts
from pypdf import PdfReader

from cpomdocs.build.schedule import BuildReport
from cpomdocs.documents.blocks import ComposedDocument, DocumentMeta, Heading, Paragraph, Run
from cpomdocs.render.docx import render_docx
from cpomdocs.render.pdf import render_pdf

ROOT = Path(__file__).parents[1]
TEMPLATE = ROOT / "src/cpomdocs/templates/docx/document.docx"
CREATED = "2026-12-03T00:00:00Z"

# Words of the headings only, never of the paragraphs: a cut one is a heading's.
HEADING_WORDS = ["personnalisation", "accompagnements", "transformation", "coordination",
                 "hébergements", "territoriales", "expérimentations"]  # fmt: skip
NAMES = ["Département", "Alzheimer", "Snoezelen", "Villefranche", "Parenthèse", "Bourgogne"]
WORDS = ["dépendance", "autonomie", "professionnels", "organisation", "accessibilité",
         "fonctionnement", "renouvellement", "évaluation"]  # fmt: skip


def _document() -> ComposedDocument:
    """Headings of long words at every length, and justified paragraphs full of names."""
    blocks: list[object] = []
    for n in range(14):
        words = [HEADING_WORDS[(n + i) % len(HEADING_WORDS)] for i in range(3 + n % 6)]
        blocks.append(Heading(1 + n % 3, [Run(f"Objectif {n} – " + " ".join(words))]))
        text = " ".join(
            f"{WORDS[(n + i) % len(WORDS)]} {NAMES[(n * 3 + i) % len(NAMES)]}" for i in range(24)
        ).replace("dépendance", "dépendance de l’EHPAD")
        blocks.append(Paragraph([Run(text.capitalize()[:1] + text[1:] + ".")]))
    meta = DocumentMeta(title="Essai", running_title="Essai", author="Essai", subject="Essai",
                        keywords=[], version_label="version 1", created=CREATED)  # fmt: skip
    return ComposedDocument(meta, blocks)  # type: ignore[arg-type]


def _cuts(text: str) -> list[str]:
    """Words cut at a line end (a hyphen before a line break or, in -layout, a space)."""
    return re.findall(r"(?<![\w-])(\w+)[-\u2010\u00ad](?=\s)", text)


def _heading_cuts(cuts: list[str]) -> list[str]:
    return [c for c in cuts if any(w.startswith(c) and w != c for w in HEADING_WORDS)]


# --- headings and titles are never hyphenated ------------------------------------------------


def test_the_template_never_hyphenates_headings_titles_and_signatures() -> None:
    with zipfile.ZipFile(TEMPLATE) as archive:
        styles = archive.read("word/styles.xml").decode()
    found = {
        m.group(1): m.group(2)
        for part in styles.split("<w:style ")
        if (m := re.match(r'[^>]*w:styleId="(\w+)"(.*?)</w:style>', part, re.S))
    }
    kept = ["Heading1", "Heading2", "Heading3", "Title", "Subtitle", "Centre", "BlocSignature",
            "TOCHeading", "TOC1", "TOC2", "Caption", "LegendeGraphique"]  # fmt: skip
    assert [s for s in kept if "<w:suppressAutoHyphens/>" not in found[s]] == []
    # the body and the narrow table cells are still hyphenated
    assert "suppressAutoHyphens" not in found["TexteTableau"] + found["Normal"]


@pytest.mark.skipif(
    shutil.which("soffice") is None or not any(Path("/usr/share/hyphen").glob("hyph_fr*.dic")),
    reason="LibreOffice or its French hyphenation (apt-get install hyphen-fr) absent",
)
def test_libreoffice_cuts_no_heading_and_no_name(tmp_path: Path) -> None:
    """« Objectif 2 – Adapter l'offre d'hébergement aux besoins des per-sonnes » (chrs annexes,
    LibreOffice with hyphen-fr); « Départe-ment », « Snoe-zelen » in paragraphs."""
    (tmp_path / "essai.docx").write_bytes(render_docx(_document()))
    profile = f"-env:UserInstallation=file://{tmp_path}/profile"
    command = ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path)]
    subprocess.run([*command, str(tmp_path / "essai.docx")], capture_output=True, timeout=300)
    layout = ["pdftotext", "-layout", str(tmp_path / "essai.pdf"), "-"]
    cuts = _cuts(subprocess.run(layout, capture_output=True, text=True, check=True).stdout)
    assert _heading_cuts(cuts) == []
    assert [c for c in cuts if c[0].isupper()] == []  # no name (nor sentence start) cut
    assert [c for c in cuts if c[0].islower()]  # hyphenation is on: other words are cut


def test_weasyprint_cuts_no_heading() -> None:
    pdf = render_pdf(_document())
    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    cuts = _cuts(text)
    assert _heading_cuts(cuts) == []
    assert [c for c in cuts if c[0].islower()]  # the paragraphs are hyphenated


def test_print_css_never_hyphenates_headings() -> None:
    css = (ROOT / "src/cpomdocs/templates/print.css").read_text()
    manual = [r.group(1) for r in re.finditer(r"\n([^{}\n]+)\{[^}]*hyphens: manual", css)]
    selectors = {s.strip() for rule in manual for s in rule.split(",")}
    assert {"h1", "h2", "h3", "h4", "h5", "h6", "p.title", "section.cover p"} <= selectors
    assert {"p.signature", "section.logo p"} <= selectors


# --- DOCX: proper names in paragraphs are runs in language zxx -------------------------------


def test_a_name_in_a_paragraph_is_a_run_in_language_zxx() -> None:
    with zipfile.ZipFile(io.BytesIO(render_docx(_document()))) as archive:
        body = archive.read("word/document.xml").decode()
    zxx = set(re.findall(r'<w:lang w:val="zxx"/></w:rPr><w:t xml:space="preserve">([^<]*)<', body))
    assert set(NAMES) <= zxx
    assert "EHPAD" in zxx  # « l’EH-PAD »: w:doNotHyphenateCaps misses it in LibreOffice
    assert not zxx & set(WORDS)  # other words may still be cut


# --- « Signé à X, le … » on the covers, as « Fait à X, le … » on the signatures page ----------


@pytest.mark.parametrize(
    ("name", "place"),
    [("asba-beaujolais-2024", "Lyon"), ("chrs-estuaire-2026", "Nantes"),
     ("ehpad-les-cedres-2025", "Montpellier")],
)  # fmt: skip
def test_covers_say_signe_a_x_comma_le(name: str, place: str) -> None:
    from example_texts import checked, contract_text

    from cpomdocs.documents.avenant import compose_avenant
    from cpomdocs.documents.redline import accept_all

    text = contract_text(name)
    assert f"Signé à {place}, le " in text and f"Fait à {place}, le " in text
    assert not re.search(r"Signé à [\w-]+ le ", text)
    data, avenants = checked(name)
    if not avenants:
        return
    document = compose_avenant(data, avenants, 1, contract_id=name, created=CREATED)
    avenant = " ".join(accept_all(document.blocks).split())
    assert re.search(r"Signé à [\w-]+, le ", avenant) and not re.search(
        r"Signé à [\w-]+ le ", avenant
    )


# --- a director signs for the préfet « et par délégation » -----------------------------------


def test_a_director_signs_for_the_prefet_by_delegation() -> None:
    from example_texts import checked, contract_text

    from cpomdocs.documents.avenant import compose_avenant
    from cpomdocs.documents.redline import accept_all

    name = "chrs-estuaire-2026"
    text = contract_text(name)
    assert (
        "Pour le préfet de la région Pays de la Loire et par délégation Directeur départemental"
        in text
    )
    data, avenants = checked(name)
    document = compose_avenant(data, avenants, 1, contract_id=name, created=CREATED)
    assert "Pour le préfet de la région Pays de la Loire et par délégation" in accept_all(
        document.blocks
    )
    # an ARS or a Département signs through its own head: no délégation said
    asba = contract_text("asba-beaujolais-2024")
    assert "Pour l'Agence régionale de santé Auvergne-Rhône-Alpes Directrice générale" in asba
    assert "par délégation" not in asba


# --- layout: an annexe's last lines are not alone on a page ----------------------------------


def test_annexe_2_ends_on_its_page_with_its_sources_in_one_note(
    built_examples: tuple[Path, BuildReport],
) -> None:
    """asba annexes p. 7 held only the last three « Sources » bullets before annexe 3's page."""
    pages = page_texts(built_examples[0] / "asba-beaujolais-2024" / "annexes.pdf")
    start = max(n for n, page in enumerate(pages) if "Annexe 2 –" in page)
    flat = " ".join(pages[start].split())
    assert "Sources : tableaux de bord de la performance" in flat
    assert "audit énergétique du Clos des Saules" in flat  # the last source, on the same page
    assert "Annexe 3 –" in pages[start + 1]


def test_a_column_heading_is_never_hyphenated_in_the_docx() -> None:
    """« Établissement ou ser-vice », « Places habili-tées » (cedres annexe 8, LibreOffice)."""
    from cpomdocs.documents.blocks import Table

    table = Table(header=[[Run("Établissement ou service")], [Run("Places habilitées")]],
                  rows=[[[Run("EHPAD Les Cèdres")], [Run("82")]]])  # fmt: skip
    meta = _document().meta
    docx = render_docx(ComposedDocument(meta, [table]))
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        body = archive.read("word/document.xml").decode()
    rows = re.findall(r"<w:tr>.*?</w:tr>", body)
    assert rows[0].count("<w:suppressAutoHyphens/>") == 2  # each heading cell
    assert "suppressAutoHyphens" not in rows[1]  # body cells are still hyphenated


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils absent")
def test_the_names_of_a_row_of_signatures_line_up(
    built_examples: tuple[Path, BuildReport],
) -> None:
    """chrs: « Hervé Le Bihan », under a two-line title, sat a line below « Odile
    Tanguy-Lebreton » (the contract as built)."""
    contract = built_examples[0] / "chrs-estuaire-2026" / "contrat.pdf"
    command = ["pdftotext", "-bbox", str(contract), "-"]
    words = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    top = {
        w: float(y)
        for y, w in re.findall(r'<word xMin="[^"]+" yMin="([^"]+)"[^>]*>([^<]+)<', words)
    }
    assert top["Bihan"] == top["Tanguy-Lebreton"]
    assert top["Tanguy-Lebreton"] - top["Présidente,"] > 50  # room to sign
