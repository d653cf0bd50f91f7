"""Where a contract's files are: its folder, its main file, its avenants and comptes-rendus.

Light on purpose: the no-op build path lists folders with it, so it imports no pydantic.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from cpomdocs.errors import UsageError

if TYPE_CHECKING:
    from cpomdocs.errors import Problem

CONTRACT_FILES = ("cpom.yaml", "cpom.yml", "cpom.json")
AVENANTS_DIR = "avenants"
REPORTS_DIR = "comptes-rendus"
REDLINES_DIR = "comparaisons"  # in build/<id>/: each avenant's redline (not an input folder)
DATA_SUFFIXES = (".yaml", ".yml", ".json")


def is_contract_folder(path: Path) -> bool:
    """True when `path` is a folder holding a contract file (cpom.yaml, cpom.yml or cpom.json)."""
    return path.is_dir() and any((path / name).is_file() for name in CONTRACT_FILES)


def holding_contract(path: Path) -> Path | None:
    """The contract folder that `path` lies in (resolved), or None: a file written there would
    sit among the contract's sources, or replace one."""
    return next((f for f in path.resolve().parents if is_contract_folder(f)), None)


def refuse_writing_over_sources(
    target: Path, inputs: list[Path], *, over_input: str, in_contract: Callable[[str], str]
) -> None:
    """Refuse a file to write that is one of the command's `inputs` (`over_input`) or lies in a
    contract folder, among its sources (`in_contract` of the folder's name): `-o` or `-r` given
    `contracts/x/cpom.yaml` replaced the contract itself."""
    if any(target.resolve() == path.resolve() for path in inputs):
        raise UsageError(over_input)
    if folder := holding_contract(target):
        raise UsageError(in_contract(folder.name))


BAD_ID = (
    "{path}: nom de dossier de contrat refusé « {name} » : l'identifiant du contrat est le nom "
    "de son dossier ; il ne peut être vide, ni « . » ou « .. », ni commencer par un point, ni "
    "contenir de séparateur de chemin, ni d'octet qui ne soit pas de l'UTF-8 (un nom venu d'une "
    "archive faite sous Windows ? renommez le dossier)"
)


# a separator, a control character, or a byte that is not UTF-8 (surrogateescape): one regex
# search, not a generator over the characters (a cache's 372 ids checked at each build)
UNSAFE_CHARACTER = re.compile("[/\\\\\x00-\x1f\udc80-\udcff]")


def is_safe_id(name: str) -> bool:
    """True when `name` can name a folder under the output folder: a contract id."""
    unsafe = name in ("", ".", "..") or name.startswith(".")
    # « \udce9 »: a byte that is not UTF-8 in the name on disk (« café » written in Latin-1),
    # which no PDF, HTML page or manifest can carry (every build said « erreur interne »)
    return not (unsafe or UNSAFE_CHARACTER.search(name))


def contract_folder(path: Path) -> Path:
    """The folder a path names, resolved when its last part is not its real name
    (`contracts/x/notes/..`, `.`), with a name checked to be a safe contract id."""
    folder = path if path.name == path.resolve().name else path.resolve()
    if not is_safe_id(folder.name):
        shown = {"path": escaped(str(path)), "name": escaped(folder.name)}
        raise UsageError(BAD_ID.format(**shown))
    return folder


def escaped(name: str) -> str:
    """A name that may hold bytes that are not UTF-8 (read as lone surrogates), printable: each
    such byte written \\xNN, every other character as it is."""
    return "".join(f"\\x{ord(c) - 0xDC00:02x}" if "\udc80" <= c <= "\udcff" else c for c in name)


NOT_A_FILE = "{path}: n'est pas un fichier ({kind}) : le fichier du contrat était attendu là"


def not_a_file(path: Path) -> str:
    """What a contract file's name holds when it is not a regular file (a folder, a pipe…)."""
    if path.is_symlink() and not path.exists():
        return "lien symbolique cassé"
    kinds = {stat.S_ISDIR: "dossier", stat.S_ISFIFO: "tube nommé", stat.S_ISSOCK: "socket"}
    mode = path.stat().st_mode
    return next((kind for test, kind in kinds.items() if test(mode)), "fichier spécial")


