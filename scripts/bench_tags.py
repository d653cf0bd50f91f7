"""What the PDF tags (accessibility) cost: one contract's PDFs rendered with and without them.

    python scripts/bench_tags.py [--rounds 3] [contracts/<id>]

CPU seconds of this process (time.process_time), runs interleaved (tagged, untagged, then
untagged, tagged…) so that the load of a shared machine weighs on both alike.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from cpomdocs.data.model import Contract
from cpomdocs.data.validate import check_folder
from cpomdocs.documents.blocks import ComposedDocument
from cpomdocs.documents.compose import compose_annexes, compose_contract
from cpomdocs.followup.reports import followup_jobs
from cpomdocs.render.pdf import render_pdf

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "contracts" / "asba-beaujolais-2024"
CREATED = "2025-01-01T00:00:00Z"


def documents(folder: Path) -> list[ComposedDocument]:
    """The contract, its annexes and its follow-up documents (comptes-rendus, preparation)."""
    checked = check_folder(folder)
    contract = checked.contract.model
    assert checked.ok and isinstance(contract, Contract), folder
    made = [
        compose(contract, contract_id=folder.name, created=CREATED)
        for compose in (compose_contract, compose_annexes)
    ]
    made += [job.compose(CREATED, None) for job in followup_jobs(checked)]
    return made


def measure_tags(folder: Path = EXAMPLE, rounds: int = 3) -> dict[bool, list[float]]:
    """CPU seconds to render all the PDFs of `folder`, per round, tagged (True) or not."""
    docs = documents(folder)
    render_pdf(docs[0])  # imports and fonts: not counted
    seconds: dict[bool, list[float]] = {True: [], False: []}
    for n in range(rounds):
        for tagged in (True, False) if n % 2 == 0 else (False, True):
            started = time.process_time()
            for doc in docs:
                render_pdf(doc, tagged=tagged)
            seconds[tagged].append(time.process_time() - started)
    return seconds


def report_tags(seconds: dict[bool, list[float]], folder: Path = EXAMPLE) -> str:
    """One French line: the medians with and without tags, and the difference."""
    with_tags, without = (statistics.median(seconds[t]) for t in (True, False))
    extra = 100 * (with_tags / without - 1) if without else 0.0
    shown = {k: f"{v:.2f}".replace(".", ",") for k, v in (("a", with_tags), ("b", without))}
    return (
        f"PDF balisés (accessibilité), {folder.name}, médiane de {len(seconds[True])} tours "
        f"alternés : {shown['a']} s CPU avec balises, {shown['b']} s sans "
        f"({extra:+.0f} %)".replace(".", ",")
    )


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description="Coût des balises PDF (accessibilité).")
    parser.add_argument("folder", nargs="?", type=Path, default=EXAMPLE)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(report_tags(measure_tags(args.folder, args.rounds), args.folder))


if __name__ == "__main__":
    main()
