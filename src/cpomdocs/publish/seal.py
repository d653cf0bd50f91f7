"""What ties a publication together: the identity sealed into each signed PDF, and the manifest's
own signature.

Each PDF receives, just before it is signed, an embedded file cpomdocs-publication.json saying
which file of which contract it is (type, version, commit, sources, unsigned bytes): the PAdES
signature covers it, so a PDF moved to another entry, or an entry edited, no longer matches.
The manifest is signed with the same key as a detached CMS signature (manifest.json.p7s): an
entry added, edited or deleted (a withdrawn document) breaks it.

What a published PDF carries: the digests and commits of its sources, its attached files.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import io
import json
import logging
import re
from pathlib import Path, PurePosixPath
from typing import Any

from cpomdocs.errors import CpomError
from cpomdocs.gitinfo import file_commit
from cpomdocs.publish.attached import (  # noqa: F401  (read from here by callers)
    IDENTITY_NAME,
    MAX_SOURCE_BYTES,
    SOURCE_SUFFIXES,
    attached_identity,
    attached_source,
    attachments,
)


def sha256_bytes(data: bytes) -> str:
    """The sha256 of `data`, in hex."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """The sha256 of a file's content, in hex."""
    return sha256_bytes(path.read_bytes())


def source_entry(path: Path, root: Path) -> dict[str, Any]:
    """A manifest entry for one source file: its path, sha256 and commit."""
    try:
        shown = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        shown = path.as_posix()
    return {"chemin": shown, "sha256": sha256_file(path), "commit": file_commit(path)}


OTHER_DOCUMENT = "ce PDF est celui d'un autre document (sa source jointe dit « {named} »)"


def other_document(pdf: bytes, relative: object) -> str | None:
    """The document (« contrat/document ») that a PDF's attached source names when it is not the
    one at `relative` (« contrat/document.pdf »): a PDF copied over another one; else None."""
    from cpomdocs.build.provenance import PROVENANCE_FORMAT

    attached = attached_source(pdf)
    if attached is None or attached[1].get("format") != PROVENANCE_FORMAT:
        return None
    named = f"{attached[1].get('contrat')}/{attached[1].get('document')}"
    return None if f"{named}.pdf" == relative else named


def pdf_keywords(pdf: bytes) -> str:
    """The Keywords entry of a PDF's document information, "" when it has none."""
    from pypdf import PdfReader

    info = PdfReader(io.BytesIO(pdf)).metadata
    return str(info.get("/Keywords", "")) if info else ""


IDENTITY_FORMAT = "cpomdocs-publication/1"
IDENTITY_KEYS = ("fichier", "type", "contrat", "version", "commit", "sources", "non_signe")
MANIFEST_SIGNATURE = "manifest.json.p7s"
NO_ATTACHMENTS = "ce PDF n'a pas de pièces jointes : son identité ne peut y être scellée"


class SealError(CpomError):
    """Raised when an identity cannot be sealed into a PDF, or a manifest signature read."""


def identity_of(entry: dict[str, Any]) -> dict[str, Any]:
    """The part of a manifest entry that its PDF carries inside its signed content."""
    return {"format": IDENTITY_FORMAT, **{key: entry.get(key) for key in IDENTITY_KEYS}}


