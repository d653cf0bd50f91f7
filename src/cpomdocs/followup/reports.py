"""The documents of the follow-up: a meeting's compte-rendu and the file that prepares a dialogue.

Both are composed like every other document (a Jinja2 template renders Markdown, parsed into
blocks); each indicator's chart is put in place of a `::: graphique` section naming its code.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cpomdocs.data.model import Contract, ContractStatus
from cpomdocs.data.model_acts import MeetingReport, ReportStatus
from cpomdocs.data.rules import contract_years
from cpomdocs.documents.blocks import Block, ComposedDocument, Paragraph, Section
from cpomdocs.followup.chart_figure import ToFill, indicator_figure
from cpomdocs.followup.report_rows import NONE, Pending
from cpomdocs.followup.report_views import (
    PlannedMeeting,
    date_long,
    next_dialogue,
    preparation_context,
    report_context,
)
from cpomdocs.followup.tracking import merged_actuals

if TYPE_CHECKING:
    from cpomdocs.data.validate import ContractFolder

REPORT_TEMPLATE = "compte-rendu.md.j2"
PREPARATION_TEMPLATE = "preparation-dialogue.md.j2"
CHART_ROLE = "graphique"


def chart_figures(
    contract: Contract, tracking_year: int, reports: list[MeetingReport], pending: Pending = NONE
) -> dict[str, Section]:
    """One chart per indicator of `contract`, with the actuals of `reports`, under its caption;
    a draft's reference and targets still « à compléter » (`pending`) are not drawn."""
    actuals = merged_actuals(reports)
    year = tracking_year if tracking_year in contract_years(contract) else None
    figures = {}
    for code, (oid, indicator) in contract.all_indicators().items():
        years = tuple(pending.target_years(oid, code, indicator.cibles))
        to_fill = ToFill(pending.reference(oid, code), years)
        figures[code] = indicator_figure(code, indicator, actuals.get(code, {}), year, to_fill)
    return figures


def place_charts(blocks: list[Block], figures: dict[str, Section]) -> list[Block]:
    """Replace each `::: graphique` section (its text: an indicator code) by that chart."""
    placed: list[Block] = []
    for block in blocks:
        if isinstance(block, Section) and block.role == CHART_ROLE:
            texts = [
                "".join(run.text for run in child.runs).strip()
                for child in block.children
                if isinstance(child, Paragraph)
            ]
            placed.extend(figures[code] for code in texts if code in figures)
        elif isinstance(block, Section):
            children = place_charts(block.children, figures)
            placed.append(dataclasses.replace(block, children=children))
        else:
            placed.append(block)
    return placed


def compose_report(
    contract: Contract,
    report: MeetingReport,
    reports: list[MeetingReport],
    *,
    contract_id: str,
    created: str,
    source_bytes: bytes | None = None,
    source_name: str = "compte-rendu.yaml",
    templates: Path | None = None,
    pending: Pending = NONE,
) -> ComposedDocument:
    """The compte-rendu of one meeting, with its summary table and one chart per indicator;
    `pending`: what the draft contract and this draft leave « à compléter » (blanks)."""
    from cpomdocs.documents.compose import compose_markdown, contract_meta

    title = f"Compte-rendu – {report.type.value} du {date_long(report.date)}"
    meta = contract_meta(
        contract, title=title, created=created, source_bytes=source_bytes, source_name=source_name
    )
    watermark = "" if report.statut is ReportStatus.APPROUVE else "PROJET de compte-rendu"
    meta = dataclasses.replace(meta, watermark=watermark)
    context = report_context(contract, contract_id, report, reports, pending)
    document = compose_markdown(REPORT_TEMPLATE, context, meta, templates)
    earlier = [r for r in reports if r.date < report.date]
    figures = chart_figures(contract, report.exercice, [*earlier, report], pending)
    return ComposedDocument(document.meta, place_charts(document.blocks, figures))


def compose_preparation(
    contract: Contract,
    meeting: PlannedMeeting,
    reports: list[MeetingReport],
    *,
    contract_id: str,
    created: str,
    templates: Path | None = None,
    pending: Pending = NONE,
) -> ComposedDocument:
    """The file sent before a dialogue de gestion: objectives table, charts, open actions."""
    from cpomdocs.documents.compose import compose_markdown, contract_meta

    title = f"Dossier préparatoire – {meeting.kind} du {date_long(meeting.date)}"
    meta = dataclasses.replace(contract_meta(contract, title=title, created=created), watermark="")
    context = preparation_context(contract, contract_id, meeting, reports, pending)
    document = compose_markdown(PREPARATION_TEMPLATE, context, meta, templates)
    figures = chart_figures(contract, context["year"], reports, pending)
    return ComposedDocument(document.meta, place_charts(document.blocks, figures))


@dataclass(frozen=True)
class FollowUpJob:
    """One follow-up document of a contract folder: where it goes and how to compose it."""

    name: str  # output path under build/<id>/, without suffix
    label: str  # for the progress display
    compose: Callable[[str, Path | None], ComposedDocument]  # (created, templates) → document


def followup_jobs(folder: ContractFolder) -> list[FollowUpJob]:
    """The comptes-rendus of a valid contract folder and the file preparing its next dialogue."""
    from cpomdocs.data.validate import contract_on

    base = folder.contract.model
    if not isinstance(base, Contract):
        return []
    checked = [c for c in folder.reports if isinstance(c.model, MeetingReport)]
    reports = [c.model for c in checked if isinstance(c.model, MeetingReport)]
    jobs = []
    for item, report in zip(checked, reports, strict=True):

        def compose(
            created: str, templates: Path | None, item=item, report=report
        ) -> ComposedDocument:
            return compose_report(
                contract_on(folder, report.date), report, reports, contract_id=folder.id,
                created=created, source_bytes=item.path.read_bytes(), source_name=item.path.name,
                templates=templates, pending=Pending(folder.contract.figures, item.figures),
            )  # fmt: skip

        name = f"comptes-rendus/{item.path.stem}"
        jobs.append(FollowUpJob(name, f"compte-rendu {item.path.stem}", compose))
    meeting = next_dialogue(base, reports)
    if meeting is not None and base.statut is not ContractStatus.PROJET:
        day = meeting.date or dt.date(meeting.year, 12, 31)

        def prepare(created: str, templates: Path | None) -> ComposedDocument:
            return compose_preparation(
                contract_on(folder, day), meeting, reports, contract_id=folder.id,
                created=created, templates=templates, pending=Pending(folder.contract.figures),
            )  # fmt: skip

        name = f"preparation-dialogue-{meeting.slug}"
        jobs.append(FollowUpJob(name, f"dossier préparatoire {meeting.slug}", prepare))
    return jobs
