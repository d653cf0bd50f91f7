"""Validation of contract folders: load, JSON Schema, pydantic model, then business rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from pydantic import BaseModel

from cpomdocs.data import cents, fingerprint, rules, rules_acts
from cpomdocs.data.characters import check_latin_twins
from cpomdocs.data.document import Path_
from cpomdocs.data.evaluations import check_evaluation_terms
from cpomdocs.data.folders import (
    AVENANTS_DIR,
    DATA_SUFFIXES,
    REPORTS_DIR,
    check_contents,
    contract_file,
    data_files,
    find_contract_folders,
)
from cpomdocs.data.load import Document, load_document, load_text
from cpomdocs.data.model import Contract
from cpomdocs.data.model_acts import Avenant, MeetingReport
from cpomdocs.data.offices import check_offices
from cpomdocs.data.placeholders import (
    check_placeholders,
    pending_figures,
    placeholder_lines,
    without_placeholders,
)
from cpomdocs.data.salvaged_rules import (
    contract_rules_beyond_schema,
    report_rules_beyond_schema,
)
from cpomdocs.data.schema import Kind, check_model, check_schema
from cpomdocs.errors import InputError, Problem, UsageError


@dataclass
class Checked:
    """One validated file: its document, its model object when valid, and its problems.

    Within a contract folder, a compte-rendu's model holds no value « à compléter »: `pending`
    names them (data paths), and nothing downstream can count such a 0 as a value. `figures`:
    the numbers still « à compléter » (dotted paths), that a draft's documents print as blanks."""

    path: Path
    document: Document | None
    model: BaseModel | None
    problems: list[Problem] = field(default_factory=list)
    pending: frozenset[Path_] = frozenset()
    figures: frozenset[str] = frozenset()


@dataclass
class ContractFolder:
    """A contract with its avenants and comptes-rendus, as validated together."""

    folder: Path
    contract: Checked
    avenants: list[Checked] = field(default_factory=list)
    reports: list[Checked] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def id(self) -> str:
        """The contract id: its folder's name."""
        return self.folder.name

    @property
    def all_problems(self) -> list[Problem]:
        """Problems of every file of the folder, sorted by file and line."""
        found = list(self.problems) + list(self.contract.problems)
        for checked in (*self.avenants, *self.reports):
            found.extend(checked.problems)
        return sorted(set(found))

    @property
    def ok(self) -> bool:
        """True when no file of the folder holds an error (warnings allowed)."""
        return not any(p.is_error for p in self.all_problems)


def kind_of(path: Path) -> Kind:
    """The kind of a data file, from the folder it stands in."""
    if path.parent.name == AVENANTS_DIR:
        return Kind.AVENANT
    if path.parent.name == REPORTS_DIR:
        return Kind.REPORT
    return Kind.CONTRACT


def check_file(path: Path, kind: Kind | None = None) -> Checked:
    """Load and validate one file against its schema and model (no cross-file rules)."""
    try:
        document = load_document(path)
    except InputError as exc:
        return Checked(path, None, None, exc.problems)
    return check_document(document, kind or kind_of(path))


def check_text(text: str, path: Path, kind: Kind | None = None) -> Checked:
    """Validate as `check_file` would the text that `path` is about to receive (in memory)."""
    try:
        document = load_text(text, path, json_syntax=path.suffix.lower() == ".json")
    except InputError as exc:
        return Checked(path, None, None, exc.problems)
    return check_document(document, kind or kind_of(path))


def check_document(document: Document, kind: Kind) -> Checked:
    """Validate a loaded document against its schema, model and single-file rules."""
    path = document.path
    lines = placeholder_lines(document)
    pending = [
        *check_placeholders(document, lines),
        *check_latin_twins(document),
        *check_offices(document),
        *check_evaluation_terms(document),
    ]
    paths = frozenset(p for p, _, _ in lines)
    problems = check_schema(document, kind)
    if problems:
        more = contract_rules_beyond_schema(document, paths) if kind is Kind.CONTRACT else []
        return Checked(path, document, None, [*problems, *more, *pending], paths)
    figures = pending_figures(document, paths)
    model, problems = check_model(document, kind)
    if model is not None and kind is Kind.CONTRACT:
        problems = rules.check_contract(document, model, figures)
    problems = [*problems, *cents.check_cents(document)]
    if model is not None:
        problems = [*problems, *fingerprint.check_fingerprint(document, model)]
        if not any(p.is_error for p in [*problems, *pending]):
            problems = [*problems, *fingerprint.check_signed_off(document, model)]
    return Checked(path, document, model, [*problems, *pending], paths, figures)


