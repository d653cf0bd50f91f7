"""A publication verified while it is still staged, before it replaces the previous one: what
`cpomdocs verify` would say of the folder once the new files are in place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cpomdocs.build.task import DEFAULT_TIMEOUT
from cpomdocs.publish.placement import PAGE, stale_files
from cpomdocs.publish.rerender import OTHER_RENDERER
from cpomdocs.publish.seal import MANIFEST_SIGNATURE
from cpomdocs.publish.verify import PAGE_SAME, check_entry, check_manifest, check_unlisted
from cpomdocs.publish.verify_checks import VerifyReport
from cpomdocs.write import write_bytes_atomic

# What a verification that fails before anything replaced the previous publication says last.
NOT_PUBLISHED = (
    "{failed} : rien n'est publié, {out_dir}/ reste tel qu'il était (les documents signés n'y "
    "ont pas été mis : une publication précédente reste en place)"
)
# The signer's root alone does not vouch for a time-stamping authority's token.
TSA_ROOT = (
    "les signatures sont horodatées par une autorité que les racines passées à --trust ne "
    "reconnaissent pas : passez aussi, avec --trust, le certificat racine de l'autorité "
    "d'horodatage"
)
TSA_REFUSED = "horodatage refusé : certificat de l'autorité d'horodatage"
# verify says « NON VÉRIFIÉ » of a PDF rendered by another cpomdocs: a publication cannot be
# vouched for by a check that was not made (an edited text then passed as « conforme »).
NOT_THIS_RENDERER = (
    "PDF construit par une autre version de cpomdocs que celle qui publie : son texte n'a pas pu "
    "être comparé à un nouveau rendu de sa source ; reconstruisez-le avec « cpomdocs build "
    "--force », puis publiez"
)


def verify_staged(
    staging: Path,
    out_dir: Path,
    manifest: tuple[str, bytes],
    entries: list[dict[str, Any]],
    signed: set[str],
    roots: list[Any],
    timeout: float | None = DEFAULT_TIMEOUT,
) -> VerifyReport:
    """Every check of the publication about to be in place: the manifest's signature (its text
    and signature), each entry (signed now, in `staging`; kept, in `out_dir`), the files that
    would stay unlisted; each attached source rendered again within `timeout` seconds. `signed`:
    the entries signed by this run, staged; the others are the previous publication's."""
    text, signature = manifest
    write_bytes_atomic(staging / MANIFEST_SIGNATURE, signature)  # check_manifest reads it there
    report = VerifyReport()
    check_manifest(staging, text.encode("utf-8"), roots, report)
    for entry in entries:
        folder = staging if entry["fichier"] in signed else out_dir
        check_entry(folder, entry, roots, report, True, timeout)
    for check in list(report.checks):  # kept entries may come from an older cpomdocs: not these
        if check.file in signed and check.message.startswith(OTHER_RENDERER):
            report.add(check.file, "nouveau rendu avant publication", False, NOT_THIS_RENDERER)
    listed = {entry["fichier"] for entry in entries}
    leaving = frozenset([staging, *stale_files(out_dir, listed)])
    check_unlisted(out_dir, listed, report, leaving)
    report.add(PAGE, "page", True, PAGE_SAME)  # written from the manifest, its sha256 in it
    return report


def untrusted_time_stamps(report: VerifyReport) -> bool:
    """True when a signature failed only because its time-stamp's authority is not trusted."""
    return any(check.message.startswith(TSA_REFUSED) for check in report.failed)
