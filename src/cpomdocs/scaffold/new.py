"""`cpomdocs new`: a draft contract, avenant or compte-rendu, never over an existing file."""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from pathlib import Path
from typing import Any

from cpomdocs.data.folders import (
    AVENANTS_DIR,
    CONTRACT_FILES,
    check_contract_files,
    check_no_link_out,
    contract_file,
    data_files,
)
from cpomdocs.errors import UsageError
from cpomdocs.scaffold.drafts import (
    BASES,
    CONTRACT_MONTHS,
    render_avenant,
    render_contract,
    render_report,
)
from cpomdocs.write import failure_reason, write_new_text

CONTRACT_FILE = "cpom.yaml"
FOLDER_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
MAX_FOLDER_NAME = 100  # the id names output files too (id-contrat.pdf…): far below 255 bytes
WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)")
SCHEMA_FILES = {"cpom": "cpom.schema.json", "avenant": "avenant.schema.json"}


def schema_line_target(file: Path, schema_name: str) -> str:
    """The relative path from `file` to the repository's schema/<name>: the nearest schema/
    folder above the file, else the usual layout (contracts/<id>/…)."""
    try:
        folder = file.parent.resolve()
    except (RuntimeError, OSError):  # a loop of links (« Symlink loop »): _write says so
        folder = Path(os.path.abspath(file.parent))
    for parent in (folder, *folder.parents):
        if (parent / "schema" / schema_name).is_file():
            return os.path.relpath(parent / "schema" / schema_name, folder)
    depth = 3 if file.parent.name in ("avenants", "comptes-rendus") else 2
    return "../" * depth + "schema/" + schema_name


def _write(target: Path, text: str) -> Path:
    if os.path.lexists(target):
        raise UsageError(f"{target} existe déjà : cpomdocs new n'écrase jamais un fichier")
    try:
        return write_new_text(target, text)
    except FileExistsError as exc:
        if not os.path.lexists(target):  # a file where a folder of the path is expected
            raise UsageError(f"{target} : écriture impossible : {failure_reason(exc)}") from None
        raise UsageError(
            f"{target} existe déjà : cpomdocs new n'écrase jamais un fichier"
        ) from None
    except OSError as exc:
        raise UsageError(f"{target} : écriture impossible : {failure_reason(exc)}") from None


def _check_folder_name(folder: Path) -> None:
    if ".." in folder.parts or not FOLDER_NAME.match(folder.name):
        name = slug(folder.name) if ".." not in folder.parts else ""  # « Mon CPOM » → mon-cpom
        example = folder.parent / name if name else "contracts/ehpad-les-tilleuls-2027"
        raise UsageError(
            f"{folder} : nom de dossier de contrat invalide : lettres minuscules, chiffres, « - », "
            f"« . » ou « _ » (ex. {example})"
        )
    if len(folder.name) > MAX_FOLDER_NAME:
        raise UsageError(
            f"{folder.name[:20]}… : nom de dossier de contrat trop long ({len(folder.name)} "
            f"caractères) : {MAX_FOLDER_NAME} au plus (ex. contracts/ehpad-les-tilleuls-2027)"
        )
    if folder.name.endswith("."):
        raise UsageError(
            f"{folder} : nom de dossier de contrat refusé : il finit par un point, que Windows "
            "ôte des noms, un clone du dépôt y échouerait "
            f"(ex. {folder.parent / slug(folder.name)})"
        )
    if WINDOWS_RESERVED.match(folder.name):
        raise UsageError(
            f"{folder} : nom de dossier de contrat refusé : « {folder.name.split('.')[0]} » est "
            "un nom réservé de Windows, un clone du dépôt y échouerait (ex. "
            "contracts/ehpad-les-tilleuls-2027)"
        )


