"""The checks of one PDF: its signatures against the trust roots, its PDF/A identification,
and the source it carries, rendered again and compared with its text.

A published PDF rendered again from the source attached to it, as `verify` does.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import Any

from cpomdocs.build.catalog import planned_documents
from cpomdocs.build.planned import ContractInput
from cpomdocs.build.provenance import (
    DATA_SUFFIXES,
    PROVENANCE_FORMAT,
    PROVENANCE_NAME,
    ProvenanceError,
    attach_provenance,
    renderer_digest,
)
from cpomdocs.build.signed import check_signed_text
from cpomdocs.errors import CpomError
from cpomdocs.fmt import plural
from cpomdocs.publish.seal import attached_source, document_text, first_difference
from cpomdocs.publish.signing import (
    declared_version,
    metadata_mismatches,
    pdfa_identification,
    subject_of,
)
from cpomdocs.publish.trust import NO_TRUST, carried_certificates, refusal, trust_roots

__all__ = ["NO_TRUST", "refusal", "trust_roots"]  # where verify and the tests find them


def _safe_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or path.suffix not in DATA_SUFFIXES:
        raise ProvenanceError(f"source jointe : chemin de fichier refusé « {name} »")
    return path


def _write_sources(folder: Path, files: Any) -> None:
    """The attached source files, written under `folder`; ProvenanceError for what no file can
    be (a PDF received by mail may carry anything: a NUL, a lone surrogate, a list)."""
    if not isinstance(files, dict) or not all(isinstance(t, str) for t in files.values()):
        raise ProvenanceError("source jointe : « fichiers » n'est pas une table de textes")
    try:
        for relative, text in files.items():
            target = folder / _safe_relative(str(relative))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode("utf-8"))
    except (OSError, ValueError) as exc:  # NUL, surrogate, name too long, a file as a folder
        why = type(exc).__name__
        raise ProvenanceError(f"source jointe : fichiers impossibles à écrire ({why})") from None


def render_provenance(provenance: dict[str, Any], templates: Path | None = None) -> bytes:
    """Render the document described by an attached provenance again, as PDF."""
    from cpomdocs.data.folders import contract_file
    from cpomdocs.data.model import Contract
    from cpomdocs.data.validate import check_folder
    from cpomdocs.render.pdf import render_pdf

    if provenance.get("format") != PROVENANCE_FORMAT:
        raise ProvenanceError("source jointe d'un format inconnu")
    contract_id, name = str(provenance.get("contrat", "")), str(provenance.get("document", ""))
    with tempfile.TemporaryDirectory(prefix="cpomdocs-verify-") as tmp:
        if not contract_id or "/" in contract_id or contract_id.startswith("."):
            raise ProvenanceError(
                f"source jointe : identifiant de contrat refusé « {contract_id} »"
            )
        folder = Path(tmp) / contract_id
        _write_sources(folder, provenance.get("fichiers"))
        if not isinstance(created := provenance.get("cree"), str):  # was KeyError: 'cree'
            raise ProvenanceError("source jointe : date de création (« cree ») "
                                  "absente ou illisible")  # fmt: skip
        checked = check_folder(folder)
        if not checked.ok or not isinstance(checked.contract.model, Contract):
            raise ProvenanceError("la source jointe n'est plus valide avec le schéma actuel")
        main = contract_file(folder)
        source = ContractInput(
            id=contract_id,
            folder=folder,
            checked=checked,
            contract=checked.contract.model,
            source_name=main.name,
            source_bytes=main.read_bytes(),
            created=created,
            templates=templates,
        )
        planned = {p.name: p for p in planned_documents(source)}
        if name not in planned:
            raise ProvenanceError(f"document « {name} » inconnu de cette version de cpomdocs")
        # marked as the build marked it when its text is no longer the signed one
        composed = check_signed_text(source, name, name, planned[name].compose()).document
        document = attach_provenance(composed, provenance, name)
        return render_pdf(document, templates)


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
        return f"{self.outcome.value:<11} {printable(self.file)} — {self.name} : {self.message}"


def printable(name: str) -> str:
    """A file name as one printable line: a NUL, a control character, a lone surrogate (a byte
    that is not UTF-8 in a name on disk, or « \\udcff » in the manifest) written \\uXXXX."""
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in name)


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


def unreadable(exc: BaseException) -> str:
    """Why a part of a PDF could not be read, in French (pypdf and pyHanko say it in English)."""
    if type(exc).__name__ == "LimitReachedError":  # pypdf's cap on what a stream inflates to
        return "une pièce jointe dépasse, décompressée, la taille permise (bombe de compression ?)"
    if isinstance(exc, RecursionError):
        return DEEP
    return f"structure endommagée ({type(exc).__name__})"


MAX_SIGNATURES = 20  # a CPOM carries two or three; 40 took 3.5 s of CPU, growing as n²
NO_SIGNATURE = "aucune signature dans ce PDF"
TOO_MANY = "{} signatures dans ce PDF : {} au plus sont vérifiées ; rien n'est vérifié"
DEEP = "imbrication trop profonde (des milliers de listes ou de tables l'une dans l'autre)"
LATER_REVISION = (
    "une révision ajoutée ensuite, même signée, change ce qu'elle couvre (texte, pages ou "
    "annotations) : ce n'est plus le document signé"
)


# What a certification (DocMDP /P, a field lock) lets later revisions do (3: beyond our policy)
DOCMDP = {1: "aucune modification", 2: "que le remplissage de formulaires et des signatures"}
FORBIDDEN_BY_SIGNER = (
    "ce signataire n'a autorisé ensuite {} (signature de certification, DocMDP), et une "
    "révision ajoutée va au-delà"
)


def check_signatures(data: bytes, shown: str, roots: list[Any], report: VerifyReport) -> None:
    """Integrity, trust and coverage of every signature of a PDF."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    from cpomdocs.publish.timestamp import stamp_words, stamped_refusal, validate_stamped

    try:
        signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    except Exception as exc:
        report.add(shown, "signature", False, f"PDF illisible : {unreadable(exc)}")
        return
    if not signatures or len(signatures) > MAX_SIGNATURES:  # each one checks all after it
        why = TOO_MANY.format(len(signatures), MAX_SIGNATURES) if signatures else NO_SIGNATURE
        report.add(shown, "signature", False, why)
        return
    for index, signature in enumerate(signatures, start=1):
        name = "signature" if len(signatures) == 1 else f"signature {index}"
        try:
            status, stamp = validate_stamped(
                lambda signer, tsa, sig=signature: validate_pdf_signature(sig, signer, tsa), roots
            )
        except Exception as exc:
            report.add(shown, name, False, f"signature illisible : {unreadable(exc)}")
            continue
        subject = subject_of(status.signing_cert)
        modified = f"document modifié après la signature de {subject}"
        refused = stamped_refusal(
            status, stamp, modified, carried_certificates(signature.signed_data)
        )
        if refused:
            report.add(shown, name, False, refused)
            continue
        if index == len(signatures) and status.coverage is not SignatureCoverageLevel.ENTIRE_FILE:
            report.add(shown, name, False, "des octets ont été ajoutés après la signature")
            continue
        if status.modification_level in (ModificationLevel.ANNOTATIONS, ModificationLevel.OTHER):
            # a later revision (signed by a trusted key or not) changes what this one covers:
            # a countersignature (form filling) or a time-stamp (LTA) would be NONE..FORM_FILLING
            report.add(shown, name, False, f"{modified} : {LATER_REVISION}")
            continue
        if status.docmdp_ok is False:  # our policy allows it, the signer's certification not
            allowed = DOCMDP.get(getattr(signature.docmdp_level, "value", 0), "")
            report.add(shown, name, False, f"{modified} : {FORBIDDEN_BY_SIGNER.format(allowed)}")
            continue
        words = stamp_words(stamp, status.signing_cert)
        report.add(
            shown, name, True, f"intègre, signée par {subject}, certificat de confiance ; {words}"
        )


def check_pdfa(data: bytes, shown: str, report: VerifyReport) -> None:
    """The PDF/A-3b identification survived the signature, PDF 1.7 still, Info and XMP agree."""
    try:
        found = pdfa_identification(data)
        mismatch = metadata_mismatches(data)
        version = declared_version(data)
    except Exception as exc:
        report.add(shown, "PDF/A", False, f"métadonnées illisibles : {unreadable(exc)}")
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


def _describe(name: str, source: dict[str, Any]) -> str:
    if source.get("format") != PROVENANCE_FORMAT:
        return f"source jointe « {name} »"
    commit = str(source.get("commit") or "hors git")[:12]
    dirty = ", modifications non commitées" if source.get("modifications_non_commitees") else ""
    files = len(source.get("fichiers") or {})
    return f"source jointe « {name} » ({plural(files, 'fichier')}, commit {commit}{dirty})"


def check_source(data: bytes, shown: str, report: VerifyReport, render: bool = True) -> None:
    """The source is attached, and rendering it again gives the same text."""
    try:
        attached = attached_source(data)
    except Exception as exc:
        report.add(shown, "source", False, f"pièces jointes illisibles : {unreadable(exc)}")
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
