"""What publish checks of a PDF that « cpomdocs build » wrote, before signing it: PDF/A, its
attached source (the document's own, current), not a re-issue, the bytes the build wrote."""

from __future__ import annotations

from cpomdocs.build.provenance import PROVENANCE_FORMAT
from cpomdocs.documents.signed_text import REISSUE_KEYWORD
from cpomdocs.errors import Problem, Severity
from cpomdocs.publish.seal import (
    OTHER_DOCUMENT,
    attached_source,
    other_document,
    pdf_keywords,
    sha256_bytes,
)
from cpomdocs.publish.signing import pdfa_identification

DAMAGED = "PDF illisible (tronqué ou vide ?) : reconstruisez-le avec « cpomdocs build »"
NOT_PDFA = "ce PDF n'est pas un PDF/A-3b (identification XMP pdfaid absente ou différente)"
NO_SOURCE = "ce PDF n'embarque pas sa source (pièce jointe JSON ou YAML absente)"
STALE_BUILD = (
    "PDF périmé : les fichiers du contrat ont changé depuis « cpomdocs build », relancez-le"
)
REISSUE = (
    "ce PDF est une réédition : son texte diffère de celui de l'exemplaire signé (voir "
    "l'avertissement de « cpomdocs build ») ; il n'est pas publié. Construisez-le avec la version "
    "de cpomdocs qui a composé le texte signé, ou publiez l'exemplaire signé lui-même"
)
SWAPPED = f"{OTHER_DOCUMENT} : reconstruisez-le avec « cpomdocs build »"
EDITED = (
    "ce PDF n'est plus celui que « cpomdocs build » a écrit (son sha256 diffère de celui que "
    "le cache de construction a noté) : modifié depuis, son texte ne serait plus celui de ses "
    "sources ; reconstruisez-le avec « cpomdocs build --force »"
)
UNRECORDED = (
    "le cache de construction ne note pas l'empreinte de ce PDF (construit par une version "
    "antérieure de cpomdocs, ou venu d'ailleurs) : il n'a pas pu être comparé à ce que "
    "« cpomdocs build » a écrit ; reconstruisez-le avec « cpomdocs build --force »"
)
NO_BUILD_CACHE = (
    "cache de construction absent ou illisible : les PDF n'ont pas pu être comparés à ce que "
    "« cpomdocs build » a écrit (un PDF modifié depuis serait signé) ; lancez « cpomdocs build » "
    "dans ce dossier avant de publier (une copie de build/ doit garder ce fichier caché)"
)


def check_unsigned(pdf: bytes, shown: str, current: dict[str, str], relative: str) -> list[Problem]:
    """Why the PDF built for document `relative` cannot be signed: unreadable, not PDF/A-3b, a
    re-issue, another document's, without its source or built from other text than `current`."""
    problems = []
    try:  # a truncated or emptied PDF in build/: pypdf raises many kinds
        identified, keywords = pdfa_identification(pdf), pdf_keywords(pdf)
        attached, named = attached_source(pdf), other_document(pdf, relative)
    except Exception:
        return [Problem(shown, 0, 0, "", DAMAGED)]
    if identified != ("3", "B"):
        problems.append(Problem(shown, 0, 0, "", NOT_PDFA))
    if REISSUE_KEYWORD in keywords:
        problems.append(Problem(shown, 0, 0, "", REISSUE))
    if named is not None:  # copied over another document: its sources may be the same
        problems.append(Problem(shown, 0, 0, "", SWAPPED.format(named=named)))
    if attached is None:
        problems.append(Problem(shown, 0, 0, "", NO_SOURCE))
    elif attached[1].get("format") == PROVENANCE_FORMAT and attached[1].get("fichiers") != current:
        problems.append(Problem(shown, 0, 0, "", STALE_BUILD))
    return problems


def check_built(
    pdf: bytes, shown: str, relative: str, built: dict[str, str] | None
) -> list[Problem]:
    """The PDF is the one the build wrote (`built`: the sha256 its cache noted per file, None
    without a cache): an edited PDF is refused, one the cache does not know is a warning."""
    if built is None:
        return []
    if relative not in built:
        return [Problem(shown, 0, 0, "", UNRECORDED, Severity.WARNING)]
    if built[relative] != sha256_bytes(pdf):
        return [Problem(shown, 0, 0, "", EDITED)]
    return []
