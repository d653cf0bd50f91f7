"""Warm the writers' lazily loaded parts once, in the process that the workers are forked from.

multiprocessing's forkserver imports this module before it forks any worker (schedule.py names
it in the preload list, workers.py passes the list on). Importing it renders a small document
in each format of the build, with a table, French hyphenation and a chart, so that what WeasyPrint,
matplotlib and docxtpl load on first use (fontconfig and Pango's fonts, the pyphen dictionary,
matplotlib's font manager and FreeType faces, the DOCX template's parts) is loaded once and
shared by every worker, instead of being loaded again by each of them. Nothing is written.
"""

from __future__ import annotations

import contextlib
import gc
import sys

from cpomdocs.documents.blocks import (
    ComposedDocument,
    DocumentMeta,
    Heading,
    Paragraph,
    Run,
    Table,
)

SAMPLE_TEXT = (
    "L'établissement d'hébergement pour personnes âgées dépendantes s'engage à maintenir "
    "un taux d'occupation supérieur aux objectifs contractualisés."
)


def sample_document() -> ComposedDocument:
    """A small document that exercises what the real ones use: headings, text, a table, a chart."""
    from cpomdocs.data.model import Indicator
    from cpomdocs.followup.chart_figure import indicator_figure

    indicator = Indicator.model_validate(
        {
            "libelle": "Taux d'occupation",
            "methode_calcul": "journées réalisées × 100 / journées théoriques",
            "source": "tableau de bord",
            "unite": "%",
            "sens": "hausse",
            "reference": {"valeur": 90.5, "annee": 2024},
            "cibles": {2025: 92, 2026: 95},
        }
    )
    table = Table(
        [[Run("Code")], [Run("Libellé")], [Run("Montant")]],
        [[[Run("O1")], [Run(SAMPLE_TEXT)], [Run("1 234 500,00 €")]]],
        ["left", "left", "right"],
    )
    meta = DocumentMeta(
        title="Préchauffage",
        running_title="Préchauffage",
        author="cpomdocs",
        subject="",
        keywords=[],
        version_label="",
        created="2025-01-01T00:00:00Z",
    )
    blocks = [
        Heading(1, [Run("Article 1 – Objet")], "objet"),
        Paragraph([Run(SAMPLE_TEXT, bold=True), Run(SAMPLE_TEXT, italic=True)]),
        table,
        indicator_figure("TO", indicator, {2025: 91.0}, 2025),
    ]
    return ComposedDocument(meta, blocks)


def asked_formats() -> tuple[str, ...]:
    """The formats of this build: those whose writer module the preload list imported before
    this one (task.WRITER_MODULES); a DOCX-only build does not load WeasyPrint, nor its fonts."""
    from cpomdocs.build.task import WRITER_MODULES

    return tuple(f for f, module in WRITER_MODULES.items() if module in sys.modules)


def warm_up() -> None:
    """Render the sample document in each format of the build; never fail (it only saves
    time)."""
    from cpomdocs.render.writers import writers

    with contextlib.suppress(Exception):
        document = sample_document()
        for write in writers(asked_formats()).values():
            with contextlib.suppress(Exception):
                write(document, None)


warm_up()
gc.collect()
gc.freeze()  # what the workers inherit stays out of their collections: its pages stay shared