def check_folder(folder: Path) -> ContractFolder:
    """Validate a contract folder: the contract, then its avenants and comptes-rendus."""
    root = folder.resolve()

    def check(path: Path, kind: Kind) -> Checked:
        if not path.resolve().is_relative_to(root):  # a link out (an error of the folder's):
            return Checked(path, None, None)  # never read, nor quoted in a message
        return check_file(path, kind)

    result = ContractFolder(folder, check(contract_file(folder), Kind.CONTRACT))
    result.avenants = [check(p, Kind.AVENANT) for p in data_files(folder / AVENANTS_DIR)]
    result.reports = [check(p, Kind.REPORT) for p in data_files(folder / REPORTS_DIR)]
    result.problems.extend(check_contents(folder))
    contract = result.contract.model
    if isinstance(contract, Contract):
        avenants = [(c.document, c.model) for c in result.avenants if isinstance(c.model, Avenant)]
        result.problems.extend(rules_acts.check_avenants(contract, avenants))
        if result.contract.document is not None:
            _check_avenant_patches(result, avenants)
        for checked in result.reports:
            if isinstance(checked.model, MeetingReport) and checked.document:
                in_force = contract_on(result, checked.model.date)
                checked.problems.extend(
                    rules_acts.check_report(in_force, checked.document, checked.model)
                )
            elif checked.document is not None and checked.model is None:
                day_contract = partial(contract_on, result)
                checked.problems.extend(report_rules_beyond_schema(checked.document, day_contract))
    for checked in result.reports:  # checked as written, shown without its placeholders
        if isinstance(checked.model, MeetingReport):
            checked.model = without_placeholders(checked.model, checked.pending)
    return result


def meetings_to_come(folder: ContractFolder) -> list[Problem]:
    """The folder's approved comptes-rendus of meetings still to come (build and publish say
    it; validate does not read the clock for them: rules_dates.approved_before_meeting)."""
    from cpomdocs.data.rules_dates import approved_before_meeting

    reports = [(c.document, c.model) for c in folder.reports if isinstance(c.model, MeetingReport)]
    return approved_before_meeting([(doc, model) for doc, model in reports if doc is not None])


def _check_avenant_patches(
    result: ContractFolder, avenants: list[tuple[Document, Avenant]]
) -> None:
    from cpomdocs.data.consolidate import check_avenant_patches

    assert result.contract.document is not None
    found = check_avenant_patches(result.contract.document, result.contract.problems, avenants)
    for checked in result.avenants:
        if isinstance(checked.model, Avenant):
            checked.problems.extend(found.get(checked.model.numero, []))


def contract_on(folder: ContractFolder, day: dt.date) -> Contract:
    """The folder's contract as consolidated on `day`: its signed avenants in force applied."""
    from cpomdocs.data.consolidate import contract_in_force

    assert isinstance(folder.contract.model, Contract) and folder.contract.document
    avenants = [c.model for c in folder.avenants if isinstance(c.model, Avenant)]
    return contract_in_force(folder.contract.model, folder.contract.document.data, avenants, day)


@dataclass
class ValidationReport:
    """The outcome of validating several paths: one result per contract folder or loose file."""

    results: list[ContractFolder | Checked]

    def __iter__(self) -> Iterator[ContractFolder | Checked]:
        return iter(self.results)

    def __len__(self) -> int:
        return len(self.results)

    @property
    def problems(self) -> list[Problem]:
        """Every problem found, contract by contract, each sorted by file and line."""
        found: list[Problem] = []
        for result in self.results:
            found.extend(
                result.all_problems if isinstance(result, ContractFolder) else result.problems
            )
        return found

    @property
    def errors(self) -> int:
        """How many problems are errors."""
        return sum(p.is_error for p in self.problems)

    @property
    def warnings(self) -> int:
        """How many problems are warnings."""
        return sum(not p.is_error for p in self.problems)

    def failed(self, strict: bool = False) -> bool:
        """True when an error was found (or a warning, with `strict`)."""
        return self.errors > 0 or (strict and self.warnings > 0)

    def summary(self) -> str:
        """The closing line: « 3 contrats vérifiés : 2 erreurs, 1 avertissement »."""
        contracts = sum(
            isinstance(r, ContractFolder) or kind_of(r.path) is Kind.CONTRACT for r in self.results
        )
        others = len(self.results) - contracts
        parts = [_count(contracts, "contrat")] if contracts or not others else []
        parts += [_count(others, "fichier")] if others else []
        checked = "vérifiés" if len(self.results) > 1 else "vérifié"
        found = f"{_count(self.errors, 'erreur')}, {_count(self.warnings, 'avertissement')}"
        return f"{' et '.join(parts)} {checked} : {found}"


def _count(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"


def validate_paths(paths: list[Path]) -> ValidationReport:
    """Validate every contract folder and loose file named by `paths`, each independently."""
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: chemin introuvable (ni fichier ni dossier)")
        if path.is_file() and path.suffix.lower() not in DATA_SUFFIXES:
            raise UsageError(f"{path}: un fichier .yaml, .yml ou .json était attendu")
    results: list[ContractFolder | Checked] = []
    for path in paths:
        if path.is_file():
            results.append(check_file(path))
            continue
        refused: list[Problem] = []  # a folder whose name is refused, reported as one contract
        folders = find_contract_folders([path], refused)
        if not folders and not refused:
            raise UsageError(
                f"{path}: aucun cpom.yaml dans ce dossier ni dans ses sous-dossiers directs"
            )
        results.extend(Checked(Path(p.file), None, None, [p]) for p in refused)
        results.extend(check_folder(folder) for folder in folders)
    return ValidationReport(results)
