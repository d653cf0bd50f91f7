"""Trust: the roots a verification accepts, and why a signature's certificate is refused."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from cpomdocs.errors import UsageError
from cpomdocs.publish.signing import TRUST_ENV, load_trust_roots, subject_of

NO_TRUST = f"aucune racine de confiance : passez --trust CERT.pem ou la variable {TRUST_ENV}"


def trust_roots(paths: list[Path]) -> list[Any]:
    """The trust roots from --trust, else from CPOMDOCS_TRUST; at least one is required."""
    if not paths and os.environ.get(TRUST_ENV):
        paths = [Path(p) for p in os.environ[TRUST_ENV].split(os.pathsep) if p]
    if not paths:
        raise UsageError(NO_TRUST)
    return [root for path in paths for root in load_trust_roots(path)]


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


def trust_problem(status: Any) -> str:
    indication = getattr(status.trust_problem_indic, "name", "")
    if TRUST_PROBLEMS.get(indication) == "non reconnu par la racine de confiance":
        # pyHanko finds no chain when the signer's own certificate was not valid at the time:
        # « non reconnu » sent people looking for another trust root
        dated = _out_of_dates(status)
        if dated:
            return dated
    return TRUST_PROBLEMS.get(indication, f"refusé ({indication or 'chaîne invalide'})")


def _out_of_dates(status: Any) -> str:
    """Why the signer's certificate was not valid when it signed (or now), or ""."""
    from cpomdocs.fmt import date_fr

    validity = status.signing_cert["tbs_certificate"]["validity"]
    start, end = validity["not_before"].native, validity["not_after"].native
    when = getattr(status, "signer_reported_dt", None) or dt.datetime.now(dt.UTC)
    if when < start:
        return f"pas encore valide à la date de la signature (valide à partir du {date_fr(start)})"
    if when > end:
        return f"expiré à la date de la signature (depuis le {date_fr(end)})"
    return ""


def refusal(status: Any, modified: str) -> str:
    """Why a signature's status is refused (`modified` when the bytes changed after it, the
    certificate's problem when it is not trusted), or "" when it holds."""
    if not (status.intact and status.valid):
        return modified
    if not status.trusted:
        return f"certificat de {subject_of(status.signing_cert)} {trust_problem(status)}"
    return ""
