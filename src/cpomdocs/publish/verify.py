"""Verification of published documents: signatures, manifest hashes, PDF/A, attached source."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from cpomdocs.build.task import DEFAULT_TIMEOUT
from cpomdocs.errors import UsageError
from cpomdocs.publish.placement import MANIFEST, PAGE
from cpomdocs.publish.rerender import check_source
from cpomdocs.publish.seal import (
    IDENTITY_KEYS,
    MANIFEST_SIGNATURE,
    OTHER_DOCUMENT,
    SealError,
    identity_of,
    manifest_signature_status,
    other_document,
    safe_member,
    sealed_identity,
    sha256_bytes,
)
from cpomdocs.publish.signing import subject_of
from cpomdocs.publish.timestamp import stamp_words, stamped_refusal, validate_stamped
from cpomdocs.publish.trust import detached_certificates
from cpomdocs.publish.verify_checks import (
    DEEP,
    NO_IDENTITY,
    Check,
    Outcome,
    VerifyReport,
    check_pdfa,
    check_signatures,
    show_identity,
    trust_roots,
    unreadable,
)

NO_MANIFEST = "manifest.json introuvable dans ce dossier"
UNSIGNED_MANIFEST = (
    f"{MANIFEST_SIGNATURE} absent : le manifeste n'est pas signé, ses entrées ne prouvent rien"
)
OUTSIDE = "chemin refusé : ce n'est pas un PDF du dossier de publication (fichier non lu)"
NOT_PDF = "ce n'est pas un PDF (en-tête %PDF- absent) : rien n'a été vérifié"
BAD_ENTRY = "entrée illisible : un objet JSON (fichier, sha256, type…) était attendu"
IDENTITY_MISMATCH = "le PDF signé dit autre chose que son entrée du manifeste"
PAGE_CHANGED = "page du portefeuille modifiée après la signature du manifeste (liens, dates…)"
PAGE_MISSING = "page du portefeuille absente alors que le manifeste signé la décrit"
PAGE_SAME = "identique à la page que décrit le manifeste signé"
PAGE_UNCOVERED = (
    "page du portefeuille non couverte par ce manifeste (publié avant qu'il la décrive) : "
    "republiez avec « cpomdocs publish » pour qu'elle le soit"
)
LINK = "lien symbolique : ce qu'il désigne n'est pas vérifié (une publication n'en a pas)"
# A signed CPOM is a few megabytes: a bigger file (a sparse 3 GB « contrat.pdf ») is not read,
# where it made verify run out of memory (« erreur interne : MemoryError »).
MAX_BYTES = {".pdf": 256 * 2**20, ".json": 64 * 2**20, ".p7s": 2**20, ".html": 64 * 2**20}
TOO_BIG = "fichier trop volumineux ({size} Mo, {limit} Mo au plus) : non lu, rien n'a été vérifié"


def read_bounded(path: Path, shown: str, report: VerifyReport) -> bytes | None:
    """The bytes of `path`, or None (a failed check) when it is bigger than its kind allows."""
    limit = MAX_BYTES.get(path.suffix, MAX_BYTES[".pdf"])
    with path.open("rb") as handle:
        data = handle.read(limit + 1)  # not stat(): the file may grow meanwhile
    if len(data) <= limit:
        return data
    size = max(path.stat().st_size, len(data)) // 2**20
    report.add(shown, "fichier", False, TOO_BIG.format(size=f"{size:,}".replace(",", "\u202f"),
                                                       limit=limit // 2**20))  # fmt: skip
    return None


# pyHanko logs a traceback for every untrusted certificate, pypdf its repairs of a damaged file
# (« incorrect startxref pointer »), both in English: the report already says it in French.
for name in ("pyhanko", "pypdf"):
    logging.getLogger(name).addHandler(logging.NullHandler())
    logging.getLogger(name).propagate = False


def check_pdf(
    data: bytes,
    shown: str,
    roots: list[Any],
    report: VerifyReport,
    render: bool = True,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> None:
    """Every check of one published PDF (its new render within `timeout` seconds)."""
    check_signatures(data, shown, roots, report)
    check_pdfa(data, shown, report)
    check_source(data, shown, report, render, timeout)


def check_identity(data: bytes, entry: dict[str, Any], shown: str, report: VerifyReport) -> None:
    """The identity sealed into the signed PDF is the one its manifest entry gives."""
    try:
        found = sealed_identity(data)
        named = other_document(data, (found or {}).get("fichier"))
    except Exception as exc:
        report.add(shown, "identité", False, f"pièces jointes illisibles : {unreadable(exc)}")
        return
    if found is None or named is not None:
        message = NO_IDENTITY if found is None else OTHER_DOCUMENT.format(named=named)
        report.add(shown, "identité", False, message)
        return
    expected = identity_of(entry)
    differing = [key for key in IDENTITY_KEYS if found.get(key) != expected.get(key)]
    if differing:
        shown_keys = ", ".join(differing)
        report.add(shown, "identité", False, f"{IDENTITY_MISMATCH} ({shown_keys})")
        return
    what = f"{found.get('type')} {found.get('contrat')} ({found.get('version')})"
    report.add(shown, "identité", True, f"scellée dans le PDF, conforme au manifeste : {what}")


def _impossible(name: str) -> bool:
    """A name no file can have: a NUL, a lone surrogate, a part over 255 bytes, or too long
    a path (open() raised « erreur interne », or stopped the whole verification)."""
    if "\0" in name or any("\ud800" <= c <= "\udfff" for c in name):
        return True
    return len(name.encode()) > 4000 or any(len(p.encode()) > 255 for p in name.split("/"))


def check_entry(
    folder: Path,
    entry: dict[str, Any],
    roots: list[Any],
    report: VerifyReport,
    render: bool = True,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> None:
    """The checks of one manifest entry: the file's hashes, then the PDF itself."""
    relative = str(entry.get("fichier", ""))
    if _impossible(relative):
        report.add(relative, "fichier", False, f"nom de fichier impossible ; {OUTSIDE}")
        return
    path = safe_member(folder, relative)
    if path is None:
        report.add(relative or "?", "fichier", False, OUTSIDE)
        return
    if not path.is_file():
        report.add(relative, "fichier", False, "listé dans le manifeste mais absent")
        return
    data = read_bounded(path, relative, report)
    if data is None:
        return
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
    check_pdf(data, relative, roots, report, render, timeout)


