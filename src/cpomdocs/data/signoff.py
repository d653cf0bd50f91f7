"""Sign-off: record a signed file's fingerprint in it; after that the file never changes."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cpomdocs.data.fingerprint import FINGERPRINT_KEY, fingerprint, is_signed
from cpomdocs.data.folders import AVENANTS_DIR, check_no_link_out
from cpomdocs.data.load import load_text
from cpomdocs.data.model import Contract
from cpomdocs.data.model_acts import Avenant
from cpomdocs.data.validate import check_file, check_text
from cpomdocs.errors import CpomError, InputError
from cpomdocs.write import signals_deferred, write_text_like

# the key as YAML may write it: plain, "double-quoted" or 'single-quoted'
_BLOCK = re.compile(
    r"""^(?:empreinte|"empreinte"|'empreinte')[ \t]*:.*(?:\n[ \t]+\S.*)*\n?""", re.MULTILINE
)


SYMLINK = (
    "lien symbolique vers {target} : l'empreinte s'écrit dans le fichier lui-même (le lien "
    "serait remplacé par une copie) ; lancez sign-off sur ce fichier, dans son dossier de contrat"
)


class SignOffError(CpomError):
    """Raised when a file cannot be signed off (not signed, invalid, unreadable)."""

    def __init__(self, path: Path, reason: str):
        self.path, self.reason = path, reason
        super().__init__(f"{path}: {reason}")


def _flow(prefix: str, values: list[str], indent: str, width: int = 96) -> list[str]:
    """A YAML flow sequence of quoted strings, wrapped under `indent` (readable, diffs well)."""
    lines, line = [], prefix + "["
    for index, value in enumerate(values):
        item = json.dumps(value) + ("," if index < len(values) - 1 else "")
        if len(line) + len(item) + 1 > width and not line.endswith("["):
            lines.append(line)
            line = indent + item
        else:
            line += ("" if line.endswith("[") else " ") + item
    return [*lines, line + "]"]


def _text_block(texte: dict[str, Any]) -> str:
    """The `texte:` part of the block: the signed text's digests, document by document."""
    lines = ["  texte:", f"    cpomdocs: {json.dumps(texte['cpomdocs'])}", "    documents:"]
    for name, record in texte["documents"].items():
        lines += [f"      {name}:", f"        sha256: {json.dumps(record['sha256'])}"]
        lines += _flow("        passages: ", list(record["passages"]), " " * 10)
    return "\n".join(lines) + "\n"


def with_fingerprint(
    text: str, sha256: str, day: dt.date, texte: dict[str, Any] | None = None
) -> str:
    """The file's text with its top-level `empreinte:` block added or replaced, the rest as is
    (with the signed text's digests when given)."""
    block = f'empreinte:\n  sha256: "{sha256}"\n  date: {day.isoformat()}\n'
    block += _text_block(texte) if texte else ""
    if _BLOCK.search(text):
        return _BLOCK.sub(lambda _: block, text, count=1)
    return text + ("" if text.endswith("\n") or not text else "\n") + block


SignedText = Callable[[Path], dict[str, Any]]
TEXT_CHANGED = (
    "le texte produit aujourd'hui pour {documents} n'est plus celui enregistré à la signature "
    "(« cpomdocs build » dit à partir de quel passage) : rien n'est modifié ; si ce nouveau "
    "texte a bien été signé, relancez avec --remplacer-texte"
)


CONTENT_CHANGED = (
    "contenu modifié depuis l'empreinte enregistrée le {date} (sha256 {recorded}…, aujourd'hui "
    "{current}…) : un document signé ne change plus, on passe par un avenant ; rien n'est "
    "modifié. Si ce nouveau contenu a lui-même été signé (un nouvel exemplaire), relancez avec "
    "--nouveau-contenu"
)


def _changed_documents(model: Contract | Avenant, sha256: str, texte: dict[str, Any]) -> str:
    """The documents whose recorded signed text a new sign-off of unchanged data would replace."""
    recorded = model.empreinte
    if recorded is None or recorded.texte is None or recorded.sha256 != sha256:
        return ""
    before = {name: digest.sha256 for name, digest in recorded.texte.documents.items()}
    changed = [n for n, digest in texte["documents"].items() if before.get(n) != digest["sha256"]]
    return ", ".join(f"« {name} »" for name in changed)


def sign_off(
    path: Path,
    today: dt.date | None = None,
    signed_text: SignedText | None = None,
    replace_text: bool = False,
    replace_content: bool = False,
) -> str:
    """Record the fingerprint of a signed contract or avenant in its file; return the sha256.
    `signed_text` (a layer that composes documents) gives the digests of the signed text; one
    already recorded for the same data is replaced only with `replace_text`, and a recorded
    fingerprint of other content only with `replace_content` (never silently re-sealed)."""
    if path.suffix.lower() == ".json":
        raise SignOffError(path, "l'empreinte s'enregistre dans un fichier YAML, pas JSON")
    if path.is_symlink():  # written atomically, the link would become a copy; its target unsigned
        raise SignOffError(path, SYMLINK.format(target=path.readlink()))
    if path.parent.name == AVENANTS_DIR:  # avenants/ itself a link: the file signed is elsewhere
        check_no_link_out(path.parent.parent)
    checked = check_file(path)
    if checked.document is None or checked.model is None:
        raise InputError(checked.problems)
    model = checked.model
    if not isinstance(model, Contract | Avenant):
        raise SignOffError(path, "seuls un contrat ou un avenant se signent")
    if not is_signed(model):
        statut = model.statut.value
        raise SignOffError(
            path,
            f"statut « {statut} » : seul un document au statut « signé » reçoit une empreinte",
        )
    others = [p for p in checked.problems if p.is_error and p.field.split(".")[0] != "empreinte"]
    if others:
        raise InputError(others)
    sha256 = fingerprint(checked.document.data)
    recorded = model.empreinte
    if recorded is not None and recorded.sha256 != sha256 and not replace_content:
        raise SignOffError(
            path,
            CONTENT_CHANGED.format(
                date=recorded.date.isoformat(), recorded=recorded.sha256[:12], current=sha256[:12]
            ),
        )
    texte = signed_text(path) if signed_text is not None else None
    changed = _changed_documents(model, sha256, texte) if texte and not replace_text else ""
    if changed:
        raise SignOffError(path, TEXT_CHANGED.format(documents=changed))
    text = path.read_text(encoding="utf-8-sig")
    signed = with_fingerprint(text, sha256, today or dt.date.today(), texte)
    _check_signed(path, signed, sha256, texte is not None)
    with signals_deferred():  # fully checked above: one atomic replace, never cut halfway
        write_text_like(path, signed)
    return sha256


def _check_signed(path: Path, signed: str, sha256: str, with_text: bool) -> None:
    """Refuse, before anything is written, a signed-off text that would change the content or
    whose recorded fingerprint (and signed text's digests) would not read back as valid."""
    try:  # « "empreinte": » not replaced but doubled: a duplicate key
        same = fingerprint(load_text(signed, path).data) == sha256
    except InputError:
        same = False
    if not same:
        raise SignOffError(path, "l'empreinte n'a pas pu être ajoutée sans modifier le contenu")
    problems = check_text(signed, path).problems
    if any(p.is_error and p.field.startswith(FINGERPRINT_KEY) for p in problems):
        what = "du texte signé " if with_text else ""
        raise SignOffError(path, f"l'empreinte {what}n'a pas pu être enregistrée")