def check_contract_files(folder: Path) -> None:
    """Refuse a folder whose cpom.yaml is a folder, a pipe or a broken link: said, not skipped
    (a contract skipped in silence would have its outputs removed as gone from the sources)."""
    for name in CONTRACT_FILES:
        path = folder / name
        if (path.exists() or path.is_symlink()) and not path.is_file():
            raise UsageError(NOT_A_FILE.format(path=path, kind=not_a_file(path)))


def find_contract_folders(paths: list[Path], refused: list[Problem] | None = None) -> list[Path]:
    """Contract folders named by `paths`: a contract folder itself, or a folder of them. The
    folder's real name is the contract's id, and names the folder of its outputs. A folder of
    contracts holding one whose name is refused (`.ancien/`, a name from a Windows archive):
    that one goes to `refused` when given (the others are still validated and built), else
    stops the command; a folder named on the command line always does."""
    from cpomdocs.errors import Problem

    folders: list[Path] = []
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: chemin introuvable (ni fichier ni dossier)")
        if is_contract_folder(path):
            folders.append(contract_folder(path))
        elif path.is_dir():
            check_contract_files(path)
            subfolders = sorted(sub for sub in path.iterdir() if sub.is_dir())
            for sub in subfolders:
                check_contract_files(sub)
            for sub in filter(is_contract_folder, subfolders):
                if refused is None or is_safe_id(sub.name):
                    folders.append(contract_folder(sub))
                    continue
                message = BAD_ID.format(path="", name=escaped(sub.name)).removeprefix(": ")
                refused.append(Problem(escaped(str(sub)), 0, 0, "", message))
    return _distinct(folders)


SAME_NAME = (
    "{first} et {second} : deux contrats du même nom « {name} », dont les documents iraient dans "
    "le même dossier de sortie : renommez l'un d'eux (le nom du dossier est l'identifiant du "
    "contrat)"
)


def _distinct(folders: list[Path]) -> list[Path]:
    """Each contract once (`build contracts contracts/x` gave x twice: « erreur interne :
    KeyError », after one had overwritten the other's files), two of one name refused."""
    seen: dict[str, Path] = {}
    for folder in folders:
        first = seen.setdefault(folder.name, folder)
        if first.resolve() != folder.resolve():
            names = {"first": escaped(str(first)), "second": escaped(str(folder))}
            raise UsageError(SAME_NAME.format(name=escaped(folder.name), **names))
    return list(seen.values())


def contract_file(folder: Path) -> Path:
    """The main file of a contract folder (cpom.yaml by default)."""
    for name in CONTRACT_FILES:
        if (folder / name).is_file():
            return folder / name
    return folder / CONTRACT_FILES[0]


