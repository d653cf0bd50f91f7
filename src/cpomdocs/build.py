"""The build: the list of stages from contract folders to documents in build/."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cpomdocs.errors import Problem
from cpomdocs.validate import check_folder, find_contract_folders
from cpomdocs.write import write_text_atomic


@dataclass
class BuildReport:
    """What a build did: the documents written and the problems met, per contract."""

    written: list[Path] = field(default_factory=list)
    problems: dict[str, list[Problem]] = field(default_factory=dict)

    @property
    def failed(self) -> list[str]:
        """Ids of the contracts that could not be built."""
        return [cid for cid, found in self.problems.items() if any(p.is_error for p in found)]


def build(sources: list[Path], output: Path) -> BuildReport:
    """Validate each contract folder and write its validation report into `output`."""
    report = BuildReport()
    folders = []
    for folder in find_contract_folders(sources):
        checked = check_folder(folder)
        folders.append(checked)
        report.problems[checked.id] = checked.all_problems
        lines = [str(p) for p in checked.all_problems] or ["Aucun problème."]
        target = output / checked.id / "validation.txt"
        write_text_atomic(target, "\n".join(lines) + "\n")
        report.written.append(target)
    from cpomdocs.portfolio import write_portfolio

    report.written.append(write_portfolio(folders, output))
    return report
