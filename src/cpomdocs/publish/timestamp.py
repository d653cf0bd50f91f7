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


def tsa_url(option: str | None) -> str | None:
    """The TSA's URL from --horodatage, else from CPOMDOCS_HORODATAGE, else None."""
    url = option or os.environ.get(TSA_ENV) or None
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(BAD_URL.format(url=url))
    return url


def _why(exc: BaseException, timeout: int) -> str:
    """What went wrong with a TSA, in French (aiohttp and pyHanko say it in English)."""
    import aiohttp

    causes = []
    while exc is not None and len(causes) < 5:
        causes.append(exc)
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    for cause in causes:
        if isinstance(cause, aiohttp.ContentTypeError):
            kind = cause.headers.get("Content-Type") if cause.headers else None
            return f"a répondu autre chose qu'un jeton d'horodatage (type {kind or 'absent'})"
        if isinstance(cause, aiohttp.ClientResponseError):
            return f"a répondu par une erreur HTTP {cause.status}"
        if isinstance(cause, asyncio.TimeoutError | TimeoutError):
            return f"n'a pas répondu en {timeout} s"
        if isinstance(cause, aiohttp.ClientConnectionError | OSError):
            return "est injoignable (connexion refusée ou adresse inconnue)"
    message = str(causes[0])
    if "refused our request" in message:
        return "a refusé la demande d'horodatage"
    if "nonce" in message:
        return "a renvoyé un jeton qui ne répond pas à cette demande (nonce différent)"
    return "a répondu par une réponse illisible (ce n'est pas une réponse RFC 3161)"


def timestamper(url: str, timeout: int = TIMEOUT) -> Any:
    """A pyHanko time-stamper for `url` whose every failure is a TimestampError in French."""
    from pyhanko.sign.timestamps import HTTPTimeStamper

    class FrenchTimeStamper(HTTPTimeStamper):
        """pyHanko's HTTP client; any failure said once, in French, naming the TSA."""

        async def async_timestamp(self, message_digest: bytes, md_algorithm: str) -> Any:
            """A token for `message_digest`, or TimestampError."""
            try:
                return await super().async_timestamp(message_digest, md_algorithm)
            except Exception as exc:
                why = _why(exc, timeout)
                raise TimestampError(
                    f"horodatage : l'autorité {url} {why} ; rien n'est publié"
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
