"""The checks of one PDF: its signatures against the trust roots and its PDF/A
identification, and the report they are written in (the attached source: rerender.py)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from cpomdocs.publish.attached import AttachmentsError
from cpomdocs.publish.seal import IDENTITY_NAME, OTHER_DOCUMENT, other_document, sealed_identity
from cpomdocs.publish.signing import (
    declared_version,
    metadata_mismatches,
    pdfa_identification,
    subject_of,
)
from cpomdocs.publish.trust import NO_TRUST, carried_certificates, refusal, trust_roots

__all__ = ["NO_TRUST", "refusal", "trust_roots"]  # where verify and the tests find them
NO_IDENTITY = f"aucune identité scellée ({IDENTITY_NAME}) : PDF non publié par cpomdocs"


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
    if isinstance(exc, AttachmentsError):
        return str(exc)
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


def show_identity(data: bytes, shown: str, report: VerifyReport) -> None:
    """What a lone signed PDF says it is (nothing to compare it with without its manifest)."""
    try:
        found = sealed_identity(data)
        named = other_document(data, (found or {}).get("fichier"))
    except Exception as exc:
        report.add(shown, "identité", False, f"pièces jointes illisibles : {unreadable(exc)}")
        return
    if found is None:
        report.checks.append(Check(shown, "identité", Outcome.SKIPPED, NO_IDENTITY))
        return
    if named is not None:
        report.add(shown, "identité", False, OTHER_DOCUMENT.format(named=named))
        return
    what = f"{found.get('fichier')} : {found.get('type')} {found.get('contrat')}"
    message = f"{what} ({found.get('version')}), commit {str(found.get('commit'))[:12]}"
    report.add(shown, "identité", True, message)
