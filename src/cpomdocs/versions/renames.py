"""A contract between two git revisions, followed when its folder was renamed: by git's rename
detection, else by the contract's own identity (its reference, else its OG's FINESS or SIREN)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

from cpomdocs.data.folders import CONTRACT_FILES, escaped
from cpomdocs.errors import InputError, UsageError
from cpomdocs.gitinfo import git
from cpomdocs.versions.sources import (
    Version,
    _exists,
    _not_an_option,
    _read_path,
    _toplevel,
    read_revision,
)

# withdrawn folders read to find a renamed one: enough for any real pull request, and a bound
# on the cost of a range that withdraws thousands
MAX_CANDIDATES = 50


def read_range(rev_range: str, path: str, cwd: Path | None = None) -> tuple[Version, Version]:
    """`A..B` on a contract file or folder: its versions at revisions A and B (B empty: on disk)."""
    cwd = cwd or Path.cwd()
    old_rev, dots, new_rev = _revisions(rev_range)
    rel = _relative(cwd, path)
    read: list[Version] = []

    def newer() -> dict[str, Any]:  # read once, and only when needed to find the old name
        if not read:
            read.append(_read_new(cwd, new_rev, path, rel))
        return read[0].data

    before = renamed_from(cwd, old_rev, new_rev, rel, newer) or rel
    old = read_revision(f"{old_rev}:{before}", cwd)
    newer()
    new = read[0]
    if before != rel:  # one contract under two names: its diff, not « retiré » + « nouveau »
        shown = shown_name(before)
        old.label = old.label.replace(before, shown)
        new.label += f", renommé (anciennement « {shown} »)"
    return old, new


def _read_new(cwd: Path, new_rev: str, path: str, rel: str) -> Version:
    if new_rev:
        return read_revision(f"{new_rev}:{rel}", cwd)
    if not (cwd / path).exists():
        raise UsageError(f"{path}: chemin introuvable")
    return _read_path((cwd / path).resolve(), path)


def old_name(rev_range: str, path: str, cwd: Path | None = None) -> str:
    """The name contract folder `path` had at revision A of `A..B`, if renamed since, else ""."""
    cwd = cwd or Path.cwd()
    old_rev, _, new_rev = _revisions(rev_range)
    rel = _relative(cwd, path)

    def newer() -> dict[str, Any]:
        try:
            return _read_new(cwd, new_rev, path, rel).data
        except (InputError, UsageError):  # its own diff says what is wrong with it
            return {}

    return renamed_from(cwd, old_rev, new_rev, rel, newer)


def shown_name(name: str) -> str:
    """A name from the history, not typed here: an escape sequence is shown, never run."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in escaped(name))


def _revisions(rev_range: str) -> tuple[str, str, str]:
    old_rev, dots, new_rev = rev_range.partition("..")
    if not old_rev or "..." in rev_range:  # A...B (git's symmetric difference): not a diff
        raise UsageError(f"intervalle de révisions « {rev_range} » invalide : attendu A..B")
    _not_an_option(old_rev)
    _not_an_option(new_rev)
    return old_rev, dots, new_rev if dots else ""


def _relative(cwd: Path, path: str) -> str:
    top = _toplevel(cwd)
    try:
        return (cwd / path).resolve().relative_to(top.resolve()).as_posix()
    except ValueError:
        raise UsageError(f"{path} n'est pas dans le dépôt git {top}") from None


def renamed_from(
    cwd: Path, old_rev: str, new_rev: str, rel: str, data: Callable[[], dict[str, Any]]
) -> str:
    """The name contract file or folder `rel` (its data read by `data`) had at `old_rev` when
    renamed since (up to `new_rev` or the working tree), else ""."""
    if _exists(cwd, old_rev, rel) or not _exists(cwd, old_rev, ""):
        return ""  # not renamed, or an unknown revision that read_revision names
    return _renamed_by_git(cwd, old_rev, new_rev, rel) or _same_contract(
        cwd, old_rev, new_rev, rel, data()
    )


def _renamed_by_git(cwd: Path, old_rev: str, new_rev: str, rel: str) -> str:
    try:
        listed = git(cwd, "diff", "-z", "-M", "--name-status", old_rev, *filter(None, [new_rev]))
    except UsageError:  # an unknown revision: read_revision says so in its words
        return ""
    fields = listed.decode("utf-8", "surrogateescape").split("\0")
    moves = {}
    index = 0
    while index < len(fields) - 1:
        status = fields[index]
        if status[:1] in ("R", "C"):
            moves[fields[index + 2]] = fields[index + 1]
            index += 3
        else:
            index += 2
    for name in CONTRACT_FILES:
        if f"{rel}/{name}" in moves and moves[f"{rel}/{name}"].endswith(f"/{name}"):
            return moves[f"{rel}/{name}"].removesuffix(f"/{name}")
    return moves.get(rel, "") if PurePosixPath(rel).name in CONTRACT_FILES else ""


