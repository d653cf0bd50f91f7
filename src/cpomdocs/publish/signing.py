"""PAdES signatures with pyHanko: load a PKCS#12 key, sign a PDF/A in an incremental update."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cpomdocs.errors import CpomError, UsageError

P12_ENV = "CPOMDOCS_P12"
PASSWORD_ENV = "CPOMDOCS_P12_PASSWORD"
TRUST_ENV = "CPOMDOCS_TRUST"
FIELD_NAME = "Signature1"
XMP_EQUIVALENTS = {
    "/Title": "dc:title",
    "/Author": "dc:creator",
    "/Subject": "dc:description",
    "/Keywords": "pdf:Keywords",
    "/Creator": "xmp:CreatorTool",
    "/Producer": "pdf:Producer",
    "/CreationDate": "xmp:CreateDate",
    "/ModDate": "xmp:ModifyDate",
}

_PDFAID = re.compile(rb'pdfaid:(part|conformance)\s*(?:=\s*"([^"]*)"|>([^<]*)<)')


class SigningError(CpomError):
    """Raised when a key cannot be loaded or a PDF cannot be signed."""

    exit_code = 1


@dataclass(frozen=True)
class SigningKey:
    """A loaded signing key: pyHanko's signer and its certificate's subject, for people."""

    signer: Any  # pyhanko.sign.signers.SimpleSigner
    subject: str


def key_options(p12: Path | None, password: str | None) -> tuple[Path, str]:
    """The PKCS#12 path and password from the options, else from the environment."""
    path = p12 or (Path(os.environ[P12_ENV]) if os.environ.get(P12_ENV) else None)
    if path is None:
        raise UsageError(
            f"aucune clé de signature : passez --p12 FICHIER.p12 ou la variable {P12_ENV}"
        )
    if password is None:
        password = os.environ.get(PASSWORD_ENV)
    if password is None:
        raise UsageError(
            f"aucun mot de passe pour {path} : passez --password ou la variable {PASSWORD_ENV}"
        )
    return path, password


MAX_KEY_BYTES = 2**20  # a PKCS#12 or a chain of certificates is a few kilobytes


def read_small(path: Path, what: str) -> bytes:
    """The bytes of a key or certificate file; refused when it is not a regular file, or too big
    for one (a disk image given by mistake was read whole: « erreur interne : MemoryError »)."""
    if not path.is_file() and path.exists():
        raise UsageError(f"{path}: ce n'est pas un fichier ordinaire (dossier, périphérique, "
                         f"tube nommé…) : un {what} était attendu")  # fmt: skip
    if not path.is_file():
        raise UsageError(f"{path}: {what} introuvable")
    with path.open("rb") as handle:
        data = handle.read(MAX_KEY_BYTES + 1)
    if len(data) > MAX_KEY_BYTES:
        raise UsageError(f"{path}: {what} trop volumineux (1 Mo au plus) : est-ce le bon fichier ?")
    return data


def load_key(p12_path: Path, password: str) -> SigningKey:
    """Load a PKCS#12 file (key, certificate and its chain) for signing."""
    from pyhanko.sign import signers

    data = read_small(p12_path, "fichier PKCS#12")
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(data, [], password.encode("utf-8"))
    except ValueError as exc:
        raise SigningError(
            f"{p12_path}: impossible d'ouvrir la clé PKCS#12 (mot de passe incorrect "
            "ou fichier invalide)"
        ) from exc
    return SigningKey(signer, subject_of(signer.signing_cert))


def subject_of(cert: Any) -> str:
    """An asn1crypto certificate's subject as an RFC 4514 string (« CN=…,O=…,C=FR »)."""
    from cryptography import x509

    return x509.load_der_x509_certificate(cert.dump()).subject.rfc4514_string()


def sign_pdf(
    pdf: bytes,
    key: SigningKey,
    reason: str,
    location: str = "",
    identity: dict[str, Any] | None = None,
    timestamper: Any = None,
) -> bytes:
    """Sign `pdf` (PAdES B-B, SHA-256; B-T with a `timestamper`) in an incremental update that
    keeps it a valid PDF/A; `identity` is first embedded in that update, so that the signature
    covers it."""
    from pyhanko.pdf_utils.generic import TextStringObject
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.metadata.model import VENDOR
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    # pyHanko appends itself to the Info /Producer but writes only itself into the XMP
    # pdf:Producer: PDF/A wants both equal, so the Info entry is set to what the XMP will say.
    info_ref = writer.trailer.raw_get("/Info") if "/Info" in writer.trailer else None
    if info_ref is not None:
        info = info_ref.get_object()
        info["/Producer"] = TextStringObject(VENDOR)
        writer.mark_update(info_ref)
    if identity is not None:
        from cpomdocs.publish.seal import embed_identity

        embed_identity(writer, identity, _creation_date(pdf))
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location or None,
    )
    output = io.BytesIO()
    try:
        _pdfa_signer(meta, key.signer, timestamper).sign_pdf(writer, output=output)
    except SigningError:  # the time-stamping authority's failure, said in French
        raise
    except Exception as exc:  # pyHanko raises many kinds on a malformed PDF
        raise SigningError(f"la signature du PDF a échoué : {exc}") from exc
    return output.getvalue()