MAX_ENTRIES = 20_000  # 1 000 contracts of ten documents each: 10 000
TOO_MANY_ENTRIES = "{} documents listés ({} au plus) : aucun n'est vérifié"


def _unreadable_json(exc: Exception) -> str:
    """Why manifest.json could not be read, in French."""
    if isinstance(exc, json.JSONDecodeError):
        return f"JSON invalide ligne {exc.lineno}, colonne {exc.colno}"
    if isinstance(exc, UnicodeDecodeError):
        return "ce n'est pas du texte UTF-8"
    if isinstance(exc, RecursionError):  # « [[[[…]]]] » a hundred thousand times
        return DEEP
    return "une liste « documents » était attendue"


def check_manifest(folder: Path, manifest: bytes, roots: list[Any], report: VerifyReport) -> None:
    """The manifest is signed (manifest.json.p7s) by a trusted certificate: checked first."""
    signature = folder / MANIFEST_SIGNATURE
    if not signature.is_file():
        report.add(MANIFEST, "signature du manifeste", False, UNSIGNED_MANIFEST)
        return
    name = "signature du manifeste"
    signed = read_bounded(signature, MANIFEST_SIGNATURE, report)
    if signed is None:
        return
    try:
        status, stamp = validate_stamped(
            lambda signer, tsa: manifest_signature_status(manifest, signed, roots, (signer, tsa)),
            roots,
        )
    except SealError as exc:
        report.add(MANIFEST, name, False, str(exc))
        return
    subject = subject_of(status.signing_cert)
    modified = f"manifeste modifié après sa signature par {subject}"
    refused = stamped_refusal(status, stamp, modified, detached_certificates(signed))
    if refused:
        report.add(MANIFEST, name, False, refused)
        return
    words = stamp_words(stamp, status.signing_cert)
    message = f"intègre, signée par {subject}, certificat de confiance ; {words}"
    report.add(MANIFEST, "signature du manifeste", True, message)


