"""The DOCX cpomdocs built: the contract folder at the commit a returned DOCX names, rebuilt.

The folder is taken out of git (`git show` of each file of the commit) into a temporary folder,
checked against the sources digest the DOCX carries, validated, composed and rendered again; the
writer tells what each bookmark marks.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cpomdocs.errors import UsageError
from cpomdocs.wordback.read import WordbackError, WordDocument, read_docx_bytes

IMPORTABLE = ("contrat", "annexes", "contrat-consolide", "annexes-consolidees")
CONSOLIDATED = ("contrat-consolide", "annexes-consolidees")
_COMMIT = re.compile(r"^[0-9a-f]{7,64}$")
BASELINE_DATE = "2000-01-01T00:00:00Z"  # the text does not depend on it
REQUIRED = ("cpomdocs.contrat", "cpomdocs.document", "cpomdocs.commit")


@dataclass
class Baseline:
    """The document as cpomdocs built it, with its bookmarks and the data it shows."""

    document: WordDocument
    bindings: dict[str, str]
    data: dict[str, Any]  # the contract file's data at the commit (without its empreinte)
    contract_text: str  # the contract file's text at the commit
    text_digest: str = ""  # the words of the rebuilt document (render.docx.TEXT_DIGEST)
    avenants_in_force: int = 0  # signed avenants the document does not show (contrat, annexes)


def check_origin(properties: dict[str, str], docx: Path, folder: Path) -> None:
    """Refuse a DOCX that cpomdocs did not make, or made for another contract or document."""
    if not all(properties.get(name) for name in REQUIRED):
        raise WordbackError(
            f"{docx} : ce document n'a pas été produit par cpomdocs (ses propriétés "
            "« cpomdocs.contrat », « cpomdocs.document » et « cpomdocs.commit » manquent) : "
            "seul un DOCX construit par cpomdocs depuis un commit peut être relu"
        )
    contract_id = folder.resolve().name
    if properties["cpomdocs.contrat"] != contract_id:
        other = properties["cpomdocs.contrat"]
        raise WordbackError(
            f"{docx} : ce document a été produit pour le contrat « {other} », "
            f"pas pour « {contract_id} »"
        )
    if properties["cpomdocs.document"] not in IMPORTABLE:
        shown = ", ".join(f"« {n} »" for n in IMPORTABLE[:-1]) + f" et « {IMPORTABLE[-1]} »"
        raise WordbackError(
            f"{docx} : le document « {properties['cpomdocs.document']} » ne se relit pas ; "
            f"seuls les documents {shown} se renvoient annotés"
        )


def check_once(seen: dict[str, Path], kind: str, docx: Path) -> None:
    """Refuse a document given twice: its edits would be applied twice (a list item added
    twice)."""
    if kind in seen:
        twice = (
            f"{docx} est donné deux fois"
            if docx.resolve() == seen[kind].resolve()
            else (f"{docx} et {seen[kind]} sont deux exemplaires du même document « {kind} »")
        )
        raise WordbackError(f"{twice} : un seul exemplaire de chaque document par import ; "
                            "importez l'autre ensuite")  # fmt: skip
    seen[kind] = docx


def _git(repo: Path, *args: str) -> bytes:
    from cpomdocs.gitinfo import git

    return git(repo, *args)


def repository_of(folder: Path) -> tuple[Path, str]:
    """The git repository holding `folder`, and the folder's path inside it."""
    try:
        top = Path(_git(folder, "rev-parse", "--show-toplevel").decode().strip())
    except UsageError:
        raise WordbackError(f"{folder} : ce dossier n'est pas dans un dépôt git") from None
    return top, folder.resolve().relative_to(top.resolve()).as_posix()


def export_folder(folder: Path, commit: str, target: Path) -> None:
    """Write the contract folder as it was at `commit` into `target`."""
    from cpomdocs.build.provenance import DATA_SUFFIXES

    if not _COMMIT.match(commit):
        raise WordbackError(f"commit « {commit} » invalide dans les propriétés du document")
    top, relative = repository_of(folder)
    try:
        _git(top, "cat-file", "-e", f"{commit}^{{commit}}")
    except UsageError:
        raise WordbackError(
            f"le commit {commit[:12]} dont ce document a été construit n'existe pas dans le dépôt "
            f"{top} (historique réécrit, ou dépôt d'un autre gestionnaire ?)"
        ) from None
    try:
        listing = _git(top, "ls-tree", "-r", "-z", "--name-only", f"{commit}:{relative}")
    except UsageError:
        raise WordbackError(
            f"le dossier {relative} n'existe pas au commit {commit[:12]} dont ce document a été "
            "construit"
        ) from None
    for name in listing.decode("utf-8", "surrogateescape").split("\0"):  # names as they are
        if not name.endswith(DATA_SUFFIXES) or ".." in name.split("/"):
            continue
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_git(top, "show", f"{commit}:{relative}/{name}"))


