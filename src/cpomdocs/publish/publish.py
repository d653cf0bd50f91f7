"""Publication: sign the PDF/A of every signed document, list them in manifest.json."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cpomdocs.build.cache import CACHE_FILE, output_lock
from cpomdocs.build.cache_shape import recorded_digests
from cpomdocs.build.portfolio import portfolio_page
from cpomdocs.build.provenance import contract_sources, document_reads
from cpomdocs.data.folders import check_apart, find_contract_folders
from cpomdocs.data.validate import check_folder, meetings_to_come
from cpomdocs.errors import Problem, Severity, UsageError
from cpomdocs.gitinfo import head_commit
from cpomdocs.publish.placement import (
    MANIFEST,
    PAGE,
    kept_entries,
    move_into_place,
    remove_stale,
    staging_folder,
)
from cpomdocs.publish.publishable import (
    Publishable,
    publishable_documents,
)
from cpomdocs.publish.seal import (
    MANIFEST_SIGNATURE,
    attached_source,
    check_previous_manifest,
    identity_of,
    sha256_bytes,
    sign_manifest,
    source_entry,
)
from cpomdocs.publish.signing import SigningKey, load_key, sign_pdf
from cpomdocs.publish.staged import verify_staged
from cpomdocs.publish.timestamp import probe, timestamper
from cpomdocs.publish.trust import check_signing_key
from cpomdocs.publish.unsigned import NO_BUILD_CACHE, check_built, check_unsigned
from cpomdocs.publish.verify_checks import VerifyReport
from cpomdocs.write import (
    missing_folders,
    remove_empty,
    signals_deferred,
    write_bytes_atomic,
    write_text_atomic,
)

MANIFEST_FORMAT = "cpomdocs-manifeste/1"
NOT_COMMITTED = "fichier source non commité : le manifeste ne peut pas citer son commit"
NOT_BUILT = "PDF introuvable : lancez d'abord « cpomdocs build »"
SAME_FOLDER = "le dossier de publication doit être distinct du dossier de build"
INVALID_CONTRACT = (
    "contrat invalide : rien n'est publié (corrigez d'abord les erreurs de validation)"
)


@dataclass
class PublishReport:
    """What a publication did: files signed, drafts left out, problems per contract."""

    published: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    manifest: Path | None = None
    verification: VerifyReport | None = None  # with trust roots: the staged publication's

    @property
    def failed(self) -> bool:
        """True when at least one signed document could not be published."""
        return any(p.is_error for p in self.problems)

    @property
    def refused(self) -> bool:
        """True when the staged publication did not verify: nothing was put in place."""
        return self.verification is not None and bool(self.verification.failed)


def publish_document(
    doc: Publishable,
    build_dir: Path,
    out_dir: Path,
    key: SigningKey,
    repo_root: Path,
    current: dict[str, str],
    commit: str | None = None,
    stamper: Any = None,
    built: dict[str, str] | None = None,
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Sign one document's PDF into `out_dir`; its manifest entry, or the problems met.

    `current` is the text of the data files it is made from, now: a PDF built from other text
    is stale. `commit` is the repository's commit being published, sealed into the PDF with its
    entry; `stamper`, a time-stamping authority's client, time-stamps the signature. `built`:
    the sha256 of each PDF as the build wrote it (its cache), when known: a PDF edited since
    is refused.
    """
    source_pdf = build_dir / doc.relative
    shown = source_pdf.as_posix()
    if not source_pdf.is_file():
        return None, [Problem(shown, 0, 0, "", NOT_BUILT)]
    unsigned = source_pdf.read_bytes()
    problems = check_unsigned(unsigned, shown, current, doc.relative)
    problems = problems or check_built(unsigned, shown, doc.relative, built)
    if any(problem.is_error for problem in problems):
        return None, problems
    reason = f"Publication du {doc.kind} {doc.contract_id} ({doc.version})"
    attached = attached_source(unsigned)
    entry: dict[str, Any] = {
        "fichier": doc.relative,
        "type": doc.kind,
        "contrat": doc.contract_id,
        "version": doc.version,
        "commit": commit,
        "sources": [source_entry(path, repo_root) for path in doc.sources],
        "source_jointe": attached[0] if attached else None,
        "non_signe": {"sha256": sha256_bytes(unsigned), "octets": len(unsigned)},
        "signataire": key.subject,
    }
    identity = identity_of(entry)
    signed = sign_pdf(unsigned, key, reason, doc.location, identity, stamper)
    write_bytes_atomic(out_dir / doc.relative, signed)
    return {"fichier": doc.relative, "sha256": sha256_bytes(signed), **entry}, problems


def _uncommitted(entry: dict[str, Any]) -> list[Problem]:
    return [
        Problem(source["chemin"], 0, 0, "", NOT_COMMITTED, Severity.WARNING)
        for source in entry["sources"]
        if source["commit"] is None
    ]