def _check_contract_effet(effet: dt.date) -> None:
    """Refuse a date d'effet whose draft would not validate: its reference year (the year
    before) and its last year must be years the model takes."""
    from cpomdocs.data.model_terms import FIRST_YEAR, LAST_YEAR

    first = dt.date(FIRST_YEAR + 1, 1, 1)
    last = dt.date(LAST_YEAR - CONTRACT_MONTHS // 12 + 1, 1, 1)
    if not first <= effet <= last:
        raise UsageError(
            f"--effet {effet} : date d'effet hors limites : attendu une date du {first} au "
            f"{last} (un contrat de {CONTRACT_MONTHS} mois : son année de référence, celle qui "
            f"précède la date d'effet, et sa dernière année vont de {FIRST_YEAR} à {LAST_YEAR})"
        )


def new_contract(
    folder: Path, base: str, effet: dt.date | None = None, essms: list[str] | None = None
) -> Path:
    """Write `folder`/cpom.yaml: the draft of a contract on legal basis `base`, holding the
    ESSMS categories `essms` (scaffold/essms.ESSMS; none: the base's usual one)."""
    _check_folder_name(folder)
    if base not in BASES:
        raise UsageError(f"base légale « {base} » inconnue : {', '.join(BASES)}")
    if effet is not None:
        _check_contract_effet(effet)
    given = effet is not None  # a date the user chose is not « à compléter »
    effet = effet or dt.date(dt.date.today().year + 1, 1, 1)
    target = folder / CONTRACT_FILE
    for name in CONTRACT_FILES:  # a cpom.yaml beside them would be read in their place
        if os.path.lexists(folder / name) and name != CONTRACT_FILE:
            raise UsageError(
                f"{folder / name} existe déjà : ce dossier contient déjà un contrat, qu'un "
                f"nouveau {CONTRACT_FILE} masquerait (il serait lu à sa place) ; cpomdocs new "
                "n'écrase ni ne masque jamais un contrat : choisissez un autre dossier"
            )
    schema = schema_line_target(target, "cpom.schema.json")
    return _write(target, render_contract(base, effet, schema, given, essms))


def _contract_data(folder: Path) -> dict[str, Any]:
    """The data of a folder's cpom.yaml, which must load (not necessarily validate)."""
    from cpomdocs.data.load import load_document
    from cpomdocs.errors import InputError

    target = contract_file(folder)  # cpom.yml and cpom.json are contracts too
    check_contract_files(folder)
    if not target.is_file():
        raise UsageError(f"{folder} : pas de {CONTRACT_FILE} ici ; cpomdocs new {folder} --base …")
    try:
        data = load_document(target).data
    except InputError as exc:
        raise UsageError(f"{target} illisible, corrigez-le d'abord :\n{exc}") from None
    if not isinstance(data, dict):
        raise UsageError(f"{target} : une table YAML était attendue")
    return data


def _iso_date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def next_avenant_number(folder: Path) -> int:
    """One more than the highest avenant number of the folder (from the files' `numero`,
    else their « NN- » prefix)."""
    from cpomdocs.data.load import load_document
    from cpomdocs.errors import InputError

    highest = 0
    for path in data_files(folder / AVENANTS_DIR):  # what validate reads: not a folder « 02.yaml »
        prefix = re.match(r"^(\d+)", path.name)
        try:
            numero = load_document(path).data.get("numero")
        except (InputError, AttributeError):
            numero = None
        if not isinstance(numero, int):
            numero = int(prefix.group(1)) if prefix else 0
        highest = max(highest, numero)
    return highest + 1


def _check_avenant_effet(effet: dt.date, dates: dict[str, Any]) -> None:
    """Refuse an avenant's date d'effet out of the contract's time: before its date d'effet
    (validate refuses it) or after its end."""
    from cpomdocs.data.model_terms import FIRST_DAY, LAST_DAY

    start, end = _iso_date(dates.get("effet")), _iso_date(dates.get("fin"))
    if not FIRST_DAY <= effet <= LAST_DAY:
        expected = f"attendu une date de {FIRST_DAY.year} à {LAST_DAY.year}"
        raise UsageError(f"--effet {effet} : date hors limites : {expected}")
    if start and effet < start:
        raise UsageError(
            f"--effet {effet} : antérieure à la date d'effet du contrat ({start}) : un avenant "
            "prend effet pendant le contrat"
        )
    if end and effet > end:
        raise UsageError(
            f"--effet {effet} : postérieure à la fin du contrat ({end}) : un avenant "
            "prend effet pendant le contrat"
        )


def new_avenant(folder: Path, today: dt.date | None = None, effet: dt.date | None = None) -> Path:
    """Write the next avenant of `folder` as a draft: statut projet, empty modifications; its
    date d'effet is `effet` when given, else a guess marked « à compléter »."""
    data = _contract_data(folder)
    check_no_link_out(folder)
    dates = data.get("dates")
    dates = dates if isinstance(dates, dict) else {}  # « dates: x » is validate's to say
    if effet is not None:
        _check_avenant_effet(effet, dates)
    numero = next_avenant_number(folder)
    if effet is None:
        today = today or dt.date.today()
        next_month = dt.date(today.year + today.month // 12, today.month % 12 + 1, 1)
        start = _iso_date(dates.get("effet")) or next_month
    target = folder / "avenants" / f"{numero:02d}-projet.yaml"
    schema = schema_line_target(target, "avenant.schema.json")
    day = effet or max(start, next_month)
    text = render_avenant(numero, day, schema, effet_given=effet is not None, contract=data)
    return _write(target, text)


def slug(text: str) -> str:
    """« comité de suivi » → « comite-de-suivi »."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def new_report(folder: Path, kind: str, day: dt.date) -> Path:
    """Write a compte-rendu draft for a meeting of `kind` on `day`, from the contract in force."""
    from cpomdocs.scaffold.drafts import report_context

    check_contract_files(folder)
    if not contract_file(folder).is_file():  # a folder that is a loop of links, too
        raise UsageError(f"{folder} : pas de {CONTRACT_FILE} ici ; cpomdocs new {folder} --base …")
    context = report_context(folder, kind, day)
    target = folder / "comptes-rendus" / f"{day.isoformat()}-{slug(kind)}.yaml"
    schema = schema_line_target(target, "compte-rendu.schema.json")
    return _write(target, render_report(context, schema))
