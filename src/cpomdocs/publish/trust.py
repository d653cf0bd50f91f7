"""Trust: the roots a verification accepts, and why a signature's certificate is refused."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cpomdocs.errors import UsageError
from cpomdocs.publish.signing import TRUST_ENV, load_trust_roots, subject_of

NO_STAMP = (
    "sans horodatage qui prouve que la signature lui est antérieure, elle ne se vérifie plus "
    "(publiez avec --horodatage URL pour que les signatures survivent à leur certificat)"
)
NO_TRUST = f"aucune racine de confiance : passez --trust CERT.pem ou la variable {TRUST_ENV}"


def trust_roots(paths: list[Path]) -> list[Any]:
    """The trust roots from --trust, else from CPOMDOCS_TRUST; at least one is required."""
    if not paths and os.environ.get(TRUST_ENV):
        paths = [Path(p) for p in os.environ[TRUST_ENV].split(os.pathsep) if p]
    if not paths:
        raise UsageError(NO_TRUST)
    return _renewed_first([root for path in paths for root in load_trust_roots(path)])


def _dates(cert: Any) -> tuple[dt.datetime, dt.datetime]:
    """A certificate's validity: not before, not after."""
    validity = cert["tbs_certificate"]["validity"]
    return validity["not_before"].native, validity["not_after"].native


cert_dates = _dates  # for publish.timestamp


def _renewed_first(roots: list[Any]) -> list[Any]:
    """The roots, a root re-issued with new dates (same name, same key) replacing its copies
    out of their dates: pyHanko takes the first one it meets, and a chain file listing the old
    root before the renewed one made every signature fail as « expirée »."""
    now = dt.datetime.now(dt.UTC)

    def current(cert: Any) -> bool:
        start, end = _dates(cert)
        return start <= now <= end

    def anchor(cert: Any) -> tuple[bytes, bytes]:
        return cert.subject.dump(), cert.public_key.dump()

    renewed = {anchor(cert) for cert in roots if current(cert)}
    return [cert for cert in roots if current(cert) or anchor(cert) not in renewed]


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


def trust_problem(status: Any, certificates: Iterable[Any] = ()) -> str:
    """Why pyHanko did not trust a signature's certificate, in French."""
    indication = getattr(status.trust_problem_indic, "name", "")
    if TRUST_PROBLEMS.get(indication) == "non reconnu par la racine de confiance":
        # pyHanko finds no chain when the signer's own certificate was not valid at the time,
        # or when a link of it is no CA: « non reconnu » sent people after another trust root
        named = _out_of_dates(status) or _issued_by_end_entity(status, certificates)
        if named:
            return named
    if indication == "OUT_OF_BOUNDS_NO_POE":  # checked today, not at the signing date
        return _out_of_dates_now(status.signing_cert) or TRUST_PROBLEMS[indication]
    if indication == "CHAIN_CONSTRAINTS_FAILURE":  # was said « refusé (CHAIN_CONSTRAINTS_…) »
        return _usage_problem(status.signing_cert) or (
            "refusé : sa chaîne de certification ne respecte pas ses propres contraintes "
            "(longueur de chaîne, noms ou usages des certificats)"
        )
    return TRUST_PROBLEMS.get(indication, f"refusé ({indication or 'chaîne invalide'})")


# Extended key usages that allow signing documents (RFC 9336 documentSigning, S/MIME, Adobe,
# Microsoft, any): a certificate listing serverAuth and none of them is a web server's.
DOCUMENT_PURPOSES = {
    "1.3.6.1.5.5.7.3.36",
    "email_protection",
    "adobe_authentic_documents_trust",
    "microsoft_document_signing",
    "any_extended_key_usage",
}