def _creation_date(pdf: bytes) -> dt.datetime:
    """The PDF's own creation date (the identity's date: no clock in what is signed)."""
    from pypdf import PdfReader

    info = PdfReader(io.BytesIO(pdf)).metadata
    found = info.creation_date if info is not None else None
    return found or dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _pdfa_signer(meta: Any, signer: Any, timestamper: Any = None) -> Any:
    """A pyHanko PdfSigner that never raises the PDF version above 1.7.

    With an ECDSA or EdDSA key pyHanko registers ISO/TS 32002 and declares PDF 2.0 in the
    catalog; PDF/A-3 rests on PDF 1.7, so only the ESIC (PAdES, base 1.7) extension is kept.
    """
    from pyhanko.sign import fields, signers
    from pyhanko.sign.signers import constants

    class PdfASigner(signers.PdfSigner):
        """pyHanko's signer, with only the PAdES (ESIC) extension."""

        def register_extensions(self, pdf_out: Any, *, md_algorithm: str) -> None:
            """Declare ESIC on PDF 1.7, never ISO/TS 32002 and PDF 2.0."""
            if self.signature_meta.subfilter == fields.SigSeedSubFilter.PADES:
                pdf_out.ensure_output_version(version=(1, 7))
                pdf_out.register_extension(constants.ESIC_EXTENSION_1)

    return PdfASigner(meta, signer, timestamper=timestamper)


def declared_version(pdf: bytes) -> str:
    """The PDF version a reader applies: the catalog's /Version if any, else the header's."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    catalog_version = reader.trailer["/Root"].get("/Version")
    if catalog_version is not None:
        return str(catalog_version).lstrip("/")
    return reader.pdf_header.removeprefix("%PDF-")


def pdfa_identification(pdf: bytes) -> tuple[str, str] | None:
    """The (part, conformance) of the XMP metadata of the last revision, or None."""
    xmp = xmp_of(pdf)
    if xmp is None:
        return None
    found = {
        m.group(1).decode(): (m.group(2) or m.group(3) or b"").decode()
        for m in _PDFAID.finditer(xmp)
    }
    if "part" not in found:
        return None
    return found["part"], found.get("conformance", "")


def xmp_of(pdf: bytes) -> bytes | None:
    """The XMP metadata stream of the document catalog (last revision), or None."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    metadata = reader.trailer["/Root"].get("/Metadata")
    return None if metadata is None else metadata.get_object().get_data()


def _xmp_values(xmp: Any) -> dict[str, Any]:
    def first(value: Any) -> Any:
        """The x-default of a language alternative, the items of a sequence, or the value."""
        if isinstance(value, dict):
            return value.get("x-default")
        if isinstance(value, list):
            return ", ".join(value) if value else None
        return value

    return {
        "/Title": first(xmp.dc_title),
        "/Author": first(xmp.dc_creator),
        "/Subject": first(xmp.dc_description),
        "/Keywords": xmp.pdf_keywords,
        "/Creator": xmp.xmp_creator_tool,
        "/Producer": xmp.pdf_producer,
        "/CreationDate": xmp.xmp_create_date,
        "/ModDate": xmp.xmp_modify_date,
    }


def metadata_mismatches(pdf: bytes) -> list[str]:
    """Info entries whose XMP equivalent is missing or different, which PDF/A forbids."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    info, xmp = reader.metadata, reader.xmp_metadata
    if info is None or xmp is None:  # no XMP at all: the PDF/A identification is lost anyway
        return []
    expected = _xmp_values(xmp)
    dates = {"/CreationDate": info.creation_date, "/ModDate": info.modification_date}
    found = []
    for key, xmp_value in XMP_EQUIVALENTS.items():
        if key not in info:
            continue
        value: Any = info[key]
        if key in dates:
            value = dates[key]
            value = value.astimezone(dt.UTC).replace(tzinfo=None) if value else None
        else:
            value = str(value)
        if expected.get(key) != value:
            found.append(f"Info {key} « {value} » ≠ XMP {xmp_value} « {expected.get(key)} »")
    return found


def load_trust_roots(path: Path) -> list[Any]:
    """The trust roots of a file as pyHanko wants them (asn1crypto certificates): one in DER or
    PEM, or several in PEM (a chain file, root and intermediates, was « illisible »)."""
    from pyhanko.keys import load_certs_from_pemder_data

    data = read_small(path, "certificat de confiance")
    try:
        roots = list(load_certs_from_pemder_data(data))
    except Exception as exc:
        raise UsageError(f"{path}: certificat illisible (PEM ou DER attendu)") from exc
    if not roots:
        raise UsageError(f"{path}: certificat illisible (PEM ou DER attendu)")
    return roots
