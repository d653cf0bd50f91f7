"""`cpomdocs import docx`: a returned DOCX read back into an avenant draft or a new version.

The stages: read the DOCX → check that it is ours, for this contract → rebuild the document from
the commit it names → compare → typed change set → for a signed contract an avenant draft
(`avenants/NN-modifications-docx.yaml`, statut projet), for a draft the updated cpom.yaml
(version + 1) → validate the result in a temporary copy → write atomically. Nothing is written
when any stage fails.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cpomdocs.wordback.baseline import check_once, check_origin, rebuild
from cpomdocs.wordback.changes import ChangeSet, build_change_set
from cpomdocs.wordback.compare import compare
from cpomdocs.wordback.read import WordbackError, read_docx
from cpomdocs.wordback.remarks import Remark
from cpomdocs.wordback.write_back import check_unchanged, write_result  # noqa: F401
from cpomdocs.wordback.yaml_edit import YamlEditError, edit_yaml

SIGNED = "signé"
AVENANT_NAME = "modifications-docx"
CONSOLIDATED_OF = {"contrat": "contrat-consolide", "annexes": "annexes-consolidees"}


@dataclass
class ImportResult:
    """What an import found and the file it writes (`target` with `text`), if any."""

    sources: list[Path]
    folder: Path
    properties: dict[str, str]
    changes: ChangeSet
    target: Path | None = None
    text: str = ""
    kind: str = ""  # "avenant" | "version"
    notes: list[str] = field(default_factory=list)
    remarks: list[tuple[str, Remark]] = field(default_factory=list)  # (document, remark)
    expected: bytes | None = None  # the target's bytes when the import read it; None: new

    @property
    def names(self) -> str:
        """« contrat.docx » et « annexes.docx »."""
        quoted = [f"« {path.name} »" for path in self.sources]
        return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " et " + quoted[-1]


def import_docx(docx: Path, folder: Path, templates: Path | None = None) -> ImportResult:
    """Read `docx` back against the contract in `folder`; nothing is written here."""
    return import_documents([docx], folder, templates)


def import_documents(
    documents: list[Path], folder: Path, templates: Path | None = None
) -> ImportResult:
    """Read DOCX files sent together (the contract and its annexes, built from one commit) back
    against the contract in `folder`, into one change set; nothing is written here."""
    from cpomdocs.data.folders import check_no_link_out
    from cpomdocs.data.validate import contract_file

    if not (folder.is_dir() and contract_file(folder).is_file()):
        raise WordbackError(f"{folder} : dossier de contrat introuvable (cpom.yaml attendu)")
    check_no_link_out(folder)  # avenants/ linked elsewhere: the draft went there
    edits, first, modified, notes, remarks = [], None, "", [], []
    seen: dict[str, Path] = {}  # document name (contrat, annexes…) → the file that brought it
    for docx in documents:
        returned = read_docx(docx)
        check_origin(returned.properties, docx, folder)
        check_once(seen, returned.properties["cpomdocs.document"], docx)
        if first is not None and returned.properties["cpomdocs.commit"] != first[1].properties.get(
            "cpomdocs.commit"
        ):
            raise WordbackError(
                f"{docx} et {first[0]} ont été construits depuis des commits différents : "
                "importez-les l'un après l'autre"
            )
        baseline = rebuild(folder, returned.properties, templates, returned.created)
        sent_digest = returned.properties.get("cpomdocs.texte_sha256", "")
        if sent_digest and sent_digest != baseline.text_digest:
            notes.append(
                f"« {docx.name} » : le document reconstruit depuis le commit ne redit pas mot pour"
                " mot celui qui a été envoyé (les modèles ou cpomdocs ont changé depuis) : une"
                " « modification de clause type » peut venir de là ; --templates DOSSIER donne"
                " les modèles d'alors"
            )
        if count := baseline.avenants_in_force:
            which = "son avenant signé" if count == 1 else f"ses {count} avenants signés"
            instead = CONSOLIDATED_OF.get(returned.properties["cpomdocs.document"], "")
            notes.append(
                f"« {docx.name} » montre le contrat signé sans {which} : une liste qu'il"
                " modifie remplace celle de la version en vigueur ; envoyez plutôt la version"
                f" consolidée ({instead}.docx)"
            )
        found = compare(baseline.document, baseline.bindings, returned)
        if len(documents) > 1:
            for edit in found:
                edit.where = f"{docx.name} : {edit.where}"
        edits.extend(found)
        built = set(baseline.document.remarks)  # a template's own notes are not the reader's
        remarks += [(docx.name, r) for r in returned.remarks if r not in built]
        first = first or (docx, returned, baseline)
        modified = max(modified, returned.modified)
    assert first is not None
    _, returned, baseline = first
    changes = build_change_set(baseline.data, edits)
    result = ImportResult(
        documents, folder, returned.properties, changes, notes=notes, remarks=remarks
    )
    if not changes.patch:
        return result
    current = contract_file(folder)
    if _current_status(current) == SIGNED:
        _avenant_draft(result, modified)
    else:
        _next_version(result, current, baseline.contract_text)
    _validate(result)
    return result


def _current_status(path: Path) -> str:
    from cpomdocs.data.load import load_document

    data = load_document(path).data
    return str(data.get("statut", "")) if isinstance(data, dict) else ""


def _next_version(result: ImportResult, current: Path, sent_text: str) -> None:
    """The draft's cpom.yaml with the changes written in place and its version + 1.

    The file may have changed since the document was sent (another document of the same
    version imported first): each value changed here must still hold what was sent.
    """
    from cpomdocs.data.load import load_document
    from cpomdocs.wordback.changes import get

    result.expected = current.read_bytes()  # write_back.check_unchanged compares it
    text = current.read_text(encoding="utf-8")
    changes = result.changes
    edits: dict[tuple[str | int, ...], Any] = {a.path: a.after for a in changes.applied}
    edits.update({path: value for path, _, value in changes.recomputed})
    if text != sent_text:
        now = load_document(current).data
        moved = []
        for path, value in edits.items():
            try:
                held = get(now, path)
            except (KeyError, IndexError, TypeError):
                held = None
            if held not in (get(changes.old, path), value):
                moved.append(".".join(map(str, path)))
        if moved:
            raise WordbackError(
                f"{current} a changé depuis le commit {result.properties['cpomdocs.commit'][:12]}"
                f" dont le document a été construit, aux mêmes endroits : {', '.join(moved)} ;"
                " renvoyez un document construit depuis la version actuelle"
            )
    version = changes.old.get("version")
    if isinstance(version, int):
        edits[("version",)] = version + 1
        changes.new["version"] = version + 1
    try:
        result.text = edit_yaml(text, edits)
    except YamlEditError as exc:
        raise WordbackError(f"{current} : impossible d'y écrire la valeur de « {exc} »") from None
    result.target, result.kind = current, "version"


def _avenant_draft(result: ImportResult, modified: str) -> None:
    """A new avenant, statut projet, whose modifications are the merge patch."""
    from cpomdocs.data.validate import AVENANTS_DIR

    folder = result.folder / AVENANTS_DIR
    numbers = [int(m.group(1)) for p in _files(folder) if (m := re.match(r"^(\d+)-", p.name))]
    number = max(numbers, default=0) + 1
    effect = _effect_date(result.changes.old, modified)
    built = "construits" if len(result.sources) > 1 else "construit"
    commit = result.properties["cpomdocs.commit"][:12]
    body = {
        "numero": number,
        "objet": f"à compléter : modifications demandées dans {result.names}",
        "statut": "projet",
        "dates": {"effet": effect},
        "motifs": (
            "À compléter : exposé des motifs. "
            f"Modifications relues par cpomdocs dans {result.names}, "
            f"{built} depuis le commit {commit}.\n"
        ),
        "modifications": result.changes.patch,
    }
    header = (
        "# yaml-language-server: $schema=../../../schema/avenant.schema.json\n"
        f"# Projet d'avenant n° {number}, tiré de {result.names}"
        " par cpomdocs import docx.\n"
        "# À compléter : objet, date d'effet, exposé des motifs.\n"
    )
    dumped = yaml.dump(body, Dumper=_AvenantDumper, allow_unicode=True, sort_keys=False, width=100)
    # Marked as `new avenant` marks its guess: validate lists it until the user settles it.
    guess = f"\n  effet: {effect}\n"
    dumped = dumped.replace(guess, guess[:-1] + "  # à compléter : date proposée\n", 1)
    result.text = header + dumped
    result.target = folder / f"{number:02d}-{AVENANT_NAME}.yaml"
    result.kind = "avenant"


class _AvenantDumper(yaml.SafeDumper):
    """Writes an avenant as people write them: dates unquoted, Markdown as literal blocks."""


_AvenantDumper.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}
_AvenantDumper.add_representer(
    float,
    lambda dumper, value: dumper.represent_scalar(
        "tag:yaml.org,2002:float",
        f"{value:.2f}" if abs(value) >= 1000 and round(value, 2) == value else repr(value),
    ),
)
_AvenantDumper.add_representer(
    str,
    lambda dumper, value: dumper.represent_scalar(
        "tag:yaml.org,2002:str", value, style="|" if "\n" in value else None
    ),
)


def _files(folder: Path) -> list[Path]:
    return sorted(folder.iterdir()) if folder.is_dir() else []


def _effect_date(data: dict[str, Any], modified: str) -> str:
    """The first day of the month after the document's last save, inside the contract."""
    dates = data.get("dates") or {}
    start, end = str(dates.get("effet", "")), str(dates.get("fin", ""))
    try:
        saved = dt.date.fromisoformat(modified[:10])
        day = (saved.replace(day=1) + dt.timedelta(days=32)).replace(day=1).isoformat()
    except ValueError:
        day = start
    if start and day < start:
        day = start
    if end and day > end:
        day = end
    return day


def _validate(result: ImportResult) -> None:
    """Validate the contract folder as it would be after writing, in a temporary copy."""
    from cpomdocs.data.validate import check_folder

    assert result.target is not None
    with tempfile.TemporaryDirectory(prefix="cpomdocs-wordback-check-") as tmp:
        copy = Path(tmp) / result.folder.resolve().name
        shutil.copytree(result.folder, copy, ignore=shutil.ignore_patterns(".git"))
        target = copy / result.target.relative_to(result.folder)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(result.text, encoding="utf-8")
        checked = check_folder(copy)
        problems = [
            str(p).replace(str(copy), str(result.folder))
            for p in checked.all_problems
            if p.is_error
        ]
    if problems:
        listed = "\n".join(f"  {p}" for p in problems)
        raise WordbackError(
            "les modifications du document rendraient le contrat invalide ; rien n'a été "
            f"écrit :\n{listed}"
        )
