"""Verification of published documents: signatures, manifest hashes, PDF/A, attached source."""

from __future__ import annotations

import io
import json
import logging
import os
import re
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from cpomdocs.build.provenance import PROVENANCE_FORMAT, PROVENANCE_NAME, renderer_digest
from cpomdocs.errors import CpomError, UsageError
from cpomdocs.publish.attachments import attached_source, sha256_bytes
from cpomdocs.publish.publish import MANIFEST
from cpomdocs.publish.rerender import render_provenance
from cpomdocs.publish.seal import (
    IDENTITY_KEYS,
    IDENTITY_NAME,
    MANIFEST_SIGNATURE,
    SealError,
    identity_of,
    manifest_signature_status,
    safe_member,
    sealed_identity,
)
from cpomdocs.publish.signing import (
    TRUST_ENV,
    declared_version,
    load_trust_root,
    metadata_mismatches,
    pdfa_identification,
    subject_of,
)

NO_TRUST = f"aucune racine de confiance : passez --trust CERT.pem ou la variable {TRUST_ENV}"
NO_MANIFEST = "manifest.json introuvable dans ce dossier"
UNSIGNED_MANIFEST = (
    f"{MANIFEST_SIGNATURE} absent : le manifeste n'est pas signé, ses entrées ne prouvent rien"
)
OUTSIDE = "chemin refusé : ce n'est pas un PDF du dossier de publication (fichier non lu)"
NO_IDENTITY = f"aucune identité scellée ({IDENTITY_NAME}) : PDF non publié par cpomdocs"
NOT_PDF = "ce n'est pas un PDF (en-tête %PDF- absent) : rien n'a été vérifié"
BAD_ENTRY = "entrée illisible : un objet JSON (fichier, sha256, type…) était attendu"
IDENTITY_MISMATCH = "le PDF signé dit autre chose que son entrée du manifeste"

# pyHanko logs a traceback for every untrusted certificate, pypdf its repairs of a damaged file
# (« incorrect startxref pointer »), both in English: the report already says it in French.
for name in ("pyhanko", "pypdf"):
    logging.getLogger(name).addHandler(logging.NullHandler())
    logging.getLogger(name).propagate = False


class Outcome(StrEnum):
    """What became of one check: passed, failed, or could not be made."""

    OK = "OK"
    FAILED = "ÉCHEC"
    SKIPPED = "NON VÉRIFIÉ"


@dataclass(frozen=True)
class Check:
    """The outcome of one check on one file."""

    file: str
    name: str
    outcome: Outcome
    message: str

    def __str__(self) -> str:
        return f"{self.outcome.value:<11} {self.file} — {self.name} : {self.message}"


@dataclass
class VerifyReport:
    """Every check made, in order."""

    checks: list[Check] = field(default_factory=list)

    @property
    def failed(self) -> list[Check]:
        """The checks that failed."""
        return [c for c in self.checks if c.outcome is Outcome.FAILED]

    def add(self, file: str, name: str, ok: bool, message: str) -> None:
        """Record a check that passed or failed."""
        self.checks.append(Check(file, name, Outcome.OK if ok else Outcome.FAILED, message))


def trust_roots(paths: list[Path]) -> list[Any]:
    """The trust roots from --trust, else from CPOMDOCS_TRUST; at least one is required."""
    if not paths and os.environ.get(TRUST_ENV):
        paths = [Path(p) for p in os.environ[TRUST_ENV].split(os.pathsep) if p]
    if not paths:
        raise UsageError(NO_TRUST)
    return [load_trust_root(path) for path in paths]