def embed_identity(writer: Any, identity: dict[str, Any], when: dt.datetime) -> None:
    """Add the identity as an associated file (PDF/A-3: /AFRelationship, catalog /AF) to a
    pyHanko incremental writer, keeping the embedded files' name tree sorted."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.embed import EmbeddedFileObject, EmbeddedFileParams

    data = json.dumps(identity, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")
    params = EmbeddedFileParams(creation_date=when, modification_date=when)
    stream = EmbeddedFileObject.from_file_data(
        writer, data, params=params, mime_type="application/json"
    )
    name = generic.pdf_string(IDENTITY_NAME)
    spec = generic.DictionaryObject(
        {
            generic.pdf_name("/Type"): generic.pdf_name("/Filespec"),
            generic.pdf_name("/F"): name,
            generic.pdf_name("/UF"): name,
            generic.pdf_name("/EF"): generic.DictionaryObject(
                {generic.pdf_name("/F"): stream.ef_stream_ref}
            ),
            generic.pdf_name("/Desc"): generic.TextStringObject("Identité du document publié"),
            generic.pdf_name("/AFRelationship"): generic.pdf_name("/Data"),
        }
    )
    spec_ref = writer.add_object(spec)
    root = writer.root
    try:
        tree = root["/Names"]["/EmbeddedFiles"]
        names = tree["/Names"]
    except KeyError:
        raise SealError(NO_ATTACHMENTS) from None
    pairs = [(str(names[i]), names.raw_get(i + 1)) for i in range(0, len(names), 2)]
    pairs = sorted([*[p for p in pairs if p[0] != IDENTITY_NAME], (IDENTITY_NAME, spec_ref)])
    tree["/Names"] = generic.ArrayObject(
        [item for key, ref in pairs for item in (generic.pdf_string(key), ref)]
    )
    writer.update_container(tree)
    associated = root["/AF"] if "/AF" in root else generic.ArrayObject()
    kept = [associated.raw_get(i) for i in range(len(associated))]
    root["/AF"] = generic.ArrayObject([*kept, spec_ref])
    writer.update_root()


def sealed_identity(pdf: bytes) -> dict[str, Any] | None:
    """The identity a signed PDF carries, or None."""
    data = attached_identity(pdf)
    if data is None:
        return None
    try:
        found = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return found if isinstance(found, dict) and found.get("format") == IDENTITY_FORMAT else None


# pyHanko logs a traceback for every certificate it cannot place (the time-stamping authority's,
# when publish checks the previous manifest with the key's own chain only): said otherwise here.
for _name in ("pyhanko", "pypdf"):  # pypdf: « EOF marker not found » on a truncated build PDF
    logging.getLogger(_name).addHandler(logging.NullHandler())
    logging.getLogger(_name).propagate = False


def sign_manifest(manifest: bytes, signer: Any, timestamper: Any = None) -> bytes:
    """A detached CMS signature (DER) of the manifest's bytes, made with the publication key
    (time-stamped by `timestamper` if any)."""
    signed = asyncio.run(
        signer.async_sign_general_data(manifest, "sha256", detached=True, timestamper=timestamper)
    )
    return signed.dump()


def manifest_signature_status(
    manifest: bytes, signature: bytes, roots: list[Any], contexts: tuple[Any, Any] | None = None
) -> Any:
    """pyHanko's status of a detached signature of `manifest` (intact, valid, trusted, signer),
    judged with `contexts` (signer's, time-stamp's) if given; SealError when it cannot be read."""
    from asn1crypto import cms
    from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
    from pyhanko_certvalidator import ValidationContext

    try:
        info = cms.ContentInfo.load(signature)
        extra = len(signature) - len(info.dump())
    except Exception as exc:
        raise SealError(f"signature du manifeste illisible ({type(exc).__name__})") from exc
    if extra:  # asn1crypto reads the DER and leaves what follows: an altered file is not it
        raise SealError(f"signature du manifeste altérée : {extra} octets ajoutés après elle")
    try:
        signed_data = info["content"]
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        signer, stamp = contexts or (context, context)
        return asyncio.run(async_validate_detached_cms(manifest, signed_data, signer, stamp))
    except Exception as exc:
        raise SealError(f"signature du manifeste illisible ({type(exc).__name__})") from exc


def safe_member(folder: Path, relative: str) -> Path | None:
    """`folder / relative` when it names a PDF inside the publication folder, else None."""
    path = PurePosixPath(relative)
    if (
        not relative
        or path.is_absolute()
        or ".." in path.parts
        or "\\" in relative
        or path.suffix != ".pdf"
    ):
        return None
    target = folder / path
    return target if target.resolve().is_relative_to(folder.resolve()) else None


PREVIOUS_CHANGED = (
    "{path}: manifeste {what} : la publication a été changée hors de cpomdocs ; rien n'est "
    "publié, pour ne pas signer de nouveau ce qu'elle liste. Vérifiez-la (cpomdocs verify), puis "
    "restaurez-la ou videz ce dossier pour tout republier"
)


def check_previous_manifest(folder: Path, signer: Any) -> None:
    """The manifest already in a publication folder still carries its signature by this key's
    chain: publish keeps some of its entries and signs them anew, so an entry edited, added or
    withdrawn by hand would otherwise come out signed. SealError when it does not."""
    manifest, signature = folder / "manifest.json", folder / MANIFEST_SIGNATURE
    if not manifest.is_file():
        return
    if not signature.is_file():
        raise SealError(PREVIOUS_CHANGED.format(path=manifest, what=f"sans {MANIFEST_SIGNATURE}"))
    roots = [signer.signing_cert, *list(signer.cert_registry)]
    status = manifest_signature_status(manifest.read_bytes(), signature.read_bytes(), roots)
    if not (status.intact and status.valid):
        what = f"modifié depuis sa signature ({MANIFEST_SIGNATURE})"
        raise SealError(PREVIOUS_CHANGED.format(path=manifest, what=what))
    if not status.trusted:
        what = "signé par un certificat étranger à cette clé et à sa chaîne"
        raise SealError(PREVIOUS_CHANGED.format(path=manifest, what=what))


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
