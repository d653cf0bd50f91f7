"""Hand-built composed documents for the DOCX writer's tests (no composition needed)."""

from __future__ import annotations

import io

from cpomdocs.documents.blocks import (
    ComposedDocument,
    DocumentMeta,
    Heading,
    Image,
    ListBlock,
    Paragraph,
    Run,
    Section,
    Table,
    TableOfContents,
)

TRICKY_NAME = "Fondation A & B <Est>"
JINJA_LOOKALIKE = "{{ x }} {% if %} {_{ <script>alert(1)</script>"


def chart_png() -> bytes:
    """A small real chart, as compose would make one."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6, 2.5), dpi=80)
    axes = figure.subplots()
    axes.bar(["2025", "2026", "2027", "2028", "2029"], [88, 90, 92, 94, 95])
    out = io.BytesIO()
    figure.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()


def meta(watermark: str = "PROJET – version 2") -> DocumentMeta:
    """Metadata of a draft contract (pass watermark="" for a signed one)."""
    return DocumentMeta(
        title="Contrat pluriannuel d'objectifs et de moyens",
        running_title=f"CPOM 2025–2029 – {TRICKY_NAME}",
        author=TRICKY_NAME,
        subject="CPOM EHPAD Les Cèdres",
        keywords=["CPOM", "EHPAD", "ARS Occitanie"],
        version_label="version 2",
        created="2025-03-14T09:30:00+01:00",
        watermark=watermark,
        change_author="Référent CPOM",
    )


def r(text: str, **kwargs) -> list[Run]:
    """One run as an inline list."""
    return [Run(text, **kwargs)]


def financing_table(rows: int = 60) -> Table:
    """A long table with numbers on the right and two total rows."""
    body = [
        [r(f"EHPAD n° {i}"), r(f"{i % 3 + 1} 234 567,89 €"), r(f"{i % 7 + 1} 000,00 €")]
        for i in range(1, rows + 1)
    ]
    body.append([r("Total ARS"), r("99 999 999,99 €"), r("7 000,00 €")])
    body.append([r("Total général"), r("123 456 789,00 €"), r("8 000,00 €")])
    return Table(
        header=[r("Établissement"), r("Forfait soins"), r("Crédits non reconductibles")],
        rows=body,
        align=["left", "right", "right"],
        total_rows=2,
        caption="Tableau 1 – Financements par établissement",
    )


def contract(watermark: str = "PROJET – version 2", rows: int = 60) -> ComposedDocument:
    """A small contract using every kind of block and every section role."""
    cover = Section(
        "cover",
        [
            Section(
                "logos",
                [Section("logo", [Paragraph(r(name))]) for name in ("ARS", TRICKY_NAME)],
            ),
            Paragraph(r("Contrat pluriannuel d'objectifs et de moyens"), "title"),
            Paragraph(r("2025 – 2029"), "subtitle"),
            Paragraph(r(TRICKY_NAME), "center"),
        ],
    )
    annex = Section(
        "annex",
        [
            Heading(1, r("Annexe 5 : annexe financière"), "annexe-5"),
            financing_table(rows),
            Paragraph(r("Source : EPRD 2025."), "note"),
            Image(svg=b"<svg/>", png=chart_png(), alt="Taux d'occupation 2025–2029", width_cm=14),
        ],
    )
    signatures = Section(
        "signatures",
        [
            Paragraph(r("Fait à Montpellier, le 14 mars 2025")),
            Section(
                "signature-block",
                [
                    Paragraph(r("Pour l'ARS,"), "signature"),
                    Paragraph(r("Le directeur général"), "signature"),
                ],
            ),
            Section(
                "signature-block",
                [
                    Paragraph(r("Pour le département,"), "signature"),
                    Paragraph(r("La présidente"), "signature"),
                ],
            ),
            Section(
                "signature-block",
                [
                    Paragraph(r(f"Pour {TRICKY_NAME},"), "signature"),
                    Paragraph(r("Le président"), "signature"),
                ],
            ),
        ],
    )
    return ComposedDocument(
        meta=meta(watermark),
        blocks=[
            cover,
            TableOfContents(),
            Heading(1, r("Titre I – Objet du contrat"), "titre-1"),
            Paragraph(r("Entre,"), "center"),
            Paragraph(r("Vu le code de l'action sociale et des familles ;"), "visa"),
            Heading(2, r("Article 1er – Identification du gestionnaire"), "article-1"),
            Paragraph(
                [
                    Run("Le gestionnaire "),
                    Run(TRICKY_NAME, bold=True),
                    Run(" écrit "),
                    Run(JINJA_LOOKALIKE, italic=True),
                    Run(".", line_break=True),
                    Run("Deuxième ligne."),
                ]
            ),
            Heading(3, r("Présentation du gestionnaire"), "presentation"),
            ListBlock(
                False,
                [
                    [Paragraph(r("premier point"))],
                    [
                        Paragraph(r("second point")),
                        ListBlock(True, [[Paragraph(r("sous-point numéroté"))]]),
                    ],
                ],
            ),
            ListBlock(True, [[Paragraph(r("un"))], [Paragraph(r("deux"))]]),
            ListBlock(True, [[Paragraph(r("encore un"))]]),
            Heading(2, r("Article 2 – Diagnostic partagé"), "article-2"),
            Paragraph(
                [
                    Run("La cible 2027 passe de "),
                    Run("92 %", change="del"),
                    Run("95 %", change="ins"),
                    Run(" pour "),
                    Run("l'EHPAD Les Cèdres", change="ins", bold=True),
                    Run("tous les établissements", change="del"),
                    Run("."),
                ]
            ),
            signatures,
            annex,
        ],
    )