TRUST_PROBLEMS = {
    "NO_CERTIFICATE_CHAIN_FOUND": "non reconnu par la racine de confiance",
    # a chain that ends on a self-signed certificate which is not a trust root
    "CERTIFICATE_CHAIN_GENERAL_FAILURE": "non reconnu par la racine de confiance",
    "OUT_OF_BOUNDS_NO_POE": "expiré ou pas encore valide à la date de la signature",
    "EXPIRED": "expiré",
    "NOT_YET_VALID": "pas encore valide",
    "REVOKED": "révoqué",
    "REVOKED_NO_POE": "révoqué",
    "REVOKED_CA_NO_POE": "révoqué (autorité de certification)",
}


def _trust_problem(status: Any) -> str:
    indication = getattr(status.trust_problem_indic, "name", "")
    return TRUST_PROBLEMS.get(indication, f"refusé ({indication or 'chaîne invalide'})")


def check_signatures(data: bytes, shown: str, roots: list[Any], report: VerifyReport) -> None:
    """Integrity, trust and coverage of every signature of a PDF."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    except Exception as exc:
        report.add(shown, "signature", False, f"PDF illisible ({exc})")
        return
    if not signatures:
        report.add(shown, "signature", False, "aucune signature dans ce PDF")
        return
    for index, signature in enumerate(signatures, start=1):
        name = "signature" if len(signatures) == 1 else f"signature {index}"
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        try:
            status = validate_pdf_signature(signature, context)
        except Exception as exc:
            report.add(shown, name, False, f"signature illisible ({exc})")
            continue
        subject = subject_of(status.signing_cert)
        if not (status.intact and status.valid):
            report.add(shown, name, False, f"document modifié après la signature de {subject}")
            continue
        if not status.trusted:
            report.add(shown, name, False, f"certificat de {subject} {_trust_problem(status)}")
            continue
        if index == len(signatures) and status.coverage is not SignatureCoverageLevel.ENTIRE_FILE:
            report.add(shown, name, False, "des octets ont été ajoutés après la signature")
            continue
        report.add(shown, name, True, f"intègre, signée par {subject}, certificat de confiance")


def check_pdfa(data: bytes, shown: str, report: VerifyReport) -> None:
    """The PDF/A-3b identification survived the signature, PDF 1.7 still, Info and XMP agree."""
    try:
        found = pdfa_identification(data)
        mismatch = metadata_mismatches(data)
        version = declared_version(data)
    except Exception as exc:
        report.add(shown, "PDF/A", False, f"métadonnées illisibles ({exc})")
        return
    problems = []
    if found != ("3", "B"):
        what = "absente" if found is None else f"PDF/A-{found[0]}{found[1].lower()}"
        problems.append(f"identification PDF/A-3b perdue ({what})")
    if not version.startswith("1."):
        problems.append(f"PDF {version} déclaré : PDF/A-3 repose sur PDF 1.7")
    if mismatch:
        problems.append("métadonnées Info et XMP discordantes : " + "; ".join(mismatch))
    if problems:
        report.add(shown, "PDF/A", False, " ; ".join(problems))
    else:
        message = "identification PDF/A-3b, PDF 1.7 et métadonnées cohérentes après signature"
        report.add(shown, "PDF/A", True, message)


def document_text(pdf: bytes) -> str:
    """The text of a PDF, whitespace normalised, for comparing two renderings."""
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(pdf)).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in pages)).strip()


def first_difference(before: str, after: str, width: int = 40) -> str:
    """Where two texts part, shown as « …published… » / « …rendered again… »."""
    index = next(
        (i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b),
        min(len(before), len(after)),
    )
    start = max(0, index - width // 2)
    return f"« …{before[start : index + width]}… » / « …{after[start : index + width]}… »"


def _describe(name: str, source: dict[str, Any]) -> str:
    if source.get("format") != PROVENANCE_FORMAT:
        return f"source jointe « {name} »"
    commit = str(source.get("commit") or "hors git")[:12]
    dirty = ", modifications non commitées" if source.get("modifications_non_commitees") else ""
    files = len(source.get("fichiers") or {})
    return f"source jointe « {name} » ({files} fichier(s), commit {commit}{dirty})"


def check_source(data: bytes, shown: str, report: VerifyReport, render: bool = True) -> None:
    """The source is attached, and rendering it again gives the same text."""
    try:
        attached = attached_source(data)
    except Exception as exc:
        report.add(shown, "source", False, f"pièces jointes illisibles ({exc})")
        return
    if attached is None:
        report.add(shown, "source", False, "aucune source (JSON ou YAML) jointe au PDF")
        return
    name, source = attached
    report.add(shown, "source", True, _describe(name, source))
    if not render:
        return
    if source.get("format") != PROVENANCE_FORMAT:
        message = f"« {name} » ne décrit pas le rendu (pas de {PROVENANCE_NAME}) : rendu impossible"
        report.checks.append(Check(shown, "nouveau rendu", Outcome.SKIPPED, message))
        return
    try:
        again = render_provenance(source)
    except CpomError as exc:
        report.add(shown, "nouveau rendu", False, str(exc))
        return
    published, rendered = document_text(data), document_text(again)
    if published == rendered:
        report.add(shown, "nouveau rendu", True, "la source jointe redonne le même texte")
        return
    where = first_difference(published, rendered)
    recorded = source.get("rendu_sha256")
    if isinstance(recorded, str) and recorded != renderer_digest():
        # another cpomdocs (a release, other templates) may word a clause otherwise: a
        # difference says nothing about the document, only that this version cannot judge it
        message = (
            f"produit par une autre version de cpomdocs ({source.get('cpomdocs')}, empreinte "
            f"du rendu {recorded[:12]}) que celle-ci ({renderer_digest()[:12]}), dont le texte "
            f"diffère : {where} ; refaites la vérification avec la version qui l'a produit"
        )
        report.checks.append(Check(shown, "nouveau rendu", Outcome.SKIPPED, message))
        return
    report.add(shown, "nouveau rendu", False, f"la source jointe donne un autre texte : {where}")


def check_pdf(
    data: bytes, shown: str, roots: list[Any], report: VerifyReport, render: bool = True
) -> None:
    """Every check of one published PDF."""
    check_signatures(data, shown, roots, report)
    check_pdfa(data, shown, report)
    check_source(data, shown, report, render)


def check_identity(data: bytes, entry: dict[str, Any], shown: str, report: VerifyReport) -> None:
    """The identity sealed into the signed PDF is the one its manifest entry gives."""
    try:
        found = sealed_identity(data)
    except Exception as exc:
        report.add(shown, "identité", False, f"pièces jointes illisibles ({exc})")
        return
    if found is None:
        report.add(shown, "identité", False, NO_IDENTITY)
        return
    expected = identity_of(entry)
    differing = [key for key in IDENTITY_KEYS if found.get(key) != expected.get(key)]
    if differing:
        shown_keys = ", ".join(differing)
        report.add(shown, "identité", False, f"{IDENTITY_MISMATCH} ({shown_keys})")
        return
    what = f"{found.get('type')} {found.get('contrat')} ({found.get('version')})"
    report.add(shown, "identité", True, f"scellée dans le PDF, conforme au manifeste : {what}")


def check_entry(
    folder: Path,
    entry: dict[str, Any],
    roots: list[Any],
    report: VerifyReport,
    render: bool = True,
) -> None:
    """The checks of one manifest entry: the file's hashes, then the PDF itself."""
    relative = str(entry.get("fichier", ""))
    path = safe_member(folder, relative)
    if path is None:
        report.add(relative or "?", "fichier", False, OUTSIDE)
        return
    if not path.is_file():
        report.add(relative, "fichier", False, "listé dans le manifeste mais absent")
        return
    data = path.read_bytes()
    found = sha256_bytes(data)
    expected = entry.get("sha256")
    if found != expected:
        report.add(
            relative, "empreinte", False, f"sha256 {found[:12]}… ≠ manifeste {str(expected)[:12]}…"
        )
    else:
        report.add(relative, "empreinte", True, "sha256 conforme au manifeste")
    unsigned = entry.get("non_signe") or {}
    if not isinstance(unsigned, dict):
        report.add(relative, "version non signée", False, "entrée « non_signe » illisible")
        unsigned = {}
    size = unsigned.get("octets")
    if isinstance(size, int):
        same = sha256_bytes(data[:size]) == unsigned.get("sha256")
        message = "identique au PDF construit" if same else "ne correspond plus au PDF construit"
        report.add(relative, "version non signée", same, message)
    check_identity(data, entry, relative, report)
    check_pdf(data, relative, roots, report, render)


