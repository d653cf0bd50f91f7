"""Time-stamps (RFC 3161): a TSA's token on each signature (PAdES B-T), read back by verify.

A signature without a time-stamp proves nothing about when it was made (its signing time is the
signer's own claim), so its certificate is judged now and the signature stops verifying when the
certificate expires. A valid time-stamp (token signed by a TSA that chains to a trusted root, its
message imprint matching the signature) proves that the signature existed at the token's time:
the signer's chain is then judged at that time. The token itself is judged now.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from cpomdocs.errors import UsageError
from cpomdocs.publish.signing import SigningError, subject_of

TSA_ENV = "CPOMDOCS_HORODATAGE"
TIMEOUT = 10  # seconds; a TSA answers in well under one
BAD_URL = (
    "--horodatage « {url} » : adresse d'autorité d'horodatage invalide (une URL http:// ou "
    "https:// était attendue, par exemple http://timestamp.digicert.com)"
)


class TimestampError(SigningError):
    """Raised when the time-stamping authority cannot be reached or answers no valid token."""


class TimestampRefused(Exception):
    """Raised when a TSA answers a PKIStatus other than granted, without a token (RFC 3161 §2.4.2;
    asn1crypto, and so pyHanko, cannot read such an answer: it would be said unreadable)."""

    def __init__(self, status: str, text: str):
        self.status, self.text = status, text
        super().__init__(f"refused: {status} {text}")


def _refusal(answer: bytes) -> TimestampRefused | None:
    """The refusal a TSA's answer states without a token, or None when it is not one."""
    from asn1crypto import cms, core, tsp

    class Answer(core.Sequence):
        _fields = [
            ("status", tsp.PKIStatusInfo),
            ("time_stamp_token", cms.ContentInfo, {"optional": True}),
        ]

    try:
        status = Answer.load(answer)["status"].native
    except (ValueError, TypeError, KeyError):
        return None
    if status["status"] in ("granted", "granted_with_mods"):
        return None
    text = "; ".join(status.get("status_string") or [])
    shown = "".join(c for c in text if c.isprintable())[:120]
    return TimestampRefused(str(status["status"]), shown)


def tsa_url(option: str | None) -> str | None:
    """The TSA's URL from --horodatage, else from CPOMDOCS_HORODATAGE, else None."""
    url = option or os.environ.get(TSA_ENV) or None
    if url is None:
        return None
    try:  # « http://[::1 » or a port over 65535: ValueError (« erreur interne »)
        parts = urlsplit(url)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:
        valid = False
    if not valid:
        raise UsageError(BAD_URL.format(url=shown_url(url)))
    return url


def shown_url(url: str) -> str:
    """`url` with the password of its « user:password@ » part hidden: messages reach CI logs."""
    return re.sub(r"^([^/]*//[^/@]*?:)[^/@]*@", r"\1***@", url)


_HTTP = {
    401: " (accès refusé : cette autorité demande un compte)",
    403: " (accès refusé : cette autorité demande un compte)",
    404: " (adresse introuvable sur ce serveur : vérifiez l'URL)",
    429: " (trop de demandes : réessayez plus tard)",
    500: " (erreur du serveur de l'autorité : réessayez plus tard)",
}


DOWN = "est injoignable (connexion refusée ou adresse inconnue)"


def _content_type(cause: Any) -> str:
    kind = cause.headers.get("Content-Type") if cause.headers else None
    return f"a répondu autre chose qu'un jeton d'horodatage (type {kind or 'absent'})"


def _http_status(cause: Any) -> str:
    said = _HTTP.get(500 if cause.status >= 500 else cause.status, "")
    return f"a répondu par une erreur HTTP {cause.status}{said}"


def _why(exc: BaseException, timeout: int) -> str:
    """What went wrong with a TSA, in French (aiohttp and pyHanko say it in English)."""
    import aiohttp

    causes = []
    while exc is not None and len(causes) < 5:
        causes.append(exc)
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    # pyHanko's TimestampRequestError is an OSError: the most precise cause is looked for first
    for kinds, said in (
        (aiohttp.ContentTypeError, _content_type),
        (aiohttp.ClientResponseError, _http_status),
        (asyncio.TimeoutError | TimeoutError, lambda _: f"n'a pas répondu en {timeout} s"),
        (aiohttp.ClientConnectionError | ConnectionError | socket.gaierror, lambda _: DOWN),
    ):
        found = next((cause for cause in causes if isinstance(cause, kinds)), None)
        if found is not None:
            return said(found)
    refused = next((cause for cause in causes if isinstance(cause, TimestampRefused)), None)
    if refused is not None:
        text = f" : « {refused.text} »" if refused.text else ""
        return f"a refusé la demande d'horodatage (statut « {refused.status} »{text})"
    message = " ".join(str(cause) for cause in causes)
    if "refused our request" in message:
        return "a refusé la demande d'horodatage (statut PKI autre que « granted »)"
    if "nonce" in message:
        return "a renvoyé un jeton qui ne répond pas à cette demande (nonce différent)"
    return "a répondu par une réponse illisible (ce n'est pas une réponse RFC 3161)"


