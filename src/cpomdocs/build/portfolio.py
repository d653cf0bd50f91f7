"""The portfolio page: one static index.html listing every contract and links to its documents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from cpomdocs import gitinfo
from cpomdocs.data.folders import AVENANTS_DIR, REDLINES_DIR, REPORTS_DIR
from cpomdocs.data.identifiers import format_finess
from cpomdocs.data.model import Contract
from cpomdocs.data.model_acts import Avenant, MeetingKind, MeetingReport, ReportStatus
from cpomdocs.data.validate import ContractFolder
from cpomdocs.errors import CpomError
from cpomdocs.write import write_text_atomic

ASSETS = Path(__file__).parents[1] / "templates" / "portfolio"
INDEX = "index.html"
LINKED_SUFFIXES = {".pdf": "PDF", ".docx": "DOCX", ".html": "HTML", ".txt": "texte"}
NAMED_DOCUMENTS = {
    "contrat": "Contrat",
    "annexes": "Annexes",
    "contrat-consolide": "Contrat consolidé",
    "annexes-consolidees": "Annexes consolidées",
    "validation": "Rapport de validation",
}
NO_VALUE = "—"
NBSP = "\u00a0"
DIALOGUES = (MeetingKind.DIALOGUE_ANNUEL, MeetingKind.MI_PARCOURS, MeetingKind.BILAN_FINAL)


@dataclass
class Link:
    """A link from the page to one file, relative to the page."""

    href: str
    format: str


@dataclass
class DocumentEntry:
    """One document of a contract, with a link per format it exists in (PDF, DOCX…)."""

    label: str
    note: str = ""
    links: list[Link] = field(default_factory=list)


@dataclass
class ContractCard:
    """What the page shows of one contract."""

    id: str
    title: str
    valid: bool
    reference: str = ""
    status: str = ""
    parties: list[str] = field(default_factory=list)
    perimeter: list[str] = field(default_factory=list)
    period: str = ""
    next_dialogue: str = NO_VALUE
    achievement: str = NO_VALUE
    groups: dict[str, list[DocumentEntry]] = field(default_factory=dict)


def date_fr(value: dt.date) -> str:
    """« 1er janvier 2026 », « 15 octobre 2027 » (cpomdocs.fmt, imported when needed)."""
    from cpomdocs import fmt

    return fmt.date_fr(value)


def next_dialogue(folder: ContractFolder, contract: Contract, today: dt.date) -> str:
    """The next dialogue de gestion on or after `today` (planned or set by a compte-rendu)."""
    planned: list[tuple[dt.date, str]] = []
    for dialogue in contract.suivi.dialogues:
        day = dialogue.date_prevue or dt.date(dialogue.annee, 12, 31)  # the year alone is known
        when = date_fr(day) if dialogue.date_prevue else f"en {dialogue.annee}"
        planned.append((day, f"{when} ({dialogue.type})"))
    for checked in folder.reports:
        report = checked.model
        meeting = report.prochaine_reunion if isinstance(report, MeetingReport) else None
        if meeting is not None and meeting.type in DIALOGUES:
            planned.append((meeting.date, f"{date_fr(meeting.date)} ({meeting.type.value})"))
    upcoming = sorted(item for item in planned if item[0] >= today)
    return upcoming[0][1] if upcoming else NO_VALUE


def achievement_rate(folder: ContractFolder) -> str:
    """The achievement rate of the objectives at the last approved compte-rendu, or « — »."""
    try:
        from cpomdocs.followup.tracking import track_report  # the comptes-rendus tracking module
    except ImportError:
        return NO_VALUE
    contract = folder.contract.model
    reports = [c.model for c in folder.reports if isinstance(c.model, MeetingReport)]
    approved = sorted((r for r in reports if r.statut is ReportStatus.APPROUVE), key=_by_date)
    if not isinstance(contract, Contract) or not approved:
        return NO_VALUE
    latest = approved[-1]
    try:
        rate = track_report(contract, latest, approved).overall.rate
    except CpomError:
        return NO_VALUE
    if rate is None:
        return NO_VALUE
    from cpomdocs import fmt

    return f"{fmt.rate(rate)} (exercice {latest.exercice})"


def _by_date(report: MeetingReport) -> dt.date:
    return report.date


def act_labels(folder: ContractFolder) -> dict[str, tuple[str, str]]:
    """Label and status of each avenant and compte-rendu, by the relative path of its PDF."""
    labels: dict[str, tuple[str, str]] = {}
    for checked in folder.avenants:
        avenant = checked.model
        if isinstance(avenant, Avenant):
            key = f"avenant-{avenant.numero:02d}"
            labels[key] = (f"Avenant n° {avenant.numero} — {avenant.objet}", avenant.statut.value)
            labels[f"{REDLINES_DIR}/{key}"] = (
                f"Contrat et annexes annotés : ce que change l'avenant n° {avenant.numero}",
                avenant.statut.value,
            )
    for checked in folder.reports:
        report = checked.model
        if isinstance(report, MeetingReport):
            key = f"{REPORTS_DIR}/{checked.path.stem}"
            label = f"{report.type.value.capitalize()} du {date_fr(report.date)}"
            labels[key] = (label, report.statut.value)
    return labels


def _label(relative: Path, labels: dict[str, tuple[str, str]]) -> tuple[str, str]:
    key = relative.with_suffix("").as_posix()
    if key in labels:
        return labels[key]
    stem = relative.stem
    if stem.startswith("preparation-dialogue"):
        return "Dossier de préparation du prochain dialogue de gestion", ""
    if stem.startswith(("contrat-au-", "annexes-au-")):
        what, day = stem.split("-au-", 1)
        return f"{NAMED_DOCUMENTS[what]} au {day}", ""
    return NAMED_DOCUMENTS.get(stem, stem.replace("-", " ").replace("_", " ")), ""


def _group_of(relative: Path) -> str:
    parts = relative.parts
    name = relative.name.lower()
    if "redline" in name or "diff" in name or {"redlines", "diffs", REDLINES_DIR} & set(parts):
        return "Comparaisons"
    if AVENANTS_DIR in parts or name.startswith("avenant-"):
        return "Avenants"
    if REPORTS_DIR in parts or name.startswith("preparation-dialogue"):
        return "Comptes-rendus et dialogues de gestion"
    return "Documents"


def document_links(
    site_dir: Path, folder: ContractFolder, files: Collection[str] | None = None
) -> dict[str, list[DocumentEntry]]:
    """The documents of a contract found under `site_dir` (or, `files`, among these paths
    relative to it: a publication's manifest), grouped, one entry per document."""
    groups: dict[str, dict[str, DocumentEntry]] = {}
    root = site_dir / folder.id
    if files is not None:
        found = [site_dir / f for f in files if f.startswith(f"{folder.id}/")]
    elif root.is_dir():
        found = [path for path in root.rglob("*") if path.is_file()]
    else:
        return {}
    labels = act_labels(folder)
    for path in sorted(found, key=lambda p: (len(p.parts), p.as_posix())):
        if path.suffix not in LINKED_SUFFIXES:
            continue
        relative = path.relative_to(root)
        label, note = _label(relative, labels)
        entries = groups.setdefault(_group_of(relative), {})
        entry = entries.setdefault(relative.with_suffix("").as_posix(), DocumentEntry(label, note))
        href = quote(path.relative_to(site_dir).as_posix())
        entry.links.append(Link(href, LINKED_SUFFIXES[path.suffix]))
    formats = list(LINKED_SUFFIXES.values())
    for entries in groups.values():
        for entry in entries.values():
            entry.links.sort(key=lambda link: formats.index(link.format))
    order = ["Documents", "Avenants", "Comptes-rendus et dialogues de gestion", "Comparaisons"]
    return {name: _sorted(groups[name]) for name in order if name in groups}


def _sorted(entries: dict[str, DocumentEntry]) -> list[DocumentEntry]:
    first = list(NAMED_DOCUMENTS)
    rank = {stem: index for index, stem in enumerate(first)}
    return [entries[key] for key in sorted(entries, key=lambda k: (rank.get(k, len(first)), k))]


def contract_card(
    folder: ContractFolder, site_dir: Path, today: dt.date, files: Collection[str] | None = None
) -> ContractCard:
    """The card of one contract folder (an invalid contract gets a card that says so)."""
    contract = folder.contract.model
    links = document_links(site_dir, folder, files)
    if not isinstance(contract, Contract):
        return ContractCard(folder.id, folder.id, valid=False, groups=links)
    manager = contract.gestionnaire
    # « Préfet de la région Pays de la Loire (préfet) » said its kind twice: a name that holds it
    # goes alone; « Département du Rhône (conseil départemental) » keeps it.
    parties = [
        p.nom if p.type.value.lower() in p.nom.lower() else f"{p.nom} ({p.type.value})"
        for p in contract.autorites.values()
    ]
    parties.append(f"{manager.nom} (organisme gestionnaire)")
    perimeter = [
        f"{e.nom} — {e.categorie.libelle}, FINESS {format_finess(finess).replace(' ', NBSP)}"
        for finess, e in contract.etablissements.items()
    ]
    end = contract.dates.fin  # prorogations included (rules: dates.fin == expected_end)
    return ContractCard(
        id=folder.id,
        title=manager.nom,
        valid=folder.ok,
        reference=contract.reference,
        status=contract.statut.value,
        parties=parties,
        perimeter=perimeter,
        period=f"du {date_fr(contract.dates.effet)} au {date_fr(end)}",
        next_dialogue=next_dialogue(folder, contract, today),
        achievement=achievement_rate(folder),
        groups=links,
    )


def render_portfolio(cards: list[ContractCard], today: dt.date) -> str:
    """The HTML of the page (one file, CSS inlined, no script)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=FileSystemLoader(ASSETS),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    from cpomdocs.documents import typography

    # French typography, as in the documents: « l’avenant », « 31 décembre 2028 » on one line
    env.filters["fr"] = typography.text
    css = (ASSETS / "portfolio.css").read_text(encoding="utf-8")
    approved = sum(1 for c in cards if c.valid)
    return env.get_template("index.html.j2").render(
        cards=cards, css=css, today=date_fr(today), approved=approved
    )


def write_portfolio(
    folders: list[ContractFolder], site_dir: Path, today: dt.date | None = None
) -> Path:
    """Write `site_dir/index.html` for these contract folders, linking the files found there."""
    return write_text_atomic(site_dir / INDEX, portfolio_page(folders, site_dir, today))


def portfolio_page(
    folders: list[ContractFolder],
    site_dir: Path,
    today: dt.date | None = None,
    files: Collection[str] | None = None,
) -> str:
    """The HTML of `site_dir/index.html`; `files`: the paths it may link (else those found)."""
    today = today or gitinfo.today()
    cards = [contract_card(folder, site_dir, today, files) for folder in folders]
    return render_portfolio(cards, today)