def _show_identity(data: bytes, shown: str, report: VerifyReport) -> None:
    """What a lone signed PDF says it is (nothing to compare it with without its manifest)."""
    try:
        found = sealed_identity(data)
    except Exception as exc:
        report.add(shown, "identité", False, f"pièces jointes illisibles ({exc})")
        return
    if found is None:
        report.checks.append(Check(shown, "identité", Outcome.SKIPPED, NO_IDENTITY))
        return
    what = f"{found.get('fichier')} : {found.get('type')} {found.get('contrat')}"
    message = f"{what} ({found.get('version')}), commit {str(found.get('commit'))[:12]}"
    report.add(shown, "identité", True, message)


def check_manifest(folder: Path, manifest: bytes, roots: list[Any], report: VerifyReport) -> None:
    """The manifest is signed (manifest.json.p7s) by a trusted certificate: checked first."""
    signature = folder / MANIFEST_SIGNATURE
    if not signature.is_file():
        report.add(MANIFEST, "signature du manifeste", False, UNSIGNED_MANIFEST)
        return
    name = "signature du manifeste"
    try:
        status = manifest_signature_status(manifest, signature.read_bytes(), roots)
    except SealError as exc:
        report.add(MANIFEST, name, False, str(exc))
        return
    subject = subject_of(status.signing_cert)
    if not (status.intact and status.valid):
        report.add(MANIFEST, name, False, f"manifeste modifié après sa signature par {subject}")
        return
    if not status.trusted:
        report.add(MANIFEST, name, False, f"certificat de {subject} {_trust_problem(status)}")
        return
    message = f"intègre, signée par {subject}, certificat de confiance"
    report.add(MANIFEST, "signature du manifeste", True, message)


