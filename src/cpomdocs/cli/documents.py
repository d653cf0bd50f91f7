"""Commands that make documents (build, merge) and read them back (import docx).

`import docx` is in the « import » group of cli/spreadsheet, beside `import realisations`.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from cpomdocs.cli.common import (
    AtLeastInteger,
    FrenchHelp,
    IsoDate,
    contract_paths,
    file_option,
    folder_option,
    format_option,
    output_option,
    paths_argument,
    plural,
    print_problems,
    timeout_option,
)
from cpomdocs.cli.exits import BUILD_EXIT_CODES, DOCX_EXIT_CODES, MERGE_EXIT_CODES
from cpomdocs.cli.paths import NamedPath

MAX_JOBS = 256  # more processes than this is a typing error, not a machine


def _print_event(event: object) -> None:
    from cpomdocs.build.schedule import BuildEvent

    assert isinstance(event, BuildEvent)
    if event.kind == "contract":
        counted = f" ({event.rank}/{event.total})" if event.total > 1 else ""
        click.secho(f"▸ {event.contract}{counted}", bold=True)
    elif event.kind == "document":
        click.echo(f"  {event.document} …")
    elif event.kind == "written" and event.path is not None:
        click.echo(f"    {event.path}")
    elif event.kind == "failed":
        where = f"{event.document} : " if event.document else ""
        click.secho(f"  échec : {where}{event.message}", fg="red", err=True)
    elif event.kind == "warning":
        click.secho(f"avertissement : {event.message}", fg="yellow", err=True)
    elif event.kind == "notice":
        click.secho(f"note : {event.message}", fg="yellow", err=True)


@click.command(cls=FrenchHelp, epilog=BUILD_EXIT_CODES)
@paths_argument()
@output_option("Dossier de sortie.", files_too=True)
@folder_option(
    "--templates",
    default="templates",
    help="Dossier de modèles qui remplacent, fichier par fichier, ceux de cpomdocs (ignoré s'il "
    "n'existe pas).",
)
@format_option(
    ("pdf", "docx"),
    name="formats",
    multiple=True,
    help="Format à produire (répétable). Par défaut : pdf et docx.",
)
@click.option("-q", "--quiet", is_flag=True, help="N'afficher que les erreurs et le bilan.")
@click.option(
    "--as-of",
    "as_of",
    type=IsoDate(),
    metavar="AAAA-MM-JJ",
    help="Produire aussi le contrat en vigueur à cette date (AAAA-MM-JJ), avenants signés inclus.",
)
@click.option("--force", is_flag=True, help="Tout reconstruire, même les documents à jour.")
@click.option(
    "-j",
    "--jobs",
    type=AtLeastInteger(min=1, max=MAX_JOBS),
    metavar="N",
    help="Nombre de processus de rendu. Par défaut : le nombre de cœurs.",
)
@click.option(
    "--shard",
    metavar="K/N",
    help="Ne construire que la K-ième de N parts stables du portefeuille (matrice de CI), "
    "à réunir ensuite avec « cpomdocs merge ».",
)
@timeout_option(
    "Durée maximale du rendu d'un document ; au-delà, ce document échoue, les autres sont "
    "construits."
)
@click.option(
    "--strict",
    is_flag=True,
    help="Refuser (code 1, aucun fichier écrit pour lui) un document d'un acte signé dont le "
    "texte n'est plus celui de la signature.",
)
def build(
    paths: tuple[Path, ...],
    output: Path,
    templates: Path,
    formats: tuple[str, ...],
    quiet: bool,
    as_of: dt.datetime | None = None,
    force: bool = False,
    jobs: int | None = None,
    shard: str | None = None,
    timeout: float = 300,
    strict: bool = False,
) -> None:
    """Construire les documents de chaque contrat (par défaut contracts/) dans build/<contrat>/.

    Chaque contrat donne contrat.pdf et contrat.docx (le corps du contrat) et annexes.pdf et
    annexes.docx (les annexes opposables) ; s'il en a, ses avenants et leur version annotée,
    la version consolidée (dès qu'un avenant signé a pris effet), ses comptes-rendus et le
    dossier du prochain dialogue de gestion ; build/index.html présente le portefeuille. Un
    contrat invalide n'empêche pas les autres. Seuls les documents dont les données, les
    modèles ou les options ont changé depuis la dernière construction sont refaits (--force :
    tous).

    \b
    Exemples :
      cpomdocs build                          tout contracts/ dans build/
      cpomdocs build contracts/x -f pdf       un contrat, PDF seulement
      cpomdocs build --as-of 2027-06-30       et le contrat en vigueur à cette date
    """
    from cpomdocs.build.schedule import FORMATS
    from cpomdocs.build.schedule import build_portfolio as run_build
    from cpomdocs.build.workers import default_jobs, parse_shard
    from cpomdocs.data.placeholders import summarize_placeholders

    def on_event(event: object) -> None:
        if not quiet or getattr(event, "kind", "") in ("failed", "warning", "notice"):
            _print_event(event)

    report = run_build(
        contract_paths(paths),
        output,
        templates=templates if templates.is_dir() else None,
        formats=formats or FORMATS,
        on_event=on_event,
        as_of=as_of.date() if as_of else None,
        force=force,
        jobs=jobs or default_jobs(),
        shard=parse_shard(shard) if shard is not None else None,  # « --shard "" » too
        timeout=timeout,
        strict=strict,
    )
    if report.unverified:
        click.secho(f"note : {unverified_note(report.unverified)}", fg="yellow", err=True)
    for removed in report.removed:
        click.echo(f"supprimé : {output}/{removed} (contrat disparu des sources)")
    for problems in report.problems.values():  # a draft's blanks: one line per file
        others, blanks = summarize_placeholders(problems)
        print_problems(others, strict=False)
        for line in blanks:
            click.secho(line, fg="yellow", err=True)
    failed = report.failed
    seconds = f"{report.seconds:.1f}".replace(".", ",")
    summary = (
        f"{plural(report.documents, 'document')} construit{'s' if report.documents > 1 else ''} "
        f"({plural(len(report.written), 'fichier')} dans {output}/), "
        f"{plural(report.skipped, 'document')} à jour, "
        f"{plural(len(failed), 'contrat')} en échec"
    )
    differs = sum("diffère du texte signé" in w for w in report.warnings)  # build.signed
    if differs:
        summary += f", {plural(differs, 'document')} dont le texte diffère du texte signé"
    if len(report.warnings) > differs:  # an avenant's motifs naming what it does not amend
        summary += f", {plural(len(report.warnings) - differs, 'avertissement')}"
    summary += f", en {seconds} s"
    click.secho(summary, fg="red" if failed else "green", err=bool(failed))
    if failed:
        click.secho(f"Échec pour : {', '.join(failed)}", fg="red", err=True)
        sys.exit(1)


UNVERIFIED = (
    "texte signé non vérifiable pour {files} : l'empreinte ne porte pas le texte signé "
    "(enregistrée par un cpomdocs plus ancien) ; si les documents produits disent bien ce qui a "
    "été signé (comparez-les à l'exemplaire signé), « cpomdocs sign-off FICHIER » l'enregistre"
)


def unverified_note(files: list[str]) -> str:
    """The one note of a build about signed files whose wording cannot be checked."""
    shown = ", ".join(files[:3]) + (f" et {len(files) - 3} autres" if len(files) > 3 else "")
    return UNVERIFIED.format(files=shown)


@click.command(cls=FrenchHelp, epilog=MERGE_EXIT_CODES)
@click.argument(
    "shards", nargs=-1, required=True, metavar="PART...",
    type=NamedPath(file_okay=False, path_type=Path),
)  # fmt: skip
@output_option("Dossier qui réunit les parts.", files_too=True)
def merge(shards: tuple[Path, ...], output: Path) -> None:
    """Réunir les dossiers produits par « cpomdocs build --shard K/N » en un seul.

    Copie les documents de chaque part dans le dossier de sortie, fusionne leurs caches et
    écrit une seule page de portefeuille (index.html) qui présente tous les contrats.

    \b
    Exemple (deux tâches de CI, puis une troisième qui réunit) :
      cpomdocs build --shard 1/2 -o part-1
      cpomdocs build --shard 2/2 -o part-2
      cpomdocs merge part-1 part-2 -o build
    """
    from cpomdocs.build.page import merge_builds

    ids, page = merge_builds(list(shards), output)
    where = f" ; page : {page}" if page else ""
    gathered = f"{plural(len(ids), 'contrat')} réuni{'s' if len(ids) > 1 else ''}"
    click.echo(f"{gathered} dans {output}/{where}")


@click.command(name="docx", cls=FrenchHelp, epilog=DOCX_EXIT_CODES)
@click.argument("paths", metavar="FICHIER.docx... contracts/<id>", nargs=-1, required=True,
                type=NamedPath(path_type=Path))  # fmt: skip
@file_option("-r", "--rapport", help="Écrire aussi le rapport Markdown dans ce fichier.")
@folder_option(
    "--templates",
    help="Modèles avec lesquels le document a été construit (défaut : templates/ s'il existe).",
)
@click.option("-n", "--dry-run", is_flag=True, help="Afficher le rapport sans rien écrire.")
def docx(
    paths: tuple[Path, ...], rapport: Path | None, templates: Path | None, dry_run: bool
) -> None:
    """Relire un DOCX renvoyé par une autre partie : ses modifications deviennent des données.

    \b
    Modifications suivies (auteur et date conservés) ou non (trouvées en comparant
    avec le document que cpomdocs construit depuis le commit inscrit dans le DOCX).
    Le contrat et ses annexes renvoyés ensemble s'importent en une fois.
    Contrat signé : un projet d'avenant avenants/NN-modifications-docx.yaml.
    Contrat en projet : cpom.yaml mis à jour en place (version + 1).
    Les modifications de clause type ne sont pas appliquées : le rapport les
    liste, avec ce qui n'a pas pu être relu. Rien n'est écrit en cas d'erreur.

    \b
    Exemples :
      cpomdocs import docx -n contrat-ARS.docx contracts/x      le rapport, sans rien écrire
      cpomdocs import docx contrat-ARS.docx annexes-ARS.docx contracts/x -r rapport.md
    """
    from cpomdocs.errors import UsageError
    from cpomdocs.wordback.importer import check_unchanged, import_documents, write_result
    from cpomdocs.wordback.report import render_report
    from cpomdocs.write import write_text_atomic

    if templates is None and Path("templates").is_dir():
        templates = Path("templates")
    if len(paths) < 2:
        raise UsageError("attendu : un ou plusieurs fichiers .docx puis le dossier du contrat")
    *documents, folder = paths
    for document in documents:  # a usage error (2), as for every command given a missing path
        if not document.exists():
            raise UsageError(f"{document} : fichier introuvable (un fichier .docx était attendu)")
    if rapport is not None:
        _check_report(rapport, documents)
    result = import_documents(documents, folder, templates)
    written = ""
    if result.target is not None:
        avenant = result.kind == "avenant"
        what = "le projet d'avenant" if avenant else "la nouvelle version du contrat"
        done = f"écrit{'' if avenant else 'e'} dans `{result.target}`."
        written = f"{what[3:].capitalize()} {done}"
        if dry_run:  # the report must not read as if the file were there
            written = f"Rien n'est écrit (--dry-run) : sans cette option, {what} serait {done}"
    report = render_report(result, written)
    if not dry_run:
        check_unchanged(result)  # before the report: it would say « écrit » for nothing
        if rapport is not None:  # first: a report that cannot be written stops before the data
            write_text_atomic(rapport, report)
        write_result(result)
    click.echo(report, nl=False)


def _check_report(rapport: Path, documents: list[Path]) -> None:
    """Refuse a report written over a returned DOCX or among a contract's sources
    (`-r contracts/x/cpom.yaml` replaced the contract just updated by the report)."""
    from cpomdocs.data.folders import refuse_writing_over_sources

    refuse_writing_over_sources(
        rapport,
        documents,
        over_input=f"{rapport}: c'est un des documents importés, il serait écrasé : "
        "choisissez un autre fichier pour le rapport (-r)",
        in_contract=lambda folder: (
            f"{rapport}: ce rapport serait écrit dans le dossier du "
            f"contrat {folder}, parmi ses sources : écrivez-le ailleurs, par exemple "
            "-r retour/rapport.md"
        ),
    )