def data_files(folder: Path) -> list[Path]:
    """The data files directly inside `folder` (avenants/ or comptes-rendus/), sorted."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in DATA_SUFFIXES and p.is_file())


KEEP_EMPTY_FOLDER = ".gitkeep"  # an empty file that keeps avenants/ in git: not a stray file
STRAY_FILE = (
    "fichier ignoré : ni validé ni joint aux PDF (les sources d'un contrat sont cpom.yaml, "
    "avenants/*.yaml et comptes-rendus/*.yaml) ; rangez-le hors du dossier du contrat"
)
NOT_UTF8_NAME = (
    "nom de fichier qui n'est pas de l'UTF-8 (venu d'une archive faite sous Windows ?) : aucun "
    "PDF ne peut joindre ce fichier sous ce nom ; renommez-le"
)
LINK_OUTSIDE = (
    "lien symbolique vers {target}, hors du dossier du contrat : refusé (un contrat ne se "
    "compose que de ses propres fichiers, joints à ses PDF)"
)
LINK_LOOP = "lien symbolique qui ne mène nulle part (il boucle sur lui-même) : refusé"


def source_files(folder: Path) -> list[Path]:
    """The contract's own sources, the only files its PDFs embed: its main file, then
    avenants/ and comptes-rendus/ data files."""
    main = contract_file(folder)
    found = [main] if main.is_file() else []
    return found + data_files(folder / AVENANTS_DIR) + data_files(folder / REPORTS_DIR)


def links_outside(folder: Path) -> list[tuple[Path, Path | None]]:
    """Symbolic links under `folder` that lead out of it, with where they lead (None: nowhere,
    a link to itself or a loop of links, that a PR can hold as well as any file)."""
    root = folder.resolve()
    found: list[tuple[Path, Path | None]] = []
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            try:
                target: Path | None = path.resolve()
            except (RuntimeError, OSError):  # « Symlink loop » (OSError from Python 3.13)
                target = None
            if target is None or not target.is_relative_to(root):
                found.append((path, target))
    return found


def link_refused(target: Path | None) -> str:
    """Why a link of a contract folder is refused: it leads out, or loops."""
    return LINK_OUTSIDE.format(target=target) if target is not None else LINK_LOOP


def check_no_link_out(folder: Path) -> None:
    """Refuse, before writing into a contract folder, one holding a symbolic link that leads out
    of it: a draft written into avenants/ or comptes-rendus/ would land elsewhere."""
    from cpomdocs.errors import InputError, Problem

    if leaving := links_outside(folder):
        message = link_refused(leaving[0][1]) + " ; rien n'est écrit"
        raise InputError([Problem(str(link), 0, 0, "", message) for link, _ in leaving[:1]])


def stray_files(folder: Path) -> list[Path]:
    """Files of a contract folder that are not its sources (notes, exports, secrets)."""
    sources = set(source_files(folder))
    return [
        p
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p not in sources and p.name != KEEP_EMPTY_FOLDER
    ]


def whole_contracts(paths: list[Path]) -> list[Path]:
    """Each file replaced by its contract folder (an avenant or a compte-rendu by its contract's),
    each folder once: a file is then checked with everything it depends on."""
    found: list[Path] = []
    for path in paths:
        folder = path.parent if path.is_file() else path
        if folder.name in (AVENANTS_DIR, REPORTS_DIR) and contract_file(folder.parent).is_file():
            folder = folder.parent
        if path.is_file() and not contract_file(folder).is_file():
            folder = path  # a loose file, outside any contract folder: checked alone
        if folder not in found:
            found.append(folder)
    return found


AMONG_SOURCES = (
    "{output}: ce dossier de sortie est {where} : les documents produits se mêleraient aux "
    "sources (et à leur dépôt git) ; choisissez un dossier à part, par exemple -o build"
)


def check_apart(output: Path, folders: list[Path]) -> None:
    """Refuse an output folder that is a contract folder, inside one, or the folder holding
    them: `output`/<id>/ would then be the contract's own folder, or one of its subfolders."""
    try:
        out = output.resolve()
    except (RuntimeError, OSError):  # « Symlink loop » (OSError from Python 3.13)
        raise UsageError(f"{output}: dossier de sortie impossible : {LINK_LOOP}") from None
    for folder in folders:
        home = folder.resolve()
        if out == home.parent:
            raise UsageError(AMONG_SOURCES.format(output=output, where="le dossier des contrats"))
        if out.is_relative_to(home):
            where = f"dans le dossier du contrat {home.name}"
            raise UsageError(AMONG_SOURCES.format(output=output, where=where))


def check_contents(folder: Path) -> list[Problem]:
    """What a contract folder holds besides its sources: links leading out of it are errors,
    other files get a warning (they are neither validated nor attached to the PDFs)."""
    from cpomdocs.errors import Problem, Severity

    found = [
        Problem(str(path), 0, 0, "", link_refused(target)) for path, target in links_outside(folder)
    ]
    leaving = {path for path, _ in links_outside(folder)}
    found += [
        Problem(escaped(str(path)), 0, 0, "", NOT_UTF8_NAME)
        for path in source_files(folder)
        if escaped(path.name) != path.name
    ]
    found += [
        Problem(str(path), 0, 0, "", STRAY_FILE, Severity.WARNING)
        for path in stray_files(folder)
        if path not in leaving
    ]
    return found