def _usage_problem(cert: Any) -> str:
    """Why the signer's certificate is not one that signs documents, or ""."""
    usage = cert.key_usage_value
    if usage is None:
        return (
            "refusé : il ne déclare aucun usage de clé (keyUsage), donc pas la non-répudiation "
            "(contentCommitment) qu'exige la signature d'un document"
        )
    if "non_repudiation" not in usage.native:
        return (
            "refusé : son usage de clé ne comprend pas la non-répudiation (contentCommitment), "
            "qu'exige la signature d'un document"
        )
    return ""


def _purpose_problem(cert: Any) -> str:
    """Why a trusted certificate must still not sign a contract (a CA's own key, a web server's
    certificate: pyHanko checks neither), or ""."""
    usage = cert.key_usage_value
    # a lone self-signed certificate says CA:TRUE by openssl's default, but no keyCertSign
    if cert.ca and usage is not None and "key_cert_sign" in usage.native:
        return (
            "refusé : c'est un certificat d'autorité de certification (CA:TRUE, keyCertSign), "
            "dont la clé émet des certificats et ne signe pas de documents"
        )
    purposes = cert.extended_key_usage_value
    names = set(purposes.native) if purposes is not None else set()
    if "server_auth" in names and not names & DOCUMENT_PURPOSES:
        return (
            "refusé : c'est un certificat de serveur web (usage étendu serverAuth), qui ne signe "
            "pas de documents"
        )
    return ""


def _issued_by_end_entity(status: Any, certificates: Iterable[Any]) -> str:
    """The link of the signer's chain (among the certificates the signature carries) whose
    issuer is no certification authority (CA:FALSE, or no right to sign certificates), or ""."""
    pool = list(certificates)
    cert = status.signing_cert
    for _ in range(len(pool)):
        issuer = next(
            (c for c in pool if c.subject == cert.issuer and c.dump() != cert.dump()), None
        )
        if issuer is None:
            return ""
        usage = issuer.key_usage_value
        if not issuer.ca or (usage is not None and "key_cert_sign" not in usage.native):
            why = "son certificat dit CA:FALSE" if not issuer.ca else "sans droit keyCertSign"
            return (
                f"émis par {subject_of(issuer)}, qui n'est pas une autorité de certification "
                f"({why}) : un certificat de signataire ne peut pas en émettre un autre"
            )
        cert = issuer
    return ""


def root_out_of_dates(status: Any, at: dt.datetime | None = None) -> str:
    """Why the trust root that a trusted chain ends on is not valid now (or `at`, the time of a
    valid time-stamp), or "".

    pyHanko (RFC 5280) never checks a trust anchor's dates. The rest of the chain is checked
    now, not at the signing time the signer itself wrote (no time-stamp proves it): the root
    is held to the same moment, so a signature under an expired root no longer verifies.
    """
    from cpomdocs.fmt import date_fr

    path = getattr(status, "validation_path", None)
    try:
        root = path[0] if path is not None else None
        start, end = _dates(root)
    except (IndexError, KeyError, TypeError):
        return ""
    now = at or dt.datetime.now(dt.UTC)
    if now < start:
        return (
            f"rattaché à la racine de confiance {subject_of(root)}, pas encore valide "
            f"(valide à partir du {date_fr(start)}) : une racine pas encore en vigueur ne "
            "garantit rien ; vérifiez l'horloge de cette machine et le certificat passé à --trust"
        )
    if now > end:
        return f"rattaché à la racine de confiance {subject_of(root)}, expirée " + (
            f"à la date de l'horodatage ({date_fr(end)})"
            if at
            else f"depuis le {date_fr(end)} : {NO_STAMP} ; passez la racine qui lui "
            "succède, ou faites signer de nouveau la publication"
        )
    return ""


def _out_of_dates(status: Any) -> str:
    """Why the signer's certificate was not valid when it signed (or now), or ""."""
    from cpomdocs.fmt import date_fr

    start, end = _dates(status.signing_cert)
    when = getattr(status, "signer_reported_dt", None) or dt.datetime.now(dt.UTC)
    if when < start:
        return f"pas encore valide à la date de la signature (valide à partir du {date_fr(start)})"
    if when > end:
        return f"expiré à la date de la signature (depuis le {date_fr(end)})"
    return ""


