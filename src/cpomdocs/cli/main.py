"""The command line: parse options, call the library, print. Nothing else lives here."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

from cpomdocs import __version__
from cpomdocs.errors import CpomError, Problem

EXIT_CODES = """\b
Codes de sortie :
  0  tout est valide
  1  au moins une erreur (ou un avertissement avec --strict)
  2  commande mal formée (chemin introuvable, option invalide)
  3  erreur interne de cpomdocs (à signaler ; CPOMDOCS_DEBUG=1 affiche la trace)"""
INTERNAL_ERROR = 3
DEBUG_VARIABLE = "CPOMDOCS_DEBUG"


HELP_TEXT = "Afficher cette aide et quitter."


def __getattr__(name: str) -> object:
    """validate_paths, imported on first use: a no-op build must not pay for pydantic."""
    if name == "validate_paths":
        from cpomdocs.data.validate import validate_paths

        return validate_paths
    raise AttributeError(name)


class FrenchHelp(click.Command):
    """A command whose --help option speaks French."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        """The --help option, with a French help text."""
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option


class CpomGroup(FrenchHelp, click.Group):
    """The command group: prints a CpomError as its message, and a bug as one short line."""

    command_class = FrenchHelp
    group_class = type  # sub-groups get the same French help and error handling

    def invoke(self, ctx: click.Context) -> object:
        """Run the command; catch CpomError (the only family of expected failures)."""
        try:
            return super().invoke(ctx)
        except CpomError as exc:
            click.secho(str(exc), fg="red", err=True)
            ctx.exit(exc.exit_code)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:  # a bug of ours: no traceback for users, unless asked
            if os.environ.get(DEBUG_VARIABLE) == "1":
                raise
            click.secho(f"erreur interne : {type(exc).__name__}: {exc}", fg="red", err=True)
            click.echo(
                "C'est un défaut de cpomdocs, pas de vos fichiers : signalez-le avec la commande "
                f"lancée ; {DEBUG_VARIABLE}=1 affiche la trace complète.",
                err=True,
            )
            ctx.exit(INTERNAL_ERROR)


def _report(problems: list[Problem], strict: bool) -> tuple[int, int]:
    errors = warnings = 0
    for problem in problems:
        if problem.is_error:
            errors += 1
            click.secho(str(problem), fg="red", err=True)
        else:
            warnings += 1
            click.secho(str(problem), fg="yellow", err=True)
    return errors, warnings


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"


@click.group(
    cls=CpomGroup, epilog=EXIT_CODES, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(
    __version__,
    "--version",
    prog_name="cpomdocs",
    message="%(prog)s %(version)s",
    help="Afficher la version et quitter.",
)
def main() -> None:
    """cpomdocs : les CPOM médico-sociaux sous forme de données.

    Chaque contrat vit en YAML dans contracts/<id>/ (cpom.yaml, avenants/, comptes-rendus/),
    est validé (schéma JSON puis règles métier) et rendu en PDF/A et DOCX.
    """


@main.command(epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Les avertissements font aussi échouer la validation.")
def validate(paths: tuple[Path, ...], strict: bool) -> None:
    """Valider des contrats : dossiers de contrats, dossiers qui en contiennent, ou fichiers.

    Sans chemin, valide contracts/. Un contrat invalide n'empêche pas de vérifier les autres.
    Chaque problème tient sur une ligne de la sortie standard, puis vient une ligne de bilan :

    \b
      fichier:ligne:colonne: champ: message
      fichier:ligne:colonne: avertissement: champ: message
    """
    validate_paths = globals().get("validate_paths") or __getattr__("validate_paths")

    report = validate_paths(list(paths) or [Path("contracts")])
    for problem in report.problems:
        click.secho(str(problem), fg="red" if problem.is_error else "yellow")
    failed = report.failed(strict)
    summary = report.summary()
    if strict and report.warnings and not report.errors:
        summary += " (--strict : les avertissements font échouer)"
    click.secho(summary, fg="red" if failed else "green")
    sys.exit(1 if failed else 0)


SCHEMA_EXIT_CODES = """\b
Codes de sortie :
  0  schémas écrits (ou à jour, avec --check)
  1  avec --check : un schéma manque ou diffère des modèles
  2  commande mal formée (option invalide)
  3  erreur interne de cpomdocs (à signaler ; CPOMDOCS_DEBUG=1 affiche la trace)"""


@main.command(epilog=SCHEMA_EXIT_CODES)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("schema"),
    show_default=True,
    help="Dossier où écrire les schémas.",
)
@click.option("--check", is_flag=True, help="Vérifier sans écrire que les schémas sont à jour.")
def schema(output: Path, check: bool) -> None:
    """Écrire les schémas JSON (cpom, avenant, compte-rendu) tirés des modèles.

    Les éditeurs (serveur de langage YAML) s'en servent pour compléter et documenter
    les champs pendant la saisie.
    """
    from cpomdocs.data.schema import stale_schemas, write_schemas

    if check:
        stale = stale_schemas(output)
        for path in stale:
            click.secho(f"{path}: schéma périmé ou absent : lancez « make schema »", fg="red")
        sys.exit(1 if stale else 0)
    for path in write_schemas(output):
        click.echo(str(path))


BUILD_EXIT_CODES = """\b
Codes de sortie :
  0  tous les documents ont été écrits
  1  au moins un contrat invalide ou un document en échec (les autres sont construits)
  2  commande mal formée (chemin introuvable, option invalide)
  3  erreur interne de cpomdocs (à signaler ; CPOMDOCS_DEBUG=1 affiche la trace)"""


def _print_event(event: object) -> None:
    from cpomdocs.build.schedule import BuildEvent

    assert isinstance(event, BuildEvent)
    if event.kind == "contract":
        click.secho(f"▸ {event.contract}", bold=True)
    elif event.kind == "document":
        click.echo(f"  {event.document} …")
    elif event.kind == "written" and event.path is not None:
        click.echo(f"    {event.path}")
    elif event.kind == "failed":
        where = f"{event.document} : " if event.document else ""
        click.secho(f"  échec : {where}{event.message}", fg="red", err=True)
    elif event.kind == "notice":
        click.secho(f"note : {event.message}", fg="yellow", err=True)


@main.command(epilog=BUILD_EXIT_CODES)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build"),
    show_default=True,
    help="Dossier de sortie.",
)
@click.option(
    "--templates",
    "templates",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("templates"),
    show_default=True,
    help="Dossier de modèles qui remplacent, fichier par fichier, ceux de cpomdocs (ignoré s'il "
    "n'existe pas).",
)
@click.option(
    "-f",
    "--format",
    "formats",
    type=click.Choice(["pdf", "docx"]),
    multiple=True,
    help="Format à produire (répétable). Par défaut : pdf et docx.",
)
@click.option("-q", "--quiet", is_flag=True, help="N'afficher que les erreurs et le bilan.")
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="AAAA-MM-JJ",
    help="Produire aussi le contrat en vigueur à cette date (AAAA-MM-JJ), avenants signés inclus.",
)
@click.option("--force", is_flag=True, help="Tout reconstruire, même les documents à jour.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Nombre de processus de rendu. Par défaut : le nombre de cœurs.",
)
@click.option(
    "--shard",
    metavar="K/N",
    help="Ne construire que la K-ième de N parts stables du portefeuille (matrice de CI), "
    "à réunir ensuite avec « cpomdocs merge ».",
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
) -> None:
    """Construire les documents de chaque contrat (par défaut contracts/) dans build/<contrat>/.

    Chaque contrat donne contrat.pdf et contrat.docx (le corps du contrat) et annexes.pdf et
    annexes.docx (les annexes opposables). Un contrat invalide n'empêche pas les autres.
    Seuls les documents dont les données, les modèles ou les options ont changé depuis la
    dernière construction sont refaits (--force : tous).
    """
    from cpomdocs.build.schedule import FORMATS
    from cpomdocs.build.schedule import build_portfolio as run_build
    from cpomdocs.build.workers import default_jobs, parse_shard

    def on_event(event: object) -> None:
        if not quiet or getattr(event, "kind", "") in ("failed", "notice"):
            _print_event(event)

    report = run_build(
        list(paths) or [Path("contracts")],
        output,
        templates=templates if templates.is_dir() else None,
        formats=formats or FORMATS,
        on_event=on_event,
        as_of=as_of.date() if as_of else None,
        force=force,
        jobs=jobs or default_jobs(),
        shard=parse_shard(shard) if shard else None,
    )
    for removed in report.removed:
        click.echo(f"supprimé : {output}/{removed} (contrat disparu des sources)")
    for problems in report.problems.values():
        _report(problems, strict=False)
    failed = report.failed
    seconds = f"{report.seconds:.1f}".replace(".", ",")
    summary = (
        f"{_plural(report.documents, 'document')} construit{'s' if report.documents > 1 else ''} "
        f"({_plural(len(report.written), 'fichier')} dans {output}/), "
        f"{_plural(report.skipped, 'document')} à jour, "
        f"{_plural(len(failed), 'contrat')} en échec, en {seconds} s"
    )
    click.secho(summary, fg="red" if failed else "green", err=bool(failed))
    if failed:
        click.secho(f"Échec pour : {', '.join(failed)}", fg="red", err=True)
        sys.exit(1)


@main.command("sign-off", epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def sign_off(paths: tuple[Path, ...]) -> None:
    """Enregistrer l'empreinte (sha256) d'un contrat ou d'un avenant signé dans son fichier.

    Toute modification ultérieure du contenu fera échouer la validation : un document signé ne
    change plus, on passe par un avenant. Commentaires et mise en page du fichier sont conservés.
    """
    from cpomdocs.data.signoff import sign_off as record

    for path in paths:
        sha256 = record(path)
        click.echo(f"{path}: empreinte enregistrée (sha256 {sha256[:16]}…)")


DIFF_FORMATS = ("text", "md", "html", "pdf", "docx")


@main.command(epilog=EXIT_CODES)
@click.argument("sources", nargs=-1)
@click.option("--rev", "rev_range", metavar="A..B", help="Un contrat entre deux révisions git.")
@click.option("--avenant", type=int, metavar="N", help="Le contrat avant et après l'avenant N.")
@click.option(
    "-f", "--format", "output_format", type=click.Choice(DIFF_FORMATS), default="text",
    help="text (terminal, par défaut), md (commentaire de pull request), html, pdf, docx.",
)  # fmt: skip
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
    help="Écrire dans ce fichier (obligatoire pour pdf et docx).",
)  # fmt: skip
def diff(
    sources: tuple[str, ...],
    rev_range: str | None,
    avenant: int | None,
    output_format: str,
    output: Path | None,
) -> None:
    """Comparer deux versions d'un contrat, dans les mots du métier.

    \b
    cpomdocs diff ANCIEN NOUVEAU        fichiers, dossiers ou révisions git
                                        (HEAD~3:contracts/x/cpom.yaml)
    cpomdocs diff --rev A..B DOSSIER    un contrat entre deux révisions git
    cpomdocs diff --avenant 1 DOSSIER   un contrat avant et après son avenant n° 1

    text et md s'affichent sur la sortie standard ; html, pdf et docx (modifications suivies
    de Word) sont des versions annotées du contrat, écrites avec -o FICHIER.
    """
    from cpomdocs.versions.compare import run_diff

    color = output is None and sys.stdout.isatty()
    text = run_diff(list(sources), rev_range, avenant, output_format, output, color=color)
    if text is not None:
        click.echo(text, nl=False)
    else:
        click.echo(f"{output} écrit", err=True)


@main.command(epilog=EXIT_CODES)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def textconv(path: Path) -> None:
    """Afficher un contrat ou un avenant en français, un fait par ligne (pour git diff).

    \b
    Dans le dépôt :  git config diff.cpom.textconv "cpomdocs textconv"
    et dans .gitattributes :  contracts/**/*.yaml diff=cpom
    """
    from cpomdocs.versions.textconv import textconv as as_text

    click.echo(as_text(path), nl=False)


PUBLISH_EXIT_CODES = """\b
Codes de sortie :
  0  tout est publié (ou vérifié)
  1  au moins un document n'a pas pu être publié, ou une vérification a échoué
  2  commande mal formée (clé, mot de passe ou racine de confiance manquants)"""


@main.command(epilog=PUBLISH_EXIT_CODES)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--build-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build"),
    show_default=True,
    help="Dossier où « cpomdocs build » a produit les PDF.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build/publish"),
    show_default=True,
    help="Dossier de publication (PDF signés, manifest.json, index.html).",
)
@click.option(
    "--p12",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Clé de signature PKCS#12 (sinon la variable CPOMDOCS_P12).",
)
@click.option(
    "--password",
    help="Mot de passe du PKCS#12 (préférez la variable CPOMDOCS_P12_PASSWORD).",
)
@click.option(
    "--trust",
    type=click.Path(dir_okay=False, path_type=Path),
    multiple=True,
    help="Vérifier la publication avec ce certificat racine (PEM ou DER) ; répétable.",
)
def publish(
    paths: tuple[Path, ...],
    build_dir: Path,
    output: Path,
    p12: Path | None,
    password: str | None,
    trust: tuple[Path, ...],
) -> None:
    """Signer et publier les documents signés (contrats, avenants, comptes-rendus approuvés).

    Les projets ne sont jamais publiés. Chaque PDF/A de build/ est signé (PAdES) avec la clé
    PKCS#12 et listé dans manifest.json (sha256, sources et leur commit, signataire).
    """
    from cpomdocs.publish.publish import publish as run_publish
    from cpomdocs.publish.signing import key_options

    key_path, key_password = key_options(p12, password)
    report = run_publish(
        build_dir, output, key_path, key_password, list(paths) or [Path("contracts")]
    )
    _report(report.problems, strict=False)
    for skipped in report.skipped:
        click.echo(f"projet non publié : {skipped}")
    for removed in report.removed:
        click.echo(f"retiré de la publication : {removed}")
    click.echo(f"{_plural(len(report.published), 'document')} signé(s) dans {output}/")
    if report.failed:
        sys.exit(1)
    if trust:
        _verify_and_exit(output, list(trust))


def _verify_and_exit(path: Path, trust: list[Path], render: bool = True) -> None:
    from cpomdocs.publish.verify import Outcome
    from cpomdocs.publish.verify import verify as run_verify

    report = run_verify(path, trust, render)
    colours = {Outcome.OK: "green", Outcome.FAILED: "red", Outcome.SKIPPED: "yellow"}
    for check in report.checks:
        click.secho(str(check), fg=colours[check.outcome])
    failed = len(report.failed)
    if failed:
        click.secho(f"{_plural(failed, 'vérification')} en échec", fg="red", err=True)
        sys.exit(1)
    click.secho(f"{_plural(len(report.checks), 'vérification')} : tout est conforme", fg="green")


@main.command(epilog=PUBLISH_EXIT_CODES)
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option(
    "--trust",
    type=click.Path(dir_okay=False, path_type=Path),
    multiple=True,
    help="Certificat racine (PEM ou DER), sinon la variable CPOMDOCS_TRUST ; répétable.",
)
@click.option(
    "--sans-rendu",
    "no_render",
    is_flag=True,
    help="Ne pas refaire le rendu de la source jointe (plus rapide).",
)
def verify(path: Path | None, trust: tuple[Path, ...], no_render: bool) -> None:
    """Vérifier une publication (par défaut build/publish) ou un PDF signé.

    Contrôle chaque signature (intégrité, certificat reconnu par la racine de confiance), les
    empreintes du manifeste, l'identification PDF/A-3b et la source jointe, dont le nouveau rendu
    doit redonner le même texte. Une ligne par fichier et par contrôle.
    """
    _verify_and_exit(path or Path("build/publish"), list(trust), render=not no_render)


@main.command(epilog=EXIT_CODES)
@click.argument("shards", nargs=-1, required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build"),
    show_default=True,
    help="Dossier qui réunit les parts.",
)
def merge(shards: tuple[Path, ...], output: Path) -> None:
    """Réunir les dossiers produits par « cpomdocs build --shard K/N » en un seul.

    Copie les documents de chaque part dans le dossier de sortie, fusionne leurs caches et
    écrit une seule page de portefeuille (index.html) qui présente tous les contrats.
    """
    from cpomdocs.build.page import merge_builds

    ids, page = merge_builds(list(shards), output)
    where = f" ; page : {page}" if page else ""
    click.echo(f"{_plural(len(ids), 'contrat')} réunis dans {output}/{where}")