def _same_contract(cwd: Path, old_rev: str, new_rev: str, rel: str, data: dict[str, Any]) -> str:
    """A folder withdrawn since `old_rev`, beside `rel`, holding the same contract (git did
    not see a rename: the file was rewritten too much); "" unless exactly one fits.

    A few git commands whatever the number of siblings (it was about eight per sibling: 17 s
    for 300, once for each new folder of a pull request): the withdrawn folders' contract files
    are listed in one command, and only those that `git grep` finds holding the contract's
    reference or OG identifiers are read."""
    file = PurePosixPath(rel).name if PurePosixPath(rel).name in CONTRACT_FILES else ""
    folder = PurePosixPath(rel).parent if file else PurePosixPath(rel)
    wanted = _identity(data)
    if not wanted[0] and not wanted[1]:
        return ""
    parent = "" if str(folder.parent) == "." else f"{folder.parent}/"
    names = _names(cwd, old_rev, parent)
    kept = _names(cwd, new_rev, parent) if new_rev else set()
    top = _toplevel(cwd)
    withdrawn = [
        name
        for name in sorted(names)[: MAX_CANDIDATES * 20]
        if name != str(folder) and name not in kept and (new_rev or not (top / name).exists())
    ]
    found: dict[str, str] = {}  # folder → the path given back (its contract file if `file`)
    for path in _holding(cwd, old_rev, withdrawn, wanted)[:MAX_CANDIDATES]:
        name = str(PurePosixPath(path).parent)
        if name in found:  # cpom.yaml beside a cpom.json: the first, as read_revision reads
            continue
        try:
            old = read_revision(f"{old_rev}:{path}", cwd).data
        except (InputError, UsageError):
            continue
        if _same(wanted, _identity(old)):
            found[name] = path if file else name
    return next(iter(found.values())) if len(found) == 1 else ""


def _names(cwd: Path, rev: str, parent: str) -> set[str]:
    """The paths of the entries of folder `parent` (ending with « / », or "") at `rev`."""
    try:
        listed = git(cwd, "ls-tree", "-z", "--name-only", f"{rev}:{parent}")
    except UsageError:
        return set()
    return {f"{parent}{n}" for n in listed.decode("utf-8", "surrogateescape").split("\0") if n}


def _holding(cwd: Path, rev: str, folders: list[str], wanted: tuple[str, set[str]]) -> list[str]:
    """The contract files of `folders` at `rev` that may hold the contract of `wanted` (as
    `_same` decides): its reference, or, in a file with no reference, its OG's identifiers
    (digits maybe spaced out). A `git grep` or three, not a read per folder."""
    files = [f"{name}/{contract}" for name in folders for contract in CONTRACT_FILES]
    ids = [" *".join(_pattern(c) for c in i.split(":", 1)[1]) for i in sorted(wanted[1])]
    if not wanted[0]:
        return _grep(cwd, rev, files, ids)
    found = set(_grep(cwd, rev, files, [_pattern(wanted[0])]))
    if ids:
        unnamed = _grep(
            cwd, rev, files, [r"(^|[{,[:space:]])[\"']?reference[\"']?[[:space:]]*:"], "-L"
        )
        found.update(_grep(cwd, rev, unnamed, ids))
    return sorted(found)


def _grep(
    cwd: Path, rev: str, files: list[str], patterns: list[str], kind: str = "-l"
) -> list[str]:
    """The `files` at `rev` holding one of `patterns` (-L: none), each a whole word there."""
    words = [f"-e(^|[^[:alnum:]_-]){p}([^[:alnum:]_-]|$)" for p in patterns]  # REF-1, not REF-10
    found: list[str] = []
    for start in range(0, len(files), 1000):  # a command line of bounded length
        try:
            listed = git(cwd, "grep", kind, "-z", "-E", *words, rev, "--", *files[start:][:1000])
        except UsageError:  # nothing found (git grep's code 1), or a name git refuses
            continue
        names = listed.decode("utf-8", "surrogateescape").split("\0")
        found += [name.removeprefix(f"{rev}:") for name in names if name]
    return found


def _pattern(text: str) -> str:
    """`text` as a POSIX extended regular expression matching it literally."""
    return "".join(c if c.isalnum() else "\\^" if c == "^" else f"[{c}]" for c in text)


def _identity(data: dict[str, Any]) -> tuple[str, set[str]]:
    """The contract's reference and its OG's identifiers (FINESS EJ, SIREN), as written."""
    reference = data.get("reference")
    og = data.get("gestionnaire")
    ids = set()
    for key in ("finess_ej", "siren"):
        value = og.get(key) if isinstance(og, dict) else None
        if isinstance(value, str | int) and str(value).strip():
            ids.add(f"{key}:{str(value).replace(' ', '')}")
    return (reference.strip() if isinstance(reference, str) else ""), ids


def _same(new: tuple[str, set[str]], old: tuple[str, set[str]]) -> bool:
    """Two references name one contract; without both, the OG's identifiers do (two contracts
    of one OG with different references are two contracts, not a rename)."""
    if new[0] and old[0]:
        return new[0] == old[0]
    return bool(new[1] & old[1])