def _out_of_dates_now(cert: Any) -> str:
    """Why the signer's certificate fails today. pyHanko checks it at the time of verification:
    « expiré … à la date de la signature » told an officer that a contract signed while the
    certificate was valid had been signed with an expired one."""
    from cpomdocs.fmt import date_fr

    start, end = _dates(cert)
    now = dt.datetime.now(dt.UTC)
    if now > end:
        return f"expiré depuis le {date_fr(end)} : {NO_STAMP}"
    if now < start:
        return f"pas encore valide (valide à partir du {date_fr(start)})"
    return ""


def refusal(
    status: Any, modified: str, certificates: Iterable[Any] = (), at: dt.datetime | None = None
) -> str:
    """Why a signature's status is refused (`modified` when the bytes changed after it, the
    certificate's problem when it is not trusted, its root's dates), or "" when it holds;
    `certificates`: those the signature carries, to name a link that is no CA; `at`: the time
    of its valid time-stamp, when its chain was judged then."""
    if not (status.intact and status.valid):
        return modified
    subject = subject_of(status.signing_cert)
    if not status.trusted:
        start, end = _dates(status.signing_cert)
        if at is not None and not start <= at <= end:  # signed out of its dates, time-stamp says
            from cpomdocs.fmt import date_fr

            return (
                f"certificat de {subject} pas valide à la date de l'horodatage "
                f"(valide du {date_fr(start)} au {date_fr(end)})"
            )
        return f"certificat de {subject} {trust_problem(status, certificates)}"
    problem = _purpose_problem(status.signing_cert) or root_out_of_dates(status, at)
    return f"certificat de {subject} {problem}" if problem else ""


def carried_certificates(signed_data: Any) -> list[Any]:
    """The certificates a CMS signature carries (its signer's chain, as the signer sent it)."""
    try:
        choices = signed_data["certificates"] or []
        return [c.chosen for c in choices if c.name == "certificate"]
    except (KeyError, TypeError, ValueError):
        return []


def detached_certificates(signature: bytes) -> list[Any]:
    """The certificates carried by a detached CMS signature (DER), [] when unreadable."""
    from asn1crypto import cms

    try:
        return carried_certificates(cms.ContentInfo.load(signature)["content"])
    except (KeyError, TypeError, ValueError):
        return []


def check_signing_key(key: Any, p12: Path) -> None:
    """Refuse to sign with a certificate of the PKCS#12 (the signer's or one of its chain) that
    is not valid today, or a signer's certificate that does not sign documents (a CA's, a web
    server's, no non-repudiation): every signature made with it would fail `verify`."""
    from cpomdocs.fmt import date_fr
    from cpomdocs.publish.signing import SigningError

    now = dt.datetime.now(dt.UTC)
    signer = key.signer.signing_cert
    for cert in (signer, *key.signer.cert_registry):
        start, end = _dates(cert)
        which = "certificat de signature" if cert is signer else "certificat de sa chaîne"
        if now < start:
            why = f"pas encore valide (valide à partir du {date_fr(start)})"
        elif now > end:
            why = f"expiré depuis le {date_fr(end)}"
        else:
            continue
        raise SigningError(
            f"{p12}: {which} {subject_of(cert)} {why} : une signature faite avec lui ne se "
            "vérifierait pas ; rien n'est publié (renouvelez le certificat)"
        )
    # pyHanko does not check the key usage of a self-signed signer passed as its own root
    usage = _usage_problem(signer) if signer.self_signed == "no" else ""
    problem = _purpose_problem(signer) or usage
    if problem:
        raise SigningError(
            f"{p12}: certificat de signature {subject_of(signer)} {problem} : ses signatures ne "
            "se vérifieraient pas ; rien n'est publié"
        )