def document_day(folder: Path, commit: str, created: str) -> dt.date:
    """The document's date (a consolidated version is the contract in force that day): when
    cpomdocs built it (`created`, the DOCX's core property), else the date of the last commit
    of the contract folder at `commit` (the date `cpomdocs build` gives its sources)."""
    try:
        return dt.date.fromisoformat(created[:10])
    except ValueError:
        top, relative = repository_of(folder)
        stamp = _git(top, "log", "-1", "--format=%ct", commit, "--", relative).decode().strip()
        return dt.datetime.fromtimestamp(int(stamp or 0), dt.UTC).date()


def rebuild(
    folder: Path, properties: dict[str, str], templates: Path | None = None, created: str = ""
) -> Baseline:
    """The document named by `properties` rebuilt from its commit, with its bindings;
    `created` is when it was built (a consolidated version depends on that day)."""
    from cpomdocs.build.provenance import contract_sources, document_reads, sources_digest
    from cpomdocs.data.validate import check_folder

    document_name, commit = properties["cpomdocs.document"], properties["cpomdocs.commit"]
    with tempfile.TemporaryDirectory(prefix="cpomdocs-wordback-") as tmp:
        copy = Path(tmp) / folder.resolve().name
        copy.mkdir()
        export_folder(folder, commit, copy)
        digest = properties.get("cpomdocs.sources_sha256", "")
        read = set(document_reads(check_folder(copy), document_name))  # what it embeds
        sources = {k: v for k, v in contract_sources(copy).items() if k in read}
        if digest and sources_digest(sources) != digest:
            raise WordbackError(
                f"ce document a été construit à partir de fichiers modifiés après le commit "
                f"{commit[:12]} (non commités) : il ne peut pas être relu de façon sûre ; "
                "construisez-le de nouveau après un commit et renvoyez-le"
            )
        day = document_day(folder, commit, created) if document_name in CONSOLIDATED else None
        return _render(copy, document_name, templates, day)


def _render(folder: Path, name: str, templates: Path | None, day: dt.date | None) -> Baseline:
    from cpomdocs.data.load import load_document
    from cpomdocs.data.model import Contract
    from cpomdocs.data.validate import check_folder, contract_file
    from cpomdocs.documents.compose import compose_annexes, compose_contract
    from cpomdocs.render.docx import TEXT_DIGEST, render_docx

    checked = check_folder(folder)
    contract = checked.contract.model
    if not checked.ok or not isinstance(contract, Contract):
        raise WordbackError(
            "le contrat, au commit dont ce document a été construit, n'est plus valide avec "
            "cette version de cpomdocs : importez-le avec la version qui l'a produit"
        )
    main = contract_file(folder)
    loaded = load_document(main).data
    data = {k: v for k, v in loaded.items() if k != "empreinte"}
    options = {"contract_id": folder.name, "created": BASELINE_DATE, "templates": templates}
    from cpomdocs.data.consolidate import in_force
    from cpomdocs.data.model_acts import Avenant

    signed = in_force([c.model for c in checked.avenants if isinstance(c.model, Avenant)])
    if name in CONSOLIDATED:  # the contract with its signed avenants: the avenant goes on top
        from cpomdocs.data.consolidate import consolidate
        from cpomdocs.documents.avenant import compose_consolidated

        avenants = [c.model for c in checked.avenants if isinstance(c.model, Avenant)]
        state = consolidate(data, avenants, day)  # in force on the document's day (build.planned)
        later = [a for a in signed if a not in state.applied]  # announced on its cover
        signed = []
        composed = compose_consolidated(
            state, annexes=name.startswith("annexes"), pending=later, **options
        )
        data = state.data
    else:
        compose = compose_contract if name == "contrat" else compose_annexes
        composed = compose(contract, pending_figures=checked.contract.figures, **options)
    bindings: dict[str, str] = {}
    built = render_docx(composed, templates, bindings)
    rebuilt = read_docx_bytes(built, f"{name}.docx (reconstruit)")
    return Baseline(
        rebuilt,
        bindings,
        data,
        main.read_text(encoding="utf-8"),
        rebuilt.properties.get(TEXT_DIGEST, ""),  # digested by the writer, typography included
        len(signed),
    )