def verify(path: Path, trust: list[Path], render: bool = True) -> VerifyReport:
    """Verify a publication folder (with its manifest.json) or one signed PDF."""
    roots = trust_roots(trust)
    report = VerifyReport()
    if path.is_file():
        data = path.read_bytes()
        if b"%PDF-" not in data[:1024]:  # where PDF readers look for the header
            report.add(path.as_posix(), "fichier", False, NOT_PDF)
            return report
        check_pdf(data, path.as_posix(), roots, report, render)
        _show_identity(data, path.as_posix(), report)
        return report
    if not path.is_dir():
        raise UsageError(f"{path}: chemin introuvable")
    manifest_path = path / MANIFEST
    if not manifest_path.is_file():
        report.add(path.as_posix(), "manifeste", False, NO_MANIFEST)
        return report
    raw = manifest_path.read_bytes()
    check_manifest(path, raw, roots, report)
    try:
        manifest = json.loads(raw.decode("utf-8"))
        entries = list(manifest["documents"])
    except (ValueError, KeyError, TypeError) as exc:
        report.add(MANIFEST, "manifeste", False, f"manifeste illisible ({exc})")
        return report
    listed = set()
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            report.add(MANIFEST, f"entrée n° {number}", False, BAD_ENTRY)
            continue
        listed.add(str(entry.get("fichier", "")))
        check_entry(path, entry, roots, report, render)
    for pdf in sorted(path.rglob("*.pdf")):
        relative = pdf.relative_to(path).as_posix()
        if relative not in listed:
            report.add(relative, "manifeste", False, "PDF présent mais absent du manifeste")
    return report
