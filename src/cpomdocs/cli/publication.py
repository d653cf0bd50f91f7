"""Commands that sign and check publications: publish, verify."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from cpomdocs.cli.common import (
    FrenchHelp,
    contract_paths,
    file_option,
    folder_option,
    output_option,
    paths_argument,
    plural,
    print_problems,
    timeout_option,
    trust_option,
)
from cpomdocs.cli.exits import PUBLISH_EXIT_CODES, VERIFY_EXIT_CODES
from cpomdocs.cli.paths import NamedPath


@click.command(cls=FrenchHelp, epilog=PUBLISH_EXIT_CODES)
@paths_argument()
@folder_option(
    "--build-dir", default="build", help="Dossier où « cpomdocs build » a produit les PDF."
)
@output_option(
    "Dossier de publication (PDF signés, manifest.json, index.html).", default="build/publish"
)
@file_option("--p12", help="Clé de signature PKCS#12 (sinon la variable CPOMDOCS_P12).")
@click.option(
    "--password",
    metavar="MOT_DE_PASSE",
    help="Mot de passe du PKCS#12 (préférez la variable CPOMDOCS_P12_PASSWORD).",
)
@trust_option("Vérifier la publication avec ce certificat racine (PEM ou DER) ; répétable.")
@click.option(
    "--horodatage",
    "tsa",
    metavar="URL",
    help="Horodater chaque signature (RFC 3161, PAdES B-T) par cette autorité d'horodatage "
    "(sinon la variable CPOMDOCS_HORODATAGE) : la publication se vérifie encore après "
    "l'expiration du certificat de signature.",
)
def publish(
    paths: tuple[Path, ...],
    build_dir: Path,
    output: Path,
    p12: Path | None,
    password: str | None,
    trust: tuple[Path, ...],
    tsa: str | None,
) -> None:
    """Signer et publier les documents signés (contrats, avenants, comptes-rendus approuvés).

    Les projets ne sont jamais publiés. Chaque PDF/A de build/ est signé (PAdES) avec la clé
    PKCS#12 et listé dans manifest.json (sha256, sources et leur commit, signataire).

    \b
    Exemple, après « cpomdocs build » (mot de passe dans CPOMDOCS_P12_PASSWORD) :
      cpomdocs publish --p12 signataire.p12 --trust racine.pem
    """
    from cpomdocs.publish.publish import publish as run_publish
    from cpomdocs.publish.signing import key_options
    from cpomdocs.publish.timestamp import tsa_url
    from cpomdocs.publish.trust import trust_roots

    key_path, key_password = key_options(p12, password)
    # a root missing or unreadable: said before anything is signed
    roots = trust_roots(list(trust)) if trust else None
    report = run_publish(
        build_dir,
        output,
        key_path,
        key_password,
        contract_paths(paths),
        tsa=tsa_url(tsa),
        roots=roots,
    )
    print_problems(report.problems, strict=False)
    for skipped in report.skipped:
        click.echo(f"projet non publié : {skipped}")
    if report.verification is not None:
        _show_checks(report.verification)
    signed = len(report.published)
    if report.refused:
        _refused(report.verification, output)
    for removed in report.removed:
        click.echo(f"retiré de la publication : {removed}")
    click.echo(f"{plural(signed, 'document')} {'signés' if signed > 1 else 'signé'} dans {output}/")
    if report.verification is not None:
        count = plural(len(report.verification.checks), "vérification")
        click.secho(f"{count} avant publication : tout est conforme", fg="green")
    if report.failed:
        sys.exit(1)


def _refused(verification: Any, output: Path) -> NoReturn:
    """Say why the staged publication was not put in place, and exit 1."""
    from cpomdocs.publish.staged import NOT_PUBLISHED, TSA_ROOT, untrusted_time_stamps

    failed = plural(len(verification.failed), "vérification") + " en échec"
    if untrusted_time_stamps(verification):
        click.secho(TSA_ROOT, fg="red", err=True)
    shown = output.as_posix().rstrip("/")
    click.secho(NOT_PUBLISHED.format(failed=failed, out_dir=shown), fg="red", err=True)
    sys.exit(1)


MAX_SAME_FAILURE = 100  # lines of one failure, the same for every file; then one line for all


def _show_checks(report: Any) -> None:
    """One line per check, coloured by its outcome."""
    from cpomdocs.publish.verify import Outcome

    colours = {Outcome.OK: "green", Outcome.FAILED: "red", Outcome.SKIPPED: "yellow"}
    same: dict[tuple[Any, str, str], int] = {}  # a failure repeated: 20 000 PDFs planted
    for check in report.checks:
        key = (check.outcome, check.name, check.message)
        if check.outcome is Outcome.OK or (same.setdefault(key, 0) < MAX_SAME_FAILURE):
            click.secho(str(check), fg=colours[check.outcome])
        if check.outcome is not Outcome.OK:
            same[key] += 1
    for (outcome, name, message), count in same.items():
        if count > MAX_SAME_FAILURE:
            others = f"{outcome.value:<11} … et {count - MAX_SAME_FAILURE} autres fichiers"
            click.secho(f"{others} — {name} : {message}", fg=colours[outcome])


def _verify_and_exit(
    path: Path, trust: list[Path], render: bool = True, timeout: float = 300
) -> None:
    from cpomdocs.publish.verify import verify as run_verify

    report = run_verify(path, trust, render, timeout)
    _show_checks(report)
    failed = len(report.failed)
    if failed:
        click.secho(f"{plural(failed, 'vérification')} en échec", fg="red", err=True)
        sys.exit(1)
    click.secho(f"{plural(len(report.checks), 'vérification')} : tout est conforme", fg="green")


@click.command(cls=FrenchHelp, epilog=VERIFY_EXIT_CODES)
@click.argument("path", required=False, metavar="[CHEMIN]", type=NamedPath(path_type=Path))
@trust_option("Certificat racine (PEM ou DER), sinon la variable CPOMDOCS_TRUST ; répétable.")
@click.option(
    "--sans-rendu",
    "no_render",
    is_flag=True,
    help="Ne pas refaire le rendu de la source jointe (plus rapide).",
)
@timeout_option(
    "Durée maximale du nouveau rendu d'un PDF ; au-delà, ce contrôle est dit non vérifié, les "
    "autres sont faits."
)
def verify(path: Path | None, trust: tuple[Path, ...], no_render: bool, timeout: int) -> None:
    """Vérifier une publication (par défaut build/publish) ou un PDF signé.

    Contrôle chaque signature (intégrité, certificat reconnu par la racine de confiance, jugé à
    la date de son horodatage s'il en a un valide), les
    empreintes du manifeste, l'identification PDF/A-3b et la source jointe, dont le nouveau rendu
    doit redonner le même texte. Une ligne par fichier et par contrôle.

    \b
    Exemples :
      cpomdocs verify --trust racine.pem                        build/publish entier
      cpomdocs verify build/publish/x/contrat.pdf --trust racine.pem --sans-rendu
    """
    _verify_and_exit(path or Path("build/publish"), list(trust), not no_render, timeout)