def verify(
    path: Path, trust: list[Path], render: bool = True, timeout: float | None = DEFAULT_TIMEOUT
) -> VerifyReport:
    """Verify a publication folder (with its manifest.json) or one signed PDF; each attached
    source is rendered again within `timeout` seconds (a PDF received may carry any source)."""
    roots = trust_roots(trust)
    report = VerifyReport()
    if path.is_file():
        data = read_bounded(path, path.as_posix(), report)
        if data is None:
            return report
        if b"%PDF-" not in data[:1024]:  # where PDF readers look for the header
            report.add(path.as_posix(), "fichier", False, NOT_PDF)
            return report
        check_pdf(data, path.as_posix(), roots, report, render, timeout)
        show_identity(data, path.as_posix(), report)
        return report
    if not path.is_dir():
        raise UsageError(f"{path}: chemin introuvable")
    manifest_path = path / MANIFEST
    if not manifest_path.is_file():
        report.add(path.as_posix(), "manifeste", False, NO_MANIFEST)
        return report
    raw = read_bounded(manifest_path, MANIFEST, report)
    if raw is None:
        return report
    check_manifest(path, raw, roots, report)
    try:
        manifest = json.loads(raw.decode("utf-8"))
        entries = list(manifest["documents"])
    except (ValueError, KeyError, TypeError, RecursionError) as exc:
        report.add(MANIFEST, "manifeste", False, f"manifeste illisible : {_unreadable_json(exc)}")
        return report
    if len(entries) > MAX_ENTRIES:  # 200 000 made as many lines, the verdict lost among them
        from babel.numbers import format_decimal

        counts = (format_decimal(n, locale="fr_FR") for n in (len(entries), MAX_ENTRIES))
        report.add(MANIFEST, "manifeste", False, TOO_MANY_ENTRIES.format(*counts))
        return report
    listed = set()
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            report.add(MANIFEST, f"entrée n° {number}", False, BAD_ENTRY)
            continue
        listed.add(str(entry.get("fichier", "")))
        check_entry(path, entry, roots, report, render, timeout)
    check_unlisted(path, listed, report)
    _check_page(path, manifest, report)
    return report


def _check_page(folder: Path, manifest: Any, report: VerifyReport) -> None:
    """index.html is the page the signed manifest describes (its sha256), when it describes one."""
    page = manifest.get("page") if isinstance(manifest, dict) else None
    index = folder / PAGE
    if index.is_symlink():
        return  # refused as a link by check_unlisted
    if not isinstance(page, dict):
        if index.is_file():
            report.checks.append(Check(PAGE, "page", Outcome.SKIPPED, PAGE_UNCOVERED))
        return
    if not index.is_file():
        report.add(PAGE, "page", False, PAGE_MISSING)
        return
    data = read_bounded(index, PAGE, report)
    if data is not None:
        same = sha256_bytes(data) == page.get("sha256")
        report.add(PAGE, "page", same, PAGE_SAME if same else PAGE_CHANGED)


def check_unlisted(
    folder: Path, listed: set[str], report: VerifyReport, leaving: frozenset[Path] = frozenset()
) -> None:
    """A PDF the manifest does not list (« .PDF » too), or a symbolic link (to a folder of other
    PDFs): a web server would serve them with the publication, unverified. `leaving`: files and
    folders that go before the publication is in place (publish's staging, stale files)."""
    for item in sorted(folder.rglob("*")):
        relative = item.relative_to(folder).as_posix()
        if item in leaving or any(parent in leaving for parent in item.parents):
            continue
        if item.is_symlink():
            report.add(relative, "manifeste", False, LINK)
        elif item.suffix.lower() == ".pdf" and relative not in listed and item.is_file():
            report.add(relative, "manifeste", False, "PDF présent mais absent du manifeste")