def timestamper(url: str, timeout: int | None = None) -> Any:
    """A pyHanko time-stamper for `url` whose every failure is a TimestampError in French
    (`timeout`: seconds to wait for an answer, TIMEOUT by default)."""
    from pyhanko.sign.timestamps import HTTPTimeStamper

    timeout = timeout or TIMEOUT

    class FrenchTimeStamper(HTTPTimeStamper):
        """pyHanko's HTTP client; any failure said once, in French, naming the TSA."""

        async def async_request_tsa_response(self, req: Any) -> Any:
            """The TSA's answer; a refusal without a token raised as TimestampRefused."""
            response = await super().async_request_tsa_response(req)
            refused = _refusal(response.dump())
            if refused is not None:
                raise refused
            return response

        async def async_timestamp(self, message_digest: bytes, md_algorithm: str) -> Any:
            """A token for `message_digest`, or TimestampError."""
            try:
                return await super().async_timestamp(message_digest, md_algorithm)
            except Exception as exc:
                why = _why(exc, timeout)
                raise TimestampError(
                    f"horodatage : l'autorité {shown_url(url)} {why} ; rien n'est publié"
                ) from exc

    return FrenchTimeStamper(url, timeout=timeout)


def probe(stamper: Any) -> None:
    """Ask the TSA for one token before anything is signed or written (TimestampError)."""
    asyncio.run(stamper.async_dummy_response("sha256"))


@dataclass(frozen=True)
class Stamp:
    """A signature's time-stamp: when, by whom, and why it is refused ("" when it holds)."""

    when: dt.datetime
    tsa: str
    problem: str = ""


def read_stamp(status: Any) -> Stamp | None:
    """The time-stamp of a pyHanko signature status (judged now), or None when it has none."""
    from cpomdocs.publish.trust import root_out_of_dates, trust_problem

    token = getattr(status, "timestamp_validity", None)
    if token is None:
        return None
    tsa = subject_of(token.signing_cert)
    when = token.timestamp
    if not token.intact:
        problem = (
            "jeton d'horodatage étranger à cette signature ou modifié (son empreinte ne "
            "correspond pas à la signature)"
        )
    elif not token.valid:
        problem = "la signature du jeton d'horodatage est invalide (jeton altéré ou contrefait)"
    elif not token.trusted:
        problem = f"certificat de l'autorité d'horodatage {tsa} {trust_problem(token)}"
    else:
        root = root_out_of_dates(token)
        problem = f"certificat de l'autorité d'horodatage {tsa} {root}" if root else ""
    return Stamp(when, tsa, f"horodatage refusé : {problem}" if problem else "")


def _context(roots: list[Any], moment: dt.datetime | None = None) -> Any:
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(trust_roots=roots, allow_fetching=False, moment=moment)


def validate_stamped(
    validate: Callable[[Any, Any], Any], roots: list[Any]
) -> tuple[Any, Stamp | None]:
    """A signature's status and its time-stamp; with a valid time-stamp, the signer's chain is
    judged at the time-stamp's time. `validate(signer_context, tsa_context)` runs pyHanko."""
    status = validate(_context(roots), _context(roots))
    stamp = read_stamp(status)
    if stamp is None or stamp.problem or not (status.intact and status.valid):
        return status, stamp
    return validate(_context(roots, stamp.when), _context(roots)), stamp


def stamp_words(stamp: Stamp | None, signing_cert: Any) -> str:
    """What verify says of a signature's time-stamp, after « certificat de confiance »."""
    from cpomdocs.fmt import date_fr
    from cpomdocs.publish.trust import cert_dates

    if stamp is None:
        return "non horodatée"
    when = stamp.when.astimezone(dt.UTC)
    said = f"signée le {date_fr(when)} à {when:%H} h {when:%M} UTC (horodatage de {stamp.tsa})"
    end = cert_dates(signing_cert)[1]
    if end < dt.datetime.now(dt.UTC):
        said += f" ; certificat expiré depuis le {date_fr(end)}, valide à cette date"
    return said


def stamped_refusal(status: Any, stamp: Stamp | None, modified: str, certificates: Any) -> str:
    """Why a signature is refused, its time-stamp's problem first (an expired certificate with
    a forged time-stamp is said « horodatage refusé », not « sans horodatage »), or ""."""
    from cpomdocs.publish.trust import refusal

    if stamp is not None and stamp.problem and status.intact and status.valid:
        return stamp.problem
    return refusal(status, modified, certificates, stamp.when if stamp else None)
