"""The two sides of a diff: files, contract folders, git revisions, or around an avenant."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from cpomdocs import fmt
from cpomdocs.data.consolidate import apply_avenants
from cpomdocs.data.folders import (
    AVENANTS_DIR,
    CONTRACT_FILES,
    DATA_SUFFIXES,
    contract_file,
)
from cpomdocs.data.load import MAX_BYTES, load_document
from cpomdocs.data.message_words import kind_of_value
from cpomdocs.errors import InputError, Problem, UsageError
from cpomdocs.gitinfo import git

SIGNED = "signé"


@dataclass
class Version:
    """One side of a diff: the contract data as it reads, and where it came from."""

    label: str
    data: dict[str, Any]
    avenants: list[dict[str, Any]] = field(default_factory=list)
    words: str = ""  # for a reader: « version 1 du 15 décembre 2025 », « après l'avenant n° 1 »

    def __post_init__(self) -> None:
        version = self.data.get("version")
        self.words = self.words or (f"version {version}" if isinstance(version, int) else "")
        self.words = self.words or self.label


def _labelled(label: str, data: dict[str, Any]) -> str:
    version = data.get("version")
    return f"{label} (version {version})" if isinstance(version, int) else label


def _apply(contract: dict[str, Any], avenants: list[dict[str, Any]], upto: int | None) -> dict:
    """The signed avenants applied (upto None), or every avenant up to n° `upto`."""
    patches = [
        avenant["modifications"]
        for avenant in sorted(avenants, key=lambda a: a.get("numero", 0))
        if (avenant.get("statut") == SIGNED if upto is None else avenant.get("numero", 0) <= upto)
        and isinstance(avenant.get("modifications"), dict)
    ]
    return apply_avenants(contract, patches)


def _read_folder(folder: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    contract = load_document(contract_file(folder)).data
    avenant_dir = folder / AVENANTS_DIR
    paths = sorted(avenant_dir.iterdir()) if avenant_dir.is_dir() else []
    avenants = [load_document(p).data for p in paths if p.suffix in DATA_SUFFIXES]
    if not isinstance(contract, dict):
        raise _not_a_table(contract_file(folder), contract)
    return contract, [a for a in avenants if isinstance(a, dict)]


def _not_a_table(path: Path, data: Any) -> InputError:
    """A version that is a text or a list: an unreadable version (code 1), said as validate
    says it (was a usage error, code 2, « le contrat » even of an avenant)."""
    found = kind_of_value(data)
    message = f"le fichier doit contenir une table de clés (champ: valeur), pas {found}"
    return InputError([Problem(str(path), 1, 1, "", message)])


def _read_path(path: Path, label: str) -> Version:
    if path.is_dir():
        contract, avenants = _read_folder(path)
        return Version(_labelled(label, contract), _apply(contract, avenants, None), avenants)
    data = load_document(path).data
    if not isinstance(data, dict):
        raise _not_a_table(path, data)
    return Version(_labelled(label, data), {k: v for k, v in data.items() if k != "empreinte"})


def _toplevel(cwd: Path) -> Path:
    try:
        return Path(git(cwd, "rev-parse", "--show-toplevel").decode().strip())
    except UsageError:
        raise UsageError(f"{cwd.resolve()} n'est pas dans un dépôt git") from None


def read_revision(spec: str, cwd: Path) -> Version:
    """A contract file or folder at a git revision, given as REV:path (path from the repo root)."""
    rev, _, rel = spec.partition(":")
    _toplevel(cwd)
    _not_an_option(rev)
    rel = rel.rstrip("/")
    try:
        kind = git(cwd, "cat-file", "-t", f"{rev}:{rel}").decode().strip()
    except UsageError:
        try:
            git(cwd, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
        except UsageError:
            why = _shallow(cwd) or _remote_branch(cwd, rev)
            raise UsageError(f"révision git inconnue : « {rev} »{why}") from None
        raise UsageError(f"« {rel} » n'existe pas dans la révision {rev}") from None
    with tempfile.TemporaryDirectory(prefix="cpomdocs-rev-") as tmp:
        root = Path(tmp)
        if kind == "blob":
            target = root / PurePosixPath(rel).name
            target.write_bytes(_blob(cwd, rev, rel))
            with _named(target, f"{rev}:{rel}"):
                return _dated(_read_path(target, spec), rev, cwd)
        # -z: a name with « " », a tab or a line break is listed as it is, not quoted
        listed = git(cwd, "ls-tree", "-r", "-z", "--name-only", f"{rev}:{rel}")
        names = [n for n in listed.decode("utf-8", "surrogateescape").split("\0") if n]
        wanted = [n for n in names if n in CONTRACT_FILES or n.startswith(AVENANTS_DIR + "/")]
        if not any(n in CONTRACT_FILES for n in names):
            raise UsageError(f"{spec} : aucun contrat (cpom.yaml) dans ce dossier")
        for name in wanted:
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(_blob(cwd, rev, f"{rel}/{name}"))
        with _named(root, f"{rev}:{rel}"):
            return _dated(_read_path(root, spec), rev, cwd)


def _shallow(cwd: Path) -> str:
    """Why a revision may be missing from a clone made without its history (a CI checkout)."""
    if git(cwd, "rev-parse", "--is-shallow-repository").strip() != b"true":
        return ""
    return (
        " : ce clone n'a pas tout l'historique (clone superficiel) ; récupérez-le avec "
        "« git fetch --unshallow », ou fetch-depth: 0 dans actions/checkout"
    )


def _remote_branch(cwd: Path, rev: str) -> str:
    """A branch that a clone has only as a remote one (« main » of a clone on another branch is
    « origin/main »): the name to write instead."""
    listed = git(cwd, "for-each-ref", "--format=%(refname:short)", f"refs/remotes/*/{rev}")
    names = [n for n in listed.decode("utf-8", "replace").split() if n.endswith(f"/{rev}")]
    if not names:
        return ""
    return (
        f" : ce clone n'a pas de branche locale « {rev} », écrivez « {names[0]} » (la branche "
        "du dépôt distant)"
    )


def _blob(cwd: Path, rev: str, path: str) -> bytes:
    """One file at a revision, refused unread when larger than any input may be (a blob of
    gigabytes in the history was read whole into memory before load_document said no)."""
    size = int(git(cwd, "cat-file", "-s", f"{rev}:{path}").decode().strip() or 0)
    if size > MAX_BYTES:
        shown = f"{size / 2**20:.1f}".replace(".", ",")
        message = f"fichier trop volumineux ({shown} Mo) : {MAX_BYTES // 2**20} Mo au plus"
        raise InputError([Problem(f"{rev}:{path}", 0, 0, "", message)])
    return git(cwd, "show", f"{rev}:{path}")


@contextmanager
def _named(copy: Path, name: str) -> Iterator[None]:
    """Problems found in a revision's files named REV:path, never by the temporary copy
    (« /tmp/cpomdocs-rev-x/cpom.yaml:1:2 » named a file nobody has)."""
    try:
        yield
    except InputError as error:
        problems = [replace(p, file=p.file.replace(str(copy), name, 1)) for p in error.problems]
        raise InputError(problems) from None
    except UsageError as error:
        raise UsageError(str(error).replace(str(copy), name)) from None


def _dated(version: Version, rev: str, cwd: Path) -> Version:
    """« version 1 du 15 décembre 2025 »: the version named with the date of its commit."""
    day = git(cwd, "log", "-1", "--format=%cs", rev).decode().strip()
    if day:
        version.words += f" du {fmt.date_fr(dt.date.fromisoformat(day))}"
    return version


def read_version(spec: str, cwd: Path | None = None) -> Version:
    """One side of a diff: a file, a contract folder, or REV:path in the git repository."""
    cwd = cwd or Path.cwd()
    path = Path(spec) if Path(spec).is_absolute() else cwd / spec
    if path.exists():
        return _read_path(path, spec)
    if ":" in spec:
        return read_revision(spec, cwd)
    raise UsageError(f"« {spec} » : ni un fichier, ni un dossier, ni une révision git (RÉV:chemin)")


def _not_an_option(rev: str) -> None:
    """Refuse a revision git would read as an option (« --output=/ailleurs » writes a file), or
    as something else than a commit (« :/message », « HEAD:chemin » split the path wrongly)."""
    if rev.startswith("-"):
        raise UsageError(f"révision git « {rev} » refusée : une révision ne commence pas par « - »")
    if ":" in rev or rev.startswith("."):  # « A...B », « :/message », « HEAD:chemin »
        raise UsageError(
            f"révision git « {rev} » refusée : un commit, une branche ou une étiquette est attendu "
            "(A..B, par exemple main..HEAD)"
        )


def _exists(cwd: Path, rev: str, rel: str) -> bool:
    try:
        git(cwd, "cat-file", "-e", f"{rev}:{rel}")
    except UsageError:
        return False
    return True


def read_avenant(folder: Path, numero: int) -> tuple[Version, Version]:
    """A contract folder just before and just after its avenant n° `numero`."""
    if not folder.is_dir():
        raise UsageError(f"{folder}: un dossier de contrat était attendu")
    contract, avenants = _read_folder(folder)
    numbers = sorted(a.get("numero") for a in avenants if isinstance(a.get("numero"), int))
    if numero not in numbers:
        known = ", ".join(map(str, numbers)) or "aucun"
        raise UsageError(f"avenant n° {numero} introuvable dans {folder} (avenants : {known})")
    return around_avenant(contract, avenants, numero)


def around_avenant(
    contract: dict[str, Any], avenants: list[dict[str, Any]], numero: int
) -> tuple[Version, Version]:
    """The contract's data just before and just after its avenant n° `numero` (`read_avenant`
    without reading: the build hands the files it has validated)."""
    before = _apply(contract, avenants, numero - 1)
    after = _apply(contract, avenants, numero)
    old, new = f"avant l'avenant n° {numero}", f"après l'avenant n° {numero}"
    return Version(old, before, avenants, old), Version(new, after, avenants, new)