def publish(
    build_dir: Path,
    out_dir: Path,
    p12_path: Path,
    password: str,
    contracts: list[Path] | None = None,
    repo_root: Path | None = None,
    tsa: str | None = None,
    roots: list[Any] | None = None,
) -> PublishReport:
    """Sign every signed document built in `build_dir` into `out_dir`, with manifest.json;
    each signature time-stamped by the authority at URL `tsa`, if given. With trust `roots`,
    the new publication is verified before it replaces the previous one (report.refused)."""
    if out_dir.resolve() == build_dir.resolve():
        raise UsageError(SAME_FOLDER)
    key = load_key(p12_path, password)
    check_signing_key(key, p12_path)  # out of its dates or not for documents: all would fail
    stamper = timestamper(tsa) if tsa else None
    if stamper is not None:
        probe(stamper)  # an authority that is down is said before anything is written
    sources = contracts or [Path("contracts")]
    repo_root = repo_root or Path.cwd()
    report = PublishReport()
    paths = find_contract_folders(sources)
    check_apart(out_dir, paths)  # signed PDFs among the sources would enter their git history
    folders = [check_folder(path) for path in paths]
    commit = head_commit(repo_root)
    check_previous_manifest(out_dir, key.signer)  # its entries are kept and signed anew
    created = missing_folders(out_dir)  # the folders this run makes: removed again if it fails
    placed = False
    try:  # two publishes at once: each took the other's staging folder for a killed run's
        with output_lock(out_dir, leave=False):
            staging = staging_folder(out_dir)
            try:
                signing = (key, stamper, roots)
                placed = _publish_all(
                    folders, build_dir, out_dir, staging, signing, repo_root, commit, report
                )
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    finally:  # the lock file gone: the folders this run made are empty again unless placed
        if not placed:
            remove_empty(created)
    return report


def _publish_all(
    folders: list[Any],
    build_dir: Path,
    out_dir: Path,
    staging: Path,
    signing: tuple[SigningKey, Any, list[Any] | None],
    repo_root: Path,
    commit: str | None,
    report: PublishReport,
) -> bool:
    """Sign every publishable document into `staging` (with `signing`: the key, the time-stamp
    client or None, the trust roots or None), verify them with the roots if given, then put
    them and the manifest in place; False when the verification failed (nothing moved)."""
    key, stamper, roots = signing
    built = recorded_digests(build_dir / CACHE_FILE)  # the PDFs' sha256 as the build wrote them
    if built is None:
        report.problems.append(Problem(str(build_dir / CACHE_FILE), 0, 0, "", NO_BUILD_CACHE,
                                       Severity.WARNING))  # fmt: skip
    entries: list[dict[str, Any]] = []
    failed: set[str] = set()  # documents not signed this time: their last signed version stays
    for folder in folders:
        if not folder.ok:
            report.problems.append(Problem(str(folder.contract.path), 0, 0, "", INVALID_CONTRACT))
            continue
        report.problems.extend(meetings_to_come(folder))  # approved, then signed and published
        documents, skipped = publishable_documents(folder)
        report.skipped.extend(skipped)
        sources_now = contract_sources(folder.folder)
        for doc in documents:
            name = doc.relative.removeprefix(f"{doc.contract_id}/").removesuffix(".pdf")
            read = document_reads(folder, name)  # what the build attached to this document
            current = {k: v for k, v in sources_now.items() if k in read}
            entry, problems = publish_document(
                doc, build_dir, staging, key, repo_root, current, commit, stamper, built
            )
            report.problems.extend(problems)
            if entry is None:
                failed.add(doc.relative)
            else:
                entries.append(entry)
                report.published.append(out_dir / doc.relative)
                report.problems.extend(_uncommitted(entry))
    report.problems = sorted(set(report.problems))  # a source shared by documents: said once
    signed = {e["fichier"] for e in entries}
    entries += kept_entries(out_dir, failed, {f.id for f in folders if f.ok})
    manifest = {
        "format": MANIFEST_FORMAT,
        "publie_le": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "commit": commit,
        "signataire": key.subject,
        "documents": sorted(entries, key=lambda e: e["fichier"]),
    }
    # the page links only the manifest's documents, and is signed with it (its sha256)
    page = portfolio_page(folders, out_dir, files={e["fichier"] for e in entries})
    manifest["page"] = {"fichier": PAGE, "sha256": sha256_bytes(page.encode("utf-8"))}
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    signature = sign_manifest(text.encode("utf-8"), key.signer, stamper)
    if roots is not None:  # verified where it lies: a failure leaves the last one in place
        staged = (text, signature)
        report.verification = verify_staged(staging, out_dir, staged, entries, signed, roots)
        if report.refused:
            return False
    with signals_deferred():  # the PDFs, the manifest and its signature land together
        move_into_place(staging, out_dir, signed)
        report.removed = remove_stale(out_dir, {e["fichier"] for e in entries})
        report.manifest = write_text_atomic(out_dir / MANIFEST, text)
        write_bytes_atomic(out_dir / MANIFEST_SIGNATURE, signature)
        write_text_atomic(out_dir / PAGE, page)
    return True
